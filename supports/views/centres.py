"""Pages of the party-mass service centres: the ledger, a centre's page (rooms, stations,
checklist), bookings, service records and the counts per kind, centre and month."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import AuditAction
from accounts.services import audit_record
from common.errors import Conflict, message_errors
from common.excel import xlsx_response
from common.listpage import Action, Column, choice_column
from common.pages import form_action
from grids.models import ServiceKind, Station

from .. import forms, policies
from ..models import BookingStatus, Room, RoomBooking, ServiceCentre, ServiceLine, ServiceRecord
from ..selectors import centres as selectors
from ..services import centres as services
from .base import SupportsListPage, communities, form_page, pk_of, require, streets


def kinds_text(values: list[str]) -> str:
    return "、".join(str(ServiceKind(v).label) for v in values if v in ServiceKind.values)


def lines_text(values: list[str]) -> str:
    return "、".join(str(ServiceLine(v).label) for v in values if v in ServiceLine.values)


def _score_html(centre: Any) -> Any:
    if centre.score is None:
        return format_html("{}", "—")
    css = "staffing--ok" if centre.score >= 80 else "staffing--breach"
    return format_html('<span class="{}">{}</span>', css, centre.score)


def _centre_url(centre: Any) -> str:
    return reverse("supports:centre_detail", args=[centre.pk])


class CentreListPage(SupportsListPage):
    """Street and community centres in scope, with their standardisation score."""

    title = gettext_lazy("党群服务中心")
    export_name = gettext_lazy("党群服务中心台账")
    intro = gettext_lazy(
        "以街道党群服务中心为重点、社区党群服务中心为基础、网格党群服务站为支撑。"
        "标准化得分满分 100 分，80 分以上为达标。"
    )
    tab = "centres"
    table_id = "centre-table"
    empty_text = gettext_lazy("没有符合条件的党群服务中心。")
    default_ordering = "area"
    columns = (
        Column(gettext_lazy("名称"), attrgetter("name"), "name", link=_centre_url),
        choice_column(gettext_lazy("层级"), ServiceCentre, "level"),
        Column(gettext_lazy("所在街道/社区"), attrgetter("area.name"), "area"),
        Column(gettext_lazy("上级中心"), lambda c: c.parent.name if c.parent else ""),
        Column(gettext_lazy("服务内容"), lambda c: kinds_text(c.services)),
        Column(gettext_lazy("服务板块"), lambda c: lines_text(c.lines)),
        Column(gettext_lazy("功能室"), attrgetter("n_rooms"), "-rooms", css="num"),
        Column(gettext_lazy("网格服务站/驿站"), attrgetter("n_stations"), css="num"),
        Column(
            gettext_lazy("标准化得分"), attrgetter("score"), "-score", css="num", html=_score_html
        ),
    )
    export_columns = (
        *columns[:6],
        Column(gettext_lazy("地址"), attrgetter("address")),
        Column(gettext_lazy("开放时间"), attrgetter("opening_hours")),
        Column(gettext_lazy("服务电话"), attrgetter("phone")),
        *columns[6:],
    )

    def allowed(self, user: Any) -> bool:
        return policies.can_view_centres(user)

    def get_form(self) -> forms.CentreFilterForm:
        return forms.CentreFilterForm(self.request.GET or None, streets=streets(self.request))

    def get_rows(self) -> Any:
        return selectors.centre_list(
            actor=self.request.user,
            level=self.filters.get("level", ""),
            street=self.filters.get("street"),
            service=self.filters.get("service", ""),
            line=self.filters.get("line", ""),
            search=self.filters.get("q", ""),
            ordering=self.ordering,
        )

    def prepare(self, rows: list[Any]) -> None:
        for row in rows:
            selectors.decorate_score(row)

    def get_actions(self) -> list[Action]:
        if not policies.can_manage_centre(self.request.user):
            return []
        return [Action(_("新建服务中心"), reverse("supports:centre_create"), "primary")]


centre_list = CentreListPage.as_view()


def _centre_areas(request: HttpRequest) -> Any:
    keepers = policies.CENTRE_KEEPERS
    return (streets(request, keepers) | communities(request, keepers)).filter(
        service_centre__isnull=True
    )


@login_required
def centre_create(request: HttpRequest) -> HttpResponse:
    require(policies.can_manage_centre(request.user))
    form = forms.CentreForm(request.POST or None, areas=_centre_areas(request))

    def save(data: dict[str, Any]) -> ServiceCentre:
        data.pop("version", None)
        return services.centre_create(actor=request.user, **data)

    return form_page(
        request,
        form,
        save=save,
        message=lambda centre: _("“%(name)s”已建立。") % {"name": centre.name},
        success_url=_centre_url,
        title=_("新建党群服务中心"),
        tab="centres",
    )


@login_required
def centre_edit(request: HttpRequest, pk: int) -> HttpResponse:
    centre = selectors.centre_get(actor=request.user, pk=pk)
    require(policies.can_manage_centre(request.user, centre.area_path))
    initial = {field: getattr(centre, field) for field in services.CENTRE_FIELDS}
    initial["version"] = centre.updated_at.isoformat()
    form = forms.CentreForm(request.POST or None, initial=initial, areas=None, editing=True)

    def save(data: dict[str, Any]) -> Any:
        seen = parse_datetime(data.pop("version") or "")
        return services.centre_update(
            actor=request.user, centre=centre, expected_updated_at=seen, **data
        )

    return form_page(
        request,
        form,
        save=save,
        message=_("已保存。"),
        success_url=_centre_url(centre),
        title=_("编辑：%(name)s") % {"name": centre.name},
        tab="centres",
        back=_centre_url(centre),
    )


@login_required
def centre_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_view_centres(request.user))
    centre = selectors.centre_get(actor=request.user, pk=pk)
    user = request.user
    checklist = selectors.checklist_of(centre)
    year = timezone.localdate().year
    counts = selectors.service_counts(actor=user, year=year, centre=centre.pk)
    can_book = policies.can_book_room(user, centre.area_path)
    rooms = selectors.rooms_of(actor=user, centre=centre)
    context: dict[str, Any] = {
        "centre": centre,
        "services": kinds_text(centre.services),
        "lines": lines_text(centre.lines),
        "children": list(selectors.children_of(actor=user, centre=centre)),
        "stations": list(selectors.stations_under(actor=user, centre=centre)),
        "rooms": rooms,
        "checklist": checklist,
        "year": year,
        "kind_stats": list(zip(ServiceKind.labels, selectors.kind_totals(counts), strict=True)),
        "records_total": sum(row.total for row in counts),
        "can_manage": policies.can_manage_centre(user, centre.area_path),
        "can_check": policies.can_check_standard(user, centre.area_path),
        "can_book": can_book and bool(rooms),
        "can_record": policies.can_record_service(user, centre.area_path),
    }
    if context["can_manage"]:
        context["room_form"] = forms.RoomForm()
    if context["can_check"]:
        context["checklist_form"] = forms.ChecklistForm(lines=checklist.lines)
    return render(request, "supports/centre_detail.html", context)


@login_required
@require_POST
def room_add(request: HttpRequest, pk: int) -> HttpResponse:
    centre = selectors.centre_get(actor=request.user, pk=pk)
    require(policies.can_manage_centre(request.user, centre.area_path))
    form_action(
        request,
        forms.RoomForm(request.POST),
        save=lambda data: services.room_add(actor=request.user, centre=centre, **data),
        message=_("功能室已添加。"),
        invalid=_("请填写功能室名称和容纳人数。"),
    )
    return redirect("supports:centre_detail", pk=centre.pk)


@login_required
@require_POST
def checklist_check(request: HttpRequest, pk: int) -> HttpResponse:
    centre = selectors.centre_get(actor=request.user, pk=pk)
    require(policies.can_check_standard(request.user, centre.area_path))
    form = forms.ChecklistForm(request.POST, lines=selectors.checklist_of(centre).lines)
    form_action(
        request,
        form,
        save=lambda data: services.checklist_check(
            actor=request.user, centre=centre, results=form.results(), checked_on=data["checked_on"]
        ),
        message=lambda _result: (
            _("检查结果已保存，得分 %(score)s。") % {"score": selectors.checklist_of(centre).score}
        ),
        invalid=_("请填写检查日期。"),
    )
    return redirect("supports:centre_detail", pk=centre.pk)


# --- Bookings ---------------------------------------------------------------------------------


def _booking_state(booking: Any) -> Any:
    if booking.status == BookingStatus.CANCELLED:
        return format_html('<span class="badge badge--plain">{}</span>', _("已取消"))
    if booking.ends_at < timezone.now():
        return format_html('<span class="badge badge--plain">{}</span>', _("已结束"))
    return format_html('<span class="badge">{}</span>', booking.get_status_display())


class BookingListPage(SupportsListPage):
    title = gettext_lazy("功能室预约")
    export_name = gettext_lazy("功能室预约台账")
    tab = "bookings"
    table_id = "booking-table"
    empty_text = gettext_lazy("没有符合条件的预约。")
    default_ordering = "start"
    columns = (
        Column(gettext_lazy("开始时间"), attrgetter("starts_at"), "start", date_format="Y-m-d H:i"),
        Column(gettext_lazy("结束时间"), attrgetter("ends_at"), date_format="Y-m-d H:i"),
        Column(
            gettext_lazy("服务中心"),
            attrgetter("room.centre.name"),
            "room",
            link=lambda b: _centre_url(b.room.centre),
        ),
        Column(gettext_lazy("功能室"), attrgetter("room.name")),
        Column(gettext_lazy("活动/会议"), attrgetter("title")),
        Column(gettext_lazy("组织方"), attrgetter("organiser")),
        Column(gettext_lazy("预计人数"), attrgetter("attendees"), css="num"),
        Column(gettext_lazy("预约人"), lambda b: b.booked_by.display_name if b.booked_by else ""),
        choice_column(gettext_lazy("状态"), RoomBooking, "status", html=_booking_state),
        Column(gettext_lazy("操作"), lambda b: "", html=attrgetter("cancel_html"), hide_label=True),
    )
    export_columns = columns[:-1]

    def allowed(self, user: Any) -> bool:
        return policies.can_view_centres(user)

    def prepare(self, rows: list[Any]) -> None:
        """A cancel button on the bookings the user may still cancel."""
        if self.exporting:
            return
        token, now = get_token(self.request), timezone.now()
        for row in rows:
            row.cancel_html = format_html("{}", "")
            open_ = row.status == BookingStatus.BOOKED and row.ends_at > now
            if open_ and policies.can_cancel_booking(self.request.user, row):
                row.cancel_html = format_html(
                    '<form method="post" action="{}" class="inline-form">'
                    '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
                    '<input type="hidden" name="next" value="{}">'
                    '<button type="submit" class="button button--plain">{}</button></form>',
                    reverse("supports:booking_cancel", args=[row.pk]),
                    token,
                    self.request.get_full_path(),
                    _("取消预约"),
                )

    def get_form(self) -> forms.BookingFilterForm:
        centres = ServiceCentre.objects.visible_to(self.request.user).order_by("area_path")
        return forms.BookingFilterForm(self.request.GET or None, centres=centres)

    def get_rows(self) -> Any:
        return selectors.booking_list(
            actor=self.request.user,
            centre=pk_of(self.filters.get("centre")),
            status=self.filters.get("status", ""),
            when=self.filters.get("when", "") if self.form and self.form.is_bound else "coming",
            search=self.filters.get("q", ""),
            ordering=self.ordering,
        )

    def get_actions(self) -> list[Action]:
        if not policies.can_book_room(self.request.user):
            return []
        return [Action(_("预约功能室"), reverse("supports:booking_create"), "primary")]


booking_list = BookingListPage.as_view()


@login_required
def booking_create(request: HttpRequest) -> HttpResponse:
    require(policies.can_book_room(request.user))
    rooms = (
        Room.objects.visible_to(request.user)
        .filter(is_active=True, centre__is_active=True)
        .select_related("centre")
        .order_by("area_path", "name")
    )
    rooms = rooms.filter(
        pk__in=[r.pk for r in rooms if policies.can_book_room(request.user, r.area_path)]
    )
    initial = {"room": request.GET.get("room")} if request.GET.get("room") else None
    form = forms.BookingForm(request.POST or None, rooms=rooms, initial=initial)
    return form_page(
        request,
        form,
        save=lambda data: services.room_book(actor=request.user, **data),
        message=lambda booking: _("已预约“%(room)s”。") % {"room": booking.room},
        success_url="supports:booking_list",
        title=_("预约功能室"),
        tab="bookings",
        intro=_("同一功能室同一时段只能预约一次；已被预约的时段会被拒绝。"),
        back=reverse("supports:booking_list"),
    )


@login_required
@require_POST
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = get_object_or_404(RoomBooking.objects.visible_to(request.user), pk=pk)
    require(policies.can_cancel_booking(request.user, booking))
    try:
        services.booking_cancel(actor=request.user, booking=booking)
    except Conflict as exc:
        message_errors(request, exc)
    else:
        messages.success(request, _("预约已取消。"))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("supports:booking_list")
    return redirect(target)


# --- Service records --------------------------------------------------------------------------


class RecordListPage(SupportsListPage):
    title = gettext_lazy("服务记录")
    export_name = gettext_lazy("服务记录台账")
    tab = "records"
    table_id = "record-table"
    empty_text = gettext_lazy("没有符合条件的服务记录。")
    default_ordering = "-date"
    columns = (
        Column(gettext_lazy("服务日期"), attrgetter("served_on"), "-date"),
        Column(gettext_lazy("服务场所"), lambda r: r.place.name),
        choice_column(gettext_lazy("服务类别"), ServiceRecord, "kind", "kind"),
        choice_column(gettext_lazy("服务板块"), ServiceRecord, "line"),
        Column(gettext_lazy("服务内容"), attrgetter("content")),
        Column(gettext_lazy("服务对象"), attrgetter("served")),
        Column(gettext_lazy("服务人次"), attrgetter("people"), "-people", css="num"),
        Column(gettext_lazy("服务人员"), attrgetter("served_by")),
    )

    def allowed(self, user: Any) -> bool:
        return policies.can_view_centres(user)

    def get_form(self) -> forms.RecordFilterForm:
        centres = ServiceCentre.objects.visible_to(self.request.user).order_by("area_path")
        return forms.RecordFilterForm(self.request.GET or None, centres=centres)

    def get_rows(self) -> Any:
        return selectors.record_list(
            actor=self.request.user,
            centre=pk_of(self.filters.get("centre")),
            kind=self.filters.get("kind", ""),
            line=self.filters.get("line", ""),
            month=self.filters.get("month"),
            search=self.filters.get("q", ""),
            ordering=self.ordering,
        )

    def get_actions(self) -> list[Action]:
        actions = [Action(_("服务统计"), reverse("supports:service_counts"))]
        if policies.can_record_service(self.request.user):
            actions.insert(0, Action(_("登记服务"), reverse("supports:record_create"), "primary"))
        return actions


record_list = RecordListPage.as_view()


@login_required
def record_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    require(policies.can_record_service(user))
    centres = [
        c
        for c in ServiceCentre.objects.visible_to(user).filter(is_active=True).order_by("area_path")
        if policies.can_record_service(user, c.area_path)
    ]
    stations = [
        s
        for s in Station.objects.visible_to(user)
        .filter(is_active=True)
        .order_by("area_path", "name")
        if policies.can_record_service(user, s.area_path)
    ]
    form = forms.RecordForm(request.POST or None, centres=centres, stations=stations)
    return form_page(
        request,
        form,
        save=lambda _data: services.service_record(actor=user, **form.service_kwargs()),
        message=_("服务记录已登记。"),
        success_url="supports:record_list",
        title=_("登记服务"),
        tab="records",
        back=reverse("supports:record_list"),
    )


@login_required
def service_counts(request: HttpRequest) -> HttpResponse:
    """Services per kind, place and month of a year (the seven kinds as columns)."""
    require(policies.can_view_centres(request.user))
    centres = ServiceCentre.objects.visible_to(request.user).order_by("area_path")
    year = timezone.localdate().year
    form = forms.CountsForm(request.GET or {"year": year}, centres=centres)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {"year": year}
    rows = selectors.service_counts(
        actor=request.user,
        year=data["year"],
        centre=pk_of(data.get("centre")),
        kind=str(data.get("kind", "")),
    )
    kinds = [str(label) for label in ServiceKind.labels]
    if request.GET.get("export") == "xlsx":
        name = _("服务统计（按类别、场所、月份）")
        audit_record(action=AuditAction.EXPORT, actor=request.user, request=request, target=name)
        return xlsx_response(
            filename=name,
            title=name,
            headers=[_("服务场所"), _("月份"), *kinds, _("合计"), _("服务人次")],
            rows=(
                [
                    row.place.name,
                    f"{data['year']}-{row.month:02d}",
                    *row.counts(),
                    row.total,
                    row.people,
                ]
                for row in rows
            ),
        )
    for row in rows:
        row.cells = list(zip(kinds, row.counts(), strict=True))  # type: ignore[attr-defined]
    return render(
        request,
        "supports/service_counts.html",
        {
            "form": form,
            "rows": rows,
            "kinds": kinds,
            "totals": selectors.kind_totals(rows),
            "total": sum(row.total for row in rows),
            "people": sum(row.people for row in rows),
            "year": data["year"],
            "query": request.GET.urlencode(),
        },
    )
