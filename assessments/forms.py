"""Turning the quiz form (the same POST for autosave and submit) into answers in display positions."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from assessments.exceptions import InvalidAnswer

MAX_QUESTIONS = 500


def _integer(value: str, position: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidAnswer(_("Question %(position)d: that option does not exist.") % {"position": position})


def answers_from_post(data: QueryDict) -> dict[int, Any]:
    """Fields: `positions` (every question on the page), `choice-N` (radio/checkbox values), `fill-N` (text),
    `order-N-I` (the place 1..n the learner gives displayed step I)."""
    answers: dict[int, Any] = {}
    positions = data.getlist("positions")[:MAX_QUESTIONS]
    for raw_position in positions:
        position = _integer(raw_position, 0)
        if f"fill-{position}" in data:
            answers[position] = data.get(f"fill-{position}", "")
            continue
        prefix = f"order-{position}-"
        ranks = {key[len(prefix) :]: value for key, value in data.items() if key.startswith(prefix)}
        if ranks:
            slots: list[int | None] = [None] * len(ranks)
            for index, rank in ranks.items():
                if not rank:
                    continue
                place = _integer(rank, position)
                if not 1 <= place <= len(slots):
                    raise InvalidAnswer(_("Question %(position)d: that place does not exist.") % {"position": position})
                if slots[place - 1] is not None:
                    raise InvalidAnswer(
                        _("Question %(position)d: two steps are in place %(place)d.")
                        % {"position": position, "place": place}
                    )
                slots[place - 1] = _integer(index, position)
            answers[position] = slots
            continue
        answers[position] = [_integer(value, position) for value in data.getlist(f"choice-{position}")]
    return answers
