"""Every unit a case is dispatched to is one the desk may pick and can see the case (issue 11 §8).

Each tier's desk (the community for community cases, the street for street cases, the district
for district cases) dispatches through the case page and the API. A street or community the desk
cannot see is refused like a unit that does not exist (naming nothing); one it sees but outside
the case's own subtree is refused by name; a named person must belong to the lead unit; a
disabled department or company is no unit. A refusal changes nothing: state, deadline,
assignments, the handling columns, the timeline, notifications. Departments and property
companies serve the whole district: a case's dispatch knows no service area of a company (the
service contracts live in ``property_mgmt``, above the cases).
"""

import re
from html import unescape
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from cases.models import Case, CaseState, Notification, RoutingRule, Tier
from cases.services import case_accept, case_dispatch
from governance.models import AreaLevel, Department, PropertyCompany
from governance.units import Unit
from tests.governance.factories import area

from .factories import category, report

pytestmark = pytest.mark.django_db

INVALID = "承办单位无效。"
CHOICE = "选择一个有效的选项"
NOT_IN_UNIT = "指定承办人须属于主办单位。"

#: The desk of each tier and the tier of its cases.
DESKS = {"community": Tier.COMMUNITY, "street": Tier.STREET, "admin": Tier.DISTRICT}


def outside(name: str) -> str:
    return f"{name}不在本事件所在区域的范围内，不能承办。"


#: Per desk: what it tries (names of ``units``), the field refused ("": the form's top), and
#: the message.
REFUSED: dict[str, list[tuple[dict[str, Any], str, str]]] = {
    "community": [
        ({"lead": "other_community"}, "lead", INVALID),  # another street's community
        ({"lead": "street"}, "lead", INVALID),  # the street above: that is 呼叫上级, not 派单
        ({"lead": "community", "cooperating": ["other_street"]}, "cooperating", CHOICE),
        ({"lead": "department", "person": "community"}, "person", NOT_IN_UNIT),
        ({"lead": "closed_company"}, "", INVALID),
    ],
    "street": [
        ({"lead": "other_community"}, "lead", INVALID),  # the reported attack
        ({"lead": "sibling"}, "lead", outside("丙社区")),  # its own, but not the case's
        ({"lead": "street", "cooperating": ["other_street"]}, "cooperating", CHOICE),
        ({"lead": "street", "person": "community"}, "person", NOT_IN_UNIT),
        ({"lead": "closed_department"}, "", INVALID),
    ],
    "admin": [
        ({"lead": "other_community"}, "lead", outside("乙社区")),
        ({"lead": "department", "cooperating": ["other_street"]}, "cooperating", outside("乙镇")),
        ({"lead": "company", "person": "dept"}, "person", NOT_IN_UNIT),
        ({"lead": "closed_company"}, "", INVALID),
    ],
}

#: Per desk: a dispatch it may make, and the units then on the case.
ALLOWED: dict[str, tuple[dict[str, Any], list[str]]] = {
    "community": (
        {"lead": "community", "person": "community", "cooperating": ["department"]},
        ["区住建局", "甲社区"],
    ),
    "street": (
        {"lead": "street", "person": "street", "cooperating": ["community", "company"]},
        ["测试物业", "甲社区", "甲街道"],
    ),
    "admin": (
        {"lead": "department", "person": "dept", "cooperating": ["street"]},
        ["区住建局", "甲街道"],
    ),
}


@pytest.fixture
def units(tree, department, company) -> dict[str, str]:
    """The ``kind:id`` tokens of the units the tests name."""
    sibling = area(tree["street"], AreaLevel.COMMUNITY, "丙社区")  # the same street's other
    closed_department = Department.objects.create(name="已撤销局", code="T999", is_active=False)
    closed_company = PropertyCompany.objects.create(
        name="已注销物业", credit_code="91370405TEST00099X", is_active=False
    )
    tokens = {key: f"area:{node.pk}" for key, node in tree.items()}
    tokens.update(
        sibling=f"area:{sibling.pk}",
        department=f"department:{department.pk}",
        company=f"company:{company.pk}",
        closed_department=f"department:{closed_department.pk}",
        closed_company=f"company:{closed_company.pk}",
    )
    return tokens


def accepted(desk: str, people, tree) -> Case:
    """A case of ``desk``'s tier in 甲小区, accepted by that desk."""
    cat = category(name=f"{desk}类", parent_name="测试", start_tier=DESKS[desk])
    case = report(people["grid"], tree["estate"], cat)
    assert case.tier == DESKS[desk]
    return case_accept(actor=people[desk], case=case)


def body(wish: dict[str, Any], units: dict[str, str], people) -> dict[str, Any]:
    data: dict[str, Any] = {"action": "dispatch", "lead": units[wish["lead"]]}
    if "cooperating" in wish:
        data["cooperating"] = [units[name] for name in wish["cooperating"]]
    if "person" in wish:
        data["person"] = people[wish["person"]].username
    return data


def snapshot(case: Case) -> tuple[Any, ...]:
    """Everything a dispatch writes."""
    case = Case.objects.get(pk=case.pk)
    return (
        case.state, case.step, case.due_at,
        case.handling_departments, case.handling_companies, case.handling_areas,
        case.handling_persons,
        list(case.assignments.values_list("pk", "role", "ended_at")),
        list(case.events.values_list("action", flat=True)),
        Notification.objects.filter(case=case).count(),
    )  # fmt: skip


def post(channel: str, user, case: Case, data: dict[str, Any]) -> tuple[int, dict[str, list[str]]]:
    """Dispatch from the case page or the API; the status and the messages per field."""
    if channel == "api":
        api = APIClient()
        api.force_authenticate(user)
        answer = api.post(f"/api/v1/cases/{case.pk}/transitions/", data, format="json")
        fields = answer.json().get("fields", {})
        fields[""] = fields.pop("non_field_errors", [])
        return answer.status_code, fields
    client = Client()
    client.force_login(user)
    response = client.post(f"/cases/{case.pk}/transition/", data)
    page = response.content.decode()
    errors: dict[str, list[str]] = {
        field: [unescape(m) for m in re.findall(r'<p class="field__error">(.*?)</p>', block)]
        for field, block in re.findall(
            r'id="id_dispatch_(\w+)_error">(.*?)</div>', page, flags=re.S
        )
    }
    errors[""] = [unescape(m) for m in re.findall(r'<p class="field__error">(.*?)</p>', page)]
    return response.status_code, errors


@pytest.mark.parametrize("channel", ["web", "api"])
@pytest.mark.parametrize("desk", list(DESKS))
def test_each_desk_is_refused_a_unit_outside_its_reach_and_nothing_changes(
    desk, channel, people, tree, units
):
    case = accepted(desk, people, tree)
    before = snapshot(case)
    for wish, field, message in REFUSED[desk]:
        status, errors = post(channel, people[desk], case, body(wish, units, people))
        assert status == 400, (wish, errors)
        assert any(text.startswith(message) for text in errors.get(field, [])), (wish, errors)
        assert snapshot(case) == before, wish
    assert Case.objects.get(pk=case.pk).state == CaseState.ACCEPTED


@pytest.mark.parametrize("channel", ["web", "api"])
@pytest.mark.parametrize("desk", list(DESKS))
def test_each_desk_dispatches_to_units_it_may_pick_and_they_see_the_case(
    desk, channel, people, tree, units, department, company
):
    case = accepted(desk, people, tree)
    wish, names = ALLOWED[desk]
    status, errors = post(channel, people[desk], case, body(wish, units, people))
    assert status in (200, 302), errors
    case = Case.objects.get(pk=case.pk)
    assert case.state == CaseState.IN_PROGRESS
    assert case.events.filter(action="dispatch").count() == 1
    assignments = case.assignments.filter(ended_at__isnull=True)
    assert sorted(str(a.unit) for a in assignments) == names
    lead = assignments.get(role="lead")
    assert lead.person == people[wish["person"]]
    assert case.handling_persons == [people[wish["person"]].pk]
    # every unit on the case, and the named person, now see it
    recipients = {
        "community": people["community"], "street": people["street"],
        "department": people["dept"], "company": people["property"],
    }  # fmt: skip
    for name in [wish["lead"], *wish["cooperating"]]:
        assert Case.objects.visible_to(recipients[name]).filter(pk=case.pk).exists(), name
    assert Case.objects.visible_to(people[wish["person"]]).filter(pk=case.pk).exists()


def test_the_service_refuses_the_same_whoever_calls_it(people, tree, units, department):
    # given: a community case and a street case, each accepted by its desk
    community_case = accepted("community", people, tree)
    street_case = accepted("street", people, tree)
    before = [snapshot(community_case), snapshot(street_case)]
    # then: a street or community the desk cannot see is refused, naming nothing
    for desk, case, lead, cooperating in (
        ("community", community_case, Unit(area=tree["other_community"]), ()),
        ("community", community_case, Unit(area=tree["street"]), ()),
        ("community", community_case, Unit(area=tree["community"]),
         (Unit(area=tree["other_street"]),)),
        ("street", street_case, Unit(area=tree["other_community"]), ()),
        ("street", street_case, Unit(area=tree["street"]), (Unit(area=tree["other_street"]),)),
    ):  # fmt: skip
        with pytest.raises(ValidationError, match=INVALID):
            case_dispatch(actor=people[desk], case=case, lead=lead, cooperating=cooperating)
    assert [snapshot(community_case), snapshot(street_case)] == before
    assert not Case.objects.visible_to(people["other_street"]).exists()
    assert not Case.objects.visible_to(people["other_community"]).exists()


def test_a_district_case_is_refused_another_streets_community_by_name(people, tree):
    # given: a district case in 甲小区; the district desk sees every street
    case = accepted("admin", people, tree)
    before = snapshot(case)
    # when / then
    with pytest.raises(ValidationError, match=outside("乙社区")):
        case_dispatch(actor=people["admin"], case=case, lead=Unit(area=tree["other_community"]))
    assert snapshot(case) == before
    assert not Case.objects.visible_to(people["other_community"]).exists()


def test_the_routing_rules_unit_is_the_districts_choice_not_the_desks(
    people, tree, units, department
):
    """A rule may send a community's cases to its street (the district set it up): the
    community desk dispatching by rule is not refused for a unit it could not pick itself."""
    case = accepted("community", people, tree)
    RoutingRule.objects.create(
        category=case.category, area=tree["district"], unit_area=tree["street"]
    )
    status, errors = post("api", people["community"], case, {"action": "dispatch"})
    assert status == 200, errors
    lead = Case.objects.get(pk=case.pk).assignments.get(role="lead")
    assert lead.unit_area == tree["street"]
