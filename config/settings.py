"""Peerdesk settings, read from the environment (django-environ).

With nothing set, the site runs on an embedded default: SQLite under var/,
an in-memory cache, mail to the console and Celery tasks run in-process.
Production hardening is on whenever DEBUG is off.
"""

import logging
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Exchange, Queue

from config.oidc import oidc_apps

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
log = logging.getLogger("peerdesk.settings")

DEBUG = env.bool("DEBUG", default=False)
# A secret key is mandatory when DEBUG is off; development gets a fixed, clearly unsafe one.
SECRET_KEY = env.str("SECRET_KEY") if not DEBUG else env.str("SECRET_KEY", "dev-only-insecure-key")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
SITE_ID = 1

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.facebook",
    "allauth.socialaccount.providers.openid_connect",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_htmx",
    "branding",
    "accounts",
    "search",
    "community",
    "rewards",
    "moderation",
    "notifications",
    "privacy",
    "billing",
    "insights",
    "webhooks",
    "widget",
    "demo",  # on top: seeds every app above, imported by none
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.NulBytesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "accounts.middleware.AuthenticationMiddleware",  # Django's, roles kept in the cache
    "core.replica.ReplicaMiddleware",  # needs request.user; a no-op without a replica
    "rewards.middleware.HouseholdSignalMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffMFARequiredMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "privacy.middleware.RequiredConsentMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.notifications",
                "branding.context_processors.brand",
                "core.context_processors.staff_menu",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------

VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'peerdesk.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Measured here: health checks with persistent connections halve failed
    # requests across a PostgreSQL restart.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Measured here: JIT compilation added ~300 ms to a year's statistics query that
    # runs in ~1 s without it, and never pays off for this application's short queries.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    if env.str("DATABASE_POOLER", default="") == "pgbouncer":
        # PgBouncer in transaction mode (docs/deploy.md): each transaction may run on
        # another server connection, so nothing may outlive one. No startup options
        # (PgBouncer refuses them: set jit off with ALTER ROLE), no server-side cursors.
        # Prepared statements there are none: Django binds parameters on the client.
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    else:
        options["options"] = "-c jit=off"
else:
    # The embedded demo database: covering indexes and the rollup's NULLS NOT DISTINCT
    # constraint exist on PostgreSQL only, which production and the tests use.
    SILENCED_SYSTEM_CHECKS = ["models.W040", "models.W047"]
if env.str("DATABASE_REPLICA_URL", default=""):
    # A read replica for visitors' reads (core.replica, docs/deploy.md), connected like
    # the primary; in the tests it is the test database itself.
    replica = env.db("DATABASE_REPLICA_URL")
    for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "DISABLE_SERVER_SIDE_CURSORS"):
        if key in DATABASES["default"]:
            replica[key] = DATABASES["default"][key]
    replica["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {}), **replica.get("OPTIONS", {})}
    replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = replica
    DATABASE_ROUTERS = ["core.replica.Router"]
    REPLICA_STICKY_SECONDS = 10  # a browser reads the primary this long after it wrote
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Redis down: pages go on, uncached (core.cache); a Redis that does not answer
    # costs at most these timeouts, then is left alone a few seconds.
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "peerdesk",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
    # In the database behind the cache: members stay signed in when Redis is down. A
    # logout meanwhile holds: the lost delete makes the site forget its keys once Redis
    # is back (core.cache).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery -------------------------------------------------------------------

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Measured here: without these a worker killed mid-task loses the task.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# The daily settlement of points (rewards.settlement), at this hour local time.
SETTLEMENT_HOUR = env.int("SETTLEMENT_HOUR", default=3)
CELERY_BEAT_SCHEDULE: dict = {
    "search-logs-expire": {
        "task": "search.tasks.logs_expire",
        "schedule": crontab(minute=30, hour=3),
    },
    "privacy-erasure-sweep": {"task": "privacy.tasks.erasure_due_sweep", "schedule": 3600},
    "privacy-export-sweep": {"task": "privacy.tasks.privacy_sweep", "schedule": 300},
    "rewards-settlement": {
        "task": "rewards.tasks.settlement.settle",
        "schedule": crontab(minute=0, hour=SETTLEMENT_HOUR),
    },
    "rewards-settlement-sweep": {"task": "rewards.tasks.settlement.sweep", "schedule": 300},
    "rewards-household-sweep": {
        "task": "rewards.tasks.abuse.household_sweep",
        "schedule": crontab(minute=30, hour=4),
    },
    "rewards-bounty-refunds": {"task": "rewards.tasks.abuse.bounty_refund_due", "schedule": 900},
    "notifications-reminders": {
        "task": "notifications.loop_tasks.reminders_send",
        "schedule": 3600,
    },
    "community-escalations": {"task": "notifications.loop_tasks.escalations_run", "schedule": 600},
    "notifications-email-sweep": {"task": "notifications.tasks.email_sweep", "schedule": 300},
    "notifications-digest": {
        "task": "notifications.tasks.digest_hourly",
        "schedule": crontab(minute=0),
    },
    "notifications-fan-out-sweep": {"task": "notifications.tasks.fan_out_sweep", "schedule": 600},
    "insights-contact-sweep": {"task": "insights.tasks.contact_sweep", "schedule": 300},
    "insights-points-rollup": {
        "task": "insights.tasks.points_rollup",
        "schedule": crontab(minute=15),
    },
    "insights-events-rollup": {
        "task": "insights.tasks.events_rollup",
        "schedule": crontab(minute=15),
    },
    "privacy-visitor-salts": {"task": "privacy.tasks.visitor_salts_expire", "schedule": 3600},
    "insights-signal-counts": {"task": "insights.tasks.signal_counts_expire", "schedule": 3600},
    "community-kudos-changes": {
        "task": "community.tasks.kudos_changes_expire",
        "schedule": 3600,
    },
    # Sends the webhook deliveries that are due: retries, and those whose task was lost.
    "webhooks-sweep": {"task": "webhooks.tasks.sweep", "schedule": 60},
    "webhooks-prune": {"task": "webhooks.tasks.prune", "schedule": crontab(minute=45, hour=4)},
}
# Queues by kind, each served by workers of its own (docs/deploy.md): a flood of
# notification emails never delays a payout or an erasure's deadline. `default` takes
# the rest (search logs, insights, community upkeep). A worker started without `-Q`
# serves them all (docker-compose, one machine).
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = [
    Queue(name, Exchange(name), routing_key=name)
    for name in ("money", "privacy", "mail", "default")
]
CELERY_TASK_ROUTES = {
    "rewards.*": {"queue": "money"},
    "privacy.*": {"queue": "privacy"},
    "notifications.*": {"queue": "mail"},
    # Messages to the outside world like emails: waiting on another server's answer.
    "webhooks.*": {"queue": "mail"},
}
# Task modules that autodiscovery (which imports each app's `tasks`) does not find.
CELERY_IMPORTS = [
    "notifications.reminders.tasks",
    "privacy.erasure.tasks",
    "privacy.export.tasks",
]
if not REDIS_URL:
    log.warning("REDIS_URL is not set: Celery tasks run in-process (no broker, no worker).")

# --- Accounts -------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# allauth's own throttles, stated here so they are visible and tunable.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
PRIVACY_ERASURE_GRACE_DAYS = env.int("PRIVACY_ERASURE_GRACE_DAYS", default=14)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "accounts.adapter.MFAAdapter"  # the brand's name in authenticator apps
# Social login asks for name and email only; the member picks a display name.
SOCIALACCOUNT_ADAPTER = "accounts.social.SocialAccountAdapter"
SOCIALACCOUNT_FORMS = {"signup": "accounts.social.SocialSignupForm"}
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
# "Log in with your <brand> account" (docs/oidc.md): the brand's own identity providers,
# a JSON list in OIDC_PROVIDERS or one in the OIDC_* variables, checked by config.oidc.
OIDC_APPS = oidc_apps(
    listed=env.str("OIDC_PROVIDERS", default=""),
    single={
        "id": env.str("OIDC_ID", default=""),
        "name": env.str("OIDC_NAME", default=""),
        "server_url": env.str("OIDC_SERVER_URL", default=""),
        "client_id": env.str("OIDC_CLIENT_ID", default=""),
        "secret": env.str("OIDC_CLIENT_SECRET", default=""),
        "scopes": env.str("OIDC_SCOPES", default=""),
        "customer_number_claim": env.str("OIDC_CUSTOMER_NUMBER_CLAIM", default=""),
        "name_claim": env.str("OIDC_NAME_CLAIM", default=""),
    },
    debug=DEBUG,
)
SOCIALACCOUNT_PROVIDERS = {
    "google": {"SCOPE": ["openid", "email", "profile"], "AUTH_PARAMS": {"access_type": "online"}},
    "facebook": {"METHOD": "oauth2", "SCOPE": ["email"], "FIELDS": ["id", "email", "name"]},
    # PKCE also for the brand's providers added in the admin ("Social applications").
    "openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": OIDC_APPS},
}
# Staff (accounts.roles.is_staff_member) may log in only through such a provider.
STAFF_LOGIN_OIDC_ONLY = env.bool("STAFF_LOGIN_OIDC_ONLY", default=False)
if STAFF_LOGIN_OIDC_ONLY and not OIDC_APPS:
    raise ImproperlyConfigured(
        "STAFF_LOGIN_OIDC_ONLY needs an OpenID Connect provider (OIDC_PROVIDERS or "
        "OIDC_SERVER_URL): staff could not log in at all (docs/oidc.md)."
    )

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Peerdesk <community@peerdesk.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Billing ----------------------------------------------------------------------

# "local" records credits and verification codes in the database (demos); "webhook"
# posts them, signed, to the billing system (docs/billing-webhook.md).
BILLING_GATEWAY = env.str("BILLING_GATEWAY", default="local")
BILLING_WEBHOOK_URL = env.str("BILLING_WEBHOOK_URL", default="")
BILLING_WEBHOOK_SECRET = env.str("BILLING_WEBHOOK_SECRET", default="")
BILLING_TIMEOUT = env.float("BILLING_TIMEOUT", default=10.0)
# What a customer number looks like once spaces are removed and letters upper-cased.
CUSTOMER_NUMBER_PATTERN = env.str("CUSTOMER_NUMBER_PATTERN", default=r"^[A-Z0-9]{6,20}$")

# --- Webhooks (docs/webhooks.md) ----------------------------------------------------

# Endpoints must be https and public internet addresses (no SSRF into our own network);
# development and tests may use http and local receivers.
WEBHOOKS_ALLOW_HTTP = env.bool("WEBHOOKS_ALLOW_HTTP", default=DEBUG)
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", default=DEBUG)
# Seconds an attempt may take in all (connecting within at most 3 of them).
WEBHOOKS_TIMEOUT = env.float("WEBHOOKS_TIMEOUT", default=10.0)
WEBHOOKS_DISABLE_AFTER_FAILURES = env.int("WEBHOOKS_DISABLE_AFTER_FAILURES", default=20)
# After a rotation, requests carry the old secret's signature too for this long.
WEBHOOKS_SECRET_OVERLAP_HOURS = env.int("WEBHOOKS_SECRET_OVERLAP_HOURS", default=24)
# Events and their delivery log are deleted after this many days.
WEBHOOKS_RETENTION_DAYS = env.int("WEBHOOKS_RETENTION_DAYS", default=30)

# --- Internationalisation ----------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Berlin")
# Celery's crontab entries (the daily settlement) are in local time too.
CELERY_TIMEZONE = TIME_ZONE
LANGUAGE_COOKIE_NAME = "peerdesk_language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and media --------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# An S3-compatible object store (docs/object-storage.md), so that no file is kept on the
# web host: with a bucket named, its files go there instead of to MEDIA_ROOT or
# EXPORTS_ROOT. Media (avatars) in a public bucket, unsigned URLs, cached for a year
# (their names are unguessable and never reused); data exports in a private bucket of
# their own, handed out by signed URLs valid for 60 s (privacy.export.s3).
OBJECT_STORAGE_MEDIA_BUCKET = env.str("OBJECT_STORAGE_MEDIA_BUCKET", default="")
OBJECT_STORAGE_EXPORTS_BUCKET = env.str("OBJECT_STORAGE_EXPORTS_BUCKET", default="")
# Empty: Amazon S3 itself (virtual-hosted addressing); else the store's endpoint (MinIO,
# Ceph, R2, ...), addressed path-style (https://host/bucket/key), which they all serve.
OBJECT_STORAGE_URL = env.str("OBJECT_STORAGE_URL", default="")
OBJECT_STORAGE_MEDIA_DOMAIN = env.str("OBJECT_STORAGE_MEDIA_DOMAIN", default="")
_object_storage: dict = {}
# The origin of the media bucket's URLs, which a Content-Security-Policy's img-src must
# allow; "" for media on local files (served by this site).
MEDIA_ORIGIN = ""
if OBJECT_STORAGE_MEDIA_BUCKET or OBJECT_STORAGE_EXPORTS_BUCKET:
    from botocore.config import Config

    _region = env.str("OBJECT_STORAGE_REGION", default="")
    # A slow or unreachable store fails a request within seconds instead of holding a web
    # worker: connect within 2 s, each answer within OBJECT_STORAGE_TIMEOUT, one retry.
    _timeout = env.float("OBJECT_STORAGE_TIMEOUT", default=5.0)
    _object_storage = {
        "endpoint_url": OBJECT_STORAGE_URL or None,
        "region_name": _region or None,
        # Empty: boto3's own chain (AWS_* variables, a profile, the instance's role).
        "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
        "client_config": Config(
            connect_timeout=min(2.0, _timeout),
            read_timeout=_timeout,
            retries={"total_max_attempts": 2, "mode": "standard"},
            signature_version="s3v4",
            s3={"addressing_style": "path" if OBJECT_STORAGE_URL else "auto"},
        ),
    }
if OBJECT_STORAGE_MEDIA_BUCKET:
    from urllib.parse import urlsplit

    if OBJECT_STORAGE_MEDIA_DOMAIN:
        MEDIA_ORIGIN = f"https://{OBJECT_STORAGE_MEDIA_DOMAIN}"
    elif OBJECT_STORAGE_URL:
        MEDIA_ORIGIN = "{0.scheme}://{0.netloc}".format(urlsplit(OBJECT_STORAGE_URL))
    else:
        MEDIA_ORIGIN = f"https://{OBJECT_STORAGE_MEDIA_BUCKET}.s3.amazonaws.com"
STORAGES = {
    "default": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **_object_storage,
                "bucket_name": OBJECT_STORAGE_MEDIA_BUCKET,
                "querystring_auth": False,
                # Empty when the bucket's policy makes it public (AWS with ACLs disabled).
                "default_acl": env.str("OBJECT_STORAGE_MEDIA_ACL", default="public-read") or None,
                "custom_domain": OBJECT_STORAGE_MEDIA_DOMAIN or None,
                "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            },
        }
        if OBJECT_STORAGE_MEDIA_BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
    # Members' data exports: outside MEDIA_ROOT, no URL; served only by the download view.
    "exports": (
        {
            "BACKEND": "privacy.export.s3.PrivateS3Storage",
            "OPTIONS": {**_object_storage, "bucket_name": OBJECT_STORAGE_EXPORTS_BUCKET},
        }
        if OBJECT_STORAGE_EXPORTS_BUCKET
        else {
            "BACKEND": "privacy.export.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": env.path("EXPORTS_ROOT", default=VAR_DIR / "exports")},
        }
    ),
}
# A web server's internal location for exports (nginx X-Accel-Redirect), e.g.
# "/internal-exports/"; empty: the download view streams the file itself.
EXPORTS_ACCEL_REDIRECT = env.str("EXPORTS_ACCEL_REDIRECT", default="")

# --- API -------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous request is told 401 (with a challenge), not 403.
        "accounts.tokens.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["config.api_input.JSONParser"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Peerdesk API",
    "DESCRIPTION": "Questions, answers, votes and 'solved too' marks of a Peerdesk community.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.declare_refusals",
    ],
    # The API docs page loads Redoc from our static files, not from a CDN.
    "REDOC_DIST": "SIDECAR",
    # Two models have a `state`: each gets its own name instead of a numbered one.
    "ENUM_NAME_OVERRIDES": {
        "StateEnum": "privacy.models.PrivacyRequest.State",
        "CustomerLinkStateEnum": "accounts.models.CustomerAccountLink.State",
    },
}

# --- Security ----------------------------------------------------------------------

# Which address is the client's (core.net.client_ip, used by every limit and by
# allauth's login throttles): the number of proxies of ours in front of the site, each
# appending to X-Forwarded-For (1 for nginx, 2 for a CDN in front of a load balancer;
# 0, the default, ignores the header). Or a header that a trusted proxy sets to the
# client's address (e.g. CF-Connecting-IP).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
TRUSTED_CLIENT_IP_HEADER = env.str("TRUSTED_CLIENT_IP_HEADER", default="")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy on every response (django-csp): no inline script or style, no
# eval, nothing from another origin. The API docs and the social login pages relax it for
# themselves only (their views in config.urls).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([MEDIA_ORIGIN] if MEDIA_ORIGIN else [])],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Links in emails (allauth) follow the scheme the site is served with.
    ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SECURE_SSL_REDIRECT else "http"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # httpx logs every request at INFO: one line per credit sent to the billing system.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "httpx": {"level": "WARNING"}},
}

# --- Community limits ----------------------------------------------------------------

PEERDESK = {
    # Days the anonymous search log (search.SearchLog) keeps what was searched for.
    "SEARCH_LOG_DAYS": env.int("SEARCH_LOG_DAYS", default=180),
    "QUESTION_TITLE_MIN": 10,
    "QUESTION_TITLE_MAX": 200,
    "QUESTION_BODY_MIN": 20,
    "ANSWER_BODY_MIN": 10,
    "BODY_MAX": 20_000,
    "TAGS_MAX": 5,
    "ANSWERS_PER_PAGE": 20,
    "QUESTIONS_PER_PAGE": 25,
    # Notifications: the local hour of the daily digest, the reminder to mark a solution
    # (days after the first answer), and invitations to answer per member and day.
    "DIGEST_HOUR": 8,
    "REMINDER_AFTER_DAYS": 3,
    "INVITES_PER_DAY": 5,
    # The posting, voting and flagging limits of each trust level (moderation.gate).
    "RATE_LIMITS": True,
    # "Solved for me too" marks and contact-page deflections (insights.proof): per member
    # or visitor and day; anonymous ones per network and day, and per network, question
    # and day. More is a forged flood, refused with 429 and not counted. An anonymous
    # one needs a page viewed between these many seconds before.
    "SOLVED_MARKS_PER_DAY": 20,
    "SIGNALS_PER_NETWORK": 20,
    "SIGNALS_PER_NETWORK_AND_QUESTION": 3,
    "SIGNAL_PROOF_MIN_SECONDS": 2,
    "SIGNAL_PROOF_MAX_SECONDS": 2 * 60 * 60,
}

# --- Contact page (insights) ----------------------------------------------------------

# Where "I still need help" requests go: an email address of the support team, and/or
# a support system's webhook (JSON, signed with HMAC-SHA256 like the billing webhook).
SUPPORT_CONTACT_EMAIL = env.str("SUPPORT_CONTACT_EMAIL", default="")
SUPPORT_WEBHOOK_URL = env.str("SUPPORT_WEBHOOK_URL", default="")
SUPPORT_WEBHOOK_SECRET = env.str("SUPPORT_WEBHOOK_SECRET", default="")
# Days after which a forwarded request's name, email and message are blanked.
CONTACT_RETENTION_DAYS = env.int("CONTACT_RETENTION_DAYS", default=90)
