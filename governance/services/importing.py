"""Excel import of a ledger into a community: all rows or none (the checks are in
``governance.imports``)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import audit_record
from governance import policies
from governance.imports import ImportKind, ImportPlan, plan_import
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


@transaction.atomic
def ledger_import(*, actor: Any, kind: str, community: Area, upload: Any) -> ImportPlan:
    """Import a ledger file into ``community``: every row is checked first, and nothing is
    written unless the whole file is clean (then all of it, in this one transaction). Returns
    the plan, whose ``errors`` list each bad row's number and reason."""
    require(policies.can_keep_ledger(actor, community.path))
    if community.level != AreaLevel.COMMUNITY:
        raise ValidationError(_("请选择一个社区。"))
    # One import per community at a time: a second one waits, then sees the first one's rows.
    Area.objects.select_for_update().filter(pk=community.pk).first()
    plan = plan_import(kind=kind, community=community, upload=upload)
    if plan.errors:
        return plan
    if kind == ImportKind.RESIDENTS:
        Household.objects.bulk_create(list(plan.new_households.values()))
        residents = [
            Resident(household=household, area_path=household.area_path, **values)
            for household, values in plan.objects
        ]
        Resident.objects.bulk_create(residents, batch_size=1000)
        heads: dict[int, str] = {}
        for resident in residents:
            if resident.relation == RelationToHead.HEAD:
                heads.setdefault(resident.household_id, resident.name)
        for household_id, name in heads.items():
            Household.objects.filter(pk=household_id, head_name="").update(head_name=name)
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
    return plan
