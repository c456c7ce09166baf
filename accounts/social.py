"""Social login (Google, Facebook, the brand's own identity provider): name and email
only (and the brand's customer number), and a display name of the member's choice.

An admin only adds the provider's keys (a "Social application" in the admin); the
brand's providers are also configured from the environment (config.oidc).
"""

from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.forms import SignupForm as AllauthSocialSignupForm

from accounts.forms import JoinFormMixin
from accounts.oidc import claims
from accounts.oidc.providers import OPENID_CONNECT, brand_name


class SocialSignupForm(JoinFormMixin, AllauthSocialSignupForm):
    pass


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request, sociallogin, data):
        """Called before allauth looks the account up, which saves a returning member's
        account with this data: so the data is reduced here, not later."""
        sociallogin.account.extra_data = claims.kept_claims(sociallogin)
        return super().populate_user(request, sociallogin, data)

    def get_signup_form_initial_data(self, sociallogin) -> dict:
        initial = super().get_signup_form_initial_data(sociallogin)
        return {**initial, "display_name": claims.suggested_display_name(sociallogin)}

    def list_apps(self, request, provider=None, client_id=None):
        """A brand provider without a name of its own is called by the brand's."""
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        for app in apps:
            if app.provider == OPENID_CONNECT and not app.name:
                app.name = brand_name()
        return apps
