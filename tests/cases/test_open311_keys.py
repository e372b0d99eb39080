"""Open311 clients' own keys: registered by the security administrator, stored hashed, scoped
to areas and services, switched off or rotated alone, and never written to a log."""

import hashlib
import io
import logging

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import AuditAction, AuditLog, Open311Client
from accounts.roles import Role
from cases.models import Case
from tests.accounts.factories import api_token_key, open311_client_key

from .factories import category

pytestmark = pytest.mark.django_db


def post(key, cat, area, **extra):
    body = {"service_code": cat.code, "address_id": area.code, "description": "楼道堆物"}
    if key is not None:
        body["api_key"] = key
    return APIClient(**extra).post("/open311/v2/requests.json", body)


def test_a_registered_client_files_a_request_as_its_account(people, tree, cat):
    key = open311_client_key(people["grid"], areas=[tree["community"]], service_codes=[cat.code])
    response = post(key, cat, tree["estate"])
    assert response.status_code == 201, response.content
    case = Case.objects.get(number=response.json()[0]["service_request_id"])
    assert case.source == "open311" and case.reporter == people["grid"]
    client = Open311Client.objects.get()
    assert client.last_used_at is not None
    assert client.digest == hashlib.sha256(key.encode()).hexdigest() and key.startswith(
        client.prefix
    )


def test_an_unknown_a_switched_off_or_a_users_own_key_is_refused(people, tree, cat):
    key = open311_client_key(people["grid"])
    unknown = post("o311_not-registered", cat, tree["estate"])
    assert unknown.status_code == 403
    assert unknown.json() == [{"code": 403, "description": "api_key 无效或已停用。"}]
    # a portal user's API token is no api_key (it would end up in access logs)
    assert post(api_token_key(people["grid"]), cat, tree["estate"]).status_code == 403
    Open311Client.objects.update(is_active=False)
    assert post(key, cat, tree["estate"]).status_code == 403
    assert not Case.objects.exists()


def test_a_post_needs_an_api_key_even_with_a_users_token(people, tree, cat):
    token = api_token_key(people["grid"])
    response = post(None, cat, tree["estate"], HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 400 and "api_key" in response.json()[0]["description"]
    assert post(None, cat, tree["estate"]).status_code == 400


def test_a_place_or_service_outside_the_clients_registration_is_refused(people, tree, cat):
    # the account (a district admin) could report anywhere; the client only in one estate
    other_service = category(name="占道经营", parent_name="市容秩序")
    key = open311_client_key(
        people["admin"], areas=[tree["estate"]], service_codes=[cat.parent.code]
    )
    elsewhere = post(key, cat, tree["other_estate"])
    assert elsewhere.status_code == 403
    assert "未登记此区域或此服务类别" in elsewhere.json()[0]["description"]
    assert post(key, other_service, tree["estate"]).status_code == 403
    # a group's code covers the categories in it
    assert post(key, cat, tree["building"]).status_code == 201
    assert Case.objects.count() == 1


def test_reads_are_cut_to_the_clients_areas(people, tree, cat):
    wide = open311_client_key(people["admin"])
    narrow = open311_client_key(people["admin"], areas=[tree["other_community"]])
    number = post(wide, cat, tree["estate"]).json()[0]["service_request_id"]
    listed = APIClient().get("/open311/v2/requests.json", {"api_key": narrow}).json()
    assert listed == []
    one = APIClient().get(f"/open311/v2/requests/{number}.json", {"api_key": narrow})
    assert one.status_code == 404
    seen = APIClient().get("/open311/v2/requests.json", {"api_key": wide}).json()
    assert [r["service_request_id"] for r in seen] == [number]


def test_the_security_admin_registers_a_client_and_sees_its_key_once(people, tree, cat, make_user):
    admin = make_user(Role.SECURITY_ADMIN, is_staff=True)
    browser = Client()
    browser.force_login(admin)
    page = browser.post(
        "/admin/accounts/open311client/add/",
        {
            "name": "12345 热线",
            "account": people["grid"].pk,
            "areas": [tree["community"].pk],
            "service_codes": f"{cat.code}, {cat.parent.code}",
            "is_active": "on",
        },
    )
    assert page.status_code == 200, page.content.decode()[:2000]
    key = page.context["key"]
    client = Open311Client.objects.get(name="12345 热线")
    assert key.startswith("o311_") and key in page.content.decode()
    assert client.service_codes == sorted([cat.code, cat.parent.code])
    assert list(client.areas.all()) == [tree["community"]]
    change = browser.get(f"/admin/accounts/open311client/{client.pk}/change/")
    assert change.status_code == 200 and key not in change.content.decode()
    assert post(key, cat, tree["estate"]).status_code == 201
    # when the key is rotated, the old one stops and the new one works
    rotated = browser.post(
        "/admin/accounts/open311client/",
        {"action": "rotate_key", "_selected_action": [client.pk]},
    )
    new_key = rotated.context["key"]
    assert new_key != key and post(key, cat, tree["estate"]).status_code == 403
    assert post(new_key, cat, tree["estate"]).status_code == 201
    actions = set(AuditLog.objects.filter(actor=admin).values_list("action", flat=True))
    assert {AuditAction.OPEN311_CLIENT_ADDED, AuditAction.OPEN311_KEY_ROTATED} <= actions
    assert not any(key in str(e.detail) for e in AuditLog.objects.all())


def test_only_the_security_admin_registers_clients(people, make_user):
    district_admin = make_user(Role.DISTRICT_ADMIN, is_staff=True)
    browser = Client()
    browser.force_login(district_admin)
    assert browser.get("/admin/accounts/open311client/").status_code == 200
    assert browser.get("/admin/accounts/open311client/add/").status_code == 403


@pytest.fixture
def console_output():
    """What the configured console handler (with the masking filter) writes."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.StreamHandler) and h.get_name() == "console"
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_keys_and_tokens_never_reach_the_log(people, tree, cat, console_output):
    key = open311_client_key(people["grid"])
    token = api_token_key(people["grid"])
    # a refused request (django.request logs it) and the dev server's access line for it
    refused = APIClient().get(
        "/open311/v2/requests.json", {"api_key": key + "x"}, HTTP_AUTHORIZATION=f"Token {token}"
    )
    assert refused.status_code == 403
    logging.getLogger("django.server").info(
        '"%s" %s %s', f"GET /open311/v2/requests.json?api_key={key}&status=open HTTP/1.1", 403, 58
    )
    logging.getLogger("portal.debug").warning("headers: {'HTTP_AUTHORIZATION': 'Token %s'}", token)
    logging.getLogger("portal.debug").warning("client used %s", key)
    written = console_output.getvalue()
    assert "Forbidden" in written and "api_key=[redacted]&status=open" in written
    assert key not in written and token not in written
    assert key[5:] not in written and token[4:] not in written
