"""Curriculum packages: validation with file and line, atomic and idempotent import, export that re-imports."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from PIL import Image as PillowImage
from wagtail.models import Page, Revision

from content.models import CoursePage, CurriculumPage, LessonPage
from content.packages import PackageInvalid, package_read
from content.services import curriculum_import, home_page_ensure


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


@pytest.fixture
def package(cast, tmp_path) -> Path:
    """A two-course package for base X with an image, a document and every block type."""
    home_page_ensure(title="首页")
    root = tmp_path / "package"
    write(
        root,
        "package.yaml",
        """
        format: volunteer-curriculum
        version: 1
        training_bases:
          - key: base-x
            organization: base-x
            title: X 培训基地
            title_en: Base X
        curricula:
          - key: skills
            base: base-x
            title: 技能课程
            title_en: Skills track
            audience: [volunteers, college]
            courses: [first-aid, fire]
        """,
    )
    write(
        root,
        "courses/first-aid/course.yaml",
        """
        key: first-aid
        title: 应急救护
        title_en: First aid
        summary: 学习心肺复苏。
        summary_en: Learn CPR.
        objectives: [会做心肺复苏]
        objectives_en: [Perform CPR]
        credit_hours: 1.5
        level: beginner
        skill_area: first_aid
        audience: [volunteers]
        estimated_minutes: 90
        certificate: true
        cover: media/cover.png
        """,
    )
    write(
        root,
        "courses/first-aid/lessons/01-cpr.md",
        """
        ---
        key: cpr
        title: 心肺复苏
        title_en: CPR
        estimated_minutes: 20
        ---

        ## 为什么要学

        普通段落，支持 **粗体**、*斜体*和[链接](https://example.org)。

        - 第一点
        - 第二点

        :::keypoints
        - 按压深度 5-6 厘米
        :::

        :::steps
        1. 确认现场环境安全
        2. 判断意识和呼吸
        :::

        :::checklist 准备
        - 手套
        :::

        :::term 自动体外除颤器（AED）
        一种便携式医疗设备。
        :::

        ![按压位置](../../../media/cover.png)

        :::video https://player.example.org/embed/1
        演示视频
        :::

        [下载：急救包清单](doc:../../../media/kit.pdf)
        """,
    )
    write(
        root,
        "courses/first-aid/lessons/02-aed.md",
        """
        ---
        key: aed
        title: 使用 AED
        ---
        按语音提示操作。
        """,
    )
    write(
        root,
        "courses/fire/course.yaml",
        """
        key: fire
        title: 消防安全
        summary: 灭火器的使用。
        credit_hours: 2
        level: beginner
        skill_area: fire
        audience: [volunteers, school]
        prerequisites: [first-aid]
        """,
    )
    write(
        root,
        "courses/fire/lessons/01-extinguisher.md",
        """
        ---
        key: extinguisher
        title: 灭火器
        ---
        提、拔、握、压。
        """,
    )
    (root / "media").mkdir(exist_ok=True)
    PillowImage.new("RGB", (40, 30), "red").save(root / "media" / "cover.png")
    (root / "media" / "kit.pdf").write_bytes(b"%PDF-1.4\n% kit list\n")
    return root


def page_snapshot() -> dict:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "lessons": sorted(LessonPage.objects.values_list("key", "title", "live")),
    }


@pytest.mark.django_db
def test_import_creates_the_tree_with_every_block_type(package):
    curriculum_import(path=package, publish=True)
    course = CoursePage.objects.get(key="first-aid")
    assert course.get_parent().specific.key == "skills"
    assert CurriculumPage.objects.get(key="skills").get_parent().specific.organization.slug == "base-x"
    assert (course.credit_hours, course.skill_area, course.audiences) == (1.5, "first_aid", ["volunteers"])
    assert course.cover_image is not None and course.earns_certificate
    assert [lesson.key for lesson in LessonPage.objects.child_of(course).order_by("path")] == ["cpr", "aed"]
    lesson = LessonPage.objects.get(key="cpr")
    assert [block.block_type for block in lesson.body] == [
        "heading",
        "rich_text",
        "key_points",
        "steps",
        "checklist",
        "glossary_term",
        "image",
        "video",
        "document",
    ]
    assert "<strong>粗体</strong>" in lesson.body[1].value.source
    assert list(CoursePage.objects.get(key="fire").prerequisites.all()) == [course]
    assert all(page.live for page in Page.objects.type(CoursePage, LessonPage))


@pytest.mark.django_db
def test_reimport_changes_nothing_and_an_edit_updates_in_place(package):
    curriculum_import(path=package, publish=True)
    before = page_snapshot()
    report = curriculum_import(path=package, publish=True)
    assert page_snapshot() == before
    assert sum(report.created.values()) == 0 and sum(report.updated.values()) == 0

    lesson_file = package / "courses/fire/lessons/01-extinguisher.md"
    lesson_file.write_text(lesson_file.read_text(encoding="utf-8").replace("灭火器\n", "灭火器的使用\n", 1), "utf-8")
    report = curriculum_import(path=package, publish=True)
    assert report.updated["LessonPage"] == 1
    assert Page.objects.count() == before["pages"]
    assert LessonPage.objects.get(key="extinguisher").title == "灭火器的使用"


@pytest.mark.django_db
def test_import_without_publish_saves_drafts_for_moderation(package):
    curriculum_import(path=package)
    assert not LessonPage.objects.live().exists()
    assert LessonPage.objects.count() == 3


@pytest.mark.parametrize(
    ("relative", "old", "new", "expected"),
    [
        (
            "courses/first-aid/course.yaml",
            "summary: 学习心肺复苏。\n",
            "",
            "courses/first-aid/course.yaml:1: Missing required field 'summary'.",
        ),
        (
            "courses/fire/course.yaml",
            "skill_area: fire",
            "skill_area: cooking",
            "courses/fire/course.yaml:6: Unknown skill area 'cooking'",
        ),
        (
            "courses/first-aid/lessons/01-cpr.md",
            "](../../../media/cover.png)",
            "](../../../media/missing.png)",
            "courses/first-aid/lessons/01-cpr.md:32: Image file not found: ../../../media/missing.png",
        ),
        (
            "package.yaml",
            "courses: [first-aid, fire]",
            "courses: [first-aid, fire, knitting]",
            "package.yaml:14: Unknown course key 'knitting'",
        ),
        (
            "courses/fire/lessons/01-extinguisher.md",
            "title: 灭火器",
            "title: 灭火器\nminutes: 5",
            "courses/fire/lessons/01-extinguisher.md:4: Unknown field 'minutes'",
        ),
    ],
)
@pytest.mark.django_db
def test_a_bad_package_is_rejected_with_file_and_line_and_changes_nothing(package, relative, old, new, expected):
    curriculum_import(path=package, publish=True)
    before = page_snapshot()
    path = package / relative
    assert old in path.read_text(encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    # Also change a valid lesson, so that "nothing changed" means the import really stopped.
    other = package / "courses/first-aid/lessons/02-aed.md"
    other.write_text(other.read_text(encoding="utf-8").replace("使用 AED", "使用除颤器"), encoding="utf-8")
    with pytest.raises(PackageInvalid) as error:
        curriculum_import(path=package, publish=True)
    messages = [str(problem) for problem in error.value.problems]
    assert any(message.startswith(expected) for message in messages), messages
    assert page_snapshot() == before


@pytest.mark.django_db
def test_every_problem_is_reported_at_once(package):
    course = package / "courses/fire/course.yaml"
    course.write_text(
        course.read_text("utf-8")
        .replace("level: beginner", "level: expert")
        .replace("audience: [volunteers, school]", "audience: [volunteers, aliens]"),
        "utf-8",
    )
    with pytest.raises(PackageInvalid) as error:
        package_read(package)
    assert {(problem.file, problem.line) for problem in error.value.problems} == {
        ("courses/fire/course.yaml", 5),
        ("courses/fire/course.yaml", 7),
    }


@pytest.mark.django_db
def test_import_command_prints_the_problems_and_fails(package, capsys):
    (package / "courses/fire/course.yaml").write_text("key: fire\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_curriculum", str(package))
    assert "courses/fire/course.yaml:1: Missing required field 'title'." in capsys.readouterr().err
    assert not CoursePage.objects.exists()


@pytest.mark.django_db
def test_export_reimports_to_the_same_pages(package, tmp_path):
    curriculum_import(path=package, publish=True)
    before = page_snapshot()
    bodies = {lesson.key: [(b.block_type, str(b.render())) for b in lesson.body] for lesson in LessonPage.objects.all()}
    call_command("export_curriculum", str(tmp_path / "exported"))
    exported = package_read(tmp_path / "exported")
    assert set(exported.courses) == {"first-aid", "fire"}
    report = curriculum_import(path=tmp_path / "exported", publish=True)
    assert sum(report.created.values()) == 0 and sum(report.updated.values()) == 0, report.summary()
    assert page_snapshot() == before
    assert bodies == {
        lesson.key: [(b.block_type, str(b.render())) for b in lesson.body] for lesson in LessonPage.objects.all()
    }
