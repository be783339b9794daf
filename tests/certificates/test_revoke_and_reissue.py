import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.constants import Role
from accounts.services import membership_add
from certificates.models import Certificate
from certificates.services import certificate_issue_for_completion, certificate_reissue, certificate_revoke
from tests.certificates.factories import complete, course_with_definition
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(cast):
    _curriculum, course, _definition = course_with_definition(cast.base_x)
    issuer = UserFactory(username="issuer_x")
    membership_add(user=issuer, organization=cast.base_x, role=Role.ADMIN)
    certificate = certificate_issue_for_completion(completion=complete(cast.learner, course))[0]
    return certificate, issuer


def test_the_issuer_revokes_with_a_reason_and_it_is_logged(issued):
    certificate, issuer = issued
    revoked = certificate_revoke(certificate=certificate, actor=issuer, reason="冒名参加考核")
    assert revoked.status == "revoked" and revoked.revoked_at and revoked.revoked_by == issuer
    assert revoked.events.filter(action="revoked", actor=issuer, note="冒名参加考核").exists()
    again = certificate_revoke(certificate=certificate, actor=issuer, reason="再次")
    assert again.revoked_at == revoked.revoked_at
    assert revoked.events.filter(action="revoked").count() == 1


@pytest.mark.parametrize("who", ["outsider", "learner", "coordinator_b", "editor_x"])
def test_others_may_not_revoke(issued, cast, who):
    certificate, _issuer = issued
    with pytest.raises(PermissionDenied):
        certificate_revoke(certificate=certificate, actor=getattr(cast, who), reason="no")
    certificate.refresh_from_db()
    assert certificate.status == "valid"


def test_revoking_needs_a_reason(issued):
    certificate, issuer = issued
    with pytest.raises(ValidationError) as error:
        certificate_revoke(certificate=certificate, actor=issuer, reason="  ")
    assert "reason" in error.value.message_dict
    certificate.refresh_from_db()
    assert certificate.status == "valid"


def test_reissuing_keeps_the_old_record_and_links_the_new_one(issued, cast):
    certificate, issuer = issued
    cast.learner.real_name = "张更正"
    cast.learner.save()
    new = certificate_reissue(certificate=certificate, actor=issuer, reason="姓名更正")
    certificate.refresh_from_db()
    assert new.replaces == certificate
    assert certificate.superseded_at is not None and certificate.status == "revoked"
    assert new.number != certificate.number and new.verification_code != certificate.verification_code
    assert new.context["holder_name"] == "张更正"
    assert certificate.context["holder_name"] == "张学员"
    assert Certificate.objects.filter(learner=cast.learner).count() == 2
    with pytest.raises(ValidationError):
        certificate_reissue(certificate=certificate, actor=issuer, reason="again")
