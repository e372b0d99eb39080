"""Text helpers: pinyin initials for search (华阳社区 → hysq)."""

from pypinyin import Style, lazy_pinyin


def pinyin_initials(name: str) -> str:
    """Lower-case first letters of each character's pinyin; other characters kept as typed."""
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default", strict=False)
    return "".join(letters).lower().replace(" ", "")[:100]
