"""GeoJSON boundaries: validation and point-in-grid, with shapely.

Boundaries are our own GeoJSON in longitude/latitude (WGS 84); nothing comes from a tile server
or an online map.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

ALLOWED_TYPES = ("Polygon", "MultiPolygon")


def parse_boundary(value: Any) -> dict[str, Any] | None:
    """A GeoJSON geometry (or a Feature holding one) as a clean geometry dict, or None.

    Refuses anything that is not a valid polygon with longitudes and latitudes in range."""
    if value in (None, "", {}):
        return None
    if not isinstance(value, dict):
        raise ValidationError(_("边界须为 GeoJSON 对象。"))
    if value.get("type") == "Feature":
        value = value.get("geometry") or {}
    if value.get("type") not in ALLOWED_TYPES:
        raise ValidationError(_("边界须为 GeoJSON Polygon 或 MultiPolygon。"))
    try:
        geometry = shape(value)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise ValidationError(_("边界坐标格式有误。")) from exc
    if geometry.is_empty or not geometry.is_valid:
        raise ValidationError(_("边界多边形无效（自相交或点数不足）。"))
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ValidationError(_("边界坐标须为经纬度（经度 -180～180，纬度 -90～90）。"))
    return {"type": value["type"], "coordinates": value["coordinates"]}


def geometry_of(boundary: dict[str, Any]) -> BaseGeometry:
    return shape(boundary)


def bounds_of(boundary: dict[str, Any] | None) -> tuple[float | None, ...]:
    if not boundary:
        return (None, None, None, None)
    return tuple(float(v) for v in shape(boundary).bounds)


def contains(boundary: dict[str, Any], longitude: float, latitude: float) -> bool:
    """True when the point lies inside the boundary or on its edge."""
    return bool(shape(boundary).covers(Point(longitude, latitude)))


def centroid(boundary: dict[str, Any]) -> tuple[float, float]:
    point = shape(boundary).representative_point()
    return (point.x, point.y)
