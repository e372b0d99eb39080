"""党员个人报到: member check-ins, their tasks and the year-end feedback for employers."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.personal_data import blind_index
from common.errors import Conflict
from governance.models import Area, Department, PartyMember
from grids.models import Grid

from .. import policies
from ..models import (
    Assessment,
    MemberCheckIn,
    MemberTask,
    ServiceArea,
    TaskKind,
    TaskState,
    YearFeedback,
)
from ..people import person_key
from .base import audit, author, community_of, require, trusted

MAX_TASK_HOURS = Decimal(24)


def clean_phone(phone: str) -> str:
    phone = "".join((phone or "").split())
    if phone and not (phone.isdigit() and len(phone) == 11 and phone.startswith("1")):
        raise ValidationError({"phone": _("手机号须为 11 位数字。")})
    return phone


def _already(existing: MemberCheckIn, field: str) -> ValidationError:
    return ValidationError(
        {
            field: _(
                "%(name)s已于 %(day)s 在%(community)s报到，须先办理转出，不能同时在两个社区报到。"
            )
            % {
                "name": existing.name,
                "day": existing.registered_on.isoformat(),
                "community": existing.community.name,
            }
        }
    )


@transaction.atomic
def member_checkin_create(
    *,
    actor: Any,
    community: Area,
    party_member: PartyMember | None = None,
    name: str = "",
    employer: str = "",
    employer_department: Department | None = None,
    branch: str = "",
    phone: str = "",
    grid: Grid | None = None,
    service_areas: Sequence[str] = (),
    registered_on: date | None = None,
    note: str = "",
) -> MemberCheckIn:
    """An in-service member registers at the community where they live: a member of the
    ledger, or a cadre not in it (name, employer, branch and a phone that identifies them).
    A person with an open check-in elsewhere is refused, also when two arrive at once."""
    community = community_of(community)
    require(trusted(actor) or policies.can_manage_members(actor, community.path))
    errors: dict[str, Any] = {}
    phone = clean_phone(phone)
    if party_member is not None:
        name = name or party_member.name
        employer = employer or party_member.employer
        branch = branch or party_member.org.name
        phone = phone or (party_member.phone or "")
        if not party_member.is_active:
            errors["party_member"] = _("该党员已不在册。")
    name, employer, branch = (name or "").strip(), (employer or "").strip(), (branch or "").strip()
    if not name:
        errors["name"] = _("请填写姓名。")
    if not employer:
        errors["employer"] = _("在职党员须填写工作单位。")
    if party_member is None:
        if not branch:
            errors["branch"] = _("请填写所在党支部。")
        if not phone:
            errors["phone"] = _("未在本地党员台账的党员须填写手机号（用于识别本人）。")
    bad_areas = [a for a in service_areas if a not in ServiceArea.values]
    if bad_areas:
        errors["service_areas"] = _("服务领域无效：%(v)s") % {"v": "、".join(bad_areas)}
    if grid is not None and grid.community_id != community.pk:
        errors["grid"] = _("所选网格不在%(c)s。") % {"c": community.name}
    registered_on = registered_on or timezone.localdate()
    if registered_on > timezone.localdate():
        errors["registered_on"] = _("报到日期不能晚于今天。")
    if errors:
        raise ValidationError(errors)
    key = person_key(party_member=party_member, phone=phone)
    field = "party_member" if party_member is not None else "phone"
    existing = (
        MemberCheckIn.objects.filter(person_key=key, ended_on__isnull=True)
        .select_related("community")
        .first()
    )
    if existing is not None:
        raise _already(existing, field)
    if employer_department is None:
        employer_department = Department.objects.filter(name=employer, is_active=True).first()
    checkin = MemberCheckIn(
        party_member=party_member,
        name=name[:50],
        employer=employer[:120],
        employer_department=employer_department,
        branch=branch[:120],
        phone=phone,
        phone_hash=blind_index(phone),
        person_key=key,
        community=community,
        area_path=community.path,
        grid=grid,
        service_areas=list(dict.fromkeys(service_areas)),
        registered_on=registered_on,
        access_token=secrets.token_urlsafe(24),
        note=(note or "").strip()[:300],
        created_by=author(actor),
    )
    try:
        with transaction.atomic():
            checkin.save()
    except IntegrityError:
        existing = MemberCheckIn.objects.select_related("community").get(
            person_key=key, ended_on__isnull=True
        )
        raise _already(existing, field) from None
    audit(actor, checkin, "member_checkin.create", created=True)
    return checkin


@transaction.atomic
def member_checkin_end(
    *, actor: Any, checkin: MemberCheckIn, ended_on: date | None = None
) -> MemberCheckIn:
    """转出: the member leaves the community (and may check in at another)."""
    locked = MemberCheckIn.objects.select_for_update().get(pk=checkin.pk)
    require(trusted(actor) or policies.can_manage_members(actor, locked.area_path))
    if locked.ended_on is not None:
        raise Conflict(_("该党员已于 %(d)s 转出。") % {"d": locked.ended_on.isoformat()})
    ended_on = ended_on or timezone.localdate()
    if ended_on < locked.registered_on:
        raise ValidationError({"ended_on": _("转出日期不能早于报到日期。")})
    locked.ended_on = ended_on
    locked.save(update_fields=["ended_on"])
    audit(actor, locked, "member_checkin.end")
    return locked


@transaction.atomic
def task_assign(
    *,
    actor: Any,
    checkin: MemberCheckIn,
    kind: str,
    title: str,
    scheduled_on: date,
    note: str = "",
) -> MemberTask:
    """A task for a member who is checked in: a service post, a wish, a shift."""
    require(trusted(actor) or policies.can_manage_members(actor, checkin.area_path))
    if checkin.ended_on is not None:
        raise Conflict(_("该党员已转出，不能再派发任务。"))
    errors: dict[str, str] = {}
    if kind not in TaskKind.values:
        errors["kind"] = _("任务类别无效。")
    title = (title or "").strip()
    if not title:
        errors["title"] = _("请填写任务内容。")
    if scheduled_on < checkin.registered_on:
        errors["scheduled_on"] = _("任务日期不能早于报到日期。")
    if errors:
        raise ValidationError(errors)
    task = MemberTask.objects.create(
        checkin=checkin,
        area_path=checkin.area_path,
        kind=kind,
        title=title[:120],
        scheduled_on=scheduled_on,
        note=(note or "").strip()[:300],
        created_by=author(actor),
    )
    audit(actor, task, "member_task.assign", created=True)
    return task


def _lock_task(task: MemberTask) -> MemberTask:
    return (
        MemberTask.objects.select_for_update(of=("self",)).select_related("checkin").get(pk=task.pk)
    )


@transaction.atomic
def task_complete(
    *, actor: Any, task: MemberTask, hours: Decimal, note: str = "", by_member: bool = False
) -> MemberTask:
    """Done, with the hours served. The member marks it on their phone page (``by_member``:
    the link is theirs) or the community does."""
    locked = _lock_task(task)
    if not by_member:
        require(trusted(actor) or policies.can_manage_members(actor, locked.area_path))
    if locked.state != TaskState.ASSIGNED:
        raise Conflict(_("该任务当前为“%(s)s”，请刷新后查看。") % {"s": locked.get_state_display()})
    if hours is None or not Decimal(0) < Decimal(hours) <= MAX_TASK_HOURS:
        raise ValidationError({"hours": _("服务时长须大于 0 且不超过 24 小时。")})
    today = timezone.localdate()
    if locked.scheduled_on > today:
        raise ValidationError({"hours": _("任务日期未到，不能登记完成。")})
    locked.state = TaskState.DONE
    locked.hours = Decimal(hours).quantize(Decimal("0.1"))
    locked.done_on = today
    if note:
        locked.note = note.strip()[:300]
    locked.save(update_fields=["state", "hours", "done_on", "note"])
    audit(actor, locked, "member_task.complete", by_member=by_member)
    return locked


@transaction.atomic
def task_miss(*, actor: Any, task: MemberTask) -> MemberTask:
    locked = _lock_task(task)
    require(trusted(actor) or policies.can_manage_members(actor, locked.area_path))
    if locked.state != TaskState.ASSIGNED:
        raise Conflict(_("该任务当前为“%(s)s”，请刷新后查看。") % {"s": locked.get_state_display()})
    locked.state = TaskState.MISSED
    locked.save(update_fields=["state"])
    audit(actor, locked, "member_task.miss")
    return locked


def year_totals(checkin_ids: Sequence[int], year: int) -> dict[int, tuple[int, Decimal]]:
    """(participations, hours) per check-in from its completed tasks of ``year``."""
    rows = (
        MemberTask.objects.filter(checkin_id__in=list(checkin_ids), scheduled_on__year=year)
        .values("checkin_id")
        .annotate(
            n=Count("id", filter=Q(state=TaskState.DONE)),
            h=Sum("hours", filter=Q(state=TaskState.DONE)),
        )
    )
    return {r["checkin_id"]: (r["n"], r["h"] or Decimal(0)) for r in rows}


@transaction.atomic
def feedback_record(
    *, actor: Any, checkin: MemberCheckIn, year: int, assessment: str, comment: str = ""
) -> YearFeedback:
    """社区反馈: the community's assessment of a member's year; participations and hours are
    counted from the tasks. Recording again updates the record (and recounts)."""
    require(trusted(actor) or policies.can_manage_members(actor, checkin.area_path))
    errors: dict[str, str] = {}
    if assessment not in Assessment.values:
        errors["assessment"] = _("社区评价无效。")
    if year < checkin.registered_on.year or year > timezone.localdate().year:
        errors["year"] = _("年度须在报到之后且不晚于今年。")
    if errors:
        raise ValidationError(errors)
    participations, hours = year_totals([checkin.pk], year).get(checkin.pk, (0, Decimal(0)))
    feedback, created = YearFeedback.objects.select_for_update().update_or_create(
        checkin=checkin,
        year=year,
        defaults={
            "area_path": checkin.area_path,
            "employer": checkin.employer,
            "employer_department_id": checkin.employer_department_id,
            "participations": participations,
            "hours": hours,
            "assessment": assessment,
            "comment": (comment or "").strip()[:500],
            "assessed_by": author(actor),
        },
    )
    audit(actor, feedback, "feedback.record", created=created)
    return feedback
