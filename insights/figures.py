"""Every figure of the dashboard and of /api/v1/insights/summary/, from set-based SQL.

INTERFACE AGREED BETWEEN HELPERS (helper "figures" implements, helper "pages" uses).
All periods are insights.periods.Period (dates in settings.TIME_ZONE, both inclusive).
Money is Decimal rounded to the cent (ROUND_HALF_UP); rates are Decimal 0..1 or None
when there is nothing to divide; durations are timedelta or None.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import QuerySet

from community.models import Forum, Question
from insights.models import Event
from insights.periods import Period
from rewards.models import LedgerEntry


@dataclass(frozen=True)
class KindFigure:
    kind: str  # an EventKind value of DEFLECTION_KINDS
    label: str
    count: int
    savings: Decimal  # count x the cost of each event's channel


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


def summary(period: Period, *, forum: Forum | None = None) -> Summary:
    raise NotImplementedError


def response(period: Period, *, forum: Forum | None = None) -> Response:
    raise NotImplementedError


def months(period: Period, *, forum: Forum | None = None, count: int = 12) -> list[MonthRow]:
    """The `count` calendar months ending with the month of period.end, oldest first."""
    raise NotImplementedError


def forums(period: Period) -> list[ForumRow]:
    """Every forum, by position."""
    raise NotImplementedError


def worst_forums(period: Period, *, limit: int = 5) -> list[ForumRow]:
    """Forums with questions due in the period, lowest answer rate first."""
    raise NotImplementedError


def top_contributors(
    period: Period, *, forum: Forum | None = None, limit: int = 10
) -> list[Contributor]:
    """Only members who consent now to be listed (leaderboards purpose)."""
    raise NotImplementedError


# Drill-down: the rows each number counts (querysets, paginated by the pages).


def events_list(
    period: Period, *, kind: str | None = None, forum: Forum | None = None
) -> QuerySet[Event]:
    """Newest first; kind None = every deflection kind; "solution" = peer and staff."""
    raise NotImplementedError


def questions_asked(
    period: Period, *, forum: Forum | None = None, answered_24h: bool | None = None
) -> QuerySet[Question]:
    """Visible questions asked in the period, annotated `ttfa` (timedelta or None);
    answered_24h True/False restricts to the due questions answered (or not) in time."""
    raise NotImplementedError


def points_entries(period: Period, *, forum: Forum | None = None) -> QuerySet[LedgerEntry]:
    """The award and reversal entries the points value sums, newest first."""
    raise NotImplementedError


def unanswered(*, forum: Forum | None = None) -> QuerySet[Question]:
    """Visible questions without an answer now, oldest first (their age is now - created_at)."""
    raise NotImplementedError


def escalated(*, forum: Forum | None = None) -> QuerySet[Question]:
    """Visible questions escalated and still unanswered, oldest escalation first."""
    raise NotImplementedError
