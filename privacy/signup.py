"""Consent at signup, what privacy offers every way of joining (accounts' signup forms
and its adapter): a checkbox per purpose, required ones must be ticked, optional ones
are offered unticked; and the record of what was ticked."""

from django import forms
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.translation import gettext_lazy as _

from privacy import selectors, services

PREFIX = "consent_"


def _label(purpose) -> str:
    template = (
        _("I accept the {name} ({link})") if purpose.required else _("{name} (optional, {link})")
    )
    # format_html escapes the admin-written name; the link is ours.
    link = format_html(
        '<a href="{}" target="_blank" rel="noopener">{}</a>',
        reverse("privacy:text", args=[purpose.key]),
        _("read version %(version)s, opens in a new tab") % {"version": purpose.current_version},
    )
    return format_html(template, name=purpose.local_name, link=link)


def add_consent_fields(form: forms.Form) -> None:
    """Adds `consent_<key>` for every purpose with a published text (one query)."""
    for purpose in selectors.purposes_with_current_text():
        form.fields[f"{PREFIX}{purpose.key}"] = forms.BooleanField(
            label=_label(purpose),
            required=purpose.required,
            initial=False,
            # Django renders help text unescaped; this one is written by admins.
            help_text=escape(purpose.local_description),
            error_messages={"required": _("Please accept this to create your account.")},
        )


def record_signup_consents(*, user, cleaned_data: dict) -> None:
    services.consents_record_signup(
        user=user,
        granted_keys=[
            name.removeprefix(PREFIX)
            for name, value in cleaned_data.items()
            if name.startswith(PREFIX) and value
        ],
    )
