import pytest
from django.contrib.auth.models import Group
from django.http import Http404
from wagtail.models import GroupPagePermission, Page

from accounts.constants import Role
from accounts.models import Organization
from accounts.permissions import get_object_for_user_or_404, organizations_for_user, user_can
from accounts.services import membership_add, membership_remove, organization_set_root_page

pytestmark = pytest.mark.django_db


def test_coordinator_may_manage_own_school_only(cast):
    assert user_can(cast.coordinator_a, "manage_students", cast.school_a)
    assert not user_can(cast.coordinator_a, "manage_students", cast.school_b)
    assert not user_can(cast.coordinator_b, "view_reports", cast.school_a)


def test_outsider_and_learner_may_not_manage(cast):
    assert not user_can(cast.outsider, "view_organization", cast.school_a)
    assert not user_can(cast.outsider, "manage_students", cast.school_a)
    assert user_can(cast.learner, "view_organization", cast.school_a)
    assert not user_can(cast.learner, "manage_students", cast.school_a)


def test_city_admin_permissions_cover_the_organisations_below(cast):
    membership_add(user=cast.outsider, organization=cast.city, role=Role.ADMIN)
    assert user_can(cast.outsider, "view_reports", cast.school_a)
    assert set(organizations_for_user(cast.outsider, "view_reports")) >= {cast.city, cast.school_a, cast.school_b}


def test_organizations_for_user_covers_three_levels_in_two_queries(cast, django_assert_num_queries):
    from tests.factories import OrganizationFactory

    team = OrganizationFactory(slug="team-a1", kind="team", parent=cast.school_a)
    other_team = OrganizationFactory(slug="team-b1", kind="team", parent=cast.school_b)
    membership_add(user=cast.outsider, organization=cast.city, role=Role.ADMIN)
    with django_assert_num_queries(2):  # the permitted organisations, then the filter by their ids
        below_city = set(organizations_for_user(cast.outsider, "view_reports"))
    assert {cast.city, cast.school_a, cast.school_b, team, other_team} <= below_city
    with django_assert_num_queries(2):
        assert set(organizations_for_user(cast.coordinator_a, "manage_students")) == {cast.school_a, team}
    with django_assert_num_queries(1):  # nothing held: the filter is empty without asking the database
        assert list(organizations_for_user(cast.learner, "manage_students")) == []
    assert not organizations_for_user(cast.coordinator_b, "manage_students").filter(pk=cast.school_a.pk).exists()


def test_removing_the_membership_revokes_its_permissions(cast):
    membership_remove(user=cast.coordinator_a, organization=cast.school_a, role=Role.COORDINATOR)
    assert not user_can(cast.coordinator_a, "manage_students", cast.school_a)


def test_membership_add_is_idempotent(cast):
    first = membership_add(user=cast.learner, organization=cast.school_a, role=Role.LEARNER)
    second = membership_add(user=cast.learner, organization=cast.school_a, role=Role.LEARNER)
    assert first.pk == second.pk


def test_objects_of_an_organisation_and_owned_objects():
    class Record:
        def __init__(self, organization, owner_id):
            self.permission_organization = organization
            self.permission_owner_id = owner_id

    organization = Organization.objects.create(name="S", slug="s", kind="school")
    from tests.factories import UserFactory

    owner, coordinator, stranger = UserFactory(), UserFactory(), UserFactory()
    membership_add(user=coordinator, organization=organization, role=Role.COORDINATOR)
    record = Record(organization, owner.pk)
    assert user_can(owner, "view", record)
    assert user_can(coordinator, "view", record)
    assert not user_can(stranger, "view", record)
    assert not user_can(owner, "verify_practice", record)


def test_get_object_for_user_or_404_hides_forbidden_and_missing(cast):
    queryset = Organization.objects.all()
    assert get_object_for_user_or_404(cast.coordinator_a, "view_reports", queryset, pk=cast.school_a.pk)
    for lookup in ({"pk": cast.school_a.pk}, {"pk": 999999}, {"pk": "not-a-number"}):
        with pytest.raises(Http404):
            get_object_for_user_or_404(cast.outsider, "view_reports", queryset, **lookup)


def test_editors_get_wagtail_page_permissions_on_their_base_subtree(cast):
    root = Page.get_first_root_node()
    base_page = root.add_child(instance=Page(title="X base", slug="x-base"))
    organization_set_root_page(organization=cast.base_x, page_id=base_page.pk)
    group = Group.objects.get(name="Editors: base-x")
    assert cast.editor_x.groups.filter(pk=group.pk).exists()
    codenames = set(
        GroupPagePermission.objects.filter(group=group, page=base_page).values_list("permission__codename", flat=True)
    )
    assert codenames == {"add_page", "change_page"}  # no publish: editors submit for moderation
    membership_remove(user=cast.editor_x, organization=cast.base_x, role=Role.EDITOR)
    assert not cast.editor_x.groups.filter(pk=group.pk).exists()


def test_city_admins_become_wagtail_moderators(cast):
    membership_add(user=cast.outsider, organization=cast.city, role=Role.ADMIN)
    assert cast.outsider.groups.filter(name="Moderators").exists()


def test_bulk_membership_add_equals_one_by_one(cast, django_assert_max_num_queries):
    from accounts.services import memberships_bulk_add
    from tests.factories import UserFactory

    users = UserFactory.create_batch(30)
    with django_assert_max_num_queries(8):
        created = memberships_bulk_add(users=users, organization=cast.school_b, role=Role.LEARNER)
    assert created == 30
    assert all(user_can(user, "view_organization", cast.school_b) for user in users)
    assert not any(user_can(user, "manage_students", cast.school_b) for user in users)
    assert memberships_bulk_add(users=users, organization=cast.school_b, role=Role.LEARNER) == 0  # idempotent
