import pytest

from courses.demo_schools import load
from courses.models import HoursEntry, SchoolClass, ServiceActivity, StudentProfile
from lms.demo import load_organizations, load_users

pytestmark = pytest.mark.django_db


def test_demo_schools_load_twice_without_duplicates():
    load_users(load_organizations())
    load()
    counts = (StudentProfile.objects.count(), SchoolClass.objects.count(), ServiceActivity.objects.count())
    entries = HoursEntry.objects.count()
    load()
    assert (StudentProfile.objects.count(), SchoolClass.objects.count(), ServiceActivity.objects.count()) == counts
    assert HoursEntry.objects.count() == entries > 0
    assert StudentProfile.objects.filter(user__username="student", organization__slug="vocational-college").exists()
    assert StudentProfile.objects.filter(user__username="pupil", organization__slug="no1-middle-school").exists()
    assert (
        HoursEntry.objects.filter(status="verified").exists() and HoursEntry.objects.filter(status="pending").exists()
    )
