from django.apps import AppConfig


class LmsConfig(AppConfig):
    """The composition root: health checks, demo data, the dashboard and the API router."""

    name = "lms"
    verbose_name = "LMS"

    def ready(self):
        from lms import admin_permissions

        admin_permissions.install()
