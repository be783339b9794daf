"""Helpers for API tests: token clients and a course that earns a certificate, with lessons and a quiz."""

from __future__ import annotations

import itertools

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.services import api_token_issue
from tests.assessments.factories import quiz_with_questions
from tests.certificates.factories import CertificateDefinitionFactory
from tests.content.factories import LessonPageFactory, course_tree

_devices = itertools.count(1)


def token_client(user) -> APIClient:
    client = APIClient()
    # A device of its own per client: a token issued again for one device replaces the old one.
    _token, key = api_token_issue(user=user, name=f"test client {next(_devices)}")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def certificate_course(organization, *, lessons: int = 2, questions: int = 3):
    """A published course of the organisation's base that earns a certificate, with lessons and a course quiz."""
    _base, _curriculum, course, lesson_pages = course_tree(
        organization, lessons=lessons, earns_certificate=True, credit_hours=2
    )
    definition = CertificateDefinitionFactory(issuer=organization, course=course)
    quiz = quiz_with_questions(organization=organization, count=questions, course=course, standalone_open=False)
    return course, lesson_pages, quiz, definition


@pytest.fixture
def fresh_throttles():
    cache.clear()
    yield
    cache.clear()


__all__ = ["LessonPageFactory", "certificate_course", "fresh_throttles", "token_client"]
