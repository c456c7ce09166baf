"""docker-compose.yml and the Dockerfile describe the whole stack (no Docker engine needed)."""

import json
import re
import shlex

import pytest
import yaml

from tests.config.conftest import BASE_DIR, load_settings, settings_variables

APP_SERVICES = ("web", "worker", "beat", "migrate")


@pytest.fixture(scope="module")
def services() -> dict:
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())["services"]


@pytest.fixture(scope="module")
def dockerfile() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (INSTRUCTION, arguments), continuation lines joined."""
    text = re.sub(r"\\\n", " ", (BASE_DIR / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def _arguments(dockerfile, instruction: str) -> list[str]:
    return [args for name, args in dockerfile if name == instruction]


def _command(service: dict) -> list[str]:
    command = service["command"]
    return command if isinstance(command, list) else shlex.split(command)


def _resolved(value: str) -> str:
    """Compose's ${NAME:-default} interpolation, as with NAME unset."""
    return re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", value)


def test_compose_defines_web_worker_beat_postgres_redis_and_a_mail_catcher(services):
    assert {"web", "worker", "beat", "postgres", "redis", "mailpit"} <= services.keys()


@pytest.mark.parametrize("name", ["worker", "beat", "migrate"])
def test_service_reuses_the_web_image_build_and_environment(services, name):
    web, other = services["web"], services[name]
    assert other["image"] == web["image"]
    assert other["build"] == web["build"]
    assert other["environment"] == web["environment"]


def test_web_serves_the_image_command_gunicorn(services, dockerfile):
    assert "command" not in services["web"]
    (cmd,) = _arguments(dockerfile, "CMD")
    assert json.loads(cmd)[:2] == ["gunicorn", "config.wsgi:application"]
    assert services["web"]["ports"] == ["8000:8000"]


def test_worker_runs_a_celery_worker_of_the_config_app(services):
    assert _command(services["worker"])[:4] == ["celery", "-A", "config", "worker"]


def test_beat_runs_celery_beat_of_the_config_app(services):
    assert _command(services["beat"])[:4] == ["celery", "-A", "config", "beat"]


def test_migrations_run_once_before_web_worker_and_beat_start(services):
    assert _command(services["migrate"]) == ["python", "manage.py", "migrate", "--noinput"]
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_wait_for_healthy_postgres_and_redis(services, name):
    depends_on = services[name]["depends_on"]
    assert depends_on["postgres"] == {"condition": "service_healthy"}
    assert depends_on["redis"] == {"condition": "service_healthy"}
    assert "healthcheck" in services["postgres"]
    assert "healthcheck" in services["redis"]


def test_backing_services_are_postgresql_15_or_16_redis_7_and_mailpit(services):
    assert re.fullmatch(r"postgres:1[56](\.\d+)?(-\w+)?", services["postgres"]["image"])
    assert re.fullmatch(r"redis:7(\.\d+)*(-\w+)?", services["redis"]["image"])
    assert services["mailpit"]["image"].startswith("axllent/mailpit")
    assert "8025:8025" in services["mailpit"]["ports"]


def test_app_environment_points_at_the_compose_services(services):
    env = services["web"]["environment"]
    assert (
        env["DATABASE_URL"].startswith("postgres://") and "@postgres:5432/" in env["DATABASE_URL"]
    )
    assert env["REDIS_URL"].startswith("redis://redis:6379/")
    assert env["EMAIL_URL"] == "smtp://mailpit:1025"
    assert env["DEBUG"] == "false"
    assert env["SECURE_SSL_REDIRECT"] == "false"
    assert env["ALLOWED_HOSTS"]


def test_compose_sets_only_variables_the_settings_read(services):
    assert set(services["web"]["environment"]) <= settings_variables()


def test_compose_environment_loads_production_settings_with_postgres_redis_and_smtp(
    services, bare_env
):
    env = {name: _resolved(value) for name, value in services["web"]["environment"].items()}
    loaded, _ = load_settings(
        "DEBUG",
        "DATABASES",
        "CACHES",
        "CELERY_BROKER_URL",
        "CELERY_TASK_ALWAYS_EAGER",
        "EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "SECURE_SSL_REDIRECT",
        env={**bare_env, **env},
    )
    assert loaded["DEBUG"] is False
    assert loaded["DATABASES"]["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert loaded["DATABASES"]["default"]["HOST"] == "postgres"
    assert loaded["CACHES"]["default"]["LOCATION"] == env["REDIS_URL"]
    assert loaded["CELERY_BROKER_URL"] == env["REDIS_URL"]
    assert loaded["CELERY_TASK_ALWAYS_EAGER"] is False
    assert loaded["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (loaded["EMAIL_HOST"], loaded["EMAIL_PORT"]) == ("mailpit", 1025)
    assert loaded["SECURE_SSL_REDIRECT"] is False


def test_dockerfile_builds_on_python_311_slim_with_locked_dependencies_only(dockerfile):
    assert _arguments(dockerfile, "FROM") == ["python:3.11-slim"]
    runs = " ".join(_arguments(dockerfile, "RUN"))
    assert "pip install" in runs and "uv==" in runs
    assert "uv sync --frozen --no-dev" in runs


def test_dockerfile_collects_static_files_at_build_with_a_throwaway_key(dockerfile):
    (collect,) = [run for run in _arguments(dockerfile, "RUN") if "collectstatic" in run]
    assert "DEBUG=false" in collect and "SECRET_KEY=" in collect


def test_dockerfile_runs_as_a_non_root_user(dockerfile):
    (user,) = _arguments(dockerfile, "USER")
    assert user not in {"root", "0"}


def test_dockerfile_serves_wsgi_with_gunicorn_sync_workers(dockerfile):
    (cmd,) = _arguments(dockerfile, "CMD")
    command = json.loads(cmd)
    assert command[command.index("--worker-class") + 1] == "sync"
    assert "uvicorn" not in cmd and "asgi" not in cmd


def test_dockerfile_healthcheck_probes_healthz(dockerfile):
    (healthcheck,) = _arguments(dockerfile, "HEALTHCHECK")
    assert "http://127.0.0.1:8000/healthz" in healthcheck


def test_build_context_leaves_out_secrets_and_local_state():
    ignored = (BASE_DIR / ".dockerignore").read_text().split()
    assert {".env", ".git", ".venv", "var", "staticfiles"} <= set(ignored)
