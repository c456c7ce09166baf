"""What allauth tells us that changes what a token may be trusted with (connected in
AccountsConfig.ready). Each receiver calls one service: a token made by whoever knew
the old password, or before the second factor, stops working."""

from allauth.account.signals import password_changed, password_reset, password_set
from allauth.mfa.signals import authenticator_added
from django.dispatch import receiver

from accounts.tokens.services import tokens_revoke


@receiver([password_changed, password_reset, password_set])
def _password_changed(sender, request, user, **kwargs) -> None:
    tokens_revoke(user=user)


@receiver(authenticator_added)
def _second_factor_added(sender, request, user, **kwargs) -> None:
    tokens_revoke(user=user, without_second_factor=True)
