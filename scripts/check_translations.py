#!/usr/bin/env python
"""Fail when the English catalogue has an untranslated or fuzzy entry (run after makemessages)."""

import sys
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def main() -> int:
    po = polib.pofile(str(CATALOGUE))
    todo = [entry.msgid for entry in po.untranslated_entries() + po.fuzzy_entries()]
    for msgid in todo:
        print(f"untranslated: {msgid}")
    print(f"{len(po.translated_entries())} translated, {len(todo)} to do")
    return 1 if todo else 0


if __name__ == "__main__":
    sys.exit(main())
