"""Write training bases' page trees as a curriculum package (the format package_read reads)."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from content.models import CoursePage, CurriculumPage, LessonPage, TrainingBasePage
from content.packages.markdown import html_to_markdown
from content.packages.reader import FORMAT


class _Dumper(yaml.SafeDumper):
    pass


def _str_representer(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def _dump(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)


class _MediaWriter:
    def __init__(self, root: Path):
        self.root = root
        self.names: dict[tuple[str, int], str] = {}

    def write(self, kind: str, obj) -> str:
        """Copy the file into media/ once; returns its path relative to the package root."""
        key = (kind, obj.pk)
        if key not in self.names:
            name = f"{kind}-{obj.pk}-{Path(obj.file.name).name}"
            (self.root / "media").mkdir(parents=True, exist_ok=True)
            with obj.file.open("rb") as source, (self.root / "media" / name).open("wb") as target:
                shutil.copyfileobj(source, target)
            self.names[key] = f"media/{name}"
        return self.names[key]


def _audience(page) -> list[str]:
    return page.audiences


def _lesson_markdown(lesson: LessonPage, media: _MediaWriter) -> str:
    from wagtail.documents import get_document_model

    documents = get_document_model()
    up = "../../../"

    def document_path(document_id) -> str:
        document = documents.objects.filter(pk=document_id).first()
        return up + media.write("document", document) if document else ""

    front = {"key": lesson.key, "title": lesson.title}
    if lesson.title_en:
        front["title_en"] = lesson.title_en
    front["estimated_minutes"] = lesson.estimated_minutes
    parts = ["---\n" + _dump(front) + "---"]
    for block in lesson.body:
        value = block.value
        if block.block_type == "rich_text":
            parts.append(html_to_markdown(value.source, document_path))
        elif block.block_type == "heading":
            parts.append(f"## {value}")
        elif block.block_type == "image":
            parts.append(f"![{value['caption']}]({up}{media.write('image', value['image'])})")
        elif block.block_type == "document":
            parts.append(
                f"[{value['label'] or value['document'].title}](doc:{up}{media.write('document', value['document'])})"
            )
        elif block.block_type == "video":
            target = value["embed_url"] or up + media.write("document", value["file"])
            parts.append(f":::video {target}\n{value['caption']}\n:::".replace("\n\n", "\n"))
        elif block.block_type in ("key_points", "checklist", "steps"):
            name = {"key_points": "keypoints", "checklist": "checklist", "steps": "steps"}[block.block_type]
            items = value[{"key_points": "points", "checklist": "items", "steps": "steps"}[block.block_type]]
            marker = (lambda number: f"{number}.") if name == "steps" else (lambda number: "-")
            lines = [f"{marker(number)} {item}" for number, item in enumerate(items, start=1)]
            head = f":::{name} {value['title']}".rstrip()
            parts.append("\n".join([head, *lines, ":::"]))
        elif block.block_type == "glossary_term":
            parts.append(f":::term {value['term']}\n{value['definition']}\n:::")
    return "\n\n".join(parts) + "\n"


def package_export(output: str | Path, *, base_keys: list[str] | None = None) -> dict[str, int]:
    """Write the training bases (all, or those with these keys) as a package into `output`. Reads only."""
    root = Path(output)
    root.mkdir(parents=True, exist_ok=True)
    media = _MediaWriter(root)
    bases = TrainingBasePage.objects.select_related("organization").order_by("path")
    if base_keys:
        bases = bases.filter(key__in=base_keys)
    manifest: dict = {"format": FORMAT, "version": 1, "training_bases": [], "curricula": []}
    counts = {"bases": 0, "curricula": 0, "courses": 0, "lessons": 0}
    for base in bases:
        counts["bases"] += 1
        manifest["training_bases"].append(
            {
                "key": base.key,
                "organization": base.organization.slug,
                "title": base.title,
                "title_en": base.title_en,
                "intro": base.intro,
                "intro_en": base.intro_en,
            }
        )
        for curriculum in CurriculumPage.objects.child_of(base).order_by("path"):
            counts["curricula"] += 1
            courses = list(CoursePage.objects.child_of(curriculum).order_by("path"))
            manifest["curricula"].append(
                {
                    "key": curriculum.key,
                    "base": base.key,
                    "title": curriculum.title,
                    "title_en": curriculum.title_en,
                    "summary": curriculum.summary,
                    "summary_en": curriculum.summary_en,
                    "audience": _audience(curriculum),
                    "courses": [course.key for course in courses],
                }
            )
            for course in courses:
                counts["courses"] += 1
                folder = root / "courses" / course.key
                (folder / "lessons").mkdir(parents=True, exist_ok=True)
                data = {
                    "key": course.key,
                    "title": course.title,
                    "title_en": course.title_en,
                    "summary": course.summary,
                    "summary_en": course.summary_en,
                    "objectives": course.objective_list,
                    "objectives_en": course.objective_list_en,
                    "credit_hours": float(course.credit_hours) if course.credit_hours % 1 else int(course.credit_hours),
                    "level": course.level,
                    "skill_area": course.skill_area,
                    "audience": _audience(course),
                    "prerequisites": [prerequisite.key for prerequisite in course.prerequisites.order_by("path")],
                    "estimated_minutes": course.estimated_minutes,
                    "certificate": course.earns_certificate,
                }
                if course.cover_image_id:
                    data["cover"] = media.write("image", course.cover_image)
                (folder / "course.yaml").write_text(_dump(data), encoding="utf-8")
                for number, lesson in enumerate(LessonPage.objects.child_of(course).order_by("path"), start=1):
                    counts["lessons"] += 1
                    name = f"{number:02d}-{lesson.key}.md"
                    (folder / "lessons" / name).write_text(_lesson_markdown(lesson, media), encoding="utf-8")
    (root / "package.yaml").write_text(_dump(manifest), encoding="utf-8")
    return counts
