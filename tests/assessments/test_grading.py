"""The pure grading rules, including the hypothesis properties of the issue."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from assessments.grading import OptionKey, grade_response, normalise_fill

TYPES = ["single", "truefalse", "multiple", "fill", "ordering"]


def _options(flags):
    return [
        OptionKey(id=index + 10, text=f"选项{index}", is_correct=flag, sort_order=index)
        for index, flag in enumerate(flags)
    ]


def test_fill_normalisation_ignores_width_spaces_and_case():
    assert normalise_fill("ＡＢＣ １２０") == normalise_fill("abc120")
    assert normalise_fill(" A e D ") == "aed"
    accepted = [OptionKey(1, "AED", True, 0)]
    assert grade_response("fill", accepted, "ａｅｄ") == 1
    assert grade_response("fill", accepted, "a e d") == 1
    assert grade_response("fill", accepted, "aid") == 0
    assert grade_response("fill", accepted, "   ") == 0


def test_multiple_choice_partial_credit_rule():
    options = _options([True, True, False, False])  # ids 10, 11 correct
    assert grade_response("multiple", options, [10, 11]) == 1
    assert grade_response("multiple", options, [10]) == Decimal("0.5")
    assert grade_response("multiple", options, [10, 12]) == 0  # one right, one wrong
    assert grade_response("multiple", options, [10, 11, 12]) == Decimal("0.5")
    assert grade_response("multiple", options, [12, 13]) == 0  # never negative
    assert grade_response("multiple", options, []) == 0


def test_ordering_needs_the_exact_order():
    options = _options([True, True, True])
    assert grade_response("ordering", options, [10, 11, 12]) == 1
    assert grade_response("ordering", options, [11, 10, 12]) == 0
    assert grade_response("ordering", options, [10, 11, None]) == 0


def test_single_choice_and_true_false():
    options = _options([False, True, False])
    assert grade_response("single", options, [11]) == 1
    assert grade_response("single", options, [10]) == 0
    assert grade_response("single", options, [10, 11]) == 0
    assert grade_response("truefalse", _options([True, False]), [10]) == 1
    assert grade_response("single", options, None) == 0


option_flags = st.lists(st.booleans(), min_size=2, max_size=8)
responses = st.one_of(
    st.none(),
    st.text(max_size=20),
    st.lists(st.one_of(st.none(), st.integers(min_value=-5, max_value=30)), max_size=10),
    st.integers(),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@given(question_type=st.sampled_from(TYPES), flags=option_flags, response=responses)
def test_score_is_never_negative_nor_above_the_maximum(question_type, flags, response):
    score = grade_response(question_type, _options(flags), response)
    assert Decimal("0") <= score <= Decimal("1")


@given(
    question_type=st.sampled_from(["single", "truefalse", "multiple", "ordering"]),
    flags=option_flags,
    data=st.data(),
)
def test_shuffling_the_options_never_changes_a_grade(question_type, flags, data):
    """The learner picks options by what they see; the grade depends on the options chosen, not where they stood."""
    options = _options(flags)
    ids = [option.id for option in options]
    if question_type == "ordering":
        chosen = data.draw(st.permutations(ids))
    else:
        chosen = data.draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids)))
    display_a = data.draw(st.permutations(ids))
    display_b = data.draw(st.permutations(ids))
    # The same choice expressed as display positions in two different shuffles maps back to the same option ids.
    positions_a = [display_a.index(option_id) for option_id in chosen]
    positions_b = [display_b.index(option_id) for option_id in chosen]
    from_a = [display_a[position] for position in positions_a]
    from_b = [display_b[position] for position in positions_b]
    shuffled_options = data.draw(st.permutations(options))
    assert grade_response(question_type, options, from_a) == grade_response(question_type, shuffled_options, from_b)
