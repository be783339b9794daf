"""Factories for question banks, questions and quizzes."""

import factory
from factory.django import DjangoModelFactory

from assessments.models import Question, QuestionBank, QuestionOption, QuestionType, Quiz, Rubric, RubricItem
from tests.factories import OrganizationFactory


class QuestionBankFactory(DjangoModelFactory):
    class Meta:
        model = QuestionBank

    organization = factory.SubFactory(OrganizationFactory)
    key = factory.Sequence(lambda n: f"bank-{n}")
    title = factory.Sequence(lambda n: f"题库{n}")


class QuestionFactory(DjangoModelFactory):
    """A single-choice question with options A (correct), B, C unless `options` is given as [(text, correct), ...]."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    bank = factory.SubFactory(QuestionBankFactory)
    key = factory.Sequence(lambda n: f"q{n}")
    type = QuestionType.SINGLE
    text = factory.Sequence(lambda n: f"第{n}题：哪一项正确？")
    explanation = "因为 A 是正确的。"

    @factory.post_generation
    def options(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            defaults = {
                QuestionType.SINGLE: [("A", True), ("B", False), ("C", False)],
                QuestionType.MULTIPLE: [("A", True), ("B", True), ("C", False), ("D", False)],
                QuestionType.TRUEFALSE: [("正确", True), ("错误", False)],
                QuestionType.FILL: [("119", True)],
                QuestionType.ORDERING: [("第一步", True), ("第二步", True), ("第三步", True), ("第四步", True)],
            }
            extracted = defaults[self.type]
        QuestionOption.objects.bulk_create(
            [
                QuestionOption(question=self, text=text, is_correct=correct, sort_order=order)
                for order, (text, correct) in enumerate(extracted)
            ]
        )


class QuizFactory(DjangoModelFactory):
    class Meta:
        model = Quiz

    bank = factory.SubFactory(QuestionBankFactory)
    key = factory.Sequence(lambda n: f"quiz-{n}")
    title = factory.Sequence(lambda n: f"测验{n}")
    pass_mark = 60
    question_count = 5
    time_limit_minutes = 0
    standalone_open = True


class RubricFactory(DjangoModelFactory):
    class Meta:
        model = Rubric
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    key = factory.Sequence(lambda n: f"rubric-{n}")
    title = "心肺复苏实操考核"

    @factory.post_generation
    def items(self, create, extracted, **kwargs):
        if not create:
            return
        extracted = extracted or [
            ("scene", "确认现场环境安全", True),
            ("call", "呼救并拨打 120", True),
            ("compressions", "胸外按压 30 次", True),
            ("aed", "使用 AED", False),
        ]
        for order, (key, text, required) in enumerate(extracted):
            RubricItem.objects.create(rubric=self, key=key, text=text, required=required, sort_order=order)


def quiz_with_questions(*, organization, count: int = 5, types=None, **quiz_fields) -> Quiz:
    """A quiz over a bank of `count` questions (cycling through `types`, single choice by default)."""
    bank = QuestionBankFactory(organization=organization)
    types = types or [QuestionType.SINGLE]
    for index in range(count):
        QuestionFactory(bank=bank, type=types[index % len(types)])
    quiz_fields.setdefault("question_count", count)
    return QuizFactory(bank=bank, **quiz_fields)
