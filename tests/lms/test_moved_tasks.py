"""Messages queued under a task's old name (before the layout change) still run the task under its new name."""

import pytest

from lms.celery import app
from lms.tasks import MOVED_TASKS

pytestmark = pytest.mark.django_db


def test_every_old_name_is_registered_and_points_at_a_registered_task():
    app.loader.import_default_modules()
    for old, new in MOVED_TASKS.items():
        assert old in app.tasks, old
        assert new in app.tasks, new


def test_a_message_under_the_old_name_runs_the_new_task(cast):
    app.loader.import_default_modules()
    result = app.tasks["certificates.tasks.evaluate_badges"].apply(args=[cast.learner.pk])
    assert result.successful() and result.result == []
