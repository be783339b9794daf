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
        from accounts.services import membership_pairs_resync

        membership_pairs_resync(pairs=[(instance.user_id, instance.organization_id)])


@hooks.register("after_create_snippet")
def membership_created(request, instance):
    _resync_membership(request, instance)


@hooks.register("before_edit_snippet")
def membership_before_edit(request, instance):
    # Remember the pair as stored: the edit may move the membership to another user or organisation.
    if isinstance(instance, Membership) and instance.pk:
        stored = Membership.objects.filter(pk=instance.pk).values_list("user_id", "organization_id").first()
        if stored is not None:
            request._membership_pair_before = stored


@hooks.register("after_edit_snippet")
def membership_edited(request, instance):
    # Re-sync both the old pair (its permissions go if no other membership grants them) and the new one.
    if isinstance(instance, Membership):
        from accounts.services import membership_pairs_resync

        pairs = [(instance.user_id, instance.organization_id)]
        before = getattr(request, "_membership_pair_before", None)
        if before is not None:
            pairs.append(before)
        membership_pairs_resync(pairs=pairs)


@hooks.register("after_delete_snippet")
def membership_deleted(request, instances):
    for instance in instances:
        _resync_membership(request, instance)
