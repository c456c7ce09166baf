from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        from billing.gateway import get_gateway

        # Fails at start-up, not at the first settlement, when the gateway is misconfigured.
        get_gateway()
