"""``visible_to(actor)`` for every 双报到 model.

Area grants cover rows whose community lies in their subtree (``area_path``). A department
liaison's grant covers what concerns the department: its check-ins, resources and agreements,
the projects it leads or joins (``unit_ids`` holds every unit on a project), the needs those
projects answer, and the member check-ins of its employees with their tasks and feedback;
nothing else of the community (residents stay out). A campaign is seen by the offices below
its organiser (who take part through their grids) and above it; its shifts and sign-ups are
cut to the grids of the caller's own communities.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from accounts.roles import Role
from accounts.scoping import Scope, ScopedQuerySet, any_of
from governance.models import Area

LIAISON = frozenset({Role.DEPARTMENT_LIAISON})


def _area_parts(scope: Scope, roles: Any, field: str = "area_path") -> list[Q]:
    return [Q(**{f"{field}__startswith": path}) for path in scope.area_paths(roles)]


class UnitCheckInQuerySet(ScopedQuerySet[Any]):
    scope_area_path = "area_path"
    scope_department = "department_id"


class DepartmentRowQuerySet(ScopedQuerySet[Any]):
    """Agreements and resources: their check-in's community and department, copied."""

    scope_area_path = "area_path"
    scope_department = "department_id"


class ProjectQuerySet(ScopedQuerySet[Any]):
    scope_area_path = "area_path"
    #: The array of the lead unit and the partners; a liaison sees a project its unit is on.
    unit_ids_field = "unit_ids"

    def scope_condition(self, scope: Scope) -> Q | None:
        parts = _area_parts(scope, self.scope_roles)
        ids = scope.department_ids(self.scope_roles)
        if ids:
            parts.append(Q(**{f"{self.unit_ids_field}__overlap": sorted(ids)}))
        return any_of(parts)


class ProjectPartQuerySet(ProjectQuerySet):
    """Milestones, events and evidence: seen with their project."""

    unit_ids_field = "project__unit_ids"


class CommunityNeedQuerySet(ScopedQuerySet[Any]):
    scope_area_path = "area_path"

    def scope_condition(self, scope: Scope) -> Q | None:
        parts = _area_parts(scope, self.scope_roles)
        ids = scope.department_ids(self.scope_roles)
        if ids:
            links = self.model.projects.through.objects.filter(
                communityneed_id=OuterRef("pk"), cobuildproject__unit_ids__overlap=sorted(ids)
            )
            parts.append(Q(Exists(links)))
        return any_of(parts)


class MemberCheckInQuerySet(ScopedQuerySet[Any]):
    scope_area_path = "area_path"
    scope_department = "employer_department_id"


class MemberTaskQuerySet(ScopedQuerySet[Any]):
    scope_area_path = "area_path"
    scope_department = "checkin__employer_department_id"

    def open(self) -> MemberTaskQuerySet:
        return self.filter(state="assigned")


class YearFeedbackQuerySet(ScopedQuerySet[Any]):
    scope_area_path = "area_path"
    scope_department = "employer_department_id"


class CampaignQuerySet(ScopedQuerySet[Any]):
    """Area grants only: the organiser's subtree, and the offices above it."""

    scope_area_path = "area_path"

    def scope_condition(self, scope: Scope) -> Q | None:
        parts: list[Q] = []
        for path in scope.area_paths(self.scope_roles):
            parts.append(Q(area_path__startswith=path))
            step = Area.steplen
            ancestors = [path[:end] for end in range(step, len(path), step)]
            if ancestors:
                parts.append(Q(area_path__in=ancestors))
        return any_of(parts)


class CampaignRowQuerySet(ScopedQuerySet[Any]):
    """Shifts, sign-ups and people: the community of the grid."""

    scope_area_path = "area_path"


class ServiceQuerySet(ScopedQuerySet[Any]):
    """Volunteer teams, volunteers, activities, attendance, points and wishes: the community
    the row belongs to (area grants only; a volunteer reads their own record by their link)."""

    scope_area_path = "area_path"
