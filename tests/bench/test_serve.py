"""The harness's process control (bench/serve.py) with stand-in processes: a server that
ignores SIGTERM is killed with its whole group, and the drain waits for busy workers."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bench import serve
from bench.serve import Server, ServerError

STUBBORN = (
    "import os, signal, time\n"
    "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    "if os.fork() == 0:\n"
    "    signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    "time.sleep(600)\n"
)


def server(tmp_path: Path) -> Server:
    return Server(Path(sys.executable), tmp_path, dict(os.environ), workers=1)


def test_a_server_that_ignores_sigterm_is_killed_with_its_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a "server" and its forked "worker" that both ignore SIGTERM
    monkeypatch.setattr(serve, "STOP_LIMIT", 1.0)
    stand_in = server(tmp_path)
    stand_in.process = subprocess.Popen([sys.executable, "-c", STUBBORN], start_new_session=True)
    pgid = stand_in.process.pid
    time.sleep(0.5)
    assert serve._group_alive(pgid)
    # when
    started = time.monotonic()
    stand_in.stop()
    # then nothing of the group is left, soon after the stop limit
    assert not serve._group_alive(pgid)
    assert time.monotonic() - started < 20
    assert stand_in.process is None and not stand_in.busy.exists()


def test_the_drain_waits_for_busy_workers_and_ignores_dead_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stand_in = server(tmp_path)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (stand_in.busy / str(dead.pid)).touch()
    (stand_in.busy / "not-a-pid").touch()
    assert stand_in.drain() < 1.0  # a marker of a dead worker does not hold the drain up

    # given a live worker still serving a request for half a second
    (stand_in.busy / str(os.getpid())).touch()
    threading.Timer(0.5, (stand_in.busy / str(os.getpid())).unlink).start()
    # then
    assert 0.4 < stand_in.drain() < 5.0

    # and a request that never ends fails the drain at its limit
    monkeypatch.setattr(serve, "DRAIN_LIMIT", 0.3)
    (stand_in.busy / str(os.getpid())).touch()
    with pytest.raises(ServerError, match="still running"):
        stand_in.drain()
    (stand_in.busy / str(os.getpid())).unlink()
    stand_in.stop()


def test_a_server_that_exits_while_booting_fails_at_once(tmp_path: Path) -> None:
    # given a "gunicorn" that exits straight away
    fake = tmp_path / "gunicorn"
    fake.write_text("#!/bin/sh\nexit 3\n")
    fake.chmod(0o755)
    stand_in = Server(fake, tmp_path, dict(os.environ), workers=1)
    started = time.monotonic()
    with pytest.raises(ServerError, match="exited with 3"):
        stand_in.start(port=1)
    assert time.monotonic() - started < 10
    stand_in.stop()
