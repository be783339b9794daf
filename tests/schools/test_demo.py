import pytest

from accounts.demo import load_organizations, load_users
from hours.models import HoursEntry
from schools.demo import load
from schools.models import SchoolClass, ServiceActivity, StudentProfile

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
