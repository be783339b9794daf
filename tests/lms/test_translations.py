"""Chinese first: every message in the catalogue is translated, and the compiled catalogue is current."""

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_message_has_a_chinese_translation():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries() if not entry.obsolete]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []


def _translations(catalogue) -> dict[str, str]:
    return {
        entry.msgid: entry.msgstr or entry.msgstr_plural.get(0, "")
        for entry in catalogue
        if entry.msgid and not entry.obsolete
    }


def test_compiled_catalogue_matches_the_source():
    source = _translations(polib.pofile(str(LOCALE / "django.po")))
    compiled = _translations(polib.mofile(str(LOCALE / "django.mo")))
    assert compiled == source
