"""What allauth tells us about logins through the brand's providers (connected in
AccountsConfig.ready): after a signup, a login or connecting the provider to an account,
the customer number it vouches for is linked (accounts.oidc.claims)."""

from allauth.account.signals import user_logged_in, user_signed_up
from allauth.socialaccount.signals import social_account_added
from django.dispatch import receiver

from accounts.oidc.claims import customer_link_from_login


@receiver([user_signed_up, user_logged_in])
def _joined_or_logged_in(sender, request, user, sociallogin=None, **kwargs) -> None:
    # A signup that waits for the email address to be confirmed has no login yet: the
    # member is linked at once all the same, the provider vouched for the number.
    if sociallogin is not None:
        customer_link_from_login(user=user, sociallogin=sociallogin)


@receiver(social_account_added)
def _connected(sender, request, sociallogin, **kwargs) -> None:
    customer_link_from_login(user=sociallogin.user, sociallogin=sociallogin)
