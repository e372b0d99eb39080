"""A large export asked for while the broker is down (issue 11 §1): the page answers with the
job's page, never a 500 after the job was saved; the job cannot be queued, so it ends at once as
failed and its page says to try again later, as an import does (common.importpages). Nothing is
queued twice, and a job that could be queued runs as before."""

import logging
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from common.models import ExportJob, ExportState
from common.tasks import run_export_task
from config.celery import app as celery_app

DEAD = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture(autouse=True)
def small_jobs(settings: Any, tmp_path: Path) -> None:
    settings.PORTAL_EXPORT_SYNC_ROWS = 2
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def broker_down(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Celery a real producer (not eager) publishing to a broker that does not answer."""
    saved = {key: celery_app.conf[key] for key in ("task_always_eager", "broker_url")}
    celery_app.conf.update(task_always_eager=False, broker_url=DEAD)
    monkeypatch.setattr(celery_app, "_pool", None)
    monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)
    yield
    celery_app.conf.update(saved)


def ask_for_export(people: dict[str, Any], new_case: Any) -> tuple[Client, Any]:
    for _n in range(3):
        new_case()
    client = Client()
    client.force_login(people["community"])
    return client, client.get("/cases/?export=xlsx")


def assert_failed_and_said_so(client: Client, response: Any) -> None:
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert response["Location"] == f"/exports/{job.pk}/"
    assert (job.state, job.done, job.file.name) == (ExportState.FAILED, 0, "")
    assert job.finished_at is not None
    page = client.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert "导出失败，请稍后重试" in body
    assert 'hx-trigger="every 2s"' not in body  # ended: the page does not poll forever


@pytest.mark.django_db(transaction=True)
def test_the_broker_down_when_the_request_commits_is_a_failed_job_not_a_500(
    broker_down, people, new_case, caplog
):
    # Transactional: the job is queued as soon as its row commits, inside the request, as in
    # production.
    with caplog.at_level(logging.ERROR, logger="common.listpage"):
        client, response = ask_for_export(people, new_case)
    assert_failed_and_said_so(client, response)
    assert "could not be queued" in caplog.text


@pytest.mark.django_db
def test_the_broker_down_when_an_outer_transaction_commits_is_a_failed_job_too(
    broker_down, people, new_case, django_capture_on_commit_callbacks
):
    # The callback runs after the response is built (an outer transaction commits later):
    # the broker's error must not escape the commit either.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client, response = ask_for_export(people, new_case)
    assert callbacks
    assert_failed_and_said_so(client, response)


@pytest.mark.django_db
def test_a_queued_job_is_sent_once_and_stays_queued_for_the_worker(
    people, new_case, monkeypatch, django_capture_on_commit_callbacks
):
    # given: a broker that accepts the task (the worker runs it later)
    sent: list[int] = []
    monkeypatch.setattr(run_export_task, "delay", sent.append)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        client, response = ask_for_export(people, new_case)
    # then: sent once, after the commit; the page shows its progress
    job = ExportJob.objects.get()
    assert sent == [job.pk]
    assert (response.status_code, job.state) == (302, ExportState.QUEUED)
    assert 'hx-trigger="every 2s"' in client.get(response["Location"]).content.decode()
