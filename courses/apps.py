from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Learning")

    def ready(self) -> None:
        from accounts.signals import user_verified
        from assessments.signals import attempt_graded, practical_assessment_recorded
        from courses import handlers

        attempt_graded.connect(handlers.on_attempt_graded, dispatch_uid="courses.completion.attempt_graded")
        practical_assessment_recorded.connect(
            handlers.on_practical_assessment_recorded, dispatch_uid="courses.completion.practical_recorded"
        )
        user_verified.connect(handlers.on_user_verified, dispatch_uid="courses.completion.user_verified")
