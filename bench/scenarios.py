"""What `make bench` measures: the main pages and their API on the synthetic district that
`manage.py generate_load` builds, as the benchmark users it creates (``load_*``).

Paths hold ``{placeholders}`` that :func:`resolve` fills from the loaded data. Write scenarios
(case create, a transition) go through the API with a token, the way an outside client or the
phone would; each transition request takes a different case, made for it by :func:`acceptable`.
The harness puts the database back after every write run (bench/restore.py).

Every scenario names a ``marker``: a plain string (placeholders allowed) that every 2xx body
must contain, chosen so that it appears only when the page shows its rows (a row's markup, a
field of a listed object), not on an empty list or a login page. A scenario without one fails.
A new scenario is one more ``Scenario(...)`` in the list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

#: The filter shared by our case list and the admin changelist it is compared with.
FILTER_STATE = "in_progress"
#: Markers: a case row of a list page or queue; a case of an API list.
CASE_ROW = 'data-testid="case-row"'
API_CASE = '"number":"SJ'
#: Markers: the dashboard's table of areas; a figure of the big screen linked to its cases.
DASHBOARD = 'data-label="区域"'
SCREEN = '<td><a href="/cases/?'


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
    #: list, page, write; "single": measured one request at a time, not with wrk
    #: (``extra``: ``rounds``, and ``cold`` to empty the cache before each request).
    kind: str = "list"
    #: Each request takes the next of these paths (transitions: one case per request): the
    #: name of a function of this module that makes ``count`` of them.
    paths: str | None = None
    #: What every 2xx body must contain (see the module's docstring).
    marker: str | None = None
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
            marker=CASE_ROW,
        ),
        Scenario(
            "case list, street",
            f"/cases/?state={state}",
            "load_street_staff",
            admin_path=admin_filter + "&street__id__exact={street}",
            marker=CASE_ROW,
        ),
        Scenario(
            "case list, district",
            f"/cases/?state={state}",
            "load_district_leader",
            admin_path=admin_filter,
            marker=CASE_ROW,
        ),
        Scenario("queue, community", "/cases/queue/", "load_community_staff", marker=CASE_ROW),
        Scenario("queue, department", "/cases/queue/", "load_department_liaison", marker=CASE_ROW),
        Scenario(
            "case page",
            "/cases/{community_case}/",
            "load_community_staff",
            kind="page",
            marker="{community_case_number}",
        ),
        Scenario(
            "household ledger",
            "/governance/ledgers/households/?within={community}",
            "load_community_staff",
            marker='href="/governance/households/',
        ),
        Scenario(
            "area subtree",
            "/governance/areas/{street}/children/",
            "load_street_staff",
            marker='class="tree__item"',
        ),
        # Issue 18: the district's case search (a residential area's name, as people look for
        # a place; the pair index of title and address) and the district's area page with its
        # coverage and subtree counts (governance.counts keeps them a minute).
        Scenario(
            "case search, district",
            "/cases/?q={search_term}",
            "load_district_leader",
            marker=CASE_ROW,
        ),
        Scenario(
            "area page with coverage, district",
            "/governance/areas/{district}/",
            "load_district_leader",
            kind="page",
            marker="ledgers/households/?within={district}",
        ),
        Scenario(
            "API case list, community",
            f"/api/v1/cases/?state={state}",
            "load_community_staff",
            api=True,
            marker=API_CASE,
        ),
        Scenario(
            "API case list, district",
            f"/api/v1/cases/?state={state}",
            "load_district_leader",
            api=True,
            marker=API_CASE,
        ),
        Scenario(
            "API queue", "/api/v1/cases/queue/", "load_community_staff", api=True, marker=API_CASE
        ),
        Scenario(
            "API case",
            "/api/v1/cases/{community_case}/",
            "load_community_staff",
            api=True,
            marker='"number":"{community_case_number}"',
        ),
        Scenario(
            "API households",
            "/api/v1/households/?within={community}",
            "load_community_staff",
            api=True,
            marker='"head_name":"',
        ),
        Scenario(
            "API area subtree",
            "/api/v1/areas/?within={street}",
            "load_street_staff",
            api=True,
            marker='"level":"community"',
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
            marker='"state":"reported"',
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
            marker='"state":"accepted"',
        ),
        # Dashboards: the kept page (dashboards/board_cache.py) under wrk; one request at a time
        # the same page counted afresh (as after any change of a case) and the same figures
        # counted straight from the case tables (/dashboard/direct/, the naive floor).
        Scenario("dashboard, district", "/dashboard/", "load_district_leader",
                 kind="page", marker=DASHBOARD),
        Scenario("dashboard, district (fresh)", "/dashboard/", "load_district_leader",
                 kind="single", marker=DASHBOARD, extra={"rounds": 5, "cold": True}),
        Scenario("dashboard, district (naive)", "/dashboard/direct/", "load_district_admin",
                 kind="single", marker=DASHBOARD, extra={"rounds": 1}),
        Scenario("dashboard, street", "/dashboard/", "load_street_staff",
                 kind="page", marker=DASHBOARD),
        Scenario("dashboard, street (fresh)", "/dashboard/", "load_street_staff",
                 kind="single", marker=DASHBOARD, extra={"rounds": 5, "cold": True}),
        Scenario("dashboard, street (naive)", "/dashboard/direct/?area={street}",
                 "load_district_admin", kind="single", marker=DASHBOARD, extra={"rounds": 1}),
        Scenario("big screen refresh", "/dashboard/screen/panel/", "load_district_leader",
                 kind="page", marker=SCREEN),
        Scenario("big screen refresh (fresh)", "/dashboard/screen/panel/",
                 "load_district_leader", kind="single", marker=SCREEN,
                 extra={"rounds": 5, "cold": True}),
        Scenario("big screen refresh (naive)", "/dashboard/direct/?view=screen",
                 "load_district_admin", kind="single", marker=SCREEN, extra={"rounds": 1}),
        Scenario("API seed figures", "/api/v1/stats/seed-figures/", "load_district_leader",
                 api=True, kind="page", marker='"key":"'),
        # 双报到 (issue 14) and 红色物业 (issue 16) on the load their generators add.
        Scenario("co-building projects, community", "/volunteers/projects/",
                 "load_community_staff", marker='data-testid="project-table"'),
        Scenario("check-ins, department", "/volunteers/checkins/", "load_department_liaison",
                 marker='data-testid="checkin-table"'),
        Scenario("property ranking, district", "/property/ranking/", "load_district_leader",
                 kind="page", marker='data-testid="ranking"'),
        # the ranking and the rates counted afresh (as after any change of a complaint's case)
        Scenario("property ranking, district (fresh)", "/property/ranking/",
                 "load_district_leader", kind="single", marker='data-testid="ranking"',
                 extra={"rounds": 5, "cold": True}),
        # 志愿服务 (issue 15) on the volunteers, activities and attendance of the load.
        Scenario("volunteer activities, community", "/volunteers/service/activities/",
                 "load_community_staff", marker='data-testid="activity-table"'),
        Scenario("volunteer team", "/volunteers/service/teams/{team}/", "load_community_staff",
                 kind="page", marker='data-testid="members"'),
        Scenario("a volunteer's hours", "/volunteers/service/volunteers/{volunteer}/",
                 "load_community_staff", kind="page", marker='data-testid="attendance"'),
        Scenario("volunteer overview, community", "/volunteers/service/", "load_community_staff",
                 kind="page", marker='data-label="确认时长（小时）"'),
        Scenario("complaint rates, district", "/property/rates/", "load_district_leader",
                 kind="page", marker='data-testid="rates"'),
        Scenario("complaint rates, district (fresh)", "/property/rates/", "load_district_leader",
                 kind="single", marker='data-testid="rates"', extra={"rounds": 5, "cold": True}),
    ]  # fmt: skip


def resolve() -> dict[str, Any]:
    """Ids the paths name, read from the loaded district (in-process Django, bench database)."""
    from accounts.models import User
    from cases import selectors as case_selectors
    from cases.models import Case, CaseState
    from governance.models import Area, Household
    from volunteers.models import Volunteer, VolunteerTeam

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
    district = Area.objects.filter(depth=1).order_by("path").first()
    estate = Area.objects.filter(level="residential_area").order_by("path").first()
    team = VolunteerTeam.objects.filter(community=community).order_by("pk").first()
    volunteer = (
        Volunteer.objects.filter(community=community, attendances__isnull=False)
        .order_by("pk")
        .first()
    )
    return {
        "district": district.pk if district else None,
        "search_term": quote(estate.name) if estate else None,
        "team": team.pk if team else None,
        "volunteer": volunteer.pk if volunteer else None,
        "community": community.pk,
        "street": street.pk,
        "community_case": community_case,
        "community_case_number": Case.objects.get(pk=community_case).number
        if community_case
        else None,
        "report_area": report_area.pk if report_area else None,
        "category": category.pk if category else None,
        "counts": {
            "areas": Area.objects.count(),
            "households": Household.objects.count(),
            "cases": Case.objects.count(),
        },
    }


def acceptable(count: int) -> list[str]:
    """``count`` cases the community desk may accept, one path per request: reported now by
    the grid worker of the first community, as the create scenario reports them (the harness
    removes them again with everything the row wrote)."""
    from accounts.models import User
    from cases import policies, selectors
    from cases.services import case_report

    worker = User.objects.get(username="load_grid_worker")
    desk = User.objects.get(username="load_community_staff")
    area = selectors.report_areas(actor=worker).order_by("-depth", "path").first()
    category = selectors.leaf_categories().order_by("code").first()
    if area is None or category is None:
        raise RuntimeError("the load has no area or category the grid worker may report in")
    paths = []
    for n in range(count):
        case = case_report(
            actor=worker,
            category=category,
            area=area,
            title="楼道堆放杂物",
            description=f"三单元一楼楼道堆放纸箱，影响通行。（{n + 1}）",
        )
        if not policies.can_take(desk, "accept", case):
            raise RuntimeError(f"the community desk may not accept {case.number}")
        paths.append(f"/api/v1/cases/{case.pk}/transitions/")
    return paths
