#!/usr/bin/env python
"""`make bench`: measure the portal's main pages and API side by side with their floors.

For each scale (default 0.01 and 1) it loads a synthetic district into a database of its own
(`manage.py generate_load --scale S`, which does nothing when that database already holds the
same load), starts the portal under gunicorn, and drives every scenario of bench/scenarios.py
from a separate process with wrk (20 connections, a fixed duration). Beside each page it
measures:

* the framework floor: a Django view with no database and no template (`/bench/floor`);
* the Django admin changelist with the same filter, where there is one: as the back office has
  it, and tuned as a team would for a million rows (bench/peers.py);
* the database floor: the SQL our page runs, captured once and timed in PostgreSQL alone.

Each row runs a warm-up of its own (not measured), then the people and the saturated mode;
before each run the harness waits until no request of the one before is still being served
(bench/serve.py). Write rows run against data that is put back after each run
(bench/restore.py), so that repeated runs measure the same data; the transition row accepts
cases reported for it. A row that completed no request, got any non-2xx answer or a body
without its marker fails (bench/report.py): it is printed as FAILED, and the run exits 1.

It prints a table per scale and the p95 growth between the smallest and the largest scale, and
writes bench/results/scale-<S>.json and docs/performance.md. Each scale runs in a child process
because Django's settings (the database) are fixed once per process.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from portal import BIN, Services, free_port, say  # noqa: E402

from bench.report import (  # noqa: E402
    FIELDS,
    WrkError,
    capacity,
    failed,
    failures,
    growth,
    machine,
    row_failures,
    table,
)
from bench.scenarios import Scenario  # noqa: E402
from bench.serve import Server, ServerError, wrk  # noqa: E402

RESULTS = ROOT / "bench" / "results"
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
#: Each row's own warm-up, before its measured runs and not counted in them.
WARM_SECONDS = 3
#: Targets made for a warm-up of a row that needs one per request: a bound on its rate.
WARM_TARGETS_PER_SECOND = 100
#: A request of a one-at-a-time row (the naive floors) may take this long.
SINGLE_TIMEOUT = 900
FLOOR_MARKER = "ok"
ADMIN_MARKER = '<th class="field-number">'


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


def targets_needed(mode: str, seconds: float, rate: float) -> int:
    """How many one-off targets (cases to accept) a run may use up, generously: a warm-up at
    most ``WARM_TARGETS_PER_SECOND``, people at most one request per user and half a think
    time, the saturated mode twice the warm-up's rate."""
    if mode == "warm":
        per_second = float(WARM_TARGETS_PER_SECOND)
    elif mode == "people":
        per_second = CONNECTIONS * 1000 / (THINK_MS / 2)
    else:
        per_second = 2 * rate
    return math.ceil(per_second * seconds) + 2 * CONNECTIONS


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

    def load(self) -> dict[str, Any]:
        """What generate_load recorded about this load (scale, seed, shares)."""
        from bench.models import LoadMarker

        marker = LoadMarker.objects.order_by("-started_at", "-id").first()
        return dict(marker.parameters) if marker is not None else {}

    def checkpoint(self) -> Any:
        from bench.restore import Checkpoint

        return Checkpoint.take()

    def database_bytes(self) -> int:
        """The size of the bench database on disk (tables, indexes, TOAST)."""
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0])

    def forget_cache(self) -> None:
        """Empty the cache the server shares with this process (kept pages, not sessions:
        they are in the database as well)."""
        from django.core.cache import cache

        cache.clear()

    def session(self, username: str) -> str:
        """A signed-in session that has passed the second factor, as after the login and code
        pages (the load's district admin and the back office's staff are asked for one)."""
        if username not in self._sessions:
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_totp.models import TOTPDevice

            from accounts.two_factor.policies import requires_two_factor
            from accounts.two_factor.services import VERIFIED_SESSION_KEY

            user = self.user_model.objects.get(username=username)
            client = self.client_class()
            client.force_login(user)
            session = client.session
            if requires_two_factor(user) or user.is_staff:
                device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
                if device is None:
                    device = TOTPDevice.objects.create(user=user, name="make bench", confirmed=True)
                session[DEVICE_ID_SESSION_KEY] = device.persistent_id
                session[VERIFIED_SESSION_KEY] = True
                session.save()
            self._sessions[username] = str(session.session_key)
        return self._sessions[username]

    def token(self, username: str) -> str:
        if username not in self._tokens:
            from accounts.token_services import api_token_issue

            user = self.user_model.objects.get(username=username)
            _token, self._tokens[username] = api_token_issue(user=user, name="make bench")
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


def measure(
    server: Server,
    url: str,
    seconds: float,
    headers: dict[str, str],
    *,
    method: str = "GET",
    body: str | None = None,
    paths: list[str] | None = None,
    think_ms: int = 0,
    marker: str | None = None,
) -> dict[str, Any]:
    """One wrk run, then the wait until none of its requests is still being served."""
    summary = wrk(
        url,
        seconds,
        headers,
        connections=CONNECTIONS,
        threads=WRK_THREADS,
        method=method,
        body=body,
        paths=paths,
        think_ms=think_ms,
        marker=marker,
    )
    summary["drained_s"] = round(server.drain(), 3)
    return summary


def one_at_a_time(
    portal: Portal,
    server: Server,
    url: str,
    headers: dict[str, str],
    *,
    rounds: int,
    marker: str | None,
    cold: bool,
) -> dict[str, Any]:
    """``rounds`` requests one after the other (no other request in flight), each with a
    generous timeout: the time one person waits for a page too slow to load under wrk's
    connections (the naive floors). With ``cold`` the cache is emptied before each request,
    so that the page is counted afresh, as after any change of its data. The summary has the
    fields of a wrk run, so that the same rules fail it."""
    summary: dict[str, Any] = {key: kind() for key, kind in FIELDS.items()}
    timings = []
    started_all = time.perf_counter()
    for _ in range(rounds):
        if cold:
            portal.forget_cache()
        request = urllib.request.Request(url, headers=headers)  # noqa: S310 (the bench server)
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=SINGLE_TIMEOUT) as answer:  # noqa: S310
                body = answer.read().decode("utf-8", "replace")
                status = answer.status
        except urllib.error.HTTPError as exc:
            body, status = "", exc.code
        except (urllib.error.URLError, TimeoutError, ConnectionError, http.client.HTTPException):
            # no answer (the worker was killed past its limit, the connection dropped): the
            # row fails, the run goes on to the next one
            summary["timeouts"] += 1
            continue
        timings.append((time.perf_counter() - started) * 1000)
        summary["requests"] += 1
        if not 200 <= status < 300:
            summary["non2xx"] += 1
            summary["first_bad_status"] = summary["first_bad_status"] or status
        elif marker is not None and marker not in body:
            summary["missing_marker"] += 1
    summary["drained_s"] = round(server.drain(), 3)
    summary["seconds"] = round(time.perf_counter() - started_all, 3)
    if timings:
        timings.sort()
        summary["rps"] = len(timings) / summary["seconds"]
        summary["p50_ms"] = statistics.median(timings)
        summary["p95_ms"] = summary["p99_ms"] = timings[-1]  # of a handful: the slowest
    return summary


def run_row(
    portal: Portal, server: Server, scenario: Scenario, values: dict[str, Any], seconds: int
) -> dict[str, Any]:
    """One scenario: its warm-up, people and saturated runs (a write's each from the same
    data), the admin beside it, its SQL alone. Errors are recorded in the row, not raised,
    except a server that no longer drains."""
    from bench import scenarios as catalogue

    path = scenario.path.format(**values)
    body = None
    if scenario.body is not None:
        body = json.dumps(
            {k: v.format(**values) for k, v in scenario.body.items()}, ensure_ascii=False
        )
    marker = scenario.marker.format(**values) if scenario.marker else None
    write = scenario.method != "GET"
    duration = seconds if not write else max(2, seconds // 2)
    headers = portal.headers(scenario.user, scenario.api, body is not None)
    row: dict[str, Any] = {"name": scenario.name, "path": path, "marker": marker, "errors": []}
    if scenario.kind == "single":
        row["single"] = one_at_a_time(
            portal,
            server,
            server.base + path,
            headers,
            rounds=int(scenario.extra.get("rounds", 3)),
            marker=marker,
            cold=bool(scenario.extra.get("cold")),
        )
        return row
    checkpoint = portal.checkpoint() if write else None
    rate = float(WARM_TARGETS_PER_SECOND)
    for mode, mode_seconds, think in (
        ("warm", WARM_SECONDS, 0),
        ("people", duration, THINK_MS),
        ("ours", duration, 0),
    ):
        try:
            paths = None
            if scenario.paths:
                count = targets_needed(mode, mode_seconds, rate)
                paths = getattr(catalogue, scenario.paths)(count)
                row.setdefault("targets", {})[mode] = count
            row[mode] = measure(
                server,
                server.base + path,
                mode_seconds,
                headers,
                method=scenario.method,
                body=body,
                paths=paths,
                think_ms=think,
                marker=marker,
            )
            rate = max(rate if mode != "warm" else 0.0, row[mode]["rps"], 1.0)
        except (subprocess.SubprocessError, WrkError, OSError, RuntimeError) as exc:
            if isinstance(exc, ServerError):
                raise
            row["errors"].append([mode, f"{type(exc).__name__}: {exc}"])
            server.drain()
        finally:
            if checkpoint is not None:
                row.setdefault("restored", {})[mode] = checkpoint.restore()
    if checkpoint is not None:
        row["audit_rows_kept"] = sum(checkpoint.kept.values())
    if scenario.admin_path:
        # The stock admin as the back office has it, and tuned as a team would (bench/peers.py).
        admin_path = scenario.admin_path.format(**values)
        admin_headers = portal.headers("load_district_admin", api=False)
        for mode, prefix in (("admin", "/admin/"), ("tuned", "/bench/admin/")):
            admin_url = server.base + admin_path.replace("/admin/", prefix, 1)
            try:
                warm = measure(server, admin_url, WARM_SECONDS, admin_headers, marker=ADMIN_MARKER)
                found = failures(warm, ADMIN_MARKER, warm=True)
                row["errors"] += [[mode, f"warm-up: {why}"] for why in found]
                row[mode] = measure(server, admin_url, seconds, admin_headers, marker=ADMIN_MARKER)
            except (subprocess.SubprocessError, WrkError, OSError) as exc:
                row["errors"].append([mode, f"{type(exc).__name__}: {exc}"])
    if not write:
        try:
            row["database"] = portal.time_sql(portal.captured_sql(scenario, path))
        except RuntimeError as exc:
            row["errors"].append(["people", f"the page's SQL: {exc}"])
    return row


def run_scale(scale: float, seconds: int, reload: bool) -> dict[str, Any]:
    """One scale, in this (child) process: load, serve, measure. Whatever fails is recorded
    in the result; the server is stopped (killed past its limit) in every case."""
    from bench import scenarios as catalogue

    env = {**os.environ}
    manage(env, "migrate", "--noinput", "-v", "0")
    say(f"scale {scale}: the synthetic district (generate_load skips a loaded database)")
    manage(env, "generate_load", "--scale", str(scale), *(["--reload"] if reload else []))

    portal = Portal()
    values = catalogue.resolve()
    result: dict[str, Any] = {
        "scale": scale,
        "seconds": seconds,
        "connections": CONNECTIONS,
        "warm_seconds": WARM_SECONDS,
        "counts": values.get("counts", {}),
        "load": portal.load(),
        "database_bytes": portal.database_bytes(),
        "load_average_before": list(os.getloadavg()),
        "floor": None,
        "rows": [],
        "errors": [],
    }
    server = Server(BIN / "gunicorn", ROOT, env, GUNICORN_WORKERS)
    try:
        server.start(free_port(8765))
        base = server.base
        # Every worker imports and answers once before anything is measured.
        measure(server, f"{base}/bench/floor", WARM_SECONDS, {}, marker=FLOOR_MARKER)
        floor = measure(server, f"{base}/bench/floor", seconds, {}, marker=FLOOR_MARKER)
        result["floor"] = floor
        result["errors"] += [f"framework floor: {why}" for why in failures(floor, FLOOR_MARKER)]
        say(f"framework floor: p95 {floor['p95_ms']:.1f} ms, {floor['rps']:.0f} req/s")
        only = [part for part in os.environ.get("BENCH_ONLY", "").split("\n") if part]
        for scenario in catalogue.scenarios():
            if only and not any(part in scenario.name for part in only):
                continue
            row = run_row(portal, server, scenario, values, seconds)
            result["rows"].append(row)
            reasons = row_failures(row)
            if reasons:
                say(f"{scenario.name}: FAILED: " + "; ".join(reasons))
            elif "single" in row:
                single = row["single"]
                say(
                    f"{scenario.name}: one at a time, {single['requests']} requests, p50 "
                    f"{single['p50_ms']:.1f} ms, slowest {single['p95_ms']:.1f} ms"
                )
            else:
                people, ours = row["people"], row["ours"]
                say(
                    f"{scenario.name}: people p95 {people['p95_ms']:.1f} ms; saturated p95 "
                    f"{ours['p95_ms']:.1f} ms, {ours['rps']:.0f} req/s"
                )
    except Exception as exc:  # the scale fails; the others still run
        result["errors"].append(f"{type(exc).__name__}: {exc}")
        say(f"scale {scale}: FAILED: {type(exc).__name__}: {exc}")
    finally:
        try:
            server.stop()
        except ServerError as exc:
            result["errors"].append(str(exc))
    result["load_average_after"] = list(os.getloadavg())
    return result


#: docs/performance.md from this heading on is prose kept across runs (not measured here).
KEPT_HEADING = "\n## Scale out"


def write_report(results: list[dict[str, Any]], command: str, document_too: bool = True) -> str:
    parts = [*(table(r, CONNECTIONS) for r in results), growth(results)]
    if results and document_too:
        parts.append(capacity(results[-1], cores=os.cpu_count() or 1, think_s=THINK_MS / 1000))
    report = "\n\n".join(part for part in parts if part).strip()
    if not document_too:
        return report
    document = ROOT / "docs" / "performance.md"
    before = document.read_text() if document.exists() else ""
    kept = before[before.index(KEPT_HEADING) :] if KEPT_HEADING in before else ""
    loads = "; ".join(
        f"scale {r['scale']}: {r['load_average_before'][0]:.2f} before, "
        f"{r.get('load_average_after', [0.0])[0]:.2f} after"
        for r in results
        if r.get("load_average_before")
    )
    document.write_text(
        "# Performance\n\n"
        f"Measured {time.strftime('%Y-%m-%d')} on {machine()}, with `{command}`: bench/run.py "
        f"serves the portal with gunicorn ({GUNICORN_WORKERS} sync workers, one per connection, "
        "production-like settings, DEBUG off) on a synthetic district from `manage.py "
        f"generate_load`, and drives it with wrk ({CONNECTIONS} connections) from a separate "
        "process; PostgreSQL and Redis run on the same machine. One-minute load average "
        f"({loads}).\n\n"
        "- *people*: 20 users who each read a page for 0.5–1.5 s before the next request, the "
        "latency a person sees;\n"
        "- *saturated*: 20 connections that never wait, the throughput of the machine; by "
        "Little's law its p95 is about 20 × the time one request costs ÷ the cores;\n"
        "- *ours/floor*: our saturated p95 over that of a Django view with no database (the "
        "framework's floor);\n"
        "- *admin/ours*: the Django admin changelist with the same filter over ours, both "
        "saturated, as the back office has it (100 rows a page, the table's full count "
        "beside the filtered one);\n"
        "- *tuned/ours*: the same changelist tuned as a team would for a million rows "
        "(`list_per_page = 20`, `show_full_result_count = False`: bench/peers.py) over ours;\n"
        "- *ours/DB*: our people p95 over the p95 of the page's own SQL run back to back in the "
        "database alone (the database's floor; the session and user lookups included).\n\n"
        f"Every row has a warm-up of its own ({WARM_SECONDS} s, not measured), and no run "
        "starts before the requests of the one before have all been served. A row fails, and "
        "is shown as FAILED with its reasons, when a run completed no request, got any "
        "non-2xx answer, a body without the row's marker (its rows), a timeout or a "
        "connection error. Write rows go through the API with a token; each of their runs "
        "starts from the same data (what a run wrote is deleted after it, bench/restore.py), "
        "and each transition request accepts a different case reported for it.\n\n"
        + report
        + "\n"
        + kept
    )
    return report


def _terminate(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, action="append", help="repeatable; 0.01 and 1")
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", "10")))
    parser.add_argument("--reload", action="store_true", help="regenerate the synthetic data")
    parser.add_argument(
        "--only",
        action="append",
        help="repeatable: only the rows whose name contains this (printed, docs not rewritten)",
    )
    parser.add_argument("--one-scale", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.one_scale is not None:  # the child process of one scale
        signal.signal(signal.SIGTERM, _terminate)  # so that the server is stopped
        result = run_scale(args.one_scale, args.seconds, args.reload)
        Path(args.out).write_text(json.dumps(result, indent=2, ensure_ascii=False))
        return 0

    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk (make bench installs it)")
    scales = sorted(args.scale or [0.01, 1.0])
    services = Services()
    results = []
    RESULTS.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        services.start()
        base_url = os.environ["DATABASE_URL"]
        for scale in scales:
            name = f"portal_bench_{str(scale).replace('.', '_')}"
            ensure_database(base_url, name)
            out = RESULTS / (f"scale-{scale}-only.json" if args.only else f"scale-{scale}.json")
            out.unlink(missing_ok=True)
            env = {
                **os.environ,
                "DATABASE_URL": database_url_for(base_url, name),
                "DJANGO_SETTINGS_MODULE": "config.settings.bench",
                "BENCH_ONLY": "\n".join(args.only or []),
            }
            command = [sys.executable, __file__, "--one-scale", str(scale), "--out", str(out)]
            command += ["--seconds", str(args.seconds), *(["--reload"] if args.reload else [])]
            child = subprocess.run(command, cwd=ROOT, env=env, check=False)
            if out.exists():
                results.append(json.loads(out.read_text()))
            else:
                results.append(
                    {
                        "scale": scale,
                        "seconds": args.seconds,
                        "rows": [],
                        "errors": [f"the run of this scale exited with {child.returncode}"],
                    }
                )
    finally:
        services.stop()
    how = "make bench"
    if args.scale:
        options = [f"--scale {s}" for s in scales] + [f"--seconds {args.seconds}"]
        how += ' BENCH_ARGS="' + " ".join(options) + '"'
    print("\n" + write_report(results, how, document_too=not args.only) + "\n")
    problems = [line for result in results for line in failed(result)]
    if problems:
        print("make bench: FAILED\n" + "\n".join(f"  {line}" for line in problems), flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
