"""Organisations and memberships in the Wagtail admin (city-office administrators)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from accounts.models import Membership, Organization


class OrganizationViewSet(SnippetViewSet):
    model = Organization
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "kind", "parent", "slug"]
    list_filter = ["kind"]
    search_fields = ["name", "name_en", "slug"]


class MembershipViewSet(SnippetViewSet):
    model = Membership
    icon = "user"
    menu_label = _("Memberships")
    list_display = ["user", "organization", "role", "created_at"]
    list_filter = ["role", "organization__kind"]


class AccountsViewSetGroup(SnippetViewSetGroup):
    items = (OrganizationViewSet, MembershipViewSet)
    menu_icon = "group"
    menu_label = _("Organisations")
    menu_name = "organisations"


register_snippet(AccountsViewSetGroup)


def _resync_membership(request, instance):
    if isinstance(instance, Membership):
        from accounts.permissions import permissions_sync

        permissions_sync(user=instance.user, organization=instance.organization)


@hooks.register("after_create_snippet")
def membership_created(request, instance):
    _resync_membership(request, instance)


@hooks.register("after_edit_snippet")
def membership_edited(request, instance):
    # An edit may have moved the membership to another user or organisation: re-sync every pair it touched.
    _resync_membership(request, instance)


@hooks.register("after_delete_snippet")
def membership_deleted(request, instances):
    for instance in instances:
        _resync_membership(request, instance)
