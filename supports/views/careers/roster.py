"""The posts of each community against its quota (岗位编制与空缺) and setting a quota."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.listpage import Action, Column
from grids.models import WorkerPost

from ... import forms, policies
from ...querysets import ROSTER_ROLES
from ...selectors import careers as selectors
from ...services import careers as services
from ..base import (
    SupportsListPage,
    communities,
    form_page,
    require,
    streets,
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
