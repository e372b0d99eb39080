"""Pages of the worker careers: posts against quotas (vacancies), recruitment rounds with
their posts and applicants (import included), a worker's career (appraisals, promotions along
3岗18级, grade history, trainings), and the appraisal and promotion ledgers."""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter, methodcaller
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.errors import Conflict, form_errors, message_errors
from common.listpage import Action, Column
from common.pages import form_action
from grids import selectors as grid_selectors
from grids.models import GRADES, WorkerPost

from .. import forms, policies
from ..models import ApplicantResult, RecruitmentPost, RoundState
from ..querysets import ROSTER_ROLES
from ..selectors import careers as selectors
from ..services import careers as services
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


def _post_cell(post: str) -> Any:
    def cell(row: Any) -> str:
        return f"{getattr(row, f'{post}_filled')} / {getattr(row, f'{post}_quota')}"

    return cell


def _vacancies_html(row: Any) -> Any:
    if row.vacancies > 0:
        return format_html(
            '<span class="staffing--breach">{}</span>', _("空缺 %(n)s") % {"n": row.vacancies}
        )
    if row.vacancies < 0:
        return format_html(
            '<span class="staffing--breach">{}</span>', _("超编 %(n)s") % {"n": -row.vacancies}
        )
    return format_html('<span class="staffing--ok">{}</span>', _("满编"))


class RosterPage(SupportsListPage):
    """Each community's posts: workers in post (active or on probation) against the quota."""

    title = gettext_lazy("岗位编制与空缺")
    export_name = gettext_lazy("社区工作者岗位编制台账")
    intro = gettext_lazy("“在岗/编制”按 3岗（正职、副职、专职工作者）统计，试用期人员计入在岗。")
    tab = "roster"
    table_id = "roster-table"
    empty_text = gettext_lazy("没有符合条件的社区。")
    default_ordering = "community"
    columns = (
        Column(
            gettext_lazy("社区"),
            attrgetter("name"),
            "community",
            link=lambda c: reverse("grids:worker_list") + f"?community={c.pk}",
        ),
        *(
            Column(WorkerPost(post).label, _post_cell(post), css="num")
            for post in WorkerPost.values
        ),
        Column(gettext_lazy("编制合计"), attrgetter("quota"), css="num"),
        Column(gettext_lazy("在岗合计"), attrgetter("filled"), "-filled", css="num"),
        Column(
            gettext_lazy("空缺"),
            attrgetter("vacancies"),
            "-vacancies",
            css="num",
            html=_vacancies_html,
        ),
    )

    def allowed(self, user: Any) -> bool:
        return policies.can_view_careers(user)

    def get_form(self) -> forms.RosterFilterForm:
        return forms.RosterFilterForm(
            self.request.GET or None, streets=streets(self.request, ROSTER_ROLES)
        )

    def get_rows(self) -> Any:
        return selectors.roster(
            actor=self.request.user,
            street=self.filters.get("street"),
            short=self.filters.get("short", ""),
            search=self.filters.get("q", ""),
            ordering=self.ordering,
        )

    def get_actions(self) -> list[Action]:
        if not policies.can_keep_careers(self.request.user):
            return []
        return [Action(_("核定编制"), reverse("supports:quota_set"), "primary")]


roster = RosterPage.as_view()


@login_required
def quota_set(request: HttpRequest) -> HttpResponse:
    require(policies.can_keep_careers(request.user))
    form = forms.QuotaForm(
        request.POST or None, communities=communities(request, policies.CAREER_KEEPERS)
    )
    return form_page(
        request,
        form,
        save=lambda data: services.quota_set(actor=request.user, **data),
        message=_("编制已核定。"),
        success_url="supports:roster",
        title=_("核定岗位编制"),
        tab="roster",
        back=reverse("supports:roster"),
    )


# --- Recruitment ------------------------------------------------------------------------------


def _round_url(round_: Any) -> str:
    return reverse("supports:round_detail", args=[round_.pk])


class RoundListPage(SupportsListPage):
    title = gettext_lazy("招考")
    export_name = gettext_lazy("社区工作者招考批次")
    tab = "rounds"
    table_id = "round-table"
    empty_text = gettext_lazy("暂无招考批次。")
    form_class = forms.SearchForm
    columns = (
        Column(gettext_lazy("名称"), attrgetter("title"), link=_round_url),
        Column(gettext_lazy("年度"), attrgetter("year")),
        Column(gettext_lazy("公告日期"), attrgetter("announced_on")),
        Column(gettext_lazy("报名截止"), attrgetter("signup_ends_on")),
        Column(gettext_lazy("考试日期"), attrgetter("exam_on")),
        Column(gettext_lazy("状态"), methodcaller("get_state_display")),
        Column(gettext_lazy("招录人数"), attrgetter("n_openings"), css="num"),
        Column(gettext_lazy("报名人数"), attrgetter("n_applicants"), css="num"),
        Column(gettext_lazy("已录用"), attrgetter("n_hired"), css="num"),
    )

    def allowed(self, user: Any) -> bool:
        return policies.can_view_careers(user)

    def get_rows(self) -> Any:
        return selectors.round_list(actor=self.request.user, search=self.filters.get("q", ""))

    def get_actions(self) -> list[Action]:
        if not policies.can_keep_careers(self.request.user):
            return []
        return [Action(_("新建招考批次"), reverse("supports:round_create"), "primary")]


round_list = RoundListPage.as_view()


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    require(policies.can_keep_careers(request.user))
    form = forms.RoundForm(request.POST or None, initial={"year": timezone.localdate().year})
    return form_page(
        request,
        form,
        save=lambda data: services.round_create(actor=request.user, **data),
        message=_("招考批次已建立，请添加招考岗位。"),
        success_url=_round_url,
        title=_("新建招考批次"),
        tab="rounds",
        back=reverse("supports:round_list"),
    )


def _score(value: Any) -> Any:
    return value if value is not None else ""


class RoundDetailPage(SupportsListPage):
    """A round: its posts (openings, applicants, hired) and its applicants with scores."""

    export_name = gettext_lazy("报考人员名单")
    tab = "rounds"
    table_id = "applicant-table"
    empty_text = gettext_lazy("暂无报考人员。")
    default_ordering = "-total"
    summary_template = "supports/includes/round_summary.html"
    columns = (
        Column(
            gettext_lazy("姓名"),
            attrgetter("name"),
            "name",
            link=lambda a: reverse("supports:applicant_detail", args=[a.pk]),
        ),
        Column(gettext_lazy("性别"), methodcaller("get_gender_display")),
        Column(gettext_lazy("身份证号"), attrgetter("id_number_masked")),
        Column(gettext_lazy("手机号"), attrgetter("phone_masked")),
        Column(gettext_lazy("学历"), methodcaller("get_education_display")),
        Column(gettext_lazy("报考社区"), attrgetter("position.community.name"), "community"),
        Column(gettext_lazy("报考岗位"), lambda a: a.position.get_post_display()),
        Column(gettext_lazy("笔试"), lambda a: _score(a.written_score), css="num"),
        Column(gettext_lazy("面试"), lambda a: _score(a.interview_score), css="num"),
        Column(gettext_lazy("总成绩"), lambda a: _score(a.total), "-total", css="num"),
        Column(gettext_lazy("结果"), methodcaller("get_result_display")),
    )

    def allowed(self, user: Any) -> bool:
        return policies.can_view_careers(user)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require(self.allowed(request.user))
        self.round = selectors.round_get(actor=request.user, pk=kwargs["pk"])
        self.title = self.round.title
        return super().get(request, *args, **kwargs)

    def get_form(self) -> forms.ApplicantFilterForm:
        positions = RecruitmentPost.objects.visible_to(self.request.user).filter(round=self.round)
        return forms.ApplicantFilterForm(self.request.GET or None, positions=positions)

    def get_rows(self) -> Any:
        return selectors.applicant_list(
            actor=self.request.user,
            round=self.round.pk,
            position=pk_of(self.filters.get("position")),
            result=self.filters.get("result", ""),
            search=self.filters.get("q", ""),
            ordering=self.ordering,
        )

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        keeper = policies.can_keep_careers(self.request.user)
        order = services.ROUND_ORDER
        index = order.index(self.round.state)
        context.update(
            round=self.round,
            positions=self.round.visible_positions,  # type: ignore[attr-defined]
            can_keep=keeper,
            next_state=RoundState(order[index + 1]) if keeper and index + 1 < len(order) else None,
            position_form=forms.PositionForm(
                communities=communities(self.request, policies.CAREER_KEEPERS)
            )
            if keeper and self.round.state == RoundState.OPEN
            else None,
        )
        return context

    def get_actions(self) -> list[Action]:
        if not policies.can_keep_careers(self.request.user) or self.round.state != RoundState.OPEN:
            return []
        return [
            Action(
                _("登记报名"), reverse("supports:applicant_create", args=[self.round.pk]), "primary"
            ),
            Action(_("Excel 导入"), reverse("supports:applicant_import", args=[self.round.pk])),
        ]


round_detail = RoundDetailPage.as_view()


@login_required
@require_POST
def round_advance(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_keep_careers(request.user))
    round_ = selectors.round_get(actor=request.user, pk=pk)
    form = forms.RoundAdvanceForm(request.POST)
    if form.is_valid():
        try:
            services.round_advance(
                actor=request.user, round=round_, state=form.cleaned_data["state"]
            )
        except Conflict as exc:
            message_errors(request, exc)
        else:
            messages.success(
                request,
                _("招考批次已进入“%(state)s”。")
                % {"state": RoundState(form.cleaned_data["state"]).label},
            )
    return redirect("supports:round_detail", pk=round_.pk)


@login_required
@require_POST
def position_add(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_keep_careers(request.user))
    round_ = selectors.round_get(actor=request.user, pk=pk)
    form = forms.PositionForm(
        request.POST, communities=communities(request, policies.CAREER_KEEPERS)
    )
    form_action(
        request,
        form,
        save=lambda data: services.position_add(actor=request.user, round=round_, **data),
        message=_("招考岗位已添加。"),
        invalid=_("请完整填写招录社区、岗位、起始等级和招录人数。"),
    )
    return redirect("supports:round_detail", pk=round_.pk)


def _positions(request: HttpRequest, round_: Any) -> Any:
    keepable = [
        p.pk
        for p in RecruitmentPost.objects.visible_to(request.user).filter(round=round_)
        if policies.can_keep_careers(request.user, p.area_path)
    ]
    return RecruitmentPost.objects.filter(pk__in=keepable).select_related("community")


@login_required
def applicant_create(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_keep_careers(request.user))
    round_ = selectors.round_get(actor=request.user, pk=pk)
    form = forms.ApplicantForm(request.POST or None, positions=_positions(request, round_))
    return form_page(
        request,
        form,
        save=lambda data: services.applicant_add(actor=request.user, **data),
        message=_("报名已登记。"),
        success_url=_round_url(round_),
        title=_("登记报名：%(round)s") % {"round": round_.title},
        tab="rounds",
        back=_round_url(round_),
    )


@login_required
def applicant_import(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_keep_careers(request.user))
    round_ = selectors.round_get(actor=request.user, pk=pk)
    spec = services.APPLICANT_TEMPLATE
    if request.GET.get("template"):
        return template_download(spec, "applicants")
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    plan = None
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.applicant_import(
                actor=request.user, round=round_, upload=form.cleaned_data["file"]
            )
        except Conflict as exc:
            form_errors(form, exc)
        else:
            if not plan.errors:
                messages.success(request, _("已导入 %(n)s 名报考人员。") % {"n": len(plan.objects)})
                return redirect("supports:round_detail", pk=round_.pk)
    return import_page(
        request,
        spec=spec,
        form=form,
        plan=plan,
        tab="rounds",
        back=reverse("supports:round_detail", args=[round_.pk]),
    )


@login_required
def applicant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_view_careers(request.user))
    applicant = selectors.applicant_get(actor=request.user, pk=pk)
    keeper = policies.can_keep_careers(request.user, applicant.area_path)
    return render(
        request,
        "supports/applicant_detail.html",
        {
            "applicant": applicant,
            "total": services.total_score(applicant),
            "can_keep": keeper,
            "score_form": forms.ScoreForm(
                initial={
                    "written_score": applicant.written_score,
                    "interview_score": applicant.interview_score,
                }
            ),
            "decide_form": forms.DecideForm(),
            "hire_form": forms.HireForm(),
            "may_hire": keeper and applicant.result == ApplicantResult.PASSED,
        },
    )


@login_required
@require_POST
def applicant_action(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Scores (``score``), a result (``decide``) or the hire (``hire``) of an applicant."""
    applicant = selectors.applicant_get(actor=request.user, pk=pk)
    require(policies.can_keep_careers(request.user, applicant.area_path))
    steps: dict[str, tuple[Any, Callable[..., Any], str]] = {
        "score": (forms.ScoreForm, services.applicant_score, _("成绩已录入。")),
        "decide": (forms.DecideForm, services.applicant_decide, _("结果已更新。")),
        "hire": (
            forms.HireForm,
            services.applicant_hire,
            _("已办理录用，社区工作者已建档（试用期）。"),
        ),
    }
    if step not in steps:
        raise Http404
    form_class, service, done = steps[step]
    form_action(
        request,
        form_class(request.POST),
        save=lambda data: service(actor=request.user, applicant=applicant, **data),
        message=done,
        invalid=_("请检查填写的内容。"),
    )
    return redirect("supports:applicant_detail", pk=applicant.pk)


# --- A worker's career ------------------------------------------------------------------------


@login_required
def worker_career(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_view_careers(request.user))
    worker = grid_selectors.worker_get(actor=request.user, pk=pk)
    year = timezone.localdate().year
    keeper = policies.can_keep_careers(request.user, worker.area_path)
    next_grade = worker.grade + 1 if worker.grade < GRADES else None
    return render(
        request,
        "supports/worker_career.html",
        {
            "worker": worker,
            "year": year,
            "salary": grid_selectors.salary_of(post=worker.post, grade=worker.grade, year=year),
            "next_salary": grid_selectors.salary_of(post=worker.post, grade=next_grade, year=year)
            if next_grade
            else None,
            "next_grade": next_grade,
            **selectors.career_of(actor=request.user, worker=worker),
            "can_keep": keeper,
            "appraisal_form": forms.AppraisalForm() if keeper else None,
            "promotion_form": forms.PromotionForm(
                initial={"to_post": worker.post, "to_grade": next_grade}
            )
            if keeper
            else None,
        },
    )


@login_required
@require_POST
def worker_appraise(request: HttpRequest, pk: int) -> HttpResponse:
    worker = grid_selectors.worker_get(actor=request.user, pk=pk)
    require(policies.can_keep_careers(request.user, worker.area_path))
    form_action(
        request,
        forms.AppraisalForm(request.POST),
        save=lambda data: services.appraisal_record(actor=request.user, worker=worker, **data),
        message=_("年度考核已录入。"),
        invalid=_("请选择考核年度和考核结果。"),
    )
    return redirect("supports:worker_career", pk=worker.pk)


@login_required
@require_POST
def worker_promote(request: HttpRequest, pk: int) -> HttpResponse:
    worker = grid_selectors.worker_get(actor=request.user, pk=pk)
    require(policies.can_keep_careers(request.user, worker.area_path))
    form_action(
        request,
        forms.PromotionForm(request.POST),
        save=lambda data: services.worker_promote(actor=request.user, worker=worker, **data),
        message=_("晋升已记录，岗级已调整。"),
        invalid=_("请完整填写新岗位、新等级和生效日期。"),
    )
    return redirect("supports:worker_career", pk=worker.pk)


# --- Appraisal and promotion ledgers ----------------------------------------------------------


def _post_grade(post: Any, grade: int) -> str:
    return _("%(post)s %(grade)s 级") % {"post": post, "grade": grade}


def _career_url(row: Any) -> str:
    return reverse("supports:worker_career", args=[row.worker_id])


class AppraisalListPage(SupportsListPage):
    title = gettext_lazy("年度考核")
    export_name = gettext_lazy("社区工作者年度考核台账")
    tab = "appraisals"
    table_id = "appraisal-table"
    empty_text = gettext_lazy("没有符合条件的考核结果。")
    default_ordering = "-year"
    columns = (
        Column(gettext_lazy("考核年度"), attrgetter("year"), "-year"),
        Column(gettext_lazy("姓名"), attrgetter("worker.name"), "name", link=_career_url),
        Column(gettext_lazy("所属社区"), attrgetter("worker.community.name"), "community"),
        Column(gettext_lazy("岗位"), methodcaller("get_post_display")),
        Column(gettext_lazy("等级"), attrgetter("grade"), css="num"),
        Column(gettext_lazy("考核结果"), methodcaller("get_result_display"), "result"),
        Column(gettext_lazy("考核得分"), attrgetter("score"), css="num"),
        Column(gettext_lazy("评语"), attrgetter("note")),
    )

    def allowed(self, user: Any) -> bool:
        return policies.can_view_careers(user)

    def get_form(self) -> forms.AppraisalFilterForm:
        return forms.AppraisalFilterForm(
            self.request.GET or None, communities=communities(self.request, ROSTER_ROLES)
        )

    def get_rows(self) -> Any:
        return selectors.appraisal_list(
            actor=self.request.user,
            year=self.filters.get("year"),
            result=self.filters.get("result", ""),
            community=pk_of(self.filters.get("community")),
            search=self.filters.get("q", ""),
            ordering=self.ordering,
        )


appraisal_list = AppraisalListPage.as_view()


class PromotionListPage(SupportsListPage):
    title = gettext_lazy("晋升记录")
    export_name = gettext_lazy("社区工作者晋升台账")
    tab = "promotions"
    table_id = "promotion-table"
    empty_text = gettext_lazy("没有符合条件的晋升记录。")
    default_ordering = "-date"
    columns = (
        Column(gettext_lazy("生效日期"), attrgetter("effective_on"), "-date"),
        Column(gettext_lazy("姓名"), attrgetter("worker.name"), "name", link=_career_url),
        Column(gettext_lazy("所属社区"), attrgetter("worker.community.name"), "community"),
        Column(
            gettext_lazy("原岗级"), lambda p: _post_grade(p.get_from_post_display(), p.from_grade)
        ),
        Column(gettext_lazy("新岗级"), lambda p: _post_grade(p.get_to_post_display(), p.to_grade)),
        Column(
            gettext_lazy("依据"), lambda p: f"{p.appraisal.year} {p.appraisal.get_result_display()}"
        ),
        Column(gettext_lazy("说明"), attrgetter("reason")),
    )

    def allowed(self, user: Any) -> bool:
        return policies.can_view_careers(user)

    def get_form(self) -> forms.PromotionFilterForm:
        return forms.PromotionFilterForm(
            self.request.GET or None, communities=communities(self.request, ROSTER_ROLES)
        )

    def get_rows(self) -> Any:
        return selectors.promotion_list(
            actor=self.request.user,
            year=self.filters.get("year"),
            community=pk_of(self.filters.get("community")),
            search=self.filters.get("q", ""),
            ordering=self.ordering,
        )


promotion_list = PromotionListPage.as_view()
