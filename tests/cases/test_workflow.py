"""Every transition, allowed and refused by state and by role, through the services."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditLog
from cases import services
from cases.models import (
    Case,
    CaseEvent,
    CaseState,
    Notification,
    NotificationKind,
    RoutingRule,
    Satisfaction,
    Step,
    Tier,
)
from common.errors import Conflict
from governance.units import Unit

from .factories import photo, report

pytestmark = pytest.mark.django_db


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def test_a_grid_worker_reports_a_case_located_with_its_street_and_community(new_case, people, tree):
    # when
    case = new_case(photos=[photo("a.jpg"), photo("b.png", "PNG")], contact_phone="13812345678")
    # then
    assert case.state == CaseState.REPORTED
    assert case.tier == Tier.COMMUNITY
    assert case.number.startswith("SJ")
    assert case.area_path == tree["estate"].path
    assert case.street == tree["street"] and case.community == tree["community"]
    assert case.step == Step.ACCEPT
    due, warn = case.due_at, case.warn_at
    assert due is not None and warn is not None
    assert due > warn
    assert warn > case.created_at
    assert case.attachments.count() == 2
    assert all(a.thumbnail.name for a in case.attachments.all())
    event = CaseEvent.objects.get(case=case)
    assert (event.action, event.to_state, event.actor) == ("report", "reported", people["grid"])
    # the community desk is told
    assert Notification.objects.filter(recipient=people["community"], case=case).exists()
    assert AuditLog.objects.filter(object_id=str(case.pk), action="create").exists()


def test_the_stored_phone_is_encrypted(new_case):
    case = new_case(contact_phone="13812345678")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("select contact_phone from cases_case where id = %s", [case.pk])
        (stored,) = cursor.fetchone()
    assert "13812345678" not in stored
    assert fresh(case).contact_phone == "13812345678"


def test_nobody_reports_outside_their_area(people, tree, cat):
    with pytest.raises(PermissionDenied):
        report(people["grid"], tree["other_estate"], cat)
    with pytest.raises(PermissionDenied):
        report(people["dept"], tree["estate"], cat)
    assert not Case.objects.exists()


def test_a_bad_photo_refuses_the_whole_report(people, tree, cat):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError) as info:
        report(people["grid"], tree["estate"], cat, photos=[photo(), fake])
    assert "不是有效的图片文件" in str(info.value)
    gif = photo("x.gif", "GIF")
    with pytest.raises(ValidationError, match="JPEG、PNG 或 WebP"):
        report(people["grid"], tree["estate"], cat, photos=[gif])
    with pytest.raises(ValidationError, match="最多上传 4 张"):
        report(people["grid"], tree["estate"], cat, photos=[photo() for _ in range(5)])
    assert not Case.objects.exists()


def test_the_whole_path_from_report_to_closing(dispatched, people, department):
    # given: dispatched to the department with the community cooperating
    case = dispatched
    assert case.state == CaseState.IN_PROGRESS
    assert Notification.objects.filter(
        recipient=people["dept"], kind=NotificationKind.ASSIGNED, case=case
    ).exists()
    # when each unit replies, the lead resolves, the grid worker verifies, the resident rates
    services.case_reply(actor=people["community"], case=case, note="已协助清理")
    services.case_reply(actor=people["dept"], case=case, note="已安排环卫车")
    services.case_resolve(actor=people["dept"], case=case, note="已清运", photos=[photo()])
    services.case_verify(actor=people["grid"], case=case, note="现场无垃圾")
    services.case_rate(actor=people["grid"], case=case, satisfaction=Satisfaction.SATISFIED)
    # then
    case = fresh(case)
    assert case.state == CaseState.CLOSED and case.closed_at is not None
    assert case.satisfaction == "satisfied"
    replies = {a.role: a.reply for a in case.assignments.all()}
    assert replies == {"lead": "已安排环卫车", "cooperating": "已协助清理"}
    actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert actions == [
        "report", "accept", "dispatch", "reply", "reply", "resolve", "verify", "rate",
    ]  # fmt: skip


def test_an_unsatisfied_rating_reopens_the_case_at_the_desk(dispatched, people):
    services.case_resolve(actor=people["dept"], case=dispatched, note="已清运")
    services.case_verify(actor=people["grid"], case=dispatched)
    with pytest.raises(ValidationError):
        services.case_rate(actor=people["grid"], case=dispatched, satisfaction="unsatisfied")
    services.case_rate(
        actor=people["grid"], case=dispatched, satisfaction="unsatisfied", note="又堆上了"
    )
    case = fresh(dispatched)
    assert case.state == CaseState.ACCEPTED
    assert case.reopen_count == 1 and case.step == Step.HANDLE
    assert not case.assignments.filter(ended_at__isnull=True).exists()
    assert Notification.objects.filter(
        recipient=people["community"], kind=NotificationKind.REOPENED
    ).exists()


def test_grid_level_handling_on_the_spot(people, tree, grid_cat):
    case = report(people["grid"], tree["estate"], grid_cat, title="邻里噪音")
    assert case.tier == Tier.GRID
    services.case_handle(actor=people["grid"], case=case, note="当场调解")
    assert fresh(case).state == CaseState.RESOLVED
    assert fresh(case).step == Step.VERIFY


def test_escalation_goes_community_street_district_and_no_further(new_case, people):
    case = new_case()
    services.case_accept(actor=people["community"], case=case)
    services.case_escalate(actor=people["community"], case=case, note="需要街道协调")
    case = fresh(case)
    assert (case.state, case.tier) == (CaseState.ACCEPTED, Tier.STREET)
    assert Notification.objects.filter(
        recipient=people["street"], kind=NotificationKind.ESCALATED
    ).exists()
    # the community no longer holds the desk
    with pytest.raises(PermissionDenied):
        services.case_escalate(actor=people["community"], case=case, note="再呼叫")
    services.case_escalate(actor=people["street"], case=case, note="需要区级部门")
    assert fresh(case).tier == Tier.DISTRICT
    with pytest.raises(Conflict, match="区级"):
        services.case_escalate(actor=people["admin"], case=case, note="再呼叫")


def test_send_back_returns_the_case_to_the_desk(dispatched, people):
    with pytest.raises(ValidationError):
        services.case_send_back(actor=people["dept"], case=dispatched, note=" ")
    services.case_send_back(actor=people["dept"], case=dispatched, note="不属于本部门职责")
    case = fresh(dispatched)
    assert case.state == CaseState.ACCEPTED
    assert Notification.objects.filter(
        recipient=people["community"], kind=NotificationKind.SENT_BACK
    ).exists()
    # the former lead may no longer act
    with pytest.raises(PermissionDenied):
        services.case_resolve(actor=people["dept"], case=case, note="x")


def test_an_approved_extension_moves_the_deadline(dispatched, people):
    before = fresh(dispatched).due_at
    services.case_request_extension(actor=people["dept"], case=dispatched, days=2, note="待施工")
    with pytest.raises(Conflict, match="待审批"):
        services.case_request_extension(actor=people["dept"], case=dispatched, days=1, note="再")
    services.case_approve_extension(actor=people["community"], case=dispatched)
    case = fresh(dispatched)
    assert case.due_at is not None and before is not None
    assert case.due_at > before
    assert case.step_days == Decimal(5)
    assert case.extension_requested_days is None
    with pytest.raises(Conflict, match="没有待审批"):
        services.case_approve_extension(actor=people["community"], case=dispatched)


def test_a_refused_extension_keeps_the_deadline(dispatched, people):
    before = fresh(dispatched).due_at
    services.case_request_extension(actor=people["dept"], case=dispatched, days=2, note="待施工")
    services.case_refuse_extension(actor=people["community"], case=dispatched, note="时限内可办")
    assert fresh(dispatched).due_at == before


def test_reject_merge_reopen_close_urgent_and_supervise(new_case, people):
    rejected = new_case()
    services.case_reject(actor=people["community"], case=rejected, note="不属于受理范围")
    assert fresh(rejected).state == CaseState.REJECTED and fresh(rejected).step == ""

    original, duplicate = new_case(), new_case()
    services.case_merge(actor=people["community"], case=duplicate, into=original)
    assert fresh(duplicate).state == CaseState.MERGED
    assert fresh(duplicate).duplicate_of == original
    with pytest.raises(ValidationError):
        services.case_merge(actor=people["community"], case=original, into=original)

    services.case_mark_urgent(actor=people["street"], case=original)
    assert fresh(original).is_urgent
    with pytest.raises(Conflict):
        services.case_mark_urgent(actor=people["street"], case=original)

    services.case_supervise(actor=people["street"], case=original, level="yellow", note="抓紧")
    services.case_supervise(actor=people["admin"], case=original, level="ordinary", note="关注")
    assert fresh(original).supervision == "yellow"  # the level never goes down
    assert original.supervisions.count() == 2

    services.case_handle(actor=people["community"], case=original, note="已清理")
    services.case_reopen(actor=people["grid"], case=original, note="核查发现未清理")
    assert fresh(original).state == CaseState.ACCEPTED
    services.case_handle(actor=people["community"], case=original, note="再次清理")
    services.case_verify(actor=people["grid"], case=original)
    services.case_close(actor=people["community"], case=original, note="居民联系不上")
    assert fresh(original).state == CaseState.CLOSED


def test_dispatch_follows_the_routing_rule_unless_staff_choose(
    new_case, people, cat, tree, company
):
    RoutingRule.objects.create(category=cat, area=tree["district"], company=company)
    case = new_case()
    services.case_accept(actor=people["community"], case=case)
    services.case_dispatch(actor=people["community"], case=case)
    lead = case.assignments.get(role="lead")
    assert lead.company == company
    with pytest.raises(ValidationError, match="不能重复"):
        other = new_case()
        services.case_accept(actor=people["community"], case=other)
        services.case_dispatch(
            actor=people["community"], case=other, lead=Unit(company=company),
            cooperating=[Unit(company=company)],
        )  # fmt: skip


# --- refusals by role (403) and by state (409) -------------------------------------------------

ROLE_REFUSALS = [
    ("accept", "grid"),
    ("accept", "street"),
    ("accept", "dept"),
    ("accept", "other_community"),
    ("reject", "grid"),
    ("escalate", "grid"),
    ("supervise", "community"),
    ("supervise", "grid"),
    ("accept", "leader"),  # the district leader supervises (督办, 加急) and does nothing else
    ("merge", "leader"),
    ("mark_urgent", "grid"),
    ("merge", "property"),
]


@pytest.mark.parametrize(("action", "who"), ROLE_REFUSALS)
def test_roles_that_may_not_act_on_a_reported_case(new_case, people, action, who):
    case = new_case()
    params: dict[str, Any] = {"note": "理由"}
    if action == "supervise":
        params["level"] = "ordinary"
    if action == "merge":
        params = {"into": new_case()}
    with pytest.raises(PermissionDenied):
        services.case_transition(actor=people[who], case=case, action=action, **params)
    assert fresh(case).state == CaseState.REPORTED


@pytest.mark.parametrize(
    ("action", "who"),
    [
        ("resolve", "community"),
        ("resolve", "property"),
        ("send_back", "grid"),
        ("request_extension", "street"),
        ("reply", "property"),
        ("approve_extension", "dept"),
    ],
)
def test_roles_that_may_not_act_on_a_dispatched_case(dispatched, people, action, who):
    params: dict[str, Any] = {"note": "理由"}
    if action == "request_extension":
        params["days"] = 1
    with pytest.raises(PermissionDenied):
        services.case_transition(actor=people[who], case=dispatched, action=action, **params)
    assert fresh(dispatched).state == CaseState.IN_PROGRESS


@pytest.mark.parametrize(
    ("action", "who", "params"),
    [
        ("dispatch", "community", {}),
        ("verify", "grid", {}),
        ("rate", "grid", {"satisfaction": "satisfied"}),
        ("close", "community", {}),
        ("reopen", "community", {"note": "x"}),
    ],
)
def test_actions_the_reported_state_does_not_allow(new_case, people, action, who, params):
    case = new_case()
    with pytest.raises(Conflict):
        services.case_transition(actor=people[who], case=case, action=action, **params)
    assert fresh(case).state == CaseState.REPORTED


@pytest.mark.parametrize(
    ("action", "params"),
    [
        ("accept", {}),
        ("reject", {"note": "x"}),
        ("handle", {"note": "x"}),
        ("verify", {}),
        ("rate", {"satisfaction": "satisfied"}),
        ("close", {}),
        ("merge", {}),
    ],
)
def test_actions_a_dispatched_case_does_not_allow(dispatched, people, new_case, action, params):
    if action == "merge":
        params = {"into": new_case()}
    with pytest.raises(Conflict):
        services.case_transition(
            actor=people["community"], case=dispatched, action=action, **params
        )
    assert fresh(dispatched).state == CaseState.IN_PROGRESS


@pytest.mark.parametrize("action", ["resolve", "send_back", "reply", "request_extension"])
def test_the_lead_cannot_act_again_once_resolved(dispatched, people, action):
    services.case_resolve(actor=people["dept"], case=dispatched, note="已清运")
    params: dict[str, Any] = {"note": "x"}
    if action == "request_extension":
        params["days"] = 1
    with pytest.raises(Conflict):
        services.case_transition(actor=people["dept"], case=dispatched, action=action, **params)
    assert fresh(dispatched).state == CaseState.RESOLVED


def test_nothing_happens_to_a_closed_case_but_a_reopen(dispatched, people):
    services.case_resolve(actor=people["dept"], case=dispatched, note="x")
    services.case_verify(actor=people["grid"], case=dispatched)
    services.case_rate(actor=people["grid"], case=dispatched, satisfaction="basically")
    refused = [("supervise", "admin"), ("mark_urgent", "admin"), ("accept", "community"),
               ("escalate", "community"), ("resolve", "dept"), ("verify", "grid")]  # fmt: skip
    for action, who in refused:
        params: dict[str, Any] = {"note": "x"} if action != "verify" else {}
        if action == "supervise":
            params["level"] = "red"
        with pytest.raises(Conflict):
            services.case_transition(actor=people[who], case=dispatched, action=action, **params)
    services.case_reopen(actor=people["community"], case=dispatched, note="居民再次反映")
    assert fresh(dispatched).state == CaseState.ACCEPTED
