"""The complaint rate and the 红黑榜 count the complaint table alone: the database keeps on each
complaint whether its case counts, when it was resolved and whether it went red-overdue."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from cases.models import Case, CaseEvent, CaseState
from cases.services import case_reject
from cases.workflow import Action as CaseAction
from governance.models import AreaLevel
from property_mgmt import services
from property_mgmt.models import ComplaintDetail
from property_mgmt.selectors import stats
from property_mgmt.selectors.periods import Period
from property_mgmt.selectors.stats import base
from tests.governance.factories import area

from . import factories as f

pytestmark = pytest.mark.django_db


def _complaint(staff: Any, tree: dict[str, Any], title: str = "电梯故障") -> ComplaintDetail:
    return services.complaint_report(
        actor=staff,
        area=tree["building"],
        complaint_type="repair",
        title=title,
        description="电梯停运两天",
        contact_name="张三",
        contact_phone="13800001111",
    )


def _this_quarter() -> Period:
    today = timezone.localdate()
    first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return Period(first, date.fromordinal(today.toordinal() + 1))


def test_a_rejected_complaint_leaves_the_rate(
    tree: dict[str, Any], make_user: Any, cats: Any
) -> None:
    company = f.company()
    f.contract(tree["estate"], company, starts_on=timezone.localdate() - timedelta(days=400))
    f.households(tree["estate"], 10)
    staff = make_user("community_staff")
    details = [_complaint(staff, tree, f"投诉{n}") for n in range(3)]
    leader = make_user("district_leader")
    period = _this_quarter()
    assert stats.complaints(leader, period).count() == 3
    # when one of them is found not to be a matter for the portal
    case_reject(actor=staff, case=details[0].case, note="不属于物业服务范围")
    # then the rate counts two, and the ranking shows two complaints for the company
    assert stats.complaints(leader, period).count() == 2
    row = stats.ranking(actor=leader, period=period)[0]
    assert (row.company, row.complaints, row.households) == (company, 2, 10)


def test_on_time_handling_counts_red_marks_of_resolved_complaints(
    tree: dict[str, Any], make_user: Any, cats: Any
) -> None:
    company = f.company()
    f.contract(tree["estate"], company, starts_on=timezone.localdate() - timedelta(days=400))
    f.households(tree["estate"], 4)
    staff = make_user("community_staff")
    late, kept, open_ = (_complaint(staff, tree, f"投诉{n}") for n in range(3))
    # one complaint went red-overdue while it was handled (the sweep's timeline row)
    CaseEvent.objects.create(
        case=late.case,
        action=CaseAction.OVERDUE,
        to_state=late.case.state,
        tier=late.case.tier,
    )
    # two are resolved, one is still open
    Case.objects.filter(pk__in=[late.case_id, kept.case_id]).update(
        state=CaseState.RESOLVED, resolved_at=timezone.now()
    )
    row = stats.ranking(actor=make_user("district_leader"), period=_this_quarter())[0]
    assert (row.resolved, row.on_time) == (2, 50.0)
    assert ComplaintDetail.objects.get(pk=open_.pk).went_overdue is False
    # a case put back in progress (reopened) leaves the quarter's handled complaints
    Case.objects.filter(pk=kept.case_id).update(state=CaseState.IN_PROGRESS, resolved_at=None)
    row = stats.ranking(actor=make_user("district_leader"), period=_this_quarter())[0]
    assert (row.resolved, row.on_time) == (1, 0.0)


def test_many_areas_are_counted_in_one_scan_and_a_new_household_shows_at_once(
    tree: dict[str, Any],
) -> None:
    estates = [tree["estate"]] + [
        area(tree["community"], AreaLevel.RESIDENTIAL_AREA, f"小区{n}")
        for n in range(base.FEW_PATHS + 1)
    ]
    for n, estate in enumerate(estates):
        f.households(estate, n + 1, phone_prefix=f"1390{n:03d}")
    paths = [e.path for e in estates]
    counts = base.households_by_prefix(paths, len(paths[0]))
    assert [counts.get(p, 0) for p in paths] == list(range(1, len(estates) + 1))
    # a household added to the first estate is counted at once (the kept count is newer)
    f.households(estates[0], 1, phone_prefix="1370000")
    counts = base.households_by_prefix(paths, len(paths[0]))
    assert counts[paths[0]] == 2


def test_the_ranking_page_is_kept_until_a_complaint_changes_it(
    client: Any, tree: dict[str, Any], make_user: Any, cats: Any
) -> None:
    company = f.company()
    f.contract(tree["estate"], company, starts_on=timezone.localdate() - timedelta(days=400))
    f.households(tree["estate"], 5)
    staff = make_user("community_staff")
    first = _complaint(staff, tree)
    client.force_login(make_user("district_leader"))
    today = timezone.localdate()
    url = f"/property/ranking/?quarter={today.year}Q{(today.month - 1) // 3 + 1}"
    assert "(1 / 5)" in client.get(url).content.decode()
    # a second complaint shows at once, and so does a rejected one leaving the count
    second = _complaint(staff, tree, "楼道照明损坏")
    assert "(2 / 5)" in client.get(url).content.decode()
    case_reject(actor=staff, case=first.case, note="重复反映")
    assert "(1 / 5)" in client.get(url).content.decode()
    assert ComplaintDetail.objects.get(pk=second.pk).counted
