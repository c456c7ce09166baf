from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrandingConfig(AppConfig):
    name = "branding"
    verbose_name = _("Brand")

    def ready(self) -> None:
        from branding import selectors  # noqa: F401 - its receivers forget the kept brand
