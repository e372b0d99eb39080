"""Excel import of volunteers and of attendance, in the pattern of the check-in imports: a
template, a check of every row, and an all-or-nothing write. A file with one bad row imports
nothing; each bad row is reported with its number and every reason."""

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
from common import imports
from common.errors import Conflict
from common.importjobs import import_runner
from common.imports import RowCheck
from governance.models import Area, AreaLevel

from . import policies, services
from .imports import ImportPlan, RowError, _id_text, _required, _text, spec, template_workbook
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
        "formats": {
            "姓名": gettext_lazy("文本，最多 50 字"),
            "手机号": gettext_lazy("11 位，按文本格式填写"),
            "所属社区": gettext_lazy("社区全称"),
            "加入队伍": gettext_lazy("本社区已登记的队伍名称；可不填"),
            "特长": gettext_lazy("文本，如 摄影、急救"),
            "可服务时间": gettext_lazy("文本，如 周末上午"),
        },
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
        "formats": {
            "活动编号": gettext_lazy("数字，见活动列表"),
            "手机号": gettext_lazy("11 位，按文本格式填写；须是已登记的志愿者"),
            "签到时间": gettext_lazy("日期和时间，如 2026-03-01 09:00；可不填"),
            "签退时间": gettext_lazy("日期和时间，如 2026-03-01 11:30，晚于签到时间；可不填"),
            "服务时长": gettext_lazy("小时数，如 2 或 1.5，不超过活动时长"),
        },
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


def _community(communities: dict[str, Area], actor: Any, row: dict[str, Any], header: str) -> Area:
    community = communities.get(_text(row, header))
    if community is None or not (actor is None or policies.can_run_service(actor, community.path)):
        raise ValidationError(
            _("社区“%(n)s”不存在或不在您的管辖范围。") % {"n": _text(row, header)}
        )
    return community


def _phone(row: dict[str, Any], header: str) -> str:
    phone = _id_text(row, header)
    if not (phone.isdigit() and len(phone) == 11 and phone.startswith("1")):
        raise ValidationError(_("手机号须为 11 位数字。"))
    return phone


def _plan_volunteers(plan: ImportPlan, actor: Any, rows: list[tuple[int, dict[str, Any]]]) -> None:
    communities = {
        a.name: a for a in Area.objects.filter(level=AreaLevel.COMMUNITY, is_active=True)
    }
    teams = {(t.community_id, t.name): t for t in VolunteerTeam.objects.all()}
    seen: dict[str, int] = {}
    checked = []
    for number, row in rows:
        check = RowCheck(number, row)
        check(_required, "volunteers", row, SERVICE_TEMPLATES)
        community = None
        if _text(row, "所属社区"):
            community = check(_community, communities, actor, row, "所属社区")
        phone = check.cell(_phone, "手机号", default="") if _text(row, "手机号") else ""
        team = None
        if community is not None and _text(row, "加入队伍"):
            team = teams.get((community.pk, _text(row, "加入队伍")))
            if team is None:
                check.messages.append(
                    _("队伍“%(t)s”不在%(c)s。") % {"t": _text(row, "加入队伍"), "c": community.name}
                )
        key = person_key(phone=phone) if phone else ""
        if key and key in seen:
            check.messages.append(_("与第 %(row)s 行手机号相同。") % {"row": seen[key]})
        if not check.report(plan) or community is None:
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


def _hours(row: dict[str, Any], header: str, activity: Activity | None) -> Decimal | None:
    try:
        hours = Decimal(_text(row, header))
    except InvalidOperation:
        raise ValidationError(_("服务时长须为数字。")) from None
    if activity is None:
        return hours
    length = Decimal(str(activity.length_hours))
    if not Decimal(0) < hours <= length:
        raise ValidationError(_("服务时长须大于 0 且不超过活动时长 %(h)s 小时。") % {"h": length})
    return hours


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
        check = RowCheck(number, row)
        check(_required, "attendance", row, SERVICE_TEMPLATES)
        code = _text(row, "活动编号")
        activity = activities.get(int(code)) if code.isdigit() else None
        if activity is not None and not (
            actor is None or policies.can_run_service(actor, activity.area_path)
        ):
            activity = None
        if activity is None and code:
            check.messages.append(_("活动编号“%(v)s”不存在或不在您的管辖范围。") % {"v": code})
        phone = check.cell(_id_text, "手机号", default="")
        came = check.cell(_moment, "签到时间")
        left = check.cell(_moment, "签退时间")
        if activity is not None:
            for moment, late in ((came, timedelta(0)), (left, LATE)):
                if (
                    moment is not None
                    and not activity.starts_at - EARLY <= moment <= activity.ends_at + late
                ):
                    check.messages.append(_("签到/签退时间不在活动时间内。"))
                    break
        if came and left and left <= came:
            check.messages.append(_("签退时间须晚于签到时间。"))
        hours = check.cell(_hours, "服务时长", activity) if _text(row, "服务时长") else None
        key = (activity.pk, blind_index(phone)) if activity is not None and phone else None
        if key is not None and key in seen:
            check.messages.append(
                _("与第 %(row)s 行重复（同一活动、同一人）。") % {"row": seen[key]}
            )
        if not check.report(plan) or key is None or activity is None or hours is None:
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


def service_import(
    *, actor: Any, kind: str, upload: IO[bytes], progress: imports.Progress = imports.SILENT
) -> ImportPlan:
    """Check the whole file (no transaction, no lock), then write all of it in one
    transaction, or nothing."""
    if kind not in SERVICE_TEMPLATES:
        raise ValidationError(_("未知的导入类型。"))
    plan, rows = imports.start_plan(upload, spec(kind, SERVICE_TEMPLATES), kind, progress)
    if plan.errors:
        return plan
    (_plan_volunteers if kind == "volunteers" else _plan_attendance)(plan, actor, rows)
    plan.errors.sort(key=lambda error: error.row)
    if plan.errors:
        return plan
    progress.phase(imports.WRITING, len(plan.objects))
    try:
        with transaction.atomic():
            _write(actor=actor, kind=kind, plan=plan, progress=progress)
    except (ValidationError, Conflict) as exc:
        message = exc.message if isinstance(exc, Conflict) else "；".join(exc.messages)
        raise ValidationError(
            _("导入时出错（%(m)s），未导入任何数据，请刷新后重新上传。") % {"m": message}
        ) from None
    return plan


def _write(*, actor: Any, kind: str, plan: ImportPlan, progress: imports.Progress) -> None:
    if kind == "volunteers":
        for done, values in enumerate(plan.objects, start=1):
            services.volunteer_register(actor=actor, **values)
            progress(done)
    else:
        for done, (activity, volunteer, came, left, hours) in enumerate(plan.objects, start=1):
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
            progress(done)
    audit_record(
        action=AuditAction.CREATE, actor=actor, username="system", target=str(_("批量导入")),
        detail={"event": f"import.{kind}", "rows": len(plan.objects)},
    )  # fmt: skip


@import_runner(summary=lambda plan: _("已导入 %(n)s 行。") % {"n": len(plan.objects)})
def service_import_job(
    *, actor: Any, upload: Any, params: dict[str, Any], progress: imports.Progress
) -> ImportPlan:
    """The worker's side of the volunteer and attendance import pages."""
    return service_import(actor=actor, kind=params["kind"], upload=upload, progress=progress)
