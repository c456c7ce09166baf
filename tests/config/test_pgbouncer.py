"""PostgreSQL behind a real PgBouncer in transaction mode (Debian's 1.18). Two processes
share two server connections, so their transactions land on either; each repeats its
queries, reads with iterator() (a server-side cursor would outlive its transaction: it
fails without DISABLE_SERVER_SIDE_CURSORS, checked), locks rows and searches. With
DATABASE_POOLER=pgbouncer they all pass; without it PgBouncer refuses the connection's
startup options at once."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from tests.config.conftest import BASE_DIR, bare_environment

pytestmark = pytest.mark.django_db(transaction=True)

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"

WORK = """
import django
django.setup()
from django.db import transaction
from community import search
from community.models import Question
from accounts.models import User
from search import engine

for round in range(30):
    with transaction.atomic():
        list(User.objects.select_for_update().filter(pk__gt=0)[:5])
        Question.objects.filter(title__icontains="x").count()
    list(Question.objects.order_by("pk").iterator(chunk_size=2))
    search.ranked_ids(engine.parse(f"router blinks {round}"))
print("ok")
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def pgbouncer() -> Iterator[int]:
    with tempfile.TemporaryDirectory(prefix="peerdesk-pgbouncer-") as folder:
        yield from _pgbouncer(Path(folder))


def _pgbouncer(tmp_path: Path) -> Iterator[int]:
    """PgBouncer on a free port in front of the test database; run as the postgres user
    when this process is root (PgBouncer refuses to run as root), so its files lie in a
    folder that user can read (pytest's own are the owner's only)."""
    if not Path(PGBOUNCER).exists():
        pytest.fail("PgBouncer is needed: apt-get install pgbouncer (scripts/ensure_tools.sh)")
    port, db = _free_port(), connection.settings_dict
    tmp_path.chmod(0o777)
    ini = tmp_path / "pgbouncer.ini"
    ini.write_text(
        "[databases]\n"
        f"* = host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432}\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        "auth_type = trust\n"
        f"auth_file = {tmp_path / 'users.txt'}\n"
        "pool_mode = transaction\ndefault_pool_size = 2\nmax_client_conn = 20\n"
        f"logfile = {tmp_path / 'pgbouncer.log'}\n"
    )
    (tmp_path / "users.txt").write_text(f'"{db["USER"]}" ""\n')
    for path in tmp_path.iterdir():
        path.chmod(0o666)
    as_user = ["-u", "postgres"] if os.geteuid() == 0 else []
    process = subprocess.Popen([PGBOUNCER, *as_user, str(ini)])
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "PgBouncer did not start"
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def _through(port: int, *, pooler: str) -> dict[str, str]:
    db = connection.settings_dict
    env = {
        **bare_environment(),
        "DEBUG": "true",
        "DATABASE_URL": f"postgres://{db['USER']}@127.0.0.1:{port}/{db['NAME']}",
    }
    if pooler:
        env["DATABASE_POOLER"] = pooler
    return env


def _run(env: dict[str, str]) -> list[subprocess.Popen]:
    return [
        subprocess.Popen(
            [sys.executable, "-c", WORK],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]


def test_two_processes_work_through_pgbouncer_in_transaction_mode(pgbouncer):
    results = [
        (*p.communicate(timeout=120), p.returncode)
        for p in _run(_through(pgbouncer, pooler="pgbouncer"))
    ]

    for out, err, code in results:
        assert code == 0, err[-3000:]
        assert out.strip().endswith("ok")


def test_without_the_setting_pgbouncer_refuses_the_connection(pgbouncer):
    process = _run(_through(pgbouncer, pooler=""))[0]
    _, err = process.communicate(timeout=120)

    assert process.returncode != 0
    assert "unsupported startup parameter" in err
