"""Production settings pass Django's deployment checklist and refuse to start without a key."""

import secrets

import pytest

from tests.config.conftest import database_url, run_python


@pytest.fixture
def production_env(bare_env, django_db_setup) -> dict[str, str]:
    return {
        **bare_env,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "community.example.com",
        "DATABASE_URL": database_url(),
        "REDIS_URL": "redis://127.0.0.1:6379/5",
    }


def test_production_settings_pass_check_deploy_without_warnings(production_env):
    result = run_python(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING", env=production_env
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_settings_refuse_to_load_with_debug_off_and_no_secret_key(production_env):
    del production_env["SECRET_KEY"]
    result = run_python("-c", "import django; django.setup()", env=production_env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: Set the SECRET_KEY environment variable" in result.stderr
