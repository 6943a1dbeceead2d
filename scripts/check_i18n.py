"""Fail when a term of the freshly exported template has no French translation in i18n/fr.po."""

import sys

import polib


def main(pot_path, po_path):
    template = polib.pofile(pot_path)
    french = {(entry.msgctxt, entry.msgid): entry for entry in polib.pofile(po_path)}
    missing = []
    for entry in template:
        if not entry.msgid:
            continue
        translated = french.get((entry.msgctxt, entry.msgid))
        if (
            translated is None
            or "fuzzy" in translated.flags
            or not (translated.msgstr or any(translated.msgstr_plural.values()))
        ):
            missing.append(entry)
    for entry in missing:
        where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2])
        print(f"missing French translation: {entry.msgid!r} ({where})")
    total = len([e for e in template if e.msgid])
    if missing:
        print(f"FAILED: {len(missing)} of {total} terms have no French translation in {po_path}.")
        return 1
    print(f"i18n/fr.po translates all {total} exported terms.")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
