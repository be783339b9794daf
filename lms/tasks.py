"""Project-level tasks. `ping` proves a worker is alive and reaches the same database."""

from celery import shared_task
from django.contrib.auth import get_user_model


@shared_task(acks_late=True, ignore_result=False)  # its caller reads the answer
def ping(value: str) -> dict:
    return {"pong": value, "users": get_user_model().objects.count()}
