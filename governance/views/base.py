"""What the governance pages share: the permission guard and how an address reads."""

from typing import Any

from django.core.exceptions import PermissionDenied


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def address(row: Any) -> str:
    """ "甲小区 1号楼 2单元 301" for a household, or for a row that has one (``estate_name``
    comes from ``selectors.attach_estate_names``)."""
    household = getattr(row, "household", row)
    if household is None:
        return ""
    return f"{getattr(row, 'estate_name', '')} {household.building.name} {household.address}"
