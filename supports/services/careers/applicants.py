"""Applicants of a round: registration (one at a time or from an Excel file), scores, the
result and the hire, which creates the community worker through ``grids.services``.
Concurrency: a hire locks its recruitment post, so two hires at once never exceed the
openings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.personal_data import blind_index
from common.errors import Conflict
from common.importjobs import import_runner
from governance.idcard import normalise_id_number, normalise_phone, parse_id_number
from grids import services as grid_services
from grids.models import CommunityWorker, RecruitmentStatus, WorkerPost

from ... import imports, policies
from ...models import (
    Applicant,
    ApplicantResult,
    Education,
    RecruitmentPost,
    RecruitmentRound,
    RoundState,
)
from .._base import audit, today
from ._base import INTERVIEW_WEIGHT, WRITTEN_WEIGHT, keeper


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
    keeper(actor, position.area_path)
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
    keeper(actor, locked.area_path)
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
    formats={
        "姓名": gettext_lazy("文本，最多 50 字"),
        "性别": gettext_lazy("男 或 女，须与身份证号一致"),
        "身份证号": gettext_lazy("18 位，按文本格式填写"),
        "手机号": gettext_lazy("11 位，按文本格式填写；可不填"),
        "学历": imports.options(Education.choices),
        "中共党员": imports.YES_NO_FORMAT,
        "报考社区": gettext_lazy("社区全称，须是本批次设有岗位的社区"),
        "报考岗位": imports.options(WorkerPost.choices),
    },
)

#: The person's columns, by the field ``_applicant_values`` names in its refusals: an empty
#: required cell is reported once, by the required check.
_PERSON_COLUMNS = {"name": "姓名", "gender": "性别", "id_number": "身份证号", "education": "学历"}


def _person(row: dict[str, Any], education: str) -> dict[str, Any] | None:
    try:
        return _applicant_values(
            name=imports.text(row, "姓名"),
            gender={"男": "M", "女": "F"}.get(imports.text(row, "性别"), "?"),
            id_number=imports.id_text(row, "身份证号"),
            phone=imports.id_text(row, "手机号"),
            education=education,
        )
    except ValidationError as exc:
        messages = [
            message
            for field, field_messages in exc.message_dict.items()
            if field not in _PERSON_COLUMNS or imports.text(row, _PERSON_COLUMNS[field])
            for message in field_messages
        ]
        if messages:
            raise ValidationError(messages) from None
        return None


def _position(
    positions: dict[tuple[str, str], RecruitmentPost], row: dict[str, Any], post: str
) -> RecruitmentPost:
    position = positions.get((imports.text(row, "报考社区"), post))
    if position is None:
        raise ValidationError(
            _("本批次没有“%(community)s”的%(post)s岗位。")
            % {"community": imports.text(row, "报考社区"), "post": WorkerPost(post).label}
        )
    return position


def _plan_applicants(
    plan: imports.ImportPlan, rows: list[tuple[int, dict]], round_: RecruitmentRound, actor: Any
) -> None:
    """Every error of every row: the required cells, the post, the person (ID number, gender
    against it, phone, education), the party flag, and duplicates in the file and the round."""
    positions = {
        (p.community.name, p.post): p
        for p in round_.positions.select_related("community")
        if actor is None or policies.can_keep_careers(actor, p.area_path)
    }
    taken = set(round_.applicants.values_list("id_number_hash", flat=True))
    seen: dict[str, int] = {}
    for number, row in rows:
        check = imports.RowCheck(number, row)
        check(imports.required, row, APPLICANT_TEMPLATE)
        post = check.cell(imports.choice, "报考岗位", WorkerPost.choices)
        position = None
        if post and imports.text(row, "报考社区"):
            position = check(_position, positions, row, post)
        education = check.cell(imports.choice, "学历", Education.choices, default="")
        values = check(_person, row, education) or {}
        member = check.cell(imports.yes_no, "中共党员", default=False)
        digest = values.get("id_number_hash")
        if digest in taken:
            check.messages.append(_("该身份证号已报名本批次。"))
        elif digest in seen:
            check.messages.append(_("身份证号与第 %(row)s 行重复。") % {"row": seen[digest]})
        if not check.report(plan) or position is None or not digest:
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


def applicant_import(
    *,
    actor: Any,
    round: RecruitmentRound,
    upload: IO[bytes],
    progress: imports.Progress = imports.SILENT,
) -> imports.ImportPlan:
    """Import a file of applicants into an open round: every row checked, nothing written
    unless the whole file is clean. The file is read and checked without a lock; the write
    locks the round and checks the rows again (the round may have closed, someone may have
    registered one of these ID numbers in between)."""
    keeper(actor)
    if RecruitmentRound.objects.get(pk=round.pk).state != RoundState.OPEN:
        raise Conflict(_("该招考批次已截止报名。"))
    plan, rows = imports.start_plan(upload, APPLICANT_TEMPLATE, progress=progress)
    if plan.errors:
        return plan
    _plan_applicants(plan, rows, round, actor)
    if plan.errors:
        return plan
    progress.phase(imports.WRITING, len(rows))
    with transaction.atomic():
        round_ = RecruitmentRound.objects.select_for_update().get(pk=round.pk)
        if round_.state != RoundState.OPEN:
            raise Conflict(_("该招考批次已截止报名。"))
        plan = imports.ImportPlan(rows=len(rows))
        _plan_applicants(plan, rows, round_, actor)
        if plan.errors:
            return plan
        Applicant.objects.bulk_create(plan.objects)
        audit(
            actor=actor,
            target=round_,
            event="recruitment.import",
            created=True,
            rows=len(plan.objects),
        )
    return plan


@import_runner(summary=lambda plan: _("已导入 %(n)s 名报考人员。") % {"n": len(plan.objects)})
def applicant_import_job(
    *, actor: Any, upload: Any, params: dict[str, Any], progress: imports.Progress
) -> imports.ImportPlan:
    """The worker's side of a round's applicant import page (``common.importjobs``)."""
    return applicant_import(
        actor=actor,
        round=RecruitmentRound.objects.get(pk=params["round"]),
        upload=upload,
        progress=progress,
    )
