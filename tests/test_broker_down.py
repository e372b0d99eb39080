"""Redis down (cache and broker): pages, login and the API keep working from PostgreSQL, and
/healthz says 503 with or without a session; a case reported (form or API) or moved on (page or
API) is saved once and answered as saved, its messages waiting in the outbox (issue 11 §1)."""

import logging
import re

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from accounts.roles import Role
from cases.models import Case, CaseState, OutboxMessage, OutboxState, Tier
from config.celery import app as celery_app
from tests.accounts.factories import api_token_key
from tests.cases.factories import category, report

DEAD = "redis://127.0.0.1:1/0"  # nothing listens on port 1

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "common.cache.DegradingRedisCache",
            "LOCATION": DEAD,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    settings.CELERY_BROKER_URL = DEAD
    yield
    cache.close()


def test_login_and_pages_work_while_redis_is_down(redis_down, make_user):
    user = make_user(Role.COMMUNITY_STAFF)
    user.set_password("Good-password-2026")
    user.save()
    client = Client()
    assert client.get("/accounts/login/").status_code == 200
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": "Good-password-2026"}
    )
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert client.get("/governance/ledgers/").status_code == 200


def test_healthz_says_503_with_a_session_while_redis_is_down(redis_down, make_user):
    client = Client()
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False
    assert response.json()["database"]["ok"] is True
    assert Client().get("/healthz").status_code == 503


def test_the_cache_answers_as_empty_while_redis_is_down(redis_down):
    cache.set("k", "v")
    assert cache.get("k", "missing") == "missing"
    assert cache.add("k", "v") is False
    with pytest.raises(ValueError):
        cache.incr("counter")


# --- Writes while Redis and the broker are down --------------------------------------------------
# Transactional tests: the commit's callbacks (the outbox relay's wake-up) run inside the request,
# as they do in production, so a broker error there would reach the user.


@pytest.fixture
def broker_down(redis_down, monkeypatch):
    """Redis down, and Celery a real producer (not eager) publishing to it: every wake-up a
    write sends after its commit meets the dead broker."""
    saved = {key: celery_app.conf[key] for key in ("task_always_eager", "broker_url")}
    celery_app.conf.update(task_always_eager=False, broker_url=DEAD)
    monkeypatch.setattr(celery_app, "_pool", None)
    monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)
    yield
    celery_app.conf.update(saved)


@pytest.fixture
def office(tree, make_user):
    """A grid worker to report, the community desk and the street above it (both told)."""
    return {
        "grid": make_user(Role.GRID_WORKER),
        "community": make_user(Role.COMMUNITY_STAFF),
        "street": make_user(Role.STREET_STAFF),
        "category": category(),
    }


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def report_body(tree, office):
    return {
        "category": office["category"].pk,
        "area": tree["estate"].pk,
        "title": "楼道堆物",
        "description": "三单元楼道堆放杂物",
        "source": "grid",
    }


def messages_waiting(case):
    """The case's SMS / e-mail rows: all written, none sent (the relay sends them later)."""
    rows = list(OutboxMessage.objects.filter(case=case).values_list("state", flat=True))
    assert rows and set(rows) == {OutboxState.PENDING}
    return len(rows)


@pytest.mark.django_db(transaction=True)
def test_the_report_form_saves_one_case_while_the_broker_is_down(broker_down, tree, office, caplog):
    client = logged_in(office["grid"])
    page = client.get("/cases/new/")
    assert page.status_code == 200
    token = re.search(r'name="once_token" value="([^"]+)"', page.content.decode())
    assert token is not None
    data = {**report_body(tree, office), "once_token": token.group(1)}
    # when: the form is sent, then sent again (the user saw no answer and pressed again)
    with caplog.at_level(logging.WARNING):
        first = client.post("/cases/new/", data)
        again = client.post("/cases/new/", data)
    # then: both answer with the case's page; one case, one report on its timeline
    case = Case.objects.get()
    assert (first.status_code, first["Location"]) == (302, f"/cases/{case.pk}/")
    assert (again.status_code, again["Location"]) == (302, f"/cases/{case.pk}/")
    detail = client.get(first["Location"])
    assert detail.status_code == 200
    body = detail.content.decode()
    assert f"事件已上报，编号 {case.number}。" in body and "楼道堆物" in body
    assert list(case.events.values_list("action", flat=True)) == ["report"]
    assert "relay not woken" in caplog.text  # the broker was really asked, and failed
    messages_waiting(case)


@pytest.mark.django_db(transaction=True)
def test_the_api_creates_one_case_while_the_broker_is_down(broker_down, tree, office, caplog):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(office['grid'])}")
    body = report_body(tree, office)
    # when: the create is sent, then sent again with its Idempotency-Key
    with caplog.at_level(logging.WARNING):
        first = api.post("/api/v1/cases/", body, format="json", HTTP_IDEMPOTENCY_KEY="outage-1")
        again = api.post("/api/v1/cases/", body, format="json", HTTP_IDEMPOTENCY_KEY="outage-1")
    # then: 201 both times with the same case, saved once
    assert first.status_code == 201, first.content
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    case = Case.objects.get()
    assert first.json()["number"] == case.number and case.title == "楼道堆物"
    assert list(case.events.values_list("action", flat=True)) == ["report"]
    assert "relay not woken" in caplog.text
    messages_waiting(case)


@pytest.mark.django_db(transaction=True)
def test_transitions_from_the_page_and_the_api_work_while_the_broker_is_down(
    broker_down, tree, office, caplog
):
    # given: a reported case
    case = report(office["grid"], tree["estate"], office["category"])
    desk = logged_in(office["community"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(office['community'])}")
    url = f"/api/v1/cases/{case.pk}/transitions/"
    escalate = {"action": "escalate", "note": "需街道协调"}
    with caplog.at_level(logging.WARNING):
        # when: the desk accepts it on the page
        accepted = desk.post(f"/cases/{case.pk}/transition/", {"action": "accept"}, follow=True)
        # and calls the street through the API, twice with one Idempotency-Key
        first = api.post(url, escalate, format="json", HTTP_IDEMPOTENCY_KEY="outage-2")
        again = api.post(url, escalate, format="json", HTTP_IDEMPOTENCY_KEY="outage-2")
    # then: each succeeded and says so; each transition is on the timeline once
    assert accepted.status_code == 200 and "已完成“受理”" in accepted.content.decode()
    assert first.status_code == 200, first.content
    assert again.status_code == 200 and again.json() == first.json()
    case.refresh_from_db()
    assert (case.state, case.tier) == (CaseState.ACCEPTED, Tier.STREET)
    assert list(case.events.order_by("id").values_list("action", flat=True)) == [
        "report", "accept", "escalate",
    ]  # fmt: skip
    assert "relay not woken" in caplog.text
    assert OutboxMessage.objects.filter(case=case, recipient=office["street"]).exists()
    messages_waiting(case)
