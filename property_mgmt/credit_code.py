"""The unified social credit code (统一社会信用代码, GB 32100-2015).

18 characters: registration authority (1), organisation kind (1), administrative division
(6 digits), organisation code (9) and a check character. The alphabet is the digits and the
capital letters without I, O, Z, S and V (31 characters); the check character makes the
weighted sum of all 18 a multiple of 31.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    """The check character of the first 17 characters."""
    total = sum(
        ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True)
    )
    return ALPHABET[(31 - total % 31) % 31]


def normalise_credit_code(value: str) -> str:
    return "".join((value or "").split()).upper()


def is_valid_credit_code(value: str) -> bool:
    code = normalise_credit_code(value)
    if len(code) != 18 or any(char not in ALPHABET for char in code):
        return False
    if not code[2:8].isdigit():
        return False
    return code[17] == check_character(code[:17])


def validate_credit_code(value: str) -> str:
    """The normalised code, or a ValidationError that says what is wrong with it."""
    code = normalise_credit_code(value)
    if len(code) != 18:
        raise ValidationError(
            {"credit_code": _("统一社会信用代码须为 18 位，当前为 %(n)d 位。") % {"n": len(code)}}
        )
    bad = [char for char in code if char not in ALPHABET]
    if bad:
        raise ValidationError(
            {
                "credit_code": _("统一社会信用代码含无效字符“%(chars)s”（不使用 I、O、Z、S、V）。")
                % {"chars": "".join(dict.fromkeys(bad))}
            }
        )
    if not code[2:8].isdigit():
        raise ValidationError(
            {"credit_code": _("统一社会信用代码第 3–8 位须为行政区划代码（数字）。")}
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            {
                "credit_code": _("统一社会信用代码校验位不符：第 18 位应为“%(expected)s”。")
                % {"expected": expected}
            }
        )
    return code
