"""A realistic mix for 60 s: 90 % visitors reading, 8 % members reading, 2 % members
writing (kudos on answers, given and withdrawn), through wrk with a Lua script.

    uv run --frozen python bench/load.py [--scale 1] [--reuse] [--duration 60] [--connections 16]

Uses the database of bench/pages.py (peerdesk_bench; seeded unless --reuse), serves the
site with gunicorn (DEBUG off), signs in up to 100 generated members (their sessions and
CSRF cookies made in the database) and prints throughput, latency and every answer that
was not a 2xx or 3xx. See bench/README.md.
"""

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import (  # noqa: E402 - after the path is set
    DATABASE,
    POSTGRES,
    ensure_wrk,
    environment,
    gunicorn,
    latency_ms,
    manage,
    member_cookies,
    prepare_database,
)

# Each request is drawn: up to `visitors` a visitor's page, up to `members` a member's
# read, else a member's write. Writes are htmx posts: a refusal (kudos twice, a daily
# limit) is a fragment with the reason, so any answer but a 2xx or 3xx is a fault (wrk
# counts them: "Non-2xx or 3xx responses").
SCRIPT = """
local visitor = %(visitor)s
local member = %(member)s
local answers = %(answers)s
local cookies = %(cookies)s

request = function()
  local draw = math.random(100)
  if draw <= %(visitors)d then
    return wrk.format("GET", visitor[math.random(#visitor)])
  end
  local cookie = cookies[math.random(#cookies)]
  if draw <= %(members)d then
    return wrk.format("GET", member[math.random(#member)], {["Cookie"] = cookie})
  end
  local csrf = string.match(cookie, "csrftoken=(%%w+)")
  local body = ""
  if math.random(2) == 1 then body = "withdraw=1" end
  return wrk.format("POST", "/a/" .. answers[math.random(#answers)] .. "/kudos/", {
    ["Cookie"] = cookie, ["X-CSRFToken"] = csrf, ["HX-Request"] = "true",
    ["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end

"""


def _lua(items: list) -> str:
    """A Lua table of strings or numbers (ASCII: Lua 5.1 has no \\u escapes)."""
    return "{" + ", ".join(json.dumps(item) for item in items) + "}"


def urls() -> tuple[list[str], list[str], list[int]]:
    """Visitors' pages (threads, forums, tags, home, searches), members' threads, answers."""
    with psycopg.connect(f"{POSTGRES}/{DATABASE}") as conn:
        threads = [
            f"/q/{pk}/"
            for (pk,) in conn.execute(
                "SELECT id FROM community_question WHERE visibility = 'visible'"
                " ORDER BY last_activity_at DESC LIMIT 300"
            )
        ]
        forums = [f"/f/{slug}/" for (slug,) in conn.execute("SELECT slug FROM community_forum")]
        tags = [
            f"/tags/{quote(name)}/"
            for (name,) in conn.execute("SELECT name FROM community_tag ORDER BY id LIMIT 30")
        ]
        answers = [
            pk
            for (pk,) in conn.execute(
                "SELECT id FROM community_answer WHERE visibility = 'visible' LIMIT 500"
            )
        ]
    searches = [f"/search/?q={word}" for word in ("router", "esim", "rechnung", "wlan", "roaming")]
    visitor = threads * 3 + forums * 5 + tags + ["/"] * 20 + searches * 2
    random.Random(1).shuffle(visitor)
    return visitor, threads[:100], answers


def run(args: argparse.Namespace) -> None:
    wrk = ensure_wrk()
    with tempfile.TemporaryDirectory(prefix="peerdesk-bench-static-") as static_root:
        env = environment(static_root, args.settings)
        prepare_database(env, scale=args.scale, reuse=args.reuse)
        manage(env, "collectstatic", "--noinput", "-v0")
        visitor, member, answers = urls()
        cookies = member_cookies(env, ".")  # members only: no staff group, no superuser
        script = Path(static_root) / "mix.lua"
        script.write_text(
            SCRIPT
            % {
                "visitor": _lua(visitor),
                "member": _lua(member),
                "answers": _lua(answers),
                "cookies": _lua(cookies),
                "visitors": args.visitors,
                "members": args.visitors + args.members,
            }
        )
        with gunicorn(env, port=args.port, workers=args.workers, threads=1) as base:
            result = subprocess.run(
                [wrk, "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--latency",
                 "-s", str(script), base],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
    if result.stderr:  # a script wrk cannot run is reported, and wrk loads "/" instead
        sys.exit(f"wrk: {result.stderr}")
    output = result.stdout
    report(args, output, members=len(cookies))


def report(args: argparse.Namespace, output: str, *, members: int) -> None:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    total = int(re.search(r"(\d+) requests in", output).group(1))
    faults = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)$", output, re.MULTILINE)
    print(
        f"mix {args.visitors}/{args.members}/{100 - args.visitors - args.members},"
        f" {args.connections} connections, {args.duration} s, scale {args.scale:g},"
        f" gunicorn {args.workers} workers, {members} members signed in"
    )
    print(f"requests {total:,}, {rps:.0f} req/s, p50 {latency_ms(output, '50'):.1f} ms,"
          f" p99 {latency_ms(output, '99'):.1f} ms")  # fmt: skip
    print("answers not 2xx/3xx:", faults.group(1) if faults else "none")
    print("socket errors:", errors.group(1) if errors else "none")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1)
    parser.add_argument("--reuse", action="store_true", help="keep the seeded database")
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--visitors", type=int, default=90, help="percent visitors' reads")
    parser.add_argument("--members", type=int, default=8, help="percent members' reads")
    parser.add_argument("--settings", default="bench.settings")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
