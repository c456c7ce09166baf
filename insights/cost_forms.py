"""What a service contact costs in each channel, and which channel a community answer
replaces: the costs page's form and the one function that saves it. Amounts are typed
in the reader's language ("1,50" in German, "1.50" in English)."""

from decimal import Decimal

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.forms import ServiceForm
from insights.figures import channel_costs
from insights.models import Channel, ChannelCost, InsightsSettings

COST_MAX = Decimal("10000")


def _field_name(channel: str) -> str:
    return f"cost_{channel}"


class CostsForm(ServiceForm):
    community_channel = forms.ChoiceField(
        label=_("Channel a community answer replaces"),
        choices=Channel.choices,
        help_text=InsightsSettings._meta.get_field("community_channel").help_text,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for channel, label in Channel.choices:
            self.fields[_field_name(channel)] = forms.DecimalField(
                label=label,
                min_value=Decimal(0),
                max_value=COST_MAX,
                max_digits=8,
                decimal_places=2,
                localize=True,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 10}),
            )

    @classmethod
    def current(cls) -> "CostsForm":
        """Unbound, showing the costs and the channel in force."""
        initial = {_field_name(channel): cost for channel, cost in channel_costs().items()}
        initial["community_channel"] = InsightsSettings.load().community_channel
        return cls(initial=initial)

    def cost_fields(self) -> list[forms.BoundField]:
        return [self[_field_name(channel)] for channel in Channel.values]

    def costs(self) -> dict[str, Decimal]:
        return {channel: self.cleaned_data[_field_name(channel)] for channel in Channel.values}


@transaction.atomic
def costs_update(*, costs: dict[str, Decimal], community_channel: str) -> None:
    """The new costs apply to every period shown from now on (figures use current costs)."""
    for channel, cost in costs.items():
        ChannelCost.objects.update_or_create(channel=channel, defaults={"cost": cost})
    InsightsSettings.objects.update_or_create(
        pk=1, defaults={"community_channel": community_channel}
    )
