"""Learners' list and download; issuers' lists, filters, export, revocation; everyone else gets 404."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.constants import Role
from accounts.services import membership_add
from certificates.services import certificate_issue_for_completion, certificate_revoke
from tests.certificates.factories import complete, course_with_definition
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def issuer(cast):
    user = UserFactory(username="issuer_x", real_name="X 管理员")
    membership_add(user=user, organization=cast.base_x, role=Role.ADMIN)
    return user


@pytest.fixture
def course_and_definition(cast):
    _curriculum, course, definition = course_with_definition(cast.base_x)
    return course, definition


def _issue(user, course):
    return certificate_issue_for_completion(completion=complete(user, course))[0]


def test_the_learner_sees_and_downloads_their_certificate(cast, client_for, course_and_definition):
    certificate = _issue(cast.learner, course_and_definition[0])
    client = client_for(cast.learner)
    page = client.get(reverse("certificates:mine")).content.decode()
    assert certificate.number in page
    response = client.get(reverse("certificates:download", kwargs={"pk": certificate.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert certificate.number in response["Content-Disposition"]


def test_my_certificates_page_costs_the_same_queries_for_1_or_many(
    cast, client_for, course_and_definition, django_assert_max_num_queries
):
    from tests.certificates.factories import another_course

    course, _definition = course_and_definition
    _issue(cast.learner, course)
    client = client_for(cast.learner)
    with django_assert_max_num_queries(6) as one:
        client.get(reverse("certificates:mine"))
    curriculum = course.get_parent().specific
    for n in range(4):
        extra = another_course(curriculum, key=f"extra-{n}")
        from tests.certificates.factories import CertificateDefinitionFactory

        CertificateDefinitionFactory(issuer=cast.base_x, course=extra)
        _issue(cast.learner, extra)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("certificates:mine"))
    assert response.content.decode().count('data-testid="download-certificate"') == 5


@pytest.mark.parametrize("who", ["outsider", "coordinator_a", "coordinator_b", "editor_x"])
def test_others_cannot_download_a_learners_certificate(cast, client_for, course_and_definition, who):
    certificate = _issue(cast.learner, course_and_definition[0])
    response = client_for(getattr(cast, who)).get(reverse("certificates:download", kwargs={"pk": certificate.pk}))
    assert response.status_code == 404


def test_the_issuer_may_download_it(cast, client_for, course_and_definition, issuer):
    certificate = _issue(cast.learner, course_and_definition[0])
    response = client_for(issuer).get(reverse("certificates:download", kwargs={"pk": certificate.pk}))
    assert response.status_code == 200


def test_the_issuer_lists_filters_and_exports(
    cast, client_for, course_and_definition, issuer, django_assert_max_num_queries
):
    course, _definition = course_and_definition
    kept = _issue(cast.learner, course)
    other = _issue(UserFactory(real_name="王二"), course)
    certificate_revoke(certificate=other, actor=issuer, reason="重复发证")
    client = client_for(issuer)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("certificates:issued_list")).content.decode()
    assert kept.number in page and other.number in page
    revoked_page = client.get(reverse("certificates:issued_list"), {"status": "revoked"}).content.decode()
    assert other.number in revoked_page and kept.number not in revoked_page
    valid_page = client.get(reverse("certificates:issued_list"), {"status": "valid", "q": "张学员"}).content.decode()
    assert kept.number in valid_page and other.number not in valid_page
    export = client.get(reverse("certificates:issued_export"), {"status": "revoked"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "number"
    assert [row[0] for row in rows[1:]] == [other.number]
    assert rows[1][7] == "revoked" and rows[1][9] == "重复发证"
    assert not any("11010519491231002X" in cell for row in rows for cell in row)


def test_the_issued_list_costs_the_same_for_1_or_many(
    cast, client_for, course_and_definition, issuer, django_assert_max_num_queries
):
    course, _definition = course_and_definition
    _issue(cast.learner, course)
    client = client_for(issuer)
    with django_assert_max_num_queries(20) as one:
        client.get(reverse("certificates:issued_list"))
    for _ in range(10):
        _issue(UserFactory(), course)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("certificates:issued_list"))


def test_the_issuer_revokes_on_the_detail_page(cast, client_for, course_and_definition, issuer):
    certificate = _issue(cast.learner, course_and_definition[0])
    client = client_for(issuer)
    url = reverse("certificates:issued_detail", kwargs={"pk": certificate.pk})
    assert client.post(url, {"action": "revoke", "reason": ""}).status_code == 400
    certificate.refresh_from_db()
    assert certificate.status == "valid"
    response = client.post(url, {"action": "revoke", "reason": "考核作弊"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "revoked" and certificate.revocation_reason == "考核作弊"


@pytest.mark.parametrize("who", ["outsider", "learner", "coordinator_b", "editor_x"])
def test_outsiders_get_404_on_the_issuer_pages(cast, client_for, course_and_definition, who):
    certificate = _issue(cast.learner, course_and_definition[0])
    client = client_for(getattr(cast, who))
    detail = reverse("certificates:issued_detail", kwargs={"pk": certificate.pk})
    assert client.get(detail).status_code == 404
    assert client.post(detail, {"action": "revoke", "reason": "x"}).status_code == 404
    certificate.refresh_from_db()
    assert certificate.status == "valid"
    if who != "coordinator_b":  # coordinators issue for their own school: they see their (empty) lists
        assert client.get(reverse("certificates:issued_list")).status_code == 404
        assert client.get(reverse("certificates:issued_export")).status_code == 404


def test_a_coordinator_of_another_school_sees_none_of_these(cast, client_for, course_and_definition):
    certificate = _issue(cast.learner, course_and_definition[0])
    page = client_for(cast.coordinator_b).get(reverse("certificates:issued_list")).content.decode()
    assert certificate.number not in page


def test_anonymous_users_are_sent_to_log_in(client, cast, course_and_definition):
    certificate = _issue(cast.learner, course_and_definition[0])
    for url in (
        reverse("certificates:mine"),
        reverse("certificates:download", kwargs={"pk": certificate.pk}),
        reverse("certificates:issued_list"),
    ):
        assert client.get(url).status_code == 302
