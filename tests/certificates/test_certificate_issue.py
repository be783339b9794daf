import datetime

import pytest
from django.db import IntegrityError, transaction

from certificates.models import Certificate, CertificateEvent, CertificateNumberCounter
from certificates.services import certificate_issue, certificate_issue_for_completion
from certificates.services.context import CertificateNotEarned
from tests.certificates.factories import CertificateDefinitionFactory, complete, course_with_definition
from tests.content.factories import course_tree
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_completing_a_course_issues_one_certificate_with_a_pdf(cast, django_capture_on_commit_callbacks):
    _curriculum, course, definition = course_with_definition(cast.base_x)
    with django_capture_on_commit_callbacks(execute=True):
        completion = complete(cast.learner, course)
    certificate = Certificate.objects.get(learner=cast.learner)
    assert certificate.definition == definition
    assert certificate.source_key == f"course-completion:{completion.pk}"
    assert certificate.pdf and certificate.pdf.storage.exists(certificate.pdf.name)
    assert certificate.context["holder_name"] == "张学员"
    assert certificate.context["certified"] == course.title
    assert list(certificate.events.values_list("action", flat=True)) == ["issued", "rendered"]


def test_issuing_again_returns_the_same_certificate(cast):
    _curriculum, course, _definition = course_with_definition(cast.base_x)
    completion = complete(cast.learner, course)
    first = certificate_issue_for_completion(completion=completion)
    second = certificate_issue_for_completion(completion=completion)
    assert [c.pk for c in first] == [c.pk for c in second]
    assert Certificate.objects.count() == 1
    assert CertificateNumberCounter.objects.get().last_number == 1


def test_the_database_refuses_a_second_current_certificate_for_one_source(cast):
    _curriculum, course, definition = course_with_definition(cast.base_x)
    certificate = certificate_issue_for_completion(completion=complete(cast.learner, course))[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            definition=definition,
            issuer=cast.base_x,
            learner=cast.learner,
            source_key=certificate.source_key,
            number="OTHER1",
            verification_code="other-code",
        )


def test_numbers_are_gap_free_per_issuer_and_year(cast):
    _curriculum, course_x, _definition_x = course_with_definition(cast.base_x, number_prefix="ZYXY")
    _curriculum, course_y, _definition_y = course_with_definition(cast.base_y, number_prefix="ZYXY")
    learners = [cast.learner, UserFactory(), UserFactory()]
    numbers_x = [certificate_issue_for_completion(completion=complete(u, course_x))[0].number for u in learners]
    number_y = certificate_issue_for_completion(completion=complete(cast.learner, course_y))[0].number
    year = datetime.date.today().year
    assert numbers_x == [f"ZYXY{year}000001", f"ZYXY{year}000002", f"ZYXY{year}000003"]
    assert number_y == f"ZYXY{year}000001"  # another issuer, its own sequence


def test_a_learner_who_does_not_qualify_uses_no_number(cast):
    _curriculum, _course, definition = course_with_definition(cast.base_x)
    with pytest.raises(CertificateNotEarned):
        certificate_issue(definition=definition, learner=cast.outsider, source={"completion_id": 999999})
    assert not Certificate.objects.exists()
    assert not CertificateNumberCounter.objects.filter(last_number__gt=0).exists()


def test_the_verification_code_is_random_enough_and_not_the_number(cast):
    _curriculum, course, _definition = course_with_definition(cast.base_x)
    codes = set()
    for user in [cast.learner, UserFactory(), UserFactory()]:
        certificate = certificate_issue_for_completion(completion=complete(user, course))[0]
        assert certificate.verification_code != certificate.number
        assert certificate.number not in certificate.verification_code
        # token_urlsafe: 6 bits per character
        assert len(certificate.verification_code) * 6 >= 64
        codes.add(certificate.verification_code)
    assert len(codes) == 3


def test_the_context_is_frozen_at_issue(cast):
    _curriculum, course, _definition = course_with_definition(cast.base_x)
    certificate = certificate_issue_for_completion(completion=complete(cast.learner, course))[0]
    course.title = "改名后的课程"
    course.save_revision().publish()
    cast.learner.real_name = "张改名"
    cast.learner.save()
    cast.base_x.name = "改名后的基地"
    cast.base_x.save()
    certificate.refresh_from_db()
    assert certificate.context["holder_name"] == "张学员"
    assert certificate.context["certified"] != "改名后的课程"
    assert certificate.context["issuer_name"] == "X 培训基地"


def test_a_course_without_the_certificate_flag_issues_nothing(cast):
    _base, _curriculum, course, _lessons = course_tree(cast.base_x, lessons=1, earns_certificate=False)
    CertificateDefinitionFactory(issuer=cast.base_x, course=course)
    assert certificate_issue_for_completion(completion=complete(cast.learner, course)) == []


def test_an_inactive_definition_issues_nothing(cast):
    _curriculum, course, _definition = course_with_definition(cast.base_x, is_active=False)
    assert certificate_issue_for_completion(completion=complete(cast.learner, course)) == []


def test_a_curriculum_certificate_waits_for_every_course(cast):
    from tests.certificates.factories import another_course

    curriculum, course_one, _definition = course_with_definition(cast.base_x)
    course_two = another_course(curriculum)
    curriculum_definition = CertificateDefinitionFactory(
        issuer=cast.base_x, kind="curriculum", curriculum=curriculum, course=None, number_prefix="JY"
    )
    first = certificate_issue_for_completion(completion=complete(cast.learner, course_one))
    assert [c.definition_id for c in first] != [curriculum_definition.pk]
    assert not Certificate.objects.filter(definition=curriculum_definition).exists()
    certificate_issue_for_completion(completion=complete(cast.learner, course_two))
    curriculum_certificate = Certificate.objects.get(definition=curriculum_definition)
    assert len(curriculum_certificate.context["courses"]) == 2


def test_validity_sets_the_end_date_and_expiry_shows(cast):
    _curriculum, course, _definition = course_with_definition(cast.base_x, validity_months=12)
    certificate = certificate_issue_for_completion(completion=complete(cast.learner, course))[0]
    assert certificate.valid_until is not None
    assert certificate.current_status() == "valid"
    assert certificate.current_status(today=certificate.valid_until + datetime.timedelta(days=1)) == "expired"
    from certificates.services import certificates_expire_due

    assert certificates_expire_due(today=certificate.valid_until + datetime.timedelta(days=1)) == 1
    certificate.refresh_from_db()
    assert certificate.status == "expired"
    assert CertificateEvent.objects.filter(certificate=certificate, action="expired").exists()
