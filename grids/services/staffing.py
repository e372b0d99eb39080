"""Who holds which post on a grid (网格员, 网格长, 网格党组织书记). Staffing changes lock the
grid's row, so two people naming a leader at once give one leader and one clear refusal."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import audit_record
from grids import policies
from grids.models import (
    SINGLE_POSTS,
    CommunityWorker,
    Grid,
    GridPost,
    GridStaffing,
    RecruitmentStatus,
)

from .base import require


@transaction.atomic
def staffing_assign(
    *,
    actor: Any,
    grid: Grid,
    post: str,
    started_on: date,
    worker: CommunityWorker | None = None,
    person_name: str = "",
    note: str = "",
) -> GridStaffing:
    """Give someone a post on a grid from ``started_on``.

    A grid has one leader and one party secretary at a time: naming a new one ends the
    current holder's term the day before (the history keeps both). Grid workers are posted
    from the community workers of the grid's own community who are not gone."""
    require(actor is None or policies.can_manage_grids(actor, grid.area_path))
    grid = Grid.objects.select_for_update().get(pk=grid.pk)
    if post not in GridPost.values:
        raise ValidationError({"post": _("网格职务无效。")})
    if post == GridPost.WORKER and worker is None:
        raise ValidationError({"worker": _("网格员须从本社区的社区工作者中选派。")})
    if worker is not None:
        if worker.community_id != grid.community_id:
            raise ValidationError({"worker": _("只能选派本社区的社区工作者。")})
        if worker.status == RecruitmentStatus.LEFT:
            raise ValidationError({"worker": _("该社区工作者已离职。")})
        person_name = worker.name
    person_name = person_name.strip()
    if not person_name:
        raise ValidationError({"person_name": _("请填写姓名。")})
    current = GridStaffing.objects.filter(grid=grid, post=post, ended_on__isnull=True)
    if worker is not None and current.filter(worker=worker).exists():
        raise ValidationError(
            {"worker": _("%(name)s 已在本网格担任该职务。") % {"name": person_name}}
        )
    if post in SINGLE_POSTS:
        for previous in current:
            if previous.started_on > started_on:
                raise ValidationError(
                    {
                        "started_on": _("任职日期不能早于现任者的任职日期 %(day)s。")
                        % {"day": previous.started_on}
                    }
                )
            previous.ended_on = started_on
            previous.save(update_fields=["ended_on"])
    staffing = GridStaffing.objects.create(
        grid=grid,
        area_path=grid.area_path,
        post=post,
        worker=worker,
        person_name=person_name,
        started_on=started_on,
        note=note,
    )
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        username="system",
        target=staffing,
        detail={"grid": grid.pk, "post": post},
    )
    return staffing


@transaction.atomic
def staffing_end(*, actor: Any, staffing: GridStaffing, ended_on: date) -> GridStaffing:
    """End a term. A term that has already ended cannot be ended again (two clicks: one wins)."""
    require(actor is None or policies.can_manage_grids(actor, staffing.area_path))
    if ended_on < staffing.started_on:
        raise ValidationError({"ended_on": _("离任日期不能早于任职日期。")})
    updated = GridStaffing.objects.filter(pk=staffing.pk, ended_on__isnull=True).update(
        ended_on=ended_on
    )
    if not updated:
        raise ValidationError(_("该任职记录已结束。"))
    staffing.ended_on = ended_on
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        username="system",
        target=staffing,
        detail={"ended_on": ended_on.isoformat()},
    )
    return staffing
