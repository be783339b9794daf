"""Every foreign key of the assessments admin forms is limited to what the editor may touch, and checked on save: a
crafted POST naming another organisation's course, bank or organisation is a form error and changes nothing."""

import pytest
from django.urls import reverse

from accounts.constants import Role
from accounts.services import membership_add
from assessments.models import Question, QuestionBank, Quiz, Rubric
from assessments.wagtail_hooks import QuizViewSet
from tests.assessments.factories import QuestionBankFactory, RubricFactory, quiz_with_questions
from tests.courses.factories import learning_course
from tests.factories import UserFactory
from tests.fk_scoping_helpers import admin_form_data, admin_user

# Few questions per attempt, so that the bank-size rule of graded quizzes never decides these tests.
DRAW = {"question_count": 1}

QUIZ_ADD = "wagtailsnippets_assessments_quiz:add"
QUIZ_EDIT = "wagtailsnippets_assessments_quiz:edit"
RUBRIC_ADD = "wagtailsnippets_assessments_rubric:add"
RUBRIC_EDIT = "wagtailsnippets_assessments_rubric:edit"


@pytest.fixture
def bases(cast):
    """A live course of base X (with its quiz and rubric) and one of base Y; editor_x may use the admin."""
    own = learning_course(cast.base_x, lessons=1, rubric=True)
    foreign = learning_course(cast.base_y, lessons=1, rubric=True)
    admin_user(cast.editor_x)
    return own, foreign


@pytest.fixture
def editor_y(cast):
    user = UserFactory(username="editor_y")
    membership_add(user=user, organization=cast.base_y, role=Role.EDITOR)
    return admin_user(user)


def test_the_quiz_form_offers_only_the_editors_courses_and_banks(cast, client_for, bases):
    own, _foreign = bases
    form = client_for(cast.editor_x).get(reverse(QUIZ_ADD)).context["form"]
    assert list(form.fields["course"].queryset) == [own.course]
    assert set(form.fields["bank"].queryset) == {own.quiz.bank}


def test_a_new_quiz_for_another_bases_course_is_a_form_error_and_creates_nothing(cast, client_for, bases):
    own, foreign = bases
    client = client_for(cast.editor_x)
    data = admin_form_data(
        client.get(reverse(QUIZ_ADD)),
        title="偷挂测验",
        key="stolen",
        bank=own.quiz.bank.pk,
        course=foreign.course.pk,
        **DRAW,
    )
    response = client.post(reverse(QUIZ_ADD), data)
    assert response.status_code == 200 and "course" in response.context["form"].errors
    assert not Quiz.objects.filter(key="stolen").exists()
    # The same form with the editor's own course saves: the error was the course, nothing else.
    response = client.post(reverse(QUIZ_ADD), {**data, "course": own.course.pk})
    assert response.status_code == 302 and Quiz.objects.get(key="stolen").course_id == own.course.pk


def test_moving_a_quiz_to_another_bases_course_changes_nothing(cast, client_for, bases):
    own, foreign = bases
    client = client_for(cast.editor_x)
    url = reverse(QUIZ_EDIT, args=[own.quiz.pk])
    for action in ({}, {"action-submit": "submit"}, {"action-publish": "publish"}):
        response = client.post(url, admin_form_data(client.get(url), course=foreign.course.pk, **DRAW, **action))
        assert response.status_code == 200 and "course" in response.context["form"].errors
    quiz = Quiz.objects.get(pk=own.quiz.pk)
    assert quiz.course_id == own.course.pk and quiz.latest_revision is None
    assert list(foreign.course.quizzes.all()) == [foreign.quiz]


def test_a_quiz_cannot_draw_on_another_organisations_bank(cast, client_for, bases):
    own, foreign = bases
    client = client_for(cast.editor_x)
    url = reverse(QUIZ_EDIT, args=[own.quiz.pk])
    response = client.post(url, admin_form_data(client.get(url), bank=foreign.quiz.bank.pk, **DRAW))
    assert response.status_code == 200 and "bank" in response.context["form"].errors
    assert Quiz.objects.get(pk=own.quiz.pk).bank_id == own.quiz.bank_id


@pytest.mark.parametrize("field", ["course", "organization"])
def test_a_rubric_cannot_name_another_bases_course_or_organisation(cast, client_for, bases, field):
    own, foreign = bases
    client = client_for(cast.editor_x)
    foreign_value = {"course": foreign.course.pk, "organization": cast.base_y.pk}[field]
    data = admin_form_data(
        client.get(reverse(RUBRIC_ADD)), title="偷挂考核", key="stolen-rubric", **{field: foreign_value}
    )
    data.setdefault("organization", cast.base_x.pk)
    if data["organization"] == "":
        data["organization"] = cast.base_x.pk
    response = client.post(reverse(RUBRIC_ADD), data)
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not Rubric.objects.filter(key="stolen-rubric").exists()
    url = reverse(RUBRIC_EDIT, args=[own.rubric.pk])
    response = client.post(url, admin_form_data(client.get(url), **{field: foreign_value}))
    assert response.status_code == 200 and field in response.context["form"].errors
    rubric = Rubric.objects.get(pk=own.rubric.pk)
    assert (rubric.course_id, rubric.organization_id, rubric.latest_revision) == (own.course.pk, cast.base_x.pk, None)


def test_a_bank_cannot_be_given_to_another_organisation(cast, client_for, bases):
    bank = QuestionBankFactory(organization=cast.base_x)
    client = client_for(cast.editor_x)
    url = reverse("wagtailsnippets_assessments_questionbank:edit", args=[bank.pk])
    response = client.post(url, admin_form_data(client.get(url), organization=cast.base_y.pk))
    assert response.status_code == 200 and "organization" in response.context["form"].errors
    assert QuestionBank.objects.get(pk=bank.pk).organization_id == cast.base_x.pk


def test_a_link_set_by_someone_allowed_to_set_it_survives_an_edit_of_other_fields(cast, client_for, bases):
    _own, foreign = bases
    quiz = quiz_with_questions(organization=cast.base_x, count=2, course=foreign.course)  # a superuser linked it
    client = client_for(cast.editor_x)
    url = reverse(QUIZ_EDIT, args=[quiz.pk])
    response = client.post(url, admin_form_data(client.get(url), title="改个标题", **DRAW))
    assert response.status_code == 302
    assert Quiz.objects.get(pk=quiz.pk).latest_revision.as_object().course_id == foreign.course.pk


def test_the_neighbour_and_the_outsider_reach_nothing_of_base_x(cast, client_for, bases, editor_y):
    own, _foreign = bases
    for url in (reverse(QUIZ_EDIT, args=[own.quiz.pk]), reverse(RUBRIC_EDIT, args=[own.rubric.pk])):
        assert client_for(editor_y).get(url).status_code == 404
        assert client_for(editor_y).post(url, {"title": "x"}).status_code == 404
    outsider = client_for(admin_user(cast.outsider))
    assert outsider.get(reverse(QUIZ_ADD)).status_code in (302, 403)
    assert outsider.post(reverse(QUIZ_ADD), {"title": "x", "course": own.course.pk}).status_code in (302, 403)
    assert Quiz.objects.count() == 2 and Rubric.objects.count() == 2


def test_a_question_cannot_go_into_another_organisations_bank_of_the_neighbour(cast, client_for, editor_y):
    own_bank = QuestionBankFactory(organization=cast.base_y)
    foreign_bank = QuestionBankFactory(organization=cast.base_x)
    RubricFactory(organization=cast.base_x)
    client = client_for(editor_y)
    response = client.get(reverse("wagtailsnippets_assessments_question:add"))
    assert set(response.context["form"].fields["bank"].queryset) == {own_bank}
    data = admin_form_data(response, bank=foreign_bank.pk, type="truefalse", text="偷放的题")
    data.update(
        {
            "options-TOTAL_FORMS": 2,
            "options-0-text": "正确",
            "options-0-is_correct": "on",
            "options-0-ORDER": 1,
            "options-1-text": "错误",
            "options-1-ORDER": 2,
        }
    )
    response = client.post(reverse("wagtailsnippets_assessments_question:add"), data)
    assert response.status_code == 200 and "bank" in response.context["form"].errors
    assert not Question.objects.exists()


def test_the_save_check_does_not_trust_the_choices(cast, bases):
    """clean() asks the permission service again: a field whose choices were widened still refuses the course."""
    from content.models import CoursePage

    own, foreign = bases
    form_class = QuizViewSet.edit_handler.bind_to_model(Quiz).get_form_class()
    quiz = own.quiz
    data = {
        "title": "测验",
        "key": quiz.key,
        "bank": quiz.bank.pk,
        "course": foreign.course.pk,
        "pass_mark": 60,
        "question_count": 1,
        "time_limit_minutes": 0,
        "max_attempts": 0,
        "cooldown_minutes": 0,
        "review_policy": quiz.review_policy,
    }
    form = form_class(data, instance=quiz, for_user=cast.editor_x)
    form.fields["course"].queryset = CoursePage.objects.all()
    assert not form.is_valid() and form.errors["course"] == ["Choose only what your organisations may use."]
    assert form_class({**data, "course": own.course.pk}, instance=quiz, for_user=cast.editor_x).is_valid()
    form = form_class(data, instance=quiz, for_user=None)
    assert not form.is_valid() and "course" in form.errors  # no user: nothing but the stored value is allowed
