"""Redis down (cache and broker): pages, login and the API keep working from PostgreSQL, and
/healthz says 503 with or without a session."""

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.roles import Role

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
