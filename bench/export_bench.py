"""Time and peak Python memory of building one member's data export.

    uv run --frozen python bench/export_bench.py [--posts 10000] [--reuse]

Creates the database peerdesk_exportbench on the machine's PostgreSQL
(postgres@127.0.0.1:5432), seeds one member with --posts posts (questions,
answers and comments, 400 characters each) plus kudos, edits and follows, and
runs privacy.export.services.export_build twice for each size: once timed, once under
tracemalloc for the peak. A tenth of the posts is measured too, so the report
shows whether memory grows with history (it should not).
"""

import argparse
import os
import secrets
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
POSTGRES = "postgres://postgres@127.0.0.1:5432"
DATABASE = "peerdesk_exportbench"

PROSE = ("My router blinks red after the firmware update; a reset did not help. " * 5)[:300]


def text() -> str:
    """400 characters, a quarter of them random, so the zip does not compress absurdly."""
    return f"{PROSE}{secrets.token_hex(50)}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--reuse", action="store_true", help="keep the migrated database")
    args = parser.parse_args()
    setup(reuse=args.reuse)
    from django.conf import settings
    from django.test.utils import override_settings

    with (
        tempfile.TemporaryDirectory(prefix="peerdesk-export-bench-") as media,
        tempfile.TemporaryDirectory(prefix="peerdesk-export-bench-private-") as exports,
        override_settings(
            MEDIA_ROOT=media,
            STORAGES={
                **settings.STORAGES,
                "exports": {**settings.STORAGES["exports"], "OPTIONS": {"location": exports}},
            },
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ),
    ):
        for posts in (args.posts // 10, args.posts):
            member = seed(posts)
            seconds, size = build(member, trace=False)
            peak, _size = build(member, trace=True)
            print(
                f"{posts:>6} posts: {seconds:5.2f} s, zip {size / 1e6:5.1f} MB, "
                f"peak Python memory {peak / 1e6:5.1f} MB (tracemalloc)"
            )


def setup(*, reuse: bool) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
            "DEBUG": "false",  # DEBUG would keep every query in memory
            "SECRET_KEY": "bench-only-not-a-secret",
            "EMAIL_URL": "consolemail://",
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("REDIS_URL", None)  # tasks in-process, cache in memory
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        if not (exists and reuse):
            conn.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
            conn.execute(f"CREATE DATABASE {DATABASE}")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", "--noinput", verbosity=0)


def seed(posts: int):
    """One member with `posts` posts: 20 % questions, 60 % answers, 20 % comments; kudos
    on a quarter of another member's questions, an edit of every tenth question."""
    from accounts.models import User
    from community.models import Answer, Comment, Follow, Forum, Question, Revision, Vote

    forum, _created = Forum.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    member = User.objects.create_user(
        f"bench-{posts}-{time.time_ns()}@example.com", display_name=f"Bench {time.time_ns()}"
    )
    other = User.objects.create_user(
        f"other-{time.time_ns()}@example.com", display_name=f"Other {time.time_ns()}"
    )

    def question(author, n):
        return Question(
            forum=forum, author=author, title=f"Question {n}", body=text(), body_html=""
        )

    questions = Question.objects.bulk_create(question(member, n) for n in range(posts // 5))
    theirs = Question.objects.bulk_create(question(other, n) for n in range(posts // 5))
    answers = Answer.objects.bulk_create(
        Answer(question=theirs[n % len(theirs)], author=member, body=text(), body_html="")
        for n in range(posts * 3 // 5)
    )
    Comment.objects.bulk_create(
        Comment(answer=answers[n], author=member, body=text(), body_html="")
        for n in range(posts - len(questions) - len(answers))
    )
    Vote.objects.bulk_create(Vote(user=member, question=q) for q in theirs[::4])
    Revision.objects.bulk_create(
        Revision(question=q, editor=member, title=q.title, body=text()) for q in questions[::10]
    )
    Follow.objects.bulk_create(Follow(user=member, question=q) for q in questions)
    return member


def build(member, *, trace: bool) -> tuple[float, int]:
    """Returns seconds (or the tracemalloc peak in bytes) and the zip's size."""
    from django.core.files.storage import storages

    from privacy.export.services import export_build
    from privacy.models import PrivacyRequest
    from privacy.requests import request_open

    request = request_open(
        user=member, kind=PrivacyRequest.Kind.EXPORT, state=PrivacyRequest.State.QUEUED
    )
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    export_build(request_id=request.pk)
    seconds = time.perf_counter() - started
    figure = seconds
    if trace:
        figure = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    request.refresh_from_db()
    assert request.state == PrivacyRequest.State.READY, request.state
    return figure, storages["exports"].size(request.file_name)


if __name__ == "__main__":
    main()
