"""单位报到: check-in, confirmation, resources list and co-building agreement."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict
from governance.models import Area, Department

from .. import policies
from ..models import CheckInState, CoBuildAgreement, Resource, ResourceKind, UnitCheckIn, UnitType
from .base import audit, author, community_of, require, trusted


def _duplicate(department: Department, community: Area, year: int) -> ValidationError:
    return ValidationError(
        {
            "community": _("%(unit)s已在%(community)s办理过 %(year)s 年度报到，不能重复报到。")
            % {"unit": department.name, "community": community.name, "year": year}
        }
    )


@transaction.atomic
def unit_checkin_create(
    *,
    actor: Any,
    department: Department,
    community: Area,
    year: int,
    contact_name: str,
    contact_phone: str = "",
    commitments: str = "",
    unit_type: str = UnitType.AGENCY,
) -> UnitCheckIn:
    """A unit checks in at a community for a year (pending the community's confirmation).
    A second check-in of the unit at the community for the year is refused, also when two
    arrive at once (the unique constraint decides)."""
    community = community_of(community)
    require(
        trusted(actor)
        or policies.can_check_in(actor, department_id=department.pk, community_path=community.path),
        _("只能为本单位报到，或由社区代为登记。"),
    )
    errors: dict[str, str] = {}
    if not department.is_active:
        errors["department"] = _("该单位已停用。")
    this_year = timezone.localdate().year
    if not this_year - 1 <= year <= this_year + 1:
        errors["year"] = _("报到年度须为 %(a)s 至 %(b)s 年。") % {
            "a": this_year - 1,
            "b": this_year + 1,
        }
    contact_name = (contact_name or "").strip()
    if not contact_name:
        errors["contact_name"] = _("请填写联系人。")
    phone = "".join((contact_phone or "").split())
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 12):
        errors["contact_phone"] = _("联系电话须为 7 至 12 位数字。")
    if unit_type not in UnitType.values:
        errors["unit_type"] = _("单位类型无效。")
    if errors:
        raise ValidationError(errors)
    taken = UnitCheckIn.objects.filter(department=department, community=community, year=year)
    if taken.exclude(state=CheckInState.WITHDRAWN).exists():
        raise _duplicate(department, community, year)
    checkin = UnitCheckIn(
        department=department,
        community=community,
        area_path=community.path,
        year=year,
        unit_type=unit_type,
        contact_name=contact_name,
        contact_phone=phone,
        commitments=(commitments or "").strip(),
        submitted_by=author(actor),
    )
    try:
        with transaction.atomic():
            checkin.save()
    except IntegrityError:
        raise _duplicate(department, community, year) from None
    audit(actor, checkin, "unit_checkin.create", created=True)
    return checkin


def _lock(checkin: UnitCheckIn | int) -> UnitCheckIn:
    pk = checkin if isinstance(checkin, int) else checkin.pk
    return (
        UnitCheckIn.objects.select_for_update(of=("self",))
        .select_related("department", "community")
        .get(pk=pk)
    )


@transaction.atomic
def unit_checkin_confirm(*, actor: Any, checkin: UnitCheckIn | int) -> UnitCheckIn:
    """The community confirms a pending check-in."""
    locked = _lock(checkin)
    require(trusted(actor) or policies.can_confirm(actor, locked), _("只有报到社区可以确认。"))
    if locked.state != CheckInState.PENDING:
        raise Conflict(
            _("该报到当前为“%(state)s”，不能确认，请刷新后查看。")
            % {"state": locked.get_state_display()}
        )
    locked.state = CheckInState.CONFIRMED
    locked.confirmed_by = author(actor)
    locked.confirmed_at = timezone.now()
    locked.save(update_fields=["state", "confirmed_by", "confirmed_at", "updated_at"])
    audit(actor, locked, "unit_checkin.confirm")
    return locked


@transaction.atomic
def unit_checkin_withdraw(*, actor: Any, checkin: UnitCheckIn | int) -> UnitCheckIn:
    """Withdraw a check-in that no project relies on (the unit may check in again)."""
    locked = _lock(checkin)
    require(trusted(actor) or policies.can_keep_resources(actor, locked))
    if locked.state == CheckInState.WITHDRAWN:
        raise Conflict(_("该报到已撤回。"))
    if Resource.objects.filter(checkin=locked, projects__isnull=False).exists():
        raise Conflict(_("该单位的资源已用于共建项目，不能撤回报到。"))
    locked.state = CheckInState.WITHDRAWN
    locked.save(update_fields=["state", "updated_at"])
    audit(actor, locked, "unit_checkin.withdraw")
    return locked


@transaction.atomic
def resource_add(
    *,
    actor: Any,
    checkin: UnitCheckIn,
    kind: str,
    name: str,
    quantity: Decimal | None = None,
    unit: str = "",
    description: str = "",
) -> Resource:
    """An entry of the unit's resources list (资源清单) at the community."""
    locked = _lock(checkin)
    require(trusted(actor) or policies.can_keep_resources(actor, locked))
    if locked.state == CheckInState.WITHDRAWN:
        raise Conflict(_("该报到已撤回，不能再登记资源。"))
    errors: dict[str, str] = {}
    if kind not in ResourceKind.values:
        errors["kind"] = _("资源类别无效。")
    name = (name or "").strip()
    if not name:
        errors["name"] = _("请填写资源名称。")
    if quantity is not None and quantity < 0:
        errors["quantity"] = _("数量不能为负数。")
    if errors:
        raise ValidationError(errors)
    resource = Resource.objects.create(
        checkin=locked,
        department_id=locked.department_id,
        area_path=locked.area_path,
        kind=kind,
        name=name[:100],
        quantity=quantity,
        unit=(unit or "").strip()[:12],
        description=(description or "").strip()[:500],
    )
    audit(actor, resource, "resource.add", created=True)
    return resource


@transaction.atomic
def agreement_sign(
    *,
    actor: Any,
    checkin: UnitCheckIn,
    number: str,
    signed_on: date,
    starts_on: date,
    ends_on: date,
    terms: str,
) -> CoBuildAgreement:
    """共驻共建协议 of a confirmed check-in, with its term."""
    locked = _lock(checkin)
    require(trusted(actor) or policies.can_sign_agreement(actor, locked), _("协议由社区登记。"))
    if locked.state != CheckInState.CONFIRMED:
        raise Conflict(_("报到经社区确认后才能签订共建协议。"))
    if CoBuildAgreement.objects.filter(checkin=locked).exists():
        raise Conflict(_("该报到已签订共建协议。"))
    errors: dict[str, str] = {}
    number = (number or "").strip()
    if not number:
        errors["number"] = _("请填写协议编号。")
    elif CoBuildAgreement.objects.filter(number=number).exists():
        errors["number"] = _("协议编号“%(n)s”已被使用。") % {"n": number}
    if ends_on < starts_on:
        errors["ends_on"] = _("协议终止日不能早于起始日。")
    if signed_on > timezone.localdate():
        errors["signed_on"] = _("签订日期不能晚于今天。")
    terms = (terms or "").strip()
    if not terms:
        errors["terms"] = _("请填写协议内容。")
    if errors:
        raise ValidationError(errors)
    agreement = CoBuildAgreement.objects.create(
        checkin=locked,
        department_id=locked.department_id,
        area_path=locked.area_path,
        number=number,
        signed_on=signed_on,
        starts_on=starts_on,
        ends_on=ends_on,
        terms=terms,
        created_by=author(actor),
    )
    audit(actor, agreement, "agreement.sign", created=True)
    return agreement
