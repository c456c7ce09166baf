"""Helpers for tests that load the settings or run the site in a fresh process.

The test process has already loaded config.settings_test, so what the settings do
with a given environment can only be seen in a new interpreter.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)


def settings_variables() -> set[str]:
    """Every environment variable config/settings.py reads through django-environ."""
    source = (BASE_DIR / "config" / "settings.py").read_text()
    return set(re.findall(r'\benv(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]*)"', source))


def database_url() -> str:
    """The test database (test_peerdesk_<tag>) as a DATABASE_URL for another process."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def bare_environment() -> dict[str, str]:
    """This process's environment without any variable the settings read, on config.settings."""
    env = {k: v for k, v in os.environ.items() if k not in settings_variables()}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return env


@pytest.fixture
def bare_env() -> dict[str, str]:
    return bare_environment()


def run_python(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


_SNAPSHOT = """
import json
import django
django.setup()
from django.conf import settings
print(json.dumps({name: getattr(settings, name) for name in %r}, default=str))
"""


def load_settings(*names: str, env: dict[str, str]) -> tuple[dict, str]:
    """Load config.settings in a new interpreter; returns the named settings and stderr."""
    result = run_python("-c", _SNAPSHOT % (names,), env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1]), result.stderr
