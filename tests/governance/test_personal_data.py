import io

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from openpyxl import load_workbook

from accounts.models import AuditAction, AuditLog
from accounts.roles import Role

pytestmark = pytest.mark.django_db

PLAIN_ID_PREFIX = "370405"


@pytest.fixture
def staff(make_user):
    return make_user(Role.COMMUNITY_STAFF)


@pytest.fixture
def unmasker(make_user):
    user = make_user(Role.COMMUNITY_STAFF)
    user.user_permissions.add(Permission.objects.get(codename="unmask_personal_data"))
    return type(user).objects.get(pk=user.pk)


def test_stored_values_are_encrypted_and_found_by_hash(people, staff, api_for):
    resident = people["resident"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone FROM governance_resident WHERE id = %s", [resident.pk]
        )
        stored_id, stored_phone = cursor.fetchone()
    assert resident.id_number not in stored_id and "13812345678" not in stored_phone
    rows = api_for(staff).get(f"/api/v1/residents/?q={resident.id_number}").json()["results"]
    assert [row["id"] for row in rows] == [resident.pk]


def test_pages_show_masked_values(people, staff, client):
    client.force_login(staff)
    resident, member = people["resident"], people["member"]
    for url, person, phone in (
        (f"/governance/residents/{resident.pk}/", resident, "138****5678"),
        (f"/governance/households/{people['household'].pk}/", resident, "138****5678"),
        ("/governance/ledgers/residents/", resident, "138****5678"),
        ("/governance/ledgers/members/", member, "139****1111"),
        (f"/governance/members/{member.pk}/", member, "139****1111"),
    ):
        page = client.get(url).content.decode()
        assert person.id_number_masked in page and phone in page, url
        assert person.id_number not in page and person.phone not in page, url


def test_api_shows_masked_values_even_when_unmask_is_asked_without_permission(
    people, staff, api_for
):
    body = api_for(staff).get(f"/api/v1/residents/{people['resident'].pk}/?unmask=1").json()
    assert body["id_number"] == people["resident"].id_number_masked
    assert body["phone"] == "138****5678"
    assert not AuditLog.objects.filter(action=AuditAction.UNMASK).exists()


def test_export_is_masked_with_id_columns_as_text(people, staff, client):
    client.force_login(staff)
    response = client.get("/governance/ledgers/residents/?export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("姓名", "性别", "出生日期", "身份证号", "手机号")
    assert rows[1][3] == people["resident"].id_number_masked and rows[1][4] == "138****5678"
    assert sheet.cell(row=2, column=4).number_format == "@"
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, actor=staff).exists()


def test_admin_lists_and_forms_are_masked(people, make_user, client):
    admin = make_user(Role.DISTRICT_ADMIN, is_staff=True)
    client.force_login(admin)
    resident, member = people["resident"], people["member"]
    for url, person in (
        ("/admin/governance/resident/", resident),
        (f"/admin/governance/resident/{resident.pk}/change/", resident),
        ("/admin/governance/partymember/", member),
        (f"/admin/governance/partymember/{member.pk}/change/", member),
    ):
        page = client.get(url).content.decode()
        assert person.id_number_masked in page, url
        assert person.id_number not in page and person.phone not in page, url


def test_unmasking_needs_the_permission_and_each_view_is_audited(people, unmasker, client, api_for):
    resident = people["resident"]
    client.force_login(unmasker)
    # masked by default, even for a holder of the permission
    assert (
        resident.id_number
        not in client.get(f"/governance/residents/{resident.pk}/").content.decode()
    )
    assert not AuditLog.objects.filter(action=AuditAction.UNMASK).exists()
    # a deliberate unmask shows the value and is audited, on the page and in the API
    page = client.get(f"/governance/residents/{resident.pk}/?unmask=1").content.decode()
    assert resident.id_number in page and "13812345678" in page
    body = api_for(unmasker).get(f"/api/v1/residents/{resident.pk}/?unmask=1").json()
    assert body["id_number"] == resident.id_number
    entries = AuditLog.objects.filter(action=AuditAction.UNMASK, actor=unmasker)
    assert entries.count() == 2
    assert all(entry.object_id == str(resident.pk) for entry in entries)
    assert resident.id_number not in str([entry.detail for entry in entries])


def test_an_unmasked_list_is_one_audit_row_naming_the_rows(people, unmasker, client):
    client.force_login(unmasker)
    page = client.get("/governance/ledgers/residents/?unmask=1").content.decode()
    assert people["resident"].id_number in page
    entry = AuditLog.objects.get(action=AuditAction.UNMASK)
    assert entry.detail["ids"] == [str(people["resident"].pk)]
