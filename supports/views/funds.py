"""Pages of the community funds (两项经费): the communities with both budgets and the district
rule check, a budget's page with its spending by purpose, the spending ledger, the Excel
import, and the vouchers, served only after the scope check."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.importpages import import_submit
from common.listpage import Action, Column, choice_column
from common.pages import form_action

from .. import forms, policies
from ..models import DISTRICT_STANDARD, FundKind, FundSpending
from ..querysets import FUND_ROLES
from ..selectors import funds as selectors
from ..services import funds as services
from .base import (
    SupportsListPage,
    communities,
    form_page,
    import_page,
    pk_of,
    require,
    streets,
    template_download,
)


def _budget_link(kind: str) -> Any:
    def link(row: Any) -> Any:
        amount, pk = getattr(row, f"{kind}_budget"), getattr(row, f"{kind}_budget_id")
        if amount is None:
            return format_html('<span class="staffing--breach">{}</span>', _("未下达"))
        css = "staffing--breach" if amount < DISTRICT_STANDARD[kind] else ""
        return format_html(
            '<a href="{}" class="{}">{}</a>',
            reverse("supports:budget_detail", args=[pk]),
            css,
            f"{amount:,.2f}",
        )

    return link


def _money(field: str) -> Any:
    def shown(row: Any) -> Any:
        value = getattr(row, field)
        return format_html("{}", f"{value:,.2f}" if value is not None else "—")

    return shown


def _flags_html(row: Any) -> Any:
    flags = selectors.flags_of(row)
    if not flags:
        return format_html('<span class="staffing--ok">{}</span>', _("达标"))
    return format_html(
        '<span class="staffing--breach">{}</span>',
        format_html_join("；", "{}", ((f,) for f in flags)),
    )


def default_year(request: HttpRequest) -> int:
    return selectors.budget_year(actor=request.user) or timezone.localdate().year


class FundListPage(SupportsListPage):
    """Each community in scope with the year's two budgets, spent and left, checked against
    the district standard (工作经费 260,000 元, 服务群众专项经费 80,000 元)."""

    title = gettext_lazy("两项经费")
    export_name = gettext_lazy("社区两项经费台账")
    intro = gettext_lazy(
        "区定标准：城市社区工作经费每年不低于 26 万元、服务群众专项经费每年不低于 8 万元；"
        "低于标准或未下达的社区标红。"
    )
    tab = "funds"
    table_id = "fund-table"
    empty_text = gettext_lazy("没有符合条件的社区。")
    default_ordering = "community"
    columns = (
        Column(gettext_lazy("社区"), attrgetter("name"), "community"),
        Column(
            gettext_lazy("工作经费预算"),
            attrgetter("work_budget"),
            "-work",
            css="num",
            html=_budget_link(FundKind.WORK),
        ),
        Column(
            gettext_lazy("工作经费已支出"),
            attrgetter("work_spent"),
            css="num",
            html=_money("work_spent"),
        ),
        Column(
            gettext_lazy("工作经费余额"),
            attrgetter("work_left"),
            "-work_left",
            css="num",
            html=_money("work_left"),
        ),
        Column(
            gettext_lazy("服务群众专项经费预算"),
            attrgetter("service_budget"),
            "-service",
            css="num",
            html=_budget_link(FundKind.SERVICE),
        ),
        Column(
            gettext_lazy("专项经费已支出"),
            attrgetter("service_spent"),
            css="num",
            html=_money("service_spent"),
        ),
        Column(
            gettext_lazy("专项经费余额"),
            attrgetter("service_left"),
            "-service_left",
            css="num",
            html=_money("service_left"),
        ),
        Column(
            gettext_lazy("区定标准"),
            lambda row: "；".join(selectors.flags_of(row)) or _("达标"),
            html=_flags_html,
        ),
    )

    def allowed(self, user: Any) -> bool:
        return policies.can_view_funds(user)

    def get_form(self) -> forms.FundFilterForm:
        data = self.request.GET.copy()
        data.setdefault("year", str(default_year(self.request)))
        return forms.FundFilterForm(data, streets=streets(self.request, FUND_ROLES))

    def get_rows(self) -> Any:
        self.year = self.filters.get("year") or default_year(self.request)
        return selectors.fund_rows(
            actor=self.request.user,
            year=self.year,
            street=self.filters.get("street"),
            flagged=self.filters.get("flagged", ""),
            search=self.filters.get("q", ""),
            ordering=self.ordering,
        )

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        context["heading"] = _("%(year)s 年社区两项经费") % {"year": self.year}
        return context

    def get_actions(self) -> list[Action]:
        actions = [Action(_("经费支出台账"), reverse("supports:spending_list"))]
        if policies.can_set_budget(self.request.user):
            actions.insert(0, Action(_("下达预算"), reverse("supports:budget_set"), "primary"))
        return actions


fund_list = FundListPage.as_view()


@login_required
def budget_set(request: HttpRequest) -> HttpResponse:
    require(policies.can_set_budget(request.user))
    choices = communities(request, policies.BUDGET_SETTERS)
    initial = {
        "year": timezone.localdate().year,
        "kind": FundKind.WORK,
        "amount": DISTRICT_STANDARD[FundKind.WORK],
    }
    form = forms.BudgetForm(request.POST or None, communities=choices, initial=initial)
    return form_page(
        request,
        form,
        save=lambda data: services.budget_set(actor=request.user, **data),
        message=lambda budget: _("预算已下达：%(budget)s。") % {"budget": budget},
        success_url=lambda budget: reverse("supports:budget_detail", args=[budget.pk]),
        title=_("下达社区经费预算"),
        tab="funds",
        intro=_("已下达的预算再次下达即为调整；调整后的预算不能低于已支出金额。"),
        back=reverse("supports:fund_list"),
    )


@login_required
def budget_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_view_funds(request.user))
    budget = selectors.budget_get(actor=request.user, pk=pk)
    spendings = selectors.spending_list(actor=request.user, budget=budget.pk)
    may_spend = policies.can_record_spending(request.user, budget.area_path)
    return render(
        request,
        "supports/budget_detail.html",
        {
            "budget": budget,
            "summary": selectors.budget_summary(budget),
            "purposes": selectors.by_purpose(spendings),
            "spendings": list(spendings[:200]),
            "count": spendings.count(),
            "form": forms.SpendingForm() if may_spend else None,
        },
    )


@login_required
@require_POST
def spending_add(request: HttpRequest, pk: int) -> HttpResponse:
    budget = selectors.budget_get(actor=request.user, pk=pk)
    require(policies.can_record_spending(request.user, budget.area_path))
    form_action(
        request,
        forms.SpendingForm(request.POST, request.FILES),
        save=lambda data: services.spending_record(actor=request.user, budget=budget, **data),
        message=_("支出已登记。"),
    )
    return redirect("supports:budget_detail", pk=budget.pk)


def _voucher_html(entry: Any) -> Any:
    if not entry.voucher:
        return format_html("{}", "—")
    return format_html(
        '<a href="{}">{}</a>', reverse("supports:voucher", args=[entry.pk]), _("查看凭证")
    )


class SpendingListPage(SupportsListPage):
    title = gettext_lazy("经费支出")
    export_name = gettext_lazy("社区经费支出台账")
    tab = "spending"
    table_id = "spending-table"
    empty_text = gettext_lazy("没有符合条件的支出。")
    default_ordering = "-date"
    columns = (
        Column(gettext_lazy("支出日期"), attrgetter("spent_on"), "-date"),
        Column(
            gettext_lazy("社区"),
            attrgetter("budget.community.name"),
            "community",
            link=lambda s: reverse("supports:budget_detail", args=[s.budget_id]),
        ),
        Column(gettext_lazy("经费类别"), lambda s: s.budget.get_kind_display()),
        choice_column(gettext_lazy("用途"), FundSpending, "purpose"),
        Column(gettext_lazy("事由"), attrgetter("description")),
        Column(
            gettext_lazy("金额（元）"),
            attrgetter("amount"),
            "-amount",
            css="num",
            html=_money("amount"),
        ),
        Column(gettext_lazy("审批人"), attrgetter("approver")),
        Column(gettext_lazy("凭证号"), attrgetter("voucher_no")),
        Column(
            gettext_lazy("凭证附件"),
            lambda s: _("有") if s.voucher else _("无"),
            html=_voucher_html,
        ),
    )

    def allowed(self, user: Any) -> bool:
        return policies.can_view_funds(user)

    def get_form(self) -> forms.SpendingFilterForm:
        return forms.SpendingFilterForm(
            self.request.GET or None, communities=communities(self.request, FUND_ROLES)
        )

    def get_rows(self) -> Any:
        return selectors.spending_list(
            actor=self.request.user,
            year=self.filters.get("year"),
            kind=self.filters.get("kind", ""),
            purpose=self.filters.get("purpose", ""),
            community=pk_of(self.filters.get("community")),
            search=self.filters.get("q", ""),
            ordering=self.ordering,
        )

    def get_actions(self) -> list[Action]:
        if not policies.can_record_spending(self.request.user):
            return []
        return [Action(_("Excel 导入"), reverse("supports:spending_import"))]


spending_list = SpendingListPage.as_view()


@login_required
def spending_import(request: HttpRequest) -> HttpResponse:
    """Download the template (``?template=1``) or upload a filled one: any bad row imports
    nothing, and every bad row is listed with its reason."""
    require(policies.can_record_spending(request.user))
    spec = services.SPENDING_TEMPLATE
    if request.GET.get("template"):
        return template_download(spec, "spending")
    choices = communities(request, policies.SPENDING_RECORDERS)
    form = forms.SpendingImportForm(
        request.POST or None, request.FILES or None, communities=choices
    )
    plan = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answer, plan = import_submit(
            request,
            form,
            runner=services.spending_import_job,
            title=spec.title,
            upload=data["file"],
            params={"community": data["community"].pk, "year": data["year"]},
            target=reverse("supports:spending_list") + f"?community={data['community'].pk}",
        )
        if answer is not None:
            return answer
    return import_page(
        request,
        spec=spec,
        form=form,
        plan=plan,
        tab="spending",
        back=reverse("supports:spending_list"),
    )


@login_required
def voucher(request: HttpRequest, pk: int) -> FileResponse:
    """A spending entry's voucher, for whoever sees the entry (404 otherwise, and for an
    entry without one). Sent as an attachment with its checked type, never rendered inline
    as anything else."""
    require(policies.can_view_funds(request.user))
    entry = selectors.spending_get(actor=request.user, pk=pk)
    if not entry.voucher:
        raise Http404
    try:
        handle = entry.voucher.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = (entry.voucher.name or "").rsplit(".", 1)[-1]
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"voucher-{entry.pk}.{extension}",
        content_type=entry.voucher_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
