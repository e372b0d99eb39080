#!/usr/bin/env python
"""The outbox drill: messages survive a dead broker, a channel outage and a killed worker, and
none is sent twice.

    DATABASE_URL=… REDIS_URL=… .venv/bin/python scripts/outbox_drill.py [--messages 120]

Needs a migrated database with at least one case (``manage.py seed_demo``) and a Redis for the
worker phase. Messages are written through ``cases.services.notify`` (the path every
transition takes) and sent through the drill's own channel, which records each accepted
message in a file, so duplicates are counted at the channel, not trusted from the table:

1. broker down while writing: the commits cannot wake the relay; one batch is rolled back;
2. channel outage: two relay runs meet a failing channel (attempts counted, put off); a few
   "bad" messages keep failing until they are marked failed;
3. worker kill: a real Celery worker relays with a slow channel and is killed with SIGKILL
   mid-send; then two relays run at once to finish.

It prints the counts (written / sent / retried / failed / pending / duplicates) and exits 1
when a message is lost or duplicated. "Time passes" between phases by moving the due time of
the drill's pending rows to now, rather than waiting for the backoff.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = Path(__file__).resolve().parent
DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


class DrillChannel:
    """Accepts a message by appending its key to ``$DRILL_DIR/delivered`` (at the end of the
    call, as a provider answers at the end of its request). Fails every call while
    ``$DRILL_DIR/down`` exists, and always for a key containing ``:bad:``."""

    def __init__(self) -> None:
        self.folder = Path(os.environ["DRILL_DIR"])
        self.slow = float(os.environ.get("DRILL_SLOW", "0"))

    def send(
        self, *, recipient: Any, event: str, text: str, case_number: str, key: str = ""
    ) -> None:
        if (self.folder / "down").exists():
            raise ConnectionError("drill: the SMS gateway is down")
        if ":bad:" in key:
            raise ConnectionError("drill: the gateway refuses this recipient today")
        with open(self.folder / "started", "a") as out:
            out.write(key + "\n")
        if self.slow:
            time.sleep(self.slow)
        with open(self.folder / "delivered", "a") as out:
            out.write(key + "\n")


def setup(folder: Path) -> None:
    os.environ["DRILL_DIR"] = str(folder)
    os.environ["CASES_MESSAGE_CHANNEL"] = "outbox_drill.DrillChannel"
    os.environ.setdefault("CASES_OUTBOX_MAX_ATTEMPTS", "4")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    sys.path[:0] = [str(ROOT), str(SCRIPTS)]
    import logging

    import django

    django.setup()
    # One line per message would bury the counts; the drill prints its own.
    logging.getLogger("cases").setLevel(logging.ERROR)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=120)
    parser.add_argument("--bad", type=int, default=4, help="messages the channel always refuses")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="outbox-drill-"))
    broker = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    setup(folder)

    from django.db import connection, transaction
    from django.utils import timezone

    from cases.models import Case, OutboxMessage, OutboxState
    from cases.services import notify, outbox_relay
    from config.celery import app as celery_app

    run = uuid.uuid4().hex[:8]
    prefix = f"drill:{run}:"
    mine = OutboxMessage.objects.filter(notification_key__startswith=prefix)
    case = Case.objects.order_by("id").first()
    if case is None:
        print("no case in this database: run manage.py seed_demo first")
        return 2
    users = [case.reporter_id] if case.reporter_id else []
    from accounts.models import User

    users += list(User.objects.order_by("id").values_list("id", flat=True)[:5])
    users = sorted(set(users))
    print(
        f"drill {run}: {args.messages} messages (+{args.bad} always refused) on case {case.number}"
    )

    def write(count: int, label: str) -> None:
        for i in range(count):
            user = users[i % len(users)]
            with transaction.atomic():
                notify(case=case, kind="urgent", users=[user], key=f"{prefix}{label}{i}")

    def time_passes() -> None:
        mine.filter(state=OutboxState.PENDING).update(next_attempt_at=timezone.now())

    def delivered(name: str = "delivered") -> list[str]:
        path = folder / name
        lines = path.read_text().split() if path.exists() else []
        return [k for k in lines if prefix in k]

    # Whatever was pending before the drill (seed data) goes first, so it does not mix in.
    os.environ["DRILL_SLOW"] = "0"
    while outbox_relay(limit=1000)["sent"]:
        pass

    # 1. The broker is down while the changes commit: the wake-up fails, nothing is lost.
    def use_broker(url: str) -> None:
        celery_app.conf.update(task_always_eager=False, broker_url=url)
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    use_broker(DEAD_BROKER)
    write(args.messages, "ok:")
    write(args.bad, "bad:")
    try:
        with transaction.atomic():
            write(10, "rolled-back:")
            raise RuntimeError("the change fails after its messages were written")
    except RuntimeError:
        pass
    written = mine.count()
    print(f"1. broker down at commit: written {written}; rows left by the rolled-back change: "
          f"{mine.filter(key__contains='rolled-back').count()}")  # fmt: skip

    # 2. The channel is down for two relay runs.
    (folder / "down").touch()
    first = outbox_relay(limit=10_000)
    time_passes()
    second = outbox_relay(limit=10_000)
    (folder / "down").unlink()
    print(f"2. channel down: relay runs retried {first['retried']} then {second['retried']}, "
          f"sent {first['sent'] + second['sent']}")  # fmt: skip

    # 3. A real worker relays with a slow channel and is killed mid-send.
    time_passes()
    use_broker(broker)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SCRIPTS), os.environ.get("PYTHONPATH", "")]),
        "DRILL_SLOW": "0.05",
    }
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "celery"), "-A", "config", "worker", "-l", "error",
         "-c", "1", "-n", f"drill-{run}@%h", "--without-heartbeat", "--without-gossip",
         "--without-mingle"],
        cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    before = len(delivered())
    celery_app.tasks["cases.tasks.relay_outbox_task"].apply_async(expires=120)
    deadline = time.monotonic() + 60
    while len(delivered()) < before + 20 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()
    by_worker = len(delivered()) - before
    in_flight = set(delivered("started")) - set(delivered())
    time.sleep(0.5)  # PostgreSQL notices the dead connection and rolls its transaction back
    left = mine.filter(state=OutboxState.PENDING).count()
    print(f"3. worker killed with SIGKILL after sending {by_worker}, {len(in_flight)} in the "
          f"channel's hands: pending left {left}")  # fmt: skip

    # Then two relays at once, and later runs until nothing is due (the bad ones fail).
    os.environ["DRILL_SLOW"] = "0.005"
    results: list[dict[str, int]] = []

    def relay() -> None:
        try:
            results.append(outbox_relay(limit=10_000))
        finally:
            connection.close()

    threads = [threading.Thread(target=relay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(f"   two relays at once sent {[r['sent'] for r in results]}")
    for _ in range(10):
        time_passes()
        if not sum(outbox_relay(limit=10_000).values()):
            break

    keys = delivered()
    counts = Counter(keys)
    duplicates = sum(n - 1 for n in counts.values() if n > 1)
    sent = mine.filter(state=OutboxState.SENT).count()
    failed = mine.filter(state=OutboxState.FAILED).count()
    pending = mine.filter(state=OutboxState.PENDING).count()
    retried = mine.filter(state=OutboxState.SENT, attempts__gt=1).count()
    lost = written - sent - failed
    marked_sent = set(mine.filter(state=OutboxState.SENT).values_list("key", flat=True))
    unsent_yet_delivered = len(set(counts) - marked_sent)
    print()
    print(f"written    {written}")
    print(f"sent       {sent}   (delivered at the channel: {len(set(keys))} distinct)")
    print(f"retried    {retried}   (sent after at least one failed attempt)")
    print(f"failed     {failed}   (always refused; in the back office, state 发送失败)")
    print(f"pending    {pending}")
    print(f"lost       {lost}")
    print(f"duplicates {duplicates}")
    ok = lost == 0 and duplicates == 0 and pending == 0 and failed == args.bad
    ok = ok and unsent_yet_delivered == 0 and not in_flight - set(keys)
    print("drill passed" if ok else "drill FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
