"""Excel import of unit and member check-ins: nothing is written unless every row is right."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.personal_data import blind_index
from accounts.services import audit_record
from common import imports
from common.importjobs import import_runner

from .. import policies
from ..imports import ImportKind, ImportPlan, plan_import
from ..models import MemberCheckIn, UnitCheckIn
from .base import author, require, trusted


def checkin_import(
    *, actor: Any, kind: str, upload: Any, progress: imports.Progress = imports.SILENT
) -> ImportPlan:
    """Check the whole file (no transaction, no lock), then write all of it in one
    transaction, or nothing. Returns the plan, whose ``errors`` list each bad row's number and
    reason; a check-in someone made in between is caught by the unique constraints."""
    if kind not in (ImportKind.UNITS, ImportKind.MEMBERS):
        raise ValidationError(_("未知的导入类型。"))
    require(trusted(actor) or policies.can_import(actor, kind))
    plan = plan_import(actor=actor, kind=kind, upload=upload, progress=progress)
    if plan.errors:
        return plan
    progress.phase(imports.WRITING, len(plan.objects))
    try:
        with transaction.atomic():
            if kind == ImportKind.UNITS:
                for checkin in plan.objects:
                    checkin.submitted_by = author(actor)
                UnitCheckIn.objects.bulk_create(plan.objects, batch_size=500)
            else:
                MemberCheckIn.objects.bulk_create(
                    [
                        MemberCheckIn(
                            phone_hash=blind_index(values["phone"]),
                            access_token=secrets.token_urlsafe(24),
                            created_by=author(actor),
                            **values,
                        )
                        for values in plan.objects
                    ],
                    batch_size=500,
                )
            audit_record(
                action=AuditAction.CREATE,
                actor=actor,
                username="system",
                target=str(_("批量导入")),
                detail={"event": f"import.{kind}", "rows": len(plan.objects)},
            )
    except IntegrityError:
        # Someone checked one of these in between the check and the write.
        raise ValidationError(
            _("导入期间有人登记了相同的报到，请重新上传以查看冲突的行。")
        ) from None
    return plan


@import_runner(summary=lambda plan: _("已导入 %(n)s 条报到记录。") % {"n": len(plan.objects)})
def checkin_import_job(
    *, actor: Any, upload: Any, params: dict[str, Any], progress: imports.Progress
) -> ImportPlan:
    """The worker's side of the check-in import pages (``common.importjobs``)."""
    return checkin_import(actor=actor, kind=params["kind"], upload=upload, progress=progress)
