"""The wish board (微心愿: post, review, claim, fulfil with a photo, confirm, thank), the
micro-services with their records, and the points shop's items."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common import once
from common.errors import Conflict
from governance.models import Department
from grids.models import Grid

from .. import policies, service_forms, services
from .. import service_selectors as sel
from ..models import MemberCheckIn, Volunteer
from ..selectors import communities_for
from ..wish_workflow import WISH_TRANSITIONS
from .base import act_once, refusal, require
from .service_people import form_page


@login_required
def wish_new(request: HttpRequest) -> HttpResponse:
    require(policies.can_post_wish(request.user))
    form = service_forms.WishForm(
        request.POST or None,
        communities=communities_for(actor=request.user).order_by("path"),
        grids=Grid.objects.visible_to(request.user).filter(is_active=True).order_by("code"),
    )
    return form_page(
        request, form, title=_("登记微心愿"), tab="wishes", done=_("已登记，待社区审核。"),
        save=lambda data: services.wish_post(actor=request.user, **data),
        target=lambda w: reverse("volunteers:wish_detail", args=[w.pk]),
    )  # fmt: skip


@login_required
def wish_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_use_service(request.user))
    wish = sel.wish_get(actor=request.user, pk=pk)
    may_run = policies.can_run_service(request.user, wish.area_path)
    may_post = policies.can_post_wish(request.user, wish.area_path)
    actions = [
        t
        for t in WISH_TRANSITIONS.values()
        if t.source == wish.state and (may_run if t.who == "keeper" else may_post)
    ]
    return render(
        request,
        "volunteers/service/wish_detail.html",
        {
            "wish": wish,
            "actions": actions,
            "volunteers": Volunteer.objects.filter(
                area_path=wish.area_path, is_active=True
            ).order_by("name")[:500],
            "members": MemberCheckIn.objects.visible_to(request.user)
            .filter(area_path=wish.area_path, ended_on__isnull=True)
            .order_by("name")[:500],
            "units": Department.objects.filter(is_active=True).order_by("code"),
            "tab": "wishes",
        },
    )


@login_required
@require_POST
def wish_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    wish = sel.wish_get(actor=request.user, pk=pk)
    if action not in WISH_TRANSITIONS:
        raise Http404
    note = request.POST.get("note", "")

    def act() -> None:
        if action in ("publish", "reject"):
            services.wish_review(
                actor=request.user, wish=wish, approve=action == "publish", note=note
            )
        elif action == "claim":
            kind, _sep, ident = request.POST.get("claimant", "").partition(":")
            if not ident.isdigit():
                raise ValidationError(_("请选择认领方。"))
            claimant = {
                "volunteer": lambda: get_object_or_404(
                    Volunteer.objects.visible_to(request.user), pk=ident
                ),
                "member": lambda: get_object_or_404(
                    MemberCheckIn.objects.visible_to(request.user), pk=ident
                ),
                "unit": lambda: get_object_or_404(Department, pk=ident, is_active=True),
            }.get(kind)
            if claimant is None:
                raise ValidationError(_("请选择认领方。"))
            field = {"volunteer": "volunteer", "member": "member_checkin", "unit": "unit"}[kind]
            services.wish_claim(actor=request.user, wish=wish, **{field: claimant()})
        elif action == "fulfil":
            services.wish_fulfil(
                actor=request.user, wish=wish, photo=request.FILES.get("photo"), note=note
            )
        elif action == "confirm":
            services.wish_confirm(actor=request.user, wish=wish)
        else:
            services.wish_thank(actor=request.user, wish=wish, note=note)
        messages.success(request, _("已%(a)s。") % {"a": WISH_TRANSITIONS[action].label})

    act_once(request, act)
    return redirect("volunteers:wish_detail", pk=wish.pk)


@login_required
def wish_photo(request: HttpRequest, pk: int) -> FileResponse:
    require(policies.can_use_service(request.user))
    wish = sel.wish_get(actor=request.user, pk=pk)
    if not wish.photo:
        raise Http404
    response = FileResponse(wish.photo.open("rb"), content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def micro_new(request: HttpRequest) -> HttpResponse:
    require(policies.can_run_service(request.user))
    form = service_forms.MicroServiceForm(
        request.POST or None, communities=communities_for(actor=request.user).order_by("path")
    )
    return form_page(
        request, form, title=_("新增微服务"), tab="micro", done=_("已新增微服务。"),
        save=lambda data: services.micro_service_add(actor=request.user, **data),
        target=lambda m: reverse("volunteers:micro_detail", args=[m.pk]),
    )  # fmt: skip


@login_required
def micro_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_use_service(request.user))
    service = sel.micro_get(actor=request.user, pk=pk)
    may_run = policies.can_run_service(request.user, service.area_path)
    form = once.protect(service_forms.MicroRecordForm(request.POST or None))
    if request.method == "POST":
        require(may_run)

        def run() -> HttpResponse | bool:
            try:
                data = once.without_token(form.cleaned_data)
                services.micro_record_add(actor=request.user, service=service, **data)
            except (ValidationError, Conflict) as exc:
                refusal(request, exc)
                return False
            messages.success(request, _("已登记服务记录。"))
            return redirect("volunteers:micro_detail", pk=service.pk)

        if not form.is_valid():
            messages.error(request, _("请检查服务记录。"))
        elif done := once.submit_once(request, run):
            return done
    return render(
        request,
        "volunteers/service/micro_detail.html",
        {
            "service": service,
            "records": list(service.records.select_related("volunteer")[:200]),
            "form": form if may_run else None,
            "tab": "micro",
        },
    )


@login_required
def shop_new(request: HttpRequest) -> HttpResponse:
    require(policies.can_run_service(request.user))
    form = service_forms.ShopItemForm(
        request.POST or None, communities=communities_for(actor=request.user).order_by("path")
    )
    return form_page(
        request, form, title=_("上架积分超市物品"), tab="shop", done=_("已上架。"),
        save=lambda data: services.shop_item_add(actor=request.user, **data),
        target=lambda _item: reverse("volunteers:shop_list"),
    )  # fmt: skip
