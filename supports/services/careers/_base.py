"""What the careers services share: the keeper's guard, the community check and the orders
and weights the pages and selectors read too."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from governance.models import Area, AreaLevel
from grids.models import RecruitmentStatus, WorkerPost

from ... import policies
from ...models import RoundState
from .._base import system_or

#: Posts from the lowest up: a promotion may change the post only upwards.
POST_ORDER: list[str] = [WorkerPost.STAFF, WorkerPost.DEPUTY, WorkerPost.HEAD]
#: The states of a round, in order; a round only moves forward.
ROUND_ORDER: list[str] = [
    RoundState.OPEN,
    RoundState.EXAMINING,
    RoundState.PUBLISHED,
    RoundState.CLOSED,
]
WRITTEN_WEIGHT, INTERVIEW_WEIGHT = Decimal("0.6"), Decimal("0.4")
#: Workers who count against a quota.
IN_POST = (RecruitmentStatus.ACTIVE, RecruitmentStatus.PROBATION)


def keeper(actor: Any, area_path: str | None = None) -> None:
    """Only a careers keeper of the area (street or district office) writes; the system may."""
    system_or(actor, lambda: policies.can_keep_careers(actor, area_path))


def require_community(area: Area) -> None:
    if area.level != AreaLevel.COMMUNITY:
        raise ValidationError({"community": _("请选择一个社区。")})
