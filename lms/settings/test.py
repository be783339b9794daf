"""Fast test settings (docs/style.md point 8); DATABASE_URL and CELERY_BROKER_URL still apply when set."""

from lms.settings.base import *

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "accounts.sms.LocmemSmsBackend"  # accounts.sms.outbox, like django.core.mail.outbox
# Tests run tasks in-process unless a test asks for a real worker (tests/integration).
CELERY_TASK_ALWAYS_EAGER = True
# A worker subprocess (tests/integration) gets the test session's MEDIA_ROOT through the environment.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / ".test-media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LESSON_MIN_READING_FRACTION = 0.5
WHITENOISE_AUTOREFRESH = True  # tests serve static files from the finders, no collectstatic needed
