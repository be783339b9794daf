"""System checks: WeasyPrint subsets CJK fonts about 60 times slower without libharfbuzz-subset."""

from __future__ import annotations

import ctypes.util

from django.core.checks import Warning as CheckWarning
from django.core.checks import register

HARFBUZZ_SUBSET_LIBRARIES = ("harfbuzz-subset", "libharfbuzz-subset.so.0")


def harfbuzz_subset_available() -> bool:
    if ctypes.util.find_library("harfbuzz-subset"):
        return True
    try:
        ctypes.CDLL("libharfbuzz-subset.so.0")
    except OSError:
        return False
    return True


@register(deploy=False)
def check_harfbuzz_subset(app_configs=None, **kwargs):
    if harfbuzz_subset_available():
        return []
    return [
        CheckWarning(
            "libharfbuzz-subset is not installed: certificate PDFs with Chinese fonts render about 60 times slower.",
            hint="Install the Debian package libharfbuzz-subset0 (apt-get install libharfbuzz-subset0).",
            id="certificates.W001",
        )
    ]
