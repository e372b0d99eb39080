"""Two communities' worth of people: 甲社区 (the `tree` fixture's community) and 乙社区."""

from typing import Any

import pytest

from governance.models import Area, AreaLevel, PartyOrgKind
from tests.governance import factories as f


@pytest.fixture
def people(tree: dict[str, Area]) -> dict[str, Any]:
    """In each community: a committee, an estate branch, a building group, a household with a
    head (ID number, phone, a vulnerable tag), a member and a need."""
    other_building = f.area(tree["other_estate"], AreaLevel.BUILDING, "2号楼")
    data: dict[str, Any] = {"other_building": other_building}
    for prefix, community, estate, building in (
        ("", tree["community"], tree["estate"], tree["building"]),
        ("other_", tree["other_community"], tree["other_estate"], other_building),
    ):
        committee = f.org(community, PartyOrgKind.COMMITTEE)
        branch = f.org(estate, PartyOrgKind.BRANCH, parent=committee)
        group = f.org(building, PartyOrgKind.GROUP, parent=branch)
        home = f.household(building, room="101")
        head = f.resident(home, name=f"{prefix or '甲'}户主", tags=("living_alone",))
        data.update(
            {
                f"{prefix}org": committee,
                f"{prefix}branch": branch,
                f"{prefix}group": group,
                f"{prefix}household": home,
                f"{prefix}resident": head,
                f"{prefix}member": f.member(group, home=home),
                f"{prefix}need": f.need(home),
            }
        )
    return data
