"""Production: refuses to start without SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS and a shared cache."""

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from lms.env import env_bool, env_int, env_list, env_str
from lms.settings.base import *

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY", required=True)
DATABASES = {
    "default": sqlite_for_concurrency(dj_database_url.parse(env_str("DATABASE_URL", required=True), conn_max_age=600))
}
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("The environment variable ALLOWED_HOSTS is required in this configuration.")
# Rate limits and throttles count in the cache: in a per-process cache every gunicorn worker would count alone. A
# single-process install may say so with ALLOW_LOCAL_MEMORY_CACHE, never together with several workers (ADR 0021).
if CACHES["default"]["BACKEND"].endswith("LocMemCache") and (
    not env_bool("ALLOW_LOCAL_MEMORY_CACHE", False) or env_int("WEB_CONCURRENCY", 1) > 1
):
    raise ImproperlyConfigured(
        "The environment variable CACHE_URL is required in this configuration: rate limits must be shared by every "
        "worker (set ALLOW_LOCAL_MEMORY_CACHE=true only for a single worker process)."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
STORAGES = {
    "default": {"BACKEND": env_str("DEFAULT_FILE_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
