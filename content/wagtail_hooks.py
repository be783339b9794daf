"""Wagtail admin hooks of the content app."""

from django.http import HttpResponseForbidden
from django.utils.translation import gettext as _
from wagtail import hooks

from content.rich_text import PrefetchingPageLinkHandler


# After Wagtail's own registration (order 0), so this handler replaces the per-value PageLinkHandler.
@hooks.register("register_rich_text_features", order=100)
def register_prefetching_page_links(features) -> None:
    features.register_link_type(PrefetchingPageLinkHandler)


@hooks.register("before_move_page")
def refuse_moves_outside_the_editors_permissions(request, page, destination):
    """Wagtail shows the move confirmation before checking the destination; refuse it up front instead."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        return HttpResponseForbidden(_("You may not move this page there."))
    return None
