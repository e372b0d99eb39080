"""The seed report's 双报到 and volunteer figures, computed live from the actor's scope: 27
units checked in at 15 communities, 40 co-building projects, 1,700 people mobilised by the
campaign; 24 grid volunteer teams, 170 volunteers, 500+ activities (270+ brand), 126 talks
with 2,750 attendances, 120+ activities at the red stations."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.figures import SeedFigure
from grids.models import StationKind

from .models import (
    VOLUNTEER_KINDS,
    Activity,
    ActivityKind,
    ActivityState,
    CampaignSignup,
    CheckInState,
    CoBuildProject,
    TeamKind,
    UnitCheckIn,
    Volunteer,
    VolunteerTeam,
)


def service_figures(actor: Any) -> list[SeedFigure]:
    """志愿队伍联心暖群众 and the red stations: 24 grid teams with 170 volunteers, 500+
    activities of which 270+ brand activities, 126 talks with 2,750 attendances, 120+
    party-member activities at the red stations. Cancelled activities do not count."""
    activities = (
        Activity.objects.visible_to(actor)
        .exclude(state=ActivityState.CANCELLED)
        .aggregate(
            volunteer=Count("pk", filter=Q(kind__in=VOLUNTEER_KINDS)),
            brand=Count("pk", filter=Q(kind=ActivityKind.BRAND)),
            talks=Count("pk", filter=Q(kind=ActivityKind.TALK)),
            audience=Sum("attendance_count", filter=Q(kind=ActivityKind.TALK), default=0),
            station=Count(
                "pk",
                filter=Q(kind=ActivityKind.STATION, station__kind=StationKind.RED_STATION),
            ),
        )
    )
    activity_list = f"{reverse('volunteers:activity_list')}?active=on&"
    return [
        SeedFigure(
            key="grid_volunteer_teams",
            label=_("网格志愿服务队"),
            value=VolunteerTeam.objects.visible_to(actor).filter(kind=TeamKind.GRID).count(),
            seed=24,
            drill=f"{reverse('volunteers:team_list')}?kind=grid",
            definition=_("以网格为单位成立的志愿服务队数。"),
        ),
        SeedFigure(
            key="volunteers",
            label=_("志愿者"),
            value=Volunteer.objects.visible_to(actor).filter(is_active=True).count(),
            seed=170,
            drill=reverse("volunteers:volunteer_list"),
            definition=_("在册志愿者人数（一人加入多支队伍只计一次）。"),
        ),
        SeedFigure(
            key="volunteer_activities",
            label=_("志愿服务活动"),
            value=activities["volunteer"],
            seed=500,
            drill=f"{activity_list}kind=volunteer&kind=brand",
            definition=_("志愿服务和品牌公益活动场次（不含已取消）。"),
        ),
        SeedFigure(
            key="brand_activities",
            label=_("品牌公益活动"),
            value=activities["brand"],
            seed=270,
            drill=f"{activity_list}kind=brand",
            definition=_("品牌志愿服务队开展的品牌公益活动场次。"),
        ),
        SeedFigure(
            key="talks",
            label=_("宣讲"),
            value=activities["talks"],
            seed=126,
            drill=f"{activity_list}kind=talk",
            definition=_("反诈、消防安全和急救、社保医保等宣讲场次。"),
        ),
        SeedFigure(
            key="talk_attendances",
            label=_("宣讲受众"),
            value=activities["audience"],
            seed=2750,
            drill=f"{activity_list}kind=talk&o=-audience",
            definition=_("各场宣讲到场听讲居民人次之和。"),
        ),
        SeedFigure(
            key="station_activities",
            label=_("红色驿站党员志愿服务"),
            value=activities["station"],
            seed=120,
            drill=f"{activity_list}kind=station&station_only=on",
            definition=_("在红色驿站开展的党员志愿服务活动场次。"),
        ),
    ]


def seed_figures(actor: Any) -> list[SeedFigure]:
    year = timezone.localdate().year
    checked_in = (
        UnitCheckIn.objects.visible_to(actor)
        .filter(state=CheckInState.CONFIRMED, year=year)
        .aggregate(
            departments=Count("department", distinct=True),
            communities=Count("community", distinct=True),
        )
    )
    people = CampaignSignup.objects.visible_to(actor).values("person").distinct().order_by().count()
    return [
        SeedFigure(
            key="departments_checked_in",
            label=_("报到区直部门（单位）"),
            value=checked_in["departments"],
            seed=27,
            drill=f"{reverse('volunteers:checkin_list')}?year={year}&state=confirmed",
            definition=_("本年度经社区确认报到的不同单位数。"),
        ),
        SeedFigure(
            key="communities_with_checkins",
            label=_("有单位报到的社区"),
            value=checked_in["communities"],
            seed=15,
            drill=f"{reverse('volunteers:coverage')}?year={year}",
            definition=_("本年度至少有一个单位确认报到的社区数。"),
        ),
        SeedFigure(
            key="cobuild_projects",
            label=_("共驻共建项目"),
            value=CoBuildProject.objects.visible_to(actor).count(),
            seed=40,
            drill=reverse("volunteers:project_list"),
            definition=_("由需求清单和资源清单确定的共驻共建项目数（含各状态）。"),
        ),
        SeedFigure(
            key="campaign_people",
            label=_("专项行动动员党员干部、志愿者"),
            value=people,
            seed=1700,
            drill=reverse("volunteers:campaign_people"),
            definition=_("在专项行动中报名值守的不同人员数（每人只计一次）。"),
        ),
        *service_figures(actor),
    ]
