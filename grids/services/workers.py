"""The community worker roster: profiles, 五员 duties, posts and grades (3岗18级) with their
history, and trainings."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import audit_record
from governance.models import Area, AreaLevel
from grids import policies
from grids.models import GRADES, CommunityWorker, GradeChange, RecruitmentStatus, Training

from .base import require

WORKER_FIELDS = ("name", "duty", "status", "is_party_member", "hired_on", "note", "user")


@transaction.atomic
def worker_create(
    *,
    actor: Any,
    community: Area,
    name: str,
    post: str,
    grade: int,
    duty: str = "",
    status: str = RecruitmentStatus.ACTIVE,
    is_party_member: bool = False,
    hired_on: date | None = None,
    user: Any = None,
    note: str = "",
) -> CommunityWorker:
    """Add a community worker with a starting post and grade (its first grade-history row)."""
    if community.level != AreaLevel.COMMUNITY:
        raise ValidationError({"community": _("社区工作者须属于一个社区。")})
    require(actor is None or policies.can_manage_workers(actor, community.path))
    if user is not None and CommunityWorker.objects.filter(user=user).exists():
        raise ValidationError({"user": _("该账号已关联其他社区工作者。")})
    worker = CommunityWorker(
        community=community,
        area_path=community.path,
        name=name.strip(),
        post=post,
        grade=grade,
        duty=duty,
        status=status,
        is_party_member=is_party_member,
        hired_on=hired_on,
        user=user,
        note=note,
    )
    worker.full_clean()
    worker.save()
    GradeChange.objects.create(
        worker=worker,
        area_path=worker.area_path,
        post=post,
        grade=grade,
        effective_on=hired_on or timezone.localdate(),
        reason=_("入职定岗定级"),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(action=AuditAction.CREATE, actor=actor, username="system", target=worker)
    return worker


@transaction.atomic
def worker_update(*, actor: Any, worker: CommunityWorker, **changes: Any) -> CommunityWorker:
    """Change a worker's profile, 五员 duty or recruitment status (not the grade: see
    :func:`worker_grade_change`). A worker who leaves gives up their grid posts that day."""
    unknown = set(changes) - set(WORKER_FIELDS)
    if unknown:
        raise TypeError(f"worker_update: unknown fields {sorted(unknown)}")
    worker = CommunityWorker.objects.select_for_update().get(pk=worker.pk)
    require(actor is None or policies.can_manage_workers(actor, worker.area_path))
    user = changes.get("user")
    if user is not None and CommunityWorker.objects.filter(user=user).exclude(pk=worker.pk):
        raise ValidationError({"user": _("该账号已关联其他社区工作者。")})
    for field, value in changes.items():
        setattr(worker, field, value)
    worker.full_clean()
    worker.save()
    if worker.status == RecruitmentStatus.LEFT:
        today = timezone.localdate()
        worker.staffings.filter(ended_on__isnull=True, started_on__lte=today).update(ended_on=today)
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        username="system",
        target=worker,
        detail={"fields": sorted(changes)},
    )
    return worker


@transaction.atomic
def worker_grade_change(
    *,
    actor: Any,
    worker: CommunityWorker,
    post: str,
    grade: int,
    effective_on: date,
    reason: str = "",
) -> GradeChange:
    """Record a new post and grade from ``effective_on`` (street or district office only).

    The worker's current post and grade follow the latest change in effect today; a change
    dated later than today is refused (enter it on the day it takes effect)."""
    worker = CommunityWorker.objects.select_for_update().get(pk=worker.pk)
    require(actor is None or policies.can_change_grade(actor, worker.area_path))
    errors: dict[str, str] = {}
    if not 1 <= grade <= GRADES:
        errors["grade"] = _("等级须在 1～%(max)s 级之间。") % {"max": GRADES}
    if effective_on > timezone.localdate():
        errors["effective_on"] = _("生效日期不能晚于今天。")
    if worker.grade_changes.filter(effective_on=effective_on).exists():
        errors["effective_on"] = _("该日期已有一条岗级变动。")
    if errors:
        raise ValidationError(errors)
    change = GradeChange.objects.create(
        worker=worker,
        area_path=worker.area_path,
        post=post,
        grade=grade,
        effective_on=effective_on,
        reason=reason,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    latest = worker.grade_changes.order_by("-effective_on", "-id").first()
    assert latest is not None
    if (worker.post, worker.grade) != (latest.post, latest.grade):
        worker.post, worker.grade = latest.post, latest.grade
        worker.save(update_fields=["post", "grade"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        username="system",
        target=worker,
        detail={"post": post, "grade": grade, "effective_on": effective_on.isoformat()},
    )
    return change


@transaction.atomic
def training_add(
    *,
    actor: Any,
    worker: CommunityWorker,
    course: str,
    hours: Decimal,
    trained_on: date,
    organiser: str = "",
) -> Training:
    require(actor is None or policies.can_manage_workers(actor, worker.area_path))
    if hours <= 0:
        raise ValidationError({"hours": _("学时须大于 0。")})
    if trained_on > timezone.localdate():
        raise ValidationError({"trained_on": _("培训日期不能晚于今天。")})
    training = Training(
        worker=worker,
        area_path=worker.area_path,
        course=course.strip(),
        hours=hours,
        trained_on=trained_on,
        organiser=organiser.strip(),
    )
    training.full_clean()
    training.save()
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        username="system",
        target=training,
        detail={"worker": worker.pk},
    )
    return training
