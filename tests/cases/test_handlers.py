"""The handling columns on the case (what it waits for) against its assignments, after every
kind of transition; assignments end when the case is resolved; the queues read the columns."""

from collections.abc import Callable
from typing import Any

import pytest

from cases import selectors, services
from cases.models import ASSIGNED_FIELDS, HANDLING_FIELDS, Case, CaseAssignment, CaseState
from cases.services.handlers import handlers_refresh
from cases.workflow import TRANSITIONS
from dashboards.models import CaseFact
from governance.units import Unit

pytestmark = pytest.mark.django_db

CHECKED: set[str] = set()


def expected(case: Case) -> dict[str, list[int]]:
    """What the columns must say, from the assignments alone: active ones, the lead always,
    a cooperating unit until it replies."""
    rows = CaseAssignment.objects.filter(case=case, ended_at__isnull=True)
    waiting = [a for a in rows if a.role == "lead" or a.replied_at is None]
    return {
        "handling_departments": sorted({a.department_id for a in waiting if a.department_id}),
        "handling_companies": sorted({a.company_id for a in waiting if a.company_id}),
        "handling_areas": sorted({a.unit_area_id for a in waiting if a.unit_area_id}),
        "handling_persons": sorted({a.person_id for a in waiting if a.person_id}),
    }


def ever_assigned(case: Case) -> dict[str, list[int]]:
    """Every department and company the case was assigned to, ended assignments included."""
    rows = CaseAssignment.objects.filter(case=case)
    return {
        "assigned_departments": sorted({a.department_id for a in rows if a.department_id}),
        "assigned_companies": sorted({a.company_id for a in rows if a.company_id}),
    }


def check(case: Case) -> Case:
    case = Case.objects.get(pk=case.pk)
    stored = {name: list(getattr(case, name)) for name in HANDLING_FIELDS}
    assert stored == expected(case)
    assert {name: sorted(getattr(case, name)) for name in ASSIGNED_FIELDS} == ever_assigned(case)
    active = CaseAssignment.objects.filter(case=case, ended_at__isnull=True)
    if case.state == CaseState.IN_PROGRESS:
        assert active.filter(role="lead").count() == 1
    else:
        assert not active.exists(), f"{case.state} with active assignments"
    return case


@pytest.fixture
def act() -> Callable[..., Case]:
    def run(action: str, **params: Any) -> Case:
        services.case_transition(action=action, **params)
        CHECKED.add(action)
        return check(params["case"])

    return run


def test_the_columns_follow_the_assignments_through_every_transition(
    new_case, people, department, company, tree, act
):
    dept, community, street, grid = (people[k] for k in ("dept", "community", "street", "grid"))
    # dispatch to the department with a named person, the company and the community cooperating
    case = new_case()
    act("accept", actor=community, case=case)
    act("mark_urgent", actor=community, case=case)
    act("supervise", actor=street, case=case, level="yellow", note="抓紧")
    case = act(
        "dispatch", actor=community, case=case, lead=Unit(department=department), person=dept,
        cooperating=[Unit(company=company), Unit(area=tree["community"])],
    )  # fmt: skip
    assert case.handling_departments == [department.pk]
    assert case.handling_companies == [company.pk]
    assert case.handling_areas == [tree["community"].pk]
    assert case.handling_persons == [dept.pk]
    # a cooperating unit that replied no longer waits; the lead still does after its reply
    case = act("reply", actor=community, case=case, note="已协助")
    assert case.handling_areas == [] and case.handling_companies == [company.pk]
    case = act("reply", actor=dept, case=case, note="已安排")
    assert case.handling_departments == [department.pk]
    act("request_extension", actor=dept, case=case, days=2, note="待施工")
    act("approve_extension", actor=community, case=case)
    act("request_extension", actor=dept, case=case, days=1, note="再延")
    act("refuse_extension", actor=community, case=case, note="时限内可办")
    # 回退 releases everyone; a new dispatch; 呼叫上级 releases again
    case = act("send_back", actor=dept, case=case, note="不属于本部门")
    assert all(getattr(case, name) == [] for name in HANDLING_FIELDS)
    act("dispatch", actor=community, case=case, lead=Unit(company=company))
    case = act("escalate", actor=community, case=case, note="需要街道协调")
    assert case.handling_companies == []
    # the street dispatches, the lead resolves: its assignment ends as the case's result
    act("dispatch", actor=street, case=case, lead=Unit(department=department))
    case = act("resolve", actor=dept, case=case, note="已办结")
    lead = case.assignments.get(role="lead", completed=True)
    assert lead.ended_at == case.resolved_at and lead.department == department
    act("verify", actor=grid, case=case)
    act("rate", actor=grid, case=case, satisfaction="unsatisfied", note="又堆上了")
    assert not case.assignments.filter(completed=True).exists()  # reopened: released
    act("dispatch", actor=street, case=case, lead=Unit(department=department))
    act("resolve", actor=dept, case=case, note="再次办结")
    act("reopen", actor=community, case=case, note="核查未通过")
    act("dispatch", actor=street, case=case, lead=Unit(department=department))
    act("resolve", actor=dept, case=case, note="第三次办结")
    act("verify", actor=grid, case=case)
    act("rate", actor=grid, case=case, satisfaction="satisfied")
    # then: closed, counted for the department that completed it
    assert CaseFact.objects.get(case_id=case.pk).lead_unit == f"department:{department.pk}"

    # the short ways: on the spot, rejected, merged, closed without a rating
    spot = new_case()
    act("handle", actor=community, case=spot, note="当场处理")
    act("verify", actor=grid, case=spot)
    act("close", actor=community, case=spot)
    act("reject", actor=community, case=new_case(), note="不属于受理范围")
    act("merge", actor=community, case=new_case(), into=new_case())
    assert set(TRANSITIONS) == CHECKED


def test_the_queues_read_the_columns(dispatched, people, department, tree):
    # given: the department leads, the community cooperates
    dept, community = people["dept"], people["community"]
    assert list(selectors.case_queue(actor=dept)) == [dispatched]
    assert selectors.queue_counts(actor=dept)["waiting"] == 1
    assert dispatched in selectors.case_queue(actor=community)
    # when the community replies, it no longer waits; the department does until it resolves
    services.case_reply(actor=community, case=dispatched, note="已协助")
    community_waits = selectors.case_queue(actor=community).filter(pk=dispatched.pk)
    assert not community_waits.exists()
    services.case_resolve(actor=dept, case=dispatched, note="已办结")
    assert not selectors.case_queue(actor=dept).exists()
    assert selectors.queue_counts(actor=dept)["waiting"] == 0
    # the department still sees the case it handled
    assert Case.objects.visible_to(dept).filter(pk=dispatched.pk).exists()


def test_refresh_ends_what_a_bulk_write_left_active_and_fills_the_columns(
    dispatched, people, department
):
    # given: rows written around the services, as a bulk load or the old data did
    services.case_resolve(actor=people["dept"], case=dispatched, note="已办结")
    Case.objects.filter(pk=dispatched.pk).update(state=CaseState.CLOSED)
    CaseAssignment.objects.filter(case=dispatched).update(ended_at=None, completed=False)
    # and a case in progress whose columns were never filled
    other = Case.objects.create(
        title="x", description="y", category=dispatched.category, area=dispatched.area,
        area_path=dispatched.area_path, street=dispatched.street,
        community=dispatched.community, tier=dispatched.tier, state=CaseState.IN_PROGRESS,
        number="SJTEST0000001",
    )  # fmt: skip
    CaseAssignment.objects.create(case=other, role="lead", department=department)
    # when
    handlers_refresh()
    # then
    lead = CaseAssignment.objects.get(case=dispatched, role="lead")
    assert lead.ended_at is not None and lead.completed
    assert check(other).handling_departments == [department.pk]
    assert list(selectors.case_queue(actor=people["dept"])) == [other]


def test_a_unit_once_assigned_keeps_seeing_the_case_whatever_saves_it(
    new_case, people, department, company, make_user
):
    """The lists of units ever assigned are kept by the database: an assignment written around
    the services adds its unit, and a save from a copy read before it cannot take it away."""
    case = new_case()
    stale = Case.objects.get(pk=case.pk)
    CaseAssignment.objects.create(case=case, role="lead", department=department)
    CaseAssignment.objects.create(
        case=case, role="cooperating", company=company, ended_at=case.created_at
    )
    stale.title = "改过标题"
    stale.save()  # every column, the lists as read before the assignments
    case.refresh_from_db()
    assert (case.assigned_departments, case.assigned_companies) == ([department.pk], [company.pk])
    assert case.title == "改过标题"
    for user in (people["dept"], make_user("property_staff")):
        assert Case.objects.visible_to(user).filter(pk=case.pk).exists()
