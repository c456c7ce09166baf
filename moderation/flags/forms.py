"""The form of a flag; the service decides the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ServiceForm
from moderation.flags import services
from moderation.models import FlagReason


class FlagForm(ServiceForm):
    reason = forms.ChoiceField(
        label=_("What is wrong?"), choices=FlagReason.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=services.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed for “Other”. Please do not repeat personal data here."),
    )
