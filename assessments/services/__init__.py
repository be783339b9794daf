"""Every write of the assessments app. Import services from here: `from assessments.services import attempt_submit`.

Attempts (called by the `courses` app's course player, and by this app's standalone attempt views):

- attempt_start(*, quiz, user, now=None) -> Attempt
    Start a new attempt, or return the learner's open one (idempotent while it is open). Freezes the drawn questions,
    their order and each question's option order: `question_count` questions drawn at random from the bank (or its
    `draw_tags`), options shuffled. Raises AttemptNotAllowed (no attempts left, cooldown, quiz closed, no questions).
- attempt_save_answers(*, attempt, user, answers, now=None) -> int
    Autosave. `answers` maps a question position to the answer as the learner sees the question (display positions of
    options; see assessments.services.attempts). Raises AttemptClosed after submission or past deadline + grace,
    InvalidAnswer for an answer that does not fit. Idempotent.
- attempt_submit(*, attempt, user, answers=None, now=None) -> Attempt
    Save the last answers (unless the time is up) and grade once, in a constant number of queries. A second or replayed
    submit raises AttemptClosed and changes nothing (a conditional UPDATE claims the attempt).
- attempt_close_expired(*, now=None) -> int
    Close and grade every open attempt past its deadline + grace with what was saved; returns how many. Idempotent.

Each graded attempt sends `assessments.signals.attempt_graded(attempt=...)` once, after commit.

Banks and imports: question_bank_ensure, question_upsert, questions_import (assessments.services.banks).
Practical assessments: practical_assessment_record (assessments.services.practical).
"""

from assessments.services.attempts import (
    GRACE_PERIOD,
    attempt_close,
    attempt_close_expired,
    attempt_save_answers,
    attempt_start,
    attempt_submit,
)
from assessments.services.banks import (
    ImportReport,
    question_bank_ensure,
    question_upsert,
    questions_import,
    quiz_ensure,
    rubric_ensure,
)
from assessments.services.practical import practical_assessment_record

__all__ = [
    "GRACE_PERIOD",
    "ImportReport",
    "attempt_close",
    "attempt_close_expired",
    "attempt_save_answers",
    "attempt_start",
    "attempt_submit",
    "practical_assessment_record",
    "question_bank_ensure",
    "question_upsert",
    "questions_import",
    "quiz_ensure",
    "rubric_ensure",
]
