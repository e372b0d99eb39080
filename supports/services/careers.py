"""Writes of the community worker careers: quotas, recruitment (招考), annual appraisal and
promotions along 3岗18级.

The worker and its grade history belong to the grids app: hiring an applicant creates the
worker through ``grids.services.worker_create`` and a promotion records its step through
``grids.services.worker_grade_change``, in the same transaction as the row kept here.
Concurrency: a hire locks its recruitment post, so two hires at once never exceed the
openings; a promotion locks the appraisal it is based on, so one appraisal promotes once.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.personal_data import blind_index
from common.errors import Conflict
from governance.idcard import normalise_id_number, normalise_phone, parse_id_number
from governance.models import Area, AreaLevel
from grids import services as grid_services
from grids.models import GRADES, CommunityWorker, RecruitmentStatus, WorkerPost

from .. import imports, policies
from ..models import (
    PROMOTING_RESULTS,
    Applicant,
    ApplicantResult,
    Appraisal,
    AppraisalResult,
    Education,
    Promotion,
    RecruitmentPost,
    RecruitmentRound,
    RoundState,
    StaffQuota,
)
from ._base import audit, system_or, today, user_or_none

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


def _keeper(actor: Any, area_path: str | None = None) -> None:
    system_or(actor, lambda: policies.can_keep_careers(actor, area_path))


def _community(area: Area) -> None:
    if area.level != AreaLevel.COMMUNITY:
        raise ValidationError({"community": _("请选择一个社区。")})


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
    _community(community)
    _keeper(actor, community.path)
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
    _keeper(actor)
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
    _keeper(actor)
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
    _community(community)
    _keeper(actor, community.path)
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


def _applicant_values(
    *, name: str, gender: str, id_number: str, phone: str, education: str
) -> dict[str, Any]:
    errors = {}
    if not name.strip():
        errors["name"] = _("请填写姓名。")
    if gender not in ("M", "F"):
        errors["gender"] = _("性别须为男或女。")
    if education not in Education.values:
        errors["education"] = _("请选择学历。")
    id_number = normalise_id_number(id_number)
    if not id_number:
        errors["id_number"] = _("请填写身份证号。")
    else:
        try:
            _birth, id_gender = parse_id_number(id_number)
        except ValidationError as exc:
            errors["id_number"] = exc.messages[0]
        else:
            if gender in ("M", "F") and gender != id_gender:
                errors["gender"] = _("性别与身份证号不符。")
    if phone.strip():
        try:
            phone = normalise_phone(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages[0]
    else:
        phone = ""
    if errors:
        raise ValidationError(errors)
    return {
        "name": name.strip(),
        "gender": gender,
        "id_number": id_number,
        "id_number_hash": blind_index(id_number),
        "phone": phone,
        "phone_hash": blind_index(phone),
        "education": education,
    }


@transaction.atomic
def applicant_add(
    *,
    actor: Any,
    position: RecruitmentPost,
    name: str,
    gender: str,
    id_number: str,
    education: str,
    phone: str = "",
    is_party_member: bool = False,
) -> Applicant:
    """Register an applicant for a post of an open round (once per round per ID number)."""
    _keeper(actor, position.area_path)
    round_ = RecruitmentRound.objects.select_for_update().get(pk=position.round_id)
    if round_.state != RoundState.OPEN:
        raise Conflict(_("该招考批次已截止报名。"))
    values = _applicant_values(
        name=name, gender=gender, id_number=id_number, phone=phone, education=education
    )
    if round_.applicants.filter(id_number_hash=values["id_number_hash"]).exists():
        raise ValidationError({"id_number": _("该身份证号已报名本批次。")})
    applicant = Applicant(
        position=position,
        round=round_,
        area_path=position.area_path,
        is_party_member=is_party_member,
        **values,
    )
    applicant.full_clean(exclude=["id_number_hash", "phone_hash"])
    applicant.save()
    audit(actor=actor, target=applicant, event="recruitment.apply", created=True)
    return applicant


def _locked_applicant(actor: Any, applicant: Applicant) -> Applicant:
    locked = (
        Applicant.objects.select_for_update(of=("self",))
        .select_related("round", "position")
        .get(pk=applicant.pk)
    )
    _keeper(actor, locked.area_path)
    return locked


@transaction.atomic
def applicant_score(
    *,
    actor: Any,
    applicant: Applicant,
    written_score: Decimal | None,
    interview_score: Decimal | None,
) -> Applicant:
    applicant = _locked_applicant(actor, applicant)
    if applicant.round.state not in (RoundState.EXAMINING, RoundState.PUBLISHED):
        raise Conflict(_("只有考试中或结果公示的批次可以录入成绩。"))
    errors = {}
    for field, value in (("written_score", written_score), ("interview_score", interview_score)):
        if value is not None and not Decimal(0) <= value <= Decimal(100):
            errors[field] = _("成绩须在 0～100 之间。")
    if errors:
        raise ValidationError(errors)
    applicant.written_score, applicant.interview_score = written_score, interview_score
    applicant.save(update_fields=["written_score", "interview_score", "updated_at"])
    audit(actor=actor, target=applicant, event="recruitment.score")
    return applicant


def total_score(applicant: Applicant) -> Decimal | None:
    """笔试 60 % + 面试 40 %, once both are in."""
    if applicant.written_score is None or applicant.interview_score is None:
        return None
    total = applicant.written_score * WRITTEN_WEIGHT + applicant.interview_score * INTERVIEW_WEIGHT
    return total.quantize(Decimal("0.01"))


@transaction.atomic
def applicant_decide(*, actor: Any, applicant: Applicant, result: str) -> Applicant:
    """拟录用, 未录用 or 放弃. 拟录用 needs both scores; a hired applicant is final."""
    applicant = _locked_applicant(actor, applicant)
    if result not in (ApplicantResult.PASSED, ApplicantResult.FAILED, ApplicantResult.WITHDRAWN):
        raise ValidationError({"result": _("请选择拟录用、未录用或放弃。")})
    if applicant.result == ApplicantResult.HIRED:
        raise Conflict(_("该人员已录用，不能更改结果。"))
    if result == ApplicantResult.PASSED and total_score(applicant) is None:
        raise ValidationError({"result": _("请先录入笔试和面试成绩。")})
    if applicant.round.state == RoundState.CLOSED:
        raise Conflict(_("该招考批次已结束。"))
    before = applicant.result
    applicant.result = result
    applicant.save(update_fields=["result", "updated_at"])
    audit(actor=actor, target=applicant, event="recruitment.result", before=before, to=result)
    return applicant


@transaction.atomic
def applicant_hire(*, actor: Any, applicant: Applicant, hired_on: date) -> CommunityWorker:
    """Hire a 拟录用 applicant: the community worker is created on probation with the post and
    starting grade of the opening. The opening's row is locked: never more hires than
    openings."""
    position = RecruitmentPost.objects.select_for_update().get(pk=applicant.position_id)
    applicant = _locked_applicant(actor, applicant)
    if applicant.result != ApplicantResult.PASSED:
        raise Conflict(_("只有“拟录用”的人员可以办理录用。"))
    if applicant.round.state not in (RoundState.PUBLISHED, RoundState.CLOSED):
        raise Conflict(_("招考结果公示后才能办理录用。"))
    if hired_on > today():
        raise ValidationError({"hired_on": _("入职日期不能晚于今天。")})
    hired = position.applicants.filter(result=ApplicantResult.HIRED).count()
    if hired >= position.openings:
        raise Conflict(_("该岗位 %(n)s 个名额已录满。") % {"n": position.openings})
    worker = grid_services.worker_create(
        actor=actor,
        community=position.community,
        name=applicant.name,
        post=position.post,
        grade=position.grade,
        status=RecruitmentStatus.PROBATION,
        is_party_member=applicant.is_party_member,
        hired_on=hired_on,
        note=_("%(round)s录用") % {"round": applicant.round.title},
    )
    applicant.worker, applicant.result = worker, ApplicantResult.HIRED
    applicant.save(update_fields=["worker", "result", "updated_at"])
    audit(actor=actor, target=applicant, event="recruitment.hire", worker=worker.pk)
    return worker


APPLICANT_TEMPLATE = imports.Template(
    title=gettext_lazy("报考人员导入模板"),
    headers=("姓名", "性别", "身份证号", "手机号", "学历", "中共党员", "报考社区", "报考岗位"),
    required=("姓名", "性别", "身份证号", "学历", "报考社区", "报考岗位"),
    notes=(
        gettext_lazy("报考社区、报考岗位须是本批次已设的招考岗位。岗位：")
        + "、".join(str(label) for label in WorkerPost.labels),
        gettext_lazy("性别填“男”或“女”；学历：") + "、".join(str(x) for x in Education.labels),
        gettext_lazy("身份证号、手机号请按文本格式填写；同一身份证号在本批次只能报名一次。"),
    ),
)


def _plan_applicants(
    plan: imports.ImportPlan, rows: list[tuple[int, dict]], round_: RecruitmentRound, actor: Any
) -> None:
    positions = {
        (p.community.name, p.post): p
        for p in round_.positions.select_related("community")
        if actor is None or policies.can_keep_careers(actor, p.area_path)
    }
    taken = set(round_.applicants.values_list("id_number_hash", flat=True))
    seen: dict[str, int] = {}
    for number, row in rows:
        try:
            imports.required(row, APPLICANT_TEMPLATE)
            post = imports.choice(row, "报考岗位", WorkerPost.choices)
            position = positions.get((imports.text(row, "报考社区"), post))
            if position is None:
                raise ValidationError(
                    _("本批次没有“%(community)s”的%(post)s岗位。")
                    % {"community": imports.text(row, "报考社区"), "post": WorkerPost(post).label}
                )
            gender = {"男": "M", "女": "F"}.get(imports.text(row, "性别"), "?")
            values = _applicant_values(
                name=imports.text(row, "姓名"),
                gender=gender,
                id_number=imports.id_text(row, "身份证号"),
                phone=imports.id_text(row, "手机号"),
                education=imports.choice(row, "学历", Education.choices),
            )
            member = imports.yes_no(row, "中共党员")
        except ValidationError as exc:
            plan.fail(number, exc)
            continue
        digest = values["id_number_hash"]
        if digest in taken:
            plan.fail(number, _("该身份证号已报名本批次。"))
            continue
        if digest in seen:
            plan.fail(number, _("身份证号与第 %(row)s 行重复。") % {"row": seen[digest]})
            continue
        seen[digest] = number
        plan.objects.append(
            Applicant(
                position=position,
                round=round_,
                area_path=position.area_path,
                is_party_member=member,
                **values,
            )
        )


@transaction.atomic
def applicant_import(
    *, actor: Any, round: RecruitmentRound, upload: IO[bytes]
) -> imports.ImportPlan:
    """Import a file of applicants into an open round: every row checked, nothing written
    unless the whole file is clean."""
    _keeper(actor)
    round_ = RecruitmentRound.objects.select_for_update().get(pk=round.pk)
    if round_.state != RoundState.OPEN:
        raise Conflict(_("该招考批次已截止报名。"))
    plan, rows = imports.start_plan(upload, APPLICANT_TEMPLATE)
    if rows:
        _plan_applicants(plan, rows, round_, actor)
    if plan.errors:
        return plan
    Applicant.objects.bulk_create(plan.objects)
    audit(
        actor=actor, target=round_, event="recruitment.import", created=True, rows=len(plan.objects)
    )
    return plan


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
    _keeper(actor, worker.area_path)
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
    _keeper(actor, worker.area_path)
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
