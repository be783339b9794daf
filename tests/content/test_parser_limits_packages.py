"""Curriculum packages that would exhaust the machine or reach outside the package are refused with file and line.

Attacks run under tests.core.test_parser_limits.bounded: a 544-byte alias bomb took 44 s and 2.9 GB before."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from PIL import Image as PillowImage

from content.models import CoursePage
from content.packages import PackageInvalid, package_read
from content.services import home_page_ensure
from tests.core.test_parser_limits import bounded

pytestmark = pytest.mark.django_db

ALIAS_BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
)
MANIFEST = """
format: volunteer-curriculum
version: 1
training_bases:
  - key: base-x
    organization: base-x
    title: X 培训基地
curricula:
  - key: skills
    base: base-x
    title: 技能课程
    audience: [volunteers]
    courses: [first-aid]
"""
COURSE = """
key: first-aid
title: 应急救护
summary: 学习心肺复苏。
credit_hours: 1
level: beginner
skill_area: first_aid
audience: [volunteers]
cover: media/cover.png
"""
LESSON = """---
key: cpr
title: 心肺复苏
---

## 为什么要学

按压深度 5-6 厘米。

![按压位置](../../../media/cover.png)
"""


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture
def package(cast, tmp_path) -> Path:
    """A valid one-course package, and an image outside it (tmp_path/outside.png) that no path may reach."""
    home_page_ensure(title="首页")
    root = tmp_path / "package"
    write(root, "package.yaml", MANIFEST)
    write(root, "courses/first-aid/course.yaml", COURSE)
    write(root, "courses/first-aid/lessons/01-cpr.md", LESSON)
    (root / "media").mkdir()
    PillowImage.new("RGB", (40, 30), "red").save(root / "media" / "cover.png")
    PillowImage.new("RGB", (40, 30), "blue").save(tmp_path / "outside.png")
    return root


def problems_of(root: Path) -> list[str]:
    with pytest.raises(PackageInvalid) as error:
        package_read(root)
    return [str(problem) for problem in error.value.problems]


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_package_is_valid_as_written(package):
    assert set(package_read(package).courses) == {"first-aid"}


def test_an_alias_bomb_in_the_manifest_is_refused_at_once(package):
    write(package, "package.yaml", MANIFEST + ALIAS_BOMB)
    with bounded(seconds=10, memory_mb=300):
        problems = problems_of(package)
    line = textwrap.dedent(MANIFEST).strip().count("\n") + 2  # the bomb's first line
    assert problems == [
        f"package.yaml:{line}: YAML that is not allowed: anchors and aliases (& and *) are not allowed."
    ]


def test_an_alias_bomb_in_a_lessons_front_matter_is_refused_with_its_line(package):
    lesson = package / "courses/first-aid/lessons/01-cpr.md"
    replace(lesson, "title: 心肺复苏\n", "title: 心肺复苏\n" + ALIAS_BOMB)
    with bounded(seconds=10, memory_mb=300):
        problems = problems_of(package)
    assert "courses/first-aid/lessons/01-cpr.md:4: YAML that is not allowed: anchors and aliases" in problems[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: &t [*t]", "course.yaml:2: YAML that is not allowed: anchors and aliases (& and *) are not allowed."),
        ("title: " + "[" * 5000 + "]" * 5000, "course.yaml:2: YAML that is not allowed: nested more than 50 levels"),
        ('title: "应急\\0救护"', "course.yaml:2: YAML that is not allowed: contains a NUL character."),
        ("title: 应急\x00救护", "course.yaml:2: The text contains a NUL character."),
        ("title: 应急\x1b救护", "course.yaml:2: The text contains the control character U+001B."),
        ("estimated_minutes: " + "9" * 5000, "course.yaml:2: YAML that is not allowed: cannot read this value"),
    ],
    ids=["recursive-alias", "deep", "nul-escape", "nul", "escape-character", "huge-number"],
)
def test_yaml_that_cannot_be_stored_or_would_recurse_is_a_problem_with_its_line(package, text, expected):
    replace(package / "courses/first-aid/course.yaml", "title: 应急救护", text)
    with bounded(seconds=10, memory_mb=300):
        problems = problems_of(package)
    assert any(problem.startswith("courses/first-aid/" + expected) for problem in problems), problems


@pytest.mark.parametrize(
    ("cover", "expected"),
    [
        # A sibling folder whose name starts like the package's passed the old prefix check.
        ("../package-evil/cover.png", "The cover path must not contain '..': ../package-evil/cover.png"),
        ("../outside.png", "The cover path must not contain '..': ../outside.png"),
        ("media/../media/cover.png", "The cover path must not contain '..'"),
        ("{outside}", "A path in the package must be relative, not absolute: "),
        ("media\\cover.png", "Use '/' in paths, not '\\': media\\cover.png"),
        ("media/link.png", "The path leads outside the package: media/link.png"),
    ],
    ids=["sibling-prefix", "parent", "dot-dot-inside", "absolute", "backslash", "symlink"],
)
def test_a_cover_outside_the_package_is_refused(package, cover, expected):
    outside = package.parent / "outside.png"
    (package.parent / "package-evil").mkdir()
    PillowImage.new("RGB", (4, 3), "green").save(package.parent / "package-evil" / "cover.png")
    (package / "media" / "link.png").symlink_to(outside)
    replace(package / "courses/first-aid/course.yaml", "media/cover.png", cover.format(outside=outside))
    problems = problems_of(package)
    assert any(problem.startswith("courses/first-aid/course.yaml:8: " + expected) for problem in problems), problems


def test_a_lesson_image_linked_to_a_file_outside_the_package_is_refused(package):
    (package / "media" / "link.png").symlink_to(package.parent / "outside.png")
    replace(package / "courses/first-aid/lessons/01-cpr.md", "media/cover.png", "media/link.png")
    assert problems_of(package) == [
        "courses/first-aid/lessons/01-cpr.md:10: The path leads outside the package: ../../../media/link.png"
    ]


def test_package_files_and_folders_linked_from_outside_are_not_read(package, tmp_path):
    secret = write(tmp_path, "secret/course.yaml", COURSE.replace("应急救护", "别人的秘密"))
    course = package / "courses/first-aid/course.yaml"
    course.unlink()
    course.symlink_to(secret)
    (package / "courses/elsewhere").symlink_to(secret.parent, target_is_directory=True)
    problems = problems_of(package)
    assert "courses/first-aid/course.yaml:1: The file is a link to a file outside the package." in problems
    assert "courses/elsewhere:1: The folder is a link to a folder outside the package." in problems


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("[" * 20_000, ":7: The text has more than 500 '['; split it with headings."),
        ("".join("\t" * depth + "- x\n" for depth in range(300)), ":7: The text is nested too deeply"),
        ("正文" * 40_000, ":1: The file is larger than 64 KB; please split it."),
    ],
    ids=["brackets", "nested-lists", "too-big"],
)
def test_a_lesson_that_markdown_would_take_minutes_on_is_refused(package, body, expected):
    # Python-Markdown took 10 s for 4 KB of '[', more than a minute for 16 KB, and recursed on nested lists.
    write(package, "courses/first-aid/lessons/02-more.md", "---\nkey: more\ntitle: 更多\n---\n\n## 标题\n\n" + body)
    with bounded(seconds=20, memory_mb=300):
        problems = problems_of(package)
    assert any(problem.startswith("courses/first-aid/lessons/02-more.md" + expected) for problem in problems), problems


def test_the_import_command_reports_the_refusal_and_imports_nothing(package, capsys):
    write(package, "package.yaml", MANIFEST + ALIAS_BOMB)
    with bounded(seconds=10, memory_mb=300), pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_curriculum", str(package))
    assert "anchors and aliases (& and *) are not allowed" in capsys.readouterr().err
    assert not CoursePage.objects.exists()
