"""Mainland resident ID numbers (GB 11643): format, birth date, gender and check digit."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_FORMAT = re.compile(r"^\d{17}[\dX]$")
_PHONE = re.compile(r"^1[3-9]\d{9}$")


def check_digit(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def make_id_number(area_code: str, birth: date, sequence: int) -> str:
    """A valid-format ID number: 6-digit area code, birth date, 3-digit sequence, check digit.
    An odd sequence is a man, an even one a woman."""
    first17 = f"{area_code[:6]}{birth:%Y%m%d}{sequence % 1000:03d}"
    return first17 + check_digit(first17)


def normalise_id_number(value: str) -> str:
    return "".join(value.split()).upper()


def parse_id_number(value: str) -> tuple[date, str]:
    """Validate an 18-digit ID number; return its birth date and gender ("M" or "F")."""
    value = normalise_id_number(value)
    if not _FORMAT.match(value):
        raise ValidationError(_("身份证号须为 18 位（最后一位可为 X）。"))
    try:
        birth = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(_("身份证号中的出生日期无效。")) from None
    if birth > date.today() or birth.year < 1900:
        raise ValidationError(_("身份证号中的出生日期无效。"))
    if check_digit(value[:17]) != value[17]:
        raise ValidationError(_("身份证号校验位不正确。"))
    return birth, "M" if int(value[16]) % 2 else "F"


def normalise_phone(value: str) -> str:
    value = "".join(ch for ch in value if ch.isdigit())
    if not _PHONE.match(value):
        raise ValidationError(_("手机号须为 11 位数字、以 1 开头。"))
    return value
