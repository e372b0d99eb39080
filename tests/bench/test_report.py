"""The harness's reading of wrk and its rules for failing a row (bench/report.py): no wrk,
no database."""

from typing import Any

import pytest

from bench.report import WrkError, failed, failures, growth, parse_wrk, row_failures, table

GOOD = {
    "requests": 400,
    "seconds": 5.0,
    "rps": 80.0,
    "p50_ms": 20.0,
    "p95_ms": 40.0,
    "p99_ms": 60.0,
    "non2xx": 0,
    "first_bad_status": 0,
    "missing_marker": 0,
    "reused_targets": 0,
    "connect_errors": 0,
    "read_errors": 0,
    "write_errors": 0,
    "timeouts": 0,
}


def summary(**changes: Any) -> dict[str, Any]:
    return {**GOOD, **changes}


def wrk_output(values: dict[str, Any]) -> str:
    fields = ", ".join(f'"{k}": {v}' for k, v in values.items())
    return (
        "Running 5s test @ http://127.0.0.1:8765/cases/\n"
        "  2 threads and 20 connections\n"
        "Requests/sec:     80.00\n"
        f"BENCH_JSON {{{fields}}}\n"
    )


def row(name: str = "case list", marker: str | None = "case-row", **modes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"name": name, "marker": marker, "errors": []}
    base.update({"warm": summary(), "people": summary(), "ours": summary()})
    base.update(modes)
    return base


def test_the_summary_wrk_prints_is_read_with_its_types() -> None:
    parsed = parse_wrk(wrk_output({**GOOD, "requests": "400", "p95_ms": 41.25}))
    assert parsed["requests"] == 400 and isinstance(parsed["requests"], int)
    assert parsed["p95_ms"] == 41.25


@pytest.mark.parametrize(
    "output",
    [
        "Running 5s test\nunable to connect to 127.0.0.1:8765 Connection refused\n",
        wrk_output(GOOD) + wrk_output(GOOD),
        "BENCH_JSON {not json}\n",
        wrk_output({k: v for k, v in GOOD.items() if k != "missing_marker"}),
    ],
    ids=["no summary", "two summaries", "not json", "a field missing"],
)
def test_a_summary_that_cannot_be_read_is_an_error(output: str) -> None:
    with pytest.raises(WrkError):
        parse_wrk(output)


def test_a_clean_run_has_no_failures() -> None:
    assert failures(summary(), "case-row") == []
    assert row_failures(row()) == []


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"requests": 0, "p95_ms": 0.0}, "no completed requests"),
        ({"non2xx": 3, "first_bad_status": 409}, "3 non-2xx responses (first 409)"),
        ({"missing_marker": 5}, "5 bodies without 'case-row'"),
        ({"timeouts": 2}, "2 requests timed out"),
        ({"connect_errors": 1, "read_errors": 1}, "2 connection errors"),
        ({"reused_targets": 7}, "7 requests reused a target (too few prepared)"),
    ],
)
def test_each_rule_fails_a_run(changes: dict[str, Any], reason: str) -> None:
    assert failures(summary(**changes), "case-row") == [reason]


def test_a_row_fails_for_any_of_its_modes_its_errors_or_no_marker() -> None:
    assert row_failures(row(warm=summary(non2xx=1, first_bad_status=500))) == [
        "warm-up: 1 non-2xx responses (first 500)"
    ]
    assert row_failures(row(admin=summary(missing_marker=2))) == [
        "admin: 2 bodies without 'case-row'"
    ]
    broken = row()
    broken["errors"] = [["ours", "TimeoutExpired: wrk ran past its limit"]]
    assert row_failures(broken) == ["saturated: TimeoutExpired: wrk ran past its limit"]
    assert row_failures(row(marker=None)) == [
        "the scenario names no marker to check its bodies against"
    ]


def result(scale: float, rows: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "scale": scale,
        "seconds": 5,
        "counts": {"cases": 10_000},
        "floor": summary(p95_ms=10.0),
        "rows": rows,
        **extra,
    }


def test_a_failed_row_is_printed_as_failed_never_with_its_times() -> None:
    # given a row that answered quickly with nothing but errors
    fast_and_wrong = row(
        people=summary(p95_ms=0.5, non2xx=400, first_bad_status=302),
        ours=summary(p95_ms=0.4, non2xx=400, first_bad_status=302),
    )
    # when
    text = table(result(0.01, [fast_and_wrong]), connections=20)
    # then
    line = next(line for line in text.splitlines() if line.startswith("| case list"))
    assert line.count("|") == 14 and "FAILED" in line and "0.5" not in line
    assert "- case list: people: 400 non-2xx responses (first 302)" in text
    assert failed(result(0.01, [fast_and_wrong]))[0].startswith("scale 0.01, case list: people")


def test_a_run_without_requests_never_divides_by_zero_in_the_growth_table() -> None:
    # given the same row, fine at the small scale and with no request at the large one
    small = result(0.01, [row()])
    large = result(1.0, [row(people=summary(requests=0, p95_ms=0.0, p50_ms=0.0))])
    zero = result(0.01, [row(people=summary(p95_ms=0.0))])
    # then
    text = growth([small, large])
    assert "| case list | FAILED |" in text
    assert "| case list | 0.0 | 40.0 | — |" in growth([zero, result(1.0, [row()])])
    assert "FAILED" in table(large, connections=20)


def test_the_growth_table_divides_large_by_small() -> None:
    small = result(0.01, [row()])
    large = result(1.0, [row(people=summary(p95_ms=60.0), ours=summary(p95_ms=50.0))])
    assert "| case list | 40.0 | 60.0 | 1.50× | 40.0 | 50.0 | 1.25× |" in growth([small, large])


def test_errors_of_a_scale_fail_the_run_and_appear_in_its_table() -> None:
    broken = result(1.0, [], errors=["ServerError: gunicorn did not answer within 300 s"])
    assert failed(broken) == ["scale 1.0: ServerError: gunicorn did not answer within 300 s"]
    assert "- the run: ServerError" in table(broken, connections=20)


def test_the_load_parameters_are_printed_beside_the_results() -> None:
    load = {
        "scale": "0.01",
        "seed": 20261127,
        "version": 2,
        "end": "2026-11-27 17:30:00 Asia/Shanghai",
        "measured": {
            "open_of_cases": 0.0204,
            "overdue_of_open": 0.049,
            "supervised_of_open": 0.1275,
            "events_per_case": 6.91,
        },
    }
    text = table(result(0.01, [row()], load=load), connections=20)
    assert "seed 20261127" in text and "open 2.0 % of cases" in text
    assert "overdue 4.9 % and supervised 12.8 % of the open ones" in text


def test_a_warm_up_may_complete_nothing_but_may_not_answer_badly() -> None:
    cold = summary(requests=0, p95_ms=0.0)
    assert failures(cold, "case-row", warm=True) == []
    assert row_failures(row(warm=cold)) == []
    assert row_failures(row(warm=summary(requests=0, missing_marker=0, non2xx=2))) == [
        "warm-up: 2 non-2xx responses (first 0)"
    ]


def single(name: str, **changes: Any) -> dict[str, Any]:
    """A row measured one request at a time (its summary has the fields of a wrk run)."""
    return {"name": name, "marker": "区域", "errors": [], "single": summary(**changes)}


def test_rows_measured_one_at_a_time_are_set_beside_their_kept_page() -> None:
    # given the kept dashboard under wrk, and the same page fresh and naive one at a time
    rows = [
        row("dashboard", people=summary(p95_ms=50.0)),
        single("dashboard (fresh)", requests=5, p50_ms=400.0, p95_ms=450.0),
        single("dashboard (naive)", requests=2, p50_ms=9000.0, p95_ms=9500.0),
    ]
    # when
    text = table(result(1.0, rows), connections=20)
    # then they are not in the wrk table, but in their own, each over the kept page's p95
    assert "| dashboard (fresh) | 5 | 400.0 | 450.0 | 50.0 | 8.0× |" in text
    assert "| dashboard (naive) | 2 | 9000.0 | 9500.0 | 50.0 | 180.0× |" in text
    assert not failed(result(1.0, rows))


def test_a_row_one_at_a_time_fails_on_a_timeout_a_bad_answer_or_no_request() -> None:
    for changes, reason in (
        ({"requests": 0, "timeouts": 2}, "one at a time: no completed requests"),
        ({"non2xx": 1, "first_bad_status": 500}, "one at a time: 1 non-2xx responses"),
        ({"missing_marker": 1}, "one at a time: 1 bodies without '区域'"),
    ):
        broken = result(1.0, [single("dashboard (naive)", **changes)])
        reasons = failed(broken)
        assert reasons and reasons[0].startswith(f"scale 1.0, dashboard (naive): {reason}")
        assert "| dashboard (naive) | FAILED |" in table(broken, connections=20)


def test_the_admin_is_set_beside_ours_as_it_is_and_tuned() -> None:
    listed = row(ours=summary(p95_ms=40.0), admin=summary(p95_ms=200.0), tuned=summary(p95_ms=80.0))
    text = table(result(1.0, [listed]), connections=20)
    line = next(line for line in text.splitlines() if line.startswith("| case list"))
    assert "| 200.0 | 5.0× | 80.0 | 2.0× |" in line
    assert row_failures(row(tuned=summary(requests=0))) == ["tuned admin: no completed requests"]


def test_the_capacity_table_is_computed_from_the_saturated_runs() -> None:
    from bench.report import capacity

    rows = [row(ours=summary(rps=100.0, p95_ms=200.0)), single("dashboard (naive)")]
    text = capacity(
        result(1.0, rows, database_bytes=20 * 1024**3, counts={"cases": 1_000_000}),
        cores=2,
        think_s=1.0,
    )
    # 100 req/s, 50 per core; at 1 s of reading plus 0.2 s waiting, 120 people on the page
    assert "| case list | 100 | 50.0 | 120 |" in text
    assert "naive" not in text and "about 20.0 GiB per million cases" in text
