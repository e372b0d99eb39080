"""Settings shared by every environment. Everything that differs comes from the environment."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin with a site that admits only a session that passed the second factor.
    "accounts.two_factor.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "treebeard",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "common",
    "accounts",
    "governance",
    "grids",
    "cases",
    "volunteers",
    "property_mgmt",
    "supports",
    "dashboards",
    "bench",
    "shell",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "common.middleware.RefuseNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    # The second factor before anything else a signed-in user reaches, the password change too.
    "accounts.two_factor.middleware.TwoFactorRequiredMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes must be last: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "shell.context_processors.portal",
                "cases.context_processors.notifications",
            ],
        },
    },
]

# --- Data stores -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# A read replica for dashboards, exports and the API's heavy reads (common.db); off unless set.
# Writes, logins and anything inside a transaction stay on the primary.
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = {
        **dj_database_url.parse(
            env_str("DATABASE_REPLICA_URL", ""),
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        ),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["common.db.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        # Degrades to "no cache" while Redis is down (common.cache): nothing in it is the only copy.
        "BACKEND": "common.cache.DegradingRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "portal",
        "TIMEOUT": 300,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}

# --- Accounts, sessions and login security ----------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Idle timeout: a session lives 30 minutes after it was last saved. A signed-in request saves it
# when its last save is a minute old or more (accounts.middleware.SessionLifetimeMiddleware), not
# on every request: the idle timeout is 29 to 30 minutes, and a page costs no session write.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_TOUCH_SECONDS = env_int("SESSION_TOUCH_SECONDS", 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Absolute timeout, enforced by accounts.middleware.SessionLifetimeMiddleware.
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
# The district lets street offices keep the accounts of their own communities' workers
# (community staff and grid workers) in the back office. Off: only the district admin does.
PORTAL_STREETS_MANAGE_USERS = env_bool("PORTAL_STREETS_MANAGE_USERS", False)

# django-axes: lock a *username* (whatever the IP) for 30 minutes after 5 failures.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)
# The address behind that many proxies (accounts.client_ip), for the lockout, the audit log and
# the API throttles alike: a forged X-Forwarded-For entry is never taken for the client.
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_address"
AXES_VERBOSE = False
# Street and community offices sit behind one shared address: locking an IP would lock out a
# whole office after five typos, so the lock is per username (axes.W006 warns about exactly this).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# The second factor (accounts.two_factor): TOTP apps show this name beside the account. A wrong
# code holds the device for 1, 2, 4, 8 … seconds (django-otp's throttle); the back office never
# shows a device's key.
OTP_TOTP_ISSUER = "党建引领基层治理门户"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Residents' ID numbers and phones are encrypted with these Fernet keys (comma-separated: the
# first encrypts, all decrypt, for rotation). `python -c "from cryptography.fernet import
# Fernet; print(Fernet.generate_key().decode())"` makes one. See accounts/personal_data.py.
PERSONAL_DATA_KEYS = env_list("PERSONAL_DATA_KEY")

# Case messages (SMS / e-mail) go through this channel class: the default logs one line per
# message (no phone, no name); cases.messaging.EmailChannel mails through EMAIL_BACKEND; an SMS
# provider is one more class with the same send() method, named here.
CASES_MESSAGE_CHANNEL = env_str("CASES_MESSAGE_CHANNEL", "cases.messaging.LoggingChannel")
# The outbox relay (cases.services.outbox): a message the channel refuses is tried again after
# 30 s, 1, 2, 4 … minutes (at most an hour apart), and marked failed after this many attempts.
CASES_OUTBOX_MAX_ATTEMPTS = env_int("CASES_OUTBOX_MAX_ATTEMPTS", 8)
CASES_OUTBOX_BACKOFF_SECONDS = env_int("CASES_OUTBOX_BACKOFF_SECONDS", 30)
CASES_OUTBOX_BACKOFF_MAX_SECONDS = 3600
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "portal@localhost")

# Demo accounts share one published password; see accounts.checks and seed_demo.
DEMO_PASSWORD = "Portal-demo-2026"
# The privileged demo accounts' authenticator key (base32, as typed into a TOTP app); public
# like the password, and refused in production likewise (accounts.E002).
DEMO_TOTP_SECRET = "PORTALDEMOSECRETKEYFORDEMOSTWOFA"

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# ISO first in every language: what <input type=date> and datetime-local accept (config/formats).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / ".data" / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # ECharts from package-lock.json (`npm ci`, run by `make setup`): served by us, no CDN.
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / ".data" / "media")))
# Files no URL serves (case photos, export jobs' workbooks): a view checks who asks first.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / ".data" / "private")))
# With a reverse proxy's internal location for PRIVATE_MEDIA_ROOT (e.g. "/_private/"), private
# files are sent by the proxy (X-Accel-Redirect) once the view has checked who asks.
PRIVATE_MEDIA_ACCEL_PREFIX = env_str("PRIVATE_MEDIA_ACCEL_PREFIX", "")
# Excel exports of more rows than this run as a Celery job with a progress page (common.exports).
PORTAL_EXPORT_SYNC_ROWS = env_int("PORTAL_EXPORT_SYNC_ROWS", 5000)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes "not logged in" a 401, not a 403.
        # The portal's own named, expiring, hashed tokens (accounts.authentication).
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "common.api.pagination.PortalPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "common.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": "10/min"},
}
# API tokens (accounts.ApiToken): the lifetime a new token gets unless asked, and the longest.
# The token endpoint's throttle (accounts.throttling) keys on accounts.client_ip, as the lockout.
API_TOKEN_DEFAULT_DAYS = env_int("API_TOKEN_DEFAULT_DAYS", 90)
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365)
SPECTACULAR_SETTINGS = {
    "TITLE": "党建引领基层治理门户 API",
    "DESCRIPTION": "Community governance portal API. All lists are cut to the caller's scope.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Every operation documents the error contract's 4xx answers (common.api.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "common.api.schema.document_errors",
    ],
    # One schema name per choice set (several models have a "kind" or a "post").
    "ENUM_NAME_OVERRIDES": {
        "CaseStateEnum": "cases.models.CaseState",
        "VolunteerTeamKindEnum": "volunteers.models.TeamKind",
        "ActivityKindEnum": "volunteers.models.ActivityKind",
        "VulnerableTagEnum": "governance.models.VulnerableTag",
        "TierEnum": "cases.models.Tier",
        "CaseSourceEnum": "cases.models.CaseSource",
        "NotificationKindEnum": "cases.models.NotificationKind",
        "PartyOrgKindEnum": "governance.models.PartyOrgKind",
        "NeedKindEnum": "governance.models.NeedKind",
        "GridKindEnum": "grids.models.GridKind",
        "StationKindEnum": "grids.models.StationKind",
        "VisitKindEnum": "grids.models.VisitKind",
        "WorkerPostEnum": "grids.models.WorkerPost",
        "GridPostEnum": "grids.models.GridPost",
        "ServiceKindEnum": "grids.models.ServiceKind",
        "CampaignPersonKindEnum": "volunteers.models.PersonKind",
        "ResourceKindEnum": "volunteers.models.ResourceKind",
        "TaskKindEnum": "volunteers.models.TaskKind",
        "NeedSourceEnum": "volunteers.models.NeedSource",
        "EvidenceKindEnum": "volunteers.models.EvidenceKind",
        "AssessmentEnum": "volunteers.models.Assessment",
        "ContractKindEnum": "property_mgmt.models.ContractKind",
        "ComplaintKindEnum": "property_mgmt.models.ComplaintKind",
        "MeetingKindEnum": "property_mgmt.models.MeetingKind",
        "ServiceLineEnum": "supports.models.ServiceLine",
        "ApplicantResultEnum": "supports.models.ApplicantResult",
        "FundKindEnum": "supports.models.FundKind",
        "SessionKindEnum": "supports.models.SessionKind",
    },
}

# --- Celery -----------------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task taken by a worker that is then killed (acks_late: not yet acknowledged) goes back to the
# queue after the visibility timeout, Redis's default of an hour. It must stay longer than the
# longest task may run (exports: 30 minutes) or a running task would be handed out twice; the
# messages do not wait for it: the outbox relay runs on beat and takes up any pending row.
# Publishing gives up after one quick retry (kombu's default keeps a request waiting 6 s for a
# broker that is down); what must not be lost is in the database, not in the queue.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 35 * 60,
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# Tasks whose ack cannot reach a lost broker are cancelled and redelivered, not silently kept.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions_task",
        "schedule": crontab(hour=3, minute=17),
    },
    "sweep-overdue-cases": {
        "task": "cases.tasks.sweep_overdue_task",
        "schedule": 60.0,
    },
    "relay-outbox": {
        "task": "cases.tasks.relay_outbox_task",
        "schedule": 10.0,
    },
    "fold-dashboard-rollups": {
        "task": "dashboards.tasks.fold_rollups_task",
        "schedule": 60.0,
    },
    "purge-expired-exports": {
        "task": "common.tasks.purge_exports_task",
        "schedule": crontab(minute=41),
    },
    "purge-expired-idempotency-keys": {
        "task": "common.tasks.purge_idempotency_keys_task",
        "schedule": crontab(minute=47),
    },
    # Property complaints follow contracts that start or run out: hourly at :05, so the change
    # is made five minutes after midnight and a missed run is caught up within the hour.
    "resync-property-routing": {
        "task": "property_mgmt.tasks.resync_routing_task",
        "schedule": crontab(minute=5),
    },
}

# --- Logging: never write residents' personal data; requests are logged without bodies ----------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_data": {"()": "accounts.logging.MaskPersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # The dev server's access lines carry query strings (an Open311 api_key): Django's own
        # handler for them has no filter, so they go through the masking console instead.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

PORTAL_NAME = _("党建引领基层治理门户")

# --- Content Security Policy (django-csp) -----------------------------------------------------
# Scripts only from the portal's own static files (and the few inline ones that carry
# ``nonce="{{ request.csp_nonce }}"``): data planted in a name can never run. Styles may be
# inline because ECharts and htmx set them; nothing is loaded from another host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
