"""网格发现: reporting a case (from a page, the API, Open311, a visit or a property complaint) and
correcting its text before anyone handles it."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import audit_record
from common.errors import Conflict
from governance.models import Area, AreaLevel

from .. import policies
from ..models import Case, CaseEvent, CaseSource, CaseState, Category, Step
from ..photos import check_photos
from ..workflow import Action
from .deadlines import start_step
from .frame import lock, store_photos
from .notifications import tell

CASE_AREA_LEVELS = (AreaLevel.COMMUNITY, AreaLevel.RESIDENTIAL_AREA, AreaLevel.BUILDING)


def case_locate(area: Area) -> dict[str, Any]:
    """The denormalised location of a case in ``area``: path, street and community."""
    if area.level not in CASE_AREA_LEVELS:
        raise ValidationError({"area": _("事件须定位到社区、小区或楼栋。")})
    step = Area.steplen
    ancestors = {
        a.level: a
        for a in Area.objects.filter(path__in=[area.path[: 2 * step], area.path[: 3 * step]])
    }
    if AreaLevel.STREET not in ancestors or AreaLevel.COMMUNITY not in ancestors:
        raise ValidationError({"area": _("该区域不在街道、社区之下。")})
    return {
        "area": area,
        "area_path": area.path,
        "street": ancestors[AreaLevel.STREET],
        "community": ancestors[AreaLevel.COMMUNITY],
    }


@transaction.atomic
def case_report(
    *,
    actor: Any,
    category: Category,
    area: Area,
    title: str,
    description: str,
    address: str = "",
    longitude: Decimal | None = None,
    latitude: Decimal | None = None,
    source: str = CaseSource.GRID,
    contact_name: str = "",
    contact_phone: str = "",
    photos: Sequence[UploadedFile] = (),
    urgent: bool = False,
) -> Case:
    """网格发现: a grid worker (or community / street staff) reports a problem in their area.
    The case starts at the category's tier with the accept deadline running."""
    checked = check_photos(list(photos))
    location = case_locate(area)
    if not policies.can_report(actor, area.path):
        raise PermissionDenied(_("只能上报本人负责区域内的事件。"))
    if category.parent_id is None or not category.is_active:
        raise ValidationError({"category": _("请选择一个启用的二级类别。")})
    title, description = title.strip(), description.strip()
    if not title:
        raise ValidationError({"title": _("请填写标题。")})
    if not description:
        raise ValidationError({"description": _("请描述问题。")})
    if source not in CaseSource.values:
        raise ValidationError({"source": _("来源无效。")})
    now = timezone.now()
    case = Case(
        title=title,
        description=description,
        category=category,
        source=source,
        state=CaseState.REPORTED,
        tier=category.start_tier,
        address=address.strip(),
        longitude=longitude,
        latitude=latitude,
        reporter=actor if getattr(actor, "is_authenticated", False) else None,
        contact_name=contact_name.strip(),
        contact_phone="".join(contact_phone.split()),
        is_urgent=urgent,
        **location,
    )
    start_step(case, Step.ACCEPT, now)
    case.full_clean(exclude=["number", "street", "community", "area_path"])
    case.save()
    case.number = f"SJ{timezone.localtime(now):%Y%m%d}{case.pk:07d}"
    case.save(update_fields=["number"])
    event = CaseEvent.objects.create(
        case=case,
        action=Action.REPORT,
        actor=case.reporter,
        from_state="",
        to_state=case.state,
        tier=case.tier,
        note=description[:500],
        detail={"source": source},
    )
    store_photos(case=case, event=event, photos=checked, actor=actor)
    audit_record(action=AuditAction.CREATE, actor=actor, username="system", target=case)
    tell(case=case, action=Action.REPORT, key=f"report:{case.pk}", actor=actor)
    return case


@transaction.atomic
def case_update(
    *, actor: Any, case: Case, title: str | None = None, description: str | None = None,
    address: str | None = None,
) -> Case:  # fmt: skip
    """Correct the text of a case that nobody is handling yet (待受理 or 已受理)."""
    locked = lock(case)
    if not (policies.holds_desk_for(actor, locked) or locked.reporter_id == actor.pk):
        raise PermissionDenied(_("只有上报人或受理单位可以修改事件。"))
    if locked.state not in (CaseState.REPORTED, CaseState.ACCEPTED):
        raise Conflict(_("事件已进入处置，不能再修改。"))
    changed: dict[str, str] = {}
    for field, value in (("title", title), ("description", description), ("address", address)):
        if value is not None:
            value = value.strip()
            if field != "address" and not value:
                raise ValidationError({field: _("不能为空。")})
            setattr(locked, field, value)
            changed[field] = value
    locked.save(update_fields=[*changed, "updated_at"])
    audit_record(
        action=AuditAction.UPDATE, actor=actor, target=locked, detail={"fields": sorted(changed)}
    )
    return locked
