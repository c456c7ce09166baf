from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        # Connects the signals that clear the cached watched words and trust rules.
        from moderation import screening, trust  # noqa: F401
