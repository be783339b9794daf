"""Project-level tasks. `ping` proves a worker is alive and reaches the same database."""

from celery import shared_task
from django.contrib.auth import get_user_model


@shared_task(acks_late=True, ignore_result=False)  # its caller reads the answer
def ping(value: str) -> dict:
    return {"pong": value, "users": get_user_model().objects.count()}


# Tasks that moved app keep their old names for one release, so that messages queued by the previous version (a
# retry, a countdown, a message waiting in Redis during the deploy) still find a worker. Each forwards to the task
# under its new name. Remove them in the release after (docs/decisions/0012-layout-and-moved-tables.md).
MOVED_TASKS = {
    "certificates.tasks.evaluate_badges": "badges.tasks.evaluate_badges",
    "certificates.tasks.send_badge_expiry_reminders": "badges.tasks.send_badge_expiry_reminders",
    "courses.tasks.send_compliance_reminders": "schools.tasks.send_compliance_reminders",
    "courses.tasks.send_compliance_reminder": "schools.tasks.send_compliance_reminder",
    "lms.tasks.xapi_forward": "xapi.tasks.xapi_forward",
    "lms.tasks.xapi_record": "xapi.tasks.xapi_record",
}


def _forwarder(old_name: str, new_name: str):
    @shared_task(name=old_name, acks_late=True)
    def forward(*args, **kwargs):
        from celery import current_app

        return current_app.tasks[new_name].run(*args, **kwargs)

    return forward


for _old, _new in MOVED_TASKS.items():
    _forwarder(_old, _new)
