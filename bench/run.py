#!/usr/bin/env python
"""`make bench`: measure the portal's main pages and API side by side with their floors.

For each scale (default 0.01 and 1) it loads a synthetic district into a database of its own
(`manage.py generate_load --scale S`, which does nothing when that database is already loaded),
starts the portal under gunicorn, and drives every scenario of bench/scenarios.py from a separate
process with wrk (20 connections, a fixed duration). Beside each page it measures:

* the framework floor: a Django view with no database and no template (`/bench/floor`);
* the Django admin changelist with the same filter, where there is one (what a team would use);
* the database floor: the SQL our page runs, captured once and timed in PostgreSQL alone.

It prints a table per scale and the p95 growth between the smallest and the largest scale, and
writes bench/results/scale-<S>.json and docs/performance.md. Each scale runs in a child process
because Django's settings (the database) are fixed once per process.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from portal import BIN, Services, free_port, say, wait_for_port  # noqa: E402

from bench.scenarios import Scenario  # noqa: E402

RESULTS = ROOT / "bench" / "results"
LUA = ROOT / "bench" / "wrk_report.lua"
CONNECTIONS = 20
WRK_THREADS = 2
#: The people mode: each of the 20 users waits 0.5-1.5 s between requests (reading the page).
THINK_MS = 1000
#: One sync worker per connection. wrk opens each connection before the user's next request,
#: and a sync worker that accepted it waits for that request (in production the reverse proxy
#: buffers requests for this reason); with a worker per connection no request queues behind an
#: idle one. gthread workers measured erratically here: a worker whose threads are busy still
#: accepts connections and queues them while others idle.
GUNICORN_WORKERS = CONNECTIONS


def database_url_for(base_url: str, name: str) -> str:
    return urlsplit(base_url)._replace(path=f"/{name}").geturl()


def ensure_database(base_url: str, name: str) -> None:
    import psycopg2

    dsn = database_url_for(base_url, "postgres").replace("postgres://", "postgresql://", 1)
    connection = psycopg2.connect(dsn)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def start_gunicorn(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port(8765)
    command = [
        str(BIN / "gunicorn"),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(GUNICORN_WORKERS),
        "--log-level",
        "warning",
        "--timeout",
        "120",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    wait_for_port(port, timeout=60)
    # The port opens before the workers have imported Django: wait until one answers, then
    # warm every worker up so that no measured row pays for a worker's start.
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/floor", timeout=5):
                break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    wrk(f"http://127.0.0.1:{port}/bench/floor", 2, {})
    return process, port


def wrk(
    url: str,
    seconds: int,
    headers: dict[str, str],
    method: str = "GET",
    body: str | None = None,
    paths: list[str] | None = None,
    think_ms: int = 0,
) -> dict[str, Any]:
    env = {
        **os.environ,
        "BENCH_THINK_MS": str(think_ms),
        "BENCH_METHOD": method,
        "BENCH_HEADERS": "\n".join(f"{k}: {v}" for k, v in headers.items()),
        "BENCH_THREADS": str(WRK_THREADS),
    }
    if body is not None:
        env["BENCH_BODY"] = body
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as paths_file:
        if paths:
            paths_file.write("\n".join(paths))
            paths_file.flush()
            env["BENCH_PATHS"] = paths_file.name
        command = ["wrk", "-t", str(WRK_THREADS), "-c", str(CONNECTIONS), "-d", f"{seconds}s"]
        command += ["--timeout", "10s", "-s", str(LUA), url]
        result = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    match = re.search(r"BENCH_JSON (\{.*\})", result.stdout)
    if match is None:
        raise RuntimeError(f"wrk printed no summary:\n{result.stdout}\n{result.stderr}")
    summary: dict[str, Any] = json.loads(match.group(1))
    return summary


class Portal:
    """In-process Django on the bench database: sessions, tokens, ids and the SQL of a page."""

    def __init__(self) -> None:
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.test import Client

        self.user_model = get_user_model()
        self.client_class = Client
        self._sessions: dict[str, str] = {}
        self._tokens: dict[str, str] = {}

    def session(self, username: str) -> str:
        if username not in self._sessions:
            client = self.client_class()
            client.force_login(self.user_model.objects.get(username=username))
            self._sessions[username] = client.cookies["sessionid"].value
        return self._sessions[username]

    def token(self, username: str) -> str:
        if username not in self._tokens:
            from rest_framework.authtoken.models import Token

            user = self.user_model.objects.get(username=username)
            token, _created = Token.objects.get_or_create(user=user)
            self._tokens[username] = token.key
        return self._tokens[username]

    def headers(self, user: str, api: bool, body: bool = False) -> dict[str, str]:
        if api:
            headers = {"Authorization": f"Token {self.token(user)}", "Accept": "application/json"}
            if body:
                headers["Content-Type"] = "application/json"
            return headers
        return {"Cookie": f"sessionid={self.session(user)}"}

    def captured_sql(self, scenario: Scenario, path: str) -> list[str]:
        """The statements one request of the page runs (the session and user lookups too)."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = self.client_class(HTTP_HOST="127.0.0.1")
        if scenario.api:
            client.defaults["HTTP_AUTHORIZATION"] = f"Token {self.token(scenario.user)}"
        else:
            client.cookies["sessionid"] = self.session(scenario.user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if response.status_code != 200:  # the bench settings allow 127.0.0.1 only
            raise RuntimeError(f"{scenario.name}: {path} answered {response.status_code}")
        skip = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "FETCH", "CLOSE")
        statements = []
        for query in queries.captured_queries:
            sql = query["sql"]
            if sql.startswith(skip):
                continue
            # .iterator() runs through a server-side cursor: time the SELECT it declares.
            sql = re.sub(r'^DECLARE "[^"]+" NO SCROLL CURSOR WITH(OUT)? HOLD FOR ', "", sql)
            statements.append(sql)
        return statements

    def time_sql(self, statements: list[str], rounds: int = 60) -> dict[str, float]:
        """The page's statements run back to back in one connection: the database's floor."""
        from django.db import connection

        timings = []
        with connection.cursor() as cursor:
            for _ in range(rounds):
                started = time.perf_counter()
                for statement in statements:
                    cursor.execute(statement)
                    if cursor.description is not None:
                        cursor.fetchall()
                timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        return {
            "p50_ms": statistics.median(timings),
            "p95_ms": timings[max(0, int(len(timings) * 0.95) - 1)],
            "queries": len(statements),
        }


def run_scale(scale: float, seconds: int, reload: bool) -> dict[str, Any]:
    """One scale, in this (child) process: load, serve, measure."""
    from bench import scenarios as catalogue

    env = {**os.environ}
    manage(env, "migrate", "--noinput", "-v", "0")
    say(f"scale {scale}: the synthetic district (generate_load skips a loaded database)")
    manage(env, "generate_load", "--scale", str(scale), *(["--reload"] if reload else []))

    portal = Portal()
    values = catalogue.resolve()
    server, port = start_gunicorn(env)
    base = f"http://127.0.0.1:{port}"
    rows: list[dict[str, Any]] = []
    try:
        floor = wrk(f"{base}/bench/floor", seconds, {})
        say(f"framework floor: p95 {floor['p95_ms']:.1f} ms, {floor['rps']:.0f} req/s")
        admin_headers = portal.headers("load_district_admin", api=False)
        # Warm every worker up on every read (templates, caches, connections) before measuring.
        for scenario in catalogue.scenarios():
            if scenario.method == "GET":
                warm = portal.headers(scenario.user, scenario.api)
                wrk(base + scenario.path.format(**values), 1, warm)
        for scenario in catalogue.scenarios():
            path = scenario.path.format(**values)
            body = None
            if scenario.body is not None:
                body = json.dumps(
                    {k: v.format(**values) for k, v in scenario.body.items()}, ensure_ascii=False
                )
            paths = getattr(catalogue, scenario.paths)() if scenario.paths else None
            duration = seconds if scenario.kind != "write" else max(2, seconds // 2)
            headers = portal.headers(scenario.user, scenario.api, body is not None)
            people = wrk(base + path, duration, headers, scenario.method, body, paths, THINK_MS)
            if paths is not None:  # the people mode used the first targets up
                paths = paths[int(people["requests"]) + CONNECTIONS :]
            ours = wrk(base + path, duration, headers, scenario.method, body, paths)
            row: dict[str, Any] = {
                "name": scenario.name,
                "path": path,
                "people": people,
                "ours": ours,
            }
            if paths is not None:
                row["distinct_targets"] = len(paths)
            if scenario.admin_path:
                admin_url = base + scenario.admin_path.format(**values)
                row["admin"] = wrk(admin_url, seconds, admin_headers)
            if scenario.method == "GET":
                row["database"] = portal.time_sql(portal.captured_sql(scenario, path))
            rows.append(row)
            say(
                f"{scenario.name}: people p95 {people['p95_ms']:.1f} ms; saturated p95 "
                f"{ours['p95_ms']:.1f} ms, {ours['rps']:.0f} req/s; "
                f"non-2xx {people['non2xx'] + ours['non2xx']}"
            )
    finally:
        os.killpg(server.pid, 15)
        server.wait(30)
    return {
        "scale": scale,
        "seconds": seconds,
        "connections": CONNECTIONS,
        "floor": floor,
        "rows": rows,
        "counts": values.get("counts", {}),
    }


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.1f}×" if a and b else "—"


def table(result: dict[str, Any]) -> str:
    floor = result["floor"]["p95_ms"]
    counts = ", ".join(f"{k} {v:,}" for k, v in result.get("counts", {}).items())
    lines = [
        f"### Scale {result['scale']} ({counts})",
        "",
        f"{result['seconds']} s per read row and mode (writes half as long). *People*: "
        f"{CONNECTIONS} users, each waiting 0.5–1.5 s between requests. *Saturated*: "
        f"{CONNECTIONS} connections with no wait at all (throughput). Framework floor "
        f"(saturated) p95 {floor:.1f} ms, {result['floor']['rps']:.0f} req/s.",
        "",
        "| page | people p50 ms | people p95 ms | saturated p95 ms | req/s | non-2xx "
        "| ours/floor | admin p95 ms | admin/ours | DB p95 ms (queries) | ours/DB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in result["rows"]:
        people, ours = row["people"], row["ours"]
        admin, db = row.get("admin"), row.get("database")
        cells = [
            row["name"],
            f"{people['p50_ms']:.1f}",
            f"{people['p95_ms']:.1f}",
            f"{ours['p95_ms']:.1f}",
            f"{ours['rps']:.0f}",
            str(people["non2xx"] + ours["non2xx"]),
            ratio(ours["p95_ms"], floor),
            f"{admin['p95_ms']:.1f}" if admin else "—",
            ratio(admin["p95_ms"], ours["p95_ms"]) if admin else "—",
            f"{db['p95_ms']:.1f} ({db['queries']})" if db else "—",
            ratio(people["p95_ms"], db["p95_ms"]) if db else "—",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def growth(results: list[dict[str, Any]]) -> str:
    if len(results) < 2:
        return ""
    small, large = results[0], results[-1]
    by_name = {row["name"]: row for row in small["rows"]}
    lines = [
        f"### p95 growth from scale {small['scale']} to scale {large['scale']}",
        "",
        "| page | people p95 small ms | people p95 large ms | large/small "
        "| saturated p95 small ms | saturated p95 large ms | large/small |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in large["rows"]:
        if row["name"] in by_name:
            before = by_name[row["name"]]
            a, b = before["people"]["p95_ms"], row["people"]["p95_ms"]
            c, d = before["ours"]["p95_ms"], row["ours"]["p95_ms"]
            lines.append(
                f"| {row['name']} | {a:.1f} | {b:.1f} | {b / a:.2f}× "
                f"| {c:.1f} | {d:.1f} | {d / c:.2f}× |"
            )
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.machine()
    memory = ""
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
        cpu = next(line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model"))
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        kb = int(next(line.split()[1] for line in meminfo if line.startswith("MemTotal")))
        memory = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} cores ({cpu}){memory}, Python {platform.python_version()}"


def write_report(results: list[dict[str, Any]], command: str) -> str:
    report = "\n\n".join([*(table(r) for r in results), growth(results)]).strip()
    (ROOT / "docs" / "performance.md").write_text(
        "# Performance\n\n"
        f"Measured {time.strftime('%Y-%m-%d')} on {machine()}, with `{command}`: bench/run.py "
        f"serves the portal with gunicorn ({GUNICORN_WORKERS} sync workers, one per connection, "
        "production-like "
        "settings, DEBUG off) on a synthetic district from `manage.py generate_load`, and drives "
        f"it with wrk ({CONNECTIONS} connections) from a separate process; PostgreSQL and Redis "
        "run on the same machine.\n\n"
        "- *people*: 20 users who each read a page for 0.5–1.5 s before the next request, the "
        "latency a person sees;\n"
        "- *saturated*: 20 connections that never wait, the throughput of the machine; by "
        "Little's law its p95 is about 20 × the time one request costs ÷ the cores;\n"
        "- *ours/floor*: our saturated p95 over that of a Django view with no database (the "
        "framework's floor);\n"
        "- *admin/ours*: the Django admin changelist with the same filter over ours, both "
        "saturated;\n"
        "- *ours/DB*: our people p95 over the p95 of the page's own SQL run back to back in the "
        "database alone (the database's floor; the session and user lookups included).\n\n"
        "Write rows go through the API with a token; each transition request accepts a different "
        "reported case.\n\n" + report + "\n"
    )
    return report


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, action="append", help="repeatable; 0.01 and 1")
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", "10")))
    parser.add_argument("--reload", action="store_true", help="regenerate the synthetic data")
    parser.add_argument("--one-scale", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.one_scale is not None:  # the child process of one scale
        result = run_scale(args.one_scale, args.seconds, args.reload)
        Path(args.out).write_text(json.dumps(result, indent=2, ensure_ascii=False))
        return 0

    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk (make bench installs it)")
    scales = sorted(args.scale or [0.01, 1.0])
    services = Services()
    results = []
    RESULTS.mkdir(parents=True, exist_ok=True)
    try:
        services.start()
        base_url = os.environ["DATABASE_URL"]
        for scale in scales:
            name = f"portal_bench_{str(scale).replace('.', '_')}"
            ensure_database(base_url, name)
            out = RESULTS / f"scale-{scale}.json"
            env = {
                **os.environ,
                "DATABASE_URL": database_url_for(base_url, name),
                "DJANGO_SETTINGS_MODULE": "config.settings.bench",
            }
            command = [sys.executable, __file__, "--one-scale", str(scale), "--out", str(out)]
            command += ["--seconds", str(args.seconds), *(["--reload"] if args.reload else [])]
            subprocess.run(command, cwd=ROOT, env=env, check=True)
            results.append(json.loads(out.read_text()))
    finally:
        services.stop()
    how = "make bench"
    if args.scale:
        how += " BENCH_ARGS='" + " ".join(f"--scale {s}" for s in scales) + "'"
    print("\n" + write_report(results, how) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
