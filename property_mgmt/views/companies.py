"""Companies, contracts, coverage and the Excel imports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.scoping import scope_of
from common.excel import XLSX
from common.importpages import import_submit
from common.pages import form_view
from governance.models import Area

from .. import imports, policies, selectors, services
from ..credit_code import is_valid_credit_code
from ..forms import (
    CompanyFilter,
    CompanyForm,
    ContactForm,
    ContractFilter,
    ContractForm,
    EstateForm,
    ImportForm,
    ProfileForm,
    TerminateForm,
)
from ..models import CompanyContact, EstateProfile
from ._base import Column, Ledger, need, show_errors, yes


def _profile(company: Any, attr: str) -> Any:
    profile = getattr(company, "property_profile", None)
    if profile is None:
        return ""
    return getattr(profile, attr)


COMPANIES = Ledger(
    key="companies",
    title=gettext_lazy("物业企业"),
    default_ordering="name",
    empty=gettext_lazy("暂无物业企业。"),
    columns=(
        Column(
            gettext_lazy("企业名称"),
            lambda c: c.name,
            "name",
            link=lambda c: reverse("property_mgmt:company_detail", args=[c.pk]),
        ),
        Column(gettext_lazy("统一社会信用代码"), lambda c: c.credit_code, "code"),
        Column(
            gettext_lazy("校验位"),
            lambda c: _("正确") if is_valid_credit_code(c.credit_code) else _("不符"),
        ),
        Column(
            gettext_lazy("资质"),
            lambda c: (
                p.get_qualification_display() if (p := getattr(c, "property_profile", None)) else ""
            ),
        ),
        Column(gettext_lazy("红色物业试点"), lambda c: yes(bool(_profile(c, "is_red_pilot")))),
        Column(
            gettext_lazy("企业党组织"), lambda c: o.name if (o := _profile(c, "party_org")) else ""
        ),
        Column(gettext_lazy("服务小区"), lambda c: c.n_estates, "-estates"),
    ),
)


@login_required
def company_list(request: HttpRequest) -> HttpResponse:
    need(policies.can_read_area_ledgers(request.user))
    form = CompanyFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.company_list(
        actor=request.user,
        q=(data.get("q") or "").strip(),
        pilot=data.get("pilot"),
        ordering=COMPANIES.ordering(request),
    )
    actions = (
        [(_("登记物业企业"), reverse("property_mgmt:company_new"))]
        if policies.can_register_company(request.user)
        else []
    )
    return COMPANIES.respond(request, rows, form, tab="companies", page_actions=actions)


@login_required
def company_new(request: HttpRequest) -> HttpResponse:
    need(policies.can_register_company(request.user))
    form = CompanyForm(request.POST or None)
    return form_view(
        request,
        form,
        save=lambda data: services.company_register(actor=request.user, **data),
        message=lambda company: _("物业企业“%(name)s”已登记。") % {"name": company.name},
        success_url=lambda company: reverse("property_mgmt:company_detail", args=[company.pk]),
        template="property_mgmt/form.html",
        context={
            "title": _("登记物业企业"),
            "tab": "companies",
            "back": reverse("property_mgmt:company_list"),
        },
    )


@login_required
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need(policies.can_read_area_ledgers(request.user))
    company = selectors.company_get(actor=request.user, pk=pk)
    profile = (
        services.profile_of(company)
        if policies.can_edit_company(request.user, company)
        else getattr(company, "property_profile", None)
    )
    may_edit = policies.can_edit_company(request.user, company)
    initial = {f: getattr(profile, f) for f in services.companies.PROFILE_FIELDS} if profile else {}
    form = ProfileForm(request.POST or None, company=company, initial=initial)
    contact_form = ContactForm(prefix="contact")
    if request.method == "POST":
        need(may_edit)
        if "contact-name" in request.POST:
            contact_form = ContactForm(request.POST, prefix="contact")
            if contact_form.is_valid():
                try:
                    services.company_contact_add(
                        actor=request.user, company=company, **contact_form.cleaned_data
                    )
                except ValidationError as exc:
                    show_errors(contact_form, exc)
                else:
                    messages.success(request, _("联系人已添加。"))
                    return redirect("property_mgmt:company_detail", pk=pk)
        elif form.is_valid():
            try:
                services.company_profile_update(
                    actor=request.user, company=company, **form.cleaned_data
                )
            except ValidationError as exc:
                show_errors(form, exc)
            else:
                messages.success(request, _("企业档案已保存。"))
                return redirect("property_mgmt:company_detail", pk=pk)
    contracts = selectors.contract_list(actor=request.user, company=company.pk, status="current")
    return render(
        request,
        "property_mgmt/company_detail.html",
        {
            "company": company,
            "profile": profile,
            "form": form if may_edit else None,
            "contact_form": contact_form if may_edit else None,
            "contacts": CompanyContact.objects.filter(company=company),
            "contracts": list(contracts[:200]),
            "code_valid": is_valid_credit_code(company.credit_code),
            "tab": "companies",
        },
    )


@login_required
@require_POST
def contact_remove(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(CompanyContact, pk=pk)
    selectors.company_get(actor=request.user, pk=contact.company_id)
    need(policies.can_edit_company(request.user, contact.company))
    services.company_contact_remove(actor=request.user, contact=contact)
    return redirect("property_mgmt:company_detail", pk=contact.company_id)


# --- Contracts ---------------------------------------------------------------------------------


CONTRACTS = Ledger(
    key="contracts",
    title=gettext_lazy("物业服务合同"),
    default_ordering="area",
    empty=gettext_lazy("没有符合条件的合同。"),
    columns=(
        Column(
            gettext_lazy("小区"),
            lambda c: c.area.name,
            "area",
            link=lambda c: reverse("property_mgmt:contract_detail", args=[c.pk]),
        ),
        Column(gettext_lazy("服务方式"), lambda c: c.get_kind_display()),
        Column(gettext_lazy("物业企业"), lambda c: c.company.name if c.company else "—"),
        Column(gettext_lazy("合同编号"), lambda c: c.number),
        Column(gettext_lazy("起始日期"), lambda c: c.starts_on, "starts"),
        Column(gettext_lazy("终止日期"), lambda c: c.ends_on, "ends"),
        Column(gettext_lazy("收费等级"), lambda c: c.get_fee_level_display()),
        Column(gettext_lazy("物业费（元/㎡·月）"), lambda c: c.fee_per_sqm),
        Column(gettext_lazy("提前终止"), lambda c: c.terminated_on),
    ),
)


@login_required
def contract_list(request: HttpRequest) -> HttpResponse:
    need(policies.can_read_area_ledgers(request.user))
    companies = selectors.company_list(actor=request.user)
    form = ContractFilter(
        request.GET or None,
        areas=selectors.filter_areas(request.user),
        actor=request.user,
        companies=companies,
    )
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.contract_list(
        actor=request.user,
        within=selectors.area_in_scope(request.user, data.get("within")),
        company=data["company"].pk if data.get("company") else None,
        kind=data.get("kind", ""),
        status=data.get("status", ""),
        q=(data.get("q") or "").strip(),
        ordering=CONTRACTS.ordering(request),
    )
    actions = []
    if policies.can_keep_any(request.user):
        actions = [
            (_("登记合同"), reverse("property_mgmt:contract_new")),
            (_("Excel 导入"), reverse("property_mgmt:import", args=["contracts"])),
        ]
    return CONTRACTS.respond(request, rows, form, tab="contracts", page_actions=actions)


@login_required
def contract_new(request: HttpRequest) -> HttpResponse:
    need(policies.can_keep_any(request.user))
    estates = selectors.estates_in_scope(request.user)
    form = ContractForm(
        request.POST or None,
        estates=estates,
        actor=request.user,
        initial={"area": request.GET.get("area")},
    )
    return form_view(
        request,
        form,
        save=lambda data: services.contract_create(actor=request.user, **data),
        message=_("合同已登记。"),
        success_url=lambda contract: reverse("property_mgmt:contract_detail", args=[contract.pk]),
        template="property_mgmt/form.html",
        context={
            "title": _("登记物业服务合同"),
            "tab": "contracts",
            "back": reverse("property_mgmt:contract_list"),
        },
    )


@login_required
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need(policies.can_read_area_ledgers(request.user))
    contract = selectors.contract_get(actor=request.user, pk=pk)
    may_keep = policies.can_keep(request.user, contract.area_path)
    form = TerminateForm(request.POST or None)
    if request.method == "POST":
        need(may_keep)
        if form.is_valid():
            try:
                services.contract_terminate(
                    actor=request.user, contract=contract, **form.cleaned_data
                )
            except ValidationError as exc:
                show_errors(form, exc)
            else:
                messages.success(request, _("合同已提前终止。"))
                return redirect("property_mgmt:contract_detail", pk=pk)
    return render(
        request,
        "property_mgmt/contract_detail.html",
        {
            "contract": contract,
            "form": form if may_keep and contract.terminated_on is None else None,
            "tab": "contracts",
        },
    )


# --- Coverage ----------------------------------------------------------------------------------


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    """物业服务覆盖率 and 业委会组建率 of a subtree, per child, down to the residential areas."""
    need(policies.can_read_mediation(request.user))  # area-scoped staff
    area_id = request.GET.get("area")
    if area_id and area_id.isdigit():
        area = selectors.area_in_scope(request.user, int(area_id))
    else:
        paths = scope_of(request.user).area_paths(policies.AREA_READERS)
        area = (
            Area.objects.filter(path__in=paths).order_by("depth").first()
            or Area.objects.filter(depth=1).first()
        )
    if area is None:
        return render(request, "property_mgmt/coverage.html", {"report": None, "tab": "coverage"})
    report = selectors.coverage(area)
    estates = report.estates
    if request.GET.get("show") == "triple_none":
        estates = [e for e in estates if e["triple_none"]]
    trail = list(
        Area.objects.visible_to(request.user)
        .filter(path__in=area.ancestor_paths())
        .order_by("depth")
    )
    return render(
        request,
        "property_mgmt/coverage.html",
        {
            "report": report,
            "area": area,
            "estates": estates,
            "trail": trail,
            "show": request.GET.get("show", ""),
            "tab": "coverage",
            "may_keep": policies.can_keep(request.user, area.path),
        },
    )


@login_required
def estate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    area = get_object_or_404(selectors.estates_in_scope(request.user), pk=pk)
    need(policies.can_keep(request.user, area.path))
    profile = EstateProfile.objects.filter(area=area).first()
    initial = (
        {
            f: getattr(profile, f)
            for f in ("competent_department", "is_old_estate", "built_year", "note")
        }
        if profile
        else {}
    )
    form = EstateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.estate_profile_save(actor=request.user, area=area, **form.cleaned_data)
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("小区档案已保存。"))
            return redirect(reverse("property_mgmt:coverage") + f"?area={area.pk}")
    return render(
        request,
        "property_mgmt/form.html",
        {
            "form": form,
            "title": _("小区物业档案：%(name)s") % {"name": area.name},
            "tab": "coverage",
            "back": reverse("property_mgmt:coverage"),
        },
    )


# --- Imports -----------------------------------------------------------------------------------


@login_required
def import_view(request: HttpRequest, kind: str) -> HttpResponse:
    """Download the template (``?template=1``) or upload a filled one: every bad row with its
    reason, nothing written until the whole file is clean."""
    spec = imports.TEMPLATES.get(kind)
    if spec is None:
        raise Http404
    need(policies.can_keep_any(request.user))
    if request.GET.get("template"):
        response = HttpResponse(imports.template_workbook(kind), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="template-{kind}.xlsx"'
        return response
    form = ImportForm(request.POST or None, request.FILES or None)
    plan = None
    if request.method == "POST" and form.is_valid():
        answer, plan = import_submit(
            request,
            form,
            runner=imports.import_job,
            title=spec.title,
            upload=form.cleaned_data["file"],
            params={"kind": kind},
            target=str(spec.back),
        )
        if answer is not None:
            return answer
    return render(
        request,
        "property_mgmt/import.html",
        {"form": form, "plan": plan, "kind": kind, "spec": spec, "tab": spec.tab},
    )
