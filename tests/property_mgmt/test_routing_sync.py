"""Complaints follow the contract calendar: when a contract runs out, or one entered earlier
starts, the hourly beat task points the area's routing rule at whoever serves it now, so a new
complaint is dispatched to the right company, or to the community when no company serves the
area (issue 16 §4)."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import AuditLog
from cases.models import RoutingRule
from cases.services import case_accept, case_dispatch
from governance.models import AreaLevel
from property_mgmt import services
from property_mgmt.tasks import resync_routing_task
from tests.governance.factories import area

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def fallback(tree: dict[str, Any], cats: Any) -> RoutingRule:
    """The community's own rule: property matters of its areas go to the community."""
    return RoutingRule.objects.create(
        category=cats["WY01"].parent, area=tree["community"], unit_area=tree["community"]
    )


def dispatched_to(staff: Any, estate: Any) -> Any:
    """Where a complaint reported now in ``estate`` goes when the desk dispatches it by rule."""
    detail = services.complaint_report(
        actor=staff,
        area=estate,
        complaint_type="repair",
        title="单元门禁损坏",
        description="单元门禁损坏一周无人维修",
    )
    case_accept(actor=staff, case=detail.case)
    case = case_dispatch(actor=staff, case=detail.case)
    assignment = case.assignments.get(ended_at=None)
    return assignment.company or assignment.unit_area


def rule_company(estate: Any) -> Any:
    rule = RoutingRule.objects.filter(area=estate, category__code="WY").first()
    return rule.company if rule else None


def test_a_contract_that_ended_yesterday_no_longer_gets_complaints(
    tree: dict[str, Any], make_user: Any, fallback: RoutingRule
) -> None:
    # given a company whose contract ended yesterday, and the rule as yesterday left it
    today = timezone.localdate()
    old = f.company("旧管家物业有限公司")
    f.contract(tree["estate"], old, starts_on=date(2024, 1, 1), ends_on=today - timedelta(days=1))
    services.sync_routing(tree["estate"], today - timedelta(days=1))
    staff = make_user("community_staff")
    assert dispatched_to(staff, tree["estate"]) == old  # what the audit found
    # when the beat task runs
    assert resync_routing_task.delay().get() == 1
    # then a new complaint goes to the community, whose rule applies again
    assert rule_company(tree["estate"]) is None
    assert dispatched_to(staff, tree["estate"]) == tree["community"]
    assert AuditLog.objects.filter(
        object_id=str(tree["estate"].pk),
        detail__event="routing.resync",
        detail__company_before=old.pk,
        detail__company_after=None,
    ).exists()


def test_a_contract_that_starts_today_gets_the_complaints(
    tree: dict[str, Any], make_user: Any, fallback: RoutingRule
) -> None:
    # given the outgoing company's contract up to yesterday, a new company's from today
    # (entered last month), and the rule as yesterday left it
    today = timezone.localdate()
    old, new = f.company("旧管家物业有限公司"), f.company("新邻里物业有限公司")
    f.contract(tree["estate"], old, starts_on=date(2024, 1, 1), ends_on=today - timedelta(days=1))
    f.contract(tree["estate"], new, starts_on=today, ends_on=today + timedelta(days=3 * 365))
    services.sync_routing(tree["estate"], today - timedelta(days=1))
    assert rule_company(tree["estate"]) == old
    # when the beat task runs
    resync_routing_task.delay().get()
    # then a new complaint goes to the new company
    staff = make_user("community_staff")
    assert dispatched_to(staff, tree["estate"]) == new


def test_the_task_is_idempotent_and_catches_up_missed_runs(
    tree: dict[str, Any], fallback: RoutingRule
) -> None:
    # given two estates: one whose contract ran out three days ago (the beat was down since),
    # one whose contract started five days ago, neither synced since
    today = timezone.localdate()
    second = area(tree["community"], AreaLevel.RESIDENTIAL_AREA, "丙小区")
    gone, arrived = f.company(), f.company()
    f.contract(tree["estate"], gone, starts_on=date(2024, 1, 1), ends_on=today - timedelta(days=3))
    f.contract(second, arrived, starts_on=today - timedelta(days=5), ends_on=date(2030, 12, 31))
    services.sync_routing(tree["estate"], today - timedelta(days=3))
    services.sync_routing(second, today - timedelta(days=6))
    assert (rule_company(tree["estate"]), rule_company(second)) == (gone, None)
    # when the task runs twice
    first_run = resync_routing_task.delay().get()
    audits = AuditLog.objects.filter(detail__event="routing.resync").count()
    second_run = resync_routing_task.delay().get()
    # then the first run brings both in line and the second changes nothing
    assert (first_run, second_run) == (2, 0)
    assert (rule_company(tree["estate"]), rule_company(second)) == (None, arrived)
    assert AuditLog.objects.filter(detail__event="routing.resync").count() == audits == 2


def test_a_rule_someone_made_for_the_area_is_left_alone(
    tree: dict[str, Any], department: Any, fallback: RoutingRule
) -> None:
    # given a contract that ran out yesterday, after which the district pointed the estate's
    # property complaints at a department by hand
    today = timezone.localdate()
    f.contract(
        tree["estate"], f.company(), starts_on=date(2024, 1, 1), ends_on=today - timedelta(1)
    )
    RoutingRule.objects.update_or_create(
        category=fallback.category,
        area=tree["estate"],
        defaults={"company": None, "unit_area": None, "department": department},
    )
    # when the task runs, the department keeps them
    assert resync_routing_task.delay().get() == 0
    assert RoutingRule.objects.get(area=tree["estate"], category=fallback.category).department == (
        department
    )


def test_the_task_is_on_the_beat_schedule() -> None:
    entries = [
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == resync_routing_task.name
    ]
    assert len(entries) == 1
    # every day of the month, every hour: a missed run is caught up within the hour
    schedule = entries[0]["schedule"]
    assert len(schedule.day_of_month) == 31 and len(schedule.hour) == 24
