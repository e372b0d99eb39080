"""Every unit a case is dispatched to can see it: a street or community outside the case's own
subtree is refused with a clear message and nothing changes, through the API (whose unit
choices are the actor's) and in the service itself; departments and companies serve the whole
district (issue 11 §8)."""

import pytest
from django.core.exceptions import ValidationError

from cases.models import Case, CaseState
from cases.services import case_dispatch
from governance.units import Unit

pytestmark = pytest.mark.django_db


def _accepted(new_case, api_for, people):
    case = new_case()
    client = api_for(people["community"])
    url = f"/api/v1/cases/{case.pk}/transitions/"
    assert client.post(url, {"action": "accept"}, format="json").status_code == 200
    return case, client, url


def test_another_streets_community_is_refused_and_nothing_changes(new_case, api_for, people, tree):
    case, client, url = _accepted(new_case, api_for, people)
    for body in (
        {"action": "dispatch", "lead": f"area:{tree['other_community'].pk}"},
        {"action": "dispatch", "lead": f"area:{tree['community'].pk}",
         "cooperating": [f"area:{tree['other_street'].pk}"]},
    ):  # fmt: skip
        response = client.post(url, body, format="json")
        assert response.status_code == 400, response.json()
        case.refresh_from_db()
        assert case.state == CaseState.ACCEPTED and not case.assignments.exists()
    # the service refuses it too, whoever calls it, and says why
    for lead, cooperating in (
        (Unit(area=tree["other_community"]), ()),
        (Unit(area=tree["community"]), (Unit(area=tree["other_street"]),)),
    ):
        with pytest.raises(ValidationError, match="不在本事件所在区域的范围内"):
            case_dispatch(actor=people["community"], case=case, lead=lead, cooperating=cooperating)
    case.refresh_from_db()
    assert case.state == CaseState.ACCEPTED and not case.assignments.exists()
    assert not Case.objects.visible_to(people["other_street"]).exists()


def test_the_cases_own_community_and_a_department_may_handle_it(
    new_case, api_for, people, tree, department
):
    _case, client, url = _accepted(new_case, api_for, people)
    response = client.post(
        url,
        {"action": "dispatch", "lead": f"area:{tree['community'].pk}",
         "cooperating": [f"department:{department.pk}"]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 200, response.json()
    assert sorted(a["unit"] for a in response.json()["assignments"]) == ["区住建局", "甲社区"]
