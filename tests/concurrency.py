"""For the concurrency tests (`transactional_db` on PostgreSQL, real threads)."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from django.db import connection


def race(calls, *, refused: tuple[type[Exception], ...] = ()) -> list:
    """Runs the calls at the same moment, each in its own thread and database connection.
    Returns what each returned, or the exception it raised if that is one of `refused`."""
    barrier = Barrier(len(calls))

    def run(call):
        barrier.wait()
        try:
            return call()
        except refused as refusal:
            return refusal
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))
