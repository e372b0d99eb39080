"""专项行动: campaigns, their shifts in target grids, sign-ups and attendance."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.personal_data import blind_index
from common.errors import Conflict
from governance.models import Area
from grids.models import Grid

from .. import policies
from ..models import (
    Campaign,
    CampaignDuty,
    CampaignPerson,
    CampaignShift,
    CampaignSignup,
    MemberCheckIn,
    MemberTask,
    PersonKind,
    TaskKind,
    TaskState,
)
from .base import audit, author, require, trusted
from .members import clean_phone


@transaction.atomic
def campaign_create(
    *,
    actor: Any,
    area: Area,
    title: str,
    starts_on: date,
    ends_on: date,
    grids: Sequence[Grid],
    description: str = "",
) -> Campaign:
    """A campaign organised by an area's office, into grids of its subtree, for a period."""
    require(trusted(actor) or policies.can_run_campaign(actor, area.path))
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("请填写行动名称。")
    if ends_on < starts_on:
        errors["ends_on"] = _("结束日期不能早于开始日期。")
    grids = list(grids)
    if not grids:
        errors["grids"] = _("请选择至少一个目标网格。")
    elif any(not g.area_path.startswith(area.path) for g in grids):
        errors["grids"] = _("目标网格须在%(a)s范围内。") % {"a": area.name}
    if errors:
        raise ValidationError(errors)
    campaign = Campaign.objects.create(
        area=area,
        area_path=area.path,
        title=title[:100],
        description=(description or "").strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=author(actor),
    )
    campaign.target_grids.set(grids)
    audit(actor, campaign, "campaign.create", created=True)
    return campaign


@transaction.atomic
def shift_add(
    *,
    actor: Any,
    campaign: Campaign,
    grid: Grid,
    duty: str,
    day: date,
    starts_at: time,
    ends_at: time,
    capacity: int = 10,
    note: str = "",
) -> CampaignShift:
    """A duty (宣传, 排查, 物资, 检测点值守) in a target grid on a day of the campaign."""
    require(
        trusted(actor)
        or policies.can_run_campaign(actor, campaign.area_path)
        or policies.can_run_campaign(actor, grid.area_path)
    )
    errors: dict[str, str] = {}
    if duty not in CampaignDuty.values:
        errors["duty"] = _("任务类别无效。")
    if not campaign.target_grids.filter(pk=grid.pk).exists():
        errors["grid"] = _("该网格不是本次行动的目标网格。")
    if not campaign.starts_on <= day <= campaign.ends_on:
        errors["day"] = _("日期须在行动期间（%(a)s 至 %(b)s）内。") % {
            "a": campaign.starts_on.isoformat(),
            "b": campaign.ends_on.isoformat(),
        }
    if ends_at <= starts_at:
        errors["ends_at"] = _("结束时间须晚于开始时间。")
    if not 1 <= capacity <= 500:
        errors["capacity"] = _("人数上限须为 1 至 500。")
    if errors:
        raise ValidationError(errors)
    shift = CampaignShift.objects.create(
        campaign=campaign,
        grid=grid,
        area_path=grid.area_path,
        duty=duty,
        day=day,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        note=(note or "").strip()[:200],
    )
    audit(actor, shift, "campaign_shift.add", created=True)
    return shift


def _person(
    *, kind: str, member_checkin: MemberCheckIn | None, name: str, phone: str, employer: str,
    area_path: str,
) -> CampaignPerson:  # fmt: skip
    if member_checkin is not None:
        key = member_checkin.person_key
        defaults = {
            "kind": PersonKind.MEMBER,
            "name": member_checkin.name,
            "phone": member_checkin.phone,
            "phone_hash": member_checkin.phone_hash,
            "member_checkin": member_checkin,
            "employer": member_checkin.employer,
            "area_path": member_checkin.area_path,
        }
    else:
        if kind not in (PersonKind.CADRE, PersonKind.VOLUNTEER):
            raise ValidationError(
                {"kind": _("请选择身份：机关干部或志愿者（党员请选择报到记录）。")}
            )
        name = (name or "").strip()
        phone = clean_phone(phone)
        if not name or not phone:
            raise ValidationError({"phone": _("请填写姓名和手机号。")})
        key = f"phone:{blind_index(phone)}"
        defaults = {
            "kind": kind,
            "name": name[:50],
            "phone": phone,
            "phone_hash": blind_index(phone),
            "employer": (employer or "").strip()[:120],
            "area_path": area_path,
        }
    person, _created = CampaignPerson.objects.get_or_create(person_key=key, defaults=defaults)
    return person


@transaction.atomic
def signup_add(
    *,
    actor: Any,
    shift: CampaignShift,
    kind: str = PersonKind.VOLUNTEER,
    member_checkin: MemberCheckIn | None = None,
    name: str = "",
    phone: str = "",
    employer: str = "",
) -> CampaignSignup:
    """Put a person on a shift: a checked-in member (the shift becomes one of their tasks),
    a cadre or a volunteer. A full shift and a second sign-up of one person are refused."""
    locked = CampaignShift.objects.select_for_update().select_related("campaign").get(pk=shift.pk)
    require(
        trusted(actor)
        or policies.can_run_campaign(actor, locked.area_path)
        or policies.can_run_campaign(actor, locked.campaign.area_path)
    )
    if member_checkin is not None and member_checkin.ended_on is not None:
        raise ValidationError({"member_checkin": _("该党员已转出。")})
    person = _person(
        kind=kind, member_checkin=member_checkin, name=name, phone=phone, employer=employer,
        area_path=locked.area_path,
    )  # fmt: skip
    if CampaignSignup.objects.filter(shift=locked, person=person).exists():
        raise ValidationError({"phone": _("%(n)s已报名该班次。") % {"n": person.name}})
    if CampaignSignup.objects.filter(shift=locked).count() >= locked.capacity:
        raise Conflict(_("该班次已满（%(n)s 人）。") % {"n": locked.capacity})
    task = None
    if member_checkin is not None:
        task = MemberTask.objects.create(
            checkin=member_checkin,
            area_path=member_checkin.area_path,
            kind=TaskKind.SHIFT,
            title=f"{locked.campaign.title}·{locked.get_duty_display()}"[:120],
            scheduled_on=locked.day,
            created_by=author(actor),
        )
    signup = CampaignSignup(
        shift=locked,
        person=person,
        campaign=locked.campaign,
        grid_id=locked.grid_id,
        day=locked.day,
        area_path=locked.area_path,
        task=task,
    )
    try:
        with transaction.atomic():
            signup.save()
    except IntegrityError:
        raise ValidationError({"phone": _("%(n)s已报名该班次。") % {"n": person.name}}) from None
    audit(actor, signup, "campaign_signup.add", created=True)
    return signup


@transaction.atomic
def signup_attend(
    *, actor: Any, signup: CampaignSignup, attended: bool, hours: Decimal | None = None
) -> CampaignSignup:
    """到岗 with hours (at most the shift's length), or absent; a member's task follows."""
    locked = (
        CampaignSignup.objects.select_for_update(of=("self",))
        .select_related("shift", "campaign")
        .get(pk=signup.pk)
    )
    require(
        trusted(actor)
        or policies.can_run_campaign(actor, locked.area_path)
        or policies.can_run_campaign(actor, locked.campaign.area_path)
    )
    if locked.attended is not None:
        raise Conflict(_("该报名的到岗情况已登记。"))
    length = Decimal(str(locked.shift.hours))
    hours = length if hours is None else Decimal(hours)
    if attended and not Decimal(0) < hours <= length:
        raise ValidationError(
            {"hours": _("时长须大于 0 且不超过班次时长 %(h)s 小时。") % {"h": length}}
        )
    locked.attended = attended
    locked.hours = hours if attended else Decimal(0)
    locked.save(update_fields=["attended", "hours"])
    if locked.task_id:
        MemberTask.objects.filter(pk=locked.task_id, state=TaskState.ASSIGNED).update(
            state=TaskState.DONE if attended else TaskState.MISSED,
            hours=locked.hours,
            done_on=locked.day if attended else None,
        )
    audit(actor, locked, "campaign_signup.attend", attended=attended)
    return locked
