from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BadgesConfig(AppConfig):
    name = "badges"
    verbose_name = _("Badges and teams")

    def ready(self) -> None:
        from assessments.signals import attempt_graded, practical_assessment_recorded
        from badges import (
            checks,  # noqa: F401 - registers the system checks
            handlers,
        )
        from courses.signals import course_completed

        course_completed.connect(handlers.on_course_completed, dispatch_uid="badges.on_course_completed")
        practical_assessment_recorded.connect(
            handlers.on_practical_assessment_recorded, dispatch_uid="badges.on_practical_assessment_recorded"
        )
        attempt_graded.connect(handlers.on_attempt_graded, dispatch_uid="badges.on_attempt_graded")
