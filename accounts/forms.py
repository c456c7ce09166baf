from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _


def validate_display_name_free(name: str, *, exclude_pk=None) -> None:
    users = get_user_model().objects.filter(display_name__iexact=name)
    if exclude_pk is not None:
        users = users.exclude(pk=exclude_pk)
    if users.exists():
        raise forms.ValidationError(_("This display name is taken. Please choose another."))


class SignupForm(AllauthSignupForm):
    """allauth's signup form plus the public display name."""

    display_name = forms.RegexField(
        label=_("Display name"),
        min_length=3,
        max_length=40,
        regex=r"^[\w.\- ]+$",
        error_messages={"invalid": _("Use letters, digits, spaces, dots, dashes or underscores.")},
        help_text=_("Shown next to everything you post. Your email address stays private."),
    )

    field_order = ["email", "display_name", "password1", "password2"]

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        validate_display_name_free(name)
        return name
