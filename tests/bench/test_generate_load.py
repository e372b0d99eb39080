"""``manage.py generate_load``: a tiny synthetic district, loaded once for the module (the load
commits, like the real command); each test runs in a transaction of its own and leaves it as it
found it. The module wipes the load when it is done."""

import random
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import User
from accounts.personal_data import _fernet
from bench import loadgen
from bench.loadgen import Plan, generate
from bench.loadgen.clock import Clock, days_us
from bench.loadgen.database import ensure_bench_users
from bench.models import LoadMarker
from cases import selectors
from cases.calendar import WorkCalendar, deadlines
from cases.models import OPEN_STATES, Case, CaseAssignment, CaseEvent, Category, Supervision
from cases.services import case_report
from cases.workflow import TRANSITIONS
from governance.models import Area, AreaLevel, Household, PartyMember, PartyOrg, Resident
from governance.services import area_create
from governance.text import pinyin_initials
from grids.models import Grid, GridStaffing
from property_mgmt.models import ComplaintDetail
from volunteers.models import (
    Activity,
    Attendance,
    CoBuildProject,
    MemberCheckIn,
    UnitCheckIn,
    Volunteer,
)

SCALE = "0.002"
PLAN = Plan.for_scale(SCALE)

#: What must come out the same from two loads of one scale: every column but the encrypted
#: ones (Fernet tokens have random IVs) and the timestamps of the load itself.
CHECKSUMS = {
    "governance_area": "id, path, depth, numchild, name, name_initials, level, code",
    "governance_partyorg": "id, path, numchild, name, kind, sector, area_id, area_path",
    "governance_household": "id, building_id, area_path, unit, room, head_name, created_at",
    "governance_resident": "id, household_id, name, gender, birth_date, relation, tags, "
    "id_number_hash, phone_hash",
    "governance_partymember": "id, org_id, household_id, name, joined_on, id_number_hash",
    "grids_gridstaffing": "id, grid_id, post, worker_id, person_name",
    "cases_case": "id, number, title, category_id, source, state, tier, area_id, street_id, "
    "community_id, reporter_id, contact_name, is_urgent, supervision, step, step_started_at, "
    "step_days, warn_at, due_at, alert, extension_requested_days, satisfaction, reopen_count, "
    "duplicate_of_id, created_at, updated_at, resolved_at, closed_at, longitude, "
    "handling_departments, handling_companies, handling_areas, handling_persons",
    "cases_caseevent": "id, case_id, action, actor_id, at, from_state, to_state, tier, note, "
    "detail",
    "cases_caseassignment": "id, case_id, role, unit_area_id, department_id, company_id, "
    "reply, replied_at, assigned_at, ended_at, completed",
    "cases_supervision": "id, case_id, level, by_id, note, at",
}


def checksums() -> dict[str, str]:
    result = {}
    with connection.cursor() as cursor:
        for table, columns in CHECKSUMS.items():
            cursor.execute(
                f"SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) "
                f"FROM (SELECT {columns} FROM {table}) t"
            )
            result[table] = cursor.fetchone()[0]
    return result


@pytest.fixture(scope="module")
def loaded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[list[str]]:
    lines: list[str] = []
    with django_db_blocker.unblock():
        generate(scale=SCALE, log=lines.append)
        yield lines
        loadgen.wipe()


pytestmark = pytest.mark.django_db


def test_counts_are_those_of_the_scale(loaded: list[str]) -> None:
    # given scale 0.002 (the district and its six streets do not scale; no level is empty)
    assert (PLAN.communities, PLAN.grids, PLAN.residential_areas) == (6, 6, 6)
    assert (PLAN.buildings, PLAN.households, PLAN.party_members, PLAN.cases) == (
        24,
        600,
        40,
        2000,
    )
    # then
    levels = Counter(Area.objects.values_list("level", flat=True))
    assert levels == {
        AreaLevel.DISTRICT: 1,
        AreaLevel.STREET: 6,
        AreaLevel.COMMUNITY: PLAN.communities,
        AreaLevel.RESIDENTIAL_AREA: PLAN.residential_areas,
        AreaLevel.BUILDING: PLAN.buildings,
    }
    assert Grid.objects.count() == PLAN.grids
    assert Household.objects.count() == PLAN.households
    assert PartyMember.objects.count() == PLAN.party_members
    assert Case.objects.count() == PLAN.cases
    assert Resident.objects.filter(relation="head").count() == PLAN.households
    marker = LoadMarker.objects.get()
    assert marker.scale == Decimal(SCALE) and marker.finished_at is not None
    assert marker.counts["cases"] == PLAN.cases
    # 双报到 and 红色物业 on the same district, at the same scale
    assert UnitCheckIn.objects.count() == marker.counts["unit_checkins"] == 1
    assert CoBuildProject.objects.count() == marker.counts["projects"] == 6
    assert MemberCheckIn.objects.count() == marker.counts["member_checkins"] == 40
    assert ComplaintDetail.objects.count() == marker.counts["complaints"] == 100
    assert Volunteer.objects.count() == marker.counts["volunteers"] == 20
    assert Activity.objects.count() == marker.counts["volunteer_activities"] == 400
    assert Attendance.objects.count() == marker.counts["volunteer_attendance"] == 4000
    liaison = ensure_bench_users().department_liaison
    assert UnitCheckIn.objects.visible_to(liaison).exists()
    years = set(ComplaintDetail.objects.values_list("reported_at__year", flat=True))
    assert len(years) >= 3, years  # spread over the load's years, not its first weeks


def test_scale_one_is_the_district_of_the_issue() -> None:
    plan = Plan.for_scale(1)
    assert (plan.streets, plan.communities, plan.grids, plan.residential_areas) == (
        6,
        60,
        600,
        1800,
    )
    assert (plan.buildings, plan.households, plan.party_members, plan.cases) == (
        12_000,
        300_000,
        20_000,
        1_000_000,
    )
    small = Plan.for_scale("0.01")
    assert (small.communities, small.residential_areas, small.buildings, small.cases) == (
        6,
        18,
        120,
        10_000,
    )


def test_the_clock_counts_working_time_as_the_calendar_does() -> None:
    # given a calendar with a holiday week and a make-up Saturday
    holidays = {date(2026, 10, 1) + timedelta(days=n): False for n in range(7)}
    exceptions = {**holidays, date(2026, 10, 10): True}
    clock = Clock(date(2026, 9, 1), 120, exceptions, ZoneInfo("Asia/Shanghai"))
    calendar = WorkCalendar(exceptions=exceptions)
    rng = random.Random(7)
    for _ in range(2000):
        start = int(rng.random() * 60 * 86_400_000_000)
        days = Decimal(rng.choice(["0.7", "1", "2.1", "3", "10.5"]))
        # when
        mine = clock.from_work(clock.work(start) + days_us(days))
        # then
        assert clock.aware(mine) == calendar.add_working_days(clock.aware(start), days)


def test_progress_and_times_are_printed(loaded: list[str]) -> None:
    text = "\n".join(loaded)
    assert f"cases: cases {PLAN.cases:,}," in text
    assert " rows in " in text and "vacuum analyze in" in text


def test_trees_have_no_problems(loaded: list[str]) -> None:
    assert Area.objects.find_problems() == ([], [], [], [], [])
    assert PartyOrg.objects.find_problems() == ([], [], [], [], [])
    district = Area.objects.get(depth=1)
    assert district.numchild == 6
    assert Area.objects.filter(path__startswith=district.path).count() == Area.objects.count()


def test_denormalised_copies_agree_with_the_tree(loaded: list[str]) -> None:
    step = Area.steplen
    with connection.cursor() as cursor:
        for sql in [
            "SELECT count(*) FROM governance_household h JOIN governance_area a "
            "ON a.id = h.building_id WHERE h.area_path <> a.path OR a.level <> 'building'",
            "SELECT count(*) FROM governance_resident r JOIN governance_household h "
            "ON h.id = r.household_id WHERE r.area_path <> h.area_path",
            "SELECT count(*) FROM governance_partyorg o JOIN governance_area a "
            "ON a.id = o.area_id WHERE o.area_path <> a.path",
            "SELECT count(*) FROM governance_partymember m JOIN governance_partyorg o "
            "ON o.id = m.org_id WHERE m.area_path <> o.area_path",
            "SELECT count(*) FROM grids_grid g JOIN governance_area a ON a.id = g.community_id "
            "WHERE g.area_path <> a.path OR a.level <> 'community'",
            "SELECT count(*) FROM grids_gridcoverage c JOIN governance_area a "
            "ON a.id = c.area_id WHERE c.area_path <> a.path",
            "SELECT count(*) FROM grids_gridstaffing s JOIN grids_grid g ON g.id = s.grid_id "
            "WHERE s.area_path <> g.area_path",
            "SELECT count(*) FROM cases_case c JOIN governance_area a ON a.id = c.area_id "
            "WHERE c.area_path <> a.path OR a.level NOT IN "
            "('community', 'residential_area', 'building')",
            f"SELECT count(*) FROM cases_case c JOIN governance_area s ON s.id = c.street_id "
            f"JOIN governance_area m ON m.id = c.community_id "
            f"WHERE s.path <> left(c.area_path, {2 * step}) OR s.level <> 'street' "
            f"OR m.path <> left(c.area_path, {3 * step}) OR m.level <> 'community'",
        ]:
            cursor.execute(sql)
            assert cursor.fetchone()[0] == 0, sql
    for model in (Area, PartyOrg):
        for name, stored in model.objects.values_list("name", "name_initials"):
            assert stored == pinyin_initials(name)
    member = PartyMember.objects.select_related("household").first()
    assert member is not None and member.household is not None
    head = member.household.residents.get(id_number_hash=member.id_number_hash)
    assert (head.name, head.id_number) == (member.name, member.id_number)


def _allowed(event: CaseEvent) -> bool:
    if event.action in ("warn", "overdue"):
        return event.from_state == event.to_state and event.from_state in OPEN_STATES
    transition = TRANSITIONS[event.action]
    if event.from_state not in transition.sources:
        return False
    if event.action == "rate":
        return event.to_state in ("closed", "accepted")
    return event.to_state == (transition.target or event.from_state)


def test_timelines_follow_the_workflow(loaded: list[str]) -> None:
    events: dict[int, list[CaseEvent]] = {}
    for event in CaseEvent.objects.order_by("case_id", "at", "id"):
        events.setdefault(event.case_id, []).append(event)
    cases = list(Case.objects.all())
    assert len(events) == len(cases)
    assert sum(len(e) for e in events.values()) / len(cases) >= 3
    for case in cases:
        timeline = events[case.pk]
        assert timeline[0].action == "report" and timeline[0].at == case.created_at
        for before, after in pairwise(timeline):
            assert after.from_state == before.to_state, (case.number, after.action)
            assert _allowed(after), (case.number, after.action, after.from_state)
        assert timeline[-1].to_state == case.state and timeline[-1].tier == case.tier
        assert case.updated_at == timeline[-1].at
    states = Counter(c.state for c in cases)
    assert set(states) >= {*OPEN_STATES, "closed", "rejected", "merged"}
    assert states["closed"] > len(cases) / 2
    assert {c.tier for c in cases} >= {"grid", "community", "street", "district"}
    assert {c.category.parent_id is not None for c in Case.objects.select_related("category")} == {
        True
    }


def test_case_fields_agree_with_state_and_timeline(loaded: list[str]) -> None:
    for case in Case.objects.all():
        if case.state in ("reported", "accepted", "in_progress", "resolved"):
            assert case.step and case.step_started_at and case.step_days
            # The services' deadline arithmetic over the work calendar, to the microsecond.
            assert (case.warn_at, case.due_at) == deadlines(case.step_started_at, case.step_days)
        else:
            assert not case.step and case.due_at is None and not case.alert
        if case.state == "closed":
            assert case.closed_at and case.resolved_at
        if case.state in ("resolved", "verified"):
            assert case.resolved_at and not case.closed_at
        if case.alert == "red":
            assert case.supervision
        if case.state == "merged":
            assert case.duplicate_of_id is not None and case.duplicate_of_id < case.pk
    supervised = set(Case.objects.exclude(supervision="").values_list("pk", flat=True))
    assert supervised == set(Supervision.objects.values_list("case_id", flat=True))
    leads = Counter(
        CaseAssignment.objects.filter(role="lead", ended_at__isnull=True).values_list(
            "case__state", flat=True
        )
    )
    in_progress = Case.objects.filter(state="in_progress").count()
    assert leads["in_progress"] == in_progress
    # Assignments end when the case leaves handling; a resolved case keeps its completed lead.
    assert set(leads) == {"in_progress"}
    completed = Counter(
        CaseAssignment.objects.filter(role="lead", completed=True).values_list(
            "case__state", flat=True
        )
    )
    assert set(completed) <= {"resolved", "verified", "closed"} and completed["closed"] > 0
    assert not CaseAssignment.objects.filter(completed=True, ended_at__isnull=True).exists()
    # The case's handling columns are what its active assignments say, as the services keep them.
    stored = {
        pk: (departments, companies, areas)
        for pk, departments, companies, areas in Case.objects.exclude(
            handling_departments=[], handling_companies=[], handling_areas=[]
        ).values_list("pk", "handling_departments", "handling_companies", "handling_areas")
    }
    waiting: dict[int, tuple[list[int], list[int], list[int]]] = {}
    for a in CaseAssignment.objects.filter(ended_at__isnull=True).order_by("pk"):
        if a.role == "lead" or a.replied_at is None:
            row = waiting.setdefault(a.case_id, ([], [], []))
            for column, pk in zip(
                row, (a.department_id, a.company_id, a.unit_area_id), strict=True
            ):
                if pk is not None and pk not in column:
                    column.append(pk)
    assert stored == {pk: tuple(sorted(c) for c in row) for pk, row in waiting.items()}
    assert not Case.objects.exclude(state="in_progress").exclude(handling_departments=[]).exists()
    # Every department and company ever assigned is on the case (who may see it).
    ever: dict[int, tuple[set[int], set[int]]] = {}
    for case_id, department, company in CaseAssignment.objects.values_list(
        "case_id", "department_id", "company_id"
    ):
        units = ever.setdefault(case_id, (set(), set()))
        units[0].update([department] if department else [])
        units[1].update([company] if company else [])
    assigned = {
        pk: (set(departments), set(companies))
        for pk, departments, companies in Case.objects.values_list(
            "pk", "assigned_departments", "assigned_companies"
        )
        if departments or companies
    }
    assert assigned == {pk: units for pk, units in ever.items() if units[0] or units[1]}
    open_cases = Case.objects.filter(state__in=OPEN_STATES)
    assert open_cases.filter(alert="red").exists()
    assert CaseEvent.objects.filter(action="warn").exists()
    assert Case.objects.filter(is_urgent=True).exists()


def _user(name: str) -> User:
    return User.objects.get(username=name)


def test_bench_users_see_their_own_cases_and_have_work(loaded: list[str]) -> None:
    community = Area.objects.filter(level=AreaLevel.COMMUNITY).order_by("path").first()
    street = Area.objects.filter(level=AreaLevel.STREET).order_by("path").first()
    assert community is not None and street is not None
    total = Case.objects.count()

    staff = _user("load_community_staff")
    visible = Case.objects.visible_to(staff)
    assert 0 < visible.count() < total
    assert set(visible.values_list("community_id", flat=True)) == {community.pk}

    street_staff = _user("load_street_staff")
    visible = Case.objects.visible_to(street_staff)
    assert 0 < visible.count() < total
    assert set(visible.values_list("street_id", flat=True)) == {street.pk}

    liaison = _user("load_department_liaison")
    department = liaison.grants.get().department
    mine = Case.objects.visible_to(liaison)
    assert 0 < mine.count() < total
    assert not mine.exclude(assignments__department=department).exists()

    assert Case.objects.visible_to(_user("load_district_leader")).count() == total
    for name in (
        "load_community_staff",
        "load_street_staff",
        "load_grid_worker",
        "load_department_liaison",
        "load_district_admin",
    ):
        assert selectors.case_queue(actor=_user(name)).exists(), name
    worker = _user("load_grid_worker")
    first_grid = Grid.objects.filter(community=community).order_by("code").first()
    assert GridStaffing.objects.filter(grid=first_grid, worker__user=worker).exists()
    admin = _user("load_district_admin")
    assert admin.is_staff and admin.check_password(loadgen.PASSWORD)


def test_a_second_run_adds_nothing_and_a_reload_gives_the_same_data(
    loaded: list[str],
) -> None:
    # given
    before = checksums()
    cases = Case.objects.count()
    # when the command runs again
    out = StringIO()
    call_command("generate_load", "--scale", SCALE, stdout=out)
    # then
    assert "already holds the load of scale 0.002" in out.getvalue()
    assert Case.objects.count() == cases and LoadMarker.objects.count() == 1
    # when it reloads
    generate(scale=SCALE, reload=True, log=lambda line: None)
    # then
    assert checksums() == before
    assert LoadMarker.objects.count() == 1


def test_the_orm_inserts_after_the_load(loaded: list[str]) -> None:
    worker = _user("load_grid_worker")
    building = selectors.report_areas(actor=worker).filter(level="building").first()
    estate = Area.objects.filter(level=AreaLevel.RESIDENTIAL_AREA).order_by("path").first()
    assert building is not None and estate is not None
    category = Category.objects.filter(parent__isnull=False).order_by("code").first()
    assert category is not None
    last = Case.objects.order_by("-pk").values_list("pk", flat=True).first()
    case = case_report(
        actor=worker, category=category, area=building, title="楼道堆放杂物", description="影响通行"
    )
    assert last is not None and case.pk == last + 1
    assert case.community_id == Area.objects.get(path=building.path[: 3 * Area.steplen]).pk
    added = area_create(
        actor=None, parent=estate, name="新建楼", level=AreaLevel.BUILDING, code="370499999999999"
    )
    assert added.path.startswith(estate.path)
    assert Area.objects.find_problems() == ([], [], [], [], [])


def test_a_load_made_with_another_personal_data_key_is_refused(
    loaded: list[str], settings: Any
) -> None:
    # given the benchmark serving the load with settings of another key
    settings.PERSONAL_DATA_KEYS = ["b3RoZXIta2V5LW90aGVyLWtleS1vdGhlci1rZXktMzI="]
    _fernet.cache_clear()
    try:
        # then
        with pytest.raises(CommandError, match="PERSONAL_DATA_KEY"):
            call_command("generate_load", "--scale", SCALE, stdout=StringIO())
    finally:
        _fernet.cache_clear()


def test_other_loads_and_foreign_data_are_refused(loaded: list[str]) -> None:
    with pytest.raises(CommandError, match=r"scale 0\.002"):
        call_command("generate_load", "--scale", "0.003", stdout=StringIO())
    User.objects.create_user(username="real_person", password="x")
    with pytest.raises(CommandError, match="real_person"):
        call_command("generate_load", "--scale", SCALE, "--reload", stdout=StringIO())
    with pytest.raises(CommandError, match=r"above 0"):
        call_command("generate_load", "--scale", "0", stdout=StringIO())


def test_a_load_of_an_older_generator_is_loaded_again(loaded: list[str]) -> None:
    # given the same scale and seed, loaded by an older generator
    before = checksums()
    LoadMarker.objects.update(parameters={"version": 1})
    lines: list[str] = []
    # when
    generate(scale=SCALE, log=lines.append)
    # then
    assert any("from generator version 1; loading it again" in line for line in lines)
    marker = LoadMarker.objects.get()
    assert marker.parameters["version"] == loadgen.GENERATOR_VERSION
    assert checksums() == before
