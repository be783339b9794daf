"""Foreign keys a user picks in an admin form are limited to what the user may touch, through the permission service.

A form lists its scoped fields (`scoped_fields = {"course": PagesOf("edit_content"), ...}`) and mixes in
`ScopedFieldsMixin`: the choices are limited when the form is built, and `clean()` checks every chosen object again
with a fresh query, so a crafted POST naming another organisation's object is a form error and saves nothing. A
value the object already has stays allowed (someone who might set it did), so editing other fields never fails on
it. Without a user, nothing is allowed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.permissions import organizations_for_user


class Scope(Protocol):
    def allowed(self, user: Any, model: type[Model]) -> QuerySet: ...


@dataclass(frozen=True)
class OwnedBy:
    """Objects whose organisation (reached from the field's model by `path`; "pk" for organisations themselves) is
    one the user holds `action` on, or one below it."""

    action: str
    path: str = "organization"

    def allowed(self, user: Any, model: type[Model]) -> QuerySet:
        return model._default_manager.filter(**{f"{self.path}__in": organizations_for_user(user, self.action)})


@dataclass(frozen=True)
class PagesOf:
    """Pages below the root pages of the organisations the user holds `action` on (a training base's subtree). With
    `or_live`, also any live public page: naming a published course as a reference changes nothing in it."""

    action: str
    or_live: bool = False

    def allowed(self, user: Any, model: type[Model]) -> QuerySet:
        from wagtail.models import Page

        roots = organizations_for_user(user, self.action).exclude(root_page=None).values("root_page_id")
        condition = Q(pk__in=[])
        for path in Page.objects.filter(pk__in=roots).values_list("path", flat=True):
            condition |= Q(path__startswith=path)
        manager = model._default_manager
        if self.or_live:
            condition |= Q(pk__in=manager.live().public().values("pk"))  # type: ignore[attr-defined]
        return manager.filter(condition)


@dataclass(frozen=True)
class Matching:
    """Objects anyone may name, e.g. active badge classes (their Open Badges documents are public)."""

    filters: Mapping[str, Any] = field(default_factory=dict)

    def allowed(self, user: Any, model: type[Model]) -> QuerySet:
        return model._default_manager.filter(**self.filters)


@dataclass(frozen=True)
class AnyOf:
    scopes: tuple[Scope, ...]

    def allowed(self, user: Any, model: type[Model]) -> QuerySet:
        condition = Q(pk__in=[])
        for scope in self.scopes:
            condition |= Q(pk__in=scope.allowed(user, model).values("pk"))
        return model._default_manager.filter(condition)


@dataclass(frozen=True)
class WagtailPermission:
    """Objects Wagtail's own permission policy for the model lets the user `actions` (images and documents live in
    collections, not in organisations): "choose" to use one, "change" for one's own uploads (signatures, seals)."""

    actions: tuple[str, ...] = ("choose",)

    def allowed(self, user: Any, model: type[Model]) -> QuerySet:
        from wagtail.permissions import policy_registry

        policy = policy_registry.get_by_type(model)
        return policy.instances_user_has_any_permission_for(user, list(self.actions))


def allowed_for(user: Any, scope: Scope, model: type[Model]) -> QuerySet:
    """What `scope` lets the user pick among `model`'s objects: everything for a superuser, nothing without a user."""
    if user is None or not user.is_authenticated or not user.is_active:
        return model._default_manager.none()
    if user.is_superuser:
        return model._default_manager.all()
    return scope.allowed(user, model)


class ScopedFieldsMixin:
    """Put before the form class: `class QuizForm(ScopedFieldsMixin, WagtailAdminModelForm)`. Reads the user from
    `for_user` (Wagtail's admin forms set it)."""

    scoped_fields: ClassVar[Mapping[str, Scope]] = {}
    scope_error = _("Choose only what your organisations may use.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._scope_kept: dict[str, set[Any]] = {}
        user = getattr(self, "for_user", None)
        for name, scope in self.scoped_fields.items():
            form_field = self.fields.get(name)  # type: ignore[attr-defined]
            if form_field is None:
                continue
            model = form_field.queryset.model
            kept = self._stored_pks(name)
            self._scope_kept[name] = kept
            allowed = allowed_for(user, scope, model).values("pk")
            form_field.queryset = form_field.queryset.filter(Q(pk__in=allowed) | Q(pk__in=kept))

    def _stored_pks(self, name: str) -> set[Any]:
        instance = getattr(self, "instance", None)
        if instance is None or instance.pk is None:
            return set()
        model_field = instance._meta.get_field(name)
        if model_field.many_to_many:
            return {obj.pk for obj in model_field.value_from_object(instance)}
        value = getattr(instance, model_field.attname)
        return set() if value is None else {value}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()  # type: ignore[misc]
        user = getattr(self, "for_user", None)
        for name, scope in self.scoped_fields.items():
            form_field = self.fields.get(name)  # type: ignore[attr-defined]
            value = cleaned.get(name)
            if form_field is None or value is None:
                continue
            chosen = {value.pk} if isinstance(value, Model) else {obj.pk for obj in value}
            new = chosen - self._scope_kept.get(name, set())
            model = form_field.queryset.model
            if new and allowed_for(user, scope, model).filter(pk__in=new).count() != len(new):
                self.add_error(name, self.scope_error)  # type: ignore[attr-defined]
        return cleaned
