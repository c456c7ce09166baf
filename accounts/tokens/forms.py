from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import ApiToken
from accounts.tokens import services
from core.forms import ServiceForm


class TokenForm(ServiceForm):
    name = forms.CharField(
        label=_("Name"),
        max_length=60,
        help_text=_("What uses it, e.g. “Home Assistant” or “my backup script”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Reading what every visitor sees needs no scope."),
    )
    days = forms.TypedChoiceField(
        label=_("Expires after"),
        coerce=int,
        initial=90,
        choices=lambda: [
            (days, ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
            for days in services.EXPIRY_DAYS
        ],
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("We ask again before a new token is made."),
    )
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [
            (scope, ApiToken.Scope(scope).label) for scope in services.grantable_scopes(user)
        ]
        self.fields["scopes"].initial = [ApiToken.Scope.READ]
        if not services.second_factor_required(user):
            del self.fields["code"]
