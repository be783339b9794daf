"""Text messages to mobile phones through the backend named by settings.SMS_BACKEND (like Django's EMAIL_BACKEND).

A backend is a class with `send(*, phone: str, message: str) -> None`. The console backend logs the message (the
embedded default and development); the locmem backend keeps it in `outbox` (tests). A deployment adds a backend
for its SMS gateway and names it in SMS_BACKEND.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TextMessage:
    phone: str
    message: str


outbox: list[TextMessage] = []


class ConsoleSmsBackend:
    def send(self, *, phone: str, message: str) -> None:
        logger.info("SMS to %s: %s", phone, message)


class LocmemSmsBackend:
    def send(self, *, phone: str, message: str) -> None:
        outbox.append(TextMessage(phone=phone, message=message))


def send_sms(*, phone: str, message: str) -> None:
    import_string(settings.SMS_BACKEND)().send(phone=phone, message=message)
