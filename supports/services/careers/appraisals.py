"""Annual appraisals (年度考核) and the promotions along 3岗18级 they allow. A promotion
records its step through ``grids.services.worker_grade_change`` in the same transaction and
locks the appraisal it is based on, so one appraisal promotes once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from common.errors import Conflict
from grids import services as grid_services
from grids.models import GRADES, CommunityWorker, WorkerPost

from ...models import PROMOTING_RESULTS, Appraisal, AppraisalResult, Promotion, StaffQuota
from .._base import audit, today, user_or_none
from ._base import POST_ORDER, keeper
from .quotas import vacancies


@transaction.atomic
def appraisal_record(
    *,
    actor: Any,
    worker: CommunityWorker,
    year: int,
    result: str,
    score: Decimal | None = None,
    note: str = "",
) -> Appraisal:
    """A worker's annual appraisal, once per year, for a year that has begun and that the
    worker was in post. The post and grade held at the end of that year are kept with it."""
    worker = CommunityWorker.objects.select_for_update().get(pk=worker.pk)
    keeper(actor, worker.area_path)
    errors = {}
    if result not in AppraisalResult.values:
        errors["result"] = _("请选择考核结果。")
    if year > today().year:
        errors["year"] = _("考核年度不能晚于今年。")
    elif worker.hired_on is not None and year < worker.hired_on.year:
        errors["year"] = _("考核年度早于入职年份。")
    if score is not None and not Decimal(0) <= score <= Decimal(100):
        errors["score"] = _("考核得分须在 0～100 之间。")
    if errors:
        raise ValidationError(errors)
    if worker.appraisals.filter(year=year).exists():
        raise ValidationError({"year": _("%(year)s 年度已有考核结果。") % {"year": year}})
    held = (
        worker.grade_changes.filter(effective_on__lte=date(year, 12, 31))
        .order_by("-effective_on", "-id")
        .first()
    )
    appraisal = Appraisal(
        worker=worker,
        area_path=worker.area_path,
        year=year,
        post=held.post if held else worker.post,
        grade=held.grade if held else worker.grade,
        result=result,
        score=score,
        note=note.strip(),
        recorded_by=user_or_none(actor),
    )
    appraisal.full_clean()
    appraisal.save()
    audit(actor=actor, target=appraisal, event="career.appraise", created=True, result=result)
    return appraisal


@transaction.atomic
def worker_promote(
    *,
    actor: Any,
    worker: CommunityWorker,
    to_post: str,
    to_grade: int,
    effective_on: date,
    reason: str = "",
) -> Promotion:
    """Promote a worker along 3岗18级 on the strength of the previous year's appraisal
    (优秀 or 称职): one grade up within the post, or a higher post (within its quota) at any
    grade. One appraisal promotes once; the step is written to the grade history."""
    worker = CommunityWorker.objects.select_for_update().get(pk=worker.pk)
    keeper(actor, worker.area_path)
    basis_year = effective_on.year - 1
    appraisal = Appraisal.objects.select_for_update().filter(worker=worker, year=basis_year).first()
    if appraisal is None:
        raise ValidationError(
            {"effective_on": _("缺少 %(year)s 年度考核结果，不能晋升。") % {"year": basis_year}}
        )
    if appraisal.result not in PROMOTING_RESULTS:
        raise ValidationError(
            {
                "effective_on": _("%(year)s 年度考核为“%(result)s”，不能晋升。")
                % {"year": basis_year, "result": appraisal.get_result_display()}
            }
        )
    if appraisal.promotions.exists():
        raise Conflict(_("该年度考核已用于一次晋升。"))
    errors = {}
    if to_post not in POST_ORDER:
        errors["to_post"] = _("请选择岗位。")
    elif POST_ORDER.index(to_post) < POST_ORDER.index(worker.post):
        errors["to_post"] = _("晋升不能降低岗位。")
    elif to_post == worker.post and to_grade != worker.grade + 1:
        errors["to_grade"] = _("同一岗位内每次晋升一级（当前 %(grade)s 级）。") % {
            "grade": worker.grade
        }
    if not 1 <= to_grade <= GRADES:
        errors["to_grade"] = _("等级须在 1～%(max)s 级之间（已是最高等级则不能晋级）。") % {
            "max": GRADES
        }
    if errors:
        raise ValidationError(errors)
    if to_post != worker.post:
        StaffQuota.objects.select_for_update().filter(
            community_id=worker.community_id, post=to_post
        ).first()
        if vacancies(worker.community_id, to_post) < 1:
            raise ValidationError(
                {"to_post": _("本社区%(post)s没有空缺。") % {"post": WorkerPost(to_post).label}}
            )
    from_post, from_grade = worker.post, worker.grade
    change = grid_services.worker_grade_change(
        actor=actor,
        worker=worker,
        post=to_post,
        grade=to_grade,
        effective_on=effective_on,
        reason=reason.strip() or _("%(year)s 年度考核晋升") % {"year": basis_year},
    )
    try:
        with transaction.atomic():
            promotion = Promotion.objects.create(
                worker=worker,
                area_path=worker.area_path,
                from_post=from_post,
                from_grade=from_grade,
                to_post=to_post,
                to_grade=to_grade,
                effective_on=effective_on,
                appraisal=appraisal,
                grade_change=change,
                reason=reason.strip(),
                approved_by=user_or_none(actor),
            )
    except IntegrityError as exc:
        raise Conflict(_("该年度考核已用于一次晋升。")) from exc
    audit(
        actor=actor,
        target=promotion,
        event="career.promote",
        created=True,
        to_post=to_post,
        to_grade=to_grade,
    )
    return promotion
