from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        from certificates import checks  # noqa: F401 - registers the system checks
        from certificates.dashboard import dashboard_section
        from certificates.handlers import on_course_completed
        from courses.dashboard_sections import dashboard_section_register
        from courses.signals import course_completed

        dashboard_section_register(dashboard_section)
        course_completed.connect(on_course_completed, dispatch_uid="certificates.on_course_completed")
