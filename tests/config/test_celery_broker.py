"""A real Celery worker talks to this process through the real Redis broker."""

import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis

from config.celery import app as celery_app
from tests.config.conftest import BASE_DIR, bare_environment, database_url

STARTUP_SECONDS = 15


@contextmanager
def _running_worker(tmp_path: Path, *queues: str) -> Iterator[tuple[str, Path]]:
    """A solo-pool worker on config.settings (not eager) and this test run's Redis broker,
    serving `queues` (all without). Yields its node name and its log file once it answers
    a ping; always stopped afterwards."""
    nodename = f"peerdesk-test-{uuid.uuid4().hex[:8]}@localhost"
    env = {
        **bare_environment(),
        "DEBUG": "true",
        "DATABASE_URL": database_url(),
        "REDIS_URL": celery_app.conf.broker_url,
    }
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "config", "worker"),
                *("--pool=solo", "--loglevel=INFO", f"--hostname={nodename}"),
                *("--without-gossip", "--without-mingle", "--without-heartbeat"),
                *((f"--queues={','.join(queues)}",) if queues else ()),
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        assert _wait_for(lambda: _pong(nodename), seconds=STARTUP_SECONDS), log.read_text()
        yield nodename, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def worker(django_db_setup, tmp_path_factory) -> Iterator[tuple[str, Path]]:
    with _running_worker(tmp_path_factory.mktemp("celery")) as running:
        yield running


def _pong(nodename: str) -> list:
    return celery_app.control.ping(destination=[nodename], timeout=0.5)


def _wait_for(condition, *, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_worker_answers_a_ping_through_redis(worker):
    nodename, _ = worker

    replies = _pong(nodename)

    assert replies == [{nodename: {"ok": "pong"}}]


def test_worker_runs_a_task_sent_through_redis(worker, monkeypatch):
    _, log = worker
    # Tests run tasks eagerly; here this process is a real producer, as the web process is.
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)

    # celery.accumulate is built in and returns its argument: no project task needed.
    result = celery_app.send_task("celery.accumulate", args=[42])

    assert _wait_for(
        lambda: f"Task celery.accumulate[{result.id}] succeeded" in log.read_text(), seconds=5
    ), log.read_text()


def test_a_flood_of_emails_never_delays_a_payout(db, tmp_path, monkeypatch):
    """Each kind has its queue: the money workers run the settlement's sweep at once while
    fifty email sweeps wait in the mail queue for the mail workers."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    broker = redis.Redis.from_url(celery_app.conf.broker_url)
    try:
        for _ in range(50):
            celery_app.send_task("notifications.tasks.email_sweep")
        with _running_worker(tmp_path, "money") as (_, log):
            result = celery_app.send_task("rewards.tasks.settlement.sweep")

            assert _wait_for(
                lambda: f"rewards.tasks.settlement.sweep[{result.id}] succeeded" in log.read_text(),
                seconds=10,
            ), log.read_text()
            assert broker.llen("mail") == 50
    finally:
        broker.delete("mail", "money")
