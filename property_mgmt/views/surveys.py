"""Satisfaction surveys: the staff's pages and the residents' phone page (no login)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.services import client_ip
from common.excel import xlsx_response
from common.pages import form_view
from governance.models import Area, AreaLevel

from .. import policies, qr, selectors, services
from ..forms import AnswerForm, SurveyFilter, SurveyForm
from ..models import ITEM_FIELDS, SurveyAnswer, SurveyItem
from ._base import Column, Ledger, need, show_errors


def _results(rows: list) -> None:
    stats = (
        {
            s.pk: s
            for s in selectors.survey_results(
                type(rows[0]).objects.filter(pk__in=[r.pk for r in rows])
            )
        }
        if rows
        else {}
    )
    for row in rows:
        done = stats[row.pk]
        for name in ("n_answers", "households", "response_rate", "satisfaction"):
            setattr(row, name, getattr(done, name))


SURVEYS = Ledger(
    key="surveys",
    title=gettext_lazy("满意度调查"),
    default_ordering="-period",
    empty=gettext_lazy("没有符合条件的调查。"),
    decorate=_results,
    columns=(
        Column(
            gettext_lazy("标题"),
            lambda s: s.title,
            link=lambda s: reverse("property_mgmt:survey_detail", args=[s.pk]),
        ),
        Column(
            gettext_lazy("评价期"),
            lambda s: f"{s.period_start:%Y-%m-%d} 至 {s.period_end:%Y-%m-%d}",
        ),
        Column(
            gettext_lazy("填写时间"), lambda s: f"{s.opens_on:%Y-%m-%d} 至 {s.closes_on:%Y-%m-%d}"
        ),
        Column(gettext_lazy("物业企业"), lambda s: s.company.name if s.company else "—"),
        Column(gettext_lazy("答卷"), lambda s: s.n_answers),
        Column(gettext_lazy("参与率（%）"), lambda s: s.response_rate),
        Column(gettext_lazy("满意率（%）"), lambda s: s.satisfaction),
    ),
)


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    need(policies.can_read_area_ledgers(request.user))
    form = SurveyFilter(
        request.GET or None,
        areas=selectors.filter_areas(request.user),
        actor=request.user,
        companies=selectors.company_list(actor=request.user),
    )
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.survey_list(
        actor=request.user,
        within=selectors.area_in_scope(request.user, data.get("within")),
        year=data.get("year"),
        company=data["company"].pk if data.get("company") else None,
        q=(data.get("q") or "").strip(),
    ).select_related("area", "company")
    rows = selectors.narrow_surveys(
        rows, period_from=data.get("period_from"), period_to=data.get("period_to")
    )
    actions = (
        [(_("发起调查"), reverse("property_mgmt:survey_new"))]
        if policies.can_keep_any(request.user)
        else []
    )
    return SURVEYS.respond(request, rows, form, tab="surveys", page_actions=actions)


@login_required
def survey_new(request: HttpRequest) -> HttpResponse:
    need(policies.can_keep_any(request.user))
    form = SurveyForm(
        request.POST or None,
        estates=selectors.estates_in_scope(request.user),
        actor=request.user,
    )
    return form_view(
        request,
        form,
        save=lambda data: services.survey_create(actor=request.user, **data),
        message=_("调查已发起，可打印二维码张贴。"),
        success_url=lambda survey: reverse("property_mgmt:survey_detail", args=[survey.pk]),
        template="property_mgmt/form.html",
        context={
            "title": _("发起满意度调查"),
            "tab": "surveys",
            "back": reverse("property_mgmt:survey_list"),
        },
    )


def _public_url(request: HttpRequest, survey: object) -> str:
    return request.build_absolute_uri(reverse("property_mgmt:survey_answer", args=[survey.token]))  # type: ignore[attr-defined]


@login_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Results per item, response rate; the link and QR code (for the community to print)."""
    need(policies.can_read_area_ledgers(request.user))
    survey = selectors.survey_get(actor=request.user, pk=pk)
    result = selectors.survey_results(type(survey).objects.filter(pk=survey.pk))[0]
    figures = selectors.answer_figures(
        SurveyAnswer.objects.visible_to(request.user).filter(survey=survey)
    )
    may_keep = policies.can_keep(request.user, survey.area_path)
    return render(
        request,
        "property_mgmt/survey_detail.html",
        {
            "survey": survey,
            "result": result,
            "figures": figures,
            "may_keep": may_keep,
            "url": _public_url(request, survey) if may_keep else "",
            "qr": qr.svg(_public_url(request, survey)) if may_keep else "",
            "open": survey.is_open_on(timezone.localdate()),
            "tab": "surveys",
        },
    )


@login_required
def survey_qr(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get(actor=request.user, pk=pk)
    need(policies.can_keep(request.user, survey.area_path))
    response = HttpResponse(
        qr.svg(_public_url(request, survey), scale=8), content_type="image/svg+xml"
    )
    response["Content-Disposition"] = f'inline; filename="survey-{survey.pk}.svg"'
    return response


@login_required
def survey_poster(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get(actor=request.user, pk=pk)
    need(policies.can_keep(request.user, survey.area_path))
    url = _public_url(request, survey)
    return render(
        request,
        "property_mgmt/survey_poster.html",
        {"survey": survey, "url": url, "qr": qr.svg(url, scale=10)},
    )


@login_required
@require_POST
def survey_codes(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue one-time codes and download them for printing (the only time they are shown)."""
    survey = selectors.survey_get(actor=request.user, pk=pk)
    need(policies.can_keep(request.user, survey.area_path))
    issued = services.survey_codes_issue(actor=request.user, survey=survey)
    return xlsx_response(
        filename=_("一次性码"),
        title=survey.title,
        headers=[_("楼栋"), _("单元"), _("室"), _("一次性码"), _("填写地址")],
        rows=(
            (h.building.name, h.unit, h.room, code, _public_url(request, survey))
            for h, code in issued
        ),
    )


@login_required
@require_POST
def survey_close(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get(actor=request.user, pk=pk)
    need(policies.can_keep(request.user, survey.area_path))
    services.survey_close(actor=request.user, survey=survey)
    return redirect("property_mgmt:survey_detail", pk=pk)


# --- The residents' page -----------------------------------------------------------------------


@never_cache
def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    """No login: the household proves itself with its code or door number and phone; the
    page shows the area, the company and the questions, nothing about anyone."""
    survey = selectors.survey_public(token)
    buildings = Area.objects.filter(
        path__startswith=survey.area_path, level=AreaLevel.BUILDING, is_active=True
    ).order_by("path")
    form = AnswerForm(request.POST or None, buildings=buildings)
    is_open = survey.is_open_on(timezone.localdate())
    if request.method == "POST" and is_open and form.is_valid():
        data = form.cleaned_data
        answer = services.PublicAnswer(
            method=data["method"],
            scores=form.scores(),
            code=data["code"],
            building_id=data["building"].pk if data["building"] else None,
            unit=data["unit"],
            room=data["room"],
            phone=data["phone"],
            comment=data["comment"],
            trap=data["website"],
        )
        try:
            services.survey_public_answer(
                survey=survey, answer=answer, ip=client_ip(request) or "-"
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            return redirect("property_mgmt:survey_thanks", token=token)
    return render(
        request,
        "property_mgmt/survey_answer.html",
        {
            "survey": survey,
            "form": form,
            "open": is_open,
            "items": [(SurveyItem(i).label, form[i]) for i in ITEM_FIELDS],
        },
    )


def survey_thanks(request: HttpRequest, token: str) -> HttpResponse:
    survey = selectors.survey_public(token)
    return render(request, "property_mgmt/survey_thanks.html", {"survey": survey})
