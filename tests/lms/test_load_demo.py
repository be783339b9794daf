import pytest
from django.core.management import call_command

from accounts.models import Membership, Organization, User
from accounts.permissions import user_can

pytestmark = pytest.mark.django_db


def counts():
    return (User.objects.count(), Organization.objects.count(), Membership.objects.count())


def test_load_demo_is_idempotent_and_demo_logins_work(client):
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first
    assert client.login(username="coordinator", password="Demo@2026")
    coordinator = User.objects.get(username="coordinator")
    college = Organization.objects.get(slug="vocational-college")
    assert user_can(coordinator, "manage_students", college)
    assert client.get("/").status_code == 200
