"""The cases API and Open311 GeoReport v2."""

import pytest
from rest_framework.test import APIClient

from cases.models import Case, CaseState
from tests.accounts.factories import open311_client_key

pytestmark = pytest.mark.django_db


def test_report_list_and_read_a_case(api_for, people, tree, cat):
    client = api_for(people["grid"])
    response = client.post(
        "/api/v1/cases/",
        {"category": cat.pk, "area": tree["estate"].pk, "title": "井盖缺失",
         "description": "人行道井盖缺失", "contact_phone": "13812345678"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "reported" and body["contact_phone"] == "138****5678"
    listed = client.get("/api/v1/cases/").json()
    assert [c["number"] for c in listed["results"]] == [body["number"]]
    assert client.get(f"/api/v1/cases/{body['id']}/").json()["title"] == "井盖缺失"


def test_a_report_outside_the_scope_is_a_400_and_stores_nothing(api_for, people, tree, cat):
    response = api_for(people["grid"]).post(
        "/api/v1/cases/",
        {"category": cat.pk, "area": tree["other_estate"].pk, "title": "x", "description": "y"},
        format="json",
    )
    assert response.status_code == 400
    assert "area" in response.json()["fields"]
    assert not Case.objects.exists()


def test_transitions_answer_200_403_404_409(new_case, api_for, people):
    case = new_case()
    url = f"/api/v1/cases/{case.pk}/transitions/"
    assert api_for(people["other_community"]).post(url, {"action": "accept"}).status_code == 404
    assert api_for(people["grid"]).post(url, {"action": "accept"}).status_code == 403
    ok = api_for(people["community"]).post(url, {"action": "accept", "note": "受理"}, format="json")
    assert ok.status_code == 200 and ok.json()["state"] == "accepted"
    again = api_for(people["community"]).post(url, {"action": "accept"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "conflict"
    bad = api_for(people["community"]).post(url, {"action": "escalate"}, format="json")
    assert bad.status_code == 400 and "note" in bad.json()["fields"]
    unknown = api_for(people["community"]).post(url, {"action": "fly"}, format="json")
    assert unknown.status_code == 400


def test_dispatch_through_the_api_and_read_the_timeline(new_case, api_for, people, department):
    case = new_case()
    client = api_for(people["community"])
    url = f"/api/v1/cases/{case.pk}/transitions/"
    client.post(url, {"action": "accept"}, format="json")
    response = client.post(
        url,
        {"action": "dispatch", "lead": f"department:{department.pk}",
         "cooperating": [f"company:{people['property'].grants.get().company_id}"],
         "person": people["dept"].username},
        format="json",
    )  # fmt: skip
    assert response.status_code == 200, response.json()
    roles = sorted((a["role"], a["unit"]) for a in response.json()["assignments"])
    assert roles == [("cooperating", "测试物业"), ("lead", "区住建局")]
    timeline = api_for(people["dept"]).get(f"/api/v1/cases/{case.pk}/timeline/").json()
    assert [e["action"] for e in timeline] == ["report", "accept", "dispatch"]
    assert (
        api_for(people["other_street"]).get(f"/api/v1/cases/{case.pk}/timeline/").status_code == 404
    )
    # the property company cooperates: it sees the case now
    assert api_for(people["property"]).get(f"/api/v1/cases/{case.pk}/").status_code == 200


def test_a_case_is_edited_before_handling_only(new_case, api_for, people):
    case = new_case()
    client = api_for(people["community"])
    response = client.patch(f"/api/v1/cases/{case.pk}/", {"title": "新标题"}, format="json")
    assert response.status_code == 200 and response.json()["title"] == "新标题"
    assert (
        api_for(people["other_community"])
        .patch(f"/api/v1/cases/{case.pk}/", {"title": "x"}, format="json")
        .status_code
        == 404
    )
    assert client.delete(f"/api/v1/cases/{case.pk}/").status_code == 405


def test_list_filters_queue_and_sibling_scope(new_case, api_for, people):
    mine = new_case()
    theirs = new_case("other_estate")
    client = api_for(people["community"])
    numbers = [c["number"] for c in client.get("/api/v1/cases/").json()["results"]]
    assert numbers == [mine.number]
    assert client.get(f"/api/v1/cases/{theirs.pk}/").status_code == 404
    assert client.get("/api/v1/cases/", {"state": "closed"}).json()["count"] == 0
    assert client.get("/api/v1/cases/", {"state": "nope"}).status_code == 400
    queue = client.get("/api/v1/cases/queue/").json()
    assert [c["number"] for c in queue["results"]] == [mine.number]
    everyone = api_for(people["leader"]).get("/api/v1/cases/").json()
    assert everyone["count"] == 2


@pytest.mark.parametrize("url", ["/api/v1/cases/", "/api/v1/cases/queue/"])
def test_api_lists_make_the_same_number_of_queries_for_2_and_20(
    new_case, api_for, people, url, count_queries
):
    client = api_for(people["community"])
    for _ in range(2):
        new_case()
    client.get(url)  # the forced user keeps its loaded grants between requests: warm up
    few = count_queries(client, url)
    for _ in range(18):
        new_case()
    assert count_queries(client, url) == few


def test_categories_and_calendar(api_for, people, cat):
    client = api_for(people["grid"])
    names = [c["name"] for c in client.get("/api/v1/case-categories/").json()["results"]]
    assert "垃圾堆放" in names
    days = client.get("/api/v1/work-calendar/", {"year": 2026, "page_size": 200}).json()
    make_up = [d["date"] for d in days["results"] if d["is_working_day"]]
    assert make_up == [
        "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
    ]  # fmt: skip
    assert api_for(people["auditor"]).get("/api/v1/cases/").status_code == 403


def test_notifications_api(new_case, api_for, people):
    new_case()
    client = api_for(people["community"])
    assert client.get("/api/v1/case-notifications/").json()["count"] == 1
    assert client.post("/api/v1/case-notifications/read/").json() == {"marked": 1}


# --- Open311 GeoReport v2 ---------------------------------------------------------------------


def test_an_open311_request_is_filed_and_read_back(people, tree, cat):
    key = open311_client_key(people["community"])
    client = APIClient()
    services = client.get("/open311/v2/services.json").json()
    assert {"service_code": cat.code, "service_name": "垃圾堆放"}.items() <= services[0].items()
    # when an outside app files a request
    response = client.post(
        "/open311/v2/requests.json",
        {"api_key": key, "service_code": cat.code, "address_id": tree["estate"].code,
         "description": "小区门口垃圾桶满溢", "lat": "34.5601", "long": "117.7342",
         "phone": "13812345678"},
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    number = response.json()[0]["service_request_id"]
    case = Case.objects.get(number=number)
    assert (case.source, case.state, case.area) == ("open311", CaseState.REPORTED, tree["estate"])
    # then it reads back, as a list of one
    read = client.get(f"/open311/v2/requests/{number}.json", {"api_key": key}).json()
    assert read[0]["status"] == "open" and read[0]["service_code"] == cat.code
    assert read[0]["lat"] == pytest.approx(34.5601)
    listed = client.get("/open311/v2/requests.json", {"api_key": key, "status": "open"}).json()
    assert [r["service_request_id"] for r in listed] == [number]


def test_open311_needs_a_key_and_keeps_to_the_scope(new_case, people, cat, tree):
    case = new_case()
    client = APIClient()
    assert client.get("/open311/v2/requests.json").status_code == 401
    other_key = open311_client_key(people["other_community"])
    response = client.get(f"/open311/v2/requests/{case.number}.json", {"api_key": other_key})
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404
    refused = client.post(
        "/open311/v2/requests.json",
        {"api_key": other_key, "service_code": cat.code, "address_id": tree["estate"].code,
         "description": "x"},
    )  # fmt: skip
    assert refused.status_code == 403
    unknown = client.post(
        "/open311/v2/requests.json",
        {"api_key": other_key, "service_code": "NOPE", "address_id": tree["estate"].code},
    )
    assert unknown.status_code == 400 and "service_code" in unknown.json()[0]["description"]
