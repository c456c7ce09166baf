"""Fail early and clearly when the test suite's PostgreSQL or Redis is not reachable."""

import os
import socket
import sys

SERVICES = {
    "PostgreSQL": (
        "127.0.0.1",
        5432,
        "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    ),
    "Redis": (
        "127.0.0.1",
        6379,
        'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no',
    ),
}


def main() -> int:
    down = []
    for name, (host, port, start) in SERVICES.items():
        try:
            socket.create_connection((host, port), timeout=2).close()
        except OSError as exc:
            down.append(
                f"{name} is not reachable on {host}:{port} ({exc}).\n  Start it with: {start}"
            )
    if down:
        print("make test needs the real services (it never falls back to SQLite):", file=sys.stderr)
        print("\n".join(down), file=sys.stderr)
        print("Or run .ci/run, which starts them.", file=sys.stderr)
        return 1
    print(
        "PostgreSQL and Redis are reachable.",
        "DATABASE_URL=" + os.environ.get("DATABASE_URL", "(test default)"),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
