"""Excel import of volunteers and of attendance, in the pattern of the check-in imports: a
template, a check of every row, and an all-or-nothing write. A file with one bad row imports
nothing; each bad row is reported with its number and reason."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AuditAction
from accounts.personal_data import blind_index
from accounts.services import audit_record
from common.errors import Conflict
from governance.models import Area, AreaLevel

from . import policies, services
from .imports import ImportPlan, RowError, _id_text, _required, _rows, _text, template_workbook
from .models import Activity, Attendance, SignupChannel, Volunteer, VolunteerTeam
from .people import person_key
from .services.activities import EARLY, LATE

SERVICE_TEMPLATES: dict[str, dict[str, Any]] = {
    "volunteers": {
        "title": gettext_lazy("志愿者导入模板"),
        "headers": ["姓名", "手机号", "所属社区", "加入队伍", "特长", "可服务时间"],
        "required": ["姓名", "手机号", "所属社区"],
        "notes": [
            gettext_lazy("所属社区填写社区全称；加入队伍填写本社区已登记的队伍名称（可不填）。"),
            gettext_lazy("同一手机号只能登记一名志愿者。"),
        ],
    },
    "attendance": {
        "title": gettext_lazy("签到记录导入模板"),
        "headers": ["活动编号", "手机号", "签到时间", "签退时间", "服务时长"],
        "required": ["活动编号", "手机号", "服务时长"],
        "notes": [
            gettext_lazy("活动编号见活动列表；手机号须是该活动所在社区已登记的志愿者。"),
            gettext_lazy(
                "签到、签退时间如 2026-03-01 09:00，须在活动时间内；服务时长不超过活动时长。"
            ),
        ],
    },
}


def service_template(kind: str) -> bytes:
    return template_workbook(kind, SERVICE_TEMPLATES)


def _moment(row: dict[str, Any], header: str) -> datetime | None:
    value = row.get(header)
    if value in (None, ""):
        return None
    if not isinstance(value, datetime):
        text = str(value).strip().replace("/", "-")
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise ValidationError(
                _("%(col)s“%(v)s”不是有效时间（如 2026-03-01 09:00）。")
                % {"col": header, "v": text}
            ) from None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _plan_volunteers(plan: ImportPlan, actor: Any, rows: list[tuple[int, dict[str, Any]]]) -> None:
    communities = {
        a.name: a for a in Area.objects.filter(level=AreaLevel.COMMUNITY, is_active=True)
    }
    teams = {(t.community_id, t.name): t for t in VolunteerTeam.objects.all()}
    seen: dict[str, int] = {}
    checked = []
    for number, row in rows:
        try:
            _required("volunteers", row, SERVICE_TEMPLATES)
            community = communities.get(_text(row, "所属社区"))
            if community is None or not (
                actor is None or policies.can_run_service(actor, community.path)
            ):
                raise ValidationError(
                    _("社区“%(n)s”不存在或不在您的管辖范围。") % {"n": _text(row, "所属社区")}
                )
            phone = _id_text(row, "手机号")
            if not (phone.isdigit() and len(phone) == 11 and phone.startswith("1")):
                raise ValidationError(_("手机号须为 11 位数字。"))
            team = None
            if _text(row, "加入队伍"):
                team = teams.get((community.pk, _text(row, "加入队伍")))
                if team is None:
                    raise ValidationError(
                        _("队伍“%(t)s”不在%(c)s。")
                        % {"t": _text(row, "加入队伍"), "c": community.name}
                    )
        except ValidationError as exc:
            plan.errors.append(RowError(number, "；".join(exc.messages)))
            continue
        key = person_key(phone=phone)
        if key in seen:
            plan.errors.append(
                RowError(number, _("与第 %(row)s 行手机号相同。") % {"row": seen[key]})
            )
            continue
        seen[key] = number
        checked.append((number, key, {
            "community": community, "name": _text(row, "姓名")[:50], "phone": phone,
            "team": team, "skills": _text(row, "特长"), "availability": _text(row, "可服务时间"),
        }))  # fmt: skip
    taken = set(
        Volunteer.objects.filter(person_key__in=list(seen)).values_list("person_key", flat=True)
    )
    for number, key, values in checked:
        if key in taken:
            plan.errors.append(RowError(number, _("该手机号已登记为志愿者。")))
        else:
            plan.objects.append(values)


def _plan_attendance(plan: ImportPlan, actor: Any, rows: list[tuple[int, dict[str, Any]]]) -> None:
    ids = set()
    for _number, row in rows:
        text = _text(row, "活动编号")
        if text.isdigit():
            ids.add(int(text))
    activities = (
        {a.pk: a for a in Activity.objects.visible_to(actor).filter(pk__in=ids)}
        if actor
        else {a.pk: a for a in Activity.objects.filter(pk__in=ids)}
    )
    seen: dict[tuple[int, str], int] = {}
    checked = []
    for number, row in rows:
        try:
            _required("attendance", row, SERVICE_TEMPLATES)
            activity = (
                activities.get(int(_text(row, "活动编号")))
                if _text(row, "活动编号").isdigit()
                else None
            )
            if activity is None or not (
                actor is None or policies.can_run_service(actor, activity.area_path)
            ):
                raise ValidationError(
                    _("活动编号“%(v)s”不存在或不在您的管辖范围。") % {"v": _text(row, "活动编号")}
                )
            phone = _id_text(row, "手机号")
            came, left = _moment(row, "签到时间"), _moment(row, "签退时间")
            for moment, late in ((came, timedelta(0)), (left, LATE)):
                if (
                    moment is not None
                    and not activity.starts_at - EARLY <= moment <= activity.ends_at + late
                ):
                    raise ValidationError(_("签到/签退时间不在活动时间内。"))
            if came and left and left <= came:
                raise ValidationError(_("签退时间须晚于签到时间。"))
            try:
                hours = Decimal(_text(row, "服务时长"))
            except InvalidOperation:
                raise ValidationError(_("服务时长须为数字。")) from None
            length = Decimal(str(activity.length_hours))
            if not Decimal(0) < hours <= length:
                raise ValidationError(
                    _("服务时长须大于 0 且不超过活动时长 %(h)s 小时。") % {"h": length}
                )
        except ValidationError as exc:
            plan.errors.append(RowError(number, "；".join(exc.messages)))
            continue
        key = (activity.pk, blind_index(phone))
        if key in seen:
            plan.errors.append(
                RowError(
                    number, _("与第 %(row)s 行重复（同一活动、同一人）。") % {"row": seen[key]}
                )
            )
            continue
        seen[key] = number
        checked.append((number, activity, phone, came, left, hours))
    people = {
        (v.area_path, v.phone_hash): v
        for v in Volunteer.objects.filter(phone_hash__in=[k[1] for k in seen], is_active=True)
    }
    done = set(
        Attendance.objects.filter(activity_id__in=[k[0] for k in seen]).values_list(
            "activity_id", "volunteer_id"
        )
    )
    for number, activity, phone, came, left, hours in checked:
        volunteer = people.get((activity.area_path, blind_index(phone)))
        if volunteer is None:
            plan.errors.append(
                RowError(number, _("手机号不是%(c)s已登记的志愿者。") % {"c": activity.community})
            )
        elif (activity.pk, volunteer.pk) in done:
            plan.errors.append(
                RowError(number, _("%(n)s已有该活动的签到记录。") % {"n": volunteer.name})
            )
        else:
            plan.objects.append((activity, volunteer, came, left, hours))


@transaction.atomic
def service_import(*, actor: Any, kind: str, upload: IO[bytes]) -> ImportPlan:
    """Check the whole file, then write all of it in this one transaction, or nothing."""
    if kind not in SERVICE_TEMPLATES:
        raise ValidationError(_("未知的导入类型。"))
    plan = ImportPlan(kind=kind)
    try:
        rows = list(_rows(upload, kind, SERVICE_TEMPLATES))
    except ValidationError as exc:
        plan.errors.append(RowError(1, "；".join(exc.messages)))
        return plan
    plan.rows = len(rows)
    if not rows:
        plan.errors.append(RowError(2, _("文件中没有数据行。")))
        return plan
    (_plan_volunteers if kind == "volunteers" else _plan_attendance)(plan, actor, rows)
    plan.errors.sort(key=lambda error: error.row)
    if plan.errors:
        return plan
    try:
        if kind == "volunteers":
            for values in plan.objects:
                services.volunteer_register(actor=actor, **values)
        else:
            for activity, volunteer, came, left, hours in plan.objects:
                attendance = services.attendance_signup(
                    actor=actor,
                    activity=activity,
                    volunteer=volunteer,
                    channel=SignupChannel.IMPORT,
                )
                if came:
                    services.attendance_check_in(actor=actor, attendance=attendance, at=came)
                if came and left:
                    services.attendance_check_out(actor=actor, attendance=attendance, at=left)
                services.attendance_approve(actor=actor, attendance=attendance, hours=hours)
    except (ValidationError, Conflict) as exc:
        message = exc.message if isinstance(exc, Conflict) else "；".join(exc.messages)
        raise ValidationError(
            _("导入时出错（%(m)s），未导入任何数据，请刷新后重新上传。") % {"m": message}
        ) from None
    audit_record(
        action=AuditAction.CREATE, actor=actor, username="system", target=str(_("批量导入")),
        detail={"event": f"import.{kind}", "rows": len(plan.objects)},
    )  # fmt: skip
    return plan
