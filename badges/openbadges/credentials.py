"""Open Badges 3.0: the Achievement, the issuer Profile and the OpenBadgeCredential of an award, secured as a
VC-JWT (JOSE, EdDSA over Ed25519; the JWT payload is the credential itself, with the registered claims beside it)."""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import TYPE_CHECKING

from django.utils import timezone

from badges.openbadges.keys import active_key, b64url
from badges.openbadges.urls import OB3_CONTEXT, OB3_SCHEMA, VC2_CONTEXT, absolute

if TYPE_CHECKING:
    from accounts.models import Organization
    from badges.models import BadgeAward, BadgeClass

JWT_MEDIA_TYPE = "application/vc+jwt"


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _day_end(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


def issuer_profile(organization: Organization) -> dict:
    profile = {
        "id": absolute("badge_issuer", slug=organization.slug),
        "type": ["Profile"],
        "name": organization.name,
        "url": absolute("badge_issuer_page", slug=organization.slug),
    }
    if organization.name_en:
        profile["description"] = organization.name_en
    if organization.contact_phone:
        profile["phone"] = organization.contact_phone
    return profile


def issuer_profile_document(organization: Organization) -> dict:
    return {"@context": [VC2_CONTEXT, OB3_CONTEXT], **issuer_profile(organization)}


def achievement(badge_class: BadgeClass) -> dict:
    data = {
        "id": absolute("badge_achievement", slug=badge_class.slug),
        "type": ["Achievement"],
        "achievementType": "License" if badge_class.validity_months else "Badge",
        "name": badge_class.name,
        "description": badge_class.description,
        "criteria": {
            "id": absolute("badge_achievement_page", slug=badge_class.slug),
            "narrative": badge_class.criteria_narrative,
        },
        "image": {
            "id": absolute("badge_class_image", slug=badge_class.slug),
            "type": "Image",
            "caption": badge_class.name,
        },
        "creator": issuer_profile(badge_class.issuer),
        "fieldOfStudy": badge_class.get_skill_area_display(),
        "tag": [badge_class.skill_area],
        "inLanguage": "zh-Hans",
    }
    if badge_class.name_en:
        data["humanCode"] = badge_class.name_en
    return data


def achievement_document(badge_class: BadgeClass) -> dict:
    return {"@context": [VC2_CONTEXT, OB3_CONTEXT], **achievement(badge_class)}


def recipient_hash(*, identity: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((identity + salt).encode("utf-8")).hexdigest()


def status_entry(award: BadgeAward) -> dict:
    list_url = absolute("badge_status_list", slug=award.issuer.slug)
    return {
        "id": f"{list_url}#{award.pk}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(award.pk),
        "statusListCredential": list_url,
    }


def credential_for(award: BadgeAward) -> dict:
    """The unsecured OpenBadgeCredential. Holder identity is the volunteer number, salted and hashed."""
    badge_class = award.badge_class
    credential: dict = {
        "@context": [VC2_CONTEXT, OB3_CONTEXT],
        "id": absolute("badge_award", uid=award.uid),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": badge_class.name,
        "description": badge_class.description,
        "issuer": issuer_profile(award.issuer),
        "validFrom": _iso(_day_start(award.valid_from)),
        "awardedDate": _iso(award.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "identifier",
                    "hashed": True,
                    "identityHash": recipient_hash(identity=award.learner.volunteer_number, salt=str(award.uid)),
                    "salt": str(award.uid),
                }
            ],
            "achievement": achievement(badge_class),
        },
        "credentialSchema": [{"id": OB3_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
        "credentialStatus": status_entry(award),
    }
    if award.valid_until:
        credential["validUntil"] = _iso(_day_end(award.valid_until))
    evidence = [
        {"type": ["Evidence"], "name": item.get("name", ""), "description": item.get("description", "")}
        for item in award.evidence
    ]
    if award.evidence_note:
        evidence.append({"type": ["Evidence"], "narrative": award.evidence_note})
    if evidence:
        credential["evidence"] = evidence
    return credential


def sign_jwt(payload: dict, *, typ: str = "vc+jwt") -> str:
    key = active_key()
    header = {"alg": "EdDSA", "typ": typ, "kid": absolute("badge_jwks") + "#" + key.kid}
    signing_input = (
        b64url(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + b64url(json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    )
    return signing_input + "." + b64url(key.private_key.sign(signing_input.encode("ascii")))


def credential_jwt(credential: dict, *, award: BadgeAward) -> str:
    """The credential with the JWT registered claims that older OB 3.0 verifiers read (iss, sub, jti, nbf, exp)."""
    claims = dict(credential)
    claims["iss"] = credential["issuer"]["id"]
    claims["jti"] = credential["id"]
    claims["sub"] = credential["credentialSubject"]["identifier"][0]["identityHash"]
    claims["nbf"] = int(_day_start(award.valid_from).timestamp())
    claims["iat"] = int(award.issued_at.timestamp())
    if award.valid_until:
        claims["exp"] = int(_day_end(award.valid_until).timestamp())
    return sign_jwt(claims)
