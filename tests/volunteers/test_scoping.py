"""Scoping: a community sees its own, a street its subtree, a department liaison their unit's
check-ins, projects and members (and no resident); anything else is a 404."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from volunteers import services

from . import factories

pytestmark = pytest.mark.django_db


def _photo() -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    return SimpleUploadedFile("现场.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def sibling(tree, other_unit):
    """Rows of the other community, led by a unit the liaison does not belong to."""
    project = factories.project(tree["other_community"], other_unit)
    checkin = project.lead_department.checkins.get()
    member = factories.member(tree["other_community"])
    evidence = services.evidence_add(actor=None, project=project, upload=_photo())
    return {"project": project, "checkin": checkin, "member": member, "evidence": evidence}


@pytest.mark.parametrize(
    "url",
    [
        "/volunteers/projects/{project}/",
        "/volunteers/checkins/{checkin}/",
        "/volunteers/members/{member}/",
        "/volunteers/evidence/{evidence}/",
        "/api/v1/cobuild-projects/{project}/",
        "/api/v1/unit-checkins/{checkin}/",
        "/api/v1/member-checkins/{member}/",
    ],
)
@pytest.mark.parametrize("role", ["community_staff", "department_liaison"])
def test_a_sibling_communitys_rows_are_404(client, make_user, sibling, url, role):
    client.force_login(make_user(role))
    ids = {key: value.pk for key, value in sibling.items()}
    assert client.get(url.format(**ids)).status_code == 404


def test_the_street_sees_its_subtree_only(client, make_user, tree, unit, sibling):
    mine = factories.project(tree["community"], unit)
    client.force_login(make_user("street_staff"))
    assert client.get(f"/volunteers/projects/{mine.pk}/").status_code == 200
    assert client.get(f"/volunteers/projects/{sibling['project'].pk}/").status_code == 404


def test_evidence_is_served_to_who_sees_the_project(client, make_user, tree, sibling):
    client.force_login(make_user("community_staff", "other_community"))
    response = client.get(f"/volunteers/evidence/{sibling['evidence'].pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    thumb = client.get(f"/volunteers/evidence/{sibling['evidence'].pk}/thumb/")
    assert thumb["Content-Type"] == "image/jpeg"


def test_a_liaison_sees_their_units_checkins_projects_and_members_anywhere(
    api_for, make_user, tree, unit, sibling
):
    # given: the liaison's unit leads a project in the other community and has an employee
    # checked in there; another unit's project is in the same community
    led = factories.project(tree["other_community"], unit)
    employee = factories.member(tree["other_community"], employer=unit.name)
    client = api_for(make_user("department_liaison"))
    # then
    projects = client.get("/api/v1/cobuild-projects/").json()["results"]
    assert [p["id"] for p in projects] == [led.pk]
    checkins = client.get("/api/v1/unit-checkins/").json()["results"]
    assert {c["department"] for c in checkins} == {unit.pk}
    members = client.get("/api/v1/member-checkins/").json()["results"]
    assert [m["id"] for m in members] == [employee.pk]
    # the needs it sees are those of its projects only; residents none at all
    needs = client.get("/api/v1/cobuild-needs/").json()["results"]
    assert {n["id"] for n in needs} == set(led.needs.values_list("id", flat=True))
    assert client.get("/api/v1/residents/").status_code in (403, 200)
    residents = client.get("/api/v1/residents/")
    if residents.status_code == 200:
        assert residents.json()["results"] == []


def test_a_partner_unit_sees_the_project_too(api_for, make_user, tree, unit, other_unit):
    factories.checkin(unit, tree["other_community"])
    project = factories.project(tree["other_community"], other_unit, partners=[unit])
    client = api_for(make_user("department_liaison"))
    assert client.get(f"/api/v1/cobuild-projects/{project.pk}/").status_code == 200


def test_a_member_phone_page_shows_only_their_own_tasks_without_login(client, tree):
    member = factories.member(tree["community"], name="王报到")
    services.task_assign(actor=None, checkin=member, kind="post", title="先锋岗值守",
                         scheduled_on=member.registered_on)  # fmt: skip
    other = factories.member(tree["community"], name="李别人")
    services.task_assign(actor=None, checkin=other, kind="post", title="别人的任务",
                         scheduled_on=other.registered_on)  # fmt: skip
    page = client.get(f"/volunteers/m/{member.access_token}/").content.decode()
    assert "先锋岗值守" in page and "别人的任务" not in page
    assert client.get("/volunteers/m/not-a-token/").status_code == 404


def test_the_security_admin_and_property_staff_are_kept_out(client, make_user):
    for role in ("security_admin", "property_staff"):
        client.force_login(make_user(role))
        assert client.get("/volunteers/").status_code == 403
