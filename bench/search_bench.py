"""Time the search: the search page's query and the suggestions while typing.

    uv run --frozen python bench/search_bench.py [--scale 50] [--runs 5] [--reuse]

Creates the database peerdesk_bench_search (--database) on the machine's PostgreSQL,
seeds `seed_demo --scale N` (timing the search index of the generated questions), then
runs every query of the relevance test set (tests/search/relevance.py) --runs times,
in-process and without the two-minute result cache: the search page's query (the count
and the first page of 20, as the page asks for them) and the ask page's suggestions
for each prefix of the query as it is typed (every second character). Prints p50, p95
and max per kind. See bench/README.md.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from bench.moderation_bench import arguments, run

    parser = arguments(__doc__, scale=50, runs=5, database="peerdesk_bench_search", redis_db=11)
    run(parser.parse_args(), seed=seed, measure=lambda args: measure(runs=args.runs))


def seed(args: argparse.Namespace) -> None:
    from django.core.management import call_command

    started = time.monotonic()
    call_command("seed_demo", scale=args.scale, verbosity=0)
    print(f"seed_demo --scale {args.scale:g}: {time.monotonic() - started:.1f} s")


def timed(call, runs: int) -> list[float]:
    """Each run without the cached results (community.search.ranked_ids): what a query
    nobody asked in the last two minutes costs. The first run warms the vocabulary."""
    from django.core.cache import cache

    call()
    times = []
    for _run in range(runs):
        cache.clear()
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def report(kind: str, times: list[float]) -> None:
    times = sorted(times)
    p95 = times[int(len(times) * 0.95) - 1]
    print(
        f"| {kind} | {len(times)} | {statistics.median(times):.1f} | {p95:.1f} | {times[-1]:.1f} |"
    )


def measure(*, runs: int) -> None:
    from community import search
    from community.models import Answer, Question
    from search import engine
    from tests.search.relevance import CASES

    print(f"{Question.objects.count():,} questions, {Answer.objects.count():,} answers")

    def page(typed: str):
        def run():
            ids = search.ranked_ids(engine.parse(typed))
            return len(ids), search.questions_in_order(ids[:20])

        return run

    def suggest(typed: str):
        return lambda: search.similar_questions(typed)

    pages, suggestions = [], []
    for typed, _expected in CASES:
        pages += timed(page(typed), runs)
        for end in range(2, len(typed) + 1, 2):
            suggestions += timed(suggest(typed[:end]), runs)
    print("\n| query | timed | p50 ms | p95 ms | max ms |\n| --- | ---: | ---: | ---: | ---: |")
    report("search page (count + first 20)", pages)
    report("suggestions while typing (5)", suggestions)


if __name__ == "__main__":
    main()
