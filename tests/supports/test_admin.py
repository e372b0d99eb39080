import pytest

from accounts.roles import Role

from .factories import budget, centre, problem

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "servicecentre",
    "roombooking",
    "servicerecord",
    "checklistitem",
    "checklistresult",
    "studio",
    "studiomember",
    "studiosession",
    "difficultproblem",
    "fundbudget",
    "fundspending",
    "staffquota",
    "recruitmentround",
    "recruitmentpost",
    "applicant",
    "appraisal",
    "promotion",
]


@pytest.mark.parametrize("model", CHANGELISTS)
def test_every_changelist_opens_for_the_district_admin(client, make_user, tree, model):
    centre(tree["community"])
    budget(tree["community"])
    problem(tree["community"])
    client.force_login(make_user(Role.DISTRICT_ADMIN, is_staff=True))
    assert client.get(f"/admin/supports/{model}/").status_code == 200


def test_the_admin_is_scoped_like_the_pages(client, make_user, tree):
    ours = budget(tree["community"])
    theirs = budget(tree["other_community"])
    client.force_login(make_user(Role.COMMUNITY_STAFF, is_staff=True))
    page = client.get("/admin/supports/fundbudget/").content.decode()
    assert f"/admin/supports/fundbudget/{ours.pk}/" in page
    assert f"/admin/supports/fundbudget/{theirs.pk}/" not in page
    assert client.get(f"/admin/supports/fundbudget/{ours.pk}/change/").status_code == 200
    assert (
        client.post(f"/admin/supports/fundbudget/{ours.pk}/change/", {"amount": "1"}).status_code
        == 403
    )


def test_a_checklist_item_change_in_the_admin_is_audited(client, make_user, tree):
    from accounts.models import AuditLog

    client.force_login(make_user(Role.DISTRICT_ADMIN, is_staff=True))
    response = client.post(
        "/admin/supports/checklistitem/add/",
        {
            "code": "A01",
            "section": "阵地设置",
            "title": "有统一标识",
            "points": "10",
            "levels": "community,street",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert AuditLog.objects.filter(detail__event="checklist.item").count() == 1
