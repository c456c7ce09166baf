"""What the community saves, as JSON for the company's BI tools: a thin view over
insights.figures, the same figures the dashboard shows. Errors are JSON from
config.api.exception_handler; every status is declared in the schema."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import ApiToken
from community.models import Forum
from core.api import INVALID_QUERY, responses
from insights import figures
from insights.forms import PeriodForm
from insights.models import Channel
from insights.periods import Period
from insights.permissions import can_see_insights
from insights.serializers import InsightsSummarySerializer

ONLY_STAFF = _("Only support leads and community managers can see these figures.")
_DESCRIBED = {400: INVALID_QUERY, 403: ONLY_STAFF}
_PARAMETERS = [
    OpenApiParameter(
        "from",
        OpenApiTypes.DATE,
        description=_("First day (YYYY-MM-DD, Europe/Berlin), included; default: this month's."),
    ),
    OpenApiParameter(
        "to",
        OpenApiTypes.DATE,
        description=_(
            "Last day, included; default: this month's. A period spans at most 1096 days."
        ),
    ),
    OpenApiParameter("forum", str, description=_("Only this forum (its slug or id).")),
]


class CanSeeInsights(BasePermission):
    message = ONLY_STAFF

    def has_permission(self, request, view) -> bool:
        return can_see_insights(request.user)


def summary_data(period: Period, forum: Forum | None) -> dict:
    """Every figure of the dashboard for the period, with the previous period's summary."""
    inputs = figures.Inputs.load()
    summary, response = figures.summary_and_response(period, forum=forum, inputs=inputs)
    return {
        "period": period,
        "forum": forum.slug if forum else None,
        "currency": "EUR",
        "points_per_euro": summary.points_per_euro,
        "community_channel": summary.community_channel,
        "summary": summary,
        "previous": figures.summary(period.previous(), forum=forum, inputs=inputs),
        "costs": [
            {"channel": channel, "label": Channel(channel).label, "cost": cost}
            for channel, cost in summary.costs.items()
        ],
        "response": response,
        "months": figures.months(period, forum=forum, inputs=inputs),
        "forums": figures.forums(period, inputs=inputs),
        "top_contributors": figures.top_contributors(period, forum=forum),
        "unanswered": figures.unanswered(forum=forum).count(),
        "escalated": figures.escalated(forum=forum).count(),
    }


@extend_schema(tags=["insights"])
class InsightsSummaryView(APIView):
    token_scopes = {"GET": ApiToken.Scope.INSIGHTS}
    permission_classes = [IsAuthenticated, CanSeeInsights]

    @extend_schema(
        parameters=_PARAMETERS,
        responses=responses({200: InsightsSummarySerializer}, 400, 401, 403, described=_DESCRIBED),
    )
    def get(self, request: Request) -> Response:
        """Deflected contacts, savings, points, response times, the last 12 months, the
        forums and the top contributors of a period (this month by default): the
        figures of the deflection dashboard, defined there."""
        form = PeriodForm.for_query(request.query_params.dict())
        if not form.is_valid():
            raise ValidationError(form.errors)
        data = summary_data(form.cleaned_data["period"], form.cleaned_data["forum"])
        return Response(InsightsSummarySerializer(data, context={"request": request}).data)
