"""What part of the district a dashboard covers for an actor (its territory), and who sees one.

Area-scoped staff see the dashboard of their grants' subtree (the district, a street, a
community); a district or street user may narrow it to a street or community inside it with
``?area=<id>``. A department liaison or property company's staff see their own unit's
performance and its place in the ranking, not other units' inputs. 三员分立: the security
administrator and the auditor see no dashboard at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.roles import Role
from accounts.scoping import any_of, scope_of
from common.territory import AreaLevel
from governance.models import Area, Department, PropertyCompany

from .policies import AREA_VIEWERS, can_view_area_dashboards

DASHBOARD_LEVELS = (AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMUNITY)


@dataclass(frozen=True)
class Territory:
    """The cases a dashboard counts: those of ``street_ids`` or ``community_ids`` (or all of
    them when ``everything``), or, for a unit dashboard, those the ``unit`` leads."""

    label: str
    everything: bool = False
    street_ids: tuple[int, ...] = ()
    community_ids: tuple[int, ...] = ()
    area: Area | None = None  # the one area it is, when it is one (for links and pickers)
    unit: str = ""  # "department:<id>" or "company:<id>" on a unit dashboard
    choices: tuple[Area, ...] = field(default=(), compare=False)

    @property
    def is_unit(self) -> bool:
        return bool(self.unit)

    @property
    def unit_kind(self) -> str:
        return self.unit.split(":", 1)[0] if self.unit else ""

    @property
    def level(self) -> str:
        if self.is_unit:
            return self.unit_kind
        if self.everything:
            return AreaLevel.DISTRICT
        if self.area is not None:
            return str(self.area.level)
        return "union"

    @property
    def child_level(self) -> str | None:
        """The level its by-area breakdown goes down to."""
        if self.is_unit:
            return None
        if self.everything:
            return AreaLevel.STREET
        if self.area is not None and self.area.level == AreaLevel.COMMUNITY:
            return None
        return AreaLevel.COMMUNITY

    @property
    def area_param(self) -> dict[str, str]:
        """``area=<id>`` for the case list's subtree filter (streets and communities)."""
        if self.area is not None and self.area.level != AreaLevel.DISTRICT:
            return {"area": str(self.area.pk)}
        return {}

    def as_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "level": self.level,
            "area": self.area.pk if self.area is not None else None,
            "unit": self.unit or None,
        }


def _unit_name(unit: str) -> str:
    kind, _sep, pk = unit.partition(":")
    model = Department if kind == "department" else PropertyCompany
    name = model.objects.filter(pk=int(pk)).values_list("name", flat=True).first()
    return str(name or unit)


def own_units(actor: Any) -> list[str]:
    scope = scope_of(actor)
    units = [f"department:{pk}" for pk in sorted(scope.department_ids([Role.DEPARTMENT_LIAISON]))]
    units += [f"company:{pk}" for pk in sorted(scope.company_ids([Role.PROPERTY_STAFF]))]
    return units


def _choices(root_paths: list[str], everything: bool) -> tuple[Area, ...]:
    """The streets and communities a district or street user may pick."""
    areas = Area.objects.filter(level__in=[AreaLevel.STREET, AreaLevel.COMMUNITY])
    if not everything:
        condition = any_of(Q(path__startswith=p) for p in root_paths)
        if condition is None:
            return ()
        areas = areas.filter(condition)
    return tuple(areas.order_by("path"))


def territory_for(actor: Any, area_id: Any = None, unit: str = "") -> Territory:
    """The actor's territory, narrowed to ``area_id`` (a street or community in it) or set to
    one of their own units. Raises Http404 for an area or unit outside the actor's scope
    (exactly as for one that does not exist); callers check :func:`can_view_dashboard`
    first (403)."""
    scope = scope_of(actor)
    if unit or not can_view_area_dashboards(actor):
        units = own_units(actor)
        if scope.superuser and unit:
            units.append(unit)
        if unit and unit not in units:
            raise Http404
        chosen = unit or (units[0] if units else "")
        if not chosen:
            raise Http404
        return Territory(label=_unit_name(chosen), unit=chosen)
    paths = list(scope.area_paths(AREA_VIEWERS))
    roots = list(Area.objects.filter(path__in=paths, level__in=DASHBOARD_LEVELS).order_by("path"))
    everything = scope.superuser or any(a.level == AreaLevel.DISTRICT for a in roots)
    if everything and scope.superuser and not roots:
        roots = list(Area.objects.filter(depth=1).order_by("path")[:1])
    choices = _choices([a.path for a in roots], everything)
    if area_id not in (None, ""):
        try:
            pk = int(area_id)
        except (TypeError, ValueError) as exc:
            raise Http404 from exc
        picked = Area.objects.filter(pk=pk, level__in=DASHBOARD_LEVELS).first()
        if picked is None or not (
            scope.superuser or scope.covers_area_path(picked.path, AREA_VIEWERS)
        ):
            raise Http404
        return _of_area(picked, choices)
    if everything:
        district = next((a for a in roots if a.level == AreaLevel.DISTRICT), None)
        label = district.name if district is not None else _("全区")
        return Territory(label=label, everything=True, area=district, choices=choices)
    if len(roots) == 1:
        return _of_area(roots[0], choices)
    streets = tuple(a.pk for a in roots if a.level == AreaLevel.STREET)
    communities = tuple(a.pk for a in roots if a.level == AreaLevel.COMMUNITY)
    if not streets and not communities:
        raise Http404
    label = "、".join(a.name for a in roots)
    return Territory(label=label, street_ids=streets, community_ids=communities, choices=choices)


def _of_area(area: Area, choices: tuple[Area, ...]) -> Territory:
    if area.level == AreaLevel.DISTRICT:
        return Territory(label=area.name, everything=True, area=area, choices=choices)
    if area.level == AreaLevel.STREET:
        return Territory(label=area.name, street_ids=(area.pk,), area=area, choices=choices)
    return Territory(label=area.name, community_ids=(area.pk,), area=area, choices=choices)
