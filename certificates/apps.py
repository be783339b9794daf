from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates and badges")

    def ready(self) -> None:
        from assessments.signals import attempt_graded, practical_assessment_recorded
        from courses.dashboard_sections import dashboard_section_register
        from courses.signals import course_completed

        from . import checks  # noqa: F401 - registers the system checks
        from .dashboard import dashboard_section
        from .handlers import (
            on_attempt_graded,
            on_course_completed,
            on_course_completed_badges,
            on_practical_assessment_recorded,
        )

        dashboard_section_register(dashboard_section)
        course_completed.connect(on_course_completed, dispatch_uid="certificates.on_course_completed")
        course_completed.connect(on_course_completed_badges, dispatch_uid="certificates.badges.on_course_completed")
        practical_assessment_recorded.connect(
            on_practical_assessment_recorded, dispatch_uid="certificates.badges.on_practical_assessment_recorded"
        )
        attempt_graded.connect(on_attempt_graded, dispatch_uid="certificates.badges.on_attempt_graded")
