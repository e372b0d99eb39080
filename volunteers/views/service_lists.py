"""The volunteer service's ledgers, each a declaration on the shared list page: teams,
volunteers, activities, attendance, points, the points shop, wishes and micro-services."""

from __future__ import annotations

from operator import attrgetter, methodcaller
from typing import Any

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.listpage import Action, Column, choice_column

from .. import policies, service_forms
from .. import service_selectors as sel
from ..models import Activity, Attendance, MicroService, PointsEntry, Volunteer, VolunteerTeam, Wish
from .base import VolunteersListPage


def _orderings(kind: str) -> list[str]:
    return [f"{p}{k}" for k in sel.ORDERINGS[kind] for p in ("", "-")]


def _link(name: str) -> Any:
    return lambda row: reverse(f"volunteers:{name}", args=[row.pk])


class ServiceListPage(VolunteersListPage):
    """A list of the volunteer service, under its tabs."""

    template_name = "volunteers/service/ledger.html"
    kind = ""
    filter_form: type[service_forms._Filter] = service_forms._Filter

    def allowed(self, user: Any) -> bool:
        return policies.can_use_service(user)

    def get_form(self) -> Any:
        return self.filter_form(self.request.GET or None, communities=self.communities())

    def selection(self) -> Any:
        raise NotImplementedError

    def get_rows(self) -> Any:
        rows = sel.filter_rows(self.kind, self.selection(), self.filters)
        return sel.ordered(rows, self.kind, self.ordering)

    def create_action(self, label: Any, url_name: str) -> list[Action]:
        if not policies.can_run_service(self.request.user):
            return []
        return [Action(label, reverse(f"volunteers:{url_name}"), "primary")]


class TeamListPage(ServiceListPage):
    title = gettext_lazy("志愿服务队")
    tab = "teams"
    kind = "teams"
    table_id = "team-table"
    filter_form = service_forms.TeamFilterForm
    default_ordering = "community"
    orderings = _orderings("teams")
    columns = (
        Column(gettext_lazy("队伍名称"), attrgetter("name"), "name", link=_link("team_detail")),
        choice_column(gettext_lazy("队伍类型"), VolunteerTeam, "kind"),
        Column(gettext_lazy("社区"), attrgetter("community.name"), "community"),
        Column(gettext_lazy("服务网格"), lambda t: t.grid.name if t.grid else ""),
        Column(gettext_lazy("队长"), lambda t: t.leader.name if t.leader else ""),
        Column(gettext_lazy("服务方向"), attrgetter("focus")),
        Column(gettext_lazy("队员数"), attrgetter("n_members"), "-members", css="num"),
        Column(gettext_lazy("活动数"), attrgetter("n_activities"), "-activities", css="num"),
    )

    def selection(self) -> Any:
        return sel.team_list(actor=self.request.user)

    def get_actions(self) -> list[Action]:
        return self.create_action(_("新建队伍"), "team_new")


class VolunteerListPage(ServiceListPage):
    title = gettext_lazy("志愿者")
    tab = "volunteers"
    kind = "volunteers"
    table_id = "volunteer-table"
    filter_form = service_forms.VolunteerFilterForm
    default_ordering = "-hours"
    orderings = _orderings("volunteers")
    columns = (
        Column(gettext_lazy("姓名"), attrgetter("name"), "name", link=_link("volunteer_detail")),
        choice_column(gettext_lazy("身份"), Volunteer, "source"),
        Column(gettext_lazy("社区"), attrgetter("community.name"), "community"),
        Column(gettext_lazy("手机号"), attrgetter("phone_masked")),
        Column(gettext_lazy("特长"), attrgetter("skills")),
        Column(gettext_lazy("所在队伍数"), attrgetter("n_teams"), css="num"),
        Column(gettext_lazy("累计时长（小时）"), attrgetter("hours"), "-hours", css="num"),
        Column(gettext_lazy("星级"), attrgetter("stars_display")),
        Column(gettext_lazy("积分余额"), attrgetter("points"), "-points", css="num"),
        Column(gettext_lazy("注册日期"), attrgetter("registered_on"), "-registered_on"),
    )

    def selection(self) -> Any:
        rows = sel.volunteer_list(actor=self.request.user)
        team = self.filters.pop("team", None) if self.filters else None
        return rows.filter(memberships__team_id=team) if team else rows

    def get_actions(self) -> list[Action]:
        actions = self.create_action(_("登记志愿者"), "volunteer_new")
        if actions:
            url = reverse("volunteers:service_import", args=["volunteers"])
            actions.append(Action(_("Excel 导入"), url))
        return actions


class ActivityListPage(ServiceListPage):
    title = gettext_lazy("志愿活动")
    tab = "activities"
    kind = "activities"
    table_id = "activity-table"
    filter_form = service_forms.ActivityFilterForm
    default_ordering = "-starts_at"
    orderings = _orderings("activities")
    columns = (
        Column(gettext_lazy("活动名称"), attrgetter("title"), "title",
               link=_link("activity_detail")),
        choice_column(gettext_lazy("活动类型"), Activity, "kind"),
        Column(gettext_lazy("品牌项目/主题"), attrgetter("programme")),
        Column(gettext_lazy("社区"), attrgetter("community.name"), "community"),
        Column(gettext_lazy("组织队伍"), lambda a: a.team.name if a.team else ""),
        Column(gettext_lazy("地点"), lambda a: a.station.name if a.station else a.place),
        Column(gettext_lazy("开始时间"), attrgetter("starts_at"), "-starts_at",
               date_format="Y-m-d H:i"),
        Column(gettext_lazy("服务对象"), methodcaller("get_target_tags_display")),
        Column(gettext_lazy("报名"), attrgetter("n_signups"), "-signups", css="num"),
        Column(gettext_lazy("确认时长"), attrgetter("approved_hours"), "-hours", css="num"),
        Column(gettext_lazy("听众人次"), attrgetter("attendance_count"), "-audience", css="num"),
        choice_column(gettext_lazy("状态"), Activity, "state"),
    )  # fmt: skip

    def selection(self) -> Any:
        return sel.activity_list(actor=self.request.user)

    def get_actions(self) -> list[Action]:
        return self.create_action(_("发布活动"), "activity_new")


class AttendanceListPage(ServiceListPage):
    title = gettext_lazy("签到记录")
    tab = "attendance"
    kind = "attendance"
    table_id = "attendance-table"
    filter_form = service_forms.AttendanceFilterForm
    default_ordering = "-starts_at"
    orderings = _orderings("attendance")
    columns = (
        Column(gettext_lazy("志愿者"), attrgetter("volunteer.name"),
               link=lambda a: reverse("volunteers:volunteer_detail", args=[a.volunteer_id])),
        Column(gettext_lazy("活动"), attrgetter("activity.title"),
               link=lambda a: reverse("volunteers:activity_detail", args=[a.activity_id])),
        Column(gettext_lazy("社区"), attrgetter("activity.community.name")),
        Column(gettext_lazy("活动时间"), attrgetter("activity.starts_at"), "-starts_at",
               date_format="Y-m-d H:i"),
        choice_column(gettext_lazy("报名方式"), Attendance, "channel"),
        Column(gettext_lazy("签到"), attrgetter("checked_in_at"), date_format="H:i"),
        Column(gettext_lazy("签退"), attrgetter("checked_out_at"), date_format="H:i"),
        Column(gettext_lazy("时长（小时）"), attrgetter("hours"), "-hours", css="num"),
        choice_column(gettext_lazy("状态"), Attendance, "state", "state"),
    )  # fmt: skip

    def selection(self) -> Any:
        return sel.attendance_list(actor=self.request.user)

    def get_actions(self) -> list[Action]:
        if not policies.can_run_service(self.request.user):
            return []
        url = reverse("volunteers:service_import", args=["attendance"])
        return [Action(_("Excel 导入签到"), url)]


class PointsListPage(ServiceListPage):
    title = gettext_lazy("积分明细")
    tab = "points"
    kind = "points"
    table_id = "points-table"
    filter_form = service_forms.PointsFilterForm
    default_ordering = "-created_at"
    orderings = _orderings("points")
    columns = (
        Column(gettext_lazy("时间"), attrgetter("created_at"), "-created_at",
               date_format="Y-m-d H:i"),
        Column(gettext_lazy("志愿者"), attrgetter("volunteer.name"),
               link=lambda e: reverse("volunteers:volunteer_detail", args=[e.volunteer_id])),
        Column(gettext_lazy("社区"), attrgetter("volunteer.community.name")),
        choice_column(gettext_lazy("事项"), PointsEntry, "reason"),
        Column(gettext_lazy("积分变动"), attrgetter("delta"), "-delta", css="num"),
        Column(gettext_lazy("余额"), attrgetter("balance"), css="num"),
        Column(gettext_lazy("备注"), attrgetter("note")),
    )  # fmt: skip

    def selection(self) -> Any:
        return sel.points_list(actor=self.request.user)


class ShopListPage(ServiceListPage):
    title = gettext_lazy("积分超市")
    tab = "shop"
    kind = "shop"
    table_id = "shop-table"
    filter_form = service_forms.ShopFilterForm
    default_ordering = "points"
    orderings = _orderings("shop")
    columns = (
        Column(gettext_lazy("物品名称"), attrgetter("name"), "name"),
        Column(gettext_lazy("社区"), attrgetter("community.name")),
        Column(gettext_lazy("所需积分"), attrgetter("points"), "points", css="num"),
        Column(gettext_lazy("库存"), attrgetter("stock"), "-stock", css="num"),
        Column(gettext_lazy("已兑换次数"), attrgetter("n_redeemed"), css="num"),
    )

    def selection(self) -> Any:
        return sel.shop_list(actor=self.request.user)

    def get_actions(self) -> list[Action]:
        return self.create_action(_("上架物品"), "shop_new")


def _ageing(wish: Wish) -> SafeString:
    days = wish.waiting_days
    if days is None:
        return format_html("{}", "—")
    css = "badge--urgent" if days > 30 else "badge--plain"
    return format_html('<span class="badge {}">{}</span>', css, _("已等待 %(d)s 天") % {"d": days})


class WishListPage(ServiceListPage):
    title = gettext_lazy("微心愿")
    tab = "wishes"
    kind = "wishes"
    table_id = "wish-table"
    filter_form = service_forms.WishFilterForm
    default_ordering = "-posted_at"
    orderings = _orderings("wishes")
    columns = (
        Column(gettext_lazy("心愿"), attrgetter("title"), link=_link("wish_detail")),
        Column(gettext_lazy("心愿人"), attrgetter("beneficiary")),
        Column(gettext_lazy("社区"), attrgetter("community.name")),
        Column(gettext_lazy("提交时间"), attrgetter("posted_at"), "-posted_at"),
        choice_column(gettext_lazy("状态"), Wish, "state", "state"),
        Column(gettext_lazy("认领方"), attrgetter("claimant_name")),
        Column(gettext_lazy("待认领天数"), attrgetter("waiting_days"), "waiting", html=_ageing),
    )

    def selection(self) -> Any:
        return sel.wish_list(actor=self.request.user)

    def get_actions(self) -> list[Action]:
        if not policies.can_post_wish(self.request.user):
            return []
        return [Action(_("登记微心愿"), reverse("volunteers:wish_new"), "primary")]


class MicroListPage(ServiceListPage):
    title = gettext_lazy("微服务")
    tab = "micro"
    kind = "micro"
    table_id = "micro-table"
    filter_form = service_forms.MicroFilterForm
    default_ordering = "kind"
    orderings = _orderings("micro")
    columns = (
        Column(gettext_lazy("服务名称"), attrgetter("title"), "title", link=_link("micro_detail")),
        choice_column(gettext_lazy("类别"), MicroService, "kind", "kind"),
        Column(gettext_lazy("社区"), attrgetter("community.name")),
        Column(gettext_lazy("提供方"), attrgetter("provider")),
        Column(gettext_lazy("服务记录"), attrgetter("n_records"), "-records", css="num"),
    )

    def selection(self) -> Any:
        return sel.micro_list(actor=self.request.user)

    def get_actions(self) -> list[Action]:
        return self.create_action(_("新增微服务"), "micro_new")


team_list = TeamListPage.as_view()
volunteer_list = VolunteerListPage.as_view()
activity_list = ActivityListPage.as_view()
attendance_list = AttendanceListPage.as_view()
points_list = PointsListPage.as_view()
shop_list = ShopListPage.as_view()
wish_list = WishListPage.as_view()
micro_list = MicroListPage.as_view()
