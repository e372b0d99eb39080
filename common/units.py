"""The handling-unit field set: a street or community (an Area), a district department or a
property company, exactly one of them.

A grant's scope, a routing rule's target, a case assignment and a "1+3" party organisation each
name one unit. Their three foreign keys and the "exactly one" condition are declared here once,
with lazy references to ``governance``'s models so that ``accounts`` (below ``governance``) can
use them too. The units themselves, the ``kind:id`` token and its parser are
``governance.units``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    AREA = "area", _("街道/社区")
    DEPARTMENT = "department", _("区直部门")
    COMPANY = "company", _("物业企业")


AREA_MODEL = "governance.Area"
DEPARTMENT_MODEL = "governance.Department"
COMPANY_MODEL = "governance.PropertyCompany"


def unit_foreign_keys(
    *,
    on_delete: Any = models.PROTECT,
    related_name: str = "+",
    area_related_name: str = "+",
    labels: tuple[Any, Any, Any] = (_("街道/社区"), _("区直部门"), _("物业企业")),
) -> tuple[models.ForeignKey[Any, Any], ...]:
    """The three nullable foreign keys of a unit, for a model's class body::

    unit_area, department, company = unit_foreign_keys(related_name="case_assignments")
    """
    area_label, department_label, company_label = labels
    return (
        models.ForeignKey(
            AREA_MODEL,
            on_delete=on_delete,
            null=True,
            blank=True,
            related_name=area_related_name,
            verbose_name=area_label,
        ),
        models.ForeignKey(
            DEPARTMENT_MODEL,
            on_delete=on_delete,
            null=True,
            blank=True,
            related_name=related_name,
            verbose_name=department_label,
        ),
        models.ForeignKey(
            COMPANY_MODEL,
            on_delete=on_delete,
            null=True,
            blank=True,
            related_name=related_name,
            verbose_name=company_label,
        ),
    )


def only_unit_q(kind: str, *, area_field: str = "unit_area") -> Q:
    """The condition that the row names a unit of ``kind`` and no other."""
    given = {
        UnitKind.AREA: area_field,
        UnitKind.DEPARTMENT: "department",
        UnitKind.COMPANY: "company",
    }
    return Q(**{f"{field}__isnull": unit_kind != kind for unit_kind, field in given.items()})


def one_unit_q(*, area_field: str = "unit_area", kinds: Iterable[str] = UnitKind.values) -> Q:
    """The check constraint's condition: exactly one of the three foreign keys is set."""
    condition = Q()
    for kind in kinds:
        condition |= only_unit_q(kind, area_field=area_field)
    return condition


def unit_of(obj: Any, *, area_field: str = "unit_area") -> Any:
    """The unit a row names: its area, department or company, whichever is set."""
    return getattr(obj, area_field) or obj.department or obj.company
