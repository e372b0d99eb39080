"""Excel import of a ledger into a community: all rows or none (the checks are in
``governance.imports``)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import audit_record
from common import imports
from common.importjobs import import_runner
from governance import policies
from governance.imports import ImportKind, ImportPlan, plan_rows, read_import
from governance.models import (
    Area,
    AreaLevel,
    Household,
    NeedsLedger,
    PartyMember,
    RelationToHead,
    Resident,
)

from .base import require


def ledger_import(
    *,
    actor: Any,
    kind: str,
    community: Area,
    upload: Any,
    progress: imports.Progress = imports.SILENT,
) -> ImportPlan:
    """Import a ledger file into ``community``: every row is checked first, and nothing is
    written unless the whole file is clean (then all of it, in one transaction). Returns the
    plan, whose ``errors`` list each bad row's number and reason.

    The file is read and checked without a lock; only the write takes the community's lock
    (one import per community at a time) and checks the rows again under it, so a second
    import that wrote in between is seen (its households reused, its ID numbers refused)."""
    require(policies.can_keep_ledger(actor, community.path))
    if community.level != AreaLevel.COMMUNITY:
        raise ValidationError(_("请选择一个社区。"))
    read, rows = read_import(kind=kind, upload=upload, progress=progress)
    if read.errors:
        return read
    plan = plan_rows(kind=kind, community=community, rows=rows)
    if plan.errors:
        return plan
    progress.phase(imports.WRITING, len(rows))
    with transaction.atomic():
        Area.objects.select_for_update().filter(pk=community.pk).first()
        plan = plan_rows(kind=kind, community=community, rows=rows)
        if not plan.errors:
            _write(actor=actor, kind=kind, community=community, plan=plan)
    return plan


def _write(*, actor: Any, kind: str, community: Area, plan: ImportPlan) -> None:
    if kind == ImportKind.RESIDENTS:
        heads: dict[int, str] = {}
        for household, values in plan.objects:
            if values["relation"] == RelationToHead.HEAD:
                if household.pk is None:
                    household.head_name = household.head_name or values["name"]
                else:
                    heads.setdefault(household.pk, values["name"])
        Household.objects.bulk_create(list(plan.new_households.values()))
        residents = [
            Resident(household=household, area_path=household.area_path, **values)
            for household, values in plan.objects
        ]
        Resident.objects.bulk_create(residents, batch_size=1000)
        for household_id, name in heads.items():
            # a changed household is a new version: an edit form opened on the old one is
            # refused (common.concurrency) rather than written over the import
            Household.objects.filter(pk=household_id, head_name="").update(
                head_name=name, version=F("version") + 1
            )
    elif kind == ImportKind.MEMBERS:
        PartyMember.objects.bulk_create([PartyMember(**v) for v in plan.objects], batch_size=1000)
    else:
        NeedsLedger.objects.bulk_create(
            [NeedsLedger(created_by=actor, **v) for v in plan.objects], batch_size=1000
        )
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        target=community,
        detail={
            "import": kind,
            "rows": len(plan.objects),
            "new_households": len(plan.new_households),
        },
    )


def _summary(plan: ImportPlan) -> str:
    return _("已导入 %(n)s 条记录（新建住户 %(h)s 户）。") % {
        "n": len(plan.objects),
        "h": len(plan.new_households),
    }


@import_runner(summary=_summary)
def ledger_import_job(
    *, actor: Any, upload: Any, params: dict[str, Any], progress: imports.Progress
) -> ImportPlan:
    """The worker's side of a ledger import page (``common.importjobs``)."""
    community = Area.objects.get(pk=params["community"])
    return ledger_import(
        actor=actor, kind=params["kind"], community=community, upload=upload, progress=progress
    )
