"""Apply a validated package to the page tree, in place by stable keys, in one transaction."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files import File
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.utils.file import hash_filelike

from content.models import CoursePage, CurriculumPage, LessonPage, TrainingBasePage
from content.packages.markdown import BlockSpec
from content.packages.reader import CourseSpec, CurriculumSpec, LessonSpec, Package, package_read


@dataclass
class ImportReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def count(self, page: Page, outcome: str) -> None:
        getattr(self, outcome)[type(page).__name__] += 1

    def summary(self) -> str:
        kinds = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return "; ".join(
            f"{kind}: {self.created[kind]} created, {self.updated[kind]} updated, {self.unchanged[kind]} unchanged"
            for kind in kinds
        )


def _strip_ids(value):
    if isinstance(value, dict):
        return {key: _strip_ids(item) for key, item in value.items() if key != "id"}
    if isinstance(value, list):
        return [_strip_ids(item) for item in value]
    return value


def _normalised_body(stream_block, raw) -> list:
    return _strip_ids(stream_block.get_prep_value(stream_block.to_python(raw)))


class _Media:
    """Images and documents by file content, so that a re-import reuses what the last one uploaded."""

    def __init__(self):
        self.image_model = get_image_model()
        self.document_model = get_document_model()
        self.cache: dict[tuple[str, Path], int] = {}

    def _hash(self, path: Path) -> str:
        with path.open("rb") as handle:
            return hash_filelike(handle)

    def image(self, path: Path) -> int:
        key = ("image", path)
        if key not in self.cache:
            digest = self._hash(path)
            image = self.image_model.objects.filter(file_hash=digest).first()
            if image is None:
                with path.open("rb") as handle:
                    image = self.image_model(title=path.stem)
                    image.file = File(handle, name=path.name)
                    image._set_image_file_metadata()
                    image.save()
            self.cache[key] = image.pk
        return self.cache[key]

    def document(self, path: Path) -> int:
        key = ("document", path)
        if key not in self.cache:
            digest = self._hash(path)
            document = self.document_model.objects.filter(file_hash=digest).first()
            if document is None:
                with path.open("rb") as handle:
                    document = self.document_model(title=path.stem)
                    document.file = File(handle, name=path.name)
                    document._set_document_file_metadata()
                    document.save()
            self.cache[key] = document.pk
        return self.cache[key]


def _block_value(spec: BlockSpec, media: _Media):
    value = spec.value
    if spec.type == "rich_text":
        html = re.sub(
            r'<a href="doc:([^"]+)">',
            lambda match: f'<a linktype="document" id="{media.document(Path(match.group(1)))}">',
            value["html"],
        )
        return html
    if spec.type == "heading":
        return value["text"]
    if spec.type == "image":
        return {"image": media.image(value["path"]), "caption": value["caption"]}
    if spec.type == "document":
        return {"document": media.document(value["path"]), "label": value["label"]}
    if spec.type == "video":
        file_id = media.document(value["path"]) if "path" in value else None
        return {"file": file_id, "embed_url": value.get("embed_url", ""), "caption": value["caption"]}
    return dict(value)


def _save(page: Page, values: dict, *, publish: bool, report: ImportReport, body_block=None) -> Page:
    """Set values on the latest draft of `page`; save a revision (and publish) only when something differs."""
    draft = page.get_latest_revision_as_object() if page.pk else page
    changed = False
    for name, value in values.items():
        current = getattr(draft, name)
        if name == "body":
            differs = _normalised_body(body_block, current.raw_data) != _normalised_body(body_block, value)
        elif name == "prerequisites":
            differs = sorted(item.pk for item in current.all()) != sorted(item.pk for item in value)
        else:
            differs = current != value
        if differs:
            setattr(draft, name, value)
            changed = True
    if changed:
        revision = draft.save_revision()
        if publish:
            revision.publish()
        report.count(page, "updated")
    elif publish and (not page.live or page.has_unpublished_changes):
        page.get_latest_revision().publish()
        report.count(page, "updated")
    else:
        report.count(page, "unchanged")
    return draft


def _ensure_child(model, parent: Page, key: str, values: dict, *, publish, report, body_block=None) -> Page:
    page = (
        model.objects.filter(key=key).first()
        if model is not LessonPage
        else (LessonPage.objects.child_of(parent).filter(key=key).first())
    )
    if page is None:
        page = model(key=key, slug=key, live=publish, **values)
        parent.add_child(instance=page)
        revision = page.save_revision()
        if publish:
            revision.publish()
        report.count(page, "created")
        return model.objects.get(pk=page.pk)
    if page.get_parent().pk != parent.pk:
        page.move(parent, pos="last-child")
        page = model.objects.get(pk=page.pk)
    _save(page, values, publish=publish, report=report, body_block=body_block)
    return model.objects.get(pk=page.pk)


def _order_children(parent: Page, model, keys: list[str]) -> None:
    """Make the children of `parent` with these keys follow the package's order (moves only when it differs)."""
    children = list(model.objects.child_of(parent).order_by("path"))
    position = {key: index for index, key in enumerate(keys)}
    ordered = [child for child in children if child.key in position]
    wanted = sorted(ordered, key=lambda child: position[child.key])
    if [child.pk for child in ordered] == [child.pk for child in wanted]:
        return
    for child in wanted:
        Page.objects.get(pk=child.pk).move(Page.objects.get(pk=parent.pk), pos="last-child")


def _curriculum_values(spec: CurriculumSpec) -> dict:
    values = {"title": spec.title, "title_en": spec.title_en, "summary": spec.summary, "summary_en": spec.summary_en}
    values.update({f"for_{audience}": audience in spec.audience for audience in ("volunteers", "college", "school")})
    return values


def _course_values(spec: CourseSpec, media: _Media) -> dict:
    values = {
        "title": spec.title,
        "title_en": spec.title_en,
        "summary": spec.summary,
        "summary_en": spec.summary_en,
        "objectives": "\n".join(spec.objectives),
        "objectives_en": "\n".join(spec.objectives_en),
        "credit_hours": spec.credit_hours,
        "level": spec.level,
        "skill_area": spec.skill_area,
        "estimated_minutes": spec.estimated_minutes,
        "earns_certificate": spec.certificate,
        "cover_image_id": media.image(spec.cover) if spec.cover else None,
    }
    values.update({f"for_{audience}": audience in spec.audience for audience in ("volunteers", "college", "school")})
    return values


def _lesson_values(spec: LessonSpec, media: _Media) -> dict:
    body = [{"type": block.type, "value": _block_value(block, media)} for block in spec.blocks]
    return {"title": spec.title, "title_en": spec.title_en, "estimated_minutes": spec.estimated_minutes, "body": body}


@transaction.atomic
def package_import(path: str | Path, *, publish: bool = False) -> ImportReport:
    """Validate the whole package, then create or update its pages by key; a bad package changes nothing.
    Idempotent: a second import of the same package saves no revision."""
    from content.services import training_base_page_ensure

    package: Package = package_read(path)
    report = ImportReport()
    media = _Media()
    body_block = LessonPage._meta.get_field("body").stream_block
    bases: dict[str, TrainingBasePage] = {}
    for spec in package.bases:
        existed = TrainingBasePage.objects.filter(organization=spec.organization).first()
        page = training_base_page_ensure(
            organization=spec.organization,
            key=spec.key,
            title=spec.title,
            title_en=spec.title_en,
            intro=spec.intro,
            intro_en=spec.intro_en,
            publish=publish,
        )
        report.count(page, "unchanged" if existed is not None else "created")
        bases[spec.key] = page
    courses: dict[str, CoursePage] = {}
    for curriculum_spec in package.curricula:
        curriculum = _ensure_child(
            CurriculumPage,
            bases[curriculum_spec.base],
            curriculum_spec.key,
            _curriculum_values(curriculum_spec),
            publish=publish,
            report=report,
        )
        for course_key in curriculum_spec.courses:
            course_spec = package.courses[course_key]
            course = _ensure_child(
                CoursePage, curriculum, course_key, _course_values(course_spec, media), publish=publish, report=report
            )
            courses[course_key] = course
            for lesson_spec in course_spec.lessons:
                _ensure_child(
                    LessonPage,
                    course,
                    lesson_spec.key,
                    _lesson_values(lesson_spec, media),
                    publish=publish,
                    report=report,
                    body_block=body_block,
                )
            _order_children(course, LessonPage, [lesson.key for lesson in course_spec.lessons])
        _order_children(curriculum, CoursePage, curriculum_spec.courses)
    for base_key, base in bases.items():
        _order_children(base, CurriculumPage, [spec.key for spec in package.curricula if spec.base == base_key])
    # Prerequisites last: they may point at courses created further down the package.
    for course_key, course_spec in package.courses.items():
        wanted = [courses.get(key) or CoursePage.objects.get(key=key) for key in course_spec.prerequisites]
        course = CoursePage.objects.get(pk=courses[course_key].pk)
        # Counted already with the course's other fields; a prerequisite change is a further revision of it.
        _save(course, {"prerequisites": wanted}, publish=publish, report=ImportReport())
    return report
