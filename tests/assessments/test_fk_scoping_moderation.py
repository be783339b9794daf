"""A change to what decides a live course's completion (its quizzes and rubrics, a quiz's pass mark, a rubric's required
items) goes through the course's moderation: the editor's change waits as a draft revision in the workflow that
moderates the course's pages, and learners' progress follows it only once a moderator approves."""

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState

from assessments.models import Quiz, RubricItem
from assessments.services import attempt_start, attempt_submit
from courses.selectors.progress import course_progress
from tests.courses.factories import enrol, learning_course, read_all_lessons, wrong_answers
from tests.fk_scoping_helpers import admin_form_data, admin_user, moderator

QUIZ_EDIT = "wagtailsnippets_assessments_quiz:edit"
DRAW = {"question_count": 1}


@pytest.fixture
def live_course(cast):
    """A live course of base X: one lesson (read by the learner) and a quiz (pass mark 60) not yet passed."""
    course = learning_course(cast.base_x, lessons=1, rubric=True)
    read_all_lessons(enrol(cast.learner, course.course), course.lessons)
    admin_user(cast.editor_x)
    return course


def _quiz_ids(cast, course):
    return [quiz.quiz_id for quiz in course_progress(user=cast.learner, course=course.course).quizzes]


def _submit(client, url, **changes):
    return client.post(url, admin_form_data(client.get(url), **DRAW, **changes, **{"action-submit": "submit"}))


def _approve(client, obj, view="quiz"):
    state = WorkflowState.objects.for_instance(obj).get(status=WorkflowState.STATUS_IN_PROGRESS)
    url = reverse(
        f"wagtailsnippets_assessments_{view}:workflow_action", args=[obj.pk, "approve", state.current_task_state_id]
    )
    return client.post(url, {"comment": ""})


def test_detaching_a_live_courses_quiz_waits_for_the_moderator(cast, client_for, live_course):
    quiz = live_course.quiz
    url = reverse(QUIZ_EDIT, args=[quiz.pk])
    editor = client_for(cast.editor_x)
    # The editor may not publish: "publish" is not an action for them, so the post is saved as a draft.
    editor.post(url, admin_form_data(editor.get(url), course="", **DRAW, **{"action-publish": "publish"}))
    assert Quiz.objects.get(pk=quiz.pk).course_id == live_course.course.pk
    assert _submit(editor, url, course="").status_code == 302
    stored = Quiz.objects.get(pk=quiz.pk)
    assert stored.course_id == live_course.course.pk and stored.has_unpublished_changes
    assert stored.workflow_in_progress and stored.get_workflow().name == "Moderators approval"
    progress = course_progress(user=cast.learner, course=live_course.course)
    assert _quiz_ids(cast, live_course) == [quiz.pk] and not progress.rules_met

    assert _approve(client_for(moderator(cast)), stored).status_code in (200, 302)
    assert Quiz.objects.get(pk=quiz.pk).course_id is None
    assert _quiz_ids(cast, live_course) == []


def test_lowering_the_pass_mark_takes_effect_only_when_approved(cast, client_for, live_course):
    quiz = live_course.quiz
    url = reverse(QUIZ_EDIT, args=[quiz.pk])
    assert _submit(client_for(cast.editor_x), url, pass_mark=0).status_code == 302

    attempt = attempt_start(quiz=Quiz.objects.get(pk=quiz.pk), user=cast.learner)
    assert attempt_submit(attempt=attempt, user=cast.learner, answers=wrong_answers(attempt)).passed is False
    assert not course_progress(user=cast.learner, course=live_course.course).rules_met

    _approve(client_for(moderator(cast)), Quiz.objects.get(pk=quiz.pk))
    quiz = Quiz.objects.get(pk=quiz.pk)
    assert quiz.pass_mark == 0
    attempt = attempt_start(quiz=quiz, user=cast.learner)
    assert attempt_submit(attempt=attempt, user=cast.learner, answers=wrong_answers(attempt)).passed is True


def test_a_new_quiz_for_a_live_course_counts_once_approved(cast, client_for, live_course):
    editor = client_for(cast.editor_x)
    add = reverse("wagtailsnippets_assessments_quiz:add")
    data = admin_form_data(
        editor.get(add), title="追加测验", key="extra", bank=live_course.quiz.bank.pk, course=live_course.course.pk
    )
    assert editor.post(add, {**data, **DRAW, "action-submit": "submit"}).status_code == 302
    extra = Quiz.objects.get(key="extra")
    assert not extra.live and _quiz_ids(cast, live_course) == [live_course.quiz.pk]

    _approve(client_for(moderator(cast)), extra)
    assert Quiz.objects.get(key="extra").live
    assert _quiz_ids(cast, live_course) == [live_course.quiz.pk, extra.pk]


def test_making_a_checklist_item_required_waits_for_the_moderator(cast, client_for, live_course):
    rubric = live_course.rubric
    optional = RubricItem.objects.get(rubric=rubric, key="aed")
    assert not optional.required
    url = reverse("wagtailsnippets_assessments_rubric:edit", args=[rubric.pk])
    editor = client_for(cast.editor_x)
    data = admin_form_data(editor.get(url), **{"action-submit": "submit"})
    index = next(i for i in range(4) if data[f"items-{i}-key"] == "aed")
    data[f"items-{index}-required"] = "on"
    assert editor.post(url, data).status_code == 302
    assert not RubricItem.objects.get(pk=optional.pk).required

    _approve(client_for(moderator(cast)), rubric, view="rubric")
    assert RubricItem.objects.get(pk=optional.pk).required


def test_the_editor_and_the_neighbour_cannot_approve(cast, client_for, live_course):
    quiz = live_course.quiz
    _submit(client_for(cast.editor_x), reverse(QUIZ_EDIT, args=[quiz.pk]), course="")
    stored = Quiz.objects.get(pk=quiz.pk)
    for user in (cast.editor_x, admin_user(cast.outsider)):
        _approve(client_for(user), stored)
        assert Quiz.objects.get(pk=quiz.pk).course_id == live_course.course.pk


def test_the_editor_cannot_delete_or_unpublish_what_a_live_course_counts(cast, client_for, live_course):
    quiz, rubric = live_course.quiz, live_course.rubric
    editor = client_for(cast.editor_x)
    for view, obj in (("quiz", quiz), ("rubric", rubric)):
        delete = reverse(f"wagtailsnippets_assessments_{view}:delete", args=[obj.pk])
        assert editor.post(delete).status_code in (302, 403)
        unpublish = reverse(f"wagtailsnippets_assessments_{view}:unpublish", args=[obj.pk])
        assert editor.post(unpublish).status_code in (302, 403)
    progress = course_progress(user=cast.learner, course=live_course.course)
    assert _quiz_ids(cast, live_course) == [quiz.pk] and [p.rubric_id for p in progress.practicals] == [rubric.pk]
    bulk = reverse("wagtail_bulk_action", args=["assessments", "quiz", "delete"]) + f"?id={quiz.pk}"
    editor.post(bulk)
    assert Quiz.objects.filter(pk=quiz.pk, live=True).exists()

    moderating = client_for(moderator(cast))
    assert moderating.post(reverse("wagtailsnippets_assessments_quiz:delete", args=[quiz.pk])).status_code == 302
    assert _quiz_ids(cast, live_course) == []
