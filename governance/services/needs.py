"""The needs ledger (需求台账): what a household asked for, taken on and completed. Taking and
completing are conditional updates: of two people pressing at once, one wins and the other
gets a :class:`~common.errors.Conflict`."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import audit_record
from common.errors import Conflict
from governance import policies
from governance.models import Household, NeedKind, NeedsLedger, NeedStatus

from .base import require, system_or


@transaction.atomic
def need_create(
    *, actor: Any, household: Household, kind: str, description: str, raised_on: date | None
) -> NeedsLedger:
    """Record what a household asked for (走百家门、知百家事、解百家忧)."""
    system_or(actor, policies.can_handle_need(actor, household.area_path))
    if kind not in NeedKind.values:
        raise ValidationError(_("需求类别无效。"))
    description = description.strip()
    if not description:
        raise ValidationError(_("请填写需求描述。"))
    raised_on = raised_on or timezone.localdate()
    if raised_on > timezone.localdate():
        raise ValidationError(_("登记日期不能晚于今天。"))
    need = NeedsLedger.objects.create(
        household=household,
        area_path=household.area_path,
        kind=kind,
        description=description,
        raised_on=raised_on,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(action=AuditAction.CREATE, actor=actor, username="system", target=need)
    return need


def _unchanged(need: NeedsLedger, seen_version: int | None, status: str) -> Any:
    rows = NeedsLedger.objects.filter(pk=need.pk, status=status)
    return rows if seen_version is None else rows.filter(version=seen_version)


@transaction.atomic
def need_take(
    *, actor: Any, need: NeedsLedger, taken_by: str, seen_version: int | None = None
) -> NeedsLedger:
    """Take an open need on. A conditional update: of two people pressing at once, one takes
    it and the other is told it is already taken. With ``seen_version``, a need changed since
    the caller read it is refused the same way; each change bumps the version."""
    require(policies.can_handle_need(actor, need.area_path))
    taken_by = taken_by.strip() or getattr(actor, "display_name", "")
    if not taken_by:
        raise ValidationError(_("请填写认领人或单位。"))
    today = timezone.localdate()
    updated = _unchanged(need, seen_version, NeedStatus.OPEN).update(
        status=NeedStatus.TAKEN, taken_by=taken_by[:100], taken_on=today, version=F("version") + 1
    )
    if not updated:
        raise Conflict(_("该需求已被认领或已办结，请刷新后查看。"))
    need.refresh_from_db()
    audit_record(action=AuditAction.UPDATE, actor=actor, target=need, detail={"status": "taken"})
    return need


@transaction.atomic
def need_complete(
    *, actor: Any, need: NeedsLedger, result: str, seen_version: int | None = None
) -> NeedsLedger:
    """Mark a taken need done, with what was done (``seen_version`` as for :func:`need_take`)."""
    require(policies.can_handle_need(actor, need.area_path))
    result = result.strip()
    if not result:
        raise ValidationError(_("请填写办理结果。"))
    updated = _unchanged(need, seen_version, NeedStatus.TAKEN).update(
        status=NeedStatus.DONE,
        result=result[:500],
        done_on=timezone.localdate(),
        version=F("version") + 1,
    )
    if not updated:
        raise Conflict(_("只有办理中的需求才能办结，请刷新后查看。"))
    need.refresh_from_db()
    audit_record(action=AuditAction.UPDATE, actor=actor, target=need, detail={"status": "done"})
    return need
