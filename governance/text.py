"""Text helpers: pinyin initials for search (华阳社区 → hysq), unit and room numbers."""

import unicodedata

from pypinyin import Style, lazy_pinyin


def pinyin_initials(name: str) -> str:
    """Lower-case first letters of each character's pinyin; other characters kept as typed."""
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default", strict=False)
    return "".join(letters).lower().replace(" ", "")[:100]


def unit_number(text: str) -> str:
    """A unit as stored: ``1单元``, ``１`` and ``1`` are the same unit ``1``."""
    value = unicodedata.normalize("NFKC", text or "").strip().replace(" ", "")
    return value.removesuffix("单元").strip()


def room_number(text: str) -> str:
    """A room as stored: ``101室``, ``１０１`` and ``101`` are the same room ``101``."""
    value = unicodedata.normalize("NFKC", text or "").strip().replace(" ", "")
    return value.removesuffix("室").strip()
