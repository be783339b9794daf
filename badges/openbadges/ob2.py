"""Open Badges 2.0 documents (hosted verification) for backpacks that do not read OB 3.0 yet."""

from __future__ import annotations

from typing import TYPE_CHECKING

from badges.openbadges.credentials import _day_end, _iso, recipient_hash
from badges.openbadges.urls import OB2_CONTEXT, absolute

if TYPE_CHECKING:
    from accounts.models import Organization
    from badges.models import BadgeAward, BadgeClass


def issuer(organization: Organization) -> dict:
    data = {
        "@context": OB2_CONTEXT,
        "type": "Issuer",
        "id": absolute("badge_issuer_ob2", slug=organization.slug),
        "name": organization.name,
        "url": absolute("badge_issuer_page", slug=organization.slug),
    }
    if organization.contact_phone:
        data["telephone"] = organization.contact_phone
    return data


def badge_class(badge: BadgeClass) -> dict:
    return {
        "@context": OB2_CONTEXT,
        "type": "BadgeClass",
        "id": absolute("badge_class_ob2", slug=badge.slug),
        "name": badge.name,
        "description": badge.description,
        "image": absolute("badge_class_image", slug=badge.slug),
        "criteria": {"id": absolute("badge_achievement_page", slug=badge.slug), "narrative": badge.criteria_narrative},
        "issuer": absolute("badge_issuer_ob2", slug=badge.issuer.slug),
        "tags": [badge.skill_area],
    }


def assertion(award: BadgeAward) -> dict:
    """The hosted assertion; a revoked one is answered as {id, revoked, revocationReason} (with HTTP 410)."""
    url = absolute("badge_assertion", uid=award.uid)
    if award.revoked_at is not None:
        return {
            "@context": OB2_CONTEXT,
            "id": url,
            "type": "Assertion",
            "revoked": True,
            "revocationReason": award.revocation_reason,
        }
    learner = award.learner
    salt = str(award.uid)
    if learner.email:
        recipient = {
            "type": "email",
            "hashed": True,
            "salt": salt,
            "identity": recipient_hash(identity=learner.email.lower(), salt=salt),
        }
    else:
        recipient = {
            "type": "url",
            "hashed": True,
            "salt": salt,
            "identity": recipient_hash(identity=f"urn:volunteer:{learner.volunteer_number}", salt=salt),
        }
    data = {
        "@context": OB2_CONTEXT,
        "type": "Assertion",
        "id": url,
        "recipient": recipient,
        "badge": absolute("badge_class_ob2", slug=award.badge_class.slug),
        "verification": {"type": "hosted"},
        "issuedOn": _iso(award.issued_at),
        "image": absolute("badge_award_image", uid=award.uid),
    }
    if award.valid_until:
        data["expires"] = _iso(_day_end(award.valid_until))
    if award.evidence or award.evidence_note:
        narrative = "; ".join(item.get("name", "") for item in award.evidence)
        if award.evidence_note:
            narrative = (narrative + "; " if narrative else "") + award.evidence_note
        data["evidence"] = [{"narrative": narrative}]
    return data
