"""A person's fields as a form or an import row gives them, and their check: the services
and the Excel import both use it."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.personal_data import blind_index

from .idcard import normalise_phone, parse_id_number


@dataclass
class PersonFields:
    """What a form or an import row says about a person, before validation."""

    name: str
    gender: str = ""
    birth_date: date | None = None
    id_number: str = ""
    phone: str = ""


def clean_person(person: PersonFields) -> dict[str, Any]:
    """Validate a person's fields; the ID number fills in (and must agree with) the gender and
    the birth date. Returns model field values, hashes included."""
    name = person.name.strip()
    if not name:
        raise ValidationError(_("请填写姓名。"))
    gender, birth_date = person.gender, person.birth_date
    id_number = "".join(person.id_number.split()).upper()
    if id_number:
        id_birth, id_gender = parse_id_number(id_number)
        if birth_date and birth_date != id_birth:
            raise ValidationError(_("出生日期与身份证号不一致。"))
        if gender and gender != id_gender:
            raise ValidationError(_("性别与身份证号不一致。"))
        birth_date, gender = id_birth, id_gender
    if gender not in ("M", "F"):
        raise ValidationError(_("请填写性别。"))
    phone = normalise_phone(person.phone) if person.phone.strip() else ""
    return {
        "name": name,
        "gender": gender,
        "birth_date": birth_date,
        "id_number": id_number,
        "id_number_hash": blind_index(id_number),
        "phone": phone,
        "phone_hash": blind_index(phone),
    }
