"""Celery tasks of the courses app: thin wrappers that take ids and call a service; safe to run twice."""

from celery import shared_task

from accounts.constants import OrganizationKind
from accounts.models import Organization
from core.school_years import current_school_year
from schools.services.reminders import compliance_reminder_send


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def send_compliance_reminders() -> int:
    """Beat (early July and August): queue one reminder per school and college for the current school year."""
    school_year = current_school_year()
    ids = list(
        Organization.objects.filter(kind__in=[OrganizationKind.COLLEGE, OrganizationKind.SCHOOL]).values_list(
            "pk", flat=True
        )
    )
    for organization_id in ids:
        send_compliance_reminder.delay(organization_id, school_year)
    return len(ids)


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def send_compliance_reminder(organization_id: int, school_year: str) -> int:
    """E-mail one organisation's coordinators; returns how many students were listed (0 if already sent today)."""
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return 0
    reminder = compliance_reminder_send(organization=organization, school_year=school_year)
    return reminder.student_count if reminder is not None else 0
