"""Red stations (红色驿站), grid service stations and their party member model posts."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import audit_record
from governance.models import AreaLevel
from grids import policies
from grids.models import Grid, ModelPost, Station

from .base import require

STATION_FIELDS = (
    "kind",
    "name",
    "residential_area",
    "address",
    "longitude",
    "latitude",
    "opening_hours",
    "services",
    "opened_on",
    "is_active",
)


def _check_station(grid: Grid, fields: dict[str, Any]) -> None:
    estate = fields.get("residential_area")
    if estate is not None and (
        estate.level != AreaLevel.RESIDENTIAL_AREA or not estate.path.startswith(grid.area_path)
    ):
        raise ValidationError({"residential_area": _("须为本网格所在社区的小区。")})
    lon, lat = fields.get("longitude"), fields.get("latitude")
    if (lon is None) != (lat is None):
        raise ValidationError({"longitude": _("经度和纬度须同时填写。")})
    if lon is not None and lat is not None and not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValidationError({"longitude": _("经纬度超出范围。")})


@transaction.atomic
def station_create(*, actor: Any, grid: Grid, **fields: Any) -> Station:
    """Open a red station or grid service station in a grid the actor keeps."""
    unknown = set(fields) - set(STATION_FIELDS)
    if unknown:
        raise TypeError(f"station_create: unknown fields {sorted(unknown)}")
    require(actor is None or policies.can_manage_grids(actor, grid.area_path))
    _check_station(grid, fields)
    if Station.objects.filter(grid=grid, name=fields.get("name", "")).exists():
        raise ValidationError({"name": _("本网格已有同名驿站。")})
    station = Station(grid=grid, area_path=grid.area_path, **fields)
    station.full_clean()
    station.save()
    audit_record(action=AuditAction.CREATE, actor=actor, username="system", target=station)
    return station


@transaction.atomic
def station_update(*, actor: Any, station: Station, **changes: Any) -> Station:
    unknown = set(changes) - set(STATION_FIELDS)
    if unknown:
        raise TypeError(f"station_update: unknown fields {sorted(unknown)}")
    station = Station.objects.select_for_update().select_related("grid").get(pk=station.pk)
    require(actor is None or policies.can_manage_grids(actor, station.area_path))
    merged = {field: getattr(station, field) for field in STATION_FIELDS} | changes
    _check_station(station.grid, merged)
    for field, value in changes.items():
        setattr(station, field, value)
    station.full_clean()
    station.save()
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        username="system",
        target=station,
        detail={"fields": sorted(changes)},
    )
    return station


@transaction.atomic
def model_post_add(
    *, actor: Any, station: Station, title: str, member_name: str, since: date, duty: str = ""
) -> ModelPost:
    """Set up a party member model post (党员示范岗) at a station."""
    require(actor is None or policies.can_manage_grids(actor, station.area_path))
    post = ModelPost(
        station=station,
        title=title.strip(),
        member_name=member_name.strip(),
        since=since,
        duty=duty.strip(),
    )
    post.full_clean()
    post.save()
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        username="system",
        target=post,
        detail={"station": station.pk},
    )
    return post
