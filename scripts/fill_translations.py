"""Fill the zh_Hans catalogue from the per-app fragments in locale/fragments/*.yaml and report what is missing.

Each fragment maps an English msgid to its Chinese text. Apps keep their own fragment so that parallel work
never edits the same file; `make messages` regenerates django.po with makemessages and then runs this script.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib
import yaml

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
FRAGMENTS = ROOT / "locale" / "fragments"


def load_fragments() -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted(FRAGMENTS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for msgid, msgstr in data.items():
            merged[str(msgid)] = str(msgstr)
    return merged


def main() -> int:
    catalogue = polib.pofile(str(CATALOGUE))
    translations = load_fragments()
    missing = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.msgstr = ""
        if entry.msgid in translations:
            if entry.msgid_plural:
                entry.msgstr_plural = {0: translations[entry.msgid]}
            else:
                entry.msgstr = translations[entry.msgid]
        elif not (entry.msgstr or any(entry.msgstr_plural.values())):
            missing.append(entry.msgid)
    catalogue.metadata["Language"] = "zh_Hans"
    catalogue.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    catalogue.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    catalogue.save(str(CATALOGUE))
    for msgid in missing:
        print(f"untranslated: {msgid!r}", file=sys.stderr)
    print(f"{len(catalogue)} entries, {len(missing)} untranslated")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
