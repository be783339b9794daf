"""Factories and small builders for certificate tests."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from certificates.models import CertificateDefinition, CertificateKind
from courses.services.completion import course_complete
from courses.services.enrollment import enrollment_create
from hours.models import HoursKind
from hours.services import hours_entry_record
from tests.content.factories import CoursePageFactory, course_tree


class CertificateDefinitionFactory(DjangoModelFactory):
    class Meta:
        model = CertificateDefinition

    kind = CertificateKind.COURSE
    title = "培训合格证书"
    title_en = "Certificate of Training"
    number_prefix = factory.Sequence(lambda n: f"T{n}")
    person_in_charge = "王主任"
    handler_name = "李经办"
    handler_contact = "024-12345678"


def course_with_definition(issuer, **definition_fields):
    """A published course under the issuer's training base that earns a certificate, and its definition."""
    _base, curriculum, course, _lessons = course_tree(issuer, lessons=1, earns_certificate=True, credit_hours=2)
    definition = CertificateDefinitionFactory(issuer=issuer, course=course, **definition_fields)
    return curriculum, course, definition


def another_course(curriculum, **fields):
    return CoursePageFactory(parent=curriculum, earns_certificate=True, **fields)


def complete(user, course):
    """Enrol and complete through the courses services (the real completion path)."""
    enrollment, _created = enrollment_create(user=user, course=course)
    completion, _created = course_complete(enrollment=enrollment)
    return completion


def practice_hours(user, *, organization, minutes: int, day=None, verified=True, source: str, description="社区服务"):
    entry, _created = hours_entry_record(
        user=user,
        kind=HoursKind.PRACTICE,
        minutes=minutes,
        occurred_on=day or datetime.date(2026, 10, 10),
        source_key=source,
        credited_organization=organization,
        recorded_by_organization=organization,
        description=description,
        verified=verified,
    )
    return entry
