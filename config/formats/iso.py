"""The input formats every language shares: ISO first (what the browser's date, time and
datetime-local fields send and accept), then the language's own. Django looks a format up in
these modules first and falls back to its own locale files for everything not named here."""

from collections.abc import Sequence

DATE_ISO = "%Y-%m-%d"
TIME_ISO = "%H:%M"
DATETIME_ISO = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")


def iso_first(first: Sequence[str], own: Sequence[str]) -> list[str]:
    return list(dict.fromkeys([*first, *own]))
