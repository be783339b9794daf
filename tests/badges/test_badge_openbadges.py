"""Open Badges: every credential validates against the shipped 1EdTech OB 3.0 schema, its VC-JWT verifies with
PyJWT (not our signing code) through the published JWKS, revocation shows in the status list, OB 2.0 and baking."""

from __future__ import annotations

import base64
import gzip
import io
import json
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jsonschema import Draft201909Validator
from PIL import Image

from accounts.constants import Role
from accounts.services import membership_add
from badges.models import BadgeAward
from badges.services import badge_award_evaluate, badge_award_manual, badge_award_revoke
from tests.badges.factories import first_aid_setup, record_practical
from tests.certificates.factories import complete

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parents[2] / "badges" / "openbadges" / "schemas"


def _schema(name: str) -> Draft201909Validator:
    schema = json.loads((SCHEMAS / name).read_text())
    Draft201909Validator.check_schema(schema)
    return Draft201909Validator(schema)


def _award(cast) -> BadgeAward:
    setup = first_aid_setup(cast)
    complete(cast.learner, setup.course)
    record_practical(setup, cast.learner)
    return badge_award_evaluate(badge_class=setup.badge, learner=cast.learner)


def _verify(token: str, client) -> dict:
    """Verify with PyJWT against the key set the site publishes, as an outside verifier would."""
    kid = jwt.get_unverified_header(token)["kid"]
    assert kid.startswith("http://testserver/badges/jwks.json#")
    keys = jwt.PyJWKSet.from_dict(client.get("/badges/jwks.json").json())
    key = next(key for key in keys.keys if key.key_id == kid.split("#", 1)[1])
    return jwt.decode(token, key=key, algorithms=["EdDSA"], options={"verify_aud": False, "verify_exp": False})


def test_the_credential_validates_against_the_official_schema(cast):
    award = _award(cast)
    errors = sorted(_schema("ob_v3p0_achievementcredential.schema.json").iter_errors(award.credential), key=str)
    assert errors == []
    credential = award.credential
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert (
        credential["credentialSubject"]["achievement"]["id"]
        == f"http://testserver/badges/achievements/{award.badge_class.slug}/"
    )
    assert credential["validUntil"].startswith(award.valid_until.isoformat()[:8])
    # No holder name or number in the clear: only a salted hash of the volunteer number.
    assert cast.learner.volunteer_number not in json.dumps(credential)


def test_the_contexts_are_local_and_define_every_type_used(cast):
    award = _award(cast)
    context_url = award.credential["@context"][1]
    assert context_url == "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
    context = json.loads((SCHEMAS / "ob_v3p0_context-3.0.3.json").read_text())["@context"]
    used = {
        "OpenBadgeCredential",
        "AchievementSubject",
        "Achievement",
        "Profile",
        "Image",
        "IdentityObject",
        "Evidence",
    }
    assert used <= set(context), used - set(context)


def test_the_vc_jwt_verifies_with_pyjwt_and_fails_when_tampered(cast, client):
    award = _award(cast)
    response = client.get(f"/badges/awards/{award.uid}/credential.jwt")
    assert response["Content-Type"] == "application/vc+jwt"
    token = response.content.decode()
    claims = _verify(token, client)
    assert claims["id"] == claims["jti"] == award.credential["id"]
    assert claims["credentialSubject"] == award.credential["credentialSubject"]
    header, payload, signature = token.split(".")
    forged = json.loads(base64.urlsafe_b64decode(payload + "=="))
    forged["validUntil"] = "2099-01-01T00:00:00Z"
    forged_payload = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
    with pytest.raises(jwt.InvalidSignatureError):
        _verify(f"{header}.{forged_payload}.{signature}", client)


def test_after_a_key_rotation_old_credentials_still_verify(cast, client, settings, tmp_path):
    old_pem = tmp_path / "old.pem"
    new_pem = tmp_path / "new.pem"
    for path in (old_pem, new_pem):
        path.write_bytes(
            Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
    settings.OPEN_BADGES_SIGNING_KEY_FILES = [str(old_pem)]
    old_award = _award(cast)
    settings.OPEN_BADGES_SIGNING_KEY_FILES = [str(new_pem), str(old_pem)]
    issuer = cast.editor_x
    membership_add(user=issuer, organization=cast.base_x, role=Role.COORDINATOR)
    new_award = badge_award_manual(
        badge_class=old_award.badge_class, learner=cast.coordinator_a, actor=issuer, evidence_note="证书"
    )
    old_kid = jwt.get_unverified_header(old_award.credential_jwt)["kid"]
    new_kid = jwt.get_unverified_header(new_award.credential_jwt)["kid"]
    assert old_kid != new_kid
    assert len(client.get("/badges/jwks.json").json()["keys"]) == 2
    assert _verify(old_award.credential_jwt, client)["id"] == old_award.credential["id"]
    assert _verify(new_award.credential_jwt, client)["id"] == new_award.credential["id"]
    settings.OPEN_BADGES_SIGNING_KEY_FILES = [str(new_pem)]  # the old key retired for good: its credentials fail
    with pytest.raises(StopIteration):
        _verify(old_award.credential_jwt, client)


def _bit(encoded_list: str, index: int) -> int:
    data = encoded_list[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
    assert len(bits) * 8 >= 131072
    return (bits[index // 8] >> (7 - index % 8)) & 1


def test_a_revoked_badge_shows_as_revoked_in_its_status_list(cast, client):
    award = _award(cast)
    entry = award.credential["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry" and entry["statusPurpose"] == "revocation"
    list_path = entry["statusListCredential"].replace("http://testserver", "")
    status_list = client.get(list_path).json()
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert _bit(status_list["credentialSubject"]["encodedList"], int(entry["statusListIndex"])) == 0

    membership_add(user=cast.editor_x, organization=cast.base_x, role=Role.COORDINATOR)
    badge_award_revoke(award=award, actor=cast.editor_x, reason="考核记录作废")
    status_list = client.get(list_path).json()
    assert _bit(status_list["credentialSubject"]["encodedList"], int(entry["statusListIndex"])) == 1
    signed = client.get(list_path + "?format=jwt").content.decode()
    assert (
        _verify(signed, client)["credentialSubject"]["encodedList"] == status_list["credentialSubject"]["encodedList"]
    )
    assert client.get(f"/badges/awards/{award.uid}/assertion.json").status_code == 410


def test_issuer_profile_and_achievement_are_public(cast, client):
    award = _award(cast)
    profile = client.get(f"/badges/issuers/{cast.base_x.slug}/").json()
    assert _schema("ob_v3p0_profile.schema.json").is_valid(profile)
    assert profile["id"] == award.credential["issuer"]["id"]
    achievement = client.get(f"/badges/achievements/{award.badge_class.slug}/").json()
    assert achievement["criteria"]["narrative"] == award.badge_class.criteria_narrative
    assert client.get(f"/badges/issuers/{cast.school_a.slug}/").status_code == 404  # issues no badges
    assert client.get("/badges/achievements/no-such-badge/").status_code == 404
    for path in (
        f"/badges/issuers/{cast.base_x.slug}/about/",
        f"/badges/achievements/{award.badge_class.slug}/criteria/",
        f"/badges/awards/{award.uid}/",
    ):
        assert client.get(path).status_code == 200


def test_ob2_assertion_and_the_baked_image(cast, client):
    award = _award(cast)
    assertion = client.get(f"/badges/awards/{award.uid}/assertion.json").json()
    assert assertion["type"] == "Assertion" and assertion["verification"] == {"type": "hosted"}
    badge_class = client.get(assertion["badge"].replace("http://testserver", "")).json()
    assert badge_class["type"] == "BadgeClass"
    assert client.get(badge_class["issuer"].replace("http://testserver", "")).json()["type"] == "Issuer"
    response = client.get(f"/badges/awards/{award.uid}/badge.png")
    image = Image.open(io.BytesIO(response.content))
    image.load()
    assert json.loads(image.text["openbadges"])["id"] == assertion["id"]
    assert image.text["openbadgecredential"] == award.credential_jwt
