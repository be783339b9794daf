from django.apps import AppConfig


class LmsConfig(AppConfig):
    """The composition root: health checks, demo data, the dashboard and the API router."""

    name = "lms"
    verbose_name = "LMS"

    def ready(self):
        from assessments.signals import attempt_graded
        from courses.signals import course_completed, lesson_completed
        from lms import admin_permissions
        from lms.xapi import handlers as xapi

        admin_permissions.install()
        lesson_completed.connect(xapi.on_lesson_completed, dispatch_uid="lms.xapi.lesson_completed")
        attempt_graded.connect(xapi.on_attempt_graded, dispatch_uid="lms.xapi.attempt_graded")
        course_completed.connect(xapi.on_course_completed, dispatch_uid="lms.xapi.course_completed")
