"""Bulk data for benchmarks: members, questions, answers, comments, kudos and
"solved too" marks with realistic shapes, written in batches, with the points they
earned and a year of deflection events (solutions, marks, contact-page visits).

Rows bypass the services for speed (COPY on PostgreSQL, bulk_create elsewhere);
afterwards the counters, balances and tallies are recomputed set-based and the search
vectors built, so the result is what the services would have produced. Scale 1 is
about 1,000 members and 10,000 posts.
"""

import random
import time
from bisect import bisect
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import cache
from itertools import accumulate
from typing import NamedTuple

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import F, Func, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce, Sign
from django.utils import timezone
from tqdm import tqdm

from accounts import roles
from accounts.models import User
from community import search
from community.markdown import render_markdown
from community.models import Answer, Comment, Follow, Forum, Question, SolvedToo, Tag, Vote
from core import sql
from demo import phrases
from demo.counters import recount
from demo.people import DEMO_PASSWORD, FORUMS
from insights.backfill import events_backfill
from insights.models import Channel, Event, EventKind, InsightsSettings
from insights.rollups import events_rollup_rebuild, points_rollup_rebuild
from rewards.ledger import services as ledger
from rewards.models import (
    EARNING_KINDS,
    EconomySettings,
    EntryKind,
    LedgerEntry,
    PointRule,
    PointsAccount,
    PointsTally,
    Rule,
)

MEMBERS_PER_SCALE = 1_000
QUESTIONS_PER_SCALE = 1_800
LONG_THREADS_PER_SCALE = 3  # "Sammelthreads" of 200 to 400 answers, at least one
UNANSWERED = 0.15
SOLVED_OF_ANSWERED = 0.7  # about 60 % of all questions end up solved
GERMAN = 0.65
OFFICIAL = 0.05  # share of answers written by staff
DAYS = 365
BATCH = 500  # questions per transaction
REVERSED = 0.004  # share of awards taken back in fraud review
FAST = timedelta(hours=1)  # a first answer this fast earns points (rewards.services)
EVENT_FIELDS = (
    "kind", "key", "occurred_at", "forum_id", "question_id", "answer_id", "channel", "user_id",
    "visitor",
)  # fmt: skip
# The leaderboard tallies of the generated accounts (none yet): overall and per forum, all
# time and per month; a reversal counts in the month and forum of what it undoes.
TALLIES = """
    INSERT INTO {tally} (user_id, scope, period, points)
    SELECT a.user_id,
        CASE WHEN GROUPING(t.forum) = 1 THEN %(overall)s ELSE t.forum END,
        CASE WHEN GROUPING(t.month) = 1 THEN %(all)s ELSE t.month END,
        SUM(t.amount)
    FROM (
        SELECT e.account_id, e.amount, COALESCE(o.forum_id, e.forum_id) AS forum,
            to_char(COALESCE(o.created_at, e.created_at) AT TIME ZONE %(zone)s, 'YYYY-MM')
                AS month
        FROM {entry} e LEFT JOIN {entry} o ON o.id = e.reverses_id
        WHERE e.account_id >= %(first)s
            AND (e.kind = ANY(%(earning)s) OR o.kind = ANY(%(earning)s))
    ) t
    JOIN {account} a ON a.id = t.account_id
    WHERE a.user_id IS NOT NULL
    GROUP BY GROUPING SETS (
        (a.user_id), (a.user_id, t.month), (a.user_id, t.forum), (a.user_id, t.forum, t.month)
    )
    HAVING GROUPING(t.forum) = 1 OR t.forum IS NOT NULL
"""
# Contact-page visits per peer solution: ended on a suggested answer, or sent to support.
CONTACT_DEFLECTED, CONTACT_SUBMITTED = 1.5, 1.0
# "This solved my problem" in the answers widget of the brand's help centre, per solution.
WIDGET_SOLVED = 0.4


class Table:
    """Rows waiting to be written to one table."""

    def __init__(self, model: type[models.Model], *fields: str) -> None:
        self.model, self.fields, self.rows, self.total = model, fields, [], 0

    def add(self, *values) -> None:
        self.rows.append(values)

    def flush(self) -> None:
        sql.insert_rows(self.model, self.fields, self.rows)
        self.total += len(self.rows)
        self.rows = []


@cache
def _html(markdown: str) -> str:
    """Rendered once per distinct text: bodies repeat, rendering is the slow part."""
    return render_markdown(markdown)


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


class _Thread(NamedTuple):
    qid: int
    forum: int
    asker: int
    language: str
    asked_at: datetime


class Points:
    """Award entries as rewards.services would have written them when their cause
    happened (same keys, rules and holding period), a few reversed in fraud review.
    Staff earn nothing; the daily cap on points from votes is not applied."""

    def __init__(self, *, rng: random.Random, now: datetime, staff: set[int]) -> None:
        self.rng, self.now, self.staff = rng, now, staff
        self.rules = dict(PointRule.objects.filter(active=True).values_list("rule", "points"))
        self.holding = timedelta(days=EconomySettings.load().holding_days)
        self.first_account = _next_id(PointsAccount)
        self.first_member = 0
        self.next_entry = _next_id(LedgerEntry)
        self.accounts = Table(
            PointsAccount, "id", "user_id", "pseudonym", "balance", "lifetime_points",
            "accepted_count", "kudos_count", "solved_too_count", "updated_at",
        )  # fmt: skip
        self.entries = Table(
            LedgerEntry, "id", "account_id", "amount", "kind", "rule", "key", "reverses_id",
            "available_at", "created_at", "forum_id", "question_id", "answer_id", "note",
        )  # fmt: skip

    def accounts_create(self, members: list[int]) -> None:
        """One empty account per member (ids consecutive, like the members'): the entries
        of every batch refer to them; balances are recounted at the end."""
        self.first_member = members[0]
        for number, member in enumerate(members):
            self.accounts.add(self.first_account + number, member, "", 0, 0, 0, 0, 0, self.now)
        self.accounts.flush()

    def award(
        self, member: int, rule: Rule, key: str, at: datetime, thread: _Thread,
        answer: int | None = None,
    ) -> None:  # fmt: skip
        points = self.rules.get(rule)
        if not points or member in self.staff:
            return
        account = self.first_account + member - self.first_member
        entry, available = self.next_entry, at + self.holding
        cause = (thread.forum, thread.qid, answer)
        self.entries.add(
            entry, account, points, EntryKind.AWARD, rule, key, None, available, at, *cause, ""
        )
        self.next_entry += 1
        if self.rng.random() < REVERSED:
            undone = min(self.now, at + timedelta(days=self.rng.uniform(1, 14)))
            self.entries.add(
                self.next_entry, account, -points, EntryKind.REVERSAL, rule, f"reversal:{key}",
                entry, available, undone, *cause, "Confirmed in fraud review.",
            )  # fmt: skip
            self.next_entry += 1

    def recount(self) -> None:
        """Balances and milestone counters of the generated accounts from their entries,
        then every leaderboard tally. Their entries are all earned: lifetime = balance."""
        entries = LedgerEntry.objects.filter(account=OuterRef("pk")).order_by()

        def total(value, **only) -> Coalesce:
            rows = entries.filter(**only).annotate(n=Func(value, function="SUM")).values("n")
            return Coalesce(Subquery(rows), 0)

        PointsAccount.objects.filter(pk__gte=self.first_account).update(
            balance=total(F("amount")),
            lifetime_points=total(F("amount")),
            accepted_count=total(Sign("amount"), rule=Rule.ANSWER_ACCEPTED),
            kudos_count=total(Sign("amount"), rule=Rule.KUDOS_RECEIVED),
            solved_too_count=total(Sign("amount"), rule=Rule.SOLVED_TOO_RECEIVED),
        )
        if connection.vendor != "postgresql":
            ledger.tallies_rebuild()
            return
        # ledger.tallies_rebuild's rules in one statement: it builds every row in Python,
        # 40 s for the 444,000 tallies of scale 50 (this takes a few seconds).
        earning = [str(kind) for kind in EARNING_KINDS]
        with connection.cursor() as cursor:
            cursor.execute(
                TALLIES.format(
                    tally=PointsTally._meta.db_table,
                    entry=LedgerEntry._meta.db_table,
                    account=PointsAccount._meta.db_table,
                ),
                {
                    "first": self.first_account,
                    "zone": timezone.get_current_timezone_name(),
                    "earning": earning,
                    "all": PointsTally.ALL_TIME,
                    "overall": PointsTally.OVERALL,
                },
            )


class Generator:
    """Plans the data for a scale and writes it; ids are assigned here, not by the database."""

    def __init__(self, *, scale: float, now: datetime, rng: random.Random) -> None:
        self.now, self.rng = now, rng
        self.n_members = max(2, round(MEMBERS_PER_SCALE * scale))
        self.n_questions = max(1, round(QUESTIONS_PER_SCALE * scale))
        self.long_threads = set(
            rng.sample(
                range(self.n_questions),
                min(self.n_questions, max(1, round(LONG_THREADS_PER_SCALE * scale))),
            )
        )
        forums = {forum.slug: forum for forum in Forum.objects.all()}
        weights = {spec.slug: spec.weight for spec in FORUMS}
        self.forums = list(forums.values())
        self.forum_weights = list(accumulate(weights.get(slug, 0.05) for slug in forums))
        self.members: list[int] = []
        # A few members write most answers, as in every community.
        self.member_weights = list(
            accumulate(1 / (rank + 1) ** 0.9 for rank in range(self.n_members))
        )
        leads = User.objects.filter(groups__name=roles.SUPPORT_LEADS)
        self.staff = list(leads.values_list("pk", flat=True))
        self.points = Points(rng=rng, now=now, staff=set(self.staff))
        # (time, question, forum, accepted answer) of each solution; how many by peers.
        self.solutions: list[tuple[datetime, int, int, int]] = []
        self.peer_solutions = 0
        self.tags = self._tags()
        self.next_question, self.next_answer = _next_id(Question), _next_id(Answer)
        self.next_vote, self.next_mark = _next_id(Vote), _next_id(SolvedToo)
        self.questions = Table(
            Question, "id", "forum_id", "author_id", "title", "body", "body_html", "language",
            "status", "accepted_answer_id", "answer_count", "vote_score", "solved_too_count",
            "created_at", "last_activity_at", "first_answer_at",
        )  # fmt: skip
        self.question_tags = Table(Question.tags.through, "question_id", "tag_id")
        self.follows = Table(Follow, "user_id", "question_id", "created_at")
        self.answers = Table(
            Answer, "id", "question_id", "author_id", "body", "body_html", "is_official",
            "vote_score", "created_at",
        )  # fmt: skip
        self.comments = Table(Comment, "answer_id", "author_id", "body", "body_html", "created_at")
        self.votes = Table(Vote, "id", "user_id", "question_id", "answer_id", "created_at")
        self.solved_too = Table(
            SolvedToo, "id", "question_id", "answer_id", "user_id", "session_hash", "created_at"
        )
        self.tables = (
            self.questions, self.question_tags, self.follows, self.answers,
            self.comments, self.votes, self.solved_too, self.points.entries,
        )  # fmt: skip

    def _members_create(self) -> list[int]:
        first = _next_id(User)
        ids = list(range(first, first + self.n_members))
        password = make_password(DEMO_PASSWORD)
        users = Table(
            User, "id", "email", "display_name", "password", "is_superuser", "is_staff",
            "is_active", "date_joined",
        )  # fmt: skip
        addresses = Table(EmailAddress, "user_id", "email", "verified", "primary")
        for pk in ids:
            email = f"member{pk}@example.net"
            joined = self._moment(days=2 * DAYS)
            users.add(pk, email, self._display_name(pk), password, False, False, True, joined)
            addresses.add(pk, email, True, True)
        users.flush()
        addresses.flush()
        self.points.accounts_create(ids)
        return ids

    def _display_name(self, pk: int) -> str:
        first, last = self.rng.choice(phrases.FIRST_NAMES), self.rng.choice(phrases.LAST_NAMES)
        return self.rng.choice((f"{first}_{last[0]}{pk}", f"{first}{pk}", f"{first}.{last}{pk}"))

    @staticmethod
    def _tags() -> dict[str, list[int]]:
        names = {name for names in phrases.TAGS.values() for name in names}
        Tag.objects.bulk_create([Tag(name=name) for name in names], ignore_conflicts=True)
        ids = dict(Tag.objects.filter(name__in=names).values_list("name", "id"))
        return {forum: [ids[name] for name in names] for forum, names in phrases.TAGS.items()}

    def _moment(self, *, days: float) -> datetime:
        """A time in the last `days`, more of them recent: communities grow."""
        return self.now - timedelta(days=days * self.rng.random() ** 1.6)

    def _later(self, moment: datetime, *, hours: float) -> datetime:
        return moment + timedelta(hours=self.rng.expovariate(1 / hours))

    def _after(self, moment: datetime, *, hours: float) -> datetime:
        return min(self.now, self._later(moment, hours=hours))

    def _member(self, *, besides: int | None = None) -> int:
        member = self.rng.choices(self.members, cum_weights=self.member_weights)[0]
        return self.rng.choice(self.members) if member == besides else member

    def _voters(self, count: int, *, besides: int | None) -> list[int]:
        picked = self.rng.sample(self.members, min(count, len(self.members)))
        return [member for member in picked if member != besides]

    def run(self, *, progress: bool) -> None:
        self.members = self._members_create()
        with tqdm(total=self.n_questions, unit="q", disable=not progress) as bar:
            for start in range(0, self.n_questions, BATCH):
                numbers = range(start, min(start + BATCH, self.n_questions))
                with transaction.atomic():
                    for number in numbers:
                        self._question(long=number in self.long_threads)
                    for table in self.tables:
                        table.flush()
                bar.update(len(numbers))

    def _question(self, *, long: bool) -> None:
        rng = self.rng
        qid, self.next_question = self.next_question, self.next_question + 1
        forum = rng.choices(self.forums, cum_weights=self.forum_weights)[0]
        language = "de" if rng.random() < GERMAN else "en"
        topics = phrases.TOPICS.get(forum.slug, phrases.TOPICS["community-treff"])[language]
        topic = rng.choice(topics)
        title = f"{topic} {rng.choice(phrases.CONTEXTS[language])}"
        body = rng.choice(phrases.QUESTION_BODIES[language]).format(topic=topic)
        asker = rng.choice(self.members)
        asked_at = self._moment(days=DAYS)
        thread = _Thread(qid, forum.pk, asker, language, asked_at)
        if long:
            n_answers = rng.randint(200, 400)
        elif rng.random() < UNANSWERED:
            n_answers = 0
        else:
            n_answers = 1 + int(rng.expovariate(1 / 2.6))
        answer_ids = list(range(self.next_answer, self.next_answer + n_answers))
        self.next_answer += n_answers
        accepted = None
        if answer_ids and rng.random() < SOLVED_OF_ANSWERED:
            accepted = rng.choice(answer_ids[:3])
        for tag in rng.sample(self.tags.get(forum.slug, []), rng.randint(0, 3)):
            self.question_tags.add(qid, tag)
        self.follows.add(asker, qid, asked_at)
        for voter in self._voters(int(rng.expovariate(1 / 1.2)), besides=asker):
            self._kudos(voter, thread, self._later(asked_at, hours=72), author=asker)
        # Long threads collect answers over weeks, short ones within hours.
        moment, spacing, first_answer_at, credited = asked_at, 24.0 if long else 6.0, None, 0
        for aid in answer_ids:
            moment = self._after(moment, hours=spacing)
            author = self._answer(aid, thread, moment, accepted=aid == accepted)
            if first_answer_at is None:
                first_answer_at = moment
                if moment - asked_at <= FAST:
                    key = f"first-answer:{qid}"
                    self.points.award(author, Rule.FIRST_ANSWER_FAST, key, moment, thread, aid)
            if aid == accepted:
                self._solution(thread, aid, author, moment)
                credited = author
        if accepted:
            self._solved_too(thread, accepted, credited=credited, since=moment)
        self.questions.add(
            qid, forum.pk, asker, title, body, _html(body), language,
            "solved" if accepted else "open", accepted, 0, 0, 0, asked_at, asked_at,
            first_answer_at,
        )  # fmt: skip

    def _answer(self, aid: int, thread: _Thread, at: datetime, *, accepted: bool) -> int:
        """Returns the author."""
        rng, language = self.rng, thread.language
        if self.staff and rng.random() < OFFICIAL:
            author, official = rng.choice(self.staff), True
            body = rng.choice(phrases.OFFICIAL_BODIES[language])
        else:
            author, official = self._member(besides=thread.asker), False
            body = rng.choice(phrases.ANSWER_BODIES[language])
        self.answers.add(aid, thread.qid, author, body, _html(body), official, 0, at)
        kudos = int(rng.expovariate(1 / 1.0)) + (rng.randint(2, 6) if accepted else 0)
        for voter in self._voters(kudos, besides=author):
            self._kudos(voter, thread, self._later(at, hours=48), author=author, answer=aid)
        if rng.random() < 0.25:
            for _comment in range(rng.randint(1, 3)):
                text = rng.choice(phrases.COMMENTS[language])
                commenter = thread.asker if rng.random() < 0.4 else self._member()
                self.comments.add(aid, commenter, text, _html(text), self._after(at, hours=4))
        return author

    def _kudos(
        self, voter: int, thread: _Thread, at: datetime, *, author: int, answer: int | None = None
    ) -> None:
        """Kudos that would come after now are not given yet: piled up at "now", they
        made today six times as busy as the day before."""
        if at > self.now:
            return
        vote, self.next_vote = self.next_vote, self.next_vote + 1
        self.votes.add(vote, voter, None if answer else thread.qid, answer, at)
        self.points.award(author, Rule.KUDOS_RECEIVED, f"kudos:{vote}", at, thread, answer)

    def _solution(self, thread: _Thread, aid: int, author: int, at: datetime) -> None:
        """The asker accepts: both earn points at the time the deflection events take for
        it (insights.backfill: the accepted answer's time)."""
        self.solutions.append((at, thread.qid, thread.forum, aid))
        self.peer_solutions += author not in self.points.staff
        key = f"{aid}:0"  # rewards.services: the answer and the question's version
        self.points.award(author, Rule.ANSWER_ACCEPTED, f"accepted:{key}", at, thread, aid)
        self.points.award(thread.asker, Rule.ACCEPTED_BY_ASKER, f"accepter:{key}", at, thread, aid)

    def _solved_too(
        self, thread: _Thread, accepted: int, *, credited: int, since: datetime
    ) -> None:
        """Marks by members (once each) and, more often, by anonymous visitors; members'
        marks earn the accepted answer's author points."""
        rng = self.rng
        marks = int(rng.expovariate(1 / 2.5))
        members = self._voters(round(marks * 0.4), besides=thread.asker)
        visitors = [f"{rng.getrandbits(256):064x}" for _visitor in range(marks - len(members))]
        for member in [*members, *visitors]:
            mark, self.next_mark = self.next_mark, self.next_mark + 1
            at = since + (self.now - since) * rng.random()
            if isinstance(member, int):
                self.solved_too.add(mark, thread.qid, accepted, member, "", at)
                key = f"solved-too:{mark}"
                self.points.award(credited, Rule.SOLVED_TOO_RECEIVED, key, at, thread, accepted)
            else:
                self.solved_too.add(mark, thread.qid, accepted, None, member, at)

    def contact_visits(self) -> int:
        """Contact-page visits over the year, in proportion to the peer solutions: those
        that ended on the answer of a question solved by then, and those sent on to
        support; and the answers widget's "solved my problem" on such answers. Each
        visitor's daily hash is new (none repeats a question)."""
        rng, events = self.rng, Table(Event, *EVENT_FIELDS)
        community_channel = InsightsSettings.load().community_channel  # as the widget's
        self.solutions.sort()
        solved_by = [solution[0] for solution in self.solutions]
        deflected = round(self.peer_solutions * CONTACT_DEFLECTED)
        submitted = round(self.peer_solutions * CONTACT_SUBMITTED)
        widget = round(self.peer_solutions * WIDGET_SOLVED)
        for number in range(deflected + submitted + widget):
            at, kind = self._moment(days=DAYS), EventKind.CONTACT_DEFLECTED
            if deflected <= number < deflected + submitted:
                kind, question, answer = EventKind.CONTACT_SUBMITTED, None, None
                forum = rng.choices(self.forums, cum_weights=self.forum_weights)[0].pk
            elif solved := bisect(solved_by, at):
                _at, question, forum, answer = self.solutions[rng.randrange(solved)]
            else:
                continue
            key, visitor = f"contact:{rng.getrandbits(128):032x}", f"{rng.getrandbits(256):064x}"
            channel = Channel.CONTACT_FORM
            if number >= deflected + submitted:
                kind, key = EventKind.WIDGET_SOLVED, f"widget:{question}:{visitor[:32]}"
                channel = community_channel
            events.add(kind, key, at, forum, question, answer, channel, None, visitor)
            if len(events.rows) >= BATCH * 10:
                events.flush()
        events.flush()
        return events.total

    def counts(self) -> dict[str, int]:
        return {
            "members": len(self.members),
            "questions": self.questions.total,
            "answers": self.answers.total,
            "comments": self.comments.total,
            "kudos": self.votes.total,
            "solved-too marks": self.solved_too.total,
            "ledger entries": self.points.entries.total,
        }


def generate(
    *, scale: float, progress: bool = True, log: Callable[[str], object] = print, seed: int = 1
) -> dict[str, int]:
    """Adds generated data to the demo forums; returns how many rows of each kind."""
    generator = Generator(scale=scale, now=timezone.now(), rng=random.Random(seed))
    first_question = generator.next_question
    with _timed("Rows written", log):
        generator.run(progress=progress)
        _reset_sequences((User, Question, Answer, Vote, SolvedToo, PointsAccount, LedgerEntry))
        # Without fresh statistics the planner scans whole tables in the recount's subqueries.
        _analyze()
    with _timed("Counters recomputed", log), transaction.atomic():
        recount()
    with _timed("Deflection events written", log), transaction.atomic():
        counts = {"events from solutions and marks": events_backfill(apps)}
        counts["contact-page visits"] = generator.contact_visits()
    with _timed("Points balances and tallies recomputed", log), transaction.atomic():
        generator.points.recount()
    with _timed("Points and events rolled up", log):
        points_rollup_rebuild()
        events_rollup_rebuild()
    with _timed("Search index built", log):
        search.index_questions(Question.objects.filter(pk__gte=first_question))
    with _timed("Vacuumed and analysed", log):
        _analyze(vacuum=True)
    return generator.counts() | counts


@contextmanager
def _timed(what: str, log: Callable[[str], object]):
    started = time.monotonic()
    yield
    log(f"{what} in {time.monotonic() - started:.1f} s.")


def _analyze(*, vacuum: bool = False) -> None:
    """Fresh planner statistics; VACUUM also sets the visibility map, so counts can use
    index-only scans at once instead of waiting for autovacuum (not possible in a transaction)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            vacuum = vacuum and not connection.in_atomic_block
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


def _reset_sequences(model_list: Iterable[type[models.Model]]) -> None:
    """Ids were assigned here, so move the id sequences past them."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(model_list)):
            cursor.execute(sql)
