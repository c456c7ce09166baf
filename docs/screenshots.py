"""Take the README's screenshots: the demo community in headless Chromium.

    uv run --frozen python docs/screenshots.py

Seeds the demo into a throwaway SQLite database in a temporary directory, serves
it with runserver and writes docs/screenshot-home.png (desktop) and
docs/screenshot-question-phone.png (a solved question on a phone-sized screen).
"""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
ADDRESS = "127.0.0.1:8765"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"]


def demo_env(database: Path) -> dict[str, str]:
    """The embedded default (no Redis, tasks in-process) on a SQLite file of its own."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    return {
        **env,
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def wait_until_up(url: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()  # noqa: S310 (our own local server)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def a_solved_question(page: Page) -> str:
    """The address of a solved question listed on the home page, else of the first one."""
    rows = page.locator(".question-row")
    solved = rows.filter(has=page.locator(".badge-solved"))
    row = solved.first if solved.count() else rows.first
    return row.get_by_role("link").first.get_attribute("href")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = demo_env(Path(tmp) / "peerdesk-shot.sqlite3")
        manage("migrate", "--noinput", "-v", "0", env=env)
        manage("seed_demo", env=env)
        shoot(env)
    print("Wrote", *sorted(p.name for p in DOCS.glob("screenshot-*.png")))


def shoot(env: dict[str, str]) -> None:
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", ADDRESS, "--noreload"], cwd=ROOT, env=env
    )
    try:
        wait_until_up(f"http://{ADDRESS}/healthz")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            desktop = browser.new_page(
                base_url=f"http://{ADDRESS}", viewport={"width": 1280, "height": 860}
            )
            desktop.goto("/")
            desktop.screenshot(path=DOCS / "screenshot-home.png")
            question = a_solved_question(desktop)

            phone = browser.new_page(
                base_url=f"http://{ADDRESS}",
                viewport={"width": 390, "height": 844},
                device_scale_factor=2,
                is_mobile=True,
                has_touch=True,
            )
            phone.goto(question)
            phone.screenshot(path=DOCS / "screenshot-question-phone.png")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
