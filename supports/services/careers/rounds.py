"""Recruitment rounds (招考批次) and the posts they offer. A post's openings never exceed the
community's vacancies."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.errors import Conflict
from governance.models import Area
from grids.models import GRADES, WorkerPost

from ...models import RecruitmentPost, RecruitmentRound, RoundState, StaffQuota
from .._base import audit, user_or_none
from ._base import ROUND_ORDER, keeper, require_community
from .quotas import open_openings, vacancies


@transaction.atomic
def round_create(
    *,
    actor: Any,
    title: str,
    year: int,
    announced_on: date,
    signup_ends_on: date,
    exam_on: date | None = None,
    note: str = "",
) -> RecruitmentRound:
    keeper(actor)
    errors = {}
    if RecruitmentRound.objects.filter(title=title.strip()).exists():
        errors["title"] = _("已有同名的招考批次。")
    if signup_ends_on < announced_on:
        errors["signup_ends_on"] = _("报名截止日期不能早于公告日期。")
    if exam_on is not None and exam_on < signup_ends_on:
        errors["exam_on"] = _("考试日期不能早于报名截止日期。")
    if errors:
        raise ValidationError(errors)
    round_ = RecruitmentRound(
        title=title.strip(),
        year=year,
        announced_on=announced_on,
        signup_ends_on=signup_ends_on,
        exam_on=exam_on,
        note=note,
        created_by=user_or_none(actor),
    )
    round_.full_clean()
    round_.save()
    audit(actor=actor, target=round_, event="recruitment.create", created=True)
    return round_


@transaction.atomic
def round_advance(*, actor: Any, round: RecruitmentRound, state: str) -> RecruitmentRound:
    """Move a round forward: 报名中 → 考试中 → 结果公示 → 已结束 (never back)."""
    keeper(actor)
    round_ = RecruitmentRound.objects.select_for_update().get(pk=round.pk)
    if state not in ROUND_ORDER or ROUND_ORDER.index(state) <= ROUND_ORDER.index(round_.state):
        raise Conflict(
            _("招考批次当前为“%(state)s”，不能改为该状态。") % {"state": round_.get_state_display()}
        )
    before = round_.state
    round_.state = state
    round_.save(update_fields=["state"])
    audit(actor=actor, target=round_, event="recruitment.advance", before=before, to=state)
    return round_


@transaction.atomic
def position_add(
    *,
    actor: Any,
    round: RecruitmentRound,
    community: Area,
    post: str,
    openings: int,
    grade: int = 1,
) -> RecruitmentPost:
    """Offer openings of a post in a community. They may not exceed the community's vacancies
    (its quota less the workers in post and the openings of other rounds still to be filled)."""
    require_community(community)
    keeper(actor, community.path)
    if round.state != RoundState.OPEN:
        raise Conflict(_("只有报名中的招考批次可以增加岗位。"))
    errors = {}
    if post not in WorkerPost.values:
        errors["post"] = _("请选择岗位。")
    if not 1 <= grade <= GRADES:
        errors["grade"] = _("等级须在 1～%(max)s 级之间。") % {"max": GRADES}
    if openings < 1:
        errors["openings"] = _("招录人数须至少为 1。")
    if errors:
        raise ValidationError(errors)
    StaffQuota.objects.select_for_update().filter(community=community, post=post).first()
    free = vacancies(community.pk, post) - open_openings(community.pk, post)
    if openings > free:
        raise ValidationError(
            {
                "openings": _("%(community)s%(post)s空缺 %(n)s 人，招录人数不能超过空缺。")
                % {"community": community.name, "post": WorkerPost(post).label, "n": max(free, 0)}
            }
        )
    if round.positions.filter(community=community, post=post).exists():
        raise ValidationError({"post": _("本批次已有该社区的这一岗位。")})
    position = RecruitmentPost(
        round=round,
        community=community,
        area_path=community.path,
        post=post,
        grade=grade,
        openings=openings,
    )
    position.full_clean()
    position.save()
    audit(actor=actor, target=position, event="recruitment.position", created=True)
    return position
