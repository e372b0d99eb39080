"""Optimistic concurrency: two people editing one resident (household, grid, need): the second
save, made on the version the first replaced, is refused with what differs, and the first
person's change (a care tag) is kept. Never a silent overwrite."""

import re
from typing import Any

import pytest
from django.test import Client

from accounts.roles import Role
from common.concurrency import StaleEdit
from governance import services
from governance.models import Household, NeedsLedger, Resident
from governance.persons import PersonFields

pytestmark = pytest.mark.django_db


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(resident: Resident, **changes: Any) -> dict[str, Any]:
    data = {
        "name": resident.name,
        "gender": resident.gender,
        "birth_date": resident.birth_date.isoformat() if resident.birth_date else "",
        "id_number": "",
        "phone": "",
        "relation": resident.relation,
        "tags": list(resident.tags),
        "version": resident.version,
    }
    data.update(changes)
    return data


def test_two_people_editing_one_resident_on_the_page(people, make_user):
    resident = people["resident"]
    first, second = make_user(Role.COMMUNITY_STAFF), make_user(Role.COMMUNITY_STAFF)
    url = f"/governance/residents/{resident.pk}/"
    # given both opened the edit form at version 1
    for user in (first, second):
        page = _signed_in(user).get(url).content.decode()
        assert re.search(r'name="version" value="1"', page)
    # when the first adds a care tag and saves
    saved = _signed_in(first).post(url, _form(resident, tags=["living_alone", "subsistence"]))
    assert saved.status_code == 302
    # and the second, on the version they read, changes the name
    late = _signed_in(second).post(url, _form(resident, name="甲户主二"))
    # then the second is told what differs, and nothing of theirs is written
    assert late.status_code == 200
    html = late.content.decode()
    assert "他人已修改并保存了这条记录" in html
    assert "关爱标签：他人保存为“独居老人、低保”，您填写的是“独居老人”" in html
    assert "姓名：他人保存为“甲户主”，您填写的是“甲户主二”" in html
    resident.refresh_from_db()
    assert resident.tags == ["living_alone", "subsistence"]
    assert resident.name == "甲户主"
    assert resident.version == 2


def test_each_save_bumps_the_version_and_a_missing_version_is_refused(people, make_user):
    resident = people["resident"]
    client = _signed_in(make_user(Role.COMMUNITY_STAFF))
    url = f"/governance/residents/{resident.pk}/"
    assert client.post(url, _form(resident, name="新名")).status_code == 302
    resident.refresh_from_db()
    assert resident.version == 2
    assert client.post(url, _form(resident, name="再改")).status_code == 302
    resident.refresh_from_db()
    assert (resident.name, resident.version) == ("再改", 3)
    # a post that does not say which version it edits writes nothing
    without = _form(resident, name="无版本")
    del without["version"]
    assert client.post(url, without).status_code == 200
    resident.refresh_from_db()
    assert resident.name == "再改"


def test_two_people_editing_one_resident_through_the_api(people, make_user, api_for):
    resident = people["resident"]
    first = api_for(make_user(Role.COMMUNITY_STAFF))
    second = api_for(make_user(Role.COMMUNITY_STAFF))
    url = f"/api/v1/residents/{resident.pk}/"
    read = second.get(url).json()
    assert read["version"] == 1
    # given the first adds a care tag
    ok = first.patch(url, {"tags": ["living_alone", "subsistence"], "version": 1}, format="json")
    assert ok.status_code == 200, ok.json()
    assert ok.json()["version"] == 2
    # when the second sends their edit on version 1
    late = second.patch(url, {"tags": ["living_alone"], "phone": "13900000000", "version": 1},
                        format="json")  # fmt: skip
    # then a 409 in the error contract naming the field, and nothing changes
    assert late.status_code == 409
    assert late.json()["code"] == "conflict"
    assert "关爱标签：他人保存为“独居老人、低保”" in late.json()["detail"]
    resident.refresh_from_db()
    assert resident.tags == ["living_alone", "subsistence"] and resident.phone == "13812345678"
    # and a PATCH without a version is a 400
    assert second.patch(url, {"name": "x"}, format="json").status_code == 400
    # an edit on the current version goes through
    fresh = second.patch(url, {"name": "甲户主", "version": 2}, format="json")
    assert fresh.status_code == 200 and fresh.json()["version"] == 3


def test_a_resident_of_another_community_cannot_be_patched(people, make_user, api_for):
    client = api_for(make_user(Role.COMMUNITY_STAFF))
    other = people["other_resident"]
    response = client.patch(f"/api/v1/residents/{other.pk}/", {"version": 1}, format="json")
    assert response.status_code == 404


def test_a_stale_household_edit_is_refused(people, make_user, api_for):
    home: Household = people["household"]
    client = api_for(make_user(Role.COMMUNITY_STAFF))
    url = f"/api/v1/households/{home.pk}/"
    assert client.patch(url, {"note": "独居", "version": 1}, format="json").status_code == 200
    late = client.patch(url, {"note": "空巢", "version": 1}, format="json")
    assert (
        late.status_code == 409
        and "备注：他人保存为“独居”，您填写的是“空巢”" in late.json()["detail"]
    )
    home.refresh_from_db()
    assert (home.note, home.version) == ("独居", 2)


def test_a_stale_member_edit_is_refused(people, make_user):
    member = people["member"]
    staff = make_user(Role.COMMUNITY_STAFF)
    person = PersonFields(name=member.name, gender=member.gender, id_number=member.id_number)
    fields = services.MemberFields(employer="区住建局", household=member.household)
    services.member_update(actor=staff, party_member=member, org=member.org, person=person,
                           member=fields, is_active=True, seen_version=1)  # fmt: skip
    with pytest.raises(StaleEdit) as refused:
        services.member_update(
            actor=staff, party_member=member, org=member.org, person=person,
            member=services.MemberFields(employer="别处"), is_active=True, seen_version=1,
        )  # fmt: skip
    assert "工作单位：他人保存为“区住建局”，您填写的是“别处”" in str(refused.value.message)
    member.refresh_from_db()
    assert (member.employer, member.version) == ("区住建局", 2)


def test_taking_a_need_bumps_its_version_and_a_stale_take_is_refused(people, make_user, api_for):
    need: NeedsLedger = people["need"]
    client = api_for(make_user(Role.COMMUNITY_STAFF))
    stale = client.post(f"/api/v1/needs/{need.pk}/take/", {"version": 7}, format="json")
    assert stale.status_code == 409
    taken = client.post(f"/api/v1/needs/{need.pk}/take/", {"version": 1}, format="json")
    assert taken.status_code == 200 and taken.json()["version"] == 2
