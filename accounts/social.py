"""Social login (Google, Facebook): name and email only, and a display name of the member's choice.

An admin only adds the provider's keys (a "Social application" in the admin).
"""

from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.forms import SignupForm as AllauthSocialSignupForm

from accounts.forms import JoinFormMixin

# What a provider may leave on record: enough to recognise the account and
# reach the member, never friend lists, birthdays or photos.
KEPT_PROVIDER_FIELDS = {"id", "sub", "email", "email_verified", "verified_email", "name"}


class SocialSignupForm(JoinFormMixin, AllauthSocialSignupForm):
    pass


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def pre_social_login(self, request, sociallogin) -> None:
        account = sociallogin.account
        account.extra_data = {
            key: value for key, value in account.extra_data.items() if key in KEPT_PROVIDER_FIELDS
        }
        super().pre_social_login(request, sociallogin)
