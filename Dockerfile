# syntax=docker/dockerfile:1
# Peerdesk: one image for the web process (gunicorn), the Celery worker and beat.
FROM python:3.11-slim

ARG UV_VERSION=0.13.8
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    PATH="/app/.venv/bin:$PATH" \
    DJANGO_SETTINGS_MODULE=config.settings \
    WEB_CONCURRENCY=3

RUN pip install --no-cache-dir "uv==${UV_VERSION}"

WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-project

COPY . .
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev

# The manifest storage that whitenoise serves is only used with DEBUG off; the
# key exists for this step only and is never used at run time.
RUN DEBUG=false SECRET_KEY=build-time-only-collectstatic-key-never-used-at-run-time \
    python manage.py collectstatic --noinput

RUN useradd --system --uid 10001 --home-dir /app --no-create-home peerdesk \
    && mkdir -p /app/var/media /app/var/exports \
    && chown -R peerdesk:peerdesk /app/var
USER peerdesk

EXPOSE 8000

# ALLOWED_HOSTS decides which Host header Django accepts, so the probe sends the first one.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; h = os.environ.get('ALLOWED_HOSTS', 'localhost').split(',')[0].strip().lstrip('.'); u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': h if h and '*' not in h else 'localhost'}), timeout=4)"]

# WSGI with sync workers: measured here, ASGI with persistent connections misbehaved
# under load. gunicorn reads the number of workers from WEB_CONCURRENCY.
CMD ["gunicorn", "config.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--worker-class", "sync", \
     "--worker-tmp-dir", "/dev/shm", \
     "--no-control-socket", \
     "--max-requests", "1000", "--max-requests-jitter", "100", \
     "--access-logfile", "-"]
