from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.stagekit import clear_login
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation

from accounts.emails import email_normalize
from accounts.oidc.providers import staff_login_refusal
from branding import email as branded
from branding.selectors import current as current_brand
from core.net import client_ip
from privacy.erasure import services as erasure
from privacy.signup import record_signup_consents


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        """allauth passes every address it takes here: signup, social signup (the form and
        the provider's data), "manage email", password reset."""
        return super().clean_email(email_normalize(email))

    def save_user(self, request, user, form, commit=True):
        """Also used by social signups (allauth's social adapter calls it with its form)."""
        # Set before the first save: the display name is unique and never blank.
        user.display_name = form.cleaned_data["display_name"]
        # Emails are sent outside any request, in the language the member signed up in.
        language = (translation.get_language() or "")[:2]
        if language in dict(settings.LANGUAGES):
            user.language = language
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            record_signup_consents(user=user, cleaned_data=form.cleaned_data)
        return user

    def format_email_subject(self, subject: str) -> str:
        return branded.subject(subject)

    def get_from_email(self) -> str:
        return branded.sender()

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's emails (verification, password reset, security notices) name the
        brand and the site's real address, in the member's language when they have
        an account (else the page's)."""
        brand = current_brand()
        site = SimpleNamespace(name=brand.name, domain=brand.site_address)
        member = get_user_model().objects.filter(email=email_normalize(email)).first()
        language = member.language if member and member.language else translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, {"current_site": site, **context})

    def render_mail(self, template_prefix, email, context, headers=None):
        """With an HTML part in the brand's layout around allauth's text."""
        message = super().render_mail(template_prefix, email, context, headers=headers)
        return branded.with_html(message)

    def pre_login(self, request, user, **kwargs):
        """Every login passes here (the password, a link in an email, a social login, the
        admin's): with STAFF_LOGIN_OIDC_ONLY, staff log in only through the brand's
        identity provider; any other way is refused, with where to go instead."""
        response = super().pre_login(request, user, **kwargs)
        if response is not None:
            return response
        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        refusal = staff_login_refusal(request, user, sociallogin=sociallogin)
        if not refusal:
            return None
        clear_login(request)
        messages.error(request, refusal)
        return redirect("account_login")

    def get_client_ip(self, request) -> str:
        """allauth's login, signup and reset throttles count per address: the same one
        every other limit of the site sees, behind the same proxies."""
        return client_ip(request) or super().get_client_ip(request)

    def respond_user_inactive(self, request, user):
        """allauth gets here only after the password (or the social login) was right, so a
        member whose erasure is pending may see when it happens and keep the account."""
        pending = erasure.erasure_scheduled(user=user)
        if pending is None:
            return super().respond_user_inactive(request, user)
        cancel_url = reverse("privacy_erasure:cancel", args=[erasure.cancel_token(pending)])
        context = {"erasure": pending, "member": user, "cancel_url": cancel_url}
        return render(request, "account/account_inactive.html", context)


class MFAAdapter(DefaultMFAAdapter):
    def get_totp_issuer(self) -> str:
        """The name the member's authenticator app shows: the brand's."""
        return current_brand().name
