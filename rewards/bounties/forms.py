"""The asker's form to put a bounty on their open question."""

from django import forms
from django.utils.translation import gettext_lazy

from core.forms import ServiceForm
from rewards.bounties import services as bounties


class BountyForm(ServiceForm):
    points = forms.IntegerField(
        label=gettext_lazy("Points"), min_value=bounties.MIN_POINTS, initial=50
    )
    days = forms.IntegerField(
        label=gettext_lazy("Days until it goes back to you"),
        min_value=1,
        max_value=bounties.MAX_DAYS,
        initial=7,
    )
