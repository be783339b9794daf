"""Wagtail's admin answers a refused request with a redirect to its dashboard; ours answers 403.

An editor who touches another training base's pages gets a 403: it is the honest answer
(a redirect with a flash message looks like success to scripts and to assistive technology). Wagtail routes every
refusal through `wagtail.admin.auth.permission_denied`, looked up at call time by `require_admin_access`, so
replacing that one function changes the answer everywhere in the admin. See docs/decisions/0005-admin-403.md.
"""

from django.core.exceptions import PermissionDenied


def permission_denied(request):
    raise PermissionDenied


def install() -> None:
    from wagtail.admin import auth

    auth.permission_denied = permission_denied
