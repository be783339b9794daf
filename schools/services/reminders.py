"""The yearly reminder to coordinators: which students do not yet meet the requirement, weeks before 31 August."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.constants import Role
from accounts.models import Membership, Organization
from schools.models import ComplianceReminder
from schools.selectors.compliance import STATUS_LABELS, students_not_meeting


def _body(*, organization: Organization, school_year: str, context, students: list) -> str:
    lines = [
        _("Students of %(school)s who do not yet meet the %(hours)s 学时 requirement of school year %(year)s:")
        % {"school": organization.name, "hours": context.required_hours, "year": school_year},
        "",
    ]
    for student in students:
        class_name = student.school_class.name if student.school_class else "—"
        lines.append(
            f"{student.student_number}\t{student.user.real_name}\t{class_name}\t"
            f"{context.hours(student.counted_minutes)}/{context.required_hours}\t"
            f"{STATUS_LABELS[student.compliance_status]}"
        )
    lines += ["", _("The school year ends on 31 August; hours recorded later count toward the next year.")]
    return "\n".join(lines)


def compliance_reminder_send(
    *, organization: Organization, school_year: str, today: datetime.date | None = None
) -> ComplianceReminder | None:
    """E-mail each coordinator the students not meeting the requirement. Idempotent per organisation and day."""
    today = today or timezone.localdate()
    try:
        with transaction.atomic():
            reminder = ComplianceReminder.objects.create(
                organization=organization, school_year=school_year, sent_on=today
            )
    except IntegrityError:
        return None  # already sent today (a retried or duplicated task)
    context, queryset = students_not_meeting(organization=organization, school_year=school_year, today=today)
    students = list(queryset)
    recipients = list(
        Membership.objects.filter(organization=organization, role=Role.COORDINATOR)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .distinct()
    )
    if students and recipients:
        with override(settings.LANGUAGE_CODE):
            subject = _("%(count)d students have not yet met the %(year)s hours requirement") % {
                "count": len(students),
                "year": school_year,
            }
            body = _body(organization=organization, school_year=school_year, context=context, students=students)
        send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [email]) for email in recipients])
    ComplianceReminder.objects.filter(pk=reminder.pk).update(
        student_count=len(students), recipient_count=len(recipients) if students else 0
    )
    reminder.student_count = len(students)
    reminder.recipient_count = len(recipients) if students else 0
    return reminder
