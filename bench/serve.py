"""The processes of `make bench`: gunicorn serving the portal, and wrk driving it.

Limits are generous, because the machine may be busy (other work shares its cores): the
server has five minutes to boot and two to stop, a row's in-flight requests two minutes to
finish (gunicorn's own timeout), a wrk run a minute past its duration. Past a limit, the
server's whole process group is killed (SIGKILL) and the harness checks that nothing of it is
left; the scale then fails loudly rather than measuring a half-started server."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.report import parse_wrk

BOOT_LIMIT = 300.0
STOP_LIMIT = 120.0
DRAIN_LIMIT = 130.0
WRK_GRACE = 60.0
#: As long as a request measured one at a time may take (run.SINGLE_TIMEOUT): the naive rows
#: count a dashboard straight from a million cases, one to two minutes on a busy machine.
WORKER_TIMEOUT = 900
HOOKS = Path(__file__).resolve().parent / "gunicorn_hooks.py"
LUA = Path(__file__).resolve().parent / "wrk_report.lua"


class ServerError(RuntimeError):
    """The server did not start, answer, drain or stop within its limit."""


def _group_alive(pgid: int) -> bool:
    """Whether any process of the group still runs (a zombie, killed and waiting to be
    reaped by whoever adopted it, does not)."""
    proc = Path("/proc")
    if not proc.is_dir():
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        return True
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid pgrp ...: comm may hold spaces, so split after its ")".
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 2 and fields[2] == str(pgid) and fields[0] != "Z":
            return True
    return False


class Server:
    """gunicorn in a process group of its own (``start_new_session``), ``workers`` sync
    workers, the bench hooks marking busy workers in a directory of its own."""

    def __init__(self, gunicorn: Path, root: Path, env: dict[str, str], workers: int) -> None:
        self.gunicorn, self.root, self.workers = gunicorn, root, workers
        self.busy = Path(tempfile.mkdtemp(prefix="bench-busy-"))
        self.env = {**env, "BENCH_BUSY_DIR": str(self.busy)}
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0

    def start(self, port: int) -> None:
        self.port = port
        command = [
            str(self.gunicorn),
            "config.wsgi",
            "-c",
            str(HOOKS),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
            "--timeout",
            str(WORKER_TIMEOUT),
        ]
        self.process = subprocess.Popen(
            command, cwd=self.root, env=self.env, start_new_session=True
        )
        deadline = time.monotonic() + BOOT_LIMIT
        # The port opens before the workers have imported Django: wait until one answers.
        while True:
            if self.process.poll() is not None:
                raise ServerError(f"gunicorn exited with {self.process.returncode} while booting")
            try:
                floor = f"{self.base}/bench/floor"  # http on loopback, built here
                with urllib.request.urlopen(floor, timeout=10) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise ServerError(f"gunicorn did not answer within {BOOT_LIMIT:.0f} s")
            time.sleep(0.5)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def busy_workers(self) -> list[int]:
        """Workers serving a request now (a marker of a dead worker does not count)."""
        busy = []
        for entry in self.busy.iterdir():
            try:
                pid = int(entry.name)
                os.kill(pid, 0)
            except (ValueError, ProcessLookupError):
                entry.unlink(missing_ok=True)
                continue
            except PermissionError:
                pass
            busy.append(pid)
        return busy

    def drain(self) -> float:
        """Wait until no request is being served (wrk stops at its duration; the requests it
        had sent go on in the workers and would be measured by the next row). Returns the
        seconds waited."""
        started = time.monotonic()
        while self.busy_workers():
            if time.monotonic() - started > DRAIN_LIMIT:
                raise ServerError(
                    f"requests still running after {DRAIN_LIMIT:.0f} s: {self.busy_workers()}"
                )
            time.sleep(0.05)
        return time.monotonic() - started

    def stop(self) -> None:
        """SIGTERM to the group, SIGKILL past the limit, then make sure none of it is left."""
        process = self.process
        if process is None:
            return
        pgid = process.pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(STOP_LIMIT)
        if _group_alive(pgid):
            os.killpg(pgid, signal.SIGKILL)
            process.wait(30)
        deadline = time.monotonic() + 30
        while _group_alive(pgid):
            if time.monotonic() > deadline:
                raise ServerError(f"processes of group {pgid} survived SIGKILL")
            time.sleep(0.1)
        self.process = None
        for entry in self.busy.iterdir():
            entry.unlink(missing_ok=True)
        self.busy.rmdir()


def wrk(
    url: str,
    seconds: float,
    headers: dict[str, str],
    *,
    connections: int,
    threads: int,
    method: str = "GET",
    body: str | None = None,
    paths: list[str] | None = None,
    think_ms: int = 0,
    marker: str | None = None,
) -> dict[str, Any]:
    """One wrk run; its summary (bench.report.parse_wrk). A run that overstays its duration
    by a minute is killed and raises ``subprocess.TimeoutExpired``."""
    env = {
        **os.environ,
        "BENCH_THINK_MS": str(think_ms),
        "BENCH_METHOD": method,
        "BENCH_HEADERS": "\n".join(f"{k}: {v}" for k, v in headers.items()),
        "BENCH_THREADS": str(threads),
        "BENCH_MARKER": marker or "",
    }
    if body is not None:
        env["BENCH_BODY"] = body
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as paths_file:
        if paths:
            paths_file.write("\n".join(paths))
            paths_file.flush()
            env["BENCH_PATHS"] = paths_file.name
        command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds:g}s"]
        command += ["--timeout", "10s", "-s", str(LUA), url]
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            env=env,
            check=True,
            timeout=seconds + WRK_GRACE,
        )
    return parse_wrk(result.stdout)
