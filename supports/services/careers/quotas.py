"""Staff quotas (核定编制) and the vacancies they leave: workers in post and the openings of
rounds still to be filled count against a community's quota for a post."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from governance.models import Area
from grids.models import CommunityWorker, WorkerPost

from ...models import ApplicantResult, RecruitmentPost, RoundState, StaffQuota
from .._base import audit
from ._base import IN_POST, keeper, require_community


def in_post(community_id: int, post: str) -> int:
    return CommunityWorker.objects.filter(
        community_id=community_id, post=post, status__in=IN_POST
    ).count()


def open_openings(community_id: int, post: str, exclude: int | None = None) -> int:
    """Openings of rounds not yet closed that are still to be filled."""
    positions = RecruitmentPost.objects.filter(community_id=community_id, post=post).exclude(
        round__state=RoundState.CLOSED
    )
    if exclude is not None:
        positions = positions.exclude(pk=exclude)
    totals = positions.annotate(
        hired=Count("applicants", filter=Q(applicants__result=ApplicantResult.HIRED))
    ).values_list("openings", "hired")
    return sum(max(openings - hired, 0) for openings, hired in totals)


def vacancies(community_id: int, post: str) -> int:
    quota = (
        StaffQuota.objects.filter(community_id=community_id, post=post)
        .values_list("quota", flat=True)
        .first()
    )
    return (quota or 0) - in_post(community_id, post)


@transaction.atomic
def quota_set(*, actor: Any, community: Area, post: str, quota: int) -> StaffQuota:
    """Set a community's quota for a post (street or district office)."""
    require_community(community)
    keeper(actor, community.path)
    if post not in WorkerPost.values:
        raise ValidationError({"post": _("请选择岗位。")})
    if quota < 0 or quota > 99:
        raise ValidationError({"quota": _("核定人数须在 0～99 之间。")})
    row, created = StaffQuota.objects.select_for_update().get_or_create(
        community=community, post=post, defaults={"area_path": community.path, "quota": quota}
    )
    before = row.quota
    if not created:
        row.quota = quota
        row.save(update_fields=["quota"])
    audit(
        actor=actor,
        target=row,
        event="career.quota",
        created=created,
        quota=quota,
        before=None if created else before,
    )
    return row
