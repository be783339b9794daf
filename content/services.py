"""Writes for content pages. Every function is atomic; each docstring says if it is idempotent."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Site, Workflow, WorkflowPage, WorkflowTask

from accounts.constants import OrganizationKind
from accounts.models import Organization
from accounts.permissions import MODERATORS_GROUP
from accounts.services import organization_set_root_page
from content.models import HomePage, TrainingBasePage

if TYPE_CHECKING:
    from content.packages import ImportReport

MODERATION_WORKFLOW_NAME = "Moderators approval"
MODERATION_TASK_NAME = "Moderators approval"
# The city office's moderators approve and publish everything under each training base.
MODERATOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")


@transaction.atomic
def home_page_ensure(*, title: str, intro: str = "", intro_en: str = "") -> HomePage:
    """Make a published HomePage the default site's root, replacing Wagtail's welcome page. Idempotent."""
    home = HomePage.objects.first()
    root = Page.get_first_root_node()
    if home is None:
        home = HomePage(title=title, slug="home", intro=intro, intro_en=intro_en)
        welcome = Page.objects.filter(depth=2, slug="home").exclude(content_type__model="homepage").first()
        if welcome is not None:
            welcome.slug = "wagtail-welcome"
            welcome.save(update_fields=["slug"])
        root.add_child(instance=home)
        home.save_revision().publish()
    else:
        changed = (home.title, home.intro, home.intro_en) != (title, intro, intro_en)
        if changed:
            home.title, home.intro, home.intro_en = title, intro, intro_en
            home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=title)
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save(update_fields=["root_page"])
    # Wagtail's welcome page goes only once no site points at it (a site's root page cascades on delete).
    Page.objects.filter(depth=2, slug="wagtail-welcome", content_type__model="page").delete()
    return home


def moderation_workflow_ensure() -> Workflow:
    """The "Moderators approval" workflow with one approval task for the Moderators group. Idempotent."""
    moderators, _created = Group.objects.get_or_create(name=MODERATORS_GROUP)
    workflow = Workflow.objects.filter(name=MODERATION_WORKFLOW_NAME).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=MODERATION_WORKFLOW_NAME, active=True)
    elif not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    if not workflow.workflow_tasks.exists():
        task = GroupApprovalTask.objects.filter(name=MODERATION_TASK_NAME).first()
        if task is None:
            task = GroupApprovalTask.objects.create(name=MODERATION_TASK_NAME)
        task.groups.add(moderators)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


def _moderators_page_permissions_ensure(page: Page) -> None:
    moderators, _created = Group.objects.get_or_create(name=MODERATORS_GROUP)
    for codename in MODERATOR_PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=moderators, page=page, permission=permission)
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    moderators.permissions.add(access_admin)


@transaction.atomic
def training_base_page_ensure(
    *,
    organization: Organization,
    key: str,
    title: str,
    title_en: str = "",
    intro: str = "",
    intro_en: str = "",
    publish: bool = True,
) -> TrainingBasePage:
    """Create or update the organisation's TrainingBasePage under the home page, make it the root of the
    organisation's editors' page permissions, and put its subtree under moderation. Idempotent."""
    if organization.kind != OrganizationKind.TRAINING_BASE:
        raise ValidationError({"organization": [_("%(name)s is not a training base.") % {"name": organization.name}]})
    page = TrainingBasePage.objects.filter(organization=organization).first()
    by_key = TrainingBasePage.objects.filter(key=key).first()
    if by_key is not None and (page is None or by_key.pk != page.pk):
        raise ValidationError(
            {"key": [_("The training base key %(key)s belongs to another organisation.") % {"key": key}]}
        )
    values = {"key": key, "title": title, "title_en": title_en, "intro": intro, "intro_en": intro_en}
    if page is None:
        home = HomePage.objects.first()
        if home is None:
            raise ValidationError(_("There is no home page yet; run load_demo or create it first."))
        page = TrainingBasePage(organization=organization, slug=slugify(key) or key, live=publish, **values)
        home.add_child(instance=page)
        revision = page.save_revision()
        if publish:
            revision.publish()
    elif any(getattr(page, field) != value for field, value in values.items()):
        for field, value in values.items():
            setattr(page, field, value)
        revision = page.save_revision()
        if publish:
            revision.publish()
    workflow = moderation_workflow_ensure()
    WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    _moderators_page_permissions_ensure(page)
    if organization.root_page_id != page.pk:
        organization_set_root_page(organization=organization, page_id=page.pk)
    return page


def curriculum_import(*, path: str | Path, publish: bool = False) -> ImportReport:
    """Validate a curriculum package and create or update its pages by key (atomic: a bad package changes
    nothing; raises PackageInvalid with every problem). Idempotent."""
    from content.packages import package_import

    return package_import(path, publish=publish)
