"""Moodle XML, as Moodle exports it: multichoice (single and multiple), truefalse, shortanswer, the ordering plugin,
categories (nested, `$course$/top/a/b`), CDATA HTML text, per-answer and general feedback, idnumber and tags."""

from __future__ import annotations

import io
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException, ElementTree, EntitiesForbidden, ExternalReferenceForbidden
from django.utils.translation import gettext as _

from assessments.importing.base import (
    MAX_FILE_BYTES,
    ImportFormatError,
    ParsedOption,
    ParsedQuestion,
    refuse_control_characters,
    too_big,
)
from assessments.importing.text import html_to_text, text_to_html
from assessments.models import Question, QuestionBank

TRUE_TEXT, FALSE_TEXT = "正确", "错误"
DIFFICULTY_TAG = "difficulty:"
SUPPORTED = {"multichoice", "truefalse", "shortanswer", "ordering"}
MAX_XML_ELEMENTS = 200_000  # a Moodle question is 15 to 30 elements


def category_path(raw: str) -> str:
    """`$course$/top/急救/心肺复苏` -> `急救/心肺复苏` (Moodle's context prefix and `top` say nothing here)."""
    parts = [part.strip() for part in (raw or "").split("/") if part.strip()]
    if parts and parts[0].startswith("$") and parts[0].endswith("$"):
        parts = parts[1:]
    if parts and parts[0].lower() == "top":
        parts = parts[1:]
    return "/".join(parts)


def _text_of(element: Element | None) -> str:
    """The text of a Moodle <x format="..."><text>..</text></x> element, as plain text."""
    if element is None:
        return ""
    raw = element.findtext("text") or ""
    if element.get("format", "html") in ("html", "moodle_auto_format"):
        return html_to_text(raw)
    return raw.strip()


def _fraction(answer: Element) -> float:
    try:
        return float(answer.get("fraction", "0"))
    except ValueError:
        return float("nan")


def _root(data: bytes) -> Element:
    """The parsed document, within MAX_FILE_BYTES and MAX_XML_ELEMENTS; every parser error is an ImportFormatError."""
    if len(data) > MAX_FILE_BYTES:
        raise too_big(MAX_FILE_BYTES)
    root = None
    try:
        for count, (_event, element) in enumerate(ElementTree.iterparse(io.BytesIO(data), events=("start",)), 1):
            if root is None:
                root = element
            if count > MAX_XML_ELEMENTS:
                raise ImportFormatError(
                    _("The XML file has more than %(count)d elements; please split it.") % {"count": MAX_XML_ELEMENTS}
                )
    except EntitiesForbidden as error:
        raise ImportFormatError(
            _("The XML file declares entities (<!ENTITY>), which are not allowed; export it from Moodle again.")
        ) from error
    except ExternalReferenceForbidden as error:
        raise ImportFormatError(_("The XML file refers to other files or addresses, which is not allowed.")) from error
    except DefusedXmlException as error:  # DTDForbidden, NotSupportedError
        raise ImportFormatError(
            _("The XML file uses features that are not allowed: %(error)s") % {"error": error}
        ) from error
    except (ElementTree.ParseError, ValueError, LookupError) as error:
        raise ImportFormatError(_("This is not well-formed XML: %(error)s") % {"error": error}) from error
    if root is None:
        raise ImportFormatError(_("This is not well-formed XML: %(error)s") % {"error": _("the file is empty")})
    return root


def parse(data: bytes) -> list[ParsedQuestion]:
    root = _root(data)
    if root.tag != "quiz":
        raise ImportFormatError(
            _("A Moodle XML file starts with <quiz>; this one starts with <%(tag)s>.") % {"tag": root.tag}
        )
    category = ""
    parsed: list[ParsedQuestion] = []
    for element in root.findall("question"):
        qtype = element.get("type", "")
        if qtype == "category":
            category = category_path(element.findtext("category/text") or "")
            continue
        question = ParsedQuestion(
            position=len(parsed) + 1,
            type=qtype,
            name=(element.findtext("name/text") or "").strip(),
            text=_text_of(element.find("questiontext")),
            explanation=_text_of(element.find("generalfeedback")),
            key=(element.findtext("idnumber") or "").strip(),
            category=category,
        )
        for tag in element.findall("tags/tag"):
            name = (tag.findtext("text") or "").strip()
            if name.startswith(DIFFICULTY_TAG):
                value = name[len(DIFFICULTY_TAG) :]
                question.difficulty = int(value) if value.isdigit() else 0
            elif name:
                question.tags.append(name)
        if question.name and question.name == question.key:
            question.name = ""  # our export writes the key where a question has no name (Moodle requires one)
        parsed.append(question)
        if qtype not in SUPPORTED:
            question.problems.append(
                _(
                    "Moodle question type “%(type)s” is not supported (supported: multichoice, truefalse, shortanswer, "
                    "ordering); it was not imported."
                )
                % {"type": qtype}
            )
            continue
        answers = element.findall("answer")
        if any(fraction != fraction for fraction in map(_fraction, answers)):  # NaN: a fraction that is no number
            question.problems.append(_("An answer has a fraction that is not a number."))
            continue
        if qtype == "multichoice":
            single = (element.findtext("single") or "true").strip().lower() in ("true", "1")
            question.type = "single" if single else "multiple"
            for answer in answers:
                fraction = _fraction(answer)
                if single and 0 < fraction < 100:
                    question.problems.append(
                        _(
                            "A single-answer question gives partial credit (%(fraction)s%%) to an answer; only 100%% "
                            "or 0%% can be imported."
                        )
                        % {"fraction": f"{fraction:g}"}
                    )
                question.options.append(
                    ParsedOption(
                        _text_of(answer), fraction >= 100 if single else fraction > 0, _text_of(answer.find("feedback"))
                    )
                )
        elif qtype == "truefalse":
            question.type = "truefalse"
            truth = None
            for answer in answers:
                if (answer.findtext("text") or "").strip().lower() == "true":
                    truth = _fraction(answer) >= 100
            if truth is None:
                question.problems.append(_("A true/false question has no “true” answer."))
            question.options = [ParsedOption(TRUE_TEXT, truth is True), ParsedOption(FALSE_TEXT, truth is False)]
        elif qtype == "shortanswer":
            question.type = "fill"
            for answer in answers:
                fraction = _fraction(answer)
                if 0 < fraction < 100:
                    question.problems.append(
                        _(
                            "A short answer gives partial credit (%(fraction)s%%); only fully accepted answers can be "
                            "imported."
                        )
                        % {"fraction": f"{fraction:g}"}
                    )
                elif fraction >= 100:
                    question.options.append(ParsedOption(_text_of(answer), True, _text_of(answer.find("feedback"))))
        else:  # the ordering plugin lists the steps with their position as the fraction
            question.type = "ordering"
            steps = sorted(enumerate(answers), key=lambda pair: (_fraction(pair[1]), pair[0]))
            question.options = [ParsedOption(_text_of(answer), True) for _index, answer in steps]
    return refuse_control_characters(parsed)


def _cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _rich(tag: str, value: str, indent: str) -> str:
    return f'{indent}<{tag} format="html"><text>{_cdata(text_to_html(value))}</text></{tag}>'


def export(bank: QuestionBank) -> str:
    """The bank as Moodle XML; importing it back gives the same questions (keys travel as idnumber)."""
    questions = (
        Question.objects.filter(bank=bank).prefetch_related("options", "tagged_items__tag").order_by("category", "id")
    )
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    category = None
    for question in questions:
        if question.category != category:
            category = question.category
            path = "$course$/top" + (f"/{category}" if category else "")
            lines += [
                '  <question type="category">',
                f"    <category><text>{_escape(path)}</text></category>",
                "  </question>",
            ]
        options = sorted(question.options.all(), key=lambda option: (option.sort_order, option.id))
        moodle_type = {
            "single": "multichoice",
            "multiple": "multichoice",
            "truefalse": "truefalse",
            "fill": "shortanswer",
            "ordering": "ordering",
        }[question.type]
        lines.append(f'  <question type="{moodle_type}">')
        lines.append(f"    <name><text>{_escape(question.name or question.key)}</text></name>")
        lines.append(_rich("questiontext", question.text, "    "))
        lines.append(_rich("generalfeedback", question.explanation, "    "))
        lines.append("    <defaultgrade>1</defaultgrade>")
        lines.append(f"    <idnumber>{_escape(question.key)}</idnumber>")
        if question.type in ("single", "multiple"):
            single = question.type == "single"
            correct = max(1, sum(1 for option in options if option.is_correct))
            lines.append(f"    <single>{'true' if single else 'false'}</single>")
            lines.append("    <shuffleanswers>true</shuffleanswers>")
            for option in options:
                if option.is_correct:
                    fraction = "100" if single else f"{100 / correct:.5f}"
                else:
                    fraction = "0" if single else f"{-100 / correct:.5f}"
                lines += [
                    f'    <answer fraction="{fraction}" format="html">',
                    f"      <text>{_cdata(text_to_html(option.text))}</text>",
                    _rich("feedback", option.feedback, "      "),
                    "    </answer>",
                ]
        elif question.type == "truefalse":
            truth = bool(options) and options[0].is_correct
            for word, right in (("true", truth), ("false", not truth)):
                lines += [
                    f'    <answer fraction="{100 if right else 0}" format="moodle_auto_format">',
                    f"      <text>{word}</text>",
                    "    </answer>",
                ]
        elif question.type == "fill":
            lines.append("    <usecase>0</usecase>")
            for option in options:
                lines += [
                    '    <answer fraction="100" format="moodle_auto_format">',
                    f"      <text>{_escape(option.text)}</text>",
                    _rich("feedback", option.feedback, "      "),
                    "    </answer>",
                ]
        else:
            for order, option in enumerate(options, start=1):
                lines += [
                    f'    <answer fraction="{order}" format="html">',
                    f"      <text>{_cdata(text_to_html(option.text))}</text>",
                    "    </answer>",
                ]
        tags = sorted(item.tag.name for item in question.tagged_items.all())
        if question.difficulty != 1:
            tags.append(f"{DIFFICULTY_TAG}{question.difficulty}")
        if tags:
            lines.append("    <tags>" + "".join(f"<tag><text>{_escape(tag)}</text></tag>" for tag in tags) + "</tags>")
        lines.append("  </question>")
    lines.append("</quiz>")
    return "\n".join(lines) + "\n"
