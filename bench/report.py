"""What `make bench` makes of wrk's runs: the summary wrk prints, the rules that fail a row,
and the tables of docs/performance.md. Plain Python, no Django and no wrk, so that the rules
are tested on their own (tests/bench/test_report.py).

A row is one scenario of bench/scenarios.py; it runs in modes (warm-up, people, saturated,
the admin beside it). A mode fails when it completed no request (a warm-up may), when any
response was not 2xx, when a 2xx body lacked the scenario's marker (the page with its rows,
not an empty list or someone else's page), when a request timed out or its connection failed,
or when a write reused a target (a transition asked twice of one case). A failed row is
printed as FAILED with its reasons, never with its times, and the run exits non-zero."""

from __future__ import annotations

import json
import os
import platform
import re
from pathlib import Path
from typing import Any

#: What the Lua script (bench/wrk_report.lua) prints at the end of a run.
SUMMARY = re.compile(r"^BENCH_JSON (\{.*\})\s*$", re.MULTILINE)
#: The keys every summary carries, with their types.
FIELDS: dict[str, type] = {
    "requests": int,
    "seconds": float,
    "rps": float,
    "p50_ms": float,
    "p95_ms": float,
    "p99_ms": float,
    "non2xx": int,
    "first_bad_status": int,
    "missing_marker": int,
    "reused_targets": int,
    "connect_errors": int,
    "read_errors": int,
    "write_errors": int,
    "timeouts": int,
}
MODES = ("warm", "people", "ours", "admin", "tuned", "single")
MODE_NAMES = {
    "warm": "warm-up",
    "people": "people",
    "ours": "saturated",
    "admin": "admin",
    "tuned": "tuned admin",
    "single": "one at a time",
}


class WrkError(RuntimeError):
    """wrk ran but printed no summary we can read."""


def parse_wrk(stdout: str) -> dict[str, Any]:
    """The summary line of one wrk run, checked: every field present, of its type."""
    found = SUMMARY.findall(stdout)
    if len(found) != 1:
        raise WrkError(f"wrk printed {len(found)} summaries, not one:\n{stdout[-2000:]}")
    try:
        raw = json.loads(found[0])
    except json.JSONDecodeError as exc:
        raise WrkError(f"wrk's summary is not JSON: {found[0]}") from exc
    summary: dict[str, Any] = {}
    for name, kind in FIELDS.items():
        if name not in raw:
            raise WrkError(f"wrk's summary has no {name}: {found[0]}")
        summary[name] = kind(raw[name])
    return summary


def failures(summary: dict[str, Any], marker: str | None, *, warm: bool = False) -> list[str]:
    """Why one mode of a row does not count; empty when it does. A warm-up that completed no
    request (a slow page on a busy machine) has warmed the workers all the same; any bad
    answer in it fails the row like one in a measured run."""
    reasons = []
    if summary["requests"] == 0 and not warm:
        reasons.append("no completed requests")
    if summary["non2xx"]:
        reasons.append(
            f"{summary['non2xx']} non-2xx responses (first {summary['first_bad_status']})"
        )
    if marker is not None and summary["missing_marker"]:
        reasons.append(f"{summary['missing_marker']} bodies without {marker!r}")
    if summary["timeouts"]:
        reasons.append(f"{summary['timeouts']} requests timed out")
    broken = summary["connect_errors"] + summary["read_errors"] + summary["write_errors"]
    if broken:
        reasons.append(f"{broken} connection errors")
    if summary["reused_targets"]:
        reasons.append(f"{summary['reused_targets']} requests reused a target (too few prepared)")
    return reasons


def row_failures(row: dict[str, Any]) -> list[str]:
    """Every reason, mode by mode, a row failed; a row without a marker fails as well."""
    reasons = [f"{MODE_NAMES[mode]}: {why}" for mode, why in row.get("errors", [])]
    if not row.get("marker"):
        reasons.append("the scenario names no marker to check its bodies against")
    for mode in MODES:
        if mode in row:
            found = failures(row[mode], row["marker"], warm=mode == "warm")
            reasons += [f"{MODE_NAMES[mode]}: {why}" for why in found]
    return reasons


def failed(result: dict[str, Any]) -> list[str]:
    """Every failure of one scale's run: its rows' and its own (the server, the restore)."""
    lines = [f"scale {result['scale']}: {why}" for why in result.get("errors", [])]
    for row in result.get("rows", []):
        lines += [f"scale {result['scale']}, {row['name']}: {why}" for why in row_failures(row)]
    return lines


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.1f}×" if a and b else "—"


def _ok(row: dict[str, Any] | None) -> bool:
    return row is not None and not row_failures(row)


def parameters_line(result: dict[str, Any]) -> str:
    """The load's own parameters and the shares it came out with (generate_load records
    them in ``LoadMarker.parameters``)."""
    load = result.get("load") or {}
    if not load:
        return "The load recorded no parameters (loaded by an older generate_load)."
    measured = load.get("measured", {})

    def pct(key: str) -> str:
        value = measured.get(key)
        return f"{100 * value:.1f} %" if isinstance(value, int | float) else "—"

    return (
        f"Load: scale {load.get('scale')}, seed {load.get('seed')}, generator version "
        f"{load.get('version')}, as of {load.get('end')}; open {pct('open_of_cases')} of "
        f"cases, overdue {pct('overdue_of_open')} and supervised {pct('supervised_of_open')} "
        f"of the open ones, {measured.get('events_per_case', '—')} timeline rows per case."
    )


def table(result: dict[str, Any], connections: int) -> str:
    floor = result.get("floor") or {}
    floor_p95 = floor.get("p95_ms") if floor and not failures(floor, "ok") else None
    counts = ", ".join(f"{k} {v:,}" for k, v in result.get("counts", {}).items())
    floor_text = f"p95 {floor_p95:.1f} ms, {floor['rps']:.0f} req/s" if floor_p95 else "FAILED"
    lines = [
        f"### Scale {result['scale']} ({counts})",
        "",
        f"{result['seconds']} s per read row and mode (writes half as long), each after a "
        f"warm-up of its own that is not measured. *People*: {connections} users, each waiting "
        f"0.5–1.5 s between requests. *Saturated*: {connections} connections with no wait at "
        f"all (throughput). Framework floor (saturated) {floor_text}.",
        "",
        parameters_line(result),
        "",
        "| page | people p50 ms | people p95 ms | saturated p95 ms | req/s | non-2xx "
        "| ours/floor | admin p95 ms | admin/ours | tuned admin p95 ms | tuned/ours "
        "| DB p95 ms (queries) | ours/DB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: |",
    ]
    notes = []
    singles = [row for row in result["rows"] if "single" in row]
    for row in result["rows"]:
        if "single" in row:
            continue
        reasons = row_failures(row)
        if reasons:
            lines.append(f"| {row['name']} | FAILED |" + " |" * 11)
            notes += [f"- {row['name']}: {why}" for why in reasons]
            continue
        people, ours = row["people"], row["ours"]
        admin, tuned, db = row.get("admin"), row.get("tuned"), row.get("database")
        cells = [
            row["name"],
            f"{people['p50_ms']:.1f}",
            f"{people['p95_ms']:.1f}",
            f"{ours['p95_ms']:.1f}",
            f"{ours['rps']:.0f}",
            str(people["non2xx"] + ours["non2xx"]),
            ratio(ours["p95_ms"], floor_p95),
            f"{admin['p95_ms']:.1f}" if admin else "—",
            ratio(admin["p95_ms"], ours["p95_ms"]) if admin else "—",
            f"{tuned['p95_ms']:.1f}" if tuned else "—",
            ratio(tuned["p95_ms"], ours["p95_ms"]) if tuned else "—",
            f"{db['p95_ms']:.1f} ({db['queries']})" if db else "—",
            ratio(people["p95_ms"], db["p95_ms"]) if db else "—",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    if singles:
        lines += ["", *one_at_a_time_table(result, singles, notes)]
    errors = [f"- the run: {why}" for why in result.get("errors", [])]
    if notes or errors:
        lines += ["", "Failed:", "", *errors, *notes]
    return "\n".join(lines)


def one_at_a_time_table(
    result: dict[str, Any], singles: list[dict[str, Any]], notes: list[str]
) -> list[str]:
    """The rows measured one request at a time (a page counted afresh after a change, and
    the naive floors, too slow for wrk's connections), beside the wrk row they are the floor
    of: the row of the same name without its parenthesis."""
    by_name = {row["name"]: row for row in result["rows"] if "single" not in row}
    lines = [
        "One request at a time (no other in flight), each to the end: *fresh* is the page "
        "counted again as after any change of its data (the cache emptied before each "
        "request), *naive* the same figures counted straight from the case tables.",
        "",
        "| page | requests | p50 ms | slowest ms | kept page, people p95 ms | this/kept |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in singles:
        reasons = row_failures(row)
        if reasons:
            lines.append(f"| {row['name']} | FAILED |" + " |" * 4)
            notes += [f"- {row['name']}: {why}" for why in reasons]
            continue
        single = row["single"]
        base = by_name.get(row["name"].split(" (", 1)[0])
        kept = base["people"]["p95_ms"] if base is not None and _ok(base) else None
        cells = [
            row["name"],
            str(single["requests"]),
            f"{single['p50_ms']:.1f}",
            f"{single['p95_ms']:.1f}",
            f"{kept:.1f}" if kept else "—",
            ratio(single["p50_ms"], kept),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def growth(results: list[dict[str, Any]]) -> str:
    """People and saturated p95 of the largest scale over the smallest, row by row; a row
    that failed at either scale, or has no time, shows no ratio."""
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
        before = by_name.get(row["name"])
        if before is None:
            continue
        if not (_ok(before) and _ok(row)):
            lines.append(f"| {row['name']} | FAILED |" + " |" * 5)
            continue
        cells = [row["name"]]
        for mode in ("people", "ours"):
            mode = mode if mode in row else "single"  # one at a time: its p50 twice
            key = "p95_ms" if mode != "single" else "p50_ms"
            a, b = before[mode][key], row[mode][key]
            cells += [f"{a:.1f}", f"{b:.1f}", f"{b / a:.2f}×" if a > 0 else "—"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def capacity(result: dict[str, Any], *, cores: int, think_s: float) -> str:
    """What one web node of this machine serves, from the largest scale's saturated runs: the
    requests per second of each read page (and per core), and the people it keeps at the
    people mode's pace (each reads a page ``think_s`` on average, then asks for the next);
    and the database's size per million cases."""
    lines = [
        f"### Capacity (scale {result['scale']}, one web node of {cores} cores with its "
        "database on the same machine)",
        "",
        f"From the saturated runs above: *people* is how many users reading a page for "
        f"{think_s:.1f} s on average one node keeps busy on that page alone "
        "(req/s × (think time + the page's p95)). A mix of pages serves between the "
        "slowest and the fastest row.",
        "",
        "| page | req/s per node | req/s per core | people per node |",
        "| --- | ---: | ---: | ---: |",
    ]
    for row in result["rows"]:
        if "single" in row or not _ok(row) or row.get("method", "GET") != "GET":
            continue
        ours = row["ours"]
        if row["name"].startswith("API case create") or "transition" in row["name"]:
            continue  # writes: see their rows
        people = ours["rps"] * (think_s + ours["p95_ms"] / 1000)
        lines.append(
            f"| {row['name']} | {ours['rps']:.0f} | {ours['rps'] / cores:.1f} | {people:.0f} |"
        )
    size = result.get("database_bytes")
    cases = result.get("counts", {}).get("cases")
    if size and cases:
        per_million = size / cases * 1_000_000 / 1024**3
        lines += [
            "",
            f"Database: {size / 1024**3:.1f} GiB for {cases:,} cases and the district around "
            f"them, about {per_million:.1f} GiB per million cases (tables, indexes, "
            "rollups; the synthetic district's other rows grow with it).",
        ]
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
