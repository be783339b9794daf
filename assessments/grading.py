"""Pure grading rules: no database. Every question is worth one point; a response earns 0..1 of it.

Responses are expressed in option ids (never in the positions a learner saw), so the shuffled display order cannot
change a grade:

- single choice, true/false: a list with one option id; 1 when it is the correct option, else 0.
- multiple choice (partial credit): with k correct options, each correct option chosen earns 1/k and each wrong
  option chosen takes 1/k away; the result is never below 0. Only the exact set of correct options earns 1.
- fill in the blank: a string; 1 when its normalised form equals the normalised form of any accepted answer.
  Normalisation: Unicode NFKC (full-width letters, digits and punctuation become half-width), all whitespace removed,
  casefolded.
- ordering: a list of every step's option id; 1 only for the exact correct order (a procedure done in the wrong order
  is not partly right), else 0.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

ZERO = Decimal("0")
ONE = Decimal("1")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class OptionKey:
    id: int
    text: str
    is_correct: bool
    sort_order: int


def normalise_fill(value: str) -> str:
    """NFKC (full-width to half-width), no whitespace at all, casefolded."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", value or "")).casefold()


def _quantise(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def grade_response(question_type: str, options: Sequence[OptionKey], response: Any) -> Decimal:
    """The fraction (0..1) of the question's point that `response` earns."""
    if response is None:
        return ZERO
    if question_type in ("single", "truefalse"):
        if not isinstance(response, list) or len(response) != 1:
            return ZERO
        correct = {option.id for option in options if option.is_correct}
        return ONE if response[0] in correct else ZERO
    if question_type == "multiple":
        if not isinstance(response, list):
            return ZERO
        correct = {option.id for option in options if option.is_correct}
        known = {option.id for option in options}
        if not correct:
            return ZERO
        chosen = {option_id for option_id in response if option_id in known}
        right = len(chosen & correct)
        wrong = len(chosen - correct)
        if right == len(correct) and wrong == 0:
            return ONE
        return _quantise(max(ZERO, Decimal(right - wrong) / Decimal(len(correct))))
    if question_type == "fill":
        if not isinstance(response, str):
            return ZERO
        given = normalise_fill(response)
        if not given:
            return ZERO
        accepted = {normalise_fill(option.text) for option in options}
        return ONE if given in accepted else ZERO
    if question_type == "ordering":
        if not isinstance(response, list):
            return ZERO
        correct_order = [option.id for option in sorted(options, key=lambda option: (option.sort_order, option.id))]
        return ONE if list(response) == correct_order else ZERO
    return ZERO


def percent_of(score: Decimal, max_score: Decimal) -> Decimal:
    if max_score <= 0:
        return ZERO
    return (score * 100 / max_score).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
