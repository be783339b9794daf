"""Helpers that migrations call. Migrations run them as they are today, so their behaviour never changes."""

from __future__ import annotations

from collections.abc import Iterable


def move_content_types(apps, *, old_app_label: str, new_app_label: str, model_names: Iterable[str]) -> int:
    """Give models that moved to another app their content types back under the new label.

    Permissions, object permissions (django-guardian), Wagtail revisions and the reference index point at content
    type rows, so renaming a row keeps all of them. A row already created under the new label (only possible if a
    half-finished deploy ran `post_migrate` before this migration) is empty and is replaced. Returns rows moved.
    """
    from django.contrib.contenttypes.models import ContentType as CurrentContentType

    content_type_model = apps.get_model("contenttypes", "ContentType")
    moved = 0
    for model_name in model_names:
        old = content_type_model.objects.filter(app_label=old_app_label, model=model_name).first()
        if old is None:
            continue
        content_type_model.objects.filter(app_label=new_app_label, model=model_name).delete()
        old.app_label = new_app_label
        old.save(update_fields=["app_label"])
        moved += 1
    CurrentContentType.objects.clear_cache()
    return moved
