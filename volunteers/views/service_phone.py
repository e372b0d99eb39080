"""Phone pages without an account. A volunteer's own page (their secret link): hours, stars,
points, activities to sign up for, check-in and check-out, wishes to claim and fulfil. An
activity's sign-up page (its QR code): a registered volunteer of the community signs up with
their phone number; the page never tells who else is registered."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.personal_data import blind_index
from common.errors import Conflict

from .. import service_forms, services
from .. import service_selectors as sel
from ..models import Activity, Volunteer, Wish
from ..services.members import clean_phone
from .base import refusal


def volunteer_phone(request: HttpRequest, token: str) -> HttpResponse:
    volunteer = sel.volunteer_by_token(token)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            _act(request, volunteer, action)
        except (ValidationError, Conflict) as exc:
            refusal(request, exc)
        return redirect("volunteers:volunteer_phone", token=token)
    return render(
        request,
        "volunteers/service/volunteer_phone.html",
        {
            "volunteer": volunteer,
            **sel.volunteer_record(volunteer),
            "open": sel.open_activities(volunteer),
            "wishes": sel.wishes_to_claim(volunteer),
            "mine": list(
                Wish.objects.filter(claimant_volunteer=volunteer, state="claimed").order_by(
                    "claimed_at"
                )
            ),
        },
    )


def _act(request: HttpRequest, volunteer: Volunteer, action: str) -> None:
    """The volunteer's own actions: every object is looked up among theirs (or their
    community's, to sign up and claim); anything else is 404."""
    ident = request.POST.get("id") or 0
    if action == "signup":
        activity = Activity.objects.filter(area_path=volunteer.area_path, pk=ident).first()
        if activity is None:
            raise Http404
        services.attendance_signup(
            actor=None, activity=activity, volunteer=volunteer, by_volunteer=True
        )
        messages.success(request, _("报名成功。"))
    elif action in ("check_in", "check_out"):
        attendance = volunteer.attendances.filter(pk=ident).first()
        if attendance is None:
            raise Http404
        service = (
            services.attendance_check_in if action == "check_in" else services.attendance_check_out
        )
        service(actor=None, attendance=attendance, by_volunteer=True)
        messages.success(request, _("已签到。") if action == "check_in" else _("已签退。"))
    elif action == "claim":
        wish = Wish.objects.filter(area_path=volunteer.area_path, pk=ident).first()
        if wish is None:
            raise Http404
        services.wish_claim(actor=None, wish=wish, volunteer=volunteer, by_volunteer=True)
        messages.success(request, _("认领成功，请尽快帮助实现心愿。"))
    elif action == "fulfil":
        wish = Wish.objects.filter(claimant_volunteer=volunteer, pk=ident).first()
        if wish is None:
            raise Http404
        services.wish_fulfil(
            actor=None, wish=wish, photo=request.FILES.get("photo"),
            note=request.POST.get("note", ""), by_volunteer=True,
        )  # fmt: skip
        messages.success(request, _("已登记实现，待社区确认。"))
    else:
        raise Http404


def activity_join(request: HttpRequest, token: str) -> HttpResponse:
    activity = sel.activity_by_token(token)
    form = service_forms.PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            phone = clean_phone(form.cleaned_data["phone"])
            volunteer = Volunteer.objects.filter(
                area_path=activity.area_path, phone_hash=blind_index(phone), is_active=True
            ).first()
            if volunteer is None:
                raise ValidationError(
                    {"phone": _("该手机号不是%(c)s登记的志愿者，请联系社区登记。")
                     % {"c": activity.community.name}}
                )  # fmt: skip
            services.attendance_signup(
                actor=None, activity=activity, volunteer=volunteer, by_volunteer=True
            )
        except (ValidationError, Conflict) as exc:
            refusal(request, exc)
        else:
            messages.success(request, _("报名成功，请按时参加。"))
        return redirect("volunteers:activity_join", token=token)
    return render(
        request, "volunteers/service/activity_join.html", {"activity": activity, "form": form}
    )
