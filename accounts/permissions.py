"""The one permission service: memberships become object permissions, and every app asks `user_can`.

Objects are checked against an organisation: an Organization itself, or any object with a
`permission_organization` attribute. Objects that belong to one learner expose `permission_owner_id`;
the owner may view them. A permission held on an organisation also covers the organisations below it
(a city-office administrator sees every school). Anything a user may not see is a 404, never a 403,
so that an outsider cannot tell whether an id exists.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm, get_perms, remove_perm

from accounts.constants import OrganizationKind, Role
from accounts.models import Membership, Organization, User

# What each role may do to its organisation (codenames of Organization's Meta.permissions).
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.LEARNER: frozenset({"view_organization"}),
    Role.COORDINATOR: frozenset(
        {
            "view_organization",
            "manage_students",
            "record_practice",
            "verify_practice",
            "view_reports",
            "issue_certificates",
        }
    ),
    Role.EDITOR: frozenset({"view_organization", "edit_content", "manage_question_banks"}),
    Role.ASSESSOR: frozenset({"view_organization", "assess_learners"}),
    Role.TEAM_LEADER: frozenset({"view_organization", "lead_team", "view_reports"}),
}
ROLE_PERMISSIONS[Role.ADMIN] = frozenset({"manage_organization"}).union(*ROLE_PERMISSIONS.values())
ORGANIZATION_PERMISSIONS = ROLE_PERMISSIONS[Role.ADMIN]

# Wagtail page permissions given to the editors of an organisation with a root page (no publish: they submit
# for moderation). The moderators group approves.
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
EDITOR_GLOBAL_PERMISSIONS = (
    ("wagtailadmin", "access_admin"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
)
MODERATORS_GROUP = "Moderators"


def _codename(action: str) -> str:
    return action.split(".", 1)[1] if "." in action else action


def organization_chain(organization: Organization) -> list[Organization]:
    """The organisation and its ancestors, nearest first (the tree is shallow: city > school > team)."""
    chain = [organization]
    seen = {organization.pk}
    current = organization
    while current.parent_id is not None and current.parent_id not in seen:
        current = current.parent  # type: ignore[assignment]
        chain.append(current)
        seen.add(current.pk)
    return chain


def _organization_of(obj: Any) -> Organization | None:
    if isinstance(obj, Organization):
        return obj
    return getattr(obj, "permission_organization", None)


def user_can(user: User | AnonymousUser, action: str, obj: Any) -> bool:
    """May `user` do `action` (an Organization permission codename, or "view") to `obj`?"""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    codename = _codename(action)
    owner_id = getattr(obj, "permission_owner_id", None)
    if owner_id is not None and owner_id == user.pk and codename in ("view", "view_own"):
        return True
    if codename == "view":
        codename = "view_organization" if isinstance(obj, Organization) else "view_reports"
    organization = _organization_of(obj)
    if organization is None:
        return False
    granted = set(_codenames_on_chain(user, organization))
    return codename in granted


def _codenames_on_chain(user: User, organization: Organization) -> set[str]:
    chain = organization_chain(organization)
    rows = UserObjectPermission.objects.filter(
        user=user,
        content_type__app_label="accounts",
        content_type__model="organization",
        object_pk__in=[str(org.pk) for org in chain],
    ).values_list("permission__codename", flat=True)
    return set(rows)


def get_object_for_user_or_404(user: User | AnonymousUser, action: str, queryset: QuerySet, **lookup: Any) -> Model:
    """Fetch one object by lookup and check `action` on it; missing and forbidden both give 404."""
    try:
        obj = queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error
    if not user_can(user, action, obj):
        raise Http404
    return obj


def organizations_for_user(user: User | AnonymousUser, action: str) -> QuerySet[Organization]:
    """Organisations on which the user holds `action`, including those below them (three levels).

    The organisations the permission is held on are read now, in one query on guardian's table by user (a few rows);
    the queryset returned filters by their ids. Filtering by guardian's nested subquery instead left the plan to the
    planner's guess about a table with a row per member and permission, and cost 2.7x a plain filter at 100,000
    users (bench s7, docs/decisions/0011-organizations-for-user.md)."""
    if not user.is_authenticated:
        return Organization.objects.none()
    if user.is_superuser:
        return Organization.objects.all()
    direct = sorted(
        {
            int(object_pk)
            for object_pk in UserObjectPermission.objects.filter(
                user=user,
                content_type=ContentType.objects.get_for_model(Organization),
                permission__codename=_codename(action),
            ).values_list("object_pk", flat=True)
        }
    )
    if not direct:
        return Organization.objects.none()
    return Organization.objects.filter(Q(pk__in=direct) | Q(parent_id__in=direct) | Q(parent__parent_id__in=direct))


def user_moderates(user: User | AnonymousUser) -> bool:
    """Does the user approve and publish what editors submit (pages, quizzes, rubrics)? Superusers and the Moderators
    group (the city office's administrators, kept in it by permissions_sync)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=MODERATORS_GROUP).exists()


# ---------------------------------------------------------------------------------------------------------------
# Synchronisation: memberships -> guardian object permissions and Wagtail groups. Idempotent.
# ---------------------------------------------------------------------------------------------------------------


def _editors_group_name(organization: Organization) -> str:
    return f"Editors: {organization.slug}"


def organization_editors_group(organization: Organization) -> Group | None:
    """The Wagtail group whose members edit the organisation's page subtree; None without a root page."""
    if organization.root_page_id is None:
        return None
    from wagtail.models import GroupPagePermission

    group, _ = Group.objects.get_or_create(name=_editors_group_name(organization))
    for app_label, codename in EDITOR_GLOBAL_PERMISSIONS:
        permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if permission is not None:
            group.permissions.add(permission)
    for codename in EDITOR_PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page_id=organization.root_page_id, permission=permission)
    _grant_collection_permissions(group)
    return group


def _grant_collection_permissions(group: Group) -> None:
    from wagtail.models import Collection, GroupCollectionPermission

    root = Collection.get_first_root_node()
    if root is None:
        return
    for app_label, codename in (
        ("wagtailimages", "add_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "choose_document"),
    ):
        permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if permission is not None:
            GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=permission)


@transaction.atomic
def permissions_sync(*, user: User, organization: Organization) -> set[str]:
    """Make the user's object permissions on the organisation equal what their memberships grant. Idempotent."""
    roles = set(Membership.objects.filter(user=user, organization=organization).values_list("role", flat=True))
    wanted: set[str] = set().union(*(ROLE_PERMISSIONS[role] for role in roles)) if roles else set()
    held = set(get_perms(user, organization)) & ORGANIZATION_PERMISSIONS
    for codename in wanted - held:
        assign_perm(f"accounts.{codename}", user, organization)
    for codename in held - wanted:
        remove_perm(f"accounts.{codename}", user, organization)

    editors_group = organization_editors_group(organization)
    if editors_group is not None:
        if Role.EDITOR in roles:
            user.groups.add(editors_group)
        else:
            user.groups.remove(editors_group)
    if organization.kind == OrganizationKind.CITY_OFFICE:
        moderators = Group.objects.filter(name=MODERATORS_GROUP).first()
        if moderators is not None:
            if Role.ADMIN in roles:
                user.groups.add(moderators)
            else:
                user.groups.remove(moderators)
    return wanted


def permissions_bulk_grant(*, users: list[User], organization: Organization, codenames: frozenset[str]) -> None:
    """Add object permissions on one organisation for many users in a constant number of queries. Idempotent."""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(Organization)
    permissions = Permission.objects.filter(content_type=content_type, codename__in=codenames)
    UserObjectPermission.objects.bulk_create(
        [
            UserObjectPermission(
                user=user, permission=permission, content_type=content_type, object_pk=str(organization.pk)
            )
            for user in users
            for permission in permissions
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )


def organization_permissions_sync(*, organization: Organization) -> None:
    """Re-sync every member of the organisation, e.g. after its root page is set. Idempotent."""
    user_ids = Membership.objects.filter(organization=organization).values_list("user_id", flat=True).distinct()
    for user in User.objects.filter(pk__in=list(user_ids)):
        permissions_sync(user=user, organization=organization)
