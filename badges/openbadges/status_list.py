"""The revocation list of an issuer as a W3C BitstringStatusListCredential: bit N is award N (its primary key)."""

from __future__ import annotations

import base64
import gzip

from django.utils import timezone

from badges.openbadges.credentials import _iso, issuer_profile
from badges.openbadges.urls import VC2_CONTEXT, absolute

MINIMUM_BITS = 131_072  # 16 KiB: the specification's minimum, so that one list hides which index is whose


def encode_bits(revoked_indexes: list[int]) -> str:
    size = max(MINIMUM_BITS, ((max(revoked_indexes, default=0) // 8) + 1) * 8)
    bits = bytearray(size // 8)
    for index in revoked_indexes:
        bits[index // 8] |= 0x80 >> (index % 8)  # index 0 is the left-most bit
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).rstrip(b"=").decode("ascii")


def decode_bits(encoded: str) -> bytes:
    data = encoded[1:] if encoded.startswith("u") else encoded
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def status_list_credential(*, organization, revoked_indexes: list[int]) -> dict:
    list_url = absolute("badge_status_list", slug=organization.slug)
    return {
        "@context": [VC2_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_profile(organization)["id"],
        "validFrom": _iso(timezone.now()),
        "credentialSubject": {
            "id": list_url + "#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bits(revoked_indexes),
        },
    }
