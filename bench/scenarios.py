"""What `make bench` measures: the main pages and their API on the synthetic district that
`manage.py generate_load` builds, as the benchmark users it creates (``load_*``).

Paths hold ``{placeholders}`` that :func:`resolve` fills from the loaded data. Write scenarios
(case create, a transition) go through the API with a token, the way an outside client or the
phone would; each transition request takes a different case, listed by :func:`transition_paths`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: The filter shared by our case list and the admin changelist it is compared with.
FILTER_STATE = "in_progress"


@dataclass
class Scenario:
    """One measured request."""

    name: str
    path: str
    user: str
    method: str = "GET"
    body: dict[str, Any] | None = None
    api: bool = False
    #: The Django admin changelist with the same filter, measured beside ours.
    admin_path: str | None = None
    kind: str = "list"  # list, page, write
    #: Each request takes the next of these paths (transitions: one case per request).
    paths: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def scenarios() -> list[Scenario]:
    state = FILTER_STATE
    admin_filter = f"/admin/cases/case/?state__exact={state}"
    return [
        Scenario(
            "case list, community",
            f"/cases/?state={state}",
            "load_community_staff",
            admin_path=admin_filter + "&community__id__exact={community}",
        ),
        Scenario(
            "case list, street",
            f"/cases/?state={state}",
            "load_street_staff",
            admin_path=admin_filter + "&street__id__exact={street}",
        ),
        Scenario(
            "case list, district",
            f"/cases/?state={state}",
            "load_district_leader",
            admin_path=admin_filter,
        ),
        Scenario("queue, community", "/cases/queue/", "load_community_staff"),
        Scenario("queue, department", "/cases/queue/", "load_department_liaison"),
        Scenario("case page", "/cases/{community_case}/", "load_community_staff", kind="page"),
        Scenario(
            "household ledger",
            "/governance/ledgers/households/?within={community}",
            "load_community_staff",
        ),
        Scenario(
            "area subtree",
            "/governance/areas/{street}/children/",
            "load_street_staff",
        ),
        Scenario(
            "API case list, community",
            f"/api/v1/cases/?state={state}",
            "load_community_staff",
            api=True,
        ),
        Scenario(
            "API case list, district",
            f"/api/v1/cases/?state={state}",
            "load_district_leader",
            api=True,
        ),
        Scenario("API queue", "/api/v1/cases/queue/", "load_community_staff", api=True),
        Scenario("API case", "/api/v1/cases/{community_case}/", "load_community_staff", api=True),
        Scenario(
            "API households",
            "/api/v1/households/?within={community}",
            "load_community_staff",
            api=True,
        ),
        Scenario(
            "API area subtree",
            "/api/v1/areas/?within={street}",
            "load_street_staff",
            api=True,
        ),
        Scenario(
            "API case create",
            "/api/v1/cases/",
            "load_grid_worker",
            method="POST",
            api=True,
            kind="write",
            body={
                "category": "{category}",
                "area": "{report_area}",
                "title": "楼道堆放杂物",
                "description": "三单元一楼楼道堆放纸箱，影响通行。",
                "address": "三单元一楼",
            },
        ),
        Scenario(
            "API transition (accept)",
            "/api/v1/cases/{{id}}/transitions/",
            "load_community_staff",
            method="POST",
            api=True,
            kind="write",
            body={"action": "accept", "note": "已受理"},
            paths="acceptable",
        ),
    ]


def resolve() -> dict[str, Any]:
    """Ids the paths name, read from the loaded district (in-process Django, bench database)."""
    from accounts.models import User
    from cases import selectors as case_selectors
    from cases.models import Case, CaseState
    from governance.models import Area, Household

    community_staff = User.objects.get(username="load_community_staff")
    street_staff = User.objects.get(username="load_street_staff")
    grid_worker = User.objects.get(username="load_grid_worker")
    community = community_staff.grants.get().area
    street = street_staff.grants.get().area
    assert community is not None and street is not None
    visible = Case.objects.visible_to(community_staff).order_by("-created_at")
    community_case = (
        visible.filter(state=CaseState.IN_PROGRESS).values_list("pk", flat=True).first()
        or visible.values_list("pk", flat=True).first()
    )
    report_area = case_selectors.report_areas(actor=grid_worker).order_by("-depth", "path").first()
    category = case_selectors.leaf_categories().order_by("code").first()
    return {
        "community": community.pk,
        "street": street.pk,
        "community_case": community_case,
        "report_area": report_area.pk if report_area else None,
        "category": category.pk if category else None,
        "counts": {
            "areas": Area.objects.count(),
            "households": Household.objects.count(),
            "cases": Case.objects.count(),
        },
    }


def acceptable(limit: int = 20000) -> list[str]:
    """Cases the community desk may accept now, one path per request."""
    from accounts.models import User
    from cases import policies
    from cases.models import Case, CaseState

    actor = User.objects.get(username="load_community_staff")
    candidates = (
        Case.objects.visible_to(actor)
        .filter(state=CaseState.REPORTED)
        .select_related("category")
        .order_by("-created_at")[:limit]
    )
    return [
        f"/api/v1/cases/{case.pk}/transitions/"
        for case in candidates
        if policies.can_take(actor, "accept", case)
    ]
