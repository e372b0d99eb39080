"""The seed report's 双报到 figures, computed live from the actor's scope: 27 units checked in
at 15 communities, 40 co-building projects, 1,700 people mobilised by the campaign."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.figures import SeedFigure

from .models import CampaignSignup, CheckInState, CoBuildProject, UnitCheckIn


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
    ]
