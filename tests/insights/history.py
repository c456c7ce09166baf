"""A known history for the insights tests (figures, API, pages): December 2023 to March
2024 in two forums, with every figure of January and February worked out by hand below.

Rows are written straight to the tables (questions, answers, events, ledger entries
through rewards.ledger), so the figures do not depend on how live signals are recorded.
Costs: phone 2.30, contact form 0.80, email and chat the default 1.50; the community
channel is phone; 100 points = EUR 1.

Events (B = Europe/Berlin):
  Dec 31 23:30 B  peer solution      Mobilfunk  Q0  A0 Petra  phone   (December)
  Jan  5          contact deflected  Internet   Q2  A2 Paul   form    visitor v1
  Jan  6          contact submitted  Internet                 form
  Jan  7          contact submitted  (no forum)               form
  Jan 10          peer solution      Mobilfunk  Q1  A1 Petra  phone
  Jan 15          staff solution     Mobilfunk  Q3  A3 Sue    phone   (not a deflection)
  Jan 16          solved too         Mobilfunk  Q3  A3 Sue    phone   member Mark
  Jan 20          peer solution      Internet   Q2  A2 Paul   phone
  Jan 31 23:30 B  solved too         Mobilfunk  Q1  A1 Petra  phone   member Mark (January)
  Feb  1 00:30 B  solved too         Mobilfunk  Q1  A1 Petra  phone   visitor v2 (February;
                                                                      Jan 31 23:30 UTC)
  Feb 10          peer solution      Mobilfunk  Q4  A4 Petra  phone
  Feb 12          contact deflected  Mobilfunk  Q1  A5 Paul   form    visitor v4
  Feb 15          contact submitted  Mobilfunk                form
  Feb 20          solved too         Internet   Q2  A2 Paul   email   member Mark
  Feb 29 23:30 B  staff solution     Internet   Q8  A7 Sue    phone   (February)
  Mar  1 00:00 B  peer solution      Internet   Q11 A6 Petra  phone   (March)

Ledger (award unless said; "bounty" and "payout" entries never count):
  Dec 31 23:30 B  Petra +50 Mobilfunk
  Jan 10  Petra +50 Mobilfunk   Jan 12  Petra +33 Mobilfunk   Jan 31 23:30 B  Petra +15 Mobilfunk
  Jan 20  Paul +50 Internet     Jan 22  Petra +40 bounty won (Mobilfunk)
  Feb 1 00:30 B  Petra +20 Mobilfunk   Feb 3  reversal of Paul's Jan 20 award (-50, Internet)
  Feb 5  Paul +10 Internet      Feb 10  Petra +50 Mobilfunk
  Feb 11  reversal of the bounty (-40)   Feb 25  Petra -100 payout

Questions (visible unless said; time to first answer in brackets; all long due):
  December: Q0 Mobilfunk Dec 31 23:30 B (1h)
  January:  Q1 Mobilfunk (30min), Q2 Internet (2h), Q3 Mobilfunk (5h), Q4 Mobilfunk (30h,
            escalated before), Q5 Internet Jan 31 23:30 B (10h), Q6 Mobilfunk (none, escalated),
            Q7 Mobilfunk hidden (1h, answer since removed)
  February: Q8 Internet Feb 1 00:30 B (1h), Q9 Mobilfunk (24h exactly), Q10 Mobilfunk
            Feb 29 23:30 B (48h), Q11 Internet (3h)
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from accounts import roles
from community.models import Answer, Forum, Question, Visibility
from insights.models import Channel, ChannelCost, Event, EventKind, InsightsSettings
from insights.periods import Period
from rewards.ledger import services as ledger
from rewards.models import EconomySettings, EntryKind, LedgerEntry, Rule
from tests.factories import ForumFactory, UserFactory
from tests.rewards.recognition_helpers import listed, unlisted

BERLIN = ZoneInfo("Europe/Berlin")
DECEMBER = Period(date(2023, 12, 1), date(2023, 12, 31))
JANUARY = Period(date(2024, 1, 1), date(2024, 1, 31))
FEBRUARY = Period(date(2024, 2, 1), date(2024, 2, 29))
MARCH = Period(date(2024, 3, 1), date(2024, 3, 31))
LEADERBOARDS = "leaderboards"
H = timedelta(hours=1)


def berlin(*args) -> datetime:
    """An aware datetime in Europe/Berlin: berlin(2024, 1, 31, 23, 30)."""
    return datetime(*args, tzinfo=BERLIN)


def euros(text: str) -> Decimal:
    return Decimal(text)


# What each figure must be, worked out by hand from the docstring's table.
EXPECTED = {
    JANUARY: {
        # peer 2 x 2.30, solved too 2 x 2.30 (Mark on Q3 and Q1), contact 1 x 0.80
        "kinds": {
            "peer_solution": (2, euros("4.60")),
            "solved_too": (2, euros("4.60")),
            "contact_deflected": (1, euros("0.80")),
            "widget_solved": (0, euros("0.00")),
        },
        "deflected": 5,
        "gross": euros("10.00"),
        "points": 148,  # 50 + 33 + 15 + 50
        "points_value": euros("1.48"),
        "net": euros("8.52"),
        "contact": (1, 2, Decimal("0.3333")),
        # Q1..Q6 due, in time Q1 Q2 Q3 Q5; ttfa 0.5 2 5 10 30 h: p90 10 + 0.6 x 20
        "response": (6, 6, 4, Decimal("0.6667"), 5 * H, 22 * H),
        "solutions": (2, 1, Decimal("0.6667")),
    },
    FEBRUARY: {
        # peer 1 x 2.30, solved too 2.30 (phone) + 1.50 (email), contact 1 x 0.80
        "kinds": {
            "peer_solution": (1, euros("2.30")),
            "solved_too": (2, euros("3.80")),
            "contact_deflected": (1, euros("0.80")),
            "widget_solved": (0, euros("0.00")),
        },
        "deflected": 4,
        "gross": euros("6.90"),
        "points": 30,  # 20 - 50 + 10 + 50
        "points_value": euros("0.30"),
        "net": euros("6.60"),
        "contact": (1, 1, Decimal("0.5000")),
        # in time Q8 Q9 Q11; ttfa 1 3 24 48 h: median (3 + 24) / 2, p90 24 + 0.7 x 24
        "response": (4, 4, 3, Decimal("0.7500"), 13.5 * H, 40.8 * H),
        "solutions": (1, 1, Decimal("0.5000")),
    },
}
# Per forum: deflected, gross, points value, net; questions, due, in time, rate, median, p90.
EXPECTED_FORUMS = {
    JANUARY: {
        "mobilfunk": (3, "6.90", "0.98", "5.92", (4, 4, 2, "0.5000", 5 * H, 25 * H)),
        "internet": (2, "3.10", "0.50", "2.60", (2, 2, 2, "1.0000", 6 * H, 9.2 * H)),
        "empty": (0, "0.00", "0.00", "0.00", (0, 0, 0, None, None, None)),
    },
    FEBRUARY: {
        "mobilfunk": (3, "5.40", "0.70", "4.70", (2, 2, 1, "0.5000", 36 * H, 45.6 * H)),
        "internet": (1, "1.50", "-0.40", "1.90", (2, 2, 2, "1.0000", 2 * H, 2.8 * H)),
        "empty": (0, "0.00", "0.00", "0.00", (0, 0, 0, None, None, None)),
    },
}
# Month -> deflected, gross, points value, net (the other months of a series are zero).
EXPECTED_MONTHS = {
    date(2023, 12, 1): (1, "2.30", "0.50", "1.80"),
    date(2024, 1, 1): (5, "10.00", "1.48", "8.52"),
    date(2024, 2, 1): (4, "6.90", "0.30", "6.60"),
    date(2024, 3, 1): (1, "2.30", "0.00", "2.30"),
}


@dataclass
class History:
    mobilfunk: Forum
    internet: Forum
    empty: Forum
    petra: object  # peer, listed on leaderboards
    paul: object  # peer, not listed
    sue: object  # support lead, official answers
    mark: object  # member who marks "solved too"
    questions: dict[str, Question] = field(default_factory=dict)
    answers: dict[str, Answer] = field(default_factory=dict)


_keys = count()


def question(forum, asked: datetime, ttfa: timedelta | None, **fields) -> Question:
    return Question.objects.create(
        forum=forum,
        author=fields.pop("author", None),
        title=f"Question asked {asked:%Y-%m-%d %H:%M}",
        body="Why?",
        body_html="<p>Why?</p>",
        created_at=asked,
        first_answer_at=asked + ttfa if ttfa is not None else None,
        answer_count=fields.pop("answer_count", 0 if ttfa is None else 1),
        **fields,
    )


def answer(q: Question, author, **fields) -> Answer:
    at = q.first_answer_at or q.created_at
    return Answer.objects.create(
        question=q,
        author=author,
        body="Because.",
        body_html="<p>Because.</p>",
        created_at=at,
        **fields,
    )


def event(kind: str, at: datetime, *, forum=None, answer=None, channel=Channel.PHONE, **fields):
    """An Event written directly, as insights.events would have written it."""
    question = answer.question if answer is not None else None
    prefix = "solution" if kind in (EventKind.PEER_SOLUTION, EventKind.STAFF_SOLUTION) else kind
    return Event.objects.create(
        kind=kind,
        key=f"{prefix}:test-{next(_keys)}",
        occurred_at=at,
        forum=forum,
        question=question,
        answer=answer,
        channel=channel,
        **fields,
    )


def entry(user, points: int, at: datetime, *, forum=None, kind=EntryKind.AWARD) -> LedgerEntry:
    with transaction.atomic():
        return ledger.entry_add(
            account=ledger.account_for(user),
            amount=points,
            kind=kind,
            rule=Rule.ANSWER_ACCEPTED if kind == EntryKind.AWARD else "",
            key=f"test:{next(_keys)}",
            forum_id=forum.pk if forum else None,
            created_at=at,
        )


def reversal(original: LedgerEntry, at: datetime) -> LedgerEntry:
    with transaction.atomic():
        written = ledger.entry_reverse(entry=original)
    LedgerEntry.objects.filter(pk=written.pk).update(created_at=at)
    return written


def costs_set() -> None:
    ChannelCost.objects.update_or_create(channel=Channel.PHONE, defaults={"cost": "2.30"})
    ChannelCost.objects.update_or_create(channel=Channel.CONTACT_FORM, defaults={"cost": "0.80"})
    for channel in (Channel.EMAIL, Channel.CHAT):
        ChannelCost.objects.update_or_create(channel=channel, defaults={"cost": "1.50"})
    InsightsSettings.objects.update_or_create(pk=1, defaults={"community_channel": Channel.PHONE})
    EconomySettings.objects.update_or_create(pk=1, defaults={"points_per_euro": 100})


def history_build() -> History:
    """The history of the module docstring. Needs the consent purposes (fixture)."""
    costs_set()
    h = History(
        mobilfunk=ForumFactory(name="Mobilfunk", slug="mobilfunk", position=0),
        internet=ForumFactory(name="Internet", slug="internet", position=1),
        empty=ForumFactory(name="Empty", slug="empty", position=2),
        petra=listed(UserFactory(display_name="Petra Peer")),
        paul=unlisted(UserFactory(display_name="Paul Peer")),
        sue=listed(UserFactory(display_name="Sue Support", role=roles.SUPPORT_LEADS)),
        mark=UserFactory(display_name="Mark Marker"),
    )
    m, i = h.mobilfunk, h.internet
    asker = UserFactory(display_name="Anna Asker")
    q = h.questions
    q["Q0"] = question(m, berlin(2023, 12, 31, 23, 30), H, author=asker)
    q["Q1"] = question(m, berlin(2024, 1, 8, 10), H / 2, author=asker)
    q["Q2"] = question(i, berlin(2024, 1, 3, 8), 2 * H, author=asker)
    q["Q3"] = question(m, berlin(2024, 1, 15, 12), 5 * H, author=asker)
    q["Q4"] = question(m, berlin(2024, 1, 20), 30 * H, escalated_at=berlin(2024, 1, 21))
    q["Q5"] = question(i, berlin(2024, 1, 31, 23, 30), 10 * H)
    q["Q6"] = question(m, berlin(2024, 1, 25), None, escalated_at=berlin(2024, 1, 26))
    q["Q7"] = question(m, berlin(2024, 1, 26), H, visibility=Visibility.HIDDEN, answer_count=0)
    q["Q8"] = question(i, berlin(2024, 2, 1, 0, 30), H)
    q["Q9"] = question(m, berlin(2024, 2, 10), 24 * H)
    q["Q10"] = question(m, berlin(2024, 2, 29, 23, 30), 48 * H)
    q["Q11"] = question(i, berlin(2024, 2, 14), 3 * H)

    a = h.answers
    a["A0"] = answer(q["Q0"], h.petra)
    a["A1"] = answer(q["Q1"], h.petra)
    a["A2"] = answer(q["Q2"], h.paul)
    a["A3"] = answer(q["Q3"], h.sue, is_official=True)
    a["A4"] = answer(q["Q4"], h.petra)
    a["A5"] = answer(q["Q1"], h.paul)
    a["A6"] = answer(q["Q11"], h.petra)
    a["A7"] = answer(q["Q8"], h.sue, is_official=True)

    K = EventKind
    event(K.PEER_SOLUTION, berlin(2023, 12, 31, 23, 30), forum=m, answer=a["A0"])
    event(K.CONTACT_DEFLECTED, berlin(2024, 1, 5), forum=i, answer=a["A2"],
          channel=Channel.CONTACT_FORM, visitor="v1")  # fmt: skip
    event(K.CONTACT_SUBMITTED, berlin(2024, 1, 6), forum=i, channel=Channel.CONTACT_FORM)
    event(K.CONTACT_SUBMITTED, berlin(2024, 1, 7), channel=Channel.CONTACT_FORM)
    event(K.PEER_SOLUTION, berlin(2024, 1, 10), forum=m, answer=a["A1"])
    event(K.STAFF_SOLUTION, berlin(2024, 1, 15), forum=m, answer=a["A3"])
    event(K.SOLVED_TOO, berlin(2024, 1, 16), forum=m, answer=a["A3"], user=h.mark)
    event(K.PEER_SOLUTION, berlin(2024, 1, 20), forum=i, answer=a["A2"])
    event(K.SOLVED_TOO, berlin(2024, 1, 31, 23, 30), forum=m, answer=a["A1"], user=h.mark)
    event(K.SOLVED_TOO, berlin(2024, 2, 1, 0, 30), forum=m, answer=a["A1"], visitor="v2")
    event(K.PEER_SOLUTION, berlin(2024, 2, 10), forum=m, answer=a["A4"])
    event(K.CONTACT_DEFLECTED, berlin(2024, 2, 12), forum=m, answer=a["A5"],
          channel=Channel.CONTACT_FORM, visitor="v4")  # fmt: skip
    event(K.CONTACT_SUBMITTED, berlin(2024, 2, 15), forum=m, channel=Channel.CONTACT_FORM)
    event(K.SOLVED_TOO, berlin(2024, 2, 20), forum=i, answer=a["A2"], channel=Channel.EMAIL,
          user=h.mark)  # fmt: skip
    event(K.STAFF_SOLUTION, berlin(2024, 2, 29, 23, 30), forum=i, answer=a["A7"])
    event(K.PEER_SOLUTION, berlin(2024, 3, 1), forum=i, answer=a["A6"])

    entry(h.petra, 50, berlin(2023, 12, 31, 23, 30), forum=m)
    entry(h.petra, 50, berlin(2024, 1, 10), forum=m)
    entry(h.petra, 33, berlin(2024, 1, 12), forum=m)
    entry(h.petra, 15, berlin(2024, 1, 31, 23, 30), forum=m)
    pauls = entry(h.paul, 50, berlin(2024, 1, 20), forum=i)
    bounty = entry(h.petra, 40, berlin(2024, 1, 22), forum=m, kind=EntryKind.BOUNTY_WON)
    entry(h.petra, 20, berlin(2024, 2, 1, 0, 30), forum=m)
    reversal(pauls, berlin(2024, 2, 3))
    entry(h.paul, 10, berlin(2024, 2, 5), forum=i)
    entry(h.petra, 50, berlin(2024, 2, 10), forum=m)
    reversal(bounty, berlin(2024, 2, 11))
    entry(h.petra, -100, berlin(2024, 2, 25), kind=EntryKind.SETTLEMENT)
    return h


@pytest.fixture(name="history")
def history_fixture(purposes) -> History:
    """Import `history_fixture` (and `purposes`) to use the fixture `history`."""
    return history_build()


# Days a rollup may run on over the history: what it sums up to the day before, and
# what stays live (2 February: the day after the history's 00:30 award and mark).
ROLLUP_DAYS = [
    date(2024, 1, 1),  # December rolled up
    date(2024, 2, 1),  # through 31 January: January rolled up, February live
    date(2024, 2, 2),  # through 1 February, the day of the 00:30 award and mark
    date(2024, 2, 10),  # February half rolled up, half live
    date(2024, 3, 1),
    None,  # through yesterday: everything rolled up
]
