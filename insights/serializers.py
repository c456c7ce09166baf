"""The JSON of /api/v1/insights/summary/: the dashboard's figures for BI tools. Money is a
string with two decimals ("1.50", EUR), rates a string with four ("0.6667") or null,
durations a number of seconds or null."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


def _money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, **kwargs)


def _rate(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True, **kwargs)


class SecondsField(serializers.FloatField):
    """A timedelta as a number of seconds."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value) -> float:
        return value.total_seconds()


class InsightsPeriodSerializer(serializers.Serializer):
    # `from` is a Python keyword: declared as `start`, renamed in get_fields.
    start = serializers.DateField(source="start", help_text=_("First day, included."))
    end = serializers.DateField(source="end", help_text=_("Last day, included."))

    def get_fields(self) -> dict:
        fields = super().get_fields()
        return {"from": fields["start"], "to": fields["end"]}


class InsightsKindSerializer(serializers.Serializer):
    kind = serializers.CharField(
        help_text=_("`peer_solution`, `solved_too`, `contact_deflected` or `widget_solved`.")
    )
    label = serializers.CharField()
    count = serializers.IntegerField()
    savings = _money(help_text=_("The count times the cost of each event's channel."))
    by_members = serializers.IntegerField(help_text=_("Of the count, said by members."))
    by_visitors = serializers.IntegerField(
        help_text=_("Of the count, said by anonymous visitors after a proven page view.")
    )
    refused = serializers.IntegerField(
        help_text=_("Refused in the period as forged or floods, on the whole site.")
    )
    in_probation = serializers.IntegerField(
        help_text=_("Caused by accounts still in probation: recorded, not in the count.")
    )


class InsightsSavingsSerializer(serializers.Serializer):
    """The summary figures of one period."""

    period = InsightsPeriodSerializer()
    kinds = InsightsKindSerializer(many=True)
    deflected = serializers.IntegerField()
    gross_savings = _money()
    points_credited = serializers.IntegerField(help_text=_("Awards minus their reversals."))
    points_value = _money(help_text=_("Points credited / points per euro."))
    net_savings = _money(help_text=_("Gross savings minus the value of points credited."))
    contact_deflected = serializers.IntegerField()
    contact_submitted = serializers.IntegerField()
    contact_rate = _rate(help_text=_("Deflected / (deflected + submitted) on the contact page."))


class InsightsCostSerializer(serializers.Serializer):
    channel = serializers.CharField(help_text=_("`phone`, `email`, `chat` or `form`."))
    label = serializers.CharField()
    cost = _money(help_text=_("Current cost of one contact (EUR)."))


class InsightsResponseSerializer(serializers.Serializer):
    questions = serializers.IntegerField(help_text=_("Visible questions asked."))
    due = serializers.IntegerField(help_text=_("Of those, asked at least 24 hours ago."))
    answered_24h = serializers.IntegerField()
    answer_rate = _rate(help_text=_("Answered within 24 hours / due."))
    ttfa_median = SecondsField(help_text=_("Median time to first answer, seconds."))
    ttfa_p90 = SecondsField(help_text=_("90th percentile of the time to first answer, seconds."))
    peer_solutions = serializers.IntegerField()
    staff_solutions = serializers.IntegerField()
    peer_share = _rate(help_text=_("Peer solutions / all solutions."))


class _InsightsRowSerializer(serializers.Serializer):
    deflected = serializers.IntegerField()
    gross_savings = _money()
    points_value = _money()
    net_savings = _money()
    response = InsightsResponseSerializer()


class InsightsMonthSerializer(_InsightsRowSerializer):
    month = serializers.DateField(help_text=_("The first day of the month."))


class InsightsForumSerializer(_InsightsRowSerializer):
    forum = serializers.CharField(source="forum.slug")
    name = serializers.CharField(source="forum.name")


class InsightsContributorSerializer(serializers.Serializer):
    member = serializers.IntegerField(source="user_id")
    display_name = serializers.CharField()
    profile_url = serializers.SerializerMethodField()
    deflections = serializers.IntegerField()
    solutions = serializers.IntegerField(help_text=_("Of which peer solutions."))
    points = serializers.IntegerField(help_text=_("Points credited in the period."))

    def get_profile_url(self, contributor) -> str:
        return self.context["request"].build_absolute_uri(contributor.profile_url)


class InsightsSummarySerializer(serializers.Serializer):
    period = InsightsPeriodSerializer()
    forum = serializers.CharField(allow_null=True, help_text=_("The forum's slug, or null."))
    currency = serializers.CharField()
    points_per_euro = serializers.IntegerField()
    community_channel = serializers.CharField(
        help_text=_("The channel peer solutions and marks stand for.")
    )
    summary = InsightsSavingsSerializer()
    previous = InsightsSavingsSerializer(help_text=_("The same figures for the previous period."))
    costs = InsightsCostSerializer(many=True)
    response = InsightsResponseSerializer()
    months = InsightsMonthSerializer(many=True, help_text=_("12 months ending with the period's."))
    forums = InsightsForumSerializer(many=True)
    top_contributors = InsightsContributorSerializer(
        many=True, help_text=_("Only members who agreed to be listed.")
    )
    unanswered = serializers.IntegerField(help_text=_("Questions without an answer now."))
    escalated = serializers.IntegerField(help_text=_("Of those, escalated to support."))
