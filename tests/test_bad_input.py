"""The malformed inputs a tester tried against the running portal: each gets a 4xx with a
clear message (the API's error contract under /api/), never a 500."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user("district_admin"))
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/cases/AAA/",
        "/api/v1/cases/AAA/timeline/",
        "/api/v1/work-calendar/?year=0",
        "/api/v1/work-calendar/?year=99999",
        "/api/v1/work-calendar/?year=abc",
        "/api/v1/areas/?q=%00",
        "/api/v1/cases/?q=%00",
    ],
)
def test_malformed_api_queries_are_answered_in_the_contract(admin_client, url):
    answer = admin_client.get(url)
    assert answer.status_code < 500, (url, answer.status_code)
    if answer.status_code >= 400:
        assert answer["Content-Type"].startswith("application/json")
        assert {"code", "detail"} <= set(answer.json())


@pytest.mark.parametrize(
    "url",
    [
        "/open311/v2/requests.json?start_date=2026-99-99",
        "/open311/v2/requests.json?end_date=yesterday",
        "/open311/v2/requests.json?status=%00",
        "/governance/areas/?q=%00",
        "/cases/?q=%00",
        "/cases/?area=%00",
    ],
)
def test_malformed_queries_of_pages_and_open311_are_not_server_errors(admin_client, url):
    assert admin_client.get(url).status_code < 500, url


def test_open311_post_with_a_nul_address_id_is_a_400(client):
    answer = client.post(
        "/open311/v2/requests.json",
        {"service_code": "x", "address_id": "\x00", "description": "路灯不亮"},
    )
    assert 400 <= answer.status_code < 500


@pytest.mark.parametrize("body", ["[1, 2, 3]", '"text"', "null", "{bad json"])
def test_a_body_that_is_not_an_object_is_a_json_400(admin_client, body):
    answer = admin_client.post("/api/v1/cases/", body, content_type="application/json")
    assert answer.status_code == 400, (body, answer.status_code)
    assert answer["Content-Type"].startswith("application/json")


def test_a_nul_character_in_a_json_or_form_body_is_a_400_and_saves_nothing(admin_client):
    from cases.models import Case

    before = Case.objects.count()
    answer = admin_client.post(
        "/api/v1/cases/", '{"title": "路灯\\u0000不亮"}', content_type="application/json"
    )
    assert answer.status_code == 400 and answer.json()["code"] == "bad_request"
    answer = admin_client.post("/cases/new/", {"title": "路灯\x00不亮", "description": "x"})
    assert answer.status_code == 400
    assert Case.objects.count() == before
