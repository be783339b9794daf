"""Authoring in the Wagtail admin is limited to the editor's organisations."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from accounts.constants import Role
from accounts.services import membership_add
from assessments.models import Question, QuestionType
from tests.assessments.factories import QuestionBankFactory, QuestionFactory, quiz_with_questions
from tests.factories import UserFactory


def admin_user(user):
    user.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    return user


@pytest.fixture
def editor_y(cast):
    user = UserFactory(username="editor_y")
    membership_add(user=user, organization=cast.base_y, role=Role.EDITOR)
    return admin_user(user)


def test_editor_lists_only_own_banks(cast, client_for, editor_y):
    admin_user(cast.editor_x)
    QuestionBankFactory(organization=cast.base_x, title="X 的题库")
    QuestionBankFactory(organization=cast.base_y, title="Y 的题库")
    page = client_for(cast.editor_x).get(reverse("wagtailsnippets_assessments_questionbank:list")).content.decode()
    assert "X 的题库" in page and "Y 的题库" not in page


def test_editor_cannot_edit_another_organisations_question(cast, client_for, editor_y):
    question = QuestionFactory(bank__organization=cast.base_x)
    url = reverse("wagtailsnippets_assessments_question:edit", args=[question.pk])
    assert client_for(editor_y).get(url).status_code in (403, 404)
    admin_user(cast.editor_x)
    assert client_for(cast.editor_x).get(url).status_code == 200


def _question_form(bank, question_type, options):
    data = {
        "bank": bank.pk,
        "type": question_type,
        "difficulty": 1,
        "text": "成人胸外按压深度？",
        "explanation": "5-6 厘米",
        "name": "",
        "key": "admin-q",
        "category": "",
        "tags": "",
        "options-TOTAL_FORMS": len(options),
        "options-INITIAL_FORMS": 0,
        "options-MIN_NUM_FORMS": 0,
        "options-MAX_NUM_FORMS": 1000,
    }
    for index, (text, correct) in enumerate(options):
        data[f"options-{index}-text"] = text
        data[f"options-{index}-feedback"] = ""
        data[f"options-{index}-ORDER"] = index + 1
        if correct:
            data[f"options-{index}-is_correct"] = "on"
    return data


def test_admin_question_form_validates_like_imports(cast, client_for):
    admin_user(cast.editor_x)
    bank = QuestionBankFactory(organization=cast.base_x)
    client = client_for(cast.editor_x)
    url = reverse("wagtailsnippets_assessments_question:add")
    response = client.post(url, _question_form(bank, QuestionType.SINGLE, [("3-4 厘米", False), ("5-6 厘米", False)]))
    assert response.status_code == 200 and not Question.objects.exists()
    assert "exactly one correct" in response.content.decode() or "恰好" in response.content.decode()
    response = client.post(url, _question_form(bank, QuestionType.SINGLE, [("3-4 厘米", False), ("5-6 厘米", True)]))
    assert response.status_code == 302
    question = Question.objects.get()
    assert [(o.text, o.is_correct) for o in question.options.all()] == [("3-4 厘米", False), ("5-6 厘米", True)]


def test_admin_cannot_put_a_question_in_another_organisations_bank(cast, client_for):
    admin_user(cast.editor_x)
    foreign = QuestionBankFactory(organization=cast.base_y)
    response = client_for(cast.editor_x).post(
        reverse("wagtailsnippets_assessments_question:add"),
        _question_form(foreign, QuestionType.SINGLE, [("甲", True), ("乙", False)]),
    )
    assert response.status_code == 200 and not Question.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "learner", "coordinator_a"])
def test_quiz_preview_is_404_for_non_editors(cast, client_for, who):
    quiz = quiz_with_questions(organization=cast.base_x, count=2)
    user = admin_user(getattr(cast, who))
    assert client_for(user).get(reverse("assessments_admin:quiz_preview", args=[quiz.pk])).status_code == 404


def test_quiz_preview_shows_questions_without_answer_data(cast, client_for):
    admin_user(cast.editor_x)
    quiz = quiz_with_questions(organization=cast.base_x, count=3, types=[QuestionType.FILL])
    page = client_for(cast.editor_x).get(reverse("assessments_admin:quiz_preview", args=[quiz.pk])).content.decode()
    for question in quiz.bank.questions.all():
        assert question.text in page
    assert "因为 A 是正确的" not in page and 'value="119"' not in page


def test_xlsx_template_download(cast, client_for):
    admin_user(cast.editor_x)
    response = client_for(cast.editor_x).get(reverse("assessments_admin:xlsx_template"))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:2] == ["questions", "examples"]
    assert client_for(admin_user(cast.outsider)).get(reverse("assessments_admin:xlsx_template")).status_code == 404
