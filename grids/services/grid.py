"""Grids and the areas they cover. Changes to a grid's coverage lock the community's row, so
two people dividing the same community never both win one building."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import audit_record
from common.concurrency import save_versioned
from governance.models import Area, AreaLevel
from grids import geo, policies
from grids.models import Grid, GridCoverage

from .base import require

GRID_FIELDS = ("code", "name", "kind", "boundary", "is_active", "note")


def _check_community(community: Area) -> None:
    if community.level != AreaLevel.COMMUNITY:
        raise ValidationError({"community": _("网格只能建在社区之下。")})


def _set_boundary(grid: Grid, boundary: Any) -> None:
    try:
        grid.boundary = geo.parse_boundary(boundary)
    except ValidationError as exc:
        raise ValidationError({"boundary": exc.messages}) from exc
    grid.min_lon, grid.min_lat, grid.max_lon, grid.max_lat = geo.bounds_of(grid.boundary)


def _check_grid_code(code: str, exclude: int | None = None) -> None:
    taken = Grid.objects.filter(code=code)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationError({"code": _("网格编码 %(code)s 已被使用。") % {"code": code}})


@transaction.atomic
def grid_create(
    *,
    actor: Any,
    community: Area,
    code: str,
    name: str,
    kind: str,
    boundary: Any = None,
    note: str = "",
) -> Grid:
    """Add a grid to a community the actor keeps (community, street or district office)."""
    _check_community(community)
    require(actor is None or policies.can_manage_grids(actor, community.path))
    _check_grid_code(code)
    if Grid.objects.filter(community=community, name=name).exists():
        raise ValidationError({"name": _("本社区已有同名网格。")})
    grid = Grid(community=community, area_path=community.path, code=code, name=name, kind=kind)
    grid.note = note
    _set_boundary(grid, boundary)
    grid.full_clean(exclude=["boundary"])
    grid.save()
    audit_record(action=AuditAction.CREATE, actor=actor, username="system", target=grid)
    return grid


@transaction.atomic
def grid_update(*, actor: Any, grid: Grid, seen_version: int | None = None, **changes: Any) -> Grid:
    """Change a grid's name, code, kind, boundary, note or active flag. Reactivating a grid
    puts its coverage back only where no other active grid took the areas meanwhile.
    ``seen_version`` is the version the editor read: a grid saved by someone else in between
    is refused (``StaleEdit``, naming what differs) and nothing is written."""
    unknown = set(changes) - set(GRID_FIELDS)
    if unknown:
        raise TypeError(f"grid_update: unknown fields {sorted(unknown)}")
    grid = Grid.objects.select_for_update().get(pk=grid.pk)
    require(actor is None or policies.can_manage_grids(actor, grid.area_path))
    if "code" in changes and changes["code"] != grid.code:
        _check_grid_code(changes["code"], exclude=grid.pk)
    renamed = "name" in changes and changes["name"] != grid.name
    same_name = Grid.objects.filter(community_id=grid.community_id, name=changes.get("name"))
    if renamed and same_name.exclude(pk=grid.pk).exists():
        raise ValidationError({"name": _("本社区已有同名网格。")})
    was_active = grid.is_active
    for field, value in changes.items():
        if field == "boundary":
            _set_boundary(grid, value)
        else:
            setattr(grid, field, value)
    grid.full_clean(exclude=["boundary"])
    written = [
        *changes,
        *(["min_lon", "min_lat", "max_lon", "max_lat"] if "boundary" in changes else []),
    ]
    save_versioned(grid, seen=seen_version, fields=written)
    if was_active and not grid.is_active:
        grid.coverages.filter(is_active=True).update(is_active=False)
    elif grid.is_active and not was_active:
        _lock_community(grid.community_id)
        for coverage in grid.coverages.filter(is_active=False):
            conflict = _overlapping_coverage(coverage.area_path, grid.community.path)
            if conflict is not None:
                raise ValidationError(
                    _("“%(area)s”已划入网格“%(grid)s”，本网格不能恢复启用。")
                    % {"area": coverage.area.name, "grid": conflict.grid.name}
                )
            coverage.is_active = True
            coverage.save(update_fields=["is_active"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        username="system",
        target=grid,
        detail={"fields": sorted(changes)},
    )
    return grid


def _lock_community(community_id: int) -> None:
    list(Area.objects.select_for_update().filter(pk=community_id).values_list("pk"))


def _overlapping_coverage(path: str, community_path: str) -> GridCoverage | None:
    """The active coverage of the same community that is this area, above it or below it."""
    ancestors = [path[:end] for end in range(Area.steplen, len(path) + 1, Area.steplen)]
    return (
        GridCoverage.objects.filter(is_active=True, area_path__startswith=community_path)
        .filter(Q(area_path__in=ancestors) | Q(area_path__startswith=path))
        .select_related("grid", "area")
        .first()
    )


@transaction.atomic
def grid_cover_area(*, actor: Any, grid: Grid, area: Area) -> GridCoverage:
    """Put a residential area or a building of the grid's community into the grid.

    No building lies in two active grids: an area is refused when it, a residential area above
    it or a building below it is already in an active grid (this one or another)."""
    require(actor is None or policies.can_manage_grids(actor, grid.area_path))
    if area.level not in (AreaLevel.RESIDENTIAL_AREA, AreaLevel.BUILDING):
        raise ValidationError({"area": _("网格只能覆盖小区或楼栋。")})
    if not area.path.startswith(grid.area_path):
        raise ValidationError({"area": _("只能划入本社区的小区或楼栋。")})
    _lock_community(grid.community_id)
    grid = Grid.objects.get(pk=grid.pk)
    if not grid.is_active:
        raise ValidationError(_("网格已停用，不能划入区域。"))
    conflict = _overlapping_coverage(area.path, grid.area_path)
    if conflict is not None:
        raise ValidationError(
            {
                "area": _(
                    "“%(area)s”与网格“%(grid)s”已覆盖的“%(covered)s”重叠：一栋楼只能属于一个网格。"
                )
                % {"area": area.name, "grid": conflict.grid.name, "covered": conflict.area.name}
            }
        )
    try:
        with transaction.atomic():
            coverage = GridCoverage.objects.create(grid=grid, area=area, area_path=area.path)
    except IntegrityError as exc:
        raise ValidationError({"area": _("该区域已划入其他网格。")}) from exc
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        username="system",
        target=coverage,
        detail={"grid": grid.pk, "area": area.pk},
    )
    return coverage


@transaction.atomic
def grid_uncover_area(*, actor: Any, coverage: GridCoverage) -> None:
    require(actor is None or policies.can_manage_grids(actor, coverage.grid.area_path))
    audit_record(
        action=AuditAction.DELETE,
        actor=actor,
        username="system",
        target=coverage,
        detail={"grid": coverage.grid_id, "area": coverage.area_id},
    )
    GridCoverage.objects.filter(pk=coverage.pk).delete()
