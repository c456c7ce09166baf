"""The member's points and the leaderboards over the API: thin views over
rewards.selectors. Errors are JSON from config.api.exception_handler."""

from django.core.paginator import EmptyPage
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.tokens.authentication import PUBLIC_READ
from community.models import Forum
from core.api import INVALID_QUERY, ObjectBySlugField, responses
from core.pagination import page_exactly
from rewards import selectors
from rewards.models import EntryKind, LedgerEntry, PointsTally, Rule
from rewards.views import LEADERBOARD_SIZE, LEDGER_PER_PAGE

NO_SUCH_PAGE = _("No such page of the points history.")
DESCRIBED = {400: INVALID_QUERY, 404: NO_SUCH_PAGE}
_PERIOD = rf"^({PointsTally.ALL_TIME}|{selectors.MONTH_PATTERN})$"


def _valid(serializer_class: type[serializers.Serializer], request: Request) -> dict:
    # A plain dict: a repeated parameter counts once, an empty one is refused like junk.
    serializer = serializer_class(data=request.query_params.dict())
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class RankSerializer(serializers.Serializer):
    name = serializers.CharField()
    threshold = serializers.IntegerField()


class PayoutSerializer(serializers.Serializer):
    run_at = serializers.DateTimeField(source="next_run_at", help_text=_("The next run."))
    points = serializers.IntegerField(source="payout_points")
    amount = serializers.DecimalField(
        source="payout_euros", max_digits=14, decimal_places=2, coerce_to_string=True
    )
    currency = serializers.CharField()
    blocked = serializers.ChoiceField(
        source="payout_blocked",
        choices=list(selectors.PayoutBlock),
        allow_blank=True,
        help_text=_("Why the next run would pay nothing; empty when it pays."),
    )


class SummarySerializer(serializers.Serializer):
    balance = serializers.IntegerField()
    available = serializers.IntegerField(help_text=_("Payable now."))
    held = serializers.IntegerField(help_text=_("In the holding period or under review."))
    held_for_review = serializers.IntegerField()
    paid_out = serializers.IntegerField(help_text=_("Payouts net of cancelled ones."))
    lifetime_points = serializers.IntegerField(source="lifetime")
    rank = RankSerializer(source="progress.rank", allow_null=True)
    next_rank = RankSerializer(source="progress.next_rank", allow_null=True)
    rank_progress = serializers.IntegerField(
        source="progress.percent", help_text=_("Percent of the way to the next rank.")
    )
    points_per_euro = serializers.IntegerField()
    minimum_payout = serializers.IntegerField()
    next_payout = PayoutSerializer(source="*")


class LedgerEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    amount = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=EntryKind.choices)
    rule = serializers.ChoiceField(choices=Rule.choices, allow_blank=True)
    state = serializers.SerializerMethodField()
    available_at = serializers.DateTimeField()
    forum = serializers.CharField(source="forum.slug", allow_null=True, default=None)
    question = serializers.IntegerField(source="question_id", allow_null=True)
    answer = serializers.IntegerField(source="answer_id", allow_null=True)
    cause_url = serializers.SerializerMethodField()
    note = serializers.CharField()

    @extend_schema_field(serializers.ChoiceField(choices=list(selectors.EntryState)))
    def get_state(self, entry: LedgerEntry) -> selectors.EntryState:
        return selectors.entry_state(entry, now=self.context["now"])

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_cause_url(self, entry: LedgerEntry) -> str | None:
        """The post that caused the entry, for a link."""
        post = entry.answer or entry.question
        return post.get_absolute_url() if post else None


class LedgerPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = LedgerEntrySerializer(many=True)


class MyPointsSerializer(serializers.Serializer):
    summary = SummarySerializer()
    ledger = LedgerPageSerializer()


class PageQuerySerializer(serializers.Serializer):
    page = serializers.IntegerField(
        min_value=1, default=1, help_text=_("Page of the points history, newest first.")
    )


@extend_schema(tags=["points"])
class MyPointsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[PageQuerySerializer],
        responses=responses({200: MyPointsSerializer}, 400, 401, 404, described=DESCRIBED),
    )
    def get(self, request: Request) -> Response:
        """The member's own balance (available, held, paid out), rank progress, next payout
        estimate and one page of their points history, each entry with its cause."""
        number = _valid(PageQuerySerializer, request)["page"]
        try:
            page = page_exactly(
                selectors.ledger_for(request.user), number, per_page=LEDGER_PER_PAGE
            )
        except EmptyPage:
            raise exceptions.NotFound(NO_SUCH_PAGE) from None
        ledger = {
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "results": page.object_list,
        }
        data = {"summary": selectors.points_summary(request.user), "ledger": ledger}
        return Response(MyPointsSerializer(data, context={"now": timezone.now()}).data)


class LeaderboardQuerySerializer(serializers.Serializer):
    period = serializers.RegexField(
        _PERIOD,
        default=PointsTally.ALL_TIME,
        max_length=7,
        help_text=_("`all` or a month, `YYYY-MM` (local time)."),
    )
    forum = ObjectBySlugField(
        Forum,
        missing=_("There is no forum with this slug."),
        required=False,
        help_text=_("Only points earned in this forum (slug)."),
    )


class LeaderboardRowSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    member = serializers.IntegerField(source="user.pk")
    display_name = serializers.CharField(source="user.display_name")
    points = serializers.IntegerField()
    rank = serializers.CharField(source="rank.name", allow_null=True, default=None)


class LeaderboardSerializer(serializers.Serializer):
    period = serializers.CharField()
    forum = serializers.CharField(allow_null=True, help_text=_("The forum's slug, or null."))
    results = LeaderboardRowSerializer(many=True)


@extend_schema(tags=["points"])
class LeaderboardView(APIView):
    token_scopes = PUBLIC_READ
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[LeaderboardQuerySerializer],
        responses=responses({200: LeaderboardSerializer}, 400, 401, described=DESCRIBED),
    )
    def get(self, request: Request) -> Response:
        """The top members by points earned in a month or all time, overall or in one forum.
        Only members who currently consent to be listed appear."""
        query = _valid(LeaderboardQuerySerializer, request)
        forum = query.get("forum")
        rows = selectors.leaderboard(period=query["period"], forum=forum, limit=LEADERBOARD_SIZE)
        data = {"period": query["period"], "forum": forum.slug if forum else None, "results": rows}
        return Response(LeaderboardSerializer(data).data)
