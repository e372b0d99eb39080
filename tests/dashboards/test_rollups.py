"""The rollups are exact: after a random sequence of reports and transitions, through the case
services and the overdue sweep, every figure they give equals a direct count of the case
tables, in every territory and period; folding the journal and rebuilding change nothing."""

import random
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from cases.calendar import WorkCalendar
from cases.models import OPEN_STATES, Case, CaseSource, CaseState, Satisfaction
from cases.services import case_transition, sweep_overdue
from cases.workflow import allowed_from
from common.errors import Conflict
from dashboards import rollup
from dashboards.direct import DirectSource
from dashboards.measures import p90_days
from dashboards.models import Facet
from dashboards.periods import Period
from dashboards.rollup import RollupSource
from dashboards.territory import Territory
from governance.units import Unit
from tests.cases.factories import category, report

pytestmark = pytest.mark.django_db

FACETS = [f.value for f in Facet]
#: Actions and how often to try them: mostly the way through, sometimes a detour.
WEIGHTS = {
    "accept": 6, "reject": 1, "handle": 3, "escalate": 2, "dispatch": 6, "reply": 2,
    "send_back": 1, "request_extension": 1, "approve_extension": 1, "resolve": 6, "verify": 6,
    "rate": 6, "reopen": 1, "close": 2, "mark_urgent": 1, "supervise": 2, "merge": 1,
}  # fmt: skip


def _params(action: str, rng: random.Random, case: Case, units: list[Unit]) -> dict[str, Any]:
    params: dict[str, Any] = {"note": "测试说明"}
    if action == "dispatch":
        params["lead"] = rng.choice(units)
    elif action == "request_extension":
        params["days"] = rng.randint(1, 3)
    elif action == "rate":
        params["satisfaction"] = rng.choice(Satisfaction.values)
    elif action == "supervise":
        params["level"] = rng.choice(["ordinary", "yellow", "red"])
    elif action == "merge":
        target = (
            Case.objects.filter(community_id=case.community_id, state__in=OPEN_STATES)
            .exclude(pk=case.pk)
            .first()
        )
        if target is None:
            raise ValidationError("no target")
        params["into"] = target
    return params


def _random_district(tree, people, department, company, rng: random.Random, steps: int) -> None:
    """Reports in both streets, then random transitions by whoever may take them, sweeps of
    the overdue marks, and some cases moved back by months (as an import would)."""
    categories = [
        category(name="垃圾堆放", parent_name="环境卫生"),
        category(name="邻里纠纷", parent_name="矛盾纠纷", start_tier="grid"),
        category(name="道路破损", parent_name="市政设施", start_tier="street", handle_days="2"),
    ]
    places = [("estate", "grid"), ("building", "grid"), ("other_estate", "other_grid")]
    cases = []
    for n in range(30):
        where, reporter = places[n % len(places)]
        cases.append(
            report(
                people[reporter], tree[where], rng.choice(categories),
                source=rng.choice([s for s in CaseSource.values if s != "open311"]),
                urgent=n % 7 == 0,
            )
        )  # fmt: skip
    units = [
        Unit(department=department),
        Unit(company=company),
        Unit(area=tree["community"]),
        Unit(area=tree["street"]),
    ]
    actors = list(people.values())
    for step in range(steps):
        case = Case.objects.get(pk=rng.choice(cases).pk)
        possible = [a for a in WEIGHTS if allowed_from(a, case.state)]
        if not possible:
            continue
        action = rng.choices(possible, weights=[WEIGHTS[a] for a in possible])[0]
        for actor in rng.sample(actors, len(actors)):
            try:
                case_transition(
                    actor=actor, case=case, action=action, **_params(action, rng, case, units)
                )
                break
            except (PermissionDenied, Conflict, ValidationError):
                continue
        if step % 40 == 39:
            sweep_overdue(now=timezone.now() + timedelta(days=rng.randint(1, 12)))
    # Some cases belong to earlier months (and a year back), moved by one bulk update.
    moved = rng.sample([c.pk for c in cases], 10)
    for k, pk in enumerate(moved):
        Case.objects.filter(pk=pk).update(
            created_at=timezone.now() - timedelta(days=35 * (k % 3) + 365 * (k % 2))
        )


def _territories(tree, department, company) -> list[Territory]:
    return [
        Territory("区", everything=True),
        Territory("街道", street_ids=(tree["street"].pk,)),
        Territory("另一街道", street_ids=(tree["other_street"].pk,)),
        Territory("社区", community_ids=(tree["community"].pk,)),
        Territory(
            "两处", street_ids=(tree["street"].pk,), community_ids=(tree["other_community"].pk,)
        ),
        Territory("部门", unit=f"department:{department.pk}"),
        Territory("物业", unit=f"company:{company.pk}"),
        Territory("社区承办", unit=f"area:{tree['community'].pk}"),
    ]


def _periods() -> list[Period]:
    today = timezone.localdate()
    this = date(today.year, today.month, 1)
    last = (this - timedelta(days=1)).replace(day=1)
    return [
        Period("custom", date(today.year - 2, 1, 1), this),
        Period("month", this, this),
        Period("custom", last, last),
        Period("year", date(today.year, 1, 1), this),
    ]


def _keys(facets: dict[str, dict[str, Any]]) -> dict[str, dict[str, tuple]]:
    keys = {f: {v: m.key() for v, m in values.items() if m.n} for f, values in facets.items()}
    return {f: values for f, values in keys.items() if values}


def _months(rows) -> set:
    return {(month, child, m.key()) for month, child, m in rows if m.n}


def assert_rollups_exact(tree, department, company) -> None:
    ours, direct = RollupSource(), DirectSource()
    for territory in _territories(tree, department, company):
        for period in _periods():
            assert _keys(ours.facets(territory, period, FACETS)) == _keys(
                direct.facets(territory, period, FACETS)
            ), (territory.label, period)
            for by in (None, "street", "community"):
                assert _months(ours.months(territory, period.first, period.last, by)) == _months(
                    direct.months(territory, period.first, period.last, by)
                ), (territory.label, period, by)
    for kind in ("department", "company", "area"):
        period = _periods()[0]
        assert {k: m.key() for k, m in ours.units(period, kind).items() if m.n} == {
            k: m.key() for k, m in direct.units(period, kind).items() if m.n
        }


def test_every_figure_equals_a_direct_count_after_random_work(tree, people, department, company):
    # given a district where cases were reported and handled at random
    _random_district(tree, people, department, company, random.Random(13), steps=320)
    # then every figure equals the direct count, before and after folding the journal
    assert rollup.journal_size() > 0
    assert_rollups_exact(tree, department, company)
    assert rollup.fold() > 0
    assert rollup.journal_size() == 0
    assert_rollups_exact(tree, department, company)
    # and the work really went through the states the figures are about
    states = set(Case.objects.values_list("state", flat=True))
    assert {CaseState.CLOSED, CaseState.IN_PROGRESS} <= states


def test_a_rebuild_gives_what_the_triggers_kept(tree, people, department, company):
    _random_district(tree, people, department, company, random.Random(7), steps=120)
    period = _periods()[0]
    territory = Territory("区", everything=True)
    before = _keys(RollupSource().facets(territory, period, FACETS))
    assert rollup.rebuild() == Case.objects.count()
    assert rollup.journal_size() == 0
    assert _keys(RollupSource().facets(territory, period, FACETS)) == before


def test_a_statement_over_many_cases_folds_straight_into_the_rollup(tree, people, cat):
    # given many cases written in one statement (as a bulk load does) and changed in another
    template = report(people["grid"], tree["estate"], cat)
    copied = {
        f.attname: getattr(template, f.attname)
        for f in Case._meta.concrete_fields
        if f.attname not in ("id", "number")
    }
    rows = [Case(**copied, number=f"BULK{n:06d}") for n in range(620)]
    Case.objects.bulk_create(rows)
    Case.objects.filter(number__startswith="BULK").update(
        state=CaseState.CLOSED, satisfaction=Satisfaction.SATISFIED
    )
    # then the journal holds only the one case reported through the service
    assert rollup.journal_size() <= 7
    territory = Territory("区", everything=True)
    period = _periods()[0]
    figures = RollupSource().facets(territory, period, ["state"])["state"]
    assert figures["closed"].n == 620 and figures["closed"].satisfied == 620
    assert _keys(RollupSource().facets(territory, period, FACETS)) == _keys(
        DirectSource().facets(territory, period, FACETS)
    )


def test_the_handling_time_p90_is_the_smallest_whole_day_holding_nine_tenths():
    assert p90_days({"1": 5, "2": 3, "5": 1, "9": 1}) == 5
    assert p90_days({"3": 10}) == 3
    assert p90_days({}) is None


def _working_seconds_in_python(start: datetime, end: datetime) -> Fraction:
    """cases.calendar's working days, counted day by day in local time."""
    calendar = WorkCalendar.load(timezone.localtime(start).date() - timedelta(days=1))
    tz = timezone.get_current_timezone()
    total = Fraction(0)
    day = timezone.localtime(start).date()
    while day <= timezone.localtime(end).date():
        if calendar.is_working_day(day):
            lo = max(start, datetime.combine(day, time.min, tzinfo=tz))
            hi = min(end, datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz))
            if hi > lo:
                delta = hi - lo
                total += Fraction(delta.days * 86400 + delta.seconds) + Fraction(
                    delta.microseconds, 1_000_000
                )
        day += timedelta(days=1)
    return total


def test_working_seconds_follow_the_work_calendar():
    # the calendar migration holds 2025-2026: the spring festival and its make-up Saturdays
    rng = random.Random(5)
    tz = timezone.get_current_timezone()
    moments = [datetime(2026, 2, 10, 9, 30, tzinfo=tz), datetime(2026, 2, 28, 23, 0, tzinfo=tz)]
    base = datetime(2025, 9, 1, tzinfo=tz)
    for _ in range(60):
        start = base + timedelta(minutes=rng.randint(0, 60 * 24 * 450))
        moments.append(start)
        moments.append(start + timedelta(minutes=rng.randint(0, 60 * 24 * 40)))
    pairs = list(zip(moments[::2], moments[1::2], strict=True))
    with connection.cursor() as cursor:
        for start, end in pairs:
            cursor.execute("SELECT dashboards_working_seconds(%s, %s)", [start, end])
            ours = cursor.fetchone()[0]
            assert Fraction(ours) == _working_seconds_in_python(start, end), (start, end)


def test_undoing_new_cases_with_their_journal_rows_leaves_the_figures_exact(tree, people, cat):
    # given a checkpoint of the journal, then cases reported and deleted in one statement
    # together with every journal row added since (as the benchmark's restore does)
    from dashboards.models import CaseRollupDelta

    kept = report(people["grid"], tree["estate"], cat)
    rollup.fold()
    last = CaseRollupDelta.objects.order_by("-id").values_list("id", flat=True).first() or 0
    template = {
        f.attname: getattr(kept, f.attname)
        for f in Case._meta.concrete_fields
        if f.attname not in ("id", "number")
    }
    undo = [Case(**template, number=f"UNDO{n:05d}") for n in range(600)]
    Case.objects.bulk_create(undo, batch_size=100)  # small statements: through the journal
    Case.objects.filter(number__startswith="UNDO").delete()
    CaseRollupDelta.objects.filter(id__gt=last).delete()
    # then the figures are those of the one case that stays
    territory = Territory("区", everything=True)
    period = _periods()[0]
    assert _keys(RollupSource().facets(territory, period, FACETS)) == _keys(
        DirectSource().facets(territory, period, FACETS)
    )
    assert RollupSource().facets(territory, period, ["state"])["state"]["reported"].n == 1
