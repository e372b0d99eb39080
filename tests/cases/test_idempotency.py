"""No doubled write: an API create or transition sent again with its ``Idempotency-Key``
answers the first response and does the work once; the report form submitted twice makes one
case."""

import re
import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from cases.models import Case, CaseEvent, CaseState
from common import idempotency
from common.models import IdempotencyKey

REPORT = {"title": "井盖缺失", "description": "人行道井盖缺失", "contact_phone": "13812345678"}


def body(tree: Any, cat: Any, **extra: Any) -> dict[str, Any]:
    return {"category": cat.pk, "area": tree["estate"].pk, **REPORT, **extra}


@pytest.mark.django_db
def test_a_repeated_create_with_one_key_makes_one_case_and_answers_the_same(
    api_for, people, tree, cat
):
    client = api_for(people["grid"])
    # given a report answered 201
    first = client.post(
        "/api/v1/cases/", body(tree, cat), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert first.status_code == 201, first.json()
    # when the client sends it again with the same key (it lost the answer)
    again = client.post(
        "/api/v1/cases/", body(tree, cat), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    # then one case, and the same status and body, marked as replayed
    assert Case.objects.count() == 1
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    # and another key is another report
    other = client.post(
        "/api/v1/cases/", body(tree, cat), format="json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert other.status_code == 201 and Case.objects.count() == 2


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused_and_writes_nothing(api_for, people, tree, cat):
    client = api_for(people["grid"])
    client.post("/api/v1/cases/", body(tree, cat), format="json", HTTP_IDEMPOTENCY_KEY="k")
    changed = client.post(
        "/api/v1/cases/", body(tree, cat, title="另一件事"), format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert changed.status_code == 422
    assert changed.json()["code"] == "idempotency_key_reused"
    assert set(changed.json()) == {"code", "detail", "fields"}
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_keys_belong_to_their_user_and_path(api_for, people, tree, cat, make_user):
    mine = api_for(people["grid"])
    colleague = api_for(make_user("grid_worker"))
    mine.post("/api/v1/cases/", body(tree, cat), format="json", HTTP_IDEMPOTENCY_KEY="k")
    theirs = colleague.post(
        "/api/v1/cases/", body(tree, cat), format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert theirs.status_code == 201 and "Idempotent-Replayed" not in theirs
    assert Case.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_request_gives_the_key_back(api_for, people, tree, cat):
    client = api_for(people["grid"])
    wrong = {**body(tree, cat), "area": tree["other_estate"].pk}
    assert (
        client.post("/api/v1/cases/", wrong, format="json", HTTP_IDEMPOTENCY_KEY="k").status_code
        == 400
    )
    # nothing was written, so the key may carry the corrected request... with its own body
    assert not IdempotencyKey.objects.exists()
    ok = client.post("/api/v1/cases/", body(tree, cat), format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert ok.status_code == 201


@pytest.mark.django_db
def test_a_repeated_transition_is_done_once(new_case, api_for, people):
    case = new_case()
    client = api_for(people["community"])
    url = f"/api/v1/cases/{case.pk}/transitions/"
    first = client.post(
        url, {"action": "accept", "note": "受理"}, format="json", HTTP_IDEMPOTENCY_KEY="t"
    )
    again = client.post(
        url, {"action": "accept", "note": "受理"}, format="json", HTTP_IDEMPOTENCY_KEY="t"
    )
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert CaseEvent.objects.filter(case=case, action="accept").count() == 1
    # without the key the second accept is the usual 409
    plain = client.post(url, {"action": "accept", "note": "受理"}, format="json")
    assert plain.status_code == 409


@pytest.mark.django_db
def test_a_key_expires_after_24_hours_and_is_purged(api_for, people, tree, cat):
    client = api_for(people["grid"])
    client.post("/api/v1/cases/", body(tree, cat), format="json", HTTP_IDEMPOTENCY_KEY="k")
    row = IdempotencyKey.objects.get()
    assert timedelta(hours=23) < row.expires_at - timezone.now() <= timedelta(hours=24)
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    # an expired key is a new request
    again = client.post("/api/v1/cases/", body(tree, cat), format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert again.status_code == 201 and Case.objects.count() == 2
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert idempotency.purge() == 1
    assert not IdempotencyKey.objects.exists()


@pytest.mark.django_db
def test_a_key_too_long_is_a_400(api_for, people, tree, cat):
    response = api_for(people["grid"]).post(
        "/api/v1/cases/", body(tree, cat), format="json", HTTP_IDEMPOTENCY_KEY="x" * 256
    )
    assert response.status_code == 400 and "Idempotency-Key" in response.json()["fields"]
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_the_schema_documents_the_header_on_creates_and_transitions(api_for, people):
    schema = api_for(people["admin"]).get("/api/schema/", {"format": "json"}).json()

    def headers(path: str, method: str = "post") -> list[str]:
        operation = schema["paths"][path][method]
        return [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"]

    assert "Idempotency-Key" in headers("/api/v1/cases/")
    assert "Idempotency-Key" in headers("/api/v1/cases/{id}/transitions/")
    assert "Idempotency-Key" in headers("/api/v1/needs/")
    assert "Idempotency-Key" not in headers("/api/v1/cases/", "get")


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_with_one_key_make_one_case(
    api_for, people, tree, cat, monkeypatch
):
    from cases import services

    # given a report that takes a moment, sent twice at once with one key
    slow_report = services.case_report
    started = threading.Event()

    def report(**kwargs: Any) -> Any:
        started.set()
        threading.Event().wait(0.5)
        return slow_report(**kwargs)

    monkeypatch.setattr(services, "case_report", report)
    statuses: list[int] = []
    codes: list[str] = []
    user = people["grid"]

    def send() -> None:
        try:
            response = api_for(user).post(
                "/api/v1/cases/", body(tree, cat), format="json", HTTP_IDEMPOTENCY_KEY="same"
            )
            statuses.append(response.status_code)
            codes.append(response.json().get("code", ""))
        finally:
            connection.close()

    first = threading.Thread(target=send)
    first.start()
    started.wait(5)
    second = threading.Thread(target=send)
    second.start()
    first.join()
    second.join()
    # then one did the work and the other was told it is in progress
    assert sorted(statuses) == [201, 409]
    assert "idempotency_in_progress" in codes
    assert Case.objects.count() == 1
    # and once the first is done, a repeat is its answer
    again = api_for(user).post(
        "/api/v1/cases/", body(tree, cat), format="json", HTTP_IDEMPOTENCY_KEY="same"
    )
    assert again.status_code == 201 and Case.objects.count() == 1


def _token(html: str) -> str:
    match = re.search(r'name="once_token" value="([^"]+)"', html)
    assert match, "the form carries no one-time token"
    return match.group(1)


@pytest.mark.django_db
def test_the_report_form_submitted_twice_makes_one_case(people, tree, cat):
    client = Client()
    client.force_login(people["grid"])
    token = _token(client.get("/cases/new/").content.decode())
    data = {**body(tree, cat), "source": "grid", "once_token": token}
    # when the same rendering of the form is posted twice (a double click)
    first = client.post("/cases/new/", data)
    second = client.post("/cases/new/", data, follow=True)
    # then one case, and the second submit lands on it with a message
    case = Case.objects.get()
    assert first.status_code == 302 and first["Location"] == f"/cases/{case.pk}/"
    assert second.redirect_chain[0][0] == f"/cases/{case.pk}/"
    assert "该表单已经提交过，未重复保存。" in second.content.decode()
    # a new rendering of the form has a new token and reports again
    fresh = _token(client.get("/cases/new/").content.decode())
    assert fresh != token
    client.post("/cases/new/", {**data, "once_token": fresh})
    assert Case.objects.count() == 2
    assert Case.objects.filter(state=CaseState.REPORTED).count() == 2


@pytest.mark.django_db
def test_a_refused_report_keeps_its_token_for_the_corrected_form(people, tree, cat):
    client = Client()
    client.force_login(people["grid"])
    token = _token(client.get("/cases/new/").content.decode())
    refused = client.post(
        "/cases/new/",
        {**body(tree, cat), "area": tree["other_estate"].pk, "source": "grid", "once_token": token},
    )
    assert refused.status_code == 200 and _token(refused.content.decode()) == token
    client.post("/cases/new/", {**body(tree, cat), "source": "grid", "once_token": token})
    assert Case.objects.count() == 1
