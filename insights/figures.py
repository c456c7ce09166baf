"""Every figure of the dashboard and of /api/v1/insights/summary/, from set-based SQL.

INTERFACE AGREED BETWEEN HELPERS (helper "figures" implements, helper "pages" uses).
All periods are insights.periods.Period (dates in settings.TIME_ZONE, both inclusive).
Money is Decimal rounded to the cent (ROUND_HALF_UP); rates are Decimal 0..1 or None
when there is nothing to divide; durations are timedelta or None.

How each number is made (DEFINITIONS, shown on the dashboard):
- A deflected contact is an event of a deflection kind (peer solution, "solved for me
  too" mark, contact-page visit that ended on a community answer) whose time lies in the
  period. Each saves the current cost per contact of its channel (EUR 1.50 unless a
  support lead set another): their sum is the gross savings.
- Points credited are the awards written in the period minus the reversals of awards
  written in it; their value is points / points per euro, to the cent. Net savings are
  gross savings minus that value.
- The contact-page rate is visits ended on an answer / (those + requests sent).
- Response figures are about visible questions asked in the period: a question is due
  once 24 hours have passed since it was asked; the answer rate is the due questions
  with a first answer within 24 hours / the due questions. Time to first answer counts
  answered questions only (median and 90th percentile, interpolated linearly). The
  peer share is peer solutions / (peer + staff solutions) in the period.
- Months are calendar months in Europe/Berlin (an event at 23:30 on the last day of a
  month belongs to that month); the series shows the 12 months ending with the period's
  last month. Forum rows count what happened in each forum; contact requests without a
  forum count in the totals only.
- Top contributors are the peers (not staff, not official answers) whose answers the
  period's deflections credit, listed only if they agree to appear on leaderboards now.
  Their points are those credited to them in the period.

Every figure takes a constant number of queries, whatever the data: one grouped query
per kind of row (events, ledger entries, questions), grouped by month or forum for the
series. Points and events of closed days are read from their daily sums
(insights.rollups), those of the days after them from the ledger and the events: two
queries instead of one. What every figure reads besides its rows (costs, points per
euro, the days rolled up) is loaded once (Inputs) and may be shared by the figures of a
page. Questions are not rolled up: whether and when one was answered, whether it is
visible and in which forum change after the day it was asked, and percentiles need
every value.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from community.models import Forum, Question, Visibility
from insights.models import (
    DEFAULT_COST,
    DEFLECTION_KINDS,
    PERSONAL_KINDS,
    Channel,
    ChannelCost,
    Event,
    EventDay,
    EventKind,
    InsightsSettings,
    PointsDay,
    RefusedSignal,
    RollupState,
)
from insights.periods import Period, month_end, month_start, reporting_zone
from privacy.models import ConsentRecord
from rewards.models import EconomySettings, EntryKind, LedgerEntry
from rewards.selectors import LEADERBOARD_PURPOSE, consents_to

CENT = Decimal("0.01")
RATE = Decimal("0.0001")
ANSWER_WITHIN = timedelta(hours=24)
ONE_DAY = timedelta(days=1)
SOLUTION_KINDS = (EventKind.PEER_SOLUTION, EventKind.STAFF_SOLUTION)
# What events are counted by: the fields of EventDay, and of Event with `member` annotated.
EVENT_KEY = ("kind", "channel", "member", "probation")
_DEFER_POST = ("body", "body_html")


@dataclass(frozen=True)
class KindFigure:
    kind: str  # an EventKind value of DEFLECTION_KINDS
    label: str
    count: int
    savings: Decimal  # count x the cost of each event's channel
    by_members: int = 0  # of count, said by members (marks and contact deflections)
    by_visitors: int = 0  # of count, said by anonymous visitors with a proven page view
    refused: int = 0  # refused in the period as forged or floods (insights.proof)
    in_probation: int = 0  # caused by accounts in probation: recorded, not in count


@dataclass(frozen=True)
class Summary:
    period: Period
    forum: Forum | None
    kinds: list[KindFigure]  # one per deflection kind, in DEFLECTION_KINDS order
    deflected: int
    gross_savings: Decimal
    points_credited: int  # awards minus reversals in the period
    points_value: Decimal  # points_credited / points_per_euro
    net_savings: Decimal  # gross_savings - points_value
    contact_deflected: int
    contact_submitted: int
    contact_rate: Decimal | None  # deflected / (deflected + submitted)
    costs: dict[str, Decimal]  # channel -> cost per contact (EUR)
    community_channel: str
    points_per_euro: int = 100  # the rate points_value was computed with


@dataclass(frozen=True)
class Response:
    """How fast and by whom questions asked in the period were answered."""

    questions: int  # asked in the period (visible)
    due: int  # of those, asked at least 24 hours ago: the answer rate's denominator
    answered_24h: int
    answer_rate: Decimal | None  # answered_24h / due
    ttfa_median: timedelta | None
    ttfa_p90: timedelta | None
    peer_solutions: int  # solution events in the period
    staff_solutions: int
    peer_share: Decimal | None


@dataclass(frozen=True)
class MonthRow:
    month: date  # first day of the month
    deflected: int
    gross_savings: Decimal
    points_value: Decimal
    net_savings: Decimal
    response: Response


@dataclass(frozen=True)
class ForumRow:
    forum: Forum
    deflected: int
    gross_savings: Decimal
    points_value: Decimal
    net_savings: Decimal
    response: Response


@dataclass(frozen=True)
class Contributor:
    user_id: int
    display_name: str
    profile_url: str
    deflections: int  # events in the period crediting an answer of theirs
    solutions: int  # of which peer solutions
    points: int  # points credited to them in the period


# --- Building blocks: one grouped query each -----------------------------------------


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont(fraction) WITHIN GROUP (ORDER BY expression): the
    value at `fraction` of the sorted values, interpolated linearly; NULLs are ignored."""

    function = "percentile_cont"
    name = "PercentileCont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    arity = 1

    def __init__(self, expression, *, fraction: float, **extra):
        if not 0 <= fraction <= 1:
            raise ValueError("fraction must be between 0 and 1")
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


def percentile(values: list[timedelta], fraction: float) -> timedelta | None:
    """What percentile_cont computes, for databases without it (the SQLite demo)."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, ROUND_HALF_UP)


def _rate(part: int, whole: int) -> Decimal | None:
    return None if whole == 0 else (Decimal(part) / Decimal(whole)).quantize(RATE, ROUND_HALF_UP)


def _within(period: Period, field: str) -> Q:
    start, end = period.bounds()
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def _of_forum(forum: Forum | None) -> Q:
    return Q() if forum is None else Q(forum=forum)


def _by_month(field: str) -> TruncMonth:
    """The first day of the month of `field` in the reporting zone, as a date. PointsDay's
    `day` is a day of that zone already, so only datetimes are converted."""
    zone = None if field == "day" else reporting_zone()
    return TruncMonth(field, tzinfo=zone, output_field=DateField())


def _grouped(queryset: QuerySet, by, *fields: str, **aggregates) -> list[dict]:
    """One GROUP BY query: rows with `group_key` (the value of expression `by`, None when
    not grouped), `fields` and the aggregates."""
    if by is None and not fields:
        return [{"group_key": None, **queryset.aggregate(**aggregates)}]
    if by is None:
        rows = queryset.values(*fields)
    else:
        rows = queryset.annotate(group_key=by).values("group_key", *fields)
    return [{"group_key": None, **row} for row in rows.annotate(**aggregates).order_by()]


def channel_costs() -> dict[str, Decimal]:
    """Channel -> current cost per contact; a channel without a row costs the default."""
    costs = dict.fromkeys(Channel.values, DEFAULT_COST)
    costs.update(ChannelCost.objects.values_list("channel", "cost"))
    return costs


@dataclass(frozen=True)
class Inputs:
    """What the figures read besides their rows: the settings they are computed with
    and the last days rolled up (insights.rollups). Four queries."""

    costs: dict[str, Decimal]
    points_per_euro: int
    community_channel: str
    points_through: date | None
    events_through: date | None

    @classmethod
    def load(cls) -> "Inputs":
        state = RollupState.objects.values("points_through", "events_through").first() or {}
        return cls(
            costs=channel_costs(),
            points_per_euro=EconomySettings.load().points_per_euro,
            community_channel=InsightsSettings.load().community_channel,
            points_through=state.get("points_through"),
            events_through=state.get("events_through"),
        )


def _rolled_and_live(period: Period, through: date | None) -> tuple[Period | None, Period | None]:
    """The days of the period rolled up (those through `through`), and the days after
    them, read from the rows themselves; None for a part without days."""
    last = period.start - ONE_DAY if through is None else min(through, period.end)
    rolled = Period(period.start, last) if last >= period.start else None
    live = Period(max(period.start, last + ONE_DAY), period.end) if last < period.end else None
    return rolled, live


def _event_counts(period: Period, forum: Forum | None, through: date | None, by_field=None) -> dict:
    """key -> Counter of (kind, channel, said by a member, in probation) -> events in the
    period, every kind: the days rolled up through `through` from EventDay, the days after
    them from the events, so today's are live. A query per part; `by_field(time_field)`
    groups as in _Series.load."""
    rolled, live = _rolled_and_live(period, through)
    parts = []
    if rolled is not None:
        days = EventDay.objects.filter(_of_forum(forum), day__range=(rolled.start, rolled.end))
        parts.append((days, "day", Sum("count")))
    if live is not None:
        events = Event.objects.filter(_within(live, "occurred_at"), _of_forum(forum))
        # Counting occurred_at, not id: the covering index event_time answers it alone.
        events = events.annotate(member=Q(user__isnull=False))
        parts.append((events, "occurred_at", Count("occurred_at")))
    counts: dict = defaultdict(Counter)
    for queryset, time_field, n in parts:
        by = None if by_field is None else by_field(time_field)
        for row in _grouped(queryset, by, *EVENT_KEY, n=n):
            counts[row["group_key"]][tuple(row[field] for field in EVENT_KEY)] += row["n"]
    return counts


def _counted(counts: Counter) -> Counter:
    """(kind, channel) -> events not caused by accounts in probation: those that count."""
    counted: Counter = Counter()
    for (kind, channel, _member, probation), n in counts.items():
        if not probation:
            counted[kind, channel] += n
    return counted


def _sources(counts: Counter) -> Counter:
    """(kind, said by a member, in probation) -> events."""
    sources: Counter = Counter()
    for (kind, _channel, member, probation), n in counts.items():
        sources[kind, bool(member), bool(probation)] += n
    return sources


def refused_signals(period: Period) -> Counter:
    """kind -> signals refused as forged or floods in the period (whole site: a refused
    signal is not told by forum). One query."""
    rows = (
        RefusedSignal.objects.filter(day__range=(period.start, period.end))
        .values("kind")
        .annotate(n=Sum("count"))
        .order_by()
    )
    return Counter({row["kind"]: row["n"] for row in rows})


def _credited(period: Period, forum: Forum | None) -> QuerySet[LedgerEntry]:
    """Awards, and reversals of awards, written in the period (the points value's rows).
    A reversal counts when it is written: the period it falls in pays it back. (Whether
    a reversal undoes an award is looked up for reversals only, by primary key: a join
    would read the whole ledger a second time.)"""
    of_award = LedgerEntry.objects.filter(pk=OuterRef("reverses_id"), kind=EntryKind.AWARD)
    earned = Q(kind=EntryKind.AWARD) | Q(kind=EntryKind.REVERSAL) & Exists(of_award)
    return LedgerEntry.objects.filter(earned, _within(period, "created_at"), _of_forum(forum))


def _points(period: Period, forum: Forum | None, through: date | None, by_field=None) -> dict:
    """key -> points credited in the period: the days rolled up through `through` from
    PointsDay, the days after them from the ledger, so today's points are live. A query
    per part; `by_field(time_field)` groups as in _Series.load."""
    rolled, live = _rolled_and_live(period, through)
    parts = []
    if rolled is not None:
        days = PointsDay.objects.filter(_of_forum(forum), day__range=(rolled.start, rolled.end))
        parts.append((days, "day", "points"))
    if live is not None:
        parts.append((_credited(live, forum), "created_at", "amount"))
    points: Counter = Counter()
    for queryset, time_field, amount in parts:
        by = None if by_field is None else by_field(time_field)
        for row in _grouped(queryset, by, points=Sum(amount)):
            points[row["group_key"]] += row["points"] or 0
    return points


def _asked(period: Period, forum: Forum | None) -> QuerySet[Question]:
    return Question.objects.filter(
        _within(period, "created_at"), _of_forum(forum), visibility=Visibility.VISIBLE
    )


def _due(now) -> Q:
    return Q(created_at__lte=now - ANSWER_WITHIN)


def _in_time() -> Q:
    return Q(first_answer_at__lte=F("created_at") + ANSWER_WITHIN)


def _ttfa() -> ExpressionWrapper:
    return ExpressionWrapper(F("first_answer_at") - F("created_at"), output_field=DurationField())


def _durations(answered: QuerySet[Question], by) -> dict:
    """key -> times to first answer, in one query (where SQL has no percentile)."""
    if by is None:
        rows = (
            (None, asked, first)
            for asked, first in answered.values_list("created_at", "first_answer_at")
        )
    else:
        rows = answered.annotate(group_key=by).values_list(
            "group_key", "created_at", "first_answer_at"
        )
    durations: dict = defaultdict(list)
    for key, asked, first in rows:
        durations[key].append(first - asked)
    return durations


def _percentiles_in_sql() -> bool:
    return connection.vendor == "postgresql"


def _question_aggregates() -> dict:
    now = timezone.now()
    # Counting created_at, not id: the covering index question_asked answers it alone.
    aggregates = {
        "questions": Count("created_at"),
        "due": Count("created_at", filter=_due(now)),
        "answered": Count("created_at", filter=_due(now) & _in_time()),
    }
    if _percentiles_in_sql():
        aggregates["median"] = PercentileCont(_ttfa(), fraction=0.5, output_field=DurationField())
        aggregates["p90"] = PercentileCont(_ttfa(), fraction=0.9, output_field=DurationField())
    return aggregates


def _question_stats(period: Period, forum: Forum | None, by=None) -> dict:
    """key -> {questions, due, answered, median, p90}: one query on PostgreSQL, two where
    the percentiles are computed in Python (SQLite)."""
    queryset = _asked(period, forum)
    stats = {row["group_key"]: row for row in _grouped(queryset, by, **_question_aggregates())}
    if not _percentiles_in_sql():
        durations = _durations(queryset.filter(first_answer_at__isnull=False), by)
        for key, row in stats.items():
            row["median"] = percentile(durations[key], 0.5)
            row["p90"] = percentile(durations[key], 0.9)
    return stats


def _question_stats_by_month(window: Period, forum: Forum | None) -> dict:
    """First day of a month of `window` (whole months) -> its stats, as
    _question_stats(window, forum, _by_month("created_at")) gives them, but as one query
    of an aggregate per month (UNION ALL) on PostgreSQL: each month's percentiles then
    sort that month's times in memory, where grouping sorts the year's on disk."""
    if not _percentiles_in_sql():
        return _question_stats(window, forum, _by_month("created_at"))
    aggregates = _question_aggregates()
    first, *rest = [
        _asked(Period(month, month_end(month)), forum)
        .annotate(group_key=Value(month, output_field=DateField()))
        .values("group_key")
        .annotate(**aggregates)
        .order_by()
        for month in _months_of(window)
    ]
    return {row["group_key"]: row for row in first.union(*rest, all=True)}


def _months_of(window: Period) -> list[date]:
    """The first days of the months from window.start's to window.end's."""
    months, month = [], month_start(window.start)
    while month <= window.end:
        months.append(month)
        month = month_start(month, months=1)
    return months


# --- Putting figures together --------------------------------------------------------


def _of_kind(counts: Counter, *kinds: str) -> Counter:
    return Counter({key: n for key, n in counts.items() if key[0] in kinds})


def _deflected(counts: Counter, costs: dict[str, Decimal]) -> tuple[int, Decimal]:
    """Deflected contacts and their gross savings, from (kind, channel) counts."""
    deflections = _of_kind(counts, *DEFLECTION_KINDS).items()
    rows = [(n, costs.get(channel, DEFAULT_COST)) for (_kind, channel), n in deflections]
    return sum(n for n, _cost in rows), _cents(sum((n * cost for n, cost in rows), Decimal(0)))


def points_value(points: int, points_per_euro: int) -> Decimal:
    """Euros for points credited, to the cent (ROUND_HALF_UP; negative if reversals win)."""
    return _cents(Decimal(points) / Decimal(points_per_euro))


_NO_QUESTIONS = {"questions": 0, "due": 0, "answered": 0, "median": None, "p90": None}


def _response(stats: dict | None, counts: Counter) -> Response:
    stats = stats or _NO_QUESTIONS
    peer = _of_kind(counts, EventKind.PEER_SOLUTION).total()
    staff = _of_kind(counts, EventKind.STAFF_SOLUTION).total()
    return Response(
        questions=stats["questions"],
        due=stats["due"],
        answered_24h=stats["answered"],
        answer_rate=_rate(stats["answered"], stats["due"]),
        ttfa_median=stats["median"],
        ttfa_p90=stats["p90"],
        peer_solutions=peer,
        staff_solutions=staff,
        peer_share=_rate(peer, peer + staff),
    )


@dataclass(frozen=True)
class _Series:
    """Every figure of a grouped series, by key: up to five queries (one more on
    SQLite), whatever the number of keys."""

    events: dict
    points: dict
    questions: dict
    inputs: Inputs

    @classmethod
    def load(
        cls, period: Period, forum: Forum | None, by_field, inputs: Inputs, questions=None
    ) -> "_Series":
        """`by_field(time_field)` is the grouping expression for rows timed by that field;
        `questions`, the question stats by key when they are computed otherwise."""
        events = _event_counts(period, forum, inputs.events_through, by_field)
        if questions is None:
            questions = _question_stats(period, forum, by_field("created_at"))
        return cls(
            events={key: _counted(counts) for key, counts in events.items()},
            points=_points(period, forum, inputs.points_through, by_field),
            questions=questions,
            inputs=inputs,
        )

    def figures(self, key) -> dict:
        counts = self.events.get(key, Counter())
        deflected, gross = _deflected(counts, self.inputs.costs)
        value = points_value(self.points.get(key, 0), self.inputs.points_per_euro)
        return {
            "deflected": deflected,
            "gross_savings": gross,
            "points_value": value,
            "net_savings": gross - value,
            "response": _response(self.questions.get(key), counts),
        }


# --- The figures ---------------------------------------------------------------------


def summary(period: Period, *, forum: Forum | None = None, inputs: Inputs | None = None) -> Summary:
    """Deflected contacts by kind with their savings, points credited, net savings and
    the contact-page rate. Up to five queries, and Inputs.load's unless given."""
    inputs = inputs or Inputs.load()
    return _summary(period, forum, inputs, _event_counts(period, forum, inputs.events_through))


def _summary(period: Period, forum: Forum | None, inputs: Inputs, events: dict) -> Summary:
    costs, per_euro = inputs.costs, inputs.points_per_euro
    points = _points(period, forum, inputs.points_through).get(None, 0)
    counts, sources = _counted(events[None]), _sources(events[None])
    refused = refused_signals(period)
    kinds = []
    for kind in DEFLECTION_KINDS:
        count, savings = _deflected(_of_kind(counts, kind), costs)
        kinds.append(
            KindFigure(
                kind.value,
                str(kind.label),
                count,
                savings,
                by_members=sources[kind, True, False] if kind in PERSONAL_KINDS else 0,
                by_visitors=sources[kind, False, False] if kind in PERSONAL_KINDS else 0,
                refused=refused[kind],
                in_probation=sources[kind, True, True] + sources[kind, False, True],
            )
        )
    deflected, gross = _deflected(counts, costs)
    value = points_value(points, per_euro)
    contact_deflected = _of_kind(counts, EventKind.CONTACT_DEFLECTED).total()
    contact_submitted = _of_kind(counts, EventKind.CONTACT_SUBMITTED).total()
    return Summary(
        period=period,
        forum=forum,
        kinds=kinds,
        deflected=deflected,
        gross_savings=gross,
        points_credited=points,
        points_value=value,
        net_savings=gross - value,
        contact_deflected=contact_deflected,
        contact_submitted=contact_submitted,
        contact_rate=_rate(contact_deflected, contact_deflected + contact_submitted),
        costs=costs,
        community_channel=inputs.community_channel,
        points_per_euro=per_euro,
    )


def response(
    period: Period, *, forum: Forum | None = None, inputs: Inputs | None = None
) -> Response:
    """Up to three queries (four on SQLite), and Inputs.load's unless given."""
    inputs = inputs or Inputs.load()
    stats = _question_stats(period, forum).get(None)
    counts = _counted(_event_counts(period, forum, inputs.events_through)[None])
    return _response(stats, counts)


def summary_and_response(
    period: Period, *, forum: Forum | None = None, inputs: Inputs | None = None
) -> tuple[Summary, Response]:
    """Both figures of one period, counting its events once."""
    inputs = inputs or Inputs.load()
    events = _event_counts(period, forum, inputs.events_through)
    return _summary(period, forum, inputs, events), _response(
        _question_stats(period, forum).get(None), _counted(events[None])
    )


def months_window(period: Period, count: int = 12) -> Period:
    """The `count` calendar months ending with the month of period.end."""
    return Period(month_start(period.end, months=1 - count), month_end(period.end))


def months(
    period: Period,
    *,
    forum: Forum | None = None,
    count: int = 12,
    inputs: Inputs | None = None,
) -> list[MonthRow]:
    """The `count` calendar months ending with the month of period.end, oldest first;
    months without data have zeros. Up to five queries (one more on SQLite), and
    Inputs.load's unless given."""
    window = months_window(period, count)
    questions = _question_stats_by_month(window, forum)
    series = _Series.load(window, forum, _by_month, inputs or Inputs.load(), questions=questions)
    return [MonthRow(month=first, **series.figures(first)) for first in _months_of(window)]


def forums(period: Period, *, inputs: Inputs | None = None) -> list[ForumRow]:
    """Every forum, by position. Up to six queries (one more on SQLite), and
    Inputs.load's unless given."""
    series = _Series.load(period, None, lambda _time_field: F("forum_id"), inputs or Inputs.load())
    return [ForumRow(forum=forum, **series.figures(forum.pk)) for forum in Forum.objects.all()]


def worst_forums(
    period: Period, *, limit: int = 5, rows: list[ForumRow] | None = None
) -> list[ForumRow]:
    """Forums with questions due in the period, lowest answer rate first, then the one
    with most questions due. `rows`: the period's figures.forums, when already computed."""
    due = [row for row in (forums(period) if rows is None else rows) if row.response.due]
    due.sort(key=lambda row: (row.response.answer_rate, -row.response.due, row.forum.position))
    return due[:limit]


def _peers() -> QuerySet[User]:
    """Active members with no staff flag, admin rights or staff role (as insights.events
    decides a solution is not a peer's) who ever granted the leaderboards purpose: the
    authors whose answers can make a top contributor, usually few."""
    granted = ConsentRecord.objects.filter(purpose__key=LEADERBOARD_PURPOSE, granted=True)
    roles = User.groups.through.objects.filter(user_id=OuterRef("pk"))
    return User.objects.filter(
        ~Exists(roles),
        pk__in=granted.values("user_id"),
        is_active=True,
        is_staff=False,
        is_superuser=False,
    )


def top_contributors(
    period: Period, *, forum: Forum | None = None, limit: int = 10
) -> list[Contributor]:
    """Only members who consent now to be listed (leaderboards purpose). Peers whose
    answers the period's deflections credit, most deflections first, then most points
    credited in the period (in the forum, when one is given). Two queries: the
    deflections per author, then consent and points for those authors only (checked
    per author, not per event; the second is skipped when nobody is credited). The
    first looks only at the answers of _peers, and official answers never count."""
    credited = Event.objects.filter(
        _within(period, "occurred_at"),
        _of_forum(forum),
        kind__in=DEFLECTION_KINDS,
        probation=False,
        answer__is_official=False,
        answer__author__in=_peers().values("pk"),
    ).values("answer__author_id")
    counts = {
        row["answer__author_id"]: row
        for row in credited.annotate(
            deflections=Count("pk"),
            solutions=Count("pk", filter=Q(kind=EventKind.PEER_SOLUTION)),
        ).order_by()
    }
    points = (
        _credited(period, forum)
        .filter(account__user=OuterRef("pk"))
        .order_by()
        .values("account__user")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    listed = (
        User.objects.filter(pk__in=list(counts))
        .annotate(
            listed=consents_to(LEADERBOARD_PURPOSE, user_ref="pk"),
            points=Coalesce(Subquery(points, output_field=IntegerField()), 0),
        )
        .filter(listed=True)
        .values_list("pk", "display_name", "points")
    )
    rows = [
        Contributor(
            user_id=pk,
            display_name=name,
            profile_url=reverse("accounts:profile", args=[pk]),
            deflections=counts[pk]["deflections"],
            solutions=counts[pk]["solutions"],
            points=points_total,
        )
        for pk, name, points_total in listed
    ]
    rows.sort(key=lambda c: (-c.deflections, -c.points, c.user_id))
    return rows[:limit]


# Drill-down: the rows each number counts (querysets, paginated by the pages).


def events_list(
    period: Period, *, kind: str | None = None, forum: Forum | None = None, by: str = ""
) -> QuerySet[Event]:
    """Newest first; kind None = every deflection kind; "solution" = peer and staff;
    `by` "members" or "visitors" keeps what members or anonymous visitors said; only
    counted events, except with `by` "probation": those of accounts in probation."""
    if kind is None:
        kinds = DEFLECTION_KINDS
    elif kind == "solution":
        kinds = SOLUTION_KINDS
    elif kind in EventKind.values:
        kinds = (kind,)
    else:
        raise ValidationError({"kind": _("There is no such kind of event.")})
    said = {
        "members": Q(user__isnull=False, probation=False),
        "visitors": ~Q(visitor="") & Q(probation=False),
        "probation": Q(probation=True),
    }.get(by, Q(probation=False))
    return (
        Event.objects.filter(_within(period, "occurred_at"), _of_forum(forum), said, kind__in=kinds)
        .select_related("forum", "question", "answer", "answer__author", "user")
        .defer(
            *(f"question__{f}" for f in _DEFER_POST),
            *(f"answer__{f}" for f in _DEFER_POST),
        )
        .order_by("-occurred_at", "-pk")
    )


def questions_asked(
    period: Period, *, forum: Forum | None = None, answered_24h: bool | None = None
) -> QuerySet[Question]:
    """Visible questions asked in the period, annotated `ttfa` (timedelta or None);
    answered_24h True/False restricts to the due questions answered (or not) in time."""
    queryset = _asked(period, forum)
    if answered_24h is not None:
        in_time = _in_time()
        queryset = queryset.filter(_due(timezone.now()) & (in_time if answered_24h else ~in_time))
    return _question_rows(queryset.annotate(ttfa=_ttfa())).order_by("-created_at", "-pk")


def points_entries(period: Period, *, forum: Forum | None = None) -> QuerySet[LedgerEntry]:
    """The award and reversal entries the points value sums, newest first."""
    return (
        _credited(period, forum)
        .select_related("account", "account__user", "forum", "question", "answer", "reverses")
        .defer(
            *(f"question__{f}" for f in _DEFER_POST),
            *(f"answer__{f}" for f in _DEFER_POST),
        )
        .order_by("-created_at", "-pk")
    )


def _question_rows(queryset: QuerySet[Question]) -> QuerySet[Question]:
    return queryset.select_related("forum", "author").defer(*_DEFER_POST)


def _open(forum: Forum | None) -> QuerySet[Question]:
    return Question.objects.filter(_of_forum(forum), visibility=Visibility.VISIBLE, answer_count=0)


def unanswered(*, forum: Forum | None = None) -> QuerySet[Question]:
    """Visible questions without an answer now, oldest first (their age is now - created_at)."""
    return _question_rows(_open(forum)).order_by("created_at", "pk")


def escalated(*, forum: Forum | None = None) -> QuerySet[Question]:
    """Visible questions escalated and still unanswered, oldest escalation first."""
    return _question_rows(_open(forum).filter(escalated_at__isnull=False)).order_by(
        "escalated_at", "pk"
    )
