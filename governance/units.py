"""Handling units: a street or community, a district department or a property company.

The field set that names one on a row is ``common.units``; here are the unit itself, the
``kind:id`` token that pages and the API use, and its parser.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.units import UnitKind

from .models import Area, AreaLevel, Department, PropertyCompany

#: Area levels that handle cases as a unit.
UNIT_AREA_LEVELS = (AreaLevel.STREET, AreaLevel.COMMUNITY)


@dataclass(frozen=True)
class Unit:
    """A handling unit: exactly one of a street/community, a department or a company."""

    area: Area | None = None
    department: Department | None = None
    company: PropertyCompany | None = None

    def __post_init__(self) -> None:
        given = [x for x in (self.area, self.department, self.company) if x is not None]
        if len(given) != 1:
            raise ValidationError(_("承办单位须且只须指定一个街道/社区、部门或物业企业。"))
        if self.area is not None and self.area.level not in UNIT_AREA_LEVELS:
            raise ValidationError(_("承办的区域须为街道或社区。"))

    @classmethod
    def of(cls, obj: Any, *, area_field: str = "unit_area") -> Unit:
        return cls(area=getattr(obj, area_field), department=obj.department, company=obj.company)

    @property
    def kind(self) -> str:
        if self.area is not None:
            return UnitKind.AREA
        if self.department is not None:
            return UnitKind.DEPARTMENT
        return UnitKind.COMPANY

    @property
    def target(self) -> Any:
        return self.area or self.department or self.company

    def fields(self, *, area_field: str = "unit_area") -> dict[str, Any]:
        return {area_field: self.area, "department": self.department, "company": self.company}

    def key(self) -> tuple[str, int]:
        return (self.kind, self.target.pk)

    @property
    def token(self) -> str:
        return unit_token(self.kind, self.target.pk)


def unit_token(kind: str, pk: int) -> str:
    """``area:12``, ``department:3``, ``company:7``: how pages and the API name a unit."""
    return f"{kind}:{pk}"


def parse_unit(value: str, *, areas: models.QuerySet[Area] | None = None) -> Unit:
    """The unit a token names. ``areas`` limits which streets and communities may be named (the
    actor's scope); departments and companies must be active. Anything else is a
    ``ValidationError`` with one message, whatever was wrong with the token."""
    kind, _sep, raw = str(value).partition(":")
    invalid = ValidationError(_("承办单位无效。"))
    if not raw.isdigit():
        raise invalid
    pk = int(raw)
    if kind == UnitKind.AREA:
        area = (areas if areas is not None else Area.objects.all()).filter(pk=pk).first()
        if area is not None:
            return Unit(area=area)
    elif kind == UnitKind.DEPARTMENT:
        department = Department.objects.filter(pk=pk, is_active=True).first()
        if department is not None:
            return Unit(department=department)
    elif kind == UnitKind.COMPANY:
        company = PropertyCompany.objects.filter(pk=pk, is_active=True).first()
        if company is not None:
            return Unit(company=company)
    raise invalid
