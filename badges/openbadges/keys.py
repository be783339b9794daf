"""The issuer's Ed25519 signing keys. The first key signs; every key listed stays published so that credentials
signed before a rotation still verify (docs/decisions/0007-open-badges-proofs.md)."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class SigningKey:
    private_key: Ed25519PrivateKey
    kid: str

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @property
    def public_jwk(self) -> dict:
        raw = self.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw), "kid": self.kid, "alg": "EdDSA", "use": "sig"}


def _thumbprint(public_key: Ed25519PublicKey) -> str:
    """RFC 7638 JWK thumbprint: a key id that follows from the key itself, so rotation needs no naming scheme."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    canonical = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": b64url(raw)}, separators=(",", ":"), sort_keys=True)
    return b64url(hashlib.sha256(canonical.encode()).digest())


def _key(private_key: Ed25519PrivateKey) -> SigningKey:
    return SigningKey(private_key=private_key, kid=_thumbprint(private_key.public_key()))


def _load_pem(path: str) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"OPEN_BADGES_SIGNING_KEY_FILES: {path} is not an Ed25519 private key.")
    return key


def _development_key() -> Ed25519PrivateKey:
    # Without configured keys (development, tests) the key follows from SECRET_KEY: stable across restarts, and
    # worthless elsewhere. Production configures real key files (checks.py warns otherwise).
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"open-badges-signing", info=b"ed25519").derive(
        settings.SECRET_KEY.encode()
    )
    return Ed25519PrivateKey.from_private_bytes(seed)


@lru_cache(maxsize=4)
def _keys_for(files: tuple[str, ...], secret_key: str) -> tuple[SigningKey, ...]:
    if files:
        return tuple(_key(_load_pem(path)) for path in files)
    return (_key(_development_key()),)


def signing_keys() -> tuple[SigningKey, ...]:
    """All published keys, the active one first."""
    files = tuple(getattr(settings, "OPEN_BADGES_SIGNING_KEY_FILES", ()) or ())
    return _keys_for(files, settings.SECRET_KEY)


def active_key() -> SigningKey:
    return signing_keys()[0]


def jwks() -> dict:
    return {"keys": [key.public_jwk for key in signing_keys()]}
