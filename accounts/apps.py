from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from accounts import role_cache  # noqa: F401 - its receivers
        from accounts.oidc import receivers as oidc_receivers  # noqa: F401 - the same
        from accounts.tokens import receivers, schema  # noqa: F401 - they register themselves
