"""Settings shared by every environment. Everything configurable comes through lms.env."""

from __future__ import annotations

import datetime
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

from lms.env import env_bool, env_int, env_list, env_networks, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEVELOPMENT_SECRET_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # project apps, lowest layer first (docs/architecture.md "Layers")
    "core",
    "accounts",
    "hours",
    "schools",
    "content",
    "assessments",
    "courses",
    "badges",
    "certificates",
    "xapi",
    "exchange",
    "lms",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # third party
    "guardian",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lms.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "lms.urls"

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
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "lms.wsgi.application"

# Database: SQLite in the project folder unless DATABASE_URL says otherwise.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
# SQLite for concurrent requests (docs/decisions/0022-sqlite-for-concurrent-requests.md): WAL lets readers run beside
# the one writer; IMMEDIATE takes the write lock when a transaction begins, so a transaction that read first cannot
# fail with "database is locked" when it writes (SQLite does not wait for a lock a reader asks to upgrade); writers
# queue for up to `timeout` seconds. Applied to any SQLite URL, the embedded default included.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def sqlite_for_concurrency(database: dict) -> dict:
    """The database settings with SQLITE_OPTIONS when the engine is SQLite (no persistent connections)."""
    if database["ENGINE"].endswith("sqlite3"):
        database["CONN_MAX_AGE"] = 0
        database["OPTIONS"] = {**database.get("OPTIONS", {}), **SQLITE_OPTIONS}
    return database


DATABASES = {
    "default": sqlite_for_concurrency(dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 60)))
}
USING_POSTGRESQL = DATABASES["default"]["ENGINE"].endswith("postgresql")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.UsernameOrPhoneBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "/"
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row, anonymous users have no object permissions

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Chinese first, English complete.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Email: the console unless an SMTP host is configured.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@volunteer.example.cn")

# Celery: eager in-process unless a broker is configured.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", CELERY_BROKER_URL is None)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
# Tasks record their outcome in the database; nobody reads a task's return value, except the `ping` health task,
# which asks for it. Ignoring results spares the worker storing each result in the backend, and the web process the
# result bookkeeping of each task it queues (about 0.1 ms of the 0.6 ms an enqueue costs, bench s2).
CELERY_TASK_IGNORE_RESULT = env_bool("CELERY_TASK_IGNORE_RESULT", True)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 25 * 60)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    # Attempts left open past their time limit are closed and graded with what was saved.
    "assessments-close-expired-attempts": {"task": "assessments.tasks.close_expired_attempts", "schedule": 60.0},
    # Certificates past their end date are marked expired (verification already shows them expired).
    "certificates-expire-due": {"task": "certificates.tasks.expire_due", "schedule": 3600.0},
    # Bulk jobs whose worker died are resumed, certificates left without a PDF rendered (ADR 0016).
    "certificates-resume-stalled-jobs": {"task": "certificates.tasks.resume_stalled_jobs", "schedule": 60.0},
    "certificates-render-missing-pdfs": {"task": "certificates.tasks.render_missing_pdfs", "schedule": 60.0},
    # Badge holders hear 60 and 14 days before their badge expires (once per award and threshold).
    "badges-expiry-reminders": {
        "task": "badges.tasks.send_badge_expiry_reminders",
        "schedule": crontab(minute=30, hour=9),
    },
    # Weeks before the school year ends (31 August), coordinators get the students not yet meeting the requirement.
    "schools-compliance-reminders": {
        "task": "schools.tasks.send_compliance_reminders",
        "schedule": crontab(minute=0, hour=8, day_of_month="1,15", month_of_year="7,8"),
    },
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
# Redis redelivers a task whose worker died (acks_late) after this many seconds; keep it above the longest task.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS_CACHE_URL = env_str("CACHE_URL")
if REDIS_CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_CACHE_URL}}

# The client's address (core.ratelimit.client_ip, used by every limit and DRF throttle): REMOTE_ADDR, unless that
# peer is one of these proxies (addresses or CIDR networks), whose X-Forwarded-For is then read (ADR 0021).
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")
# Guarded attempts (core.ratelimit.Guard), per client address ("ip") and per account: `free` attempts, then each
# further one waits `delay` seconds after the previous, doubling up to `max_delay`; forgotten after `window` quiet
# seconds. Successful logins do not count, so one classroom behind one address never slows itself down. The verify
# page's allowance is CERTIFICATES_VERIFY_RATE (unknown codes only).
RATE_LIMITS = {
    "login:account": {"free": 5, "delay": 2, "max_delay": 900, "window": 900},  # wrong passwords per login
    "login:ip": {"free": 100, "delay": 2, "max_delay": 900, "window": 900},
    "signup:ip": {"free": 60, "delay": 10, "max_delay": 1800, "window": 3600},  # every sign-up attempt
    "password_reset:account": {"free": 3, "delay": 60, "max_delay": 3600, "window": 3600},  # per email address
    "password_reset:ip": {"free": 30, "delay": 10, "max_delay": 1800, "window": 3600},
    "verification_code:account": {"free": 5, "delay": 5, "max_delay": 900, "window": 900},  # wrong codes per user
    "verification_send:account": {"free": 3, "delay": 60, "max_delay": 3600, "window": 3600},  # codes sent per user
    "profile_unique:account": {"free": 5, "delay": 60, "max_delay": 3600, "window": 3600},  # "already registered"
}

# Messages to mobile phones (verification codes, notices): a class with send(*, phone, message). The console backend
# writes them to the log; a deployment names its SMS gateway's backend here.
SMS_BACKEND = env_str("SMS_BACKEND", "accounts.sms.ConsoleSmsBackend")

# API tokens (accounts.ApiToken, stored hashed): valid API_TOKEN_TTL_DAYS after issue, or after their last use when
# API_TOKEN_SLIDING, but never past API_TOKEN_MAX_AGE_DAYS; a password change ends them all (ADR 0021).
API_TOKEN_TTL = datetime.timedelta(days=env_int("API_TOKEN_TTL_DAYS", 30))
API_TOKEN_SLIDING = env_bool("API_TOKEN_SLIDING", True)
API_TOKEN_MAX_AGE = datetime.timedelta(days=env_int("API_TOKEN_MAX_AGE_DAYS", 365))
API_TOKENS_PER_USER = 20  # the least recently used go first

# Wagtail
WAGTAIL_SITE_NAME = "志愿服务培训与认证平台"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_USER_LOGIN_FORM = "accounts.forms.AdminLoginForm"  # the CMS login shows the login rate limit too
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "simple",
    }
}

# REST framework
REST_FRAMEWORK = {
    # The token class first: its WWW-Authenticate header makes a missing or bad token a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.backends.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "core.api_errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "core.ratelimit.AnonRateThrottle",
        "core.ratelimit.UserRateThrottle",
    ],
    # Throttles are keyed by core.ratelimit.client_ip; 0 keeps any other DRF throttle off X-Forwarded-For.
    "NUM_PROXIES": 0,
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_RATE_ANON", "120/min"),
        "user": env_str("API_RATE_USER", "1200/min"),
        "public": env_str("API_RATE_PUBLIC", "60/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Volunteer training and certification API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",  # served from our static files: no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["lms.openapi.only_public_api"],
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "lms.openapi.document_errors"],
    "ENUM_NAME_OVERRIDES": {
        "AttemptStatusEnum": "assessments.models.AttemptStatus",
        "EnrollmentStatusEnum": "courses.models.EnrollmentStatus",
        "HoursStatusEnum": "hours.models.HoursStatus",
        "ComplianceStatusEnum": ["met", "at_risk", "not_met"],
    },
}

# Domain settings
# The minimum reading time of a lesson, as a fraction of its estimated minutes (0 turns the check off).
LESSON_MIN_READING_FRACTION = float(env_str("LESSON_MIN_READING_FRACTION", "0.5") or 0.5)
# The reading clock (ADR 0019): the lesson page's heartbeat, and the most one heartbeat credits beyond it.
LESSON_HEARTBEAT_SECONDS = env_int("LESSON_HEARTBEAT_SECONDS", 15)
LESSON_HEARTBEAT_SLACK_SECONDS = env_int("LESSON_HEARTBEAT_SLACK_SECONDS", 5)
# A graded quiz can draw from at least this many times the questions it draws per attempt (ADR 0019).
ASSESSMENT_BANK_DRAW_FACTOR = env_int("ASSESSMENT_BANK_DRAW_FACTOR", 2)
# xAPI statements are stored always; with an LRS URL they are also forwarded there (xapi/, docs/api.md).
XAPI_LRS_URL = env_str("XAPI_LRS_URL", "")
XAPI_LRS_USERNAME = env_str("XAPI_LRS_USERNAME", "")
XAPI_LRS_PASSWORD = env_str("XAPI_LRS_PASSWORD", "")
# Open Badges: PEM files of Ed25519 private keys; the first signs, the rest stay published for verification
# (rotation: docs/decisions/0007-open-badges-proofs.md). Empty: a key derived from SECRET_KEY (development only).
OPEN_BADGES_SIGNING_KEY_FILES = env_list("OPEN_BADGES_SIGNING_KEY_FILES")
# The public origin in badge credential ids; empty: CERTIFICATES_VERIFY_BASE_URL, then WAGTAILADMIN_BASE_URL.
OPEN_BADGES_BASE_URL = env_str("OPEN_BADGES_BASE_URL", "")
# A running bulk job without progress for this long lost its worker and is resumed (certificates.tasks.
# resume_stalled_jobs); keep it above the time one learner takes (an issue and a PDF). A certificate this long without
# its PDF is rendered by the sweeper (certificates.tasks.render_missing_pdfs).
CERTIFICATES_BULK_STALL_SECONDS = env_int("CERTIFICATES_BULK_STALL_SECONDS", 120)
CERTIFICATES_PDF_SWEEP_SECONDS = env_int("CERTIFICATES_PDF_SWEEP_SECONDS", 300)

# Content-Security-Policy (django-csp, lms.csp; docs/decisions/0023-content-security-policy.md), enforced in every
# environment so that the browser tests run under the production policy. Scripts and styles come from our origin only
# (the 500 page's one inline style by its hash); under the Wagtail admin and the API docs scripts and styles may also be
# inline, which Wagtail and Swagger UI need. Lesson videos may embed any https player. CSP_MEDIA_ORIGINS names the
# origin of media on object storage (DEFAULT_FILE_STORAGE), e.g. https://media.example.cn.
CONTENT_SECURITY_POLICY_MEDIA_ORIGINS = env_list("CSP_MEDIA_ORIGINS")
ERROR_PAGE_STYLE_HASH = "'sha256-dR3TNIsnK8iWd/1y0m9KbIbJRKxWwzkardYicNk70qw='"  # templates/500.html, tested
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", ERROR_PAGE_STYLE_HASH],
        "img-src": ["'self'", "data:", *CONTENT_SECURITY_POLICY_MEDIA_ORIGINS],
        "media-src": ["'self'", *CONTENT_SECURITY_POLICY_MEDIA_ORIGINS],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", "https:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],  # as X-Frame-Options: DENY; the admin frames its own previews
    },
}
CONTENT_SECURITY_POLICY_INLINE_PREFIXES = ["/cms/", "/api/docs/"]
# The admin calls no third party from its users' browsers (the policy would refuse it): no Gravatar avatars (which
# would also send a hash of each editor's e-mail address), no check for new Wagtail releases.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Wagtail's background tasks and page-action logs are chatty at INFO.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "celery.app.trace": {"level": "WARNING"},  # one line per eager task in `make run` is noise
    },
}
