#!/usr/bin/env python
"""What a page costs the server: the CPU time of one request of every read scenario of
bench/scenarios.py, in this process (Django's test client: the whole middleware, scoping,
templates and serializers; no network, no gunicorn), as the scenario's user (a second factor
passed, an API token for the API). The figure that sets how many requests a core serves:
20 saturated connections on 2 cores stay near 150 ms p95 at 15 ms a request.

A script, not a test: it prints, for each scenario, the median and the lowest CPU ms of
``--repeat`` requests after three not counted, and the process's CPU ms beside the wall ms
(the rest is waiting for PostgreSQL and Redis). A request that does not answer 200 or lacks
the scenario's marker stops the run with an error: it would have measured the wrong page.

    DATABASE_URL=postgres://.../portal_bench_1_0 DJANGO_SETTINGS_MODULE=config.settings.bench \\
        .venv/bin/python bench/page_cost.py [--repeat 15] [--only "case list"]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--only", action="append", help="names containing this (repeatable)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")

    from bench.run import Portal

    portal = Portal()
    from bench.scenarios import resolve, scenarios

    values = resolve()
    clients: dict[tuple[str, bool], Any] = {}
    print(f"| page | CPU p50 ms | CPU min ms | wall p50 ms | ({args.repeat} requests) |")
    print("| --- | ---: | ---: | ---: | --- |")
    for scenario in scenarios():
        if scenario.method != "GET" or scenario.kind == "single" or scenario.paths:
            continue
        if args.only and not any(part in scenario.name for part in args.only):
            continue
        client = clients.get((scenario.user, scenario.api))
        if client is None:
            client = clients[(scenario.user, scenario.api)] = _client(portal, scenario)
        path = scenario.path.format(**values)
        marker = scenario.marker.format(**values) if scenario.marker else None
        for _n in range(3):
            _check(scenario.name, client.get(path), marker)
        cpu, wall = [], []
        for _n in range(args.repeat):
            started, used = time.perf_counter(), time.process_time()
            response = client.get(path)
            cpu.append((time.process_time() - used) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
            _check(scenario.name, response, marker)
        print(
            f"| {scenario.name} | {statistics.median(cpu):.1f} | {min(cpu):.1f} | "
            f"{statistics.median(wall):.1f} | |"
        )


def _client(portal: Any, scenario: Any) -> Any:
    from django.conf import settings

    client = portal.client_class(HTTP_HOST="localhost")
    if scenario.api:
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {portal.token(scenario.user)}"
    else:
        client.cookies[settings.SESSION_COOKIE_NAME] = portal.session(scenario.user)
    return client


def _check(name: str, response: Any, marker: str | None) -> None:
    if response.status_code != 200:
        raise SystemExit(f"{name}: answered {response.status_code}")
    if marker is not None and marker not in response.content.decode():
        raise SystemExit(f"{name}: the body lacks its marker {marker!r}")


if __name__ == "__main__":
    main()
