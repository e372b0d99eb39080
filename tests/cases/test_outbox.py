"""No lost message: every SMS / e-mail is an outbox row written in the transaction of the change,
sent by the relay only after the channel accepted it, retried with backoff, failed visibly after
bounded attempts, and sent once even with two relays, a dead broker or a killed worker."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from cases import services
from cases.models import Case, Notification, NotificationKind, OutboxMessage, OutboxState
from cases.services.outbox import backoff
from cases.tasks import relay_outbox_task, send_case_messages_task
from config.celery import app as celery_app

pytestmark = pytest.mark.django_db

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


class Recorder:
    """A channel that accepts everything and remembers what it was given."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.lock = threading.Lock()

    def send(self, *, key: str = "", **kwargs: Any) -> None:
        with self.lock:
            self.sent.append(key)


class Broken:
    """A channel that is down: every call raises."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.calls = 0
        self.error = error or ConnectionError("SMS gateway timed out")

    def send(self, **kwargs: Any) -> None:
        self.calls += 1
        raise self.error


def pending() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(state=OutboxState.PENDING).order_by("id"))


def test_the_message_is_written_in_the_transaction_of_the_case_change(new_case, people):
    # when a case is reported (the desk is told)
    case = new_case()
    # then: its SMS / e-mail waits in the outbox, once per recipient, with a unique key
    message = OutboxMessage.objects.get(case=case)
    assert message.recipient_id == people["community"].pk
    assert message.event == NotificationKind.ASSIGNED
    assert message.state == OutboxState.PENDING and message.sent_at is None
    assert case.number in message.text
    assert message.key == f"case:{people['community'].pk}:{message.notification_key}"


def test_a_rolled_back_change_leaves_no_message(new_case, people):
    class Boom(Exception):
        pass

    # when the transaction of a report fails after the service ran
    with pytest.raises(Boom), transaction.atomic():
        case = new_case()
        assert OutboxMessage.objects.filter(case=case).exists()
        raise Boom
    # then: neither the case nor its message is there
    assert not Case.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_the_same_event_written_twice_is_one_message(new_case, people):
    case = new_case()
    street = people["street"].pk
    for _ in range(2):
        services.notify(case=case, kind=NotificationKind.URGENT, users=[street], key="k1")
    assert OutboxMessage.objects.filter(case=case, event=NotificationKind.URGENT).count() == 1


def test_the_relay_marks_sent_only_after_the_channel_succeeded(new_case, people):
    case = new_case()
    seen: list[tuple[str, Any, Any]] = []

    class Inspecting(Recorder):
        def send(self, *, key: str = "", **kwargs: Any) -> None:
            row = OutboxMessage.objects.get(key=key)
            bell = Notification.objects.get(case=case, recipient=people["community"])
            seen.append((row.state, row.sent_at, bell.sent_at))

    # when the relay runs
    assert services.outbox_relay(channel=Inspecting()) == {"sent": 1, "retried": 0, "failed": 0}
    # then: while the channel was sending, nothing said "sent"; afterwards both do
    assert seen == [(OutboxState.PENDING, None, None)]
    message = OutboxMessage.objects.get(case=case)
    assert message.state == OutboxState.SENT and message.sent_at is not None
    assert message.attempts == 1
    assert Notification.objects.get(case=case, recipient=people["community"]).sent_at is not None
    # and a second run sends nothing again
    recorder = Recorder()
    assert services.outbox_relay(channel=recorder)["sent"] == 0
    assert recorder.sent == []


def test_a_channel_error_is_retried_later_with_backoff_then_sent(new_case, settings):
    settings.CASES_OUTBOX_BACKOFF_SECONDS = 30
    new_case()
    t0 = timezone.now()
    broken = Broken()
    # when the channel fails
    assert services.outbox_relay(channel=broken, now=t0) == {"sent": 0, "retried": 1, "failed": 0}
    # then: still pending, one attempt counted, put off by the base delay, the error kept
    [message] = pending()
    assert message.attempts == 1 and message.sent_at is None
    assert message.next_attempt_at == t0 + timedelta(seconds=30)
    assert message.last_error.startswith("ConnectionError")
    # when the relay runs again before the delay: not tried
    assert services.outbox_relay(channel=broken, now=t0 + timedelta(seconds=29))["retried"] == 0
    assert broken.calls == 1
    # after it: tried, and the delay doubles
    services.outbox_relay(channel=broken, now=t0 + timedelta(seconds=30))
    [message] = pending()
    assert message.attempts == 2
    assert message.next_attempt_at == t0 + timedelta(seconds=30 + 60)
    # when the channel is back
    recorder = Recorder()
    assert services.outbox_relay(channel=recorder, now=t0 + timedelta(seconds=90))["sent"] == 1
    message = OutboxMessage.objects.get()
    assert message.state == OutboxState.SENT and message.attempts == 3
    assert message.last_error == ""
    assert recorder.sent == [message.key]


def test_the_delay_doubles_up_to_its_cap(settings):
    settings.CASES_OUTBOX_BACKOFF_SECONDS = 30
    settings.CASES_OUTBOX_BACKOFF_MAX_SECONDS = 3600
    assert [backoff(n).total_seconds() for n in range(1, 9)] == [
        30, 60, 120, 240, 480, 960, 1920, 3600,
    ]  # fmt: skip


def test_after_the_last_attempt_the_message_is_failed_and_can_be_retried(new_case, settings):
    settings.CASES_OUTBOX_MAX_ATTEMPTS = 3
    new_case()
    moment = timezone.now()
    outcomes = []
    for _ in range(5):
        outcomes.append(services.outbox_relay(channel=Broken(), now=moment))
        moment += timedelta(hours=2)
    # then: two retries, then failed, then left alone
    assert [o["retried"] for o in outcomes] == [1, 1, 0, 0, 0]
    assert [o["failed"] for o in outcomes] == [0, 0, 1, 0, 0]
    message = OutboxMessage.objects.get()
    assert message.state == OutboxState.FAILED and message.attempts == 3
    # when an administrator retries the failed ones
    assert services.outbox_retry() == 1
    recorder = Recorder()
    assert services.outbox_relay(channel=recorder)["sent"] == 1
    assert OutboxMessage.objects.get().state == OutboxState.SENT


def test_a_permanent_refusal_fails_at_once(new_case):
    from cases.messaging import PermanentFailure

    new_case()
    result = services.outbox_relay(channel=Broken(PermanentFailure("no such number")))
    assert result == {"sent": 0, "retried": 0, "failed": 1}


def test_a_relay_killed_while_sending_leaves_the_message_for_the_next(new_case):
    class Killed(BaseException):
        """What the relay sees of SIGKILL: nothing of it runs after the call."""

    new_case()
    # when the worker dies inside the channel call
    with pytest.raises(Killed):
        services.outbox_relay(channel=Broken(Killed()))
    # then: its transaction is gone, the row still pending and untouched
    [message] = pending()
    assert message.attempts == 0 and message.sent_at is None
    recorder = Recorder()
    assert services.outbox_relay(channel=recorder)["sent"] == 1


def test_no_phone_number_in_logs_or_errors(new_case, caplog):
    new_case()
    with caplog.at_level(logging.INFO):
        services.outbox_relay(channel=Broken(ConnectionError("rejected 13812345678")))
    assert "13812345678" not in caplog.text
    assert "13812345678" not in OutboxMessage.objects.get().last_error


@pytest.mark.django_db(transaction=True)
def test_two_relays_at_once_send_each_message_once(make_user):
    # given: 30 committed messages
    users = [make_user("community_staff") for _ in range(3)]
    OutboxMessage.objects.bulk_create(
        OutboxMessage(key=f"drill:{i}", recipient=users[i % 3], event="assigned", text=f"第{i}条")
        for i in range(30)
    )

    class Slow(Recorder):
        def send(self, **kwargs: Any) -> None:
            time.sleep(0.01)
            super().send(**kwargs)

    channel = Slow()
    barrier = threading.Barrier(2)
    results: list[dict[str, int]] = []

    def relay() -> None:
        barrier.wait()
        try:
            results.append(services.outbox_relay(channel=channel))
        finally:
            connection.close()

    # when two relays run at the same moment
    threads = [threading.Thread(target=relay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then: every message sent exactly once, and both relays did part of the work
    assert sorted(channel.sent) == sorted(f"drill:{i}" for i in range(30))
    assert sum(r["sent"] for r in results) == 30
    assert all(r["sent"] > 0 for r in results)
    assert OutboxMessage.objects.filter(state=OutboxState.SENT).count() == 30


@pytest.fixture
def broker_down(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A real Celery producer (not eager) pointed at a broker that does not answer."""
    saved = {key: celery_app.conf[key] for key in ("task_always_eager", "broker_url")}
    celery_app.conf.update(task_always_eager=False, broker_url=DEAD_BROKER)
    monkeypatch.setattr(celery_app, "_pool", None)
    monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)
    yield
    celery_app.conf.update(saved)


def test_broker_down_when_the_case_commits_the_next_relay_sends(
    broker_down, new_case, people, django_capture_on_commit_callbacks, caplog
):
    # when a case is reported while the broker is down (the commit's wake-up cannot be sent)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        case = new_case()
    # then: the report succeeded without waiting on the broker, the wake-up failed quietly,
    # and the message waits
    assert time.monotonic() - started < 2
    assert "relay not woken" in caplog.text
    [message] = pending()
    assert message.case_id == case.pk
    # when the beat relay runs (the broker is back, or not: the relay reads the database)
    recorder = Recorder()
    assert services.outbox_relay(channel=recorder)["sent"] == 1
    assert recorder.sent == [message.key]


def test_the_commit_wakes_the_relay_once(new_case, django_capture_on_commit_callbacks, monkeypatch):
    calls: list[Any] = []
    monkeypatch.setattr(relay_outbox_task, "apply_async", lambda *a, **k: calls.append(k))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        case = new_case()
        services.notify(case=case, kind="urgent", users=[case.reporter_id], key="again")
    assert len(calls) == 1


def test_sweep_overdue_without_a_broker_queues_to_the_outbox(
    dispatched, people, django_capture_on_commit_callbacks, monkeypatch
):
    # given: an overdue case, and a broker that must not be touched
    def no_broker(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("sweep_overdue talked to the broker")

    monkeypatch.setattr(relay_outbox_task, "apply_async", no_broker)
    monkeypatch.setattr(relay_outbox_task, "delay", no_broker)
    Case.objects.filter(pk=dispatched.pk).update(
        warn_at=timezone.now() - timedelta(hours=2), due_at=timezone.now() - timedelta(minutes=1)
    )
    out = StringIO()
    # when the sweep is run by hand
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep_overdue", stdout=out)
    # then: the overdue messages (the lead department, the street) wait in the outbox
    overdue = OutboxMessage.objects.filter(case=dispatched, event=NotificationKind.OVERDUE)
    assert set(overdue.values_list("recipient_id", flat=True)) == {
        people["dept"].pk,
        people["street"].pk,
    }
    assert all(m.state == OutboxState.PENDING for m in overdue)
    assert "发件箱待发送" in out.getvalue()
    # and the next relay sends them
    recorder = Recorder()
    services.outbox_relay(channel=recorder)
    assert set(overdue.values_list("key", flat=True)) <= set(recorder.sent)


def test_sweep_overdue_send_sends_in_process(dispatched, settings, mailoutbox):
    settings.CASES_MESSAGE_CHANNEL = "cases.messaging.EmailChannel"
    Case.objects.filter(pk=dispatched.pk).update(
        warn_at=timezone.now() - timedelta(hours=2), due_at=timezone.now() - timedelta(minutes=1)
    )
    call_command("sweep_overdue", "--send", stdout=StringIO())
    assert not OutboxMessage.objects.filter(state=OutboxState.PENDING).exists()
    assert OutboxMessage.objects.filter(event=NotificationKind.OVERDUE, state="sent").count() == 2


def test_a_database_error_in_the_relay_task_is_retried(monkeypatch):
    calls: list[int] = []

    def flaky(**kwargs: Any) -> dict[str, int]:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return {"sent": 0, "retried": 0, "failed": 0}

    monkeypatch.setattr("cases.tasks.outbox_relay", flaky)
    result = relay_outbox_task.apply(throw=False)
    assert result.successful()
    assert len(calls) == 2


def test_a_killed_workers_task_comes_back_within_the_visibility_timeout():
    """Redis hands an unacknowledged task to another worker after the visibility timeout: not
    the default hour, yet longer than any task may run (or a running one would run twice)."""
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert timeout < 3600
    limits = [settings.CELERY_TASK_TIME_LIMIT] + [
        task.time_limit for task in celery_app.tasks.values() if task.time_limit
    ]
    assert timeout > max(limits)
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert relay_outbox_task.acks_late


def test_the_relay_runs_on_beat():
    tasks = {entry["task"]: entry for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks["cases.tasks.relay_outbox_task"]["schedule"] <= 30


def test_the_district_admin_sees_failed_messages_and_retries_them(client, make_user, new_case):
    new_case()
    OutboxMessage.objects.update(state=OutboxState.FAILED, attempts=8, last_error="ConnectionError")
    admin_user = make_user("district_admin", is_staff=True)
    client.force_login(admin_user)
    page = client.get("/admin/cases/outboxmessage/?state__exact=failed")
    assert page.status_code == 200
    message = OutboxMessage.objects.get()
    assert message.case_number in page.content.decode()
    response = client.post(
        "/admin/cases/outboxmessage/",
        {"action": "retry_failed", "_selected_action": [message.pk]},
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.state == OutboxState.PENDING and message.attempts == 0


def test_the_outbox_is_not_for_community_staff(client, make_user):
    client.force_login(make_user("community_staff", is_staff=True))
    assert client.get("/admin/cases/outboxmessage/").status_code == 403


def test_a_message_task_queued_before_the_upgrade_goes_into_the_outbox(new_case, people):
    # given: a notification whose message task was queued by the former code (no outbox row)
    case = new_case()
    OutboxMessage.objects.all().delete()
    bell = Notification.objects.get(case=case)
    # when the worker runs it (twice, as a redelivered task would)
    send_case_messages_task.apply(args=[case.pk, bell.key])
    send_case_messages_task.apply(args=[case.pk, bell.key])
    # then: one message in the outbox, sent by the relay
    recorder = Recorder()
    assert services.outbox_relay(channel=recorder)["sent"] == 1
    assert recorder.sent == [f"case:{people['community'].pk}:{bell.key}"]
