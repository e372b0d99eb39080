"""Bad input is refused with a clear message and nothing half-written."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import WorkCalendarDay
from common.errors import Conflict
from volunteers import services
from volunteers.letters import letter_pdf
from volunteers.models import (
    CheckInState,
    CoBuildProject,
    CommunityNeed,
    MemberCheckIn,
    MemberTask,
    NeedState,
    ProjectMilestone,
    TaskState,
    UnitCheckIn,
)

from . import factories

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def test_a_second_checkin_of_one_unit_at_one_community_for_one_year_is_refused(tree, unit):
    # given
    factories.checkin(unit, tree["community"])
    # when / then
    with pytest.raises(ValidationError) as refused:
        factories.checkin(unit, tree["community"])
    assert "不能重复报到" in str(refused.value)
    assert UnitCheckIn.objects.filter(department=unit).count() == 1
    # the same unit at another community, and next year here, are fine
    factories.checkin(unit, tree["other_community"])
    services.unit_checkin_create(
        actor=None, department=unit, community=tree["community"], year=YEAR + 1,
        contact_name="王",
    )  # fmt: skip


def test_a_withdrawn_checkin_can_be_made_again(tree, unit):
    first = factories.checkin(unit, tree["community"], confirmed=False)
    services.unit_checkin_withdraw(actor=None, checkin=first)
    again = factories.checkin(unit, tree["community"])
    assert again.state == CheckInState.CONFIRMED


def test_confirming_twice_is_a_conflict(tree, unit):
    made = factories.checkin(unit, tree["community"])
    with pytest.raises(Conflict, match="已确认"):
        services.unit_checkin_confirm(actor=None, checkin=made)


def test_an_agreement_needs_a_confirmed_checkin_and_an_ordered_term(tree, unit):
    pending = factories.checkin(unit, tree["community"], confirmed=False)
    today = timezone.localdate()
    with pytest.raises(Conflict, match="确认后"):
        services.agreement_sign(
            actor=None, checkin=pending, number="X1", signed_on=today, starts_on=today,
            ends_on=today, terms="共建",
        )  # fmt: skip
    confirmed = services.unit_checkin_confirm(actor=None, checkin=pending)
    with pytest.raises(ValidationError) as refused:
        services.agreement_sign(
            actor=None, checkin=confirmed, number="X1", signed_on=today, starts_on=today,
            ends_on=today - timedelta(days=1), terms="共建",
        )  # fmt: skip
    assert "ends_on" in refused.value.message_dict


def test_a_project_without_a_need_or_a_resource_is_refused_and_nothing_is_written(tree, unit):
    # given: a unit checked in with a resource, and a need
    made = factories.checkin(unit, tree["community"])
    resource = factories.resource(made)
    need = factories.need(tree["community"])
    today = timezone.localdate()
    common = {
        "actor": None, "community": tree["community"], "title": "四点半课堂",
        "lead_department": unit, "starts_on": today, "ends_on": today + timedelta(days=30),
    }  # fmt: skip
    # when / then
    with pytest.raises(ValidationError) as no_need:
        services.project_create(needs=[], resources=[resource], **common)
    assert "需求" in no_need.value.message_dict["needs"][0]
    with pytest.raises(ValidationError) as no_resource:
        services.project_create(needs=[need], resources=[], **common)
    assert "资源" in no_resource.value.message_dict["resources"][0]
    assert not CoBuildProject.objects.exists()
    assert CommunityNeed.objects.get(pk=need.pk).state == NeedState.OPEN


def test_a_project_may_not_use_a_need_or_resource_of_another_community(tree, unit, other_unit):
    factories.checkin(unit, tree["community"])
    elsewhere = factories.checkin(other_unit, tree["other_community"])
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.project_create(
            actor=None, community=tree["community"], title="x", lead_department=unit,
            needs=[factories.need(tree["other_community"])],
            resources=[factories.resource(elsewhere)],
            starts_on=today, ends_on=today,
        )  # fmt: skip
    assert {"needs", "resources"} <= set(refused.value.message_dict)


def test_a_milestone_after_the_projects_end_is_refused(tree, unit):
    project = factories.project(tree["community"], unit)
    with pytest.raises(ValidationError) as refused:
        services.milestone_add(
            actor=None, project=project, title="验收", due_on=project.ends_on + timedelta(days=1)
        )
    assert "晚于项目结束日期" in refused.value.message_dict["due_on"][0]
    assert not ProjectMilestone.objects.filter(project=project).exists()
    # and a project created with such a milestone is not created at all
    with pytest.raises(ValidationError):
        factories.project(
            tree["community"], unit,
            milestones=[{"title": "晚了", "due_on": date(2999, 1, 1)}],
        )  # fmt: skip
    assert CoBuildProject.objects.count() == 1


def test_a_milestone_in_working_days_skips_the_calendars_holidays(tree, unit):
    # given: a project starting on a Monday, with the Wednesday a public holiday
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday() + 7)
    WorkCalendarDay.objects.create(date=monday + timedelta(days=2), is_working_day=False)
    project = factories.project(
        tree["community"], unit, starts_on=monday, ends_on=monday + timedelta(days=60)
    )
    # when: a milestone of three working days
    milestone = services.milestone_add(actor=None, project=project, title="方案", working_days=3)
    # then: Monday, Tuesday, (holiday), Thursday
    assert milestone.due_on == monday + timedelta(days=3)
    assert milestone.starts_on <= milestone.warn_on <= milestone.due_on


def test_completing_a_project_solves_its_needs(tree, unit):
    project = factories.project(tree["community"], unit, state="completed")
    assert set(project.needs.values_list("state", flat=True)) == {NeedState.DONE}


def test_a_member_checked_in_at_two_communities_at_once_is_refused(tree):
    first = factories.member(tree["community"], phone="13912345678")
    with pytest.raises(ValidationError) as refused:
        factories.member(tree["other_community"], phone="139 1234 5678")
    assert "不能同时在两个社区报到" in refused.value.message_dict["phone"][0]
    assert MemberCheckIn.objects.count() == 1
    # after moving out, the member checks in at the new home
    services.member_checkin_end(actor=None, checkin=first)
    factories.member(tree["other_community"], phone="13912345678")


def test_a_cadre_not_in_the_ledger_needs_a_phone_and_a_branch(tree):
    with pytest.raises(ValidationError) as refused:
        services.member_checkin_create(
            actor=None, community=tree["community"], name="李", employer="区民政局"
        )
    assert {"phone", "branch"} <= set(refused.value.message_dict)


def test_year_end_feedback_counts_the_completed_tasks(tree):
    # given: a member with two done tasks and one missed
    checkin = factories.member(tree["community"])
    day = checkin.registered_on
    for hours in (Decimal(2), Decimal("3.5")):
        task = services.task_assign(actor=None, checkin=checkin, kind="post", title="值守",
                                    scheduled_on=day)  # fmt: skip
        services.task_complete(actor=None, task=task, hours=hours)
    missed = services.task_assign(actor=None, checkin=checkin, kind="post", title="x",
                                  scheduled_on=day)  # fmt: skip
    services.task_miss(actor=None, task=missed)
    # when
    feedback = services.feedback_record(
        actor=None, checkin=checkin, year=day.year, assessment="excellent", comment="好"
    )
    # then
    assert (feedback.participations, feedback.hours) == (2, Decimal("5.5"))
    pdf = letter_pdf(employer=checkin.employer, year=day.year, rows=[feedback])
    assert pdf.startswith(b"%PDF")


def test_completing_a_task_twice_is_a_conflict(tree):
    checkin = factories.member(tree["community"])
    task = services.task_assign(
        actor=None, checkin=checkin, kind="wish", title="微心愿", scheduled_on=checkin.registered_on
    )
    services.task_complete(actor=None, task=task, hours=Decimal(1), by_member=True)
    with pytest.raises(Conflict):
        services.task_complete(actor=None, task=task, hours=Decimal(1), by_member=True)
    with pytest.raises(ValidationError):
        services.task_assign(
            actor=None, checkin=checkin, kind="post", title="x",
            scheduled_on=checkin.registered_on - timedelta(days=1),
        )  # fmt: skip


@pytest.fixture
def shift(tree):
    from tests.grids.factories import grid

    target = grid(tree["community"])
    today = timezone.localdate()
    campaign = services.campaign_create(
        actor=None, area=tree["district"], title="进网格、战疫情", starts_on=today,
        ends_on=today + timedelta(days=10), grids=[target],
    )  # fmt: skip
    return services.shift_add(
        actor=None, campaign=campaign, grid=target, duty="testing_post", day=today,
        starts_at=time(8), ends_at=time(12), capacity=2,
    )  # fmt: skip


def test_a_shift_outside_the_campaign_or_not_in_a_target_grid_is_refused(tree, shift):
    from tests.grids.factories import grid

    with pytest.raises(ValidationError) as refused:
        services.shift_add(
            actor=None, campaign=shift.campaign, grid=grid(tree["other_community"]),
            duty="publicity", day=shift.campaign.ends_on + timedelta(days=1),
            starts_at=time(8), ends_at=time(7),
        )  # fmt: skip
    assert {"grid", "day", "ends_at"} <= set(refused.value.message_dict)


def test_signups_count_people_once_and_a_full_shift_refuses(tree, shift):
    member = factories.member(tree["community"])
    signup = services.signup_add(actor=None, shift=shift, member_checkin=member)
    # the member's shift is one of their tasks
    assert MemberTask.objects.get(pk=signup.task_id).kind == "shift"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="已报名"):
        services.signup_add(actor=None, shift=shift, member_checkin=member)
    services.signup_add(actor=None, shift=shift, kind="volunteer", name="志愿者甲",
                        phone="13700000001")  # fmt: skip
    with pytest.raises(Conflict, match="已满"):
        services.signup_add(actor=None, shift=shift, kind="cadre", name="干部乙",
                            phone="13700000002")  # fmt: skip
    # attendance: at most the shift's four hours; the member's task follows
    with pytest.raises(ValidationError):
        services.signup_attend(actor=None, signup=signup, attended=True, hours=Decimal(5))
    services.signup_attend(actor=None, signup=signup, attended=True, hours=Decimal(4))
    assert MemberTask.objects.get(pk=signup.task_id).state == TaskState.DONE  # type: ignore[misc]
