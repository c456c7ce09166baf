from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from core import gdpr
        from privacy import checks, consent_cache  # noqa: F401  (checks and receivers)

        # Every app's gdpr.py registers what it holds about a member, for the export
        # and the erasure; importing them here makes a broken one fail at startup.
        gdpr.autodiscover()
