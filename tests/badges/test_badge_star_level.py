"""The star level from verified service hours (100/300/600/1000/1500 h) on the profile and the service record."""

import datetime

import pytest
from django.urls import reverse

from certificates.models import CertificateKind
from certificates.services import certificate_issue
from tests.certificates.factories import CertificateDefinitionFactory, practice_hours

pytestmark = pytest.mark.django_db


def test_the_profile_shows_the_star_level_from_verified_service_only(cast, client_for):
    practice_hours(cast.learner, organization=cast.school_a, minutes=310 * 60, source="act:1")
    practice_hours(cast.learner, organization=cast.school_a, minutes=400 * 60, source="act:2", verified=False)
    page = client_for(cast.learner).get(reverse("accounts:profile")).content.decode()
    star = page.split('data-testid="star-level"')[1].split("</dd>")[0]
    assert "★★☆☆☆" in star and "310.0" in star
    other = client_for(cast.outsider).get(reverse("accounts:profile")).content.decode()
    assert "☆☆☆☆☆" in other.split('data-testid="star-level"')[1].split("</dd>")[0]


def test_the_service_record_carries_the_star_level(cast):
    definition = CertificateDefinitionFactory(kind=CertificateKind.SERVICE_RECORD, course=None, issuer=cast.school_a)
    practice_hours(cast.learner, organization=cast.school_a, minutes=120 * 60, source="act:1")
    practice_hours(cast.learner, organization=cast.school_b, minutes=200 * 60, source="act:2")
    certificate, _created = certificate_issue(
        definition=definition, learner=cast.learner, source={"period_end": datetime.date(2026, 12, 31).isoformat()}
    )
    # This issuer recorded 120 h; the stars count all 320 verified hours: two stars.
    assert certificate.context["service_hours"].startswith("120")
    assert certificate.context["star_level"] == 2
