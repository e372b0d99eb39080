"""The community's ledgers (households, residents, party members, needs): list pages on the
shared list base (filters, search, sorting, pagination, Excel export), and their Excel import.
ID numbers and phones are masked; a holder of the unmask permission adds ``unmask=1`` and
every plain view or export is audited."""

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AuditAction
from accounts.personal_data import show_id_number, show_phone, wants_unmask
from accounts.services import audit_record, audit_unmask_list
from common.excel import XLSX
from common.importpages import import_submit
from common.listing import list_query
from common.listpage import Action, Column, ListPage, flag_column
from governance import filters, policies, selectors
from governance.forms import ImportForm
from governance.imports import TEMPLATES, ImportKind, template_workbook
from governance.models import Household
from governance.services.importing import ledger_import_job

from .base import address, require

PERSONAL_FIELDS = ["id_number", "phone"]


@dataclass(frozen=True)
class PersonalColumn(Column):
    """An ID number or a phone: masked, unless the page shows plain values."""

    show: Callable[[str | None, bool], str] = show_id_number

    def cell_value(self, row: Any, page: ListPage) -> Any:
        return self.show(self.value(row), getattr(page, "unmask", False))


def _link(name: str, attr: str = "pk") -> Callable[[Any], str]:
    return lambda row: reverse(name, args=[getattr(row, attr)])


class CommunityLedgerPage(ListPage):
    """A ledger of the governance backbone: rows of one scoped selector cut by a filter set
    (``within`` a street, community or residential area, search, …), the first column
    linking to the row's page."""

    key: str = ""
    selector: Callable[..., QuerySet[Any]]
    filterset_class: type[filters.ScopedFilterSet]
    import_kind: str = ""
    template_name = "governance/ledger.html"
    table_id = "ledger"
    unmask = False
    # The bar's choices: constants, and the areas in the actor's scope (its grants).
    filter_cache = True
    filter_depends = ("accounts.RoleGrant", "governance.Area")

    @classmethod
    def personal(cls) -> bool:
        return any(isinstance(column, PersonalColumn) for column in cls.columns)

    def allowed(self, user: Any) -> bool:
        return policies.can_read_ledgers(user)

    def get_form(self) -> Any:
        self.unmask = self.personal() and wants_unmask(self.request)
        self.filterset = self.filterset_class(
            self.request.GET,
            queryset=self.selector(actor=self.request.user),
            request=self.request,
            area_choices=not self.exporting,
        )
        return self.filterset.form

    def get_rows(self) -> QuerySet[Any]:
        if self.filterset.is_valid():
            return self.filterset.qs
        return self.selector(actor=self.request.user).none()

    def prepare(self, rows: list[Any]) -> None:
        selectors.attach_estate_names(rows)

    def shown(self, rows: list[Any]) -> None:
        if self.unmask:
            audit_unmask_list(
                actor=self.request.user,
                what=str(self.title),
                ids=[row.pk for row in rows],
                fields=PERSONAL_FIELDS,
                request=self.request,
            )

    def exported(self, rows: Any) -> None:
        audit_record(
            action=AuditAction.EXPORT,
            actor=self.request.user,
            request=self.request,
            target=str(self.title),
            detail={"query": self.request.GET.urlencode()[:500], "unmask": self.unmask},
        )
        if self.unmask:
            audit_unmask_list(
                actor=self.request.user,
                what=f"{self.title} export",
                ids=list(rows.values_list("pk", flat=True)[: self.export_limit]),
                fields=PERSONAL_FIELDS,
                request=self.request,
            )

    def get_actions(self) -> list[Action]:
        actions = []
        user = self.request.user
        if self.personal() and policies.may_unmask(user):
            if self.unmask:
                masked = list_query(self.request, "unmask").urlencode()
                actions.append(Action(_("隐藏明文"), f"?{masked}", "plain"))
            else:
                query = list_query(self.request).urlencode()
                plain = f"?{query}&unmask=1" if query else "?unmask=1"
                actions.append(Action(_("显示明文（记入审计）"), plain, "plain"))
        if self.import_kind and policies.can_keep_any_ledger(user):
            actions.append(
                Action(_("Excel 导入"), reverse("governance:import", args=[self.import_kind]))
            )
        return actions

    def hidden_inputs(self) -> list[tuple[str, str]]:
        hidden = super().hidden_inputs()
        return [*hidden, ("unmask", "1")] if self.unmask else hidden


def _export_household(values: dict[str, Any]) -> SimpleNamespace:
    """A household of the export as the columns read it (its building's name, its address)."""
    row = SimpleNamespace(**values, building=SimpleNamespace(name=values["building_name"]))
    row.address = Household.address.fget(row)  # type: ignore[attr-defined]
    return row


class HouseholdLedgerPage(CommunityLedgerPage):
    key = "households"
    title = gettext_lazy("住户台账")
    selector = staticmethod(selectors.household_list)
    filterset_class = filters.HouseholdFilter
    import_kind = ImportKind.RESIDENTS
    columns = (
        Column(gettext_lazy("地址"), address, "address", link=_link("governance:household_detail")),
        Column(gettext_lazy("户主"), lambda h: h.head_name, "head_name"),
        Column(gettext_lazy("备注"), lambda h: h.note),
        flag_column(gettext_lazy("在册"), "is_active", gettext_lazy("是")),
        Column(gettext_lazy("更新时间"), lambda h: h.updated_at, "updated"),
    )
    #: What the columns read of a household, for the export's plain rows.
    export_fields = ("area_path", "unit", "room", "head_name", "note", "is_active", "updated_at")

    def get_rows(self) -> Any:
        rows = super().get_rows()
        if self.exporting:  # plain values: two model objects a row were most of the export
            return rows.values(*self.export_fields, building_name=F("building__name"))
        return rows

    def prepare(self, rows: list[Any]) -> None:
        if self.exporting:
            rows[:] = [_export_household(values) for values in rows]
        super().prepare(rows)


class ResidentLedgerPage(CommunityLedgerPage):
    key = "residents"
    title = gettext_lazy("居民台账")
    selector = staticmethod(selectors.resident_list)
    filterset_class = filters.ResidentFilter
    import_kind = ImportKind.RESIDENTS
    columns = (
        Column(
            gettext_lazy("姓名"), lambda r: r.name, "name", link=_link("governance:resident_detail")
        ),
        Column(gettext_lazy("性别"), lambda r: r.get_gender_display()),
        Column(gettext_lazy("出生日期"), lambda r: r.birth_date, "birth_date"),
        PersonalColumn(gettext_lazy("身份证号"), lambda r: r.id_number, show=show_id_number),
        PersonalColumn(gettext_lazy("手机号"), lambda r: r.phone, show=show_phone),
        Column(gettext_lazy("住址"), address, "address"),
        Column(gettext_lazy("与户主关系"), lambda r: r.get_relation_display()),
        Column(gettext_lazy("关爱标签"), lambda r: "、".join(r.get_tags_display())),
    )


class MemberLedgerPage(CommunityLedgerPage):
    key = "members"
    title = gettext_lazy("党员台账")
    selector = staticmethod(selectors.member_list)
    filterset_class = filters.PartyMemberFilter
    import_kind = ImportKind.MEMBERS
    columns = (
        Column(
            gettext_lazy("姓名"), lambda m: m.name, "name", link=_link("governance:member_detail")
        ),
        Column(gettext_lazy("性别"), lambda m: m.get_gender_display()),
        PersonalColumn(gettext_lazy("身份证号"), lambda m: m.id_number, show=show_id_number),
        PersonalColumn(gettext_lazy("手机号"), lambda m: m.phone, show=show_phone),
        Column(gettext_lazy("所在党组织"), lambda m: m.org.name, "org"),
        Column(gettext_lazy("党员类别"), lambda m: m.get_status_display()),
        Column(gettext_lazy("入党日期"), lambda m: m.joined_on, "joined_on"),
        Column(gettext_lazy("工作单位"), lambda m: m.employer),
        Column(gettext_lazy("住址"), lambda m: address(m) if m.household_id else ""),
        flag_column(gettext_lazy("党员户挂牌"), "household_plaque", gettext_lazy("是")),
        flag_column(gettext_lazy("党员示范岗"), "model_post", gettext_lazy("是")),
    )


class NeedsLedgerPage(CommunityLedgerPage):
    key = "needs"
    title = gettext_lazy("需求台账")
    selector = staticmethod(selectors.need_list)
    filterset_class = filters.NeedsLedgerFilter
    import_kind = ImportKind.NEEDS
    columns = (
        Column(
            gettext_lazy("登记日期"),
            lambda n: n.raised_on,
            "raised_on",
            link=_link("governance:household_detail", "household_id"),
        ),
        Column(gettext_lazy("住户"), address),
        Column(gettext_lazy("户主"), lambda n: n.household.head_name),
        Column(gettext_lazy("需求类别"), lambda n: n.get_kind_display(), "kind"),
        Column(gettext_lazy("需求描述"), lambda n: n.description),
        Column(gettext_lazy("状态"), lambda n: n.get_status_display(), "status"),
        Column(gettext_lazy("认领人/单位"), lambda n: n.taken_by),
        Column(gettext_lazy("认领日期"), lambda n: n.taken_on),
        Column(gettext_lazy("办结日期"), lambda n: n.done_on),
        Column(gettext_lazy("办理结果"), lambda n: n.result),
    )


#: The ledgers by their key in the URL (``/governance/ledgers/<key>/``).
LEDGERS: dict[str, type[CommunityLedgerPage]] = {
    page.key: page
    for page in (HouseholdLedgerPage, ResidentLedgerPage, MemberLedgerPage, NeedsLedgerPage)
}
_LEDGER_VIEWS = {key: page.as_view() for key, page in LEDGERS.items()}


@login_required
def ledger(request: HttpRequest, key: str) -> HttpResponseBase:
    """One ledger page: filters, sorting (``o``), pagination, Excel export (``export=xlsx``)."""
    view = _LEDGER_VIEWS.get(key)
    if view is None:
        raise Http404
    return view(request)


@login_required
def ledger_home(request: HttpRequest) -> HttpResponseBase:
    """The ledgers' entry: the household ledger."""
    return ledger(request, "households")


@login_required
def ledger_import(request: HttpRequest, kind: str) -> HttpResponse:
    """Download the template (``?template=1``) or upload a filled one. A file with any bad
    row imports nothing; the page lists every bad row and its reason."""
    if kind not in TEMPLATES:
        raise Http404
    require(policies.can_keep_any_ledger(request.user))
    spec = TEMPLATES[kind]
    if request.GET.get("template"):
        response = HttpResponse(template_workbook(kind), content_type=XLSX)
        response["Content-Disposition"] = (
            f'attachment; filename="template-{kind}.xlsx"; '
            f"filename*=UTF-8''{quote(str(spec.title))}.xlsx"
        )
        return response
    communities = selectors.communities_for(actor=request.user)
    form = ImportForm(request.POST or None, request.FILES or None, communities=communities)
    plan = None
    if request.method == "POST" and form.is_valid():
        community = form.cleaned_data["community"]
        answer, plan = import_submit(
            request,
            form,
            runner=ledger_import_job,
            title=spec.title,
            upload=form.cleaned_data["file"],
            params={"kind": kind, "community": community.pk},
            target=reverse("governance:ledger", kwargs={"key": kind}),
        )
        if answer is not None:
            return answer
    return render(
        request,
        "governance/import.html",
        {"form": form, "plan": plan, "kind": kind, "spec": spec},
    )
