"""An activity's pages: publishing, its sign-ups and attendance (staff's side: sign up,
check in and out, approve hours, absent), residents served, photos, and its sign-up QR code
for volunteers' phones."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from governance.models import Resident, VulnerableTag
from grids.models import Station, StationKind

from .. import policies, service_forms, services
from .. import service_selectors as sel
from ..models import Activity, ActivityPhoto, Attendance, Volunteer
from ..selectors import communities_for, departments_for
from .base import act_once, require
from .service_people import form_page


@login_required
def activity_new(request: HttpRequest) -> HttpResponse:
    require(policies.can_run_service(request.user))
    form = service_forms.ActivityForm(
        request.POST or None,
        communities=communities_for(actor=request.user).order_by("path"),
        teams=sel.team_list(actor=request.user).order_by("area_path", "name"),
        stations=Station.objects.visible_to(request.user)
        .filter(kind=StationKind.RED_STATION, is_active=True)
        .order_by("area_path", "name"),
        units=departments_for(actor=request.user),
    )
    return form_page(
        request, form, title=_("发布志愿活动"), tab="activities", done=_("已发布活动。"),
        save=lambda data: services.activity_create(actor=request.user, **data),
        target=lambda a: reverse("volunteers:activity_detail", args=[a.pk]),
    )  # fmt: skip


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_use_service(request.user))
    activity = sel.activity_get(actor=request.user, pk=pk)
    may_run = policies.can_run_service(request.user, activity.area_path)
    join_url = request.build_absolute_uri(
        reverse("volunteers:activity_join", args=[activity.signup_token])
    )
    return render(
        request,
        "volunteers/service/activity_detail.html",
        {
            "activity": activity,
            "attendance": sel.activity_attendance(activity),
            "photos": list(activity.photos.all()),
            "may_run": may_run,
            "volunteers": (
                Volunteer.objects.filter(area_path=activity.area_path, is_active=True)
                .exclude(attendances__activity=activity)
                .order_by("name")[:500]
                if may_run
                else []
            ),
            "served": list(activity.residents_served.order_by("name")[:200]),
            "candidates": _candidates(request, activity) if may_run else [],
            "join_url": join_url,
            "qr": segno.make(join_url, error="m").svg_inline(scale=4) if may_run else "",
            "tab": "activities",
        },
    )


def _candidates(request: HttpRequest, activity: Activity) -> list[Resident]:
    """Residents of the activity's community in its target groups (any vulnerable group when
    it names none), not yet recorded as served."""
    tags = activity.target_tags or list(VulnerableTag.values)
    return list(
        Resident.objects.visible_to(request.user)
        .filter(area_path__startswith=activity.area_path, is_active=True, tags__overlap=tags)
        .exclude(pk__in=activity.residents_served.values("pk"))
        .order_by("name")[:200]
    )


ATTENDANCE_ACTIONS = {
    "check_in": (services.attendance_check_in, gettext_lazy("已签到。")),
    "check_out": (services.attendance_check_out, gettext_lazy("已签退。")),
    "absent": (services.attendance_absent, gettext_lazy("已登记缺席。")),
}


@login_required
@require_POST
def activity_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    activity = sel.activity_get(actor=request.user, pk=pk)

    def act() -> None:
        if action == "signup":
            volunteer = get_object_or_404(
                Volunteer.objects.visible_to(request.user), pk=request.POST.get("volunteer") or 0
            )
            services.attendance_signup(actor=request.user, activity=activity, volunteer=volunteer)
            messages.success(request, _("已报名。"))
        elif action in ATTENDANCE_ACTIONS or action == "approve":
            attendance = get_object_or_404(
                Attendance.objects.visible_to(request.user).filter(activity=activity),
                pk=request.POST.get("attendance") or 0,
            )
            if action == "approve":
                form = service_forms.HoursForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("请填写服务时长。"))
                services.attendance_approve(
                    actor=request.user, attendance=attendance, hours=form.cleaned_data["hours"]
                )
                messages.success(request, _("已确认服务时长。"))
            else:
                service, done = ATTENDANCE_ACTIONS[action]
                service(actor=request.user, attendance=attendance)
                messages.success(request, done)
        elif action == "served":
            served = service_forms.ServedForm(request.POST)
            if not served.is_valid():
                raise ValidationError(_("听众人次无效。"))
            residents = Resident.objects.visible_to(request.user).filter(
                pk__in=[int(r) for r in request.POST.getlist("residents") if r.isdigit()]
            )
            services.activity_record_served(
                actor=request.user, activity=activity, residents=list(residents),
                attendance_count=served.cleaned_data["attendance_count"],
            )  # fmt: skip
            messages.success(request, _("已登记。"))
        elif action in ("close", "cancel"):
            services.activity_close(
                actor=request.user, activity=activity, cancel=action == "cancel"
            )
            messages.success(request, _("活动已结项。") if action == "close" else _("活动已取消。"))
        elif action == "photo":
            upload = service_forms.PhotoForm(request.POST, request.FILES)
            if not upload.is_valid():
                raise ValidationError(_("请选择照片。"))
            services.activity_photo_add(
                actor=request.user, activity=activity, upload=upload.cleaned_data["photo"]
            )
            messages.success(request, _("已上传照片。"))
        else:
            raise Http404

    act_once(request, act)
    return redirect("volunteers:activity_detail", pk=activity.pk)


@login_required
def activity_photo(request: HttpRequest, pk: int) -> FileResponse:
    require(policies.can_use_service(request.user))
    photo = get_object_or_404(ActivityPhoto.objects.visible_to(request.user), pk=pk)
    field = photo.thumbnail if request.GET.get("thumb") and photo.thumbnail else photo.file
    response = FileResponse(field.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
