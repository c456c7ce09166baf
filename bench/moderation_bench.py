"""Time the review queue, flagging, the forum followers' fan-out, notification email and
the notification list at scale.

    uv run --frozen python bench/moderation_bench.py [--scale 20] [--cases 20000]
        [--flags 100000] [--followers 20000] [--notifications 5000] [--reuse]

Creates the database peerdesk_modbench (--database) on the machine's PostgreSQL
(postgres@127.0.0.1:5432), seeds `seed_demo --scale N`, then adds with INSERT ... SELECT:
open cases with their flags, followers of the biggest forum (some with email or digest
preferences and consent) and notifications of one member. Uses Redis (--redis, emptied
first and last) as cache, sessions and Celery broker, as production does: tasks are
queued there, not run; the bench calls the send tasks itself, with the locmem email
backend. Pages go through Django's test client, with DEBUG off (bench.settings).
See bench/README.md.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from itertools import cycle
from pathlib import Path

import psycopg
import redis
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MODERATOR = "carla.mod@example.com"  # from seed_demo
MEMBER = "anna@example.com"
GENERATED = "member%@example.net"  # LIKE the members demo.bulk writes
FORUM = "mobilfunk"  # the biggest forum
# Of the followers (by user id modulo 100): email at once, daily digest, off.
EMAIL, DIGEST, OFF = 10, 5, 2

# Open cases: a share of each kind of target, picked at random among public ones.
CASE_TARGETS = (
    ("question", "community_question", "visibility = 'visible'", 0.25),
    ("answer", "community_answer", "visibility = 'visible'", 0.55),
    ("comment", "community_comment", "visibility = 'visible'", 0.15),
    ("profile", "accounts_user", "is_active AND email LIKE %(generated)s", 0.05),
)
CASE_SQL = """
    INSERT INTO moderation_case (source, state, priority, weight, note, opened_at, {column})
    SELECT 'flags', 'open', 0, 0, '', now(), id FROM {table} WHERE {where}
    ORDER BY random() LIMIT %(n)s
"""
# One case in ten about a post was held before publishing (no flags); flags are spread
# evenly over the others, each from a different member, older than a day (so today's
# flagging limits are free); 2 % are about personal data, which puts a case first.
SEED = [
    """
    UPDATE moderation_case SET source = 'held', note = 'A link from a member in probation',
        opened_at = now() - (id %% 500) * interval '1 hour'
    WHERE id %% 10 = 0 AND profile_id IS NULL
    """,
    """
    CREATE TEMP TABLE bench_flagger AS SELECT id, row_number() OVER (ORDER BY id) - 1 AS r
    FROM accounts_user WHERE email LIKE %(generated)s
    """,
    """
    CREATE TEMP TABLE bench_case AS
    SELECT id, question_id, answer_id, comment_id, profile_id,
        row_number() OVER (ORDER BY id) - 1 AS r
    FROM moderation_case WHERE source = 'flags' AND state = 'open'
    """,
    """
    INSERT INTO moderation_flag (question_id, answer_id, comment_id, profile_id, flagger_id,
        reason, text, weight, case_id, created_at)
    SELECT c.question_id, c.answer_id, c.comment_id, c.profile_id, m.id,
        CASE WHEN s.h < 30 THEN 'spam' WHEN s.h < 50 THEN 'offensive'
             WHEN s.h < 85 THEN 'off_topic' WHEN s.h < 98 THEN 'other'
             ELSE 'personal_data' END,
        CASE WHEN s.h BETWEEN 85 AND 97 THEN 'Not what this forum is for.' ELSE '' END,
        1 + s.i %% 2, c.id,
        now() - interval '1 day' - (s.i %% 40000) * interval '1 minute'
    FROM (
        SELECT i, (i::bigint * 2654435761) %% 100 AS h, i %% n.cases AS r, i / n.cases AS j
        FROM generate_series(0, %(flags)s - 1) i,
            (SELECT count(*) AS cases FROM bench_case) n
    ) s
    JOIN bench_case c ON c.r = s.r
    JOIN bench_flagger m
        ON m.r = (c.r * 7919 + s.j) %% (SELECT count(*) FROM bench_flagger)
    """,
    """
    UPDATE moderation_case c SET weight = s.weight, opened_at = s.first,
        priority = CASE WHEN s.personal THEN 3 WHEN s.weight >= 10 THEN 1 ELSE 0 END
    FROM (SELECT case_id, sum(weight) AS weight, min(created_at) AS first,
              bool_or(reason = 'personal_data') AS personal
          FROM moderation_flag GROUP BY case_id) s
    WHERE s.case_id = c.id
    """,
    """
    INSERT INTO community_follow (user_id, forum_id, created_at)
    SELECT id, %(forum)s, now() FROM accounts_user WHERE email LIKE %(generated)s
    ORDER BY id LIMIT %(followers)s
    ON CONFLICT DO NOTHING
    """,
    """
    INSERT INTO notifications_preference (user_id, kind, channel)
    SELECT user_id, 'forum_question', CASE WHEN user_id %% 100 < %(email)s THEN 'email'
        WHEN user_id %% 100 < %(email)s + %(digest)s THEN 'digest' ELSE 'off' END
    FROM community_follow
    WHERE forum_id = %(forum)s AND user_id %% 100 < %(email)s + %(digest)s + %(off)s
    """,
    """
    INSERT INTO privacy_consentrecord (user_id, purpose_id, version, granted, method, created_at)
    SELECT user_id, %(purpose)s, %(version)s, true, 'settings', now()
    FROM community_follow WHERE forum_id = %(forum)s AND user_id %% 100 < %(email)s + %(digest)s
    """,
    # The member's notifications: about answers, newest every 37 minutes, a quarter unread.
    """
    INSERT INTO notifications_notification (recipient_id, kind, key, actor_id, question_id,
        answer_id, data, created_at, read_at, email_state)
    SELECT %(member)s, (ARRAY['answer', 'accepted', 'mention', 'forum_question'])[1 + n %% 4],
        'bench:' || n, author_id, question_id, CASE WHEN n %% 4 < 3 THEN id END,
        CASE WHEN n %% 4 = 1 THEN '{"points": 15}' ELSE '{}' END::jsonb,
        now() - n * interval '37 minutes', CASE WHEN n %% 4 > 0 THEN now() END, 'none'
    FROM (SELECT id, question_id, author_id, row_number() OVER () AS n
          FROM (SELECT * FROM community_answer WHERE visibility = 'visible'
                ORDER BY random() LIMIT %(notifications)s) a) s
    """,
]


def main() -> None:
    parser = arguments(__doc__, scale=20, runs=30, database="peerdesk_modbench", redis_db=9)
    parser.add_argument("--cases", type=int, default=20_000, help="open cases")
    parser.add_argument("--flags", type=int, default=100_000)
    parser.add_argument("--followers", type=int, default=20_000, help="of one forum")
    parser.add_argument("--notifications", type=int, default=5_000, help="of one member")
    parser.add_argument("--flag-calls", type=int, default=300, help="flag_create calls")
    parser.add_argument("--fan-outs", type=int, default=3, help="new questions fanned out")
    parser.add_argument("--send", type=int, default=2_000, help="emails sent one by one")
    run(parser.parse_args(), seed=seed, measure=measure)


def arguments(
    doc: str, *, scale: float, runs: int, database: str, redis_db: int
) -> argparse.ArgumentParser:
    """The options every benchmark of a seeded database has."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=scale, help=f"seed_demo --scale ({scale:g})")
    parser.add_argument("--runs", type=int, default=runs, help="timed runs per step")
    parser.add_argument("--database", default=database)
    parser.add_argument("--redis", default=f"redis://127.0.0.1:6379/{redis_db}")
    parser.add_argument("--reuse", action="store_true", help="keep a seeded database")
    return parser


def run(args: argparse.Namespace, *, seed: Callable, measure: Callable) -> None:
    """Migrate the benchmark's database, seed it when it is new, measure; the Redis
    database is emptied after (of the tasks nobody will run)."""
    with tempfile.TemporaryDirectory(prefix="peerdesk-bench-static-") as static_root:
        fresh = setup(args, static_root)
        try:
            if fresh:
                seed(args)
            measure(args)
        finally:
            redis.Redis.from_url(args.redis).flushdb()


def setup(args: argparse.Namespace, static_root: str) -> bool:
    """Returns whether the database is new (and needs seeding)."""
    from bench.pages import POSTGRES, environment

    os.environ.update(environment(static_root))
    os.environ.update({"DATABASE_URL": f"{POSTGRES}/{args.database}", "REDIS_URL": args.redis})
    redis.Redis.from_url(args.redis).flushdb()
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [args.database]
        ).fetchone()
        fresh = not (exists and args.reuse)
        if fresh:
            name = sql.Identifier(args.database)
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(name))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", "--noinput", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    return fresh


def seed(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import User
    from bench.settlement_bench import timed
    from community.models import Forum
    from notifications import kinds
    from privacy.selectors import purposes_with_current_text

    output = io.StringIO()
    with timed(f"seed_demo --scale {args.scale:g}"):
        call_command("seed_demo", scale=args.scale, verbosity=0, stdout=output)
    print("\n".join(line for line in output.getvalue().splitlines() if " s." in line))
    purpose = purposes_with_current_text().get(key=kinds.CONSENT_PURPOSE)
    values = {
        "flags": args.flags,
        "followers": args.followers,
        "notifications": args.notifications,
        "forum": Forum.objects.get(slug=FORUM).pk,
        "member": User.objects.get(email=MEMBER).pk,
        "purpose": purpose.pk,
        "version": purpose.current_version,
        "generated": GENERATED,
        "email": EMAIL,
        "digest": DIGEST,
        "off": OFF,
    }
    with timed(f"{args.cases:,} cases, {args.flags:,} flags, ..."), connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.5)")
        for column, table, where, share in CASE_TARGETS:
            query = CASE_SQL.format(column=f"{column}_id", table=table, where=where)
            cursor.execute(query, {"n": round(args.cases * share), "generated": GENERATED})
        for statement in SEED:
            cursor.execute(statement, values)
        cursor.execute("DROP TABLE bench_case, bench_flagger")
    with timed("VACUUM ANALYZE"), connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


# --- Measuring ----------------------------------------------------------------------------

RESULTS: list[str] = []


def record(what: str, figure: str, queries: int | str = "") -> None:
    print(f"{what:<58} {figure:<34} {queries} queries" if queries != "" else f"{what:<58} {figure}")
    RESULTS.append(f"| {what} | {figure} | {queries} |")


def queries_of(call: Callable) -> tuple[object, int]:
    """The result of `call()` and how many queries it ran (requests included)."""
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    request_started.disconnect(reset_queries)  # it would empty the captured list
    try:
        with CaptureQueriesContext(connection) as queries:
            result = call()
    finally:
        request_started.connect(reset_queries)
    return result, len(queries.captured_queries)


def spread(times: list[float]) -> str:
    p90 = statistics.quantiles(times, n=10, method="inclusive")[-1]
    return f"median {statistics.median(times):.1f} ms, p90 {p90:.1f} ms"


def timed_runs(what: str, call: Callable, *, runs: int) -> None:
    """One warm-up (whose queries are counted), then `runs` timed calls."""
    _result, queries = queries_of(call)
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    record(what, spread(times), queries)


def page(client, path: str) -> Callable:
    def get():
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code} {response.get('Location', '')}")
        return response

    return get


def measure(args: argparse.Namespace) -> None:
    from django.test import override_settings

    from moderation.models import Case, Flag
    from notifications.models import Notification

    print(
        f"{Case.objects.filter(state=Case.State.OPEN).count():,} open cases, "
        f"{Flag.objects.count():,} flags, {Notification.objects.count():,} notifications"
    )
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        review_queue(runs=args.runs)
        flagging(calls=args.flag_calls)
        fan_out(fan_outs=args.fan_outs)
        email_delivery(send=args.send)
        notification_list(runs=args.runs)
    print("\n| what | time | queries |\n| --- | --- | ---: |\n" + "\n".join(RESULTS))


def logged_in(email: str):
    from allauth.mfa.models import Authenticator
    from django.test import Client

    from accounts import roles
    from accounts.models import User

    user = User.objects.get(email=email)
    if roles.is_staff_member(user):
        # Staff need a second factor (accounts.middleware), as tests.factories.with_totp gives.
        Authenticator.objects.get_or_create(user=user, type=Authenticator.Type.TOTP, data={})
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    return user, client


def review_queue(*, runs: int) -> None:
    from django.core.paginator import Paginator

    from moderation import cases, selectors
    from moderation.models import ModerationSettings
    from moderation.views import CASES_PER_PAGE

    def queue_page(number=1, **filters):
        """As moderation.views.queue reads it: counted, paged and described."""
        found = Paginator(selectors.queue(**filters), CASES_PER_PAGE).get_page(number)
        minutes = ModerationSettings.load().claim_minutes
        for case in found.object_list:
            case.holder = cases.claim_holder(case, minutes=minutes)
            selectors.describe(case)
        return found

    timed_runs("queue(): first page (count, 20 cases, flags)", queue_page, runs=runs)
    timed_runs("queue(): last page", lambda: queue_page(10**6), runs=runs)
    timed_runs(
        "queue(reason=personal_data): first page",
        lambda: queue_page(reason="personal_data"),
        runs=runs,
    )
    _moderator, client = logged_in(MODERATOR)
    timed_runs(
        "page /bench/layout/ (moderator, no data)", page(client, "/bench/layout/"), runs=runs
    )
    timed_runs("page /staff/moderation/", page(client, "/staff/moderation/"), runs=runs)
    timed_runs(
        "page /staff/moderation/?reason=spam&source=flags",
        page(client, "/staff/moderation/?reason=spam&source=flags"),
        runs=runs,
    )


def flagging(*, calls: int) -> None:
    """Each call a different member: half join an open case of an answer, half open one."""
    from accounts.models import User
    from community.models import Answer
    from moderation.flags import services as flags
    from moderation.models import Case, Flag, FlagReason
    from privacy import selectors as privacy_selectors
    from privacy import services as privacy_services

    open_cases = Case.objects.filter(state=Case.State.OPEN, source="flags", answer__isnull=False)
    joined = list(Answer.objects.filter(pk__in=open_cases.values("answer_id"))[: calls // 2])
    fresh = list(
        Answer.objects.filter(visibility="visible")
        .exclude(pk__in=Case.objects.filter(answer__isnull=False).values("answer_id"))
        .order_by("-pk")[: calls - len(joined)]
    )
    already = set(Flag.objects.filter(answer__in=joined).values_list("flagger_id", "answer_id"))
    generated = User.objects.filter(email__startswith="member", email__endswith="@example.net")
    chosen = list(generated.order_by("?")[: calls * 2])
    for member in chosen:  # the generator's members never saw the terms; flagging needs them
        privacy_services.consents_record_signup(
            user=member, granted_keys=privacy_selectors.required_keys()
        )
    members = cycle(chosen)
    reasons = cycle([FlagReason.SPAM, FlagReason.OFFENSIVE, FlagReason.OFF_TOPIC])
    times, queries = [], 0
    for target in joined + fresh:
        member = next(members)
        while member.pk == target.author_id or (member.pk, target.pk) in already:
            member = next(members)

        def call(member=member, target=target):
            return flags.flag_create(flagger=member, target=target, reason=next(reasons))

        started = time.perf_counter()
        if queries:
            call()
        else:
            _flag, queries = queries_of(call)
        times.append((time.perf_counter() - started) * 1000)
    record(f"flag_create, {len(times)} members (first call's queries)", spread(times), queries)


def fan_out(*, fan_outs: int) -> None:
    from accounts.models import User
    from community.models import Forum, Question
    from notifications import services

    forum = Forum.objects.get(slug=FORUM)
    author = User.objects.get(email=MEMBER)
    for number in range(fan_outs):
        question = Question.objects.create(
            forum=forum,
            author=author,
            title=f"Bench question {number}: no signal after the update",
            body="Since this morning my phone shows no signal at all.",
            body_html="<p>Since this morning my phone shows no signal at all.</p>",
            language="en",
        )
        started = time.perf_counter()
        rows, queries = queries_of(
            lambda q=question: services.forum_question_fan_out(question_id=q.pk)
        )
        seconds = time.perf_counter() - started
        record(
            f"forum_question_fan_out: {rows:,} followers (run {number + 1})",
            f"{seconds:.2f} s, {rows / seconds:,.0f} rows/s",
            queries,
        )


def email_delivery(*, send: int) -> None:
    from django.core import mail
    from django.db.models import F
    from django.utils import timezone

    from notifications import email, tasks
    from notifications.models import EmailState, Kind, Notification

    mail.outbox = []
    # The followers' emails (seed_demo's own wait too: their tasks were queued, not run).
    pending = Notification.objects.filter(email_state=EmailState.PENDING, kind=Kind.FORUM_QUESTION)
    ids = list(pending.order_by("pk").values_list("pk", flat=True)[:send])
    _none, queries = queries_of(lambda: tasks.send_email(ids[0]))
    started = time.perf_counter()
    for pk in ids[1:]:
        tasks.send_email(pk)
    seconds = time.perf_counter() - started
    assert len(mail.outbox) == len(ids), (len(mail.outbox), len(ids))
    record(
        f"send_email task, {len(ids) - 1:,} emails one by one (locmem)",
        f"{seconds:.2f} s, {(len(ids) - 1) / seconds:,.0f} emails/s",
        queries,
    )
    # The rest of the pending emails lost their tasks: the sweep queues up to 1,000.
    pending.update(created_at=F("created_at") - email.LOST_AFTER - timedelta(minutes=1))
    lost = min(pending.count(), email.SWEEP_LIMIT)
    started = time.perf_counter()
    tasks.email_sweep()
    seconds = time.perf_counter() - started
    record(f"email_sweep: {lost:,} lost emails queued (Redis)", f"{seconds:.2f} s")
    members = list(
        Notification.objects.filter(email_state=EmailState.DIGEST)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    started = time.perf_counter()
    due = email.digest_due(now=timezone.now())
    record(
        f"digest_due ({len(due):,} due of {len(members):,} waiting)",
        f"{(time.perf_counter() - started) * 1000:.0f} ms",
    )
    mail.outbox = []
    started = time.perf_counter()
    sent = sum(email.digest_send(user_id=pk) for pk in members)
    seconds = time.perf_counter() - started
    record(
        f"digest_send: {len(mail.outbox):,} digests of {sent:,} notifications",
        f"{seconds:.2f} s, {len(mail.outbox) / seconds:,.0f} emails/s",
    )


def notification_list(*, runs: int) -> None:
    from django.db import connection

    from notifications import selectors
    from notifications.models import Notification
    from notifications.views import PER_PAGE

    # As autovacuum would after the fan-outs: the statistics are from when the member had
    # nearly every notification, and the planner would scan the table for their count.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE notifications_notification")
    member, client = logged_in(MEMBER)
    total = Notification.objects.filter(recipient=member).count()
    unread = Notification.objects.filter(recipient=member, read_at__isnull=True).count()
    print(f"{MEMBER}: {total:,} notifications, {unread:,} unread")
    timed_runs(
        f"unread_count (the bell; {unread:,} unread, capped)",
        lambda: selectors.unread_count(user=member),
        runs=runs,
    )
    timed_runs(
        "page /bench/layout/ (member, with the bell)", page(client, "/bench/layout/"), runs=runs
    )
    timed_runs(f"page /notifications/ ({total:,})", page(client, "/notifications/"), runs=runs)
    last = f"/notifications/?page={total // PER_PAGE + 1}"
    timed_runs("page /notifications/, last page", page(client, last), runs=runs)


if __name__ == "__main__":
    main()
