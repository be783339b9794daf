"""bulk_update_rows: one UPDATE that writes what save() would have written (run on SQLite and on PostgreSQL)."""

from decimal import Decimal

import pytest

from assessments.models import AttemptQuestion
from assessments.services import attempt_start
from core.bulk import bulk_update_rows
from tests.assessments.factories import quiz_with_questions

pytestmark = pytest.mark.django_db


def test_each_row_gets_its_own_values_and_none_is_sql_null(cast, django_assert_num_queries):
    quiz = quiz_with_questions(organization=cast.base_x, count=4)
    attempt = attempt_start(quiz=quiz, user=cast.learner)
    items = list(AttemptQuestion.objects.filter(attempt=attempt).order_by("position"))
    rows = [
        (items[0].pk, [items[0].option_order[0]], Decimal("1")),
        (items[1].pk, ["填空", "答案"], Decimal("0.50")),
        (items[2].pk, None, Decimal("0")),
    ]
    with django_assert_num_queries(1):
        assert bulk_update_rows(AttemptQuestion, ["response", "score"], rows) == 3
    stored = {item.pk: (item.response, item.score) for item in AttemptQuestion.objects.filter(attempt=attempt)}
    assert stored[items[0].pk] == ([items[0].option_order[0]], Decimal("1"))
    assert stored[items[1].pk] == (["填空", "答案"], Decimal("0.5"))
    assert stored[items[2].pk] == (None, Decimal("0"))
    assert stored[items[3].pk] == (None, None)  # not in the rows: untouched
    assert AttemptQuestion.objects.filter(attempt=attempt, response__isnull=True).count() == 2


def test_no_rows_is_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert bulk_update_rows(AttemptQuestion, ["response"], []) == 0
