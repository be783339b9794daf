"""Question banks, quizzes, attempts and practical assessments (a package: each part is one module)."""

from .attempts import Attempt, AttemptQuestion, AttemptStatus
from .banks import Question, QuestionBank, QuestionOption, QuestionTag, QuestionType
from .practical import PassRule, PracticalAssessment, PracticalItemResult, Rubric, RubricItem
from .quizzes import Quiz, ReviewPolicy

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
