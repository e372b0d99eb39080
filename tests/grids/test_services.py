from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import AuditAction, AuditLog
from accounts.roles import Role
from governance.models import NeedsLedger
from grids import selectors, services
from grids.models import GridPost, GridStaffing, WorkerPost

from .factories import grid, household, problem_category, square, staff_fully, worker

pytestmark = pytest.mark.django_db


def breach_names(actor):
    return {
        g.name: g.problems
        for group in selectors.staffing_breaches(actor=actor)
        for block in group["communities"]
        for g in block["grids"]
    }


def test_a_grid_without_staff_breaks_the_rule_and_is_cleared_when_staffed(make_user, tree):
    leader = make_user(Role.STREET_STAFF)
    target = grid(tree["community"], name="东网格")
    # given: nobody on the grid
    assert breach_names(leader)["东网格"] == [
        "网格员 0 人，少于 1 人",
        "未配网格长",
        "未配网格党组织书记",
    ]
    # when: a leader, a secretary and one grid worker are posted
    staff_fully(target, workers=1)
    # then: the breach is gone
    assert "东网格" not in breach_names(leader)


def test_three_grid_workers_are_too_many_and_the_limit_is_configurable(make_user, tree, settings):
    actor = make_user(Role.COMMUNITY_STAFF)
    target = grid(tree["community"], name="西网格")
    staff_fully(target, workers=3)
    assert breach_names(actor)["西网格"] == ["网格员 3 人，多于 2 人"]
    settings.GRID_WORKERS_MAX = 3
    assert "西网格" not in breach_names(actor)


def test_rural_and_inactive_grids_are_not_held_to_the_urban_rule(make_user, tree):
    actor = make_user(Role.COMMUNITY_STAFF)
    grid(tree["community"], name="农村网格", kind="rural")
    inactive = grid(tree["community"], name="停用网格")
    services.grid_update(actor=None, grid=inactive, is_active=False)
    assert breach_names(actor) == {}


def test_breaches_are_grouped_by_street_and_community(make_user, tree):
    grid(tree["community"], name="甲一")
    grid(tree["other_community"], name="乙一")
    groups = selectors.staffing_breaches(actor=make_user(Role.DISTRICT_LEADER))
    assert [(g["street"], [b["community"] for b in g["communities"]]) for g in groups] == [
        ("甲街道", ["甲社区"]),
        ("乙镇", ["乙社区"]),
    ]


def test_a_new_leader_ends_the_old_leaders_term_and_history_keeps_both(tree):
    target = grid(tree["community"])
    first = services.staffing_assign(
        actor=None,
        grid=target,
        post=GridPost.LEADER,
        person_name="老王",
        started_on=date(2024, 1, 1),
    )
    services.staffing_assign(
        actor=None,
        grid=target,
        post=GridPost.LEADER,
        person_name="小李",
        started_on=date(2025, 3, 1),
    )
    first.refresh_from_db()
    assert first.ended_on == date(2025, 3, 1)
    current = GridStaffing.objects.filter(grid=target, ended_on__isnull=True)
    assert [s.person_name for s in current] == ["小李"]
    assert GridStaffing.objects.filter(grid=target).count() == 2


def test_grid_workers_come_from_the_grids_own_community(tree):
    target = grid(tree["community"])
    stranger = worker(tree["other_community"])
    with pytest.raises(ValidationError) as error:
        services.staffing_assign(
            actor=None, grid=target, post=GridPost.WORKER, worker=stranger, started_on=date.today()
        )
    assert error.value.message_dict["worker"] == ["只能选派本社区的社区工作者。"]
    with pytest.raises(ValidationError):
        services.staffing_assign(
            actor=None,
            grid=target,
            post=GridPost.WORKER,
            person_name="路人",
            started_on=date.today(),
        )


def test_ending_a_term_twice_is_refused(tree):
    target = grid(tree["community"])
    staffing = services.staffing_assign(
        actor=None,
        grid=target,
        post=GridPost.WORKER,
        worker=worker(tree["community"]),
        started_on=date(2024, 1, 1),
    )
    services.staffing_end(actor=None, staffing=staffing, ended_on=date(2024, 6, 1))
    with pytest.raises(ValidationError, match="已结束"):
        services.staffing_end(actor=None, staffing=staffing, ended_on=date(2024, 7, 1))


def test_no_building_lies_in_two_active_grids(tree, second_building):
    north, south = grid(tree["community"]), grid(tree["community"])
    services.grid_cover_area(actor=None, grid=north, area=tree["building"])
    # the same building, and the residential area above it, are refused for another grid
    with pytest.raises(ValidationError, match="一栋楼只能属于一个网格"):
        services.grid_cover_area(actor=None, grid=south, area=tree["building"])
    with pytest.raises(ValidationError, match="一栋楼只能属于一个网格"):
        services.grid_cover_area(actor=None, grid=south, area=tree["estate"])
    # a sibling building is free
    services.grid_cover_area(actor=None, grid=south, area=second_building)
    # once the first grid is stood down, its building can move
    services.grid_update(actor=None, grid=north, is_active=False)
    services.grid_cover_area(actor=None, grid=south, area=tree["building"])
    # and the old grid cannot come back while its building is taken
    with pytest.raises(ValidationError, match="不能恢复启用"):
        services.grid_update(actor=None, grid=north, is_active=True)


def test_a_grid_covers_only_residential_areas_and_buildings_of_its_community(tree):
    target = grid(tree["community"])
    with pytest.raises(ValidationError, match="本社区"):
        services.grid_cover_area(actor=None, grid=target, area=tree["other_estate"])
    with pytest.raises(ValidationError, match="小区或楼栋"):
        services.grid_cover_area(actor=None, grid=target, area=tree["community"])


def test_households_are_counted_through_the_covered_buildings(tree, second_building):
    target = grid(tree["community"])
    services.grid_cover_area(actor=None, grid=target, area=tree["estate"])
    household(tree["building"])
    household(second_building)
    assert selectors.households_of(target) == 2


def test_grade_changes_keep_their_history(make_user, tree):
    street = make_user(Role.STREET_STAFF)
    person = worker(tree["community"], post=WorkerPost.STAFF, grade=2, hired_on=date(2020, 1, 1))
    services.worker_grade_change(
        actor=street, worker=person, post=WorkerPost.STAFF, grade=5, effective_on=date(2023, 1, 1)
    )
    services.worker_grade_change(
        actor=street, worker=person, post=WorkerPost.DEPUTY, grade=6, effective_on=date(2025, 1, 1)
    )
    person.refresh_from_db()
    assert (person.post, person.grade) == (WorkerPost.DEPUTY, 6)
    mid, early = (
        selectors.grade_on(worker=person, day=date(2024, 6, 1)),
        selectors.grade_on(worker=person, day=date(2021, 6, 1)),
    )
    assert mid is not None and mid.grade == 5
    assert early is not None and early.grade == 2
    assert person.grade_changes.count() == 3
    assert AuditLog.objects.filter(action=AuditAction.UPDATE, object_id=str(person.pk)).count() == 2


def test_a_backdated_change_does_not_override_the_later_one(tree):
    person = worker(tree["community"], grade=8, hired_on=date(2024, 1, 1))
    services.worker_grade_change(
        actor=None, worker=person, post=WorkerPost.STAFF, grade=3, effective_on=date(2022, 1, 1)
    )
    person.refresh_from_db()
    assert person.grade == 8


def test_grade_changes_are_for_the_street_not_the_community(make_user, tree):
    person = worker(tree["community"])
    with pytest.raises(PermissionDenied):
        services.worker_grade_change(
            actor=make_user(Role.COMMUNITY_STAFF),
            worker=person,
            post=WorkerPost.STAFF,
            grade=9,
            effective_on=date.today(),
        )
    with pytest.raises(ValidationError) as error:
        services.worker_grade_change(
            actor=None,
            worker=person,
            post=WorkerPost.STAFF,
            grade=19,
            effective_on=timezone.localdate() + timedelta(days=3),
        )
    assert set(error.value.message_dict) == {"grade", "effective_on"}


def test_a_point_is_located_to_its_grid(make_user, tree):
    actor = make_user(Role.COMMUNITY_STAFF)
    west = grid(tree["community"], boundary=square(117.70, 34.55))
    east = grid(tree["community"], boundary=square(117.71, 34.55))
    grid(tree["other_community"], boundary=square(117.72, 34.55))
    assert selectors.grid_locate(actor=actor, longitude=117.705, latitude=34.555) == west
    assert selectors.grid_locate(actor=actor, longitude=117.715, latitude=34.556) == east
    assert selectors.grid_locate(actor=actor, longitude=117.80, latitude=34.555) is None
    # a point in a grid of another community is outside this user's scope
    assert selectors.grid_locate(actor=actor, longitude=117.725, latitude=34.555) is None


def test_a_bad_boundary_is_refused_with_a_clear_message(tree):
    bow_tie = {
        "type": "Polygon",
        "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]],
    }
    with pytest.raises(ValidationError) as error:
        grid(tree["community"], boundary=bow_tie)
    assert "自相交" in error.value.message_dict["boundary"][0]
    with pytest.raises(ValidationError, match="Polygon"):
        grid(tree["community"], boundary={"type": "Point", "coordinates": [117.7, 34.5]})


def test_a_visit_records_needs_in_the_ledger_and_its_problems(make_user, tree):
    visitor = make_user(Role.GRID_WORKER)
    target = grid(tree["community"])
    services.grid_cover_area(actor=None, grid=target, area=tree["estate"])
    home = household(tree["building"])
    visit = services.visit_log(
        actor=visitor,
        grid=target,
        household=home,
        visited_on=timezone.localdate(),
        kind="door",
        heard="独居老人，行动不便",
        needs=[("elderly_care", "希望每周上门送餐")],
        problems=[(problem_category(), "楼道灯不亮"), (problem_category(), "  ")],
        follow_up_on=timezone.localdate() + timedelta(days=3),
    )
    need = NeedsLedger.objects.get()
    assert need.household == home and need.description == "希望每周上门送餐"
    assert list(visit.needs.all()) == [need]
    assert [p.description for p in visit.problems.all()] == ["楼道灯不亮"]
    home_page = selectors.grid_worker_home(actor=visitor)
    assert home_page["visits_due"] == [visit]


def test_a_visit_outside_the_grids_buildings_is_refused_and_leaves_nothing(make_user, tree):
    target = grid(tree["community"])
    home = household(tree["building"])
    with pytest.raises(ValidationError) as error:
        services.visit_log(
            actor=make_user(Role.GRID_WORKER),
            grid=target,
            household=home,
            visited_on=timezone.localdate(),
            kind="door",
            heard="情况",
            needs=[("health", "看病难")],
        )
    assert "household" in error.value.message_dict
    assert not NeedsLedger.objects.exists()
