"""factory_boy factories of the schools app: classes, students and practice activities."""

import datetime

import factory
from factory.django import DjangoModelFactory

from core.school_years import school_year_for
from schools.models import SchoolClass, ServiceActivity, StudentProfile
from tests.factories import OrganizationFactory, UserFactory


class SchoolClassFactory(DjangoModelFactory):
    class Meta:
        model = SchoolClass
        django_get_or_create = ("organization", "name")

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"{n + 1}班")
    grade = "七年级"


class StudentProfileFactory(DjangoModelFactory):
    class Meta:
        model = StudentProfile

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    student_number = factory.Sequence(lambda n: f"2026{n:05d}")
    school_class = factory.SubFactory(SchoolClassFactory, organization=factory.SelfAttribute("..organization"))
    grade = "七年级"


class ServiceActivityFactory(DjangoModelFactory):
    class Meta:
        model = ServiceActivity

    organizer = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"社区服务{n}")
    content = "社区环境清洁"
    place = "幸福社区"
    occurred_on = datetime.date(2026, 10, 1)
    school_year = factory.LazyAttribute(lambda activity: school_year_for(activity.occurred_on))
