"""Certificate layouts: the fields a layout may print, the sandbox that renders it, and the check the CMS runs.

A layout (a definition's `layout_html`, or the standard `templates/certificates/pdf/<kind>.html`) is Django template
syntax rendered by an engine of its own: no template loaders (nothing to include or extend), no tag libraries to
`{% load %}`, only the tags and filters allowed below, autoescaping on. Its context holds plain values only
(strings, numbers, booleans, and read-only mappings and tuples of them) copied from the certificate's frozen context
through LAYOUT_FIELDS, so no lookup reaches a model, a queryset or anything that changes state (ADR 0015; the field
reference is docs/certificate-layouts.md).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.template import Context, Engine, Library, Template, TemplateSyntaxError, defaultfilters, defaulttags
from django.template.base import (
    FilterExpression,
    Lexer,
    Node,
    TextNode,
    TokenType,
    Variable,
    VariableNode,
    filter_re,
)
from django.template.defaulttags import (
    CommentNode,
    FirstOfNode,
    ForNode,
    IfNode,
    SpacelessNode,
    TemplateLiteral,
    TemplateTagNode,
    VerbatimNode,
    WithNode,
)
from django.template.loader import get_template
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from accounts.validators import mask_resident_id

# The fields of `c`, each a string or number as frozen at issue (dates as YYYY-MM-DD). Kinds fill only their own.
LAYOUT_FIELDS: dict[str, str] = {
    "title": "the certificate's title",
    "title_en": "its English title",
    "number": "the certificate number",
    "issued_on": "the issue date",
    "valid_until": "the end of validity (empty: no expiry)",
    "issuer_name": "the issuing organisation",
    "issuer_name_en": "its English name",
    "issuer_address": "its address",
    "person_in_charge": "its person in charge",
    "handler_name": "the handler (经办人)",
    "handler_contact": "the handler's contact",
    "holder_name": "the holder's name",
    "holder_masked_name": "the holder's name, masked (张*丰)",
    "volunteer_number": "the holder's volunteer number",
    "id_type": "the ID document type (居民身份证, or empty)",
    "id_type_en": "its English name",
    "id_number_masked": "the ID number, masked (first four and last four characters)",
    "certified": "course and curriculum: what was completed",
    "certified_en": "its English title",
    "credit_hours": "course and curriculum: credit 学时",
    "completed_on": "course and curriculum: the completion date",
    "score_percent": "course: the score in percent (may be empty)",
    "courses": "curriculum: the courses, each with title and credit_hours",
    "period_start": "service record: the first day of the period (may be empty)",
    "period_end": "service record: the last day of the period",
    "service_minutes": "service record: verified service minutes",
    "service_hours": "service record: verified service hours",
    "service_count": "service record: the number of services",
    "service_lines": "service record: the services listed, each with date, content and hours",
    "service_lines_omitted": "service record: how many services were not listed",
    "star_level": "service record: the star level (0 to 5)",
    "cumulative_service_hours": "service record: all verified service hours up to the end of the period",
    "school_year": "school year: the school year (2026-2027)",
    "minutes_per_hour": "school year: minutes in one 学时",
    "learning_hours": "school year: verified learning hours",
    "practice_hours": "school year: verified practice hours",
    "counted_hours": "school year: hours counted toward the requirement",
    "required_hours": "school year: the required hours (may be empty)",
    "requirement_met": "school year: whether the requirement is met (true or false)",
}
LIST_FIELDS: dict[str, tuple[str, ...]] = {
    "courses": ("title", "credit_hours"),
    "service_lines": ("date", "content", "hours"),
}
# The names a layout may use besides `c`.
LAYOUT_VARIABLES: dict[str, str] = {
    "c": "the certificate's fields (LAYOUT_FIELDS)",
    "kind": "course, curriculum, service_record or school_year",
    "verify_url": "the public verification URL",
    "qr_data_uri": "the QR code of the verification URL, as an image URL",
    "seal_url": "the seal image (may be empty)",
    "person_in_charge_signature_url": "the signature of the person in charge (may be empty)",
    "handler_signature_url": "the handler's signature (may be empty)",
}
ALLOWED_TAGS = ("comment", "firstof", "for", "if", "spaceless", "templatetag", "verbatim", "with")
TAG_WORDS = frozenset(ALLOWED_TAGS) | {
    "endcomment",
    "empty",
    "endfor",
    "elif",
    "else",
    "endif",
    "endspaceless",
    "endverbatim",
    "endwith",
}
# Two loops (courses within something, say) are plenty; deeper nesting only multiplies the rendering time.
MAX_LOOP_DEPTH = 2
# Filters that read a value and return a bounded string; none marks output safe or takes a size to allocate.
ALLOWED_FILTERS = (
    "add",
    "capfirst",
    "cut",
    "default",
    "default_if_none",
    "divisibleby",
    "escape",
    "first",
    "force_escape",
    "join",
    "last",
    "length",
    "linebreaks",
    "linebreaksbr",
    "lower",
    "pluralize",
    "slice",
    "striptags",
    "title",
    "truncatechars",
    "truncatewords",
    "upper",
    "wordcount",
    "yesno",
)

# The only library the sandbox engine knows (it is its single builtin; see _SandboxEngine).
register = Library()
for _name in ALLOWED_TAGS:
    register.tag(_name, defaulttags.register.tags[_name])
for _name in ALLOWED_FILTERS:
    register.filter(_name, defaultfilters.register.filters[_name])


class _SandboxEngine(Engine):
    default_builtins: ClassVar[list[str]] = []  # not Django's tags, filters and loader tags: only `register` above


ENGINE = _SandboxEngine(loaders=[], libraries={}, builtins=["certificates.layouts"], autoescape=True)


# Plain values


def plain_fields(context: Mapping[str, Any]) -> Mapping[str, Any]:
    """The LAYOUT_FIELDS of a frozen context as read-only plain values; the ID number masked whatever was stored."""
    fields: dict[str, Any] = {}
    for name in LAYOUT_FIELDS:
        value = context.get(name)
        if name in LIST_FIELDS:
            keys = LIST_FIELDS[name]
            items = value if isinstance(value, list | tuple) else ()
            fields[name] = tuple(
                MappingProxyType({key: _scalar(item.get(key)) for key in keys})
                for item in items
                if isinstance(item, dict)
            )
        else:
            fields[name] = _scalar(value)
    fields["id_number_masked"] = mask_resident_id(str(fields["id_number_masked"] or ""))
    return MappingProxyType(fields)


def _scalar(value: Any) -> str | int | float | bool:
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return str.__str__(value)  # a plain str even from a SafeString: autoescaping applies
    return ""


# Rendering


def standard_layout(kind: str) -> str:
    """The source of the standard layout of a kind (templates/certificates/pdf/<kind>.html)."""
    template: Any = get_template(f"certificates/pdf/{kind}.html")  # the Django backend's, wrapping its Template
    return template.template.source


def render_layout(source: str, variables: Mapping[str, Any]) -> SafeString:
    """Render a layout in the sandbox. Raises TemplateSyntaxError for a layout the sandbox cannot compile."""
    return _compiled(source).render(Context(dict(variables), autoescape=True))


@functools.lru_cache(maxsize=64)
def _compiled(source: str) -> Template:
    """A bulk job renders one layout thousands of times; a compiled template holds no render state."""
    return ENGINE.from_string(source)


# The check


def validate_layout_html(value: str) -> None:
    errors = layout_html_errors(value)
    if errors:
        raise ValidationError(errors, code="layout")


def validate_layout_css(value: str) -> None:
    if "<" in (value or ""):
        raise ValidationError(_("The extra CSS may not contain “<”: it would end the style element."), code="css")


def layout_html_errors(source: str) -> list[str]:
    """What the CMS says about a layout: tags, filters and variables it may not use, or why it does not compile."""
    if not (source or "").strip():
        return []
    tags, filters = _scan(source)
    errors = []
    if tags:
        errors.append(_("Tags not allowed in a certificate layout: %(names)s.") % {"names": ", ".join(tags)})
    if filters:
        errors.append(_("Filters not allowed in a certificate layout: %(names)s.") % {"names": ", ".join(filters)})
    if errors:
        return errors
    try:
        template = ENGINE.from_string(source)
    except TemplateSyntaxError as error:
        return [_("The layout is not a valid template: %(error)s") % {"error": error}]
    problems = list(dict.fromkeys(_problems(template.nodelist, dict(_TOP_SCOPE), depth=0)))
    unknown = [name for kind, name in problems if kind == "variable"]
    if unknown:
        errors.append(
            _("Unknown variables: %(names)s. A layout may use %(variables)s and c.<field>, the fields: %(fields)s.")
            % {
                "names": ", ".join(unknown),
                "variables": ", ".join(name for name in LAYOUT_VARIABLES if name != "c"),
                "fields": ", ".join(LAYOUT_FIELDS),
            }
        )
    if any(kind == "nesting" for kind, _name in problems):
        errors.append(_("Loops may be nested at most %(depth)s deep.") % {"depth": MAX_LOOP_DEPTH})
    unexpected = [name for kind, name in problems if kind == "node"]
    if unexpected:
        errors.append(_("Tags not allowed in a certificate layout: %(names)s.") % {"names": ", ".join(unexpected)})
    return errors


def _scan(source: str) -> tuple[list[str], list[str]]:
    """Every tag and filter name the source uses that the sandbox does not allow (all of them, not the first)."""
    tags: dict[str, None] = {}
    filters: dict[str, None] = {}
    in_comment = False
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            bits = token.split_contents()
            if not bits:
                continue
            if in_comment:
                in_comment = bits[0] != "endcomment"
                continue
            in_comment = bits[0] == "comment"
            if bits[0] not in TAG_WORDS:
                tags[bits[0]] = None
            expressions = [bit.partition("=")[2] if _is_keyword(bit) else bit for bit in bits[1:]]
        elif token.token_type == TokenType.VAR and not in_comment:
            expressions = [token.contents]
        else:
            continue
        for expression in expressions:
            for name in _filter_names(expression):
                if name not in ALLOWED_FILTERS:
                    filters[name] = None
    return list(tags), list(filters)


def _is_keyword(bit: str) -> bool:
    name, equals, _rest = bit.partition("=")
    return bool(equals) and name.isidentifier()


def _filter_names(expression: str) -> Iterator[str]:
    for match in filter_re.finditer(expression):
        if match["filter_name"]:
            yield match["filter_name"]


# What each name holds, for the check: a scalar (None), a mapping of names, or a sequence of one item shape.


@dataclass(frozen=True)
class _Sequence:
    item: Any


_UNKNOWN = object()
_C_SCHEMA: dict[str, Any] = {
    name: (_Sequence(dict.fromkeys(LIST_FIELDS[name])) if name in LIST_FIELDS else None) for name in LAYOUT_FIELDS
}
_TOP_SCOPE: dict[str, Any] = {
    **dict.fromkeys(LAYOUT_VARIABLES),
    "c": _C_SCHEMA,
    "True": None,
    "False": None,
    "None": None,
}
_FORLOOP_KEYS = ("counter", "counter0", "revcounter", "revcounter0", "first", "last")
_KEEPS_SHAPE = frozenset({"default", "default_if_none", "slice"})
_TAKES_ITEM = frozenset({"first", "last"})


Problem = tuple[str, str]  # ("variable", "a.b"), ("nesting", "for") or ("node", "SomeNode")


def _problems(nodelist: Iterable[Any], scope: dict[str, Any], *, depth: int) -> Iterator[Problem]:
    for node in nodelist:
        yield from _node_problems(node, scope, depth=depth)


def _node_problems(node: Node, scope: dict[str, Any], *, depth: int) -> Iterator[Problem]:
    if isinstance(node, TextNode | CommentNode | TemplateTagNode | VerbatimNode):
        return
    if isinstance(node, VariableNode):
        yield from _expression_unknowns(node.filter_expression, scope)
    elif isinstance(node, ForNode):
        if depth >= MAX_LOOP_DEPTH:
            yield ("nesting", "for")
        yield from _expression_unknowns(node.sequence, scope)
        shape = _expression_shape(node.sequence, scope)
        item = shape.item if isinstance(shape, _Sequence) and len(node.loopvars) == 1 else None
        forloop = dict.fromkeys(_FORLOOP_KEYS)
        if "forloop" in scope:
            forloop["parentloop"] = scope["forloop"]
        inner = {**scope, **dict.fromkeys(node.loopvars, item), "forloop": forloop}
        yield from _problems(node.nodelist_loop, inner, depth=depth + 1)
        yield from _problems(node.nodelist_empty, scope, depth=depth)
    elif isinstance(node, IfNode):
        for condition, nodelist in node.conditions_nodelists:
            if condition is not None:
                for expression in _condition_expressions(condition):
                    yield from _expression_unknowns(expression, scope)
            yield from _problems(nodelist, scope, depth=depth)
    elif isinstance(node, WithNode):
        for expression in node.extra_context.values():
            yield from _expression_unknowns(expression, scope)
        names = {name: _expression_shape(expression, scope) for name, expression in node.extra_context.items()}
        yield from _problems(node.nodelist, {**scope, **names}, depth=depth)
    elif isinstance(node, FirstOfNode):
        for expression in node.vars:
            yield from _expression_unknowns(expression, scope)
        if node.asvar:
            scope[node.asvar] = None  # set for the rest of the enclosing block
    elif isinstance(node, SpacelessNode):
        yield from _problems(node.nodelist, scope, depth=depth)
    else:  # the sandbox compiles no other node; refuse rather than guess if one appears
        yield ("node", type(node).__name__)


def _condition_expressions(condition) -> Iterator[FilterExpression]:
    if isinstance(condition, TemplateLiteral):
        if isinstance(condition.value, FilterExpression):
            yield condition.value
        return
    for operand in (getattr(condition, "first", None), getattr(condition, "second", None)):
        if operand is not None:
            yield from _condition_expressions(operand)


def _expression_unknowns(expression: FilterExpression | str, scope: dict[str, Any]) -> Iterator[Problem]:
    if not isinstance(expression, FilterExpression):
        return
    variables = [expression.var] + [arg for _func, args in expression.filters for _lookup, arg in args]
    for variable in variables:
        if (
            isinstance(variable, Variable)
            and variable.lookups is not None
            and _lookup_shape(variable.lookups, scope) is _UNKNOWN
        ):
            yield ("variable", ".".join(variable.lookups))


def _expression_shape(expression: FilterExpression | str, scope: dict[str, Any]) -> Any:
    if not isinstance(expression, FilterExpression):
        return None
    variable = expression.var
    if not isinstance(variable, Variable) or variable.lookups is None:
        return None
    shape = _lookup_shape(variable.lookups, scope)
    for func, _args in expression.filters:
        name = getattr(func, "_filter_name", "")
        if name in _TAKES_ITEM and isinstance(shape, _Sequence):
            shape = shape.item
        elif name not in _KEEPS_SHAPE:
            shape = None
    return shape


def _lookup_shape(lookups: tuple[str, ...], scope: dict[str, Any]) -> Any:
    shape = scope.get(lookups[0], _UNKNOWN)
    for bit in lookups[1:]:
        if isinstance(shape, dict) and bit in shape:
            shape = shape[bit]
        elif isinstance(shape, _Sequence) and bit.isdigit():
            shape = shape.item
        else:
            return _UNKNOWN
    return shape
