from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from accounts.emails import email_normalize
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
