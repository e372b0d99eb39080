"""Pages of the governance backbone: the two tree browsers, detail pages and the ledgers
(households, residents, party members, needs) with filters, sorting, pagination, Excel export
and import. Each view parses input, resolves objects through a scoped selector, calls one
service and renders."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import AuditAction
from accounts.personal_data import show_id_number, show_phone, wants_unmask
from accounts.services import audit_record, audit_unmask, audit_unmask_list
from common.excel import XLSX, xlsx_response
from common.listing import list_query

from . import filters, policies, selectors, services
from .forms import (
    HouseholdForm,
    ImportForm,
    NeedCompleteForm,
    NeedForm,
    NeedTakeForm,
    ResidentForm,
)
from .imports import TEMPLATES, ImportKind, template_workbook
from .models import Area, AreaLevel, RelationToHead

PAGE_SIZE = 20
EXPORT_LIMIT = 50_000


def _need(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- Tree browsers ----------------------------------------------------------------------------


@login_required
def area_tree(request: HttpRequest) -> HttpResponse:
    """The territory tree: the actor's top areas, children loaded on demand (htmx); ``q``
    searches names, codes and pinyin initials."""
    _need(policies.can_browse_tree(request.user))
    query = request.GET.get("q", "").strip()
    context: dict[str, Any] = {"query": query}
    if query:
        context["results"] = selectors.area_search(actor=request.user, query=query)
    else:
        context["nodes"] = list(selectors.area_tops(actor=request.user))
    return render(request, "governance/area_tree.html", context)


@login_required
def area_children(request: HttpRequest, pk: int) -> HttpResponse:
    _need(policies.can_browse_tree(request.user))
    parent = selectors.area_get(actor=request.user, pk=pk)
    nodes = list(selectors.area_children(actor=request.user, parent=parent))
    return render(request, "governance/_area_nodes.html", {"nodes": nodes})


@login_required
def area_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _need(policies.can_browse_tree(request.user))
    area = selectors.area_get(actor=request.user, pk=pk)
    selectors.attach_trail([area])
    context: dict[str, Any] = {
        "area": area,
        "children": list(selectors.area_children(actor=request.user, parent=area)),
        "coverage": selectors.coverage_for(area),
        "orgs": list(selectors.party_org_list(actor=request.user).filter(area=area)),
        "can_maintain": policies.can_maintain_tree(request.user),
    }
    if policies.can_read_ledgers(request.user):
        context["counts"] = selectors.subtree_counts(actor=request.user, area=area)
    if area.level == AreaLevel.BUILDING and policies.can_keep_ledger(request.user, area.path):
        context["household_form"] = HouseholdForm(
            buildings=Area.objects.filter(pk=area.pk), initial={"building": area.pk}
        )
    return render(request, "governance/area_detail.html", context)


@login_required
def org_tree(request: HttpRequest) -> HttpResponse:
    _need(policies.can_browse_tree(request.user))
    query = request.GET.get("q", "").strip()
    context: dict[str, Any] = {"query": query}
    if query:
        context["results"] = selectors.party_org_search(actor=request.user, query=query)
    else:
        context["nodes"] = selectors.party_org_tops(actor=request.user)
    return render(request, "governance/org_tree.html", context)


@login_required
def org_children(request: HttpRequest, pk: int) -> HttpResponse:
    _need(policies.can_browse_tree(request.user))
    parent = selectors.party_org_get(actor=request.user, pk=pk)
    nodes = list(selectors.party_org_children(actor=request.user, parent=parent))
    return render(request, "governance/_org_nodes.html", {"nodes": nodes})


@login_required
def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _need(policies.can_browse_tree(request.user))
    org = selectors.party_org_get(actor=request.user, pk=pk)
    context: dict[str, Any] = {
        "org": org,
        "children": list(selectors.party_org_children(actor=request.user, parent=org)),
        "coverage": selectors.coverage_for(org.area),
    }
    if policies.can_read_ledgers(request.user):
        members = selectors.member_list(actor=request.user).filter(org=org)
        context["members"] = list(members[:100])
        context["member_count"] = members.count()
    return render(request, "governance/org_detail.html", context)


# --- Ledgers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    label: Any
    value: Callable[[Any, bool], Any]
    sort: str = ""
    personal: bool = False


@dataclass(frozen=True)
class Ledger:
    key: str
    title: Any
    selector: Callable[..., Any]
    filterset: type[filters.ScopedFilterSet]
    columns: tuple[Column, ...]
    detail_url: str
    import_kind: str = ""

    @property
    def personal(self) -> bool:
        return any(column.personal for column in self.columns)


def _address(row: Any) -> str:
    household = getattr(row, "household", row)
    if household is None:
        return ""
    return f"{getattr(row, 'estate_name', '')} {household.building.name} {household.address}"


def _yes(value: bool) -> str:
    return _("是") if value else ""


LEDGERS: dict[str, Ledger] = {
    "households": Ledger(
        key="households",
        title=gettext_lazy("住户台账"),
        selector=selectors.household_list,
        filterset=filters.HouseholdFilter,
        detail_url="governance:household_detail",
        import_kind=ImportKind.RESIDENTS,
        columns=(
            Column(gettext_lazy("地址"), lambda h, u: _address(h), "address"),
            Column(gettext_lazy("户主"), lambda h, u: h.head_name, "head_name"),
            Column(gettext_lazy("备注"), lambda h, u: h.note),
            Column(gettext_lazy("在册"), lambda h, u: _yes(h.is_active)),
            Column(gettext_lazy("更新时间"), lambda h, u: h.updated_at, "updated"),
        ),
    ),
    "residents": Ledger(
        key="residents",
        title=gettext_lazy("居民台账"),
        selector=selectors.resident_list,
        filterset=filters.ResidentFilter,
        detail_url="governance:resident_detail",
        import_kind=ImportKind.RESIDENTS,
        columns=(
            Column(gettext_lazy("姓名"), lambda r, u: r.name, "name"),
            Column(gettext_lazy("性别"), lambda r, u: r.get_gender_display()),
            Column(gettext_lazy("出生日期"), lambda r, u: r.birth_date, "birth_date"),
            Column(
                gettext_lazy("身份证号"), lambda r, u: show_id_number(r.id_number, u), personal=True
            ),
            Column(gettext_lazy("手机号"), lambda r, u: show_phone(r.phone, u), personal=True),
            Column(gettext_lazy("住址"), lambda r, u: _address(r), "address"),
            Column(gettext_lazy("与户主关系"), lambda r, u: r.get_relation_display()),
            Column(gettext_lazy("关爱标签"), lambda r, u: "、".join(r.get_tags_display())),
        ),
    ),
    "members": Ledger(
        key="members",
        title=gettext_lazy("党员台账"),
        selector=selectors.member_list,
        filterset=filters.PartyMemberFilter,
        detail_url="governance:member_detail",
        import_kind=ImportKind.MEMBERS,
        columns=(
            Column(gettext_lazy("姓名"), lambda m, u: m.name, "name"),
            Column(gettext_lazy("性别"), lambda m, u: m.get_gender_display()),
            Column(
                gettext_lazy("身份证号"), lambda m, u: show_id_number(m.id_number, u), personal=True
            ),
            Column(gettext_lazy("手机号"), lambda m, u: show_phone(m.phone, u), personal=True),
            Column(gettext_lazy("所在党组织"), lambda m, u: m.org.name, "org"),
            Column(gettext_lazy("党员类别"), lambda m, u: m.get_status_display()),
            Column(gettext_lazy("入党日期"), lambda m, u: m.joined_on, "joined_on"),
            Column(gettext_lazy("工作单位"), lambda m, u: m.employer),
            Column(gettext_lazy("住址"), lambda m, u: _address(m) if m.household_id else ""),
            Column(gettext_lazy("党员户挂牌"), lambda m, u: _yes(m.household_plaque)),
            Column(gettext_lazy("党员示范岗"), lambda m, u: _yes(m.model_post)),
        ),
    ),
    "needs": Ledger(
        key="needs",
        title=gettext_lazy("需求台账"),
        selector=selectors.need_list,
        filterset=filters.NeedsLedgerFilter,
        detail_url="governance:household_detail",
        import_kind=ImportKind.NEEDS,
        columns=(
            Column(gettext_lazy("登记日期"), lambda n, u: n.raised_on, "raised_on"),
            Column(gettext_lazy("住户"), lambda n, u: _address(n), ""),
            Column(gettext_lazy("户主"), lambda n, u: n.household.head_name),
            Column(gettext_lazy("需求类别"), lambda n, u: n.get_kind_display(), "kind"),
            Column(gettext_lazy("需求描述"), lambda n, u: n.description),
            Column(gettext_lazy("状态"), lambda n, u: n.get_status_display(), "status"),
            Column(gettext_lazy("认领人/单位"), lambda n, u: n.taken_by),
            Column(gettext_lazy("认领日期"), lambda n, u: n.taken_on),
            Column(gettext_lazy("办结日期"), lambda n, u: n.done_on),
            Column(gettext_lazy("办理结果"), lambda n, u: n.result),
        ),
    ),
}


def _in_chunks(rows: Any, size: int = 2000) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for row in rows.iterator(chunk_size=size):
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _export_rows(ledger: Ledger, rows: Any, unmask: bool) -> Iterable[list[Any]]:
    for chunk in _in_chunks(rows[:EXPORT_LIMIT]):
        selectors.attach_estate_names(chunk)
        for row in chunk:
            yield [column.value(row, unmask) for column in ledger.columns]


@login_required
def ledger_home(request: HttpRequest) -> HttpResponse:
    """The ledgers' entry: the household ledger."""
    return ledger(request, "households")


@login_required
def ledger(request: HttpRequest, key: str) -> HttpResponse:
    """One ledger page: filters (``within`` a street/community/residential area, search, …),
    sorting (``o``), pagination, Excel export (``export=xlsx``). ID numbers and phones are
    masked; a holder of the unmask permission adds ``unmask=1`` and the view is audited."""
    _need(policies.can_read_ledgers(request.user))
    spec = LEDGERS.get(key)
    if spec is None:
        raise Http404
    filterset = spec.filterset(
        request.GET,
        queryset=spec.selector(actor=request.user),
        request=request,
        area_choices=request.GET.get("export") != "xlsx",
    )
    rows = filterset.qs if filterset.is_valid() else spec.selector(actor=request.user).none()
    unmask = spec.personal and wants_unmask(request)
    if request.GET.get("export") == "xlsx":
        audit_record(
            action=AuditAction.EXPORT,
            actor=request.user,
            request=request,
            target=str(spec.title),
            detail={"query": request.GET.urlencode()[:500], "unmask": unmask},
        )
        if unmask:
            audit_unmask_list(
                actor=request.user,
                what=f"{spec.title} export",
                ids=list(rows.values_list("pk", flat=True)[:EXPORT_LIMIT]),
                fields=["id_number", "phone"],
                request=request,
            )
        return xlsx_response(
            filename=str(spec.title),
            title=str(spec.title),
            headers=[str(column.label) for column in spec.columns],
            rows=_export_rows(spec, rows, unmask),
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.attach_estate_names(page.object_list)
    if unmask:
        audit_unmask_list(
            actor=request.user,
            what=str(spec.title),
            ids=[row.pk for row in page.object_list],
            fields=["id_number", "phone"],
            request=request,
        )
    query = list_query(request)
    unordered = list_query(request, "o")
    masked = list_query(request, "unmask")
    ordering = request.GET.get("o", "")
    headers = []
    for column in spec.columns:
        link = ""
        if column.sort:
            target = f"-{column.sort}" if ordering == column.sort else column.sort
            link = f"?{unordered.urlencode()}&o={target}" if unordered else f"?o={target}"
        headers.append({"label": column.label, "link": link, "sort": column.sort})
    table = [
        {
            "obj": row,
            "cells": [(column.label, column.value(row, unmask)) for column in spec.columns],
        }
        for row in page.object_list
    ]
    context = {
        "ledger": spec,
        "filter_form": filterset.form,
        "page": page,
        "table": table,
        "headers": headers,
        "ordering": ordering,
        "query": query.urlencode(),
        "query_masked": masked.urlencode(),
        "unmask": unmask,
        "can_unmask": spec.personal and policies.may_unmask(request.user),
        "can_import": bool(spec.import_kind) and policies.can_keep_any_ledger(request.user),
    }
    return render(request, "governance/ledger.html", context)


@login_required
def ledger_import(request: HttpRequest, kind: str) -> HttpResponse:
    """Download the template (``?template=1``) or upload a filled one. A file with any bad
    row imports nothing; the page lists every bad row and its reason."""
    if kind not in TEMPLATES:
        raise Http404
    _need(policies.can_keep_any_ledger(request.user))
    spec = TEMPLATES[kind]
    if request.GET.get("template"):
        response = HttpResponse(template_workbook(kind), content_type=XLSX)
        response["Content-Disposition"] = (
            f'attachment; filename="template-{kind}.xlsx"; '
            f"filename*=UTF-8''{quote(str(spec['title']))}.xlsx"
        )
        return response
    communities = selectors.communities_for(actor=request.user)
    form = ImportForm(request.POST or None, request.FILES or None, communities=communities)
    plan = None
    if request.method == "POST" and form.is_valid():
        community = form.cleaned_data["community"]
        try:
            plan = services.ledger_import(
                actor=request.user, kind=kind, community=community, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if not plan.errors:
                messages.success(
                    request,
                    _("已导入 %(n)s 条记录（新建住户 %(h)s 户）。")
                    % {"n": len(plan.objects), "h": len(plan.new_households)},
                )
                return redirect("governance:ledger", key=kind)
    return render(
        request,
        "governance/import.html",
        {"form": form, "plan": plan, "kind": kind, "spec": spec},
    )


# --- Detail pages and their actions -----------------------------------------------------------


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _need(policies.can_read_ledgers(request.user))
    household = selectors.household_get(actor=request.user, pk=pk)
    selectors.attach_estate_names([household])
    unmask = wants_unmask(request)
    residents = list(selectors.resident_list(actor=request.user).filter(household=household))
    if unmask:
        audit_unmask_list(
            actor=request.user,
            what=str(household),
            ids=[r.pk for r in residents],
            fields=["id_number", "phone"],
            request=request,
        )
    may_keep = policies.can_keep_ledger(request.user, household.area_path)
    may_handle = policies.can_handle_need(request.user, household.area_path)
    return render(
        request,
        "governance/household_detail.html",
        {
            "household": household,
            "address": _address(household),
            "residents": residents,
            "members": list(selectors.member_list(actor=request.user).filter(household=household)),
            "needs": list(selectors.need_list(actor=request.user).filter(household=household)),
            "unmask": unmask,
            "can_unmask": policies.may_unmask(request.user),
            "resident_form": ResidentForm(initial={"relation": RelationToHead.HEAD})
            if may_keep
            else None,
            "need_form": NeedForm() if may_handle else None,
            "take_form": NeedTakeForm() if may_handle else None,
            "complete_form": NeedCompleteForm() if may_handle else None,
        },
    )


@login_required
@require_POST
def household_create(request: HttpRequest) -> HttpResponse:
    buildings = selectors.area_list(actor=request.user, level=AreaLevel.BUILDING)
    form = HouseholdForm(request.POST, buildings=buildings)
    if not form.is_valid():
        messages.error(request, _("请检查住户信息：") + "；".join(_errors(form)))
        building = request.POST.get("building", "")
        if building.isdigit():
            return redirect("governance:area_detail", pk=int(building))
        return redirect("governance:area_tree")
    data = form.cleaned_data
    try:
        household = services.household_create(
            actor=request.user,
            building=data["building"],
            unit=data["unit"],
            room=data["room"],
            note=data["note"],
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("governance:area_detail", pk=data["building"].pk)
    messages.success(request, _("已新增住户。"))
    return redirect("governance:household_detail", pk=household.pk)


def _errors(form: Any) -> list[str]:
    """A form's errors as "字段 信息" lines, for a message."""
    lines = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        lines += [f"{label} {error}".strip() for error in errors]
    return lines


@login_required
@require_POST
def resident_create(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get(actor=request.user, pk=pk)
    form = ResidentForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_errors(form))
        services.resident_create(
            actor=request.user,
            household=household,
            person=form.person(),
            relation=form.cleaned_data["relation"],
            tags=form.cleaned_data["tags"],
        )
    except ValidationError as exc:
        messages.error(request, _("未能登记居民：") + "；".join(exc.messages))
    else:
        messages.success(request, _("已登记居民。"))
    return redirect("governance:household_detail", pk=household.pk)


@login_required
def resident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A resident, masked; ``unmask=1`` (with the permission) shows plain values, audited.
    Ledger keepers edit here."""
    _need(policies.can_read_ledgers(request.user))
    resident = selectors.resident_get(actor=request.user, pk=pk)
    selectors.attach_estate_names([resident])
    may_keep = policies.can_keep_ledger(request.user, resident.area_path)
    form = None
    if may_keep:
        form = ResidentForm(
            request.POST or None,
            initial={
                "name": resident.name,
                "gender": resident.gender,
                "birth_date": resident.birth_date,
                "relation": resident.relation,
                "tags": resident.tags,
            },
        )
        form.fields["id_number"].help_text = _("留空则保持原值：%(v)s") % {
            "v": resident.id_number_masked or "—"
        }
        form.fields["phone"].help_text = _("留空则保持原值：%(v)s") % {
            "v": resident.phone_masked or "—"
        }
    if request.method == "POST":
        _need(may_keep)
        assert form is not None
        if form.is_valid():
            person = form.person()
            person.id_number = person.id_number or resident.id_number
            person.phone = person.phone or resident.phone
            try:
                services.resident_update(
                    actor=request.user,
                    resident=resident,
                    person=person,
                    relation=form.cleaned_data["relation"],
                    tags=form.cleaned_data["tags"],
                    is_active=resident.is_active,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("governance:resident_detail", pk=resident.pk)
    unmask = wants_unmask(request)
    if unmask:
        audit_unmask(
            actor=request.user, target=resident, fields=["id_number", "phone"], request=request
        )
    return render(
        request,
        "governance/resident_detail.html",
        {
            "resident": resident,
            "address": _address(resident),
            "unmask": unmask,
            "can_unmask": policies.may_unmask(request.user),
            "form": form,
        },
    )


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _need(policies.can_read_ledgers(request.user))
    member = selectors.member_get(actor=request.user, pk=pk)
    if member.household_id:
        selectors.attach_estate_names([member])
    unmask = wants_unmask(request)
    if unmask:
        audit_unmask(
            actor=request.user, target=member, fields=["id_number", "phone"], request=request
        )
    return render(
        request,
        "governance/member_detail.html",
        {
            "member": member,
            "address": _address(member) if member.household_id else "",
            "unmask": unmask,
            "can_unmask": policies.may_unmask(request.user),
        },
    )


@login_required
@require_POST
def need_create(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_get(actor=request.user, pk=pk)
    form = NeedForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_errors(form))
        services.need_create(
            actor=request.user,
            household=household,
            kind=form.cleaned_data["kind"],
            description=form.cleaned_data["description"],
            raised_on=form.cleaned_data["raised_on"],
        )
    except ValidationError as exc:
        messages.error(request, _("未能登记需求：") + "；".join(exc.messages))
    else:
        messages.success(request, _("已登记需求。"))
    return redirect("governance:household_detail", pk=household.pk)


@login_required
@require_POST
def need_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """认领 (take) or 办结 (complete) a need; losing a race is a message, not an error page."""
    need = selectors.need_get(actor=request.user, pk=pk)
    try:
        if action == "take":
            take = NeedTakeForm(request.POST)
            take.is_valid()
            services.need_take(
                actor=request.user, need=need, taken_by=take.cleaned_data.get("taken_by", "")
            )
            messages.success(request, _("已认领。"))
        elif action == "complete":
            done = NeedCompleteForm(request.POST)
            if not done.is_valid():
                raise ValidationError(_("请填写办理结果。"))
            services.need_complete(
                actor=request.user, need=need, result=done.cleaned_data["result"]
            )
            messages.success(request, _("已办结。"))
        else:
            raise PermissionDenied
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except services.TransitionRefused as exc:
        messages.warning(request, exc.message)
    if request.POST.get("next") == "needs":
        return redirect("governance:ledger", key="needs")
    return redirect("governance:household_detail", pk=need.household_id)
