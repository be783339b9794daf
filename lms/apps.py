from django.apps import AppConfig


class LmsConfig(AppConfig):
    """The composition root: settings, urls, Celery, the API router, health checks and demo data."""

    name = "lms"
    verbose_name = "LMS"

    def ready(self):
        from lms import admin_exports, admin_permissions

        admin_permissions.install()
        admin_exports.install()
