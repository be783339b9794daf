"""Question banks, quizzes, attempts and practical assessments (a package: each part is one module)."""

from assessments.models.attempts import Attempt, AttemptQuestion, AttemptStatus
from assessments.models.banks import Question, QuestionBank, QuestionOption, QuestionTag, QuestionType
from assessments.models.practical import PassRule, PracticalAssessment, PracticalItemResult, Rubric, RubricItem
from assessments.models.quizzes import Quiz, ReviewPolicy

__all__ = [
    "Attempt",
    "AttemptQuestion",
    "AttemptStatus",
    "PassRule",
    "PracticalAssessment",
    "PracticalItemResult",
    "Question",
    "QuestionBank",
    "QuestionOption",
    "QuestionTag",
    "QuestionType",
    "Quiz",
    "ReviewPolicy",
    "Rubric",
    "RubricItem",
]
