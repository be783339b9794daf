"""Page forms whose foreign keys are limited to what the editor may touch (accounts.scoped_forms)."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminPageForm

from accounts.scoped_forms import OwnedBy, PagesOf, ScopedFieldsMixin, WagtailPermission

EDIT = "edit_content"


class TrainingBasePageForm(ScopedFieldsMixin, WagtailAdminPageForm):
    # The organisation whose base this is records the learning hours of its courses: one the editor edits for.
    scoped_fields = {"organization": OwnedBy(EDIT, path="pk")}


class CoursePageForm(ScopedFieldsMixin, WagtailAdminPageForm):
    # A prerequisite is a reference: a published course (the public catalogue, any base's) or one of the editor's.
    scoped_fields = {
        "prerequisites": PagesOf(EDIT, or_live=True),
        "cover_image": WagtailPermission(("choose",)),
    }
