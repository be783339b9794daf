"""Editing a Membership in the admin re-syncs both pairs: the old user/organisation loses what only it granted."""

import pytest
from django.urls import reverse
from guardian.shortcuts import get_perms

from accounts.constants import Role
from accounts.models import Membership
from accounts.services import membership_add
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def _edit(client, membership, **changes):
    data = {
        "user": membership.user_id,
        "organization": membership.organization_id,
        "role": membership.role,
        **changes,
    }
    url = reverse("wagtailsnippets_accounts_membership:edit", args=[membership.pk])
    return client.post(url, data)


def test_moving_a_membership_to_another_organisation_revokes_the_old_permissions(cast, client_for, superuser):
    membership = Membership.objects.get(user=cast.coordinator_a, organization=cast.school_a, role=Role.COORDINATOR)
    assert "manage_students" in get_perms(cast.coordinator_a, cast.school_a)
    response = _edit(client_for(superuser), membership, organization=cast.school_b.pk)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "manage_students" not in get_perms(cast.coordinator_a, cast.school_a)
    assert "manage_students" in get_perms(cast.coordinator_a, cast.school_b)


def test_moving_a_membership_to_another_user_revokes_the_old_users_permissions(cast, client_for, superuser):
    newcomer = UserFactory(username="newcomer")
    membership = Membership.objects.get(user=cast.coordinator_a, organization=cast.school_a, role=Role.COORDINATOR)
    response = _edit(client_for(superuser), membership, user=newcomer.pk)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "manage_students" not in get_perms(cast.coordinator_a, cast.school_a)
    assert "manage_students" in get_perms(newcomer, cast.school_a)


def test_a_permission_another_membership_still_grants_stays(cast, client_for, superuser):
    membership_add(user=cast.coordinator_a, organization=cast.school_a, role=Role.ADMIN)
    membership = Membership.objects.get(user=cast.coordinator_a, organization=cast.school_a, role=Role.COORDINATOR)
    _edit(client_for(superuser), membership, organization=cast.school_b.pk)
    assert "manage_students" in get_perms(cast.coordinator_a, cast.school_a)  # the admin role grants it too
