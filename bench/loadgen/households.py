"""Households and the people in them: residents with encrypted ID numbers and phones (and
their blind indexes), party members (the same persons), and the needs ledger."""

from __future__ import annotations

import time
from datetime import date, datetime
from typing import NamedTuple

from accounts.personal_data import blind_index, encrypt
from governance.models import (
    Household,
    MemberStatus,
    NeedKind,
    NeedsLedger,
    NeedStatus,
    PartyMember,
    RelationToHead,
    Resident,
    VulnerableTag,
)

from .copying import NULL
from .district import Loader
from .names import EMPLOYERS, NEED_TEXTS
from .plan import DAY, END_DATE, HOUR


class Person(NamedTuple):
    name: str
    gender: str
    birth: date
    id_number: str
    phone: str
    relation: str


def load_households(loader: Loader, counts: dict[str, int]) -> None:
    rng, t, people, clock = loader.rng, loader.territory, loader.people, loader.clock
    end_year = END_DATE.year
    households = loader.writer(
        Household,
        [
            "id",
            "building",
            "area_path",
            "unit",
            "room",
            "head_name",
            "note",
            "is_active",
            "created_at",
            "updated_at",
        ],
    )
    residents = loader.writer(
        Resident,
        [
            "id",
            "household",
            "area_path",
            "name",
            "gender",
            "birth_date",
            "relation",
            "tags",
            "is_active",
            "created_at",
            "id_number",
            "id_number_hash",
            "phone",
            "phone_hash",
        ],
    )
    members = loader.writer(
        PartyMember,
        [
            "id",
            "name",
            "gender",
            "birth_date",
            "org",
            "area_path",
            "household",
            "status",
            "joined_on",
            "employer",
            "household_plaque",
            "model_post",
            "is_active",
            "created_at",
            "id_number",
            "id_number_hash",
            "phone",
            "phone_hash",
        ],
    )
    needs = loader.writer(
        NeedsLedger,
        [
            "id",
            "household",
            "area_path",
            "kind",
            "description",
            "status",
            "taken_by",
            "result",
            "raised_on",
            "taken_on",
            "done_on",
            "created_by",
            "created_at",
        ],
    )
    started = time.perf_counter()
    households.progress = lambda n: (
        f"    … households {n:,} / {loader.plan.households:,}, residents {residents.count:,}"
        f" ({time.perf_counter() - started:.0f} s)"
    )
    member_households = set(rng.sample(range(loader.plan.households), loader.plan.party_members))
    registered = clock.of(datetime(2023, 3, 1, 9, tzinfo=loader.tz))
    end_day = END_DATE.toordinal()
    first_ordinal = clock.first.toordinal()
    household_id = resident_id = member_id = need_id = 0
    need_kinds = NeedKind.values

    def person(gender: str, first: int, last: int, relation: str) -> Person:
        name = people.name(gender)
        birth = people.birth(first, last)
        phone = people.phone() if end_year - birth.year >= 18 else ""
        return Person(name, gender, birth, people.id_number(birth, gender), phone, relation)

    for building, n in zip(t.buildings, t.households_per_building, strict=True):
        assert building.parent is not None
        floors = 6 if n <= 24 else 11 if n <= 44 else 18
        org_id, org_path = (building.org_id, building.org_path)
        if org_id is None:
            org_id, org_path = building.parent.org_id, building.parent.org_path
        for k in range(n):
            unit, place = divmod(k, floors * 2)
            floor, door = divmod(place, 2)
            index = household_id
            household_id += 1
            created = clock.text(registered + int(rng.random() * 300 * DAY))
            head_gender = "M" if rng.random() < 0.62 else "F"
            head = person(head_gender, 1938, 2000, RelationToHead.HEAD)
            households.add(
                str(household_id),
                str(building.id),
                building.path,
                str(unit + 1),
                f"{floor + 1}{door + 1:02d}",
                head.name,
                "",
                "t",
                created,
                created,
            )
            family = [head]
            year = head.birth.year
            if rng.random() < 0.72 and end_year - year >= 24:
                spouse_gender = "F" if head_gender == "M" else "M"
                family.append(
                    person(spouse_gender, year - 3, min(year + 3, 2000), RelationToHead.SPOUSE)
                )
            if end_year - year < 65:
                for _child in range(rng.choice((0, 1, 1, 2))):
                    first = max(year + 22, 1965)
                    if first > end_year - 1:
                        break
                    last = min(first + 16, end_year - 1)
                    family.append(person(rng.choice("MF"), first, last, RelationToHead.CHILD))
            for member in family:
                resident_id += 1
                relation, years = member.relation, end_year - member.birth.year
                tags: list[str] = []
                if relation == RelationToHead.HEAD:
                    if years >= 70 and len(family) == 1 and rng.random() < 0.5:
                        tags.append(VulnerableTag.LIVING_ALONE)
                    elif years >= 65 and len(family) == 2 and rng.random() < 0.3:
                        tags.append(VulnerableTag.EMPTY_NEST)
                    if rng.random() < 0.03:
                        tags.append(VulnerableTag.SUBSISTENCE)
                    if rng.random() < 0.015:
                        tags.append(VulnerableTag.SEVERE_DISABILITY)
                    if rng.random() < 0.02:
                        tags.append(VulnerableTag.RETIRED_SOLDIER)
                elif relation == RelationToHead.CHILD and years < 16 and rng.random() < 0.06:
                    tags.append(VulnerableTag.LEFT_BEHIND_CHILD)
                residents.add(
                    str(resident_id),
                    str(household_id),
                    building.path,
                    member.name,
                    member.gender,
                    member.birth.isoformat(),
                    relation,
                    "{" + ",".join(tags) + "}",
                    "t",
                    created,
                    encrypt(member.id_number),
                    blind_index(member.id_number),
                    encrypt(member.phone) if member.phone else "",
                    blind_index(member.phone),
                )
            if index in member_households:
                # The head (or the spouse) is the party member: the same person, with the
                # same ID number and phone (encrypted afresh, as the service would).
                who = family[1] if len(family) > 1 and rng.random() < 0.3 else family[0]
                member_id += 1
                if rng.random() < 0.04:
                    member_status, joined = (
                        MemberStatus.PROBATIONARY,
                        end_day - 30 - int(rng.random() * 300),
                    )
                else:
                    member_status = MemberStatus.FULL
                    joined = who.birth.toordinal() + int((20 + rng.random() * 30) * 365.25)
                    joined = min(joined, end_day - 400)
                in_service = end_year - who.birth.year < 60
                members.add(
                    str(member_id),
                    who.name,
                    who.gender,
                    who.birth.isoformat(),
                    str(org_id),
                    str(org_path),
                    str(household_id),
                    member_status,
                    date.fromordinal(joined).isoformat(),
                    EMPLOYERS[int(rng.random() * len(EMPLOYERS))] if in_service else "",
                    "t" if rng.random() < 0.6 else "f",
                    "t" if rng.random() < 0.12 else "f",
                    "t",
                    created,
                    encrypt(who.id_number),
                    blind_index(who.id_number),
                    encrypt(who.phone) if who.phone else "",
                    blind_index(who.phone),
                )
            if rng.random() < 0.02:
                need_id += 1
                kind = need_kinds[int(rng.random() * len(need_kinds))]
                raised = end_day - 1 - int(rng.random() * 365)
                status = rng.choice(
                    (NeedStatus.OPEN, NeedStatus.TAKEN, NeedStatus.DONE, NeedStatus.DONE)
                )
                taken = status != NeedStatus.OPEN
                done = status == NeedStatus.DONE
                needs.add(
                    str(need_id),
                    str(household_id),
                    building.path,
                    kind,
                    rng.choice(NEED_TEXTS[kind]),
                    status,
                    "社区网格员" if taken else "",
                    "已上门办理，居民满意" if done else "",
                    date.fromordinal(raised).isoformat(),
                    date.fromordinal(min(raised + 1, end_day)).isoformat() if taken else NULL,
                    date.fromordinal(min(raised + 5, end_day)).isoformat() if done else NULL,
                    NULL,
                    clock.text((raised - first_ordinal) * DAY + 2 * HOUR),
                )
    for writer in (households, residents, members, needs):
        writer.flush()
    counts["households"] = households.count
    counts["residents"] = residents.count
    counts["party members"] = members.count
    counts["needs"] = needs.count
