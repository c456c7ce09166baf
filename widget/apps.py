from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WidgetConfig(AppConfig):
    """The answers widget brands embed in their help centre or app (docs/widget.md): a
    script, the JSON it reads, and the origins allowed to read it."""

    name = "widget"
    verbose_name = _("Answers widget")
    default_auto_field = "django.db.models.BigAutoField"
