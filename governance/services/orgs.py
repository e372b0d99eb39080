"""Party organisations: the four-level structure (社区党组织 → 小区党支部 → 楼栋党小组) and the
"1+3" co-building organisations, each anchored on the area it covers."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import audit_record
from governance import policies
from governance.models import CHILD_KINDS, Area, PartyOrg, PartyOrgKind, PartyOrgSector
from governance.text import pinyin_initials

from .base import require, system_or


def check_party_org_fields(
    *, parent: PartyOrg | None, kind: str, sector: str, area: Area, department: Any, company: Any
) -> None:
    if kind not in PartyOrgKind.values:
        raise ValidationError(_("组织类别无效。"))
    if sector not in PartyOrgSector.values:
        raise ValidationError(_("组织类型无效。"))
    if parent is not None:
        if kind not in CHILD_KINDS[parent.kind]:
            raise ValidationError(
                _("“%(parent)s”之下不能设立“%(kind)s”。")
                % {"parent": PartyOrgKind(parent.kind).label, "kind": PartyOrgKind(kind).label}
            )
        if not area.path.startswith(parent.area_path):
            raise ValidationError(_("党组织覆盖的区域须在上级党组织覆盖的区域之内。"))
    if sector == PartyOrgSector.DEPARTMENT and department is None:
        raise ValidationError(_("区直部门党组织须选择所属部门。"))
    if sector == PartyOrgSector.PROPERTY_COMPANY and company is None:
        raise ValidationError(_("物业企业党组织须选择所属物业企业。"))


@transaction.atomic
def party_org_create(
    *,
    actor: Any,
    parent: PartyOrg | None,
    name: str,
    kind: str,
    area: Area,
    sector: str = PartyOrgSector.TERRITORIAL,
    secretary: str = "",
    founded_on: date | None = None,
    department: Any = None,
    company: Any = None,
) -> PartyOrg:
    """Set up a party organisation anchored on ``area``. A child's kind must fit its parent's
    (a 党小组 only under a 党支部, …) and its area must lie within the parent's."""
    system_or(actor, policies.can_maintain_tree(actor))
    name = name.strip()
    if not name:
        raise ValidationError(_("请填写名称。"))
    if parent is not None:
        parent = PartyOrg.objects.select_for_update().get(pk=parent.pk)
    check_party_org_fields(
        parent=parent, kind=kind, sector=sector, area=area, department=department, company=company
    )
    fields = {
        "name": name,
        "name_initials": pinyin_initials(name),
        "kind": kind,
        "sector": sector,
        "area": area,
        "area_path": area.path,
        "secretary": secretary.strip(),
        "founded_on": founded_on,
        "department": department,
        "company": company,
    }
    if parent is None:
        org = PartyOrg.objects.add_root(create_kwargs=fields)
    else:
        org = PartyOrg.objects.add_child(parent, create_kwargs=fields)
    audit_record(action=AuditAction.CREATE, actor=actor, username="system", target=org)
    return org


@transaction.atomic
def party_org_update(
    *,
    actor: Any,
    org: PartyOrg,
    name: str,
    secretary: str,
    founded_on: date | None,
    area: Area,
    is_active: bool,
) -> PartyOrg:
    """Edit an organisation. Re-anchoring it moves its members' area path with it."""
    require(policies.can_maintain_tree(actor))
    org = PartyOrg.objects.select_for_update().get(pk=org.pk)
    parent = PartyOrg.objects.filter(path=org.path[: -PartyOrg.steplen]).first()
    check_party_org_fields(
        parent=parent,
        kind=org.kind,
        sector=org.sector,
        area=area,
        department=org.department,
        company=org.company,
    )
    name = name.strip()
    if not name:
        raise ValidationError(_("请填写名称。"))
    if area.pk != org.area_id:
        org.members.update(area_path=area.path)
    org.name, org.name_initials = name, pinyin_initials(name)
    org.secretary, org.founded_on, org.is_active = secretary.strip(), founded_on, is_active
    org.area, org.area_path = area, area.path
    org.save()
    audit_record(action=AuditAction.UPDATE, actor=actor, target=org)
    return org
