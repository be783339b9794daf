"""Helpers for the FK-scoping tests: an admin user, and the POST data a Wagtail admin form would send as it stands."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import Group, Permission

from accounts.constants import Role
from accounts.permissions import MODERATORS_GROUP
from accounts.services import membership_add
from tests.factories import UserFactory


def admin_user(user):
    user.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    return user


def moderator(cast):
    """A city-office administrator: in the Moderators group, which approves in the moderation workflow."""
    Group.objects.get_or_create(name=MODERATORS_GROUP)
    user = UserFactory(username="moderator")
    membership_add(user=user, organization=cast.city, role=Role.ADMIN)
    return admin_user(user)


def with_model_permissions(user, app_label: str, *models: str):
    """Give the user Django's add/change/view permissions on the models (what Wagtail's default policy asks)."""
    for model in models:
        for action in ("add", "change", "view"):
            user.user_permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
            )
    return admin_user(user)


def _add(data: dict, bound) -> None:
    value = bound.value()
    key = bound.html_name
    if isinstance(bound.field, forms.BooleanField):
        if value:
            data[key] = "on"
    elif isinstance(bound.field, forms.ModelMultipleChoiceField) or isinstance(value, list | tuple):
        data[key] = [getattr(item, "pk", item) for item in value or []]
    else:
        data[key] = "" if value is None else getattr(value, "pk", value)


def admin_form_data(response, **overrides) -> dict:
    """The form of an admin add/edit page (and its inline formsets) as the browser would post it, with overrides."""
    form = response.context["form"]
    data: dict = {}
    for name in form.fields:
        _add(data, form[name])
    for formset in getattr(form, "formsets", {}).values():
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for child in formset.forms:
            for name in child.fields:
                _add(data, child[name])
    data.update(overrides)
    return data
