"""What an open thread page costs while it waits for live updates (community.live).

    uv run --frozen python bench/live.py --reuse [--duration 10] [--connections 8]

Serves the site as bench/pages.py does (its seeded database, gunicorn with 2 workers,
production settings) and loads GET /q/<id>/live/ with the thread's version as
If-None-Match: every answer is a 304 from one cache read. A page asks every 5 s, so the
req/s times 5 is how many open pages the machine keeps up to date; the same for a
changed thread (a 200 with its figures, two queries) and, for scale, the yardstick.
"""

import argparse
import sys
import tempfile
from pathlib import Path

import psycopg
import redis

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pages import (
    DATABASE,
    POSTGRES,
    REDIS_URL,
    check,
    ensure_wrk,
    environment,
    gunicorn,
    load,
    manage,
    prepare_database,
)

POLL_SECONDS = 5  # static/js/peerdesk.js


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1)
    parser.add_argument("--reuse", action="store_true", help="keep the seeded database")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--port", type=int, default=8767)
    args = parser.parse_args()
    wrk = ensure_wrk()
    with tempfile.TemporaryDirectory(prefix="peerdesk-bench-static-") as static_root:
        env = environment(static_root)
        prepare_database(env, scale=args.scale, reuse=args.reuse)
        manage(env, "collectstatic", "--noinput", "-v0")
        redis.Redis.from_url(REDIS_URL).flushdb()
        with psycopg.connect(f"{POSTGRES}/{DATABASE}") as conn:
            pk, version, answers = conn.execute(
                "SELECT q.id, q.version, string_agg(a.id::text, ',') FROM community_question q"
                " JOIN community_answer a ON a.question_id = q.id"
                " WHERE q.visibility = 'visible' AND a.visibility = 'visible'"
                " GROUP BY q.id ORDER BY count(*) DESC LIMIT 1"
            ).fetchone()
        live = f"/q/{pk}/live/?answers={','.join(answers.split(',')[:40])}"
        runs = {
            "yardstick (30 rows, bare template)": ("/bench/baseline/", ""),
            "live, unchanged (304)": (live, f'If-None-Match: "{version}"'),
            "live, changed (200 with figures)": (live, 'If-None-Match: "0"'),
        }
        with gunicorn(env, port=args.port, workers=2, threads=1) as base:
            check(base + live)
            for name, (path, header) in runs.items():
                result = load(
                    wrk,
                    base + path,
                    duration=args.duration,
                    connections=args.connections,
                    header=header,
                )
                pages = f", {result['rps'] * POLL_SECONDS:,.0f} open pages" if header else ""
                print(
                    f"{name}: {result['rps']:,.0f} req/s{pages}, p50 {result['p50']:.1f} ms,"
                    f" p99 {result['p99']:.1f} ms, errors {result['errors']}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
