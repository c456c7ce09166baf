"""CSV downloads of the dashboard's tables and drill-down lists.

Streamed row by row (a list may hold a year of events); UTF-8 with a byte order mark so
that Excel reads it as UTF-8; a header row; dates and times in ISO 8601 in the reporting
time zone; amounts, rates and durations with a dot and two decimals whatever the
language of the page. A text cell that a spreadsheet would run as a formula (a title
starting with "=") is prefixed with an apostrophe."""

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import Question
from insights.figures import Contributor, ForumRow, MonthRow, Response, points_value
from insights.models import Channel, Event, EventKind
from insights.periods import Period, reporting_zone
from rewards.models import EntryKind, LedgerEntry, Rule

BOM = "\ufeff"
TWO_PLACES = Decimal("0.01")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000

Table = tuple[list[str], Iterable[Sequence]]
Link = Callable[[str], str]  # a path -> the absolute URL


class _Echo:
    """csv.writer writes each row here and gets the line back to yield."""

    def write(self, value: str) -> str:
        return value


def _url_of(link: Link, url_name: str) -> Callable[[int], str]:
    """The absolute URL of the object with a primary key, from one reverse() per export."""
    prefix = link(reverse(url_name, args=[0]))[: -len("0/")]
    return lambda pk: f"{prefix}{pk}/"


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal | float):
        return f"{Decimal(value).quantize(TWO_PLACES):f}"
    if isinstance(value, datetime):
        return timezone.localtime(value, reporting_zone()).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return cell(Decimal(value.total_seconds()) / 60)
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_response(*, name: str, period: Period, table: Table) -> StreamingHttpResponse:
    """`name` goes into the file name with the period: peerdesk-forums-2025-03-01_2025-03-31.csv"""
    header, rows = table
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield BOM + writer.writerow(header)
        for row in rows:
            yield writer.writerow([cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    filename = f"peerdesk-{name}-{period.start.isoformat()}_{period.end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _percent(rate: Decimal | None) -> Decimal | None:
    return None if rate is None else rate * 100


def _response_header() -> list[str]:
    return [
        _("Questions asked"),
        _("Questions at least 24 h old"),
        _("Answered within 24 h"),
        _("Answer rate within 24 h (%)"),
        _("Median time to first answer (minutes)"),
        _("90th percentile time to first answer (minutes)"),
        _("Peer solutions"),
        _("Staff solutions"),
        _("Peer share (%)"),
    ]


def _response_cells(response: Response) -> list:
    return [
        response.questions,
        response.due,
        response.answered_24h,
        _percent(response.answer_rate),
        response.ttfa_median,
        response.ttfa_p90,
        response.peer_solutions,
        response.staff_solutions,
        _percent(response.peer_share),
    ]


def _money_header() -> list[str]:
    return [
        _("Deflected contacts"),
        _("Gross savings (EUR)"),
        _("Value of points credited (EUR)"),
        _("Net savings (EUR)"),
    ]


def forums_table(rows: Sequence[ForumRow]) -> Table:
    header = [_("Forum"), *_money_header(), *_response_header()]
    return header, (
        [
            row.forum.name,
            row.deflected,
            row.gross_savings,
            row.points_value,
            row.net_savings,
            *_response_cells(row.response),
        ]
        for row in rows
    )


def months_table(rows: Sequence[MonthRow]) -> Table:
    header = [_("Month"), *_money_header(), *_response_header()]
    return header, (
        [
            row.month.strftime("%Y-%m"),
            row.deflected,
            row.gross_savings,
            row.points_value,
            row.net_savings,
            *_response_cells(row.response),
        ]
        for row in rows
    )


def contributors_table(rows: Sequence[Contributor], *, link: Link) -> Table:
    header = [
        _("Member"),
        _("Profile"),
        _("Deflected contacts credited"),
        _("Peer solutions"),
        _("Points credited"),
    ]
    return header, (
        [row.display_name, link(row.profile_url), row.deflections, row.solutions, row.points]
        for row in rows
    )


def events_table(events: QuerySet[Event], *, costs: dict[str, Decimal], link: Link) -> Table:
    """Never the visitor hash or the member: what happened, where, and what it saved."""
    header = [
        _("Kind"),
        _("Time"),
        _("Forum"),
        _("Question"),
        _("Question link"),
        _("Channel"),
        _("Cost per contact (EUR)"),
    ]
    # Labels and links resolved once per export: per row they cost most of its time.
    kinds, channels = dict(EventKind.choices), dict(Channel.choices)
    question_url = _url_of(link, "community:question")
    return header, (
        [
            kinds[event.kind],
            event.occurred_at,
            event.forum.name if event.forum else "",
            event.question.title if event.question else "",
            question_url(event.question_id) if event.question else "",
            channels[event.channel],
            costs[event.channel] if event.is_deflection else None,
        ]
        for event in events.iterator(chunk_size=CHUNK)
    )


def questions_table(questions: QuerySet[Question], *, link: Link) -> Table:
    now = timezone.now()
    header = [
        _("Question"),
        _("Link"),
        _("Forum"),
        _("Asked"),
        _("First answer"),
        _("Time to first answer (minutes)"),
        _("Escalated"),
        _("Age (minutes)"),
    ]
    question_url = _url_of(link, "community:question")
    return header, (
        [
            question.title,
            question_url(question.pk),
            question.forum.name,
            question.created_at,
            question.first_answer_at,
            question.first_answer_at - question.created_at if question.first_answer_at else None,
            question.escalated_at,
            now - question.created_at,
        ]
        for question in questions.iterator(chunk_size=CHUNK)
    )


def points_table(entries: QuerySet[LedgerEntry], *, points_per_euro: int, link: Link) -> Table:
    """Never who received the points: where they were earned and what they are worth."""
    header = [
        _("Time"),
        _("Kind"),
        _("Rule"),
        _("Forum"),
        _("Question"),
        _("Question link"),
        _("Points"),
        _("Value (EUR)"),
    ]
    kinds, rules = dict(EntryKind.choices), dict(Rule.choices)
    question_url = _url_of(link, "community:question")
    return header, (
        [
            entry.created_at,
            kinds[entry.kind],
            rules[entry.rule] if entry.rule else "",
            entry.forum.name if entry.forum else "",
            entry.question.title if entry.question else "",
            question_url(entry.question_id) if entry.question else "",
            entry.amount,
            points_value(entry.amount, points_per_euro),
        ]
        for entry in entries.iterator(chunk_size=CHUNK)
    )
