"""What the local (demo) billing gateway did: the credits it applied and the messages it
sent. A real billing system keeps these on its side; here they stand in for it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Room for billing.pseudonyms.pseudonym() (64 hex characters) after an erasure.
CUSTOMER_NUMBER_MAX = 64


class LocalCredit(models.Model):
    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    customer_number = models.CharField(_("customer number"), max_length=CUSTOMER_NUMBER_MAX)
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    currency = models.CharField(_("currency"), max_length=3)
    reference = models.CharField(_("reference"), max_length=200)
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)

    class Meta:
        verbose_name = _("local credit")
        verbose_name_plural = _("local credits")
        indexes = [models.Index(fields=["customer_number"])]

    def __str__(self) -> str:
        return self.key


class LocalMessage(models.Model):
    """A verification code the local gateway 'sent' to a customer."""

    customer_number = models.CharField(_("customer number"), max_length=CUSTOMER_NUMBER_MAX)
    code = models.CharField(_("code"), max_length=20)
    language = models.CharField(_("language"), max_length=10)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("local message")
        verbose_name_plural = _("local messages")
        indexes = [models.Index(fields=["customer_number"])]

    def __str__(self) -> str:
        return self.customer_number
