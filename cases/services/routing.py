"""The desk's decisions: accept or reject, call the tier above (社区呼叫), dispatch to handling
units (by routing rule or by hand), merge a duplicate."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import RoleGrant, User
from common.errors import Conflict
from governance.models import Area
from governance.units import Unit

from .. import policies
from ..models import AssignmentRole, Case, CaseAssignment, CaseState, RoutingRule, Step
from ..workflow import Action
from .deadlines import start_step, stop_step
from .frame import begin, end_assignments, finish, note_for, transition_service
from .handlers import handlers_set
from .notifications import ancestor_paths


@transition_service(Action.ACCEPT)
@transaction.atomic
def case_accept(*, actor: Any, case: Case | int, note: str = "") -> Case:
    """The desk takes the case on; the handling deadline starts."""
    case = begin(case, actor, Action.ACCEPT)
    before = case.state
    case.state = CaseState.ACCEPTED
    fields = ["state", *start_step(case, Step.HANDLE, timezone.now())]
    finish(case, actor=actor, action=Action.ACCEPT, from_state=before, fields=fields, note=note)
    return case


@transition_service(Action.REJECT)
@transaction.atomic
def case_reject(*, actor: Any, case: Case | int, note: str) -> Case:
    """Not a matter for the portal (duplicate reports are merged instead); a reason is kept."""
    note = note_for(Action.REJECT, note)
    case = begin(case, actor, Action.REJECT)
    before = case.state
    case.state = CaseState.REJECTED
    case.closed_at = timezone.now()
    fields = ["state", "closed_at", *stop_step(case)]
    finish(case, actor=actor, action=Action.REJECT, from_state=before, fields=fields, note=note)
    return case


@transition_service(Action.ESCALATE)
@transaction.atomic
def case_escalate(*, actor: Any, case: Case | int, note: str) -> Case:
    """社区呼叫: the desk calls the tier above; the case waits there for dispatch with that
    tier's deadline, and units already working on it are released."""
    note = note_for(Action.ESCALATE, note)
    case = begin(case, actor, Action.ESCALATE)
    upper = policies.next_tier(case.tier)
    if upper is None:
        raise Conflict(_("事件已在区级处置，无法继续呼叫上级。"))
    before, before_tier = case.state, case.tier
    now = timezone.now()
    end_assignments(case, now)
    case.state = CaseState.ACCEPTED
    case.tier = upper
    fields = ["state", "tier", *start_step(case, Step.HANDLE, now)]
    finish(
        case, actor=actor, action=Action.ESCALATE, from_state=before, fields=fields, note=note,
        detail={"from_tier": before_tier},
    )  # fmt: skip
    return case


def routing_default(case: Case) -> RoutingRule | None:
    """The rule of the deepest area above the case for its category (or its parent)."""
    rules = (
        RoutingRule.objects.filter(
            category_id__in=[c for c in (case.category_id, case.category.parent_id) if c],
            area__path__in=ancestor_paths(case.area_path),
        )
        .select_related("area", "unit_area", "department", "company")
        .order_by()
    )
    ranked = sorted(
        rules, key=lambda r: (len(r.area.path), r.category_id == case.category_id), reverse=True
    )
    return ranked[0] if ranked else None


def _person_in_unit(person: User, unit: Unit) -> bool:
    grants = RoleGrant.objects.filter(user=person)
    if unit.department is not None:
        return grants.filter(department=unit.department).exists()
    if unit.company is not None:
        return grants.filter(company=unit.company).exists()
    return grants.filter(area=unit.area, role__in=policies.UNIT_AREA_ROLES).exists()


def _check_units_reach(actor: Any, lead: Unit | None, cooperating: Sequence[Unit]) -> None:
    """A desk picks streets and communities of its own scope, as the form offers them: one it
    cannot see (its own street above a community desk, another street's community) is refused
    like a unit that does not exist, naming nothing. The routing rule's unit is the district's
    choice and is not the desk's pick."""
    picked = [("lead", lead)] if lead is not None else []
    picked += [("cooperating", unit) for unit in cooperating]
    wanted = {unit.area.pk for _field, unit in picked if unit.area is not None}
    if not wanted:
        return
    seen = set(Area.objects.visible_to(actor).filter(pk__in=wanted).values_list("pk", flat=True))
    for field, unit in picked:
        if unit.area is not None and unit.area.pk not in seen:
            raise ValidationError({field: _("承办单位无效。")})


def _check_units_cover(case: Case, lead: Unit, cooperating: Sequence[Unit]) -> None:
    """A street or community may handle only a case in its own subtree: any other would be
    handed a case it cannot see. Departments and property companies serve the whole district."""
    for field, unit in [("lead", lead), *(("cooperating", u) for u in cooperating)]:
        if unit.area is not None and not case.area_path.startswith(unit.area.path):
            raise ValidationError(
                {
                    field: _("%(unit)s不在本事件所在区域的范围内，不能承办。")
                    % {"unit": unit.area.name}
                }
            )


@transition_service(Action.DISPATCH)
@transaction.atomic
def case_dispatch(
    *,
    actor: Any,
    case: Case | int,
    lead: Unit | None = None,
    person: User | None = None,
    cooperating: Sequence[Unit] = (),
    note: str = "",
) -> Case:
    """The desk dispatches to one lead unit (the routing rule's unit unless staff pick another),
    optionally to a named person in it, with any cooperating units."""
    case = begin(case, actor, Action.DISPATCH)
    _check_units_reach(actor, lead, cooperating)
    if lead is None:
        rule = routing_default(case)
        if rule is None:
            raise ValidationError({"lead": _("没有适用的派单规则，请选择主办单位。")})
        lead = Unit.of(rule)
    _check_units_cover(case, lead, cooperating)
    keys = [lead.key(), *(u.key() for u in cooperating)]
    if len(set(keys)) != len(keys):
        raise ValidationError({"cooperating": _("协办单位不能重复，也不能与主办单位相同。")})
    if person is not None and not _person_in_unit(person, lead):
        raise ValidationError({"person": _("指定承办人须属于主办单位。")})
    before = case.state
    now = timezone.now()
    end_assignments(case, now)
    created = [CaseAssignment(case=case, role=AssignmentRole.LEAD, person=person, **lead.fields())]
    created += [
        CaseAssignment(case=case, role=AssignmentRole.COOPERATING, **unit.fields())
        for unit in cooperating
    ]
    CaseAssignment.objects.bulk_create(created)
    handlers_set(case, created)
    case.state = CaseState.IN_PROGRESS
    fields = ["state"]
    if case.step != Step.HANDLE:
        fields += start_step(case, Step.HANDLE, now)
    finish(
        case, actor=actor, action=Action.DISPATCH, from_state=before, fields=fields, note=note,
        detail={"lead": str(lead.key()), "cooperating": [str(u.key()) for u in cooperating]},
    )  # fmt: skip
    return case


@transition_service(Action.MERGE)
@transaction.atomic
def case_merge(*, actor: Any, case: Case | int, into: Case, note: str = "") -> Case:
    """A duplicate report is merged into the case that carries on."""
    case = begin(case, actor, Action.MERGE)
    if into.pk == case.pk:
        raise ValidationError({"into": _("不能合并到自身。")})
    target = Case.objects.visible_to(actor).filter(pk=into.pk).first()
    if target is None or not target.is_open:
        raise ValidationError({"into": _("请选择一个办理中的事件作为合并目标。")})
    before = case.state
    case.state = CaseState.MERGED
    case.duplicate_of = target
    case.closed_at = timezone.now()
    fields = ["state", "duplicate_of", "closed_at", *stop_step(case)]
    finish(
        case, actor=actor, action=Action.MERGE, from_state=before, fields=fields, note=note,
        detail={"into": target.number},
    )  # fmt: skip
    return case
