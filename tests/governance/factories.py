"""Governance data for tests, built through the services so levels, paths and the
denormalised copies are real."""

from datetime import date, timedelta
from itertools import count
from typing import Any

from governance import services
from governance.idcard import make_id_number
from governance.models import (
    Area,
    AreaLevel,
    Household,
    NeedKind,
    NeedsLedger,
    PartyMember,
    PartyOrg,
    PartyOrgKind,
    RelationToHead,
    Resident,
)
from governance.services import MemberFields, PersonFields, area_create

_codes = count(1)


def area(parent: Area | None, level: str, name: str | None = None) -> Area:
    if parent is not None:
        parent.refresh_from_db()
    number = next(_codes)
    return area_create(
        actor=None,
        parent=parent,
        name=name or f"{AreaLevel(level).label}{number}",
        level=level,
        code=f"9{number:011d}",
    )


_people = count(1)


def id_number(birth: date | None = None, male: bool = True) -> str:
    """A valid-format ID number, different on every call."""
    n = next(_people)
    return make_id_number("370405", birth or date(1960, 1, 1) + timedelta(days=n), n * 2 + male)


def building_in(estate: Area, name: str | None = None) -> Area:
    return area(estate, AreaLevel.BUILDING, name)


def household(building: Area, room: str | None = None, unit: str = "1") -> Household:
    return services.household_create(
        actor=None, building=building, unit=unit, room=room or f"{next(_people):04d}"
    )


def resident(
    home: Household,
    name: str = "张三",
    relation: str = RelationToHead.HEAD,
    tags: tuple[str, ...] = (),
    phone: str = "13812345678",
    **extra: Any,
) -> Resident:
    person = PersonFields(name=name, id_number=extra.pop("id_number", id_number()), phone=phone)
    return services.resident_create(
        actor=None, household=home, person=person, relation=relation, tags=tags
    )


def org(
    area_: Area, kind: str = PartyOrgKind.COMMITTEE, parent: PartyOrg | None = None, **extra: Any
) -> PartyOrg:
    if parent is not None:
        parent.refresh_from_db()
    return services.party_org_create(
        actor=None,
        parent=parent,
        name=extra.pop("name", f"{area_.name}{PartyOrgKind(kind).label}{next(_people)}"),
        kind=kind,
        area=area_,
        **extra,
    )


def member(org_: PartyOrg, name: str = "李党员", home: Household | None = None) -> PartyMember:
    return services.member_create(
        actor=None,
        org=org_,
        person=PersonFields(name=name, id_number=id_number(), phone="13900001111"),
        member=MemberFields(household=home, household_plaque=home is not None),
    )


def need(home: Household, description: str = "楼道灯不亮") -> NeedsLedger:
    return services.need_create(
        actor=None, household=home, kind=NeedKind.PROPERTY, description=description, raised_on=None
    )
