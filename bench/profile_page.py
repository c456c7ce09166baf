"""Where a page's time goes: queries, SQL time and a pyinstrument profile.

    uv run --frozen --with pyinstrument python bench/profile_page.py /q/123/ [--requests 200]
        [--member anna@example.com]

Uses the database that bench/pages.py seeded (peerdesk_bench) and the same
settings (DEBUG off), and sends the requests through Django's full handler
in-process, so middleware, views and templates are all in the profile. With --member, the requests
come from that member's session (signed in through their backend, as a login would).
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--settings", default="bench.settings")
    parser.add_argument("--member", help="email of the member signed in (default: a visitor)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="peerdesk-bench-static-") as static_root:
        setup(static_root, args.settings)
        profile(args.path, requests=args.requests, member=args.member)


def setup(static_root: str, settings: str) -> None:
    import os

    import django
    from django.core.management import call_command

    from bench.pages import environment

    os.environ.update(environment(static_root, settings))
    django.setup()
    call_command("collectstatic", "--noinput", verbosity=0)


def profile(path: str, *, requests: int, member: str | None) -> None:
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    client = Client(SERVER_NAME="127.0.0.1")
    if member:
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.get(email=member))
    assert client.get(path).status_code == 200  # warm up: imports, templates, cache
    request_started.disconnect(reset_queries)  # it would empty the captured list
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    request_started.connect(reset_queries)
    captured = queries.captured_queries  # read now: the next request empties the log
    sql_ms = sum(float(q["time"]) for q in captured) * 1000
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    with profiler:
        for _request in range(requests):
            client.get(path)
    per_request = (time.perf_counter() - started) / requests * 1000
    print(f"{path}: {per_request:.1f} ms per request in-process (profiled)")
    print(f"{len(captured)} queries, {sql_ms:.1f} ms in SQL (one request):")
    for query in captured:
        print(f"  {float(query['time']) * 1000:6.1f} ms  {query['sql'][:150]}")
    print(profiler.output_text(unicode=True, color=False, show_all=False, timeline=False))
    print("Functions by own time:")
    print(profiler.output_text(unicode=True, color=False, flat=True, flat_time="self"))


if __name__ == "__main__":
    main()
