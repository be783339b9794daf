"""Badge pages: the learner's list, manual awarding and revocation by the issuer; 404 for everyone else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.constants import Role
from accounts.services import membership_add
from badges.models import BadgeAward
from tests.badges.factories import first_aid_setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def issuer(cast):
    membership_add(user=cast.editor_x, organization=cast.base_x, role=Role.COORDINATOR)
    return cast.editor_x


def test_an_issuer_awards_with_evidence_then_revokes_with_a_reason(cast, client_for, issuer):
    setup = first_aid_setup(cast)
    client = client_for(issuer)
    url = reverse("badges:badge_award_manual")
    response = client.post(url, {"badge_class": setup.badge.pk, "volunteer_number": "ZY1", "evidence_note": ""})
    assert response.status_code == 400 and not BadgeAward.objects.exists()
    response = client.post(
        url,
        {
            "badge_class": setup.badge.pk,
            "volunteer_number": cast.learner.volunteer_number,
            "evidence_note": "红十字证书",
        },
    )
    award = BadgeAward.objects.get()
    assert response.status_code == 302 and award.awarded_by == issuer
    detail = reverse("badges:badge_issued_detail", args=[award.pk])
    assert client.post(detail, {"reason": ""}).status_code == 400
    assert client.post(detail, {"reason": "证书系伪造"}).status_code == 302
    award.refresh_from_db()
    assert award.revocation_reason == "证书系伪造"
    public = client_for(cast.outsider).get(reverse("badges:badge_award", args=[award.uid])).content.decode()
    assert "badge-danger" in public and "证书系伪造" in public


def test_issuer_pages_are_404_for_others(cast, client_for, issuer):
    setup = first_aid_setup(cast)
    client_for(issuer)
    from badges.services import badge_award_manual

    award = badge_award_manual(badge_class=setup.badge, learner=cast.learner, actor=issuer, evidence_note="证书")
    for user in (cast.outsider, cast.learner, cast.coordinator_a, setup.leader):
        client = client_for(user)
        assert client.get(reverse("badges:badge_award_manual")).status_code == 404
        detail = reverse("badges:badge_issued_detail", args=[award.pk])
        assert client.get(detail).status_code == 404
        assert client.post(detail, {"reason": "x"}).status_code == 404
    award.refresh_from_db()
    assert award.revoked_at is None


def test_my_badges_lists_only_my_own(cast, client_for, issuer):
    setup = first_aid_setup(cast)
    from badges.services import badge_award_manual

    badge_award_manual(badge_class=setup.badge, learner=cast.learner, actor=issuer, evidence_note="证书")
    assert setup.badge.name in client_for(cast.learner).get(reverse("badges:my_badges")).content.decode()
    assert setup.badge.name not in client_for(cast.outsider).get(reverse("badges:my_badges")).content.decode()
