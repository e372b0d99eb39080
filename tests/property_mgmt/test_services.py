"""The services of 红色物业: what a user would notice, including the issue's bad input."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import AuditLog
from cases.models import CaseSource, CaseState, RoutingRule
from cases.services import case_accept, case_dispatch
from common.errors import Conflict
from governance.models import PropertyCompany
from governance.units import Unit
from property_mgmt import services
from property_mgmt.models import (
    ComplaintDetail,
    ComplaintKind,
    MediationOutcome,
    OwnersCommittee,
    ResolutionState,
    ServiceContract,
    SurveyAnswer,
)
from property_mgmt.selectors import stats

from . import factories as f

pytestmark = pytest.mark.django_db


# --- Companies ---------------------------------------------------------------------------------


def test_an_invalid_credit_code_is_refused_and_nothing_is_written(make_user: Any) -> None:
    admin = make_user("district_admin")
    with pytest.raises(ValidationError) as exc:
        services.company_register(actor=admin, name="坏码物业", credit_code="91370405MA3C5K7Q1X")
    assert "校验位不符" in str(exc.value)
    assert not PropertyCompany.objects.filter(name="坏码物业").exists()


def test_register_keeps_the_profile_and_audits(make_user: Any) -> None:
    admin = make_user("district_admin")
    company = services.company_register(
        actor=admin, name="红心物业", credit_code=f.credit_code(), is_red_pilot=True
    )
    assert company.property_profile.is_red_pilot
    assert AuditLog.objects.filter(
        object_id=str(company.pk), detail__event="company.register"
    ).exists()


def test_community_staff_may_not_register_companies(make_user: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.company_register(
            actor=make_user("community_staff"), name="某物业", credit_code=f.credit_code()
        )


# --- Contracts ---------------------------------------------------------------------------------


def test_overlapping_contracts_for_one_area_are_refused(
    tree: dict[str, Any], make_user: Any, cats: Any
) -> None:
    # given a contract for 2024–2030
    staff = make_user("community_staff")
    first, second = f.company(), f.company()
    f.contract(tree["estate"], first)
    # when another company is contracted for a part of that time
    with pytest.raises(ValidationError) as exc:
        services.contract_create(
            actor=staff,
            area=tree["estate"],
            company=second,
            starts_on=date(2030, 6, 1),
            ends_on=date(2031, 5, 31),
        )
    # then it is refused with the clash named, and nothing is written
    assert "重叠" in str(exc.value)
    assert ServiceContract.objects.filter(area=tree["estate"]).count() == 1


def test_the_exclusion_constraint_holds_without_the_service(tree: dict[str, Any]) -> None:
    from django.db import IntegrityError, transaction

    f.contract(tree["estate"], None)
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceContract.objects.create(
            area=tree["estate"],
            area_path=tree["estate"].path,
            kind="self",
            starts_on=date(2025, 1, 1),
            ends_on=date(2025, 2, 1),
        )


def test_contract_outside_ones_community_is_refused(tree: dict[str, Any], make_user: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.contract_create(
            actor=make_user("community_staff"),
            area=tree["other_estate"],
            kind="self",
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 12, 31),
        )


def test_a_company_contract_keeps_the_routing_rule(tree: dict[str, Any], cats: Any) -> None:
    company = f.company()
    contract = f.contract(
        tree["estate"], company, starts_on=timezone.localdate() - timedelta(days=10)
    )
    rule = RoutingRule.objects.get(area=tree["estate"], category__code="WY")
    assert rule.company == company
    services.contract_terminate(
        actor=None, contract=contract, on=timezone.localdate() - timedelta(days=1)
    )
    assert not RoutingRule.objects.filter(area=tree["estate"], category__code="WY").exists()


# --- Committees --------------------------------------------------------------------------------


def test_a_term_ending_before_it_starts_is_refused(tree: dict[str, Any], make_user: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.committee_create(
            actor=make_user("community_staff"),
            area=tree["estate"],
            term_starts_on=date(2026, 5, 1),
            term_ends_on=date(2026, 4, 30),
        )
    assert exc.value.message_dict["term_ends_on"] == ["任期结束日期须晚于开始日期。"]
    assert not OwnersCommittee.objects.exists()


def test_one_chair_per_committee(tree: dict[str, Any]) -> None:
    committee = f.committee(tree["estate"])
    services.member_add(actor=None, committee=committee, name="王主任", role="chair")
    with pytest.raises(ValidationError):
        services.member_add(actor=None, committee=committee, name="李主任", role="chair")


def test_terms_ending_within_90_days_are_flagged(tree: dict[str, Any], make_user: Any) -> None:
    from property_mgmt.selectors import committee_list

    today = timezone.localdate()
    f.committee(
        tree["estate"],
        term_starts_on=today - timedelta(days=1000),
        term_ends_on=today + timedelta(days=30),
    )
    actor = make_user("community_staff")
    assert committee_list(actor=actor, status="expiring").count() == 1


# --- Complaints --------------------------------------------------------------------------------


def test_a_complaint_is_a_case_routed_to_the_contracted_company(
    tree: dict[str, Any], make_user: Any, cats: Any
) -> None:
    # given a company serving the area
    company = f.company()
    f.contract(tree["estate"], company, starts_on=timezone.localdate() - timedelta(days=30))
    staff = make_user("community_staff")
    # when a resident's complaint is registered
    detail = services.complaint_report(
        actor=staff,
        area=tree["building"],
        complaint_type="repair",
        title="水管漏水",
        description="楼道水管漏水三天",
        contact_name="张三",
        contact_phone="13800001111",
    )
    # then it is a case with the area, company and type, and dispatch goes to the company
    assert detail.case.source == CaseSource.PROPERTY
    assert (detail.estate, detail.company, detail.kind) == (
        tree["estate"],
        company,
        ComplaintKind.COMPLAINT,
    )
    case_accept(actor=staff, case=detail.case)
    case = case_dispatch(actor=staff, case=detail.case)
    assert case.state == CaseState.IN_PROGRESS
    assert case.assignments.get(ended_at=None).company == company


def test_a_refused_case_writes_no_detail(tree: dict[str, Any], make_user: Any, cats: Any) -> None:
    with pytest.raises(ValidationError):
        services.complaint_report(
            actor=make_user("community_staff"),
            area=tree["estate"],
            complaint_type="repair",
            title="",
            description="",
        )
    assert not ComplaintDetail.objects.exists()


def test_a_dispute_goes_to_the_mediation_group_and_failure_needs_a_referral(
    tree: dict[str, Any], make_user: Any, cats: Any
) -> None:
    staff = make_user("community_staff")
    mediation = services.dispute_report(
        actor=staff,
        area=tree["estate"],
        complaint_type="neighbours",
        title="漏水纠纷",
        description="楼上漏水",
    )
    assert mediation.group.community == tree["community"]
    with pytest.raises(ValidationError):
        services.mediation_conclude(
            actor=staff, mediation=mediation, outcome=MediationOutcome.FAILED
        )
    services.mediation_conclude(
        actor=staff, mediation=mediation, outcome="failed", referral="judicial"
    )
    with pytest.raises(Conflict):
        services.mediation_conclude(actor=staff, mediation=mediation, outcome="success")


def test_a_successful_mediation_handles_the_case(
    tree: dict[str, Any], make_user: Any, cats: Any
) -> None:
    staff = make_user("community_staff")
    mediation = services.dispute_report(
        actor=staff,
        area=tree["estate"],
        complaint_type="neighbours",
        title="噪音纠纷",
        description="夜间噪音",
    )
    services.mediation_conclude(
        actor=staff, mediation=mediation, outcome="success", note="双方和解"
    )
    mediation.case.refresh_from_db()
    assert mediation.case.state == CaseState.RESOLVED


# --- Councils ----------------------------------------------------------------------------------


def _meeting(tree: dict[str, Any]) -> Any:
    from tests.governance.factories import org

    return services.meeting_create(
        actor=None,
        community=tree["community"],
        kind="joint",
        title="联席会议",
        held_at=timezone.now() - timedelta(days=2),
        convened_by=org(tree["community"]),
        attendees=[services.AttendeeFields("residents", "居民代表")],
    )


def test_resolution_workflow_and_refusals(tree: dict[str, Any], make_user: Any) -> None:
    meeting = _meeting(tree)
    company = f.company()
    resolution = services.resolution_add(
        actor=None, meeting=meeting, text="修复路灯", unit=Unit(company=company), due_days=5
    )
    assert resolution.due_at > meeting.held_at
    outsider = make_user("community_staff", "other_community")
    with pytest.raises(PermissionDenied):
        services.resolution_transition(actor=outsider, resolution=resolution, action="start")
    with pytest.raises(ValidationError):
        services.resolution_transition(actor=None, resolution=resolution, action="complete")
    done = services.resolution_transition(
        actor=None, resolution=resolution, action="complete", note="已修复"
    )
    assert done.state == ResolutionState.DONE
    with pytest.raises(Conflict):
        services.resolution_transition(actor=None, resolution=resolution, action="start")


def test_a_due_date_on_a_holiday_moves_to_the_next_working_day(tree: dict[str, Any]) -> None:
    meeting = _meeting(tree)
    saturday = timezone.localdate() + timedelta(days=(5 - timezone.localdate().weekday()) % 7 + 7)
    resolution = services.resolution_add(
        actor=None,
        meeting=meeting,
        text="公示收支",
        unit=Unit(area=tree["community"]),
        due_on=saturday,
    )
    assert resolution.due_on == saturday + timedelta(days=2)


# --- Surveys -----------------------------------------------------------------------------------


def test_a_second_answer_from_one_household_is_refused(tree: dict[str, Any]) -> None:
    survey = f.survey(tree["estate"])
    home = f.households(tree["estate"], 1)[0]
    services.survey_answer_record(survey=survey, household=home, scores=f.SCORES, channel="phone")
    with pytest.raises(ValidationError) as exc:
        services.survey_answer_record(
            survey=survey, household=home, scores=f.SCORES, channel="phone"
        )
    assert "每户只能提交一次" in str(exc.value)
    assert SurveyAnswer.objects.count() == 1


def test_satisfaction_is_the_share_of_satisfied_overall_answers(
    tree: dict[str, Any], make_user: Any
) -> None:
    survey = f.survey(tree["estate"])
    for n, home in enumerate(f.households(tree["estate"], 4)):
        services.survey_answer_record(
            survey=survey,
            household=home,
            scores={**f.SCORES, "overall": 5 if n else 2},
            channel="code",
        )
    figures = stats.answer_figures(SurveyAnswer.objects.visible_to(make_user("community_staff")))
    assert (figures["n"], figures["rate"]) == (4, 75.0)
