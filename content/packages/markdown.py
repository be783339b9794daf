"""Lesson Markdown to StreamField block specs (docs/curriculum-package.md, "Block mapping").

The result still names files by path; the importer turns paths into Wagtail images and documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import markdown as markdown_lib
from bs4 import BeautifulSoup, NavigableString, Tag
from django.utils.translation import gettext as _

IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".gif", ".webp"}
DIRECTIVES = {"keypoints", "steps", "checklist", "term", "video"}

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
DIRECTIVE_OPEN = re.compile(r"^:::\s*([A-Za-z_-]+)\s*(.*?)\s*$")
DIRECTIVE_CLOSE = re.compile(r"^:::\s*$")
IMAGE_LINE = re.compile(r"^!\[([^\]]*)\]\(\s*([^)\s]+)\s*\)\s*$")
DOCUMENT_LINE = re.compile(r"^\[([^\]]+)\]\(\s*doc:([^)\s]+)\s*\)\s*$")
INLINE_IMAGE = re.compile(r"!\[[^\]]*\]\(([^)]*)\)")
INLINE_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(\s*([^)\s]*)[^)]*\)")
BULLET = re.compile(r"^\s*[-*+]\s+(.*\S)\s*$")
NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*\S)\s*$")

ALLOWED_TAGS = {"p", "strong", "em", "ul", "ol", "li", "a", "code", "br", "sup", "sub"}
RENAMED_TAGS = {"b": "strong", "i": "em"}
DROPPED_TAGS = {"script", "style", "iframe", "object", "embed", "img"}


@dataclass
class BlockSpec:
    type: str
    line: int
    value: dict = field(default_factory=dict)
    # Files the block needs, relative to nothing: absolute paths inside the package.
    images: list[Path] = field(default_factory=list)
    documents: list[Path] = field(default_factory=list)


def _plain(text: str) -> str:
    """Inline Markdown emphasis is not kept in list items and terms (plain-text blocks)."""
    return re.sub(r"(\*\*|__|`)", "", text).strip()


def inside_package(root: Path, path: Path) -> bool:
    """Whether `path`, its symbolic links followed, is inside the package folder `root`."""
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):  # outside; or a link loop, a name the system refuses
        return False
    return True


def package_file(root: Path, folder: Path, target: str, missing: str) -> tuple[Path | None, str]:
    """The file that `target` names relative to `folder`, inside the package `root`, or None and why not: `missing`
    when there is no such file. Refused: an absolute path, a backslash, a path (or a link on it) leading outside."""
    if "\\" in target:
        return None, _("Use '/' in paths, not '\\': %(path)s") % {"path": target}
    if target.startswith("/") or re.match(r"^[A-Za-z]:", target):
        return None, _("A path in the package must be relative, not absolute: %(path)s") % {"path": target}
    candidate = folder / target
    if not inside_package(root, candidate):
        return None, _("The path leads outside the package: %(path)s") % {"path": target}
    resolved = candidate.resolve()
    return (resolved, "") if resolved.is_file() else (None, missing)


def _resolve(lesson_file: Path, root: Path, target: str) -> Path | None:
    """The file `target` names relative to the lesson, if it exists inside the package."""
    return package_file(root, lesson_file.parent, target, "")[0]


MAX_LINK_CHARACTERS = 1000  # one link's text and address
MAX_BRACKETS = 500  # '[' in one text between blocks: each costs Python-Markdown a search of up to a link's length


class _BoundedLinks(markdown_lib.Extension):
    """For every '[', Python-Markdown looks for the closing ']' and ')' as far as the end of the paragraph: 4 KB of
    '[' took 10 s, 16 KB more than a minute. Each search here stops after one link's length."""

    NAMES = ("reference", "link", "image_link", "image_reference", "short_reference", "short_image_ref")

    def extendMarkdown(self, md) -> None:
        for name in self.NAMES:
            if name in md.inlinePatterns:
                processor = md.inlinePatterns[name]
                processor.getText = _bounded_text(processor.getText)
                if hasattr(processor, "getLink"):
                    processor.getLink = _bounded_link(processor.getLink)


def _bounded_text(get_text):
    def bounded(data: str, index: int):
        text, end, handled = get_text(data[index : index + MAX_LINK_CHARACTERS], 0)
        return text, index + end, handled

    return bounded


def _bounded_link(get_link):
    def bounded(data: str, index: int):
        href, title, end, handled = get_link(data[index : index + MAX_LINK_CHARACTERS], 0)
        return href, title, index + end, handled

    return bounded


def _markdown_html(source: str) -> str | None:
    """The HTML of a Markdown text, or None when it is nested too deeply for Python-Markdown (it recurses)."""
    try:
        return markdown_lib.markdown(source, extensions=[_BoundedLinks()])
    except RecursionError:
        return None


def sanitize_html(html: str) -> str:
    """Keep only the rich-text features lessons use; links keep http(s), mailto and doc: targets."""
    soup = BeautifulSoup(html, "html.parser")
    # Not `tag.decomposed`: bs4 looks it up with a search of the tag's descendants, quadratic for nested tags.
    dropped: set[int] = set()
    for tag in list(soup.find_all(True)):
        if id(tag) in dropped:
            continue
        name = RENAMED_TAGS.get(tag.name, tag.name)
        if tag.name in DROPPED_TAGS:
            dropped.update(id(inner) for inner in tag.find_all(True))
            tag.decompose()
            continue
        if name not in ALLOWED_TAGS:
            tag.unwrap()
            continue
        tag.name = name
        href = tag.get("href", "") if name == "a" else ""
        tag.attrs = {}
        if name == "a" and href.startswith(("http://", "https://", "mailto:", "doc:")):
            tag["href"] = href
    return "".join(
        str(child) for child in soup.contents if not (isinstance(child, NavigableString) and not child.strip())
    )


def markdown_to_blocks(
    text: str, *, first_line: int, lesson_file: Path, root: Path
) -> tuple[list[BlockSpec], list[tuple[int, str]]]:
    """Convert a lesson body. Returns (blocks, problems as (line, message)); line numbers are in the file."""
    blocks: list[BlockSpec] = []
    problems: list[tuple[int, str]] = []
    lines = text.split("\n")
    chunk: list[str] = []
    chunk_line = first_line

    def flush() -> None:
        nonlocal chunk
        source = "\n".join(chunk).strip()
        if source:
            blocks.append(_rich_text(source, chunk_line, lesson_file, root, problems))
        chunk = []

    index = 0
    while index < len(lines):
        line = lines[index]
        number = first_line + index
        stripped = line.strip()
        heading = HEADING.match(stripped)
        directive = DIRECTIVE_OPEN.match(stripped)
        image = IMAGE_LINE.match(stripped)
        document = DOCUMENT_LINE.match(stripped)
        if heading:
            flush()
            if len(heading.group(1)) == 1:
                problems.append((number, "'#' headings are not allowed: the lesson title is the page title; use '##'."))
            elif not heading.group(2):
                problems.append((number, "Empty heading."))
            else:
                blocks.append(BlockSpec("heading", number, {"text": heading.group(2)}))
        elif directive and not DIRECTIVE_CLOSE.match(stripped):
            flush()
            name, argument = directive.group(1).lower(), directive.group(2)
            body: list[tuple[int, str]] = []
            index += 1
            while index < len(lines) and not DIRECTIVE_CLOSE.match(lines[index].strip()):
                body.append((first_line + index, lines[index]))
                index += 1
            if index >= len(lines):
                problems.append((number, f"':::{name}' is never closed with a ':::' line."))
            spec = _directive(name, argument, number, body, lesson_file, root, problems)
            if spec is not None:
                blocks.append(spec)
        elif DIRECTIVE_CLOSE.match(stripped):
            problems.append((number, "A ':::' line closes nothing."))
        elif image:
            flush()
            path, problem = package_file(
                root, lesson_file.parent, image.group(2), f"Image file not found: {image.group(2)}"
            )
            if image.group(2).startswith(("http://", "https://")):
                problems.append((number, f"Images must be files in the package, not web addresses: {image.group(2)}"))
            elif path is None:
                problems.append((number, problem))
            elif path.suffix.lower() not in IMAGE_EXTENSIONS:
                problems.append((number, f"Not an image file (png, jpg, gif, webp): {image.group(2)}"))
            else:
                blocks.append(BlockSpec("image", number, {"path": path, "caption": image.group(1)}, images=[path]))
        elif document:
            flush()
            path, problem = package_file(
                root, lesson_file.parent, document.group(2), f"Document file not found: {document.group(2)}"
            )
            if path is None:
                problems.append((number, problem))
            else:
                blocks.append(
                    BlockSpec("document", number, {"path": path, "label": document.group(1)}, documents=[path])
                )
        else:
            if not chunk:
                chunk_line = number
            chunk.append(line)
        index += 1
    flush()
    return blocks, problems


def _list_items(name: str, body: list[tuple[int, str]], pattern: re.Pattern, problems: list) -> list[str]:
    items: list[str] = []
    for number, line in body:
        if not line.strip():
            continue
        match = pattern.match(line) or BULLET.match(line)
        if match:
            items.append(_plain(match.group(1)))
        elif items and line.startswith(("  ", "\t")):
            items[-1] += " " + _plain(line)
        else:
            expected = "'1. step'" if pattern is NUMBERED else "'- item'"
            problems.append((number, f"Inside ':::{name}' every line must be a list item ({expected})."))
    return items


def _directive(name, argument, number, body, lesson_file, root, problems) -> BlockSpec | None:
    if name not in DIRECTIVES:
        problems.append((number, f"Unknown block ':::{name}' (known: {', '.join(sorted(DIRECTIVES))})."))
        return None
    if name in ("keypoints", "checklist", "steps"):
        items = _list_items(name, body, NUMBERED if name == "steps" else BULLET, problems)
        if not items:
            problems.append((number, f"':::{name}' has no items."))
            return None
        key = {"keypoints": "points", "checklist": "items", "steps": "steps"}[name]
        block_type = {"keypoints": "key_points", "checklist": "checklist", "steps": "steps"}[name]
        return BlockSpec(block_type, number, {"title": argument, key: items})
    if name == "term":
        definition = "\n".join(line.strip() for _number, line in body).strip()
        if not argument:
            problems.append((number, "':::term' needs the term on the same line, e.g. ':::term AED'."))
            return None
        if not definition:
            problems.append((number, f"The term '{argument}' has no definition."))
            return None
        return BlockSpec("glossary_term", number, {"term": _plain(argument), "definition": _plain(definition)})
    # video
    caption = " ".join(line.strip() for _number, line in body).strip()
    if not argument:
        problems.append((number, "':::video' needs a URL or a file path on the same line."))
        return None
    if argument.startswith(("http://", "https://")):
        return BlockSpec("video", number, {"embed_url": argument, "caption": caption})
    path, problem = package_file(root, lesson_file.parent, argument, f"Video file not found: {argument}")
    if path is None:
        problems.append((number, problem))
        return None
    return BlockSpec("video", number, {"path": path, "caption": caption}, documents=[path])


def _rich_text(source: str, line: int, lesson_file: Path, root: Path, problems: list) -> BlockSpec:
    documents: list[Path] = []
    if source.count("[") > MAX_BRACKETS:  # before the link patterns below, which would take as long
        problems.append(
            (line, _("The text has more than %(count)d '['; split it with headings.") % {"count": MAX_BRACKETS})
        )
        return BlockSpec("rich_text", line, {"html": ""})
    for offset, text_line in enumerate(source.split("\n")):
        for target in INLINE_IMAGE.findall(text_line):
            problems.append((line + offset, f"An image must stand alone on its own line: {target}"))
        for target in INLINE_LINK.findall(text_line):
            if target.startswith("doc:"):
                path, problem = package_file(
                    root, lesson_file.parent, target[4:], f"Document file not found: {target[4:]}"
                )
                if path is None:
                    problems.append((line + offset, problem))
                else:
                    documents.append(path)
            elif target and not target.startswith(("http://", "https://", "mailto:", "#")):
                problems.append(
                    (line + offset, f"Link to a local file must use 'doc:' (a document download): {target}")
                )
    converted = _markdown_html(source)
    if converted is None:
        problems.append((line, _("The text is nested too deeply (lists in lists, quotes in quotes) to be converted.")))
        converted = ""
    html = sanitize_html(converted)

    # doc: links name files relative to the lesson; make them absolute so the importer can find them.
    def absolute(match: re.Match) -> str:
        path = _resolve(lesson_file, root, match.group(1))
        return f'href="doc:{path}"' if path else 'href=""'

    html = re.sub(r'href="doc:([^"]+)"', absolute, html)
    return BlockSpec("rich_text", line, {"html": html}, documents=documents)


def html_to_markdown(html: str, document_path) -> str:
    """The stored rich text of a block as package Markdown (the subset `sanitize_html` keeps).
    `document_path(id)` gives the relative path of an exported document."""
    soup = BeautifulSoup(html, "html.parser")

    def inline(node) -> str:
        if isinstance(node, NavigableString):
            return str(node).replace("\n", " ")
        if not isinstance(node, Tag):
            return ""
        inner = "".join(inline(child) for child in node.children)
        if node.name in ("strong", "b"):
            return f"**{inner}**"
        if node.name in ("em", "i"):
            return f"*{inner}*"
        if node.name == "code":
            return f"`{inner}`"
        if node.name == "br":
            return "  \n"
        if node.name in ("sup", "sub"):
            return f"<{node.name}>{inner}</{node.name}>"
        if node.name == "a":
            if node.get("linktype") == "document":
                return f"[{inner}](doc:{document_path(node.get('id'))})"
            if node.get("linktype") == "page":
                return inner  # internal page links do not travel between sites
            return f"[{inner}]({node.get('href', '')})"
        return inner

    def block(node, depth: int = 0) -> list[str]:
        if isinstance(node, NavigableString):
            return [str(node).strip()] if str(node).strip() else []
        if node.name in ("ul", "ol"):
            lines = []
            for number, item in enumerate(node.find_all("li", recursive=False), start=1):
                marker = f"{number}." if node.name == "ol" else "-"
                text_parts, nested = [], []
                for child in item.children:
                    if isinstance(child, Tag) and child.name in ("ul", "ol"):
                        nested.extend(block(child, depth + 1))
                    else:
                        text_parts.append(inline(child))
                lines.append("   " * depth + f"{marker} {''.join(text_parts).strip()}")
                lines.extend(nested)
            return ["\n".join(lines)]
        if node.name == "p":
            return [inline(node).strip()]
        return [inline(node).strip()]

    parts: list[str] = []
    for child in soup.contents:
        parts.extend(part for part in block(child) if part)
    return "\n\n".join(parts)
