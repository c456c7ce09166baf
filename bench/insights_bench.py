"""Time the deflection dashboard's figures, its API, pages and a CSV with a year of data.

    uv run --frozen python bench/insights_bench.py [--scale 50] [--runs 10] [--reuse]

Creates the database peerdesk_bench_insights (--database) on the machine's PostgreSQL
(postgres@127.0.0.1:5432) and seeds `seed_demo --scale N`, which writes a year of
deflection events (solutions, "solved too" marks, contact-page visits) and the points
history (demo/bulk.py). Then each figure of insights.figures, the API
/api/v1/insights/summary/, the dashboard, a drill-down list and a CSV export run
in-process (pages through Django's test client, a support lead logged in with a second
factor, DEBUG off: bench.settings): once to count their queries, then --runs times. Prints
min and median per step and EXPLAIN ANALYZE of the slowest query of the slowest step.
See bench/README.md.
"""

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SUPPORT_LEAD = "julia.support@example.com"  # from seed_demo
SLOW_MS = 300  # a figure slower than this at scale 50 needs an index or a rollup


def main() -> None:
    from bench.moderation_bench import arguments, run

    parser = arguments(__doc__, scale=50, runs=10, database="peerdesk_bench_insights", redis_db=10)
    run(parser.parse_args(), seed=seed, measure=lambda args: measure(runs=args.runs))


def seed(args: argparse.Namespace) -> None:
    from django.core.management import call_command

    output = io.StringIO()
    started = time.monotonic()
    call_command("seed_demo", scale=args.scale, verbosity=0, stdout=output)
    print("\n".join(line for line in output.getvalue().splitlines() if " s." in line))
    print(f"seed_demo --scale {args.scale:g}: {time.monotonic() - started:.1f} s")


# --- Measuring ----------------------------------------------------------------------------


class Step:
    """One thing measured: its queries and slowest query (a first run), then `runs` times."""

    def __init__(self, what: str, call: Callable, *, runs: int) -> None:
        from django.core.signals import request_started
        from django.db import connection, reset_queries
        from django.test.utils import CaptureQueriesContext

        self.what = what
        request_started.disconnect(reset_queries)  # it would empty the captured list
        try:
            with CaptureQueriesContext(connection) as captured:
                call()
        finally:
            request_started.connect(reset_queries)
        self.queries = len(captured.captured_queries)
        selects = [q for q in captured.captured_queries if q["sql"].lstrip().startswith("SELECT")]
        self.slowest = max(selects, key=lambda q: float(q["time"]), default=None)
        self.times = []
        for _run in range(runs):
            started = time.perf_counter()
            call()
            self.times.append((time.perf_counter() - started) * 1000)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    def row(self) -> str:
        slow = " **slow**" if self.median > SLOW_MS else ""
        return f"| {self.what} | {min(self.times):.1f} | {self.median:.1f}{slow} | {self.queries} |"


def measure(*, runs: int) -> None:
    from django.utils import timezone

    from bench.moderation_bench import logged_in, page
    from community.models import Forum, Question
    from insights import figures, periods
    from insights.models import ContactRequest, Event
    from rewards.models import LedgerEntry

    today = timezone.localdate()
    month = periods.this_month(today)
    year = periods.Period(periods.month_start(today, months=-11), today)
    busiest = Forum.objects.order_by("-question_count").first()
    print(
        f"{Event.objects.count():,} events, {LedgerEntry.objects.count():,} ledger entries, "
        f"{Question.objects.count():,} questions, {ContactRequest.objects.count():,} requests; "
        f"this month {month.start} to {month.end}, 12 months from {year.start}"
    )
    query = f"from={year.start}&to={year.end}"
    _lead, client = logged_in(SUPPORT_LEAD)
    steps = {
        "figures.summary, this month": lambda: figures.summary(month),
        "figures.summary, 12 months": lambda: figures.summary(year),
        f"figures.summary, 12 months, forum {busiest.slug}": lambda: figures.summary(
            year, forum=busiest
        ),
        "figures.response, this month": lambda: figures.response(month),
        "figures.response, 12 months": lambda: figures.response(year),
        "figures.months (12 months to this one)": lambda: figures.months(month),
        "figures.forums, this month": lambda: figures.forums(month),
        "figures.forums, 12 months": lambda: figures.forums(year),
        "figures.top_contributors, this month": lambda: figures.top_contributors(month),
        "figures.top_contributors, 12 months": lambda: figures.top_contributors(year),
        "figures.unanswered + escalated, count": lambda: (
            figures.unanswered().count() + figures.escalated().count()
        ),
        f"API /api/v1/insights/summary/?{query}": page(
            client, f"/api/v1/insights/summary/?{query}"
        ),
        "page /staff/insights/ (this month)": page(client, "/staff/insights/"),
        "page /staff/insights/ (12 months)": page(client, f"/staff/insights/?{query}"),
        "page /staff/insights/events/ (12 months, page 1)": page(
            client, f"/staff/insights/events/?{query}"
        ),
        "CSV /staff/insights/events/?format=csv (this month)": csv(
            client, f"/staff/insights/events/?format=csv&from={month.start}&to={month.end}"
        ),
    }
    results = []
    for what, call in steps.items():
        step = Step(what, call, runs=runs)
        print(f"{what:<62} min {min(step.times):8.1f} ms  median {step.median:8.1f} ms  "
              f"{step.queries:3} queries", flush=True)  # fmt: skip
        results.append(step)
    print("\n| step | min ms | median ms | queries |\n| --- | ---: | ---: | ---: |")
    print("\n".join(step.row() for step in results))
    slowest = max(results, key=lambda step: step.median)
    explain(slowest)
    for step in results:
        if step.median > SLOW_MS and step is not slowest and step.what.startswith("figures."):
            explain(step)


def csv(client, path: str) -> Callable:
    """A CSV is streamed: the time includes reading every row."""

    def get():
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}")
        return b"".join(response.streaming_content)

    return get


def explain(step: Step) -> None:
    from django.db import connection

    if step.slowest is None:
        return
    print(f"\nThe slowest query of '{step.what}' ({float(step.slowest['time']) * 1000:.0f} ms):")
    print(step.slowest["sql"])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {step.slowest['sql']}")
        print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
