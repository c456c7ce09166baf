"""Load the main pages with wrk and print requests/s and p50/p99 latency per URL.

    uv run --frozen python bench/pages.py [--scale 5] [--reuse] [--duration 10]

Creates the PostgreSQL database peerdesk_bench (dropped first unless --reuse),
migrates it, seeds `seed_demo --scale N`, serves the site with gunicorn on
127.0.0.1 with DEBUG off, and loads each page in turn, next to a bare baseline
view (bench/views.py) measured in the same run. See bench/README.md.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = "postgres://postgres@127.0.0.1:5432"
DATABASE = "peerdesk_bench"
REDIS_URL = "redis://127.0.0.1:6379/9"
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
# A page loaded as a signed-in demo member (their session cookie sent by wrk).
MEMBER = "member: "
MEMBER_EMAIL = "anna@example.com"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=5, help="seed_demo --scale (default 5)")
    parser.add_argument("--reuse", action="store_true", help="keep the seeded database")
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--settings", default="bench.settings", help="settings module, for experiments"
    )
    return parser.parse_args()


def ensure_wrk() -> str:
    if found := shutil.which("wrk"):
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing wrk from Debian (apt-get install -y wrk)...")
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)
        if found := shutil.which("wrk"):
            return found
    sys.exit("wrk is needed: sudo apt-get install -y wrk")


def environment(static_root: str, settings: str = "bench.settings") -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
        "REDIS_URL": REDIS_URL,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-not-a-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "BENCH_STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_database(env: dict[str, str], *, scale: float, reuse: bool) -> float | None:
    """Returns the seconds the seed took, or None when an existing database was reused."""
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        if exists and reuse:
            return None
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        conn.execute(f"CREATE DATABASE {DATABASE}")
    manage(env, "migrate", "--noinput", "-v0")
    started = time.monotonic()
    manage(env, "seed_demo", "--scale", str(scale), "-v1")
    return time.monotonic() - started


def pages() -> dict[str, str]:
    """The URLs to load: a long thread, a short one, a forum, home, search, the baseline."""
    with psycopg.connect(f"{POSTGRES}/{DATABASE}") as conn:
        long_id, long_answers = conn.execute(
            "SELECT id, answer_count FROM community_question ORDER BY answer_count DESC LIMIT 1"
        ).fetchone()
        short_id, short_answers = conn.execute(
            "SELECT id, answer_count FROM community_question"
            " WHERE answer_count BETWEEN 3 AND 5 AND status = 'solved' ORDER BY id LIMIT 1"
        ).fetchone()
        (forum,) = conn.execute(
            "SELECT slug FROM community_forum ORDER BY question_count DESC LIMIT 1"
        ).fetchone()
        (tag,) = conn.execute(
            "SELECT t.name FROM community_tag t JOIN community_question_tags qt"
            " ON qt.tag_id = t.id GROUP BY t.name ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
    return {
        "baseline (30 rows, bare template)": "/bench/baseline/",
        "layout only (base.html, no data)": "/bench/layout/",
        f"question, long thread ({long_answers} answers)": f"/q/{long_id}/",
        f"question, short thread ({short_answers} answers)": f"/q/{short_id}/",
        f"forum /f/{forum}/": f"/f/{forum}/",
        f"tag /tags/{tag}/": f"/tags/{tag}/",
        "home": "/",
        "search ?q=router": "/search/?q=router",
        f"{MEMBER}question, short thread": f"/q/{short_id}/",
        f"{MEMBER}question, long thread": f"/q/{long_id}/",
    }


@contextmanager
def gunicorn(env: dict[str, str], *, port: int, workers: int, threads: int):
    worker_class = ["-k", "gthread", "--threads", str(threads)] if threads > 1 else ["-k", "sync"]
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application",
         "-b", f"127.0.0.1:{port}", "-w", str(workers), *worker_class, "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("gunicorn did not come up") from None
                time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def check(url: str) -> int | None:
    """A page must render (200) to be measured; returns its size in bytes, or None."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our loopback URL
            return len(response.read())
    except urllib.error.HTTPError as error:
        print(f"{url}: HTTP {error.code}, not measured", file=sys.stderr)
        return None


def latency_ms(output: str, percentile: str) -> float:
    match = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    return float(match.group(1)) * UNITS[match.group(2)] if match else float("nan")


# Run by `manage.py shell`: sessions of up to 100 members, one line each.
SESSIONS = """
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.utils.crypto import get_random_string
from accounts.models import User
from privacy import selectors, services

store = import_module(settings.SESSION_ENGINE).SessionStore
users = User.objects.filter(
    email__regex=EMAILS, is_active=True, is_superuser=False, groups=None
).order_by("pk")
for user in users[:100]:
    # The current terms accepted, as a member signed in would have: else every page
    # would be a redirect to them.
    missing = {p.key: p.current_version for p in selectors.missing_required(user)}
    services.consents_accept(user=user, versions=missing, method="prompt")
    session = store()
    session[SESSION_KEY] = str(user.pk)
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session.save()
    csrf = get_random_string(32)
    print(f"{settings.SESSION_COOKIE_NAME}={session.session_key}; csrftoken={csrf}")
"""


def member_cookies(env: dict[str, str], emails: str) -> list[str]:
    """Signed-in sessions, with a CSRF cookie, of the members whose email matches the
    regular expression `emails`, made in the database the server reads. The CSRF
    cookie's value doubles as the X-CSRFToken header (Django takes it unmasked)."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SESSIONS.replace("EMAILS", repr(emails))],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return [line for line in result.stdout.splitlines() if "csrftoken=" in line]


def load(
    wrk: str, url: str, *, duration: int, connections: int, cookie: str = "", header: str = ""
) -> dict:
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    headers += ["-H", header] if header else []
    # A short warm-up first: worker imports, connections, template and cache fills.
    subprocess.run(
        [wrk, "-t1", f"-c{connections}", "-d2s", *headers, url], capture_output=True, check=True
    )
    output = subprocess.run(
        [wrk, "-t1", f"-c{connections}", f"-d{duration}s", "--latency", *headers, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency_ms(output, "50"),
        "p99": latency_ms(output, "99"),
        "errors": int(errors.group(1)) if errors else 0,
    }


def main() -> None:
    args = parse_args()
    wrk = ensure_wrk()
    with tempfile.TemporaryDirectory(prefix="peerdesk-bench-static-") as static_root:
        env = environment(static_root, args.settings)
        seconds = prepare_database(env, scale=args.scale, reuse=args.reuse)
        manage(env, "collectstatic", "--noinput", "-v0")
        redis.Redis.from_url(REDIS_URL).flushdb()  # no fragments cached from an older seed
        urls = pages()
        cookie = member_cookies(env, f"^{re.escape(MEMBER_EMAIL)}$")[0]
        rows = []
        with gunicorn(env, port=args.port, workers=args.workers, threads=args.threads) as base:
            for name, path in urls.items():
                size = check(base + path)
                if size is None:
                    continue
                result = load(
                    wrk,
                    base + path,
                    duration=args.duration,
                    connections=args.connections,
                    cookie=cookie if name.startswith(MEMBER) else "",
                )
                rows.append((name, path, size, result))
                print(f"{name}: {result['rps']:.0f} req/s", flush=True)
    report(args, seconds, rows)


def report(args: argparse.Namespace, seed_seconds: float | None, rows: list) -> None:
    baseline = rows[0][3]["rps"]
    lines = [
        f"{datetime.now():%Y-%m-%d %H:%M}, scale {args.scale:g}, {os.cpu_count()} cores, "
        f"gunicorn {args.workers} workers x {args.threads} threads, "
        f"wrk {args.connections} connections, {args.duration} s per URL"
        + (f", seed {seed_seconds:.0f} s" if seed_seconds is not None else ", database reused"),
        "",
        "| page | URL | KiB | req/s | vs baseline | p50 ms | p99 ms | errors |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, path, size, r in rows:
        lines.append(
            f"| {name} | `{path}` | {size / 1024:.0f} | {r['rps']:.0f} | "
            f"{r['rps'] / baseline:.2f} | {r['p50']:.1f} | {r['p99']:.1f} | {r['errors']} |"
        )
    text = "\n".join(lines)
    print("\n" + text)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / f"pages-{datetime.now():%Y%m%d-%H%M%S}.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
