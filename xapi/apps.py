from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class XapiConfig(AppConfig):
    name = "xapi"
    verbose_name = _("xAPI statements")

    def ready(self) -> None:
        from assessments.signals import attempt_graded
        from courses.signals import course_completed, lesson_completed
        from xapi import handlers

        lesson_completed.connect(handlers.on_lesson_completed, dispatch_uid="xapi.lesson_completed")
        attempt_graded.connect(handlers.on_attempt_graded, dispatch_uid="xapi.attempt_graded")
        course_completed.connect(handlers.on_course_completed, dispatch_uid="xapi.course_completed")
