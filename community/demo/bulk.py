"""Bulk data for benchmarks: members, questions, answers, comments, kudos and
"solved too" marks with realistic shapes, written in batches.

Rows bypass the services for speed (COPY on PostgreSQL, bulk_create elsewhere);
afterwards the counters are recomputed set-based and the search vectors built,
so the result is what the services would have produced. Scale 1 is about
1,000 members and 10,000 posts.
"""

import random
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import cache
from itertools import accumulate

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone
from tqdm import tqdm

from accounts import roles
from accounts.models import User
from community import search
from community.demo import phrases
from community.demo.counters import recount
from community.demo.people import DEMO_PASSWORD, FORUMS
from community.markdown import render_markdown
from community.models import Answer, Comment, Follow, Forum, Question, SolvedToo, Tag, Vote

MEMBERS_PER_SCALE = 1_000
QUESTIONS_PER_SCALE = 1_800
LONG_THREADS_PER_SCALE = 3  # "Sammelthreads" of 200 to 400 answers, at least one
UNANSWERED = 0.15
SOLVED_OF_ANSWERED = 0.7  # about 60 % of all questions end up solved
GERMAN = 0.65
OFFICIAL = 0.05  # share of answers written by staff
DAYS = 365
BATCH = 500  # questions per transaction


def _insert(model: type[models.Model], fields: tuple[str, ...], rows: list[tuple]) -> None:
    """COPY on PostgreSQL (2.7 times faster than bulk_create, measured), bulk_create elsewhere."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            (model(**dict(zip(fields, row, strict=True))) for row in rows), batch_size=BATCH
        )
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(field).column) for field in fields)
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


class Table:
    """Rows waiting to be written to one table."""

    def __init__(self, model: type[models.Model], *fields: str) -> None:
        self.model, self.fields, self.rows, self.total = model, fields, [], 0

    def add(self, *values) -> None:
        self.rows.append(values)

    def flush(self) -> None:
        _insert(self.model, self.fields, self.rows)
        self.total += len(self.rows)
        self.rows = []


@cache
def _html(markdown: str) -> str:
    """Rendered once per distinct text: bodies repeat, rendering is the slow part."""
    return render_markdown(markdown)


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


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
        self.tags = self._tags()
        self.next_question, self.next_answer = _next_id(Question), _next_id(Answer)
        self.questions = Table(
            Question, "id", "forum_id", "author_id", "title", "body", "body_html", "language",
            "status", "accepted_answer_id", "answer_count", "vote_score", "solved_too_count",
            "created_at", "last_activity_at",
        )  # fmt: skip
        self.question_tags = Table(Question.tags.through, "question_id", "tag_id")
        self.follows = Table(Follow, "user_id", "question_id", "created_at")
        self.answers = Table(
            Answer, "id", "question_id", "author_id", "body", "body_html", "is_official",
            "vote_score", "created_at",
        )  # fmt: skip
        self.comments = Table(Comment, "answer_id", "author_id", "body", "body_html", "created_at")
        self.votes = Table(Vote, "user_id", "question_id", "answer_id", "created_at")
        self.solved_too = Table(
            SolvedToo, "question_id", "answer_id", "user_id", "session_hash", "created_at"
        )
        self.tables = (
            self.questions, self.question_tags, self.follows, self.answers,
            self.comments, self.votes, self.solved_too,
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

    def _after(self, moment: datetime, *, hours: float) -> datetime:
        return min(self.now, moment + timedelta(hours=self.rng.expovariate(1 / hours)))

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
        self.questions.add(
            qid, forum.pk, asker, title, body, _html(body), language,
            "solved" if accepted else "open", accepted, 0, 0, 0, asked_at, asked_at,
        )  # fmt: skip
        for tag in rng.sample(self.tags.get(forum.slug, []), rng.randint(0, 3)):
            self.question_tags.add(qid, tag)
        self.follows.add(asker, qid, asked_at)
        for voter in self._voters(int(rng.expovariate(1 / 1.2)), besides=asker):
            self.votes.add(voter, qid, None, self._after(asked_at, hours=72))
        # Long threads collect answers over weeks, short ones within hours.
        moment, spacing = asked_at, 24.0 if long else 6.0
        for aid in answer_ids:
            moment = self._after(moment, hours=spacing)
            self._answer(aid, qid, language, asker, moment, accepted=aid == accepted)
        if accepted:
            self._solved_too(qid, accepted, besides=asker, since=moment)

    def _answer(
        self, aid: int, qid: int, language: str, asker: int, at: datetime, *, accepted: bool
    ) -> None:
        rng = self.rng
        if self.staff and rng.random() < OFFICIAL:
            author, official = rng.choice(self.staff), True
            body = rng.choice(phrases.OFFICIAL_BODIES[language])
        else:
            author, official = self._member(besides=asker), False
            body = rng.choice(phrases.ANSWER_BODIES[language])
        self.answers.add(aid, qid, author, body, _html(body), official, 0, at)
        kudos = int(rng.expovariate(1 / 1.0)) + (rng.randint(2, 6) if accepted else 0)
        for voter in self._voters(kudos, besides=author):
            self.votes.add(voter, None, aid, self._after(at, hours=48))
        if rng.random() < 0.25:
            for _comment in range(rng.randint(1, 3)):
                text = rng.choice(phrases.COMMENTS[language])
                commenter = asker if rng.random() < 0.4 else self._member()
                self.comments.add(aid, commenter, text, _html(text), self._after(at, hours=4))

    def _solved_too(self, qid: int, accepted: int, *, besides: int, since: datetime) -> None:
        """Marks by members (once each) and, more often, by anonymous visitors."""
        rng = self.rng
        marks = int(rng.expovariate(1 / 2.5))
        members = self._voters(round(marks * 0.4), besides=besides)
        for member in members:
            self.solved_too.add(
                qid, accepted, member, "", since + (self.now - since) * rng.random()
            )
        for _visitor in range(marks - len(members)):
            session_hash = f"{rng.getrandbits(256):064x}"
            self.solved_too.add(
                qid, accepted, None, session_hash, since + (self.now - since) * rng.random()
            )

    def counts(self) -> dict[str, int]:
        return {
            "members": len(self.members),
            "questions": self.questions.total,
            "answers": self.answers.total,
            "comments": self.comments.total,
            "kudos": self.votes.total,
            "solved-too marks": self.solved_too.total,
        }


def generate(
    *, scale: float, progress: bool = True, log: Callable[[str], object] = print, seed: int = 1
) -> dict[str, int]:
    """Adds generated data to the demo forums; returns how many rows of each kind."""
    generator = Generator(scale=scale, now=timezone.now(), rng=random.Random(seed))
    first_question = generator.next_question
    with _timed("Rows written", log):
        generator.run(progress=progress)
        _reset_sequences((User, Question, Answer))
        # Without fresh statistics the planner scans whole tables in the recount's subqueries.
        _analyze()
    with _timed("Counters recomputed", log), transaction.atomic():
        recount()
    with _timed("Search vectors built", log):
        search.index_questions(Question.objects.filter(pk__gte=first_question))
    with _timed("Vacuumed and analysed", log):
        _analyze(vacuum=True)
    return generator.counts()


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
