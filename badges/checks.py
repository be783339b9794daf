"""System checks of badges."""

from __future__ import annotations

from django.core.checks import Warning as CheckWarning
from django.core.checks import register


@register(deploy=True)
def check_open_badges_keys(app_configs=None, **kwargs):
    """Credentials signed with a key derived from the development SECRET_KEY would verify for anyone who has the code.

    With a real SECRET_KEY the derived key is as secret as SECRET_KEY itself; key files are still preferred so that
    SECRET_KEY can be rotated without invalidating issued badges (docs/decisions/0007-open-badges-proofs.md).
    """
    from django.conf import settings

    development_key = getattr(settings, "DEVELOPMENT_SECRET_KEY", None)
    if getattr(settings, "OPEN_BADGES_SIGNING_KEY_FILES", None) or development_key != settings.SECRET_KEY:
        return []
    return [
        CheckWarning(
            "Badge credentials are signed with a key derived from the development SECRET_KEY.",
            hint="Set SECRET_KEY, or OPEN_BADGES_SIGNING_KEY_FILES to Ed25519 PEM files "
            "(docs/decisions/0007-open-badges-proofs.md).",
            id="badges.W001",
        )
    ]
