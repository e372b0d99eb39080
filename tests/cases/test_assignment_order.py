"""The case page lists the lead unit (主办) before the cooperating units (协办)."""

import pytest

from cases.services import case_accept, case_dispatch
from governance.units import Unit

pytestmark = pytest.mark.django_db


def test_the_lead_unit_comes_first_on_the_case_page(client, new_case, people, tree, department):
    case = new_case()
    case_accept(actor=people["community"], case=case)
    # the community cooperates, the department leads: "协办" sorts before "主办" by its code
    case_dispatch(
        actor=people["community"],
        case=case,
        lead=Unit(department=department),
        cooperating=[Unit(area=tree["community"])],
    )
    client.force_login(people["community"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    units = page[page.index('class="assignments"') :]
    assert units.index("主办") < units.index("协办")
    assert units.index(department.name) < units.index("甲社区")
