"""The supports API: scoped lists with constant queries, sibling 404s, the error contract."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.roles import Role
from supports.services import careers
from tests.governance.factories import id_number
from tests.grids.factories import worker

from . import test_pages as pages
from .factories import budget, centre, problem, room, round_, slot

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    ("/api/v1/service-centres/", pages.make_centres),
    ("/api/v1/room-bookings/", pages.make_bookings),
    ("/api/v1/service-records/", pages.make_records),
    ("/api/v1/service-counts/", pages.make_records),
    ("/api/v1/studio-sessions/", pages.make_sessions),
    ("/api/v1/studio-problems/", pages.make_problems),
    ("/api/v1/fund-budgets/", pages.make_budgets),
    ("/api/v1/fund-spendings/", pages.make_spendings),
    ("/api/v1/fund-checks/", pages.make_budgets),
    ("/api/v1/worker-roster/", pages.make_roster),
    ("/api/v1/recruitment-rounds/", pages.make_rounds),
    ("/api/v1/worker-appraisals/", pages.make_appraisals),
    ("/api/v1/worker-promotions/", pages.make_promotions),
]


@pytest.mark.parametrize(("url", "make"), ENDPOINTS, ids=[url for url, _make in ENDPOINTS])
def test_list_endpoints_use_the_same_number_of_queries_for_2_and_20_rows(
    api_for, make_user, tree, count_queries, url, make
):
    client = api_for(make_user(Role.DISTRICT_ADMIN))
    url += "?page_size=50"
    make(tree, 2)
    client.get(url)  # the first request loads the caller's grants; they are then cached
    few = count_queries(client, url)
    make(tree, 18)
    assert count_queries(client, url) == few
    body = client.get(url).json()
    rows = body["results"] if isinstance(body, dict) else body
    if "service-counts" in url:  # one place and month, twenty services
        assert rows[0]["total"] == 20
    else:
        assert len(rows) >= 20


def test_the_api_root_lists_the_supports_endpoints(api_for, make_user):
    body = api_for(make_user(Role.DISTRICT_LEADER)).get("/api/v1/").json()
    for name in ("service-centres", "studio-problems", "fund-budgets", "worker-roster"):
        assert name in body


def test_the_schema_describes_the_supports_endpoints(api_for, make_user):
    response = api_for(make_user(Role.DISTRICT_ADMIN)).get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/studio-problems/{id}/transitions/" in response.content


def test_objects_of_a_sibling_community_are_404(api_for, make_user, tree):
    theirs = tree["other_community"]
    client = api_for(make_user(Role.COMMUNITY_STAFF))
    target = budget(theirs)
    item = problem(theirs)
    place = centre(theirs)
    assert client.get(f"/api/v1/studio-problems/{item.pk}/").status_code == 404
    assert client.get(f"/api/v1/fund-budgets/{target.pk}/").status_code == 404
    assert client.get(f"/api/v1/service-centres/{place.pk}/").status_code == 404
    spending = client.post(
        "/api/v1/fund-spendings/",
        {
            "budget": target.pk,
            "spent_on": "2026-01-01",
            "purpose": "care",
            "description": "x",
            "amount": "1",
            "approver": "x",
        },
        format="json",
    )
    assert spending.status_code == 404
    start, end = slot()
    booking = client.post(
        "/api/v1/room-bookings/",
        {
            "room": room(place).pk,
            "title": "x",
            "starts_at": start.isoformat(),
            "ends_at": end.isoformat(),
        },
        format="json",
    )
    assert booking.status_code == 404


def test_spending_over_budget_is_a_400_on_the_amount(api_for, make_user, tree):
    target = budget(tree["community"], amount="500")
    client = api_for(make_user(Role.COMMUNITY_STAFF))
    day = min(timezone.localdate(), date(target.year, 1, 2)).isoformat()
    response = client.post(
        "/api/v1/fund-spendings/",
        {
            "budget": target.pk,
            "spent_on": day,
            "purpose": "care",
            "description": "慰问",
            "amount": "600",
            "approver": "李主任",
        },
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "超出预算" in body["fields"]["amount"][0]
    ok = client.post(
        "/api/v1/fund-spendings/",
        {
            "budget": target.pk,
            "spent_on": day,
            "purpose": "care",
            "description": "慰问",
            "amount": "500",
            "approver": "李主任",
        },
        format="json",
    )
    assert ok.status_code == 201
    listed = client.get("/api/v1/fund-budgets/").json()["results"][0]
    assert Decimal(listed["left"]) == 0 and listed["below_standard"] is True


def test_a_double_booking_is_a_409(api_for, make_user, tree):
    hall = room(centre(tree["community"]))
    start, end = slot()
    client = api_for(make_user(Role.GRID_WORKER))
    body = {
        "room": hall.pk,
        "title": "会议",
        "starts_at": start.isoformat(),
        "ends_at": end.isoformat(),
    }
    assert client.post("/api/v1/room-bookings/", body, format="json").status_code == 201
    second = client.post("/api/v1/room-bookings/", body, format="json")
    assert second.status_code == 409
    assert second.json()["code"] == "conflict"


def test_problem_transitions_follow_the_table(api_for, make_user, tree):
    item = problem(tree["community"])
    url = f"/api/v1/studio-problems/{item.pk}/transitions/"
    community = api_for(make_user(Role.COMMUNITY_STAFF))
    assert community.post(url, {"action": "accept"}, format="json").status_code == 403
    street = api_for(make_user(Role.STREET_STAFF))
    assert street.post(url, {"action": "solve", "note": "x"}, format="json").status_code == 409
    assert street.post(url, {"action": "accept"}, format="json").status_code == 200
    bad = street.post(url, {"action": "advise"}, format="json")
    assert bad.status_code == 400 and "advice" in bad.json()["fields"]
    done = street.post(url, {"action": "advise", "advice": "分类施策"}, format="json")
    assert done.json()["state"] == "advised"


def test_a_stale_centre_edit_is_a_409(api_for, make_user, tree):
    place = centre(tree["community"])
    client = api_for(make_user(Role.COMMUNITY_STAFF))
    seen = client.get(f"/api/v1/service-centres/{place.pk}/").json()["updated_at"]
    url = f"/api/v1/service-centres/{place.pk}/"
    assert (
        client.patch(url, {"address": "一号", "updated_at": seen}, format="json").status_code == 200
    )
    assert (
        client.patch(url, {"address": "二号", "updated_at": seen}, format="json").status_code == 409
    )


def test_applicants_are_masked_and_hired_through_the_api(api_for, make_user, tree):
    careers.quota_set(actor=None, community=tree["community"], post="staff", quota=2)
    batch = round_()
    position = careers.position_add(
        actor=None, round=batch, community=tree["community"], post="staff", openings=1
    )
    client = api_for(make_user(Role.STREET_STAFF))
    number = id_number()
    created = client.post(
        "/api/v1/recruitment-applicants/",
        {
            "position": position.pk,
            "name": "王新",
            "gender": "M",
            "id_number": number,
            "education": "bachelor",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["id_number"] != number and "*" in body["id_number"]
    careers.round_advance(actor=None, round=batch, state="examining")
    url = f"/api/v1/recruitment-applicants/{body['id']}/"
    assert (
        client.post(
            url + "score/", {"written_score": "88", "interview_score": "90"}, format="json"
        ).status_code
        == 200
    )
    assert client.post(url + "decide/", {"result": "passed"}, format="json").status_code == 200
    assert (
        client.post(
            url + "hire/", {"hired_on": timezone.localdate().isoformat()}, format="json"
        ).status_code
        == 409
    )
    careers.round_advance(actor=None, round=batch, state="published")
    hired = client.post(
        url + "hire/", {"hired_on": timezone.localdate().isoformat()}, format="json"
    )
    assert hired.status_code == 200 and hired.json()["result"] == "hired"


def test_funds_are_403_for_a_grid_worker(api_for, make_user, tree):
    budget(tree["community"])
    assert api_for(make_user(Role.GRID_WORKER)).get("/api/v1/fund-budgets/").status_code == 403


def test_a_promotion_through_the_api_needs_last_years_appraisal(api_for, make_user, tree):
    person = worker(tree["community"], grade=2, hired_on=date(2020, 1, 1))
    client = api_for(make_user(Role.STREET_STAFF))
    body = {
        "worker": person.pk,
        "to_post": "staff",
        "to_grade": 3,
        "effective_on": timezone.localdate().isoformat(),
    }
    refused = client.post("/api/v1/worker-promotions/", body, format="json")
    assert refused.status_code == 400 and "effective_on" in refused.json()["fields"]
    client.post(
        "/api/v1/worker-appraisals/",
        {"worker": person.pk, "year": timezone.localdate().year - 1, "result": "competent"},
        format="json",
    )
    assert client.post("/api/v1/worker-promotions/", body, format="json").status_code == 201
