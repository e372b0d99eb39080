"""Writes of the dashboards: the appraisal weights, and the upkeep of the rollups."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import audit_record

from . import rollup
from .appraisal import TERMS
from .models import AppraisalSubject, AppraisalWeights


@transaction.atomic
def appraisal_weights_update(*, actor: Any, subject: str, **weights: int) -> AppraisalWeights:
    """The district admin sets the weights of one subject's formula (0–100 each, at least one
    above 0). The admin and the API call this; the change is audited with the old and new
    weights, and every ranking uses it from the next request on."""
    if subject not in AppraisalSubject.values:
        raise ValidationError({"subject": _("考核对象无效。")})
    values: dict[str, int] = {}
    for term in TERMS:
        value = weights.get(term, 0)
        if not isinstance(value, int) or not 0 <= value <= 100:
            raise ValidationError({term: _("权重须为 0 到 100 之间的整数。")})
        values[term] = value
    if not any(values.values()):
        raise ValidationError(_("至少要有一项权重大于 0。"))
    row = AppraisalWeights.objects.select_for_update().filter(subject=subject).first()
    before = {term: getattr(row, term) for term in TERMS} if row is not None else {}
    if row is None:
        row = AppraisalWeights(subject=subject)
    for term, value in values.items():
        setattr(row, term, value)
    row.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    row.save()
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        username="system",
        target=row,
        detail={"appraisal_weights": subject, "from": before, "to": values},
    )
    return row


def rollups_fold() -> int:
    """Fold the rollup journal into the counters (beat, every minute). Safe to run twice or
    on two workers at once: a fold that finds another one running does nothing."""
    with transaction.atomic():
        return rollup.fold()


def rollups_rebuild() -> int:
    """Count everything again from the case tables (after a restore, or to check); writes to
    the case tables wait meanwhile."""
    with transaction.atomic():
        return rollup.rebuild()
