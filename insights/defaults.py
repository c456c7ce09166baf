"""A cost per contact for every channel (EUR 1.50) and the settings row. Creates what is
missing, never changes a cost a support lead has set."""

from insights.models import DEFAULT_COST, Channel


def ensure_insights_defaults(apps) -> None:
    ChannelCost = apps.get_model("insights", "ChannelCost")
    InsightsSettings = apps.get_model("insights", "InsightsSettings")
    for channel in Channel.values:
        ChannelCost.objects.get_or_create(channel=channel, defaults={"cost": DEFAULT_COST})
    InsightsSettings.objects.get_or_create(pk=1)
