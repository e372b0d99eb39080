import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok" and body["database"]["ok"] and body["broker"]["ok"]


def test_healthz_is_503_when_the_broker_does_not_answer(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == {"ok": False, "error": "ConnectionError"}
    assert response.json()["database"]["ok"] is True


def test_celery_is_configured_for_safe_retries(settings):
    from config.celery import app

    assert app.conf.task_serializer == "json" and app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    assert "clear-expired-sessions" in app.conf.beat_schedule


def test_clearing_expired_sessions_twice_changes_nothing_the_second_time(client, django_user_model):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from accounts.tasks import clear_expired_sessions_task

    Session.objects.create(
        session_key="x" * 32, session_data="", expire_date=timezone.now() - timedelta(days=1)
    )
    Session.objects.create(
        session_key="y" * 32, session_data="", expire_date=timezone.now() + timedelta(days=1)
    )
    clear_expired_sessions_task.delay()
    clear_expired_sessions_task.delay()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["y" * 32]
