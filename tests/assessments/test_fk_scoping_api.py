"""Quiz ids a client sends are resolved within what the caller may take: a quiz whose first version waits for a
moderator (not live) cannot be started or seen by anyone through the API or its page, and the editor of the
neighbouring base cannot start base X's private quiz."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.constants import Role
from accounts.services import membership_add
from assessments.models import Attempt, Quiz
from tests.assessments.factories import quiz_with_questions
from tests.courses.factories import enrol, learning_course
from tests.factories import UserFactory
from tests.lms.api_helpers import fresh_throttles, token_client  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]


@pytest.fixture
def editor_y(cast):
    user = UserFactory(username="editor_y")
    membership_add(user=user, organization=cast.base_y, role=Role.EDITOR)
    return user


def test_a_quiz_awaiting_its_first_approval_cannot_be_started_or_listed(cast, client_for, editor_y):
    course = learning_course(cast.base_x, lessons=1)
    enrol(cast.learner, course.course)
    draft = quiz_with_questions(organization=cast.base_x, count=2, course=course.course, standalone_open=True)
    Quiz.objects.filter(pk=draft.pk).update(live=False)  # what an editor's new quiz is until a moderator approves
    for user in (cast.learner, cast.outsider, editor_y, cast.editor_x):
        response = token_client(user).post(f"/api/v1/quizzes/{draft.pk}/attempts/")
        assert response.status_code == 404, user.username
        assert client_for(user).get(reverse("assessments:quiz_detail", args=[draft.pk])).status_code == 404, (
            user.username
        )
    listed = token_client(cast.learner).get(f"/api/v1/courses/{course.course.pk}/").json()["quizzes"]
    assert [quiz["id"] for quiz in listed] == [course.quiz.pk]
    assert not Attempt.objects.filter(quiz=draft).exists()


def test_the_neighbouring_editor_cannot_start_base_xs_private_quiz(cast, editor_y):
    private = quiz_with_questions(organization=cast.base_x, count=2, standalone_open=False)
    for user in (editor_y, cast.outsider):
        assert token_client(user).post(f"/api/v1/quizzes/{private.pk}/attempts/").status_code == 404
    assert token_client(cast.editor_x).post(f"/api/v1/quizzes/{private.pk}/attempts/").status_code == 201
