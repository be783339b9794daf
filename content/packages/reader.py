"""Read a curriculum package folder and validate all of it, reporting every problem with file and line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath

import yaml
from django.utils.translation import gettext as _

from accounts.constants import OrganizationKind, SkillArea
from accounts.models import Organization
from content.models import Audience, Level
from content.packages.markdown import IMAGE_EXTENSIONS, BlockSpec, inside_package, markdown_to_blocks, package_file
from content.packages.yamlnodes import LineDict, LineList, load_with_lines
from core.parsing import MAX_YAML_BYTES, YamlRefused, control_character_line

FORMAT = "volunteer-curriculum"
SUPPORTED_VERSIONS = {1}
KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
LESSON_FILE = re.compile(r"^(\d{2})-([a-z0-9][a-z0-9-]*)\.md$")
# Python-Markdown slows down more than linearly on some inputs (runs of '*' or '['): 16 times the largest demo lesson.
MAX_LESSON_BYTES = 64 * 1024


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class PackageInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass
class BaseSpec:
    key: str
    organization: Organization
    title: str
    title_en: str = ""
    intro: str = ""
    intro_en: str = ""


@dataclass
class CurriculumSpec:
    key: str
    base: str
    title: str
    title_en: str
    summary: str
    summary_en: str
    audience: list[str]
    courses: list[str]


@dataclass
class LessonSpec:
    key: str
    title: str
    title_en: str
    estimated_minutes: int
    blocks: list[BlockSpec]
    file: str


@dataclass
class CourseSpec:
    key: str
    title: str
    title_en: str
    summary: str
    summary_en: str
    objectives: list[str]
    objectives_en: list[str]
    credit_hours: Decimal
    level: str
    skill_area: str
    audience: list[str]
    prerequisites: list[str]
    estimated_minutes: int
    certificate: bool
    cover: Path | None
    lessons: list[LessonSpec] = field(default_factory=list)


@dataclass
class Package:
    root: Path
    version: int
    bases: list[BaseSpec]
    curricula: list[CurriculumSpec]
    courses: dict[str, CourseSpec]

    @property
    def lesson_count(self) -> int:
        return sum(len(course.lessons) for course in self.courses.values())


class _Checker:
    """Collects problems for one file; field getters return None (and record a problem) on bad input."""

    def __init__(self, problems: list[Problem], file: str):
        self.problems = problems
        self.file = file

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))

    def mapping(self, value, line: int, what: str) -> LineDict | None:
        if not isinstance(value, LineDict):
            self.add(getattr(value, "line", line), f"{what} must be a mapping of fields.")
            return None
        return value

    def unknown(self, data: LineDict, allowed: set[str], what: str) -> None:
        for key in data:
            if key not in allowed:
                self.add(data.line_of(key), f"Unknown field '{key}' in {what} (allowed: {', '.join(sorted(allowed))}).")

    def text(self, data: LineDict, name: str, *, required: bool = True, default: str = "") -> str | None:
        if name not in data or data[name] is None or data[name] == "":
            if required:
                self.add(data.line, f"Missing required field '{name}'.")
                return None
            return default
        value = data[name]
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.add(data.line_of(name), f"'{name}' must be text.")
            return None
        return str(value).strip()

    def key(self, data: LineDict, name: str = "key") -> str | None:
        value = self.text(data, name)
        if value is not None and not KEY.match(value):
            self.add(data.line_of(name), f"'{name}' must be lower-case letters, digits and hyphens: {value!r}.")
            return None
        return value

    def integer(self, data: LineDict, name: str, *, default: int | None = None, minimum: int = 1) -> int | None:
        if name not in data:
            if default is None:
                self.add(data.line, f"Missing required field '{name}'.")
            return default
        value = data[name]
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            self.add(data.line_of(name), f"'{name}' must be a whole number of at least {minimum}: {value!r}.")
            return None
        return value

    def choice(self, data: LineDict, name: str, choices: list[str], *, default: str | None = None) -> str | None:
        if name not in data:
            if default is None:
                self.add(data.line, f"Missing required field '{name}'.")
            return default
        value = data[name]
        if value not in choices:
            self.add(data.line_of(name), f"Unknown {name.replace('_', ' ')} {value!r} (one of: {', '.join(choices)}).")
            return None
        return value

    def string_list(self, data: LineDict, name: str, *, required: bool = False, choices: list[str] | None = None):
        if name not in data or data[name] is None:
            if required:
                self.add(data.line, f"Missing required field '{name}'.")
                return None
            return []
        value = data[name]
        if not isinstance(value, LineList):
            self.add(data.line_of(name), f"'{name}' must be a list.")
            return None
        result: list[str] = []
        for index, item in enumerate(value):
            if not isinstance(item, (str, int)) or isinstance(item, bool):
                self.add(value.line_of(index), f"Each item of '{name}' must be text.")
            elif choices is not None and item not in choices:
                self.add(value.line_of(index), f"Unknown {name} {item!r} (one of: {', '.join(choices)}).")
            else:
                result.append(str(item).strip())
        if required and not result:
            self.add(data.line_of(name), f"'{name}' needs at least one item.")
        return result


def _read_text(root: Path, path: Path, relative: str, problems: list[Problem], *, limit: int) -> str | None:
    """The UTF-8 text of a package file, or None (and a problem): a link leading outside the package, a file larger
    than `limit` (checked before reading), a control character no page can hold (a NUL cannot be stored)."""
    if not inside_package(root, path):
        problems.append(Problem(relative, 1, _("The file is a link to a file outside the package.")))
        return None
    try:
        if path.stat().st_size > limit:
            problems.append(
                Problem(
                    relative, 1, _("The file is larger than %(size)d KB; please split it.") % {"size": limit // 1024}
                )
            )
            return None
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(relative, 1, "The file is not UTF-8 text."))
        return None
    except OSError as error:
        problems.append(Problem(relative, 1, _("The file cannot be read: %(error)s") % {"error": error.strerror}))
        return None
    refused = control_character_line(text)
    if refused is not None:
        problems.append(Problem(relative, refused[0], _("The text %(problem)s.") % {"problem": refused[1]}))
        return None
    return text


def _load_yaml(
    path: Path,
    relative: str,
    problems: list[Problem],
    *,
    root: Path | None = None,
    text: str | None = None,
    offset: int = 0,
):
    """A YAML file of the package (under `root`) or the front matter `text` of a lesson, with line numbers."""
    source = _read_text(root or path.parent, path, relative, problems, limit=MAX_YAML_BYTES) if text is None else text
    if source is None:
        return None
    try:
        return load_with_lines(source, offset=offset)
    except YamlRefused as error:  # anchors and aliases (alias bombs), too many values, too deep
        line = (error.line or 1) + offset
        problems.append(
            Problem(relative, line, _("YAML that is not allowed: %(problem)s.") % {"problem": error.problem})
        )
        return None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = (mark.line + 1 + offset) if mark is not None else 1 + offset
        problems.append(Problem(relative, line, f"YAML syntax error: {getattr(error, 'problem', error)}"))
        return None


def package_read(path: str | Path) -> Package:
    """Read and validate the package at `path`; raises PackageInvalid listing every problem. Writes nothing."""
    root = Path(path)
    problems: list[Problem] = []
    manifest_path = root / "package.yaml"
    if not manifest_path.is_file():
        raise PackageInvalid([Problem("package.yaml", 1, f"No package.yaml in {root}.")])
    manifest = _load_yaml(manifest_path, "package.yaml", problems, root=root)
    check = _Checker(problems, "package.yaml")
    if manifest is None or check.mapping(manifest, 1, "package.yaml") is None:
        raise PackageInvalid(problems or [Problem("package.yaml", 1, "package.yaml is empty.")])
    check.unknown(manifest, {"format", "version", "training_bases", "curricula"}, "package.yaml")
    if manifest.get("format") != FORMAT:
        check.add(manifest.line_of("format"), f"'format' must be '{FORMAT}'.")
    version = manifest.get("version")
    if version not in SUPPORTED_VERSIONS:
        check.add(manifest.line_of("version"), f"Unsupported version {version!r} (supported: 1).")

    bases = _read_bases(manifest, check)
    base_keys = {base.key for base in bases}
    curricula = _read_curricula(manifest, check, base_keys)

    courses: dict[str, CourseSpec] = {}
    courses_dir = root / "courses"
    folders = sorted(folder for folder in courses_dir.iterdir() if folder.is_dir()) if courses_dir.is_dir() else []
    for folder in folders:
        if not inside_package(root, folder):
            problems.append(
                Problem(f"courses/{folder.name}", 1, _("The folder is a link to a folder outside the package."))
            )
            continue
        course = _read_course(root, folder, problems)
        if course is not None:
            courses[course.key] = course

    listed: dict[str, tuple[str, int]] = {}
    manifest_curricula = manifest.get("curricula") if isinstance(manifest.get("curricula"), LineList) else []
    for curriculum, raw in zip(curricula, manifest_curricula, strict=False):
        course_lines = raw.get("courses") if isinstance(raw, LineDict) else None
        for index, course_key in enumerate(curriculum.courses):
            line = course_lines.line_of(index) if isinstance(course_lines, LineList) else raw.line
            if course_key in listed:
                check.add(line, f"Course {course_key!r} is already listed in curriculum {listed[course_key][0]!r}.")
            listed[course_key] = (curriculum.key, line)
            if course_key not in courses and not (courses_dir / course_key / "course.yaml").is_file():
                check.add(line, f"Unknown course key {course_key!r}: there is no courses/{course_key}/course.yaml.")
    for course_key in courses:
        if course_key not in listed:
            problems.append(
                Problem(
                    f"courses/{course_key}/course.yaml", 1, f"Course {course_key!r} is in no curriculum's 'courses'."
                )
            )
    for course in courses.values():
        for prerequisite in course.prerequisites:
            if prerequisite not in courses and (courses_dir / prerequisite / "course.yaml").is_file() is False:
                from content.models import CoursePage

                if not CoursePage.objects.filter(key=prerequisite).exists():
                    problems.append(
                        Problem(
                            f"courses/{course.key}/course.yaml",
                            course._prerequisite_line,  # type: ignore[attr-defined]
                            f"Unknown prerequisite course key {prerequisite!r}.",
                        )
                    )
            if prerequisite == course.key:
                problems.append(
                    Problem(
                        f"courses/{course.key}/course.yaml",
                        course._prerequisite_line,  # type: ignore[attr-defined]
                        "A course cannot be its own prerequisite.",
                    )
                )
    if problems:
        raise PackageInvalid(problems)
    return Package(root=root, version=int(version), bases=bases, curricula=curricula, courses=courses)


def _read_bases(manifest: LineDict, check: _Checker) -> list[BaseSpec]:
    raw_bases = manifest.get("training_bases")
    if not isinstance(raw_bases, LineList) or not raw_bases:
        check.add(manifest.line_of("training_bases"), "'training_bases' must list at least one training base.")
        return []
    bases: list[BaseSpec] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_bases):
        data = check.mapping(raw, raw_bases.line_of(index), "A training base")
        if data is None:
            continue
        check.unknown(data, {"key", "organization", "title", "title_en", "intro", "intro_en"}, "a training base")
        key, slug, title = check.key(data), check.text(data, "organization"), check.text(data, "title")
        if key in seen:
            check.add(data.line_of("key"), f"Duplicate training base key {key!r}.")
        seen.add(key or "")
        organization = None
        if slug:
            organization = Organization.objects.filter(slug=slug).first()
            if organization is None:
                check.add(data.line_of("organization"), f"No organisation with slug {slug!r}.")
            elif organization.kind != OrganizationKind.TRAINING_BASE:
                check.add(data.line_of("organization"), f"Organisation {slug!r} is not a training base.")
                organization = None
        if key and title and organization is not None:
            bases.append(
                BaseSpec(
                    key,
                    organization,
                    title,
                    check.text(data, "title_en", required=False) or "",
                    check.text(data, "intro", required=False) or "",
                    check.text(data, "intro_en", required=False) or "",
                )
            )
    return bases


def _read_curricula(manifest: LineDict, check: _Checker, base_keys: set[str]) -> list[CurriculumSpec]:
    raw_curricula = manifest.get("curricula")
    if not isinstance(raw_curricula, LineList) or not raw_curricula:
        check.add(manifest.line_of("curricula"), "'curricula' must list at least one curriculum.")
        return []
    curricula: list[CurriculumSpec] = []
    seen: set[str] = set()
    allowed = {"key", "base", "title", "title_en", "summary", "summary_en", "audience", "courses"}
    for index, raw in enumerate(raw_curricula):
        data = check.mapping(raw, raw_curricula.line_of(index), "A curriculum")
        if data is None:
            curricula.append(CurriculumSpec("", "", "", "", "", "", [], []))
            continue
        check.unknown(data, allowed, "a curriculum")
        key, base, title = check.key(data), check.text(data, "base"), check.text(data, "title")
        if key in seen:
            check.add(data.line_of("key"), f"Duplicate curriculum key {key!r}.")
        seen.add(key or "")
        if base and base not in base_keys:
            check.add(data.line_of("base"), f"Unknown training base key {base!r}.")
        audience = check.string_list(data, "audience", required=True, choices=Audience.values)
        courses = check.string_list(data, "courses", required=True)
        curricula.append(
            CurriculumSpec(
                key or "",
                base or "",
                title or "",
                check.text(data, "title_en", required=False) or "",
                check.text(data, "summary", required=False) or "",
                check.text(data, "summary_en", required=False) or "",
                audience or [],
                courses or [],
            )
        )
    return curricula


COURSE_FIELDS = {
    "key",
    "title",
    "title_en",
    "summary",
    "summary_en",
    "objectives",
    "objectives_en",
    "credit_hours",
    "level",
    "skill_area",
    "audience",
    "prerequisites",
    "estimated_minutes",
    "certificate",
    "cover",
}
LESSON_FIELDS = {"key", "title", "title_en", "estimated_minutes"}


def _read_course(root: Path, folder: Path, problems: list[Problem]) -> CourseSpec | None:
    relative = f"courses/{folder.name}/course.yaml"
    if not (folder / "course.yaml").is_file():
        problems.append(Problem(relative, 1, "Missing course.yaml."))
        return None
    data = _load_yaml(folder / "course.yaml", relative, problems, root=root)
    check = _Checker(problems, relative)
    if data is None or check.mapping(data, 1, "course.yaml") is None:
        return None
    check.unknown(data, COURSE_FIELDS, "course.yaml")
    key = check.key(data)
    if key and key != folder.name:
        check.add(data.line_of("key"), f"The key {key!r} must match the folder name {folder.name!r}.")
    title, summary = check.text(data, "title"), check.text(data, "summary")
    credit_hours = None
    if "credit_hours" not in data:
        check.add(data.line, "Missing required field 'credit_hours'.")
    else:
        try:
            credit_hours = Decimal(str(data["credit_hours"]))
            if credit_hours < 0 or credit_hours > 999 or credit_hours != credit_hours.quantize(Decimal("0.1")):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            check.add(
                data.line_of("credit_hours"),
                f"'credit_hours' must be a number like 2 or 1.5: {data['credit_hours']!r}.",
            )
            credit_hours = None
    level = check.choice(data, "level", Level.values)
    skill_area = check.choice(data, "skill_area", SkillArea.values)
    audience = check.string_list(data, "audience", required=True, choices=Audience.values)
    objectives = check.string_list(data, "objectives")
    objectives_en = check.string_list(data, "objectives_en")
    if objectives and objectives_en and len(objectives) != len(objectives_en):
        check.add(
            data.line_of("objectives_en"), "'objectives_en' must have as many items as 'objectives', in the same order."
        )
    prerequisites = check.string_list(data, "prerequisites")
    estimated_minutes = check.integer(data, "estimated_minutes", default=60)
    certificate = data.get("certificate", False)
    if not isinstance(certificate, bool):
        check.add(data.line_of("certificate"), f"'certificate' must be true or false: {certificate!r}.")
    cover = None
    if data.get("cover"):
        # Relative to the package folder, like every path of a manifest: '..' is never needed there.
        candidate, problem = package_file(
            root, root, str(data["cover"]), f"Cover image file not found: {data['cover']}"
        )
        if ".." in PurePosixPath(str(data["cover"])).parts:
            check.add(
                data.line_of("cover"), _("The cover path must not contain '..': %(path)s") % {"path": data["cover"]}
            )
        elif candidate is None:
            check.add(data.line_of("cover"), problem)
        elif candidate.suffix.lower() not in IMAGE_EXTENSIONS:
            check.add(data.line_of("cover"), f"The cover is not an image file: {data['cover']}")
        else:
            cover = candidate
    lessons = _read_lessons(root, folder, problems)
    if not lessons and not (folder / "lessons").is_dir():
        problems.append(Problem(relative, 1, "The course has no lessons/ folder."))
    if None in (key, title, summary, credit_hours, level, skill_area, audience, estimated_minutes):
        return None
    course = CourseSpec(
        key,
        title,
        check.text(data, "title_en", required=False) or "",
        summary,
        check.text(data, "summary_en", required=False) or "",
        objectives or [],
        objectives_en or [],
        credit_hours,
        level,
        skill_area,
        audience,
        prerequisites or [],
        estimated_minutes,
        bool(certificate),
        cover,
        lessons,
    )
    course._prerequisite_line = data.line_of("prerequisites")  # type: ignore[attr-defined]
    return course


def _read_lessons(root: Path, folder: Path, problems: list[Problem]) -> list[LessonSpec]:
    lessons_dir = folder / "lessons"
    if not lessons_dir.is_dir():
        return []
    lessons: list[LessonSpec] = []
    seen_keys: dict[str, str] = {}
    seen_numbers: dict[str, str] = {}
    for path in sorted(lessons_dir.iterdir()):
        relative = f"courses/{folder.name}/lessons/{path.name}"
        if path.is_dir() or path.name.startswith("."):
            continue
        check = _Checker(problems, relative)
        name = LESSON_FILE.match(path.name)
        if not name:
            check.add(1, "Lesson files are named NN-<lesson-key>.md, e.g. 01-cpr-basics.md.")
            continue
        if name.group(1) in seen_numbers:
            check.add(1, f"Lesson number {name.group(1)} is also used by {seen_numbers[name.group(1)]}.")
        seen_numbers[name.group(1)] = path.name
        text = _read_text(root, path, relative, problems, limit=MAX_LESSON_BYTES)
        if text is None:
            continue
        lines = text.split("\n")
        if not lines or lines[0].strip() != "---":
            check.add(1, "A lesson starts with front matter between '---' lines.")
            continue
        try:
            end = next(index for index in range(1, len(lines)) if lines[index].strip() == "---")
        except StopIteration:
            check.add(1, "The front matter is not closed with a '---' line.")
            continue
        front = _load_yaml(path, relative, problems, text="\n".join(lines[1:end]), offset=1)
        if front is None or check.mapping(front, 2, "The front matter") is None:
            if front is None and not any(problem.file == relative for problem in problems):
                check.add(2, "The front matter is empty.")
            continue
        check.unknown(front, LESSON_FIELDS, "the front matter")
        key = check.key(front)
        title = check.text(front, "title")
        minutes = check.integer(front, "estimated_minutes", default=15)
        if key and key != name.group(2):
            check.add(front.line_of("key"), f"The key {key!r} must match the file name ({name.group(2)!r}).")
        if key in seen_keys:
            check.add(front.line_of("key"), f"Lesson key {key!r} is also used by {seen_keys[key]}.")
        seen_keys[key or ""] = path.name
        body = "\n".join(lines[end + 1 :])
        blocks, block_problems = markdown_to_blocks(body, first_line=end + 2, lesson_file=path, root=root)
        for line, message in block_problems:
            check.add(line, message)
        if not blocks:
            check.add(end + 2, "The lesson has no content.")
        if key and title and minutes is not None:
            lessons.append(
                LessonSpec(key, title, check.text(front, "title_en", required=False) or "", minutes, blocks, relative)
            )
    return lessons
