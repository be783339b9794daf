"""Property-based checks of the whole API against its own OpenAPI schema (schemathesis, in-process over WSGI).

Every operation gets a bounded number of generated requests, authenticated with a coordinator's and then with a
learner's token, against a database holding a learner's enrolment, attempt and student record. No response may be a
5xx, carry an undocumented status or content type, or break the documented response schema."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.constants import Role
from accounts.services import membership_add
from courses.services.enrollment import enrollment_create
from tests.lms.api_helpers import certificate_course, token_client
from tests.schools.factories import StudentProfileFactory

pytestmark = pytest.mark.django_db

# Bounded so that the whole run stays well under a minute; derandomized so that CI runs are repeatable.
EXAMPLES = {GenerationMode.POSITIVE: 8, GenerationMode.NEGATIVE: 4}
CHECKS = {
    GenerationMode.POSITIVE: [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ],
    # Malformed input: never a 5xx, and the error is one the schema documents, in the documented shape.
    GenerationMode.NEGATIVE: [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ],
}


@pytest.fixture
def wsgi_app():
    """The project's WSGI app sharing the test's transaction: requests must not close the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_data(cast):
    course, _lessons, quiz, _definition = certificate_course(cast.base_x, lessons=1)
    enrollment_create(user=cast.learner, course=course)
    StudentProfileFactory(user=cast.learner, organization=cast.school_a)
    membership_add(user=cast.coordinator_a, organization=cast.base_x, role=Role.LEARNER)
    return course, quiz


def _exercise(operation, mode: GenerationMode, token: str) -> None:
    """Send the operation's bounded examples; hypothesis reports the first failing request, shrunk."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def exercise(case):
        response = case.call(headers={"Authorization": token})
        case.validate_response(response, checks=CHECKS[mode])

    try:
        exercise()
    except Unsatisfiable:
        # Some operations have no input that can be made invalid (no parameters, no body): nothing to send.
        if mode is not GenerationMode.NEGATIVE:
            raise


@pytest.mark.parametrize("role", ["coordinator_a", "learner"])
def test_the_api_keeps_its_schema_under_generated_requests(cast, api_data, wsgi_app, role):
    cache.clear()
    token = token_client(getattr(cast, role))._credentials["HTTP_AUTHORIZATION"]
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30
    for mode in EXAMPLES:
        for operation in operations:
            _exercise(operation, mode, token)
