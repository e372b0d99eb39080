"""队伍: each community's post quota (one staff opening each), a recruitment round with
applicants, scores and results (none hired, so the roster keeps the report's 34 workers),
last year's appraisals and a few promotions along 3岗18级."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from governance.idcard import make_id_number
from governance.models import Area, AreaLevel
from grids.models import GRADES, CommunityWorker, WorkerPost

from ..models import (
    ApplicantResult,
    Appraisal,
    AppraisalResult,
    RecruitmentRound,
    RoundState,
    StaffQuota,
)
from ..services import careers


def seed(log: Any, rng: random.Random) -> None:
    workers = list(CommunityWorker.objects.select_related("community").order_by("pk"))
    if not workers:
        log("社区工作者职业体系: 尚无社区工作者，跳过")
        return
    if StaffQuota.objects.exists():
        log(f"社区工作者职业体系: 已有编制 {StaffQuota.objects.count()} 条，跳过")
        return
    communities = list(Area.objects.filter(level=AreaLevel.COMMUNITY).order_by("code"))
    for community in communities:
        held = [w for w in workers if w.community_id == community.pk and w.status != "left"]
        for post in WorkerPost.values:
            now = sum(1 for w in held if w.post == post)
            quota = max(now, 1) + (1 if post == WorkerPost.STAFF else 0)
            careers.quota_set(actor=None, community=community, post=post, quota=quota)
    this_year = timezone.localdate().year
    _recruitment(communities, rng, this_year)
    appraised = _appraisals(workers, rng, this_year - 1)
    promoted = _promotions(this_year)
    log(
        f"社区工作者职业体系: 编制 {StaffQuota.objects.count()} 条，"
        f"招考 1 批次，年度考核 {appraised} 人，晋升 {promoted} 人"
    )


def _recruitment(communities: list[Area], rng: random.Random, year: int) -> None:
    if RecruitmentRound.objects.exists():
        return
    today = timezone.localdate()
    announced = today - timedelta(days=60)
    round_ = careers.round_create(
        actor=None,
        title=f"{year}年台儿庄区城市社区工作者招考",
        year=year,
        announced_on=announced,
        signup_ends_on=announced + timedelta(days=15),
        exam_on=announced + timedelta(days=30),
        note="面向社会公开招考城市社区专职工作者，笔试占 60%，面试占 40%。",
    )
    positions = [
        careers.position_add(
            actor=None, round=round_, community=community, post=WorkerPost.STAFF, openings=1
        )
        for community in communities[:8]
    ]
    surnames, given = (
        "王李张刘陈杨赵黄周吴徐孙",
        ["晓雯", "志远", "欣怡", "浩然", "梦琪", "子涵", "雨轩", "嘉豪"],
    )
    applicants = []
    sequence = 0
    for position in positions:
        for k in range(3):
            sequence += 1
            male = sequence % 2 == 1
            birth = date(1994 + sequence % 8, 1 + sequence % 12, 1 + sequence % 27)
            applicants.append(
                careers.applicant_add(
                    actor=None,
                    position=position,
                    name=surnames[sequence % len(surnames)] + given[(sequence * 3) % len(given)],
                    gender="M" if male else "F",
                    id_number=make_id_number("370405", birth, sequence * 2 + (1 if male else 0)),
                    phone=f"139{6340000 + sequence:08d}",
                    education=["college", "bachelor", "bachelor", "postgraduate"][k + sequence % 2],
                    is_party_member=sequence % 3 == 0,
                )
            )
    careers.round_advance(actor=None, round=round_, state=RoundState.EXAMINING)
    by_position: dict[int, list[tuple[Decimal, Any]]] = {}
    for applicant in applicants:
        written = Decimal(rng.randint(62, 92))
        interview = Decimal(rng.randint(70, 93))
        careers.applicant_score(
            actor=None, applicant=applicant, written_score=written, interview_score=interview
        )
        total = careers.total_score(applicant) or Decimal(0)
        by_position.setdefault(applicant.position_id, []).append((total, applicant))
    for group in by_position.values():
        group.sort(key=lambda pair: pair[0], reverse=True)
        for rank, (_total, applicant) in enumerate(group):
            careers.applicant_decide(
                actor=None,
                applicant=applicant,
                result=ApplicantResult.PASSED if rank == 0 else ApplicantResult.FAILED,
            )
    careers.round_advance(actor=None, round=round_, state=RoundState.PUBLISHED)


def _appraisals(workers: list[CommunityWorker], rng: random.Random, year: int) -> int:
    if Appraisal.objects.exists():
        return 0
    count = 0
    for n, worker in enumerate(workers):
        if worker.status == "left" or (worker.hired_on and worker.hired_on.year > year):
            continue
        result = (
            AppraisalResult.EXCELLENT
            if n % 6 == 0
            else AppraisalResult.BASIC
            if n % 13 == 7
            else AppraisalResult.COMPETENT
        )
        careers.appraisal_record(
            actor=None,
            worker=worker,
            year=year,
            result=result,
            score=Decimal(rng.randint(92, 98) if result == "excellent" else rng.randint(70, 91)),
            note="履职尽责，群众认可" if result != "basic" else "需加强业务学习",
        )
        count += 1
    return count


def _promotions(year: int) -> int:
    """The excellent ones step up one grade from 1 January (within their post)."""
    effective = date(year, 1, 1)
    count = 0
    for appraisal in Appraisal.objects.filter(
        year=year - 1, result=AppraisalResult.EXCELLENT
    ).select_related("worker"):
        worker = appraisal.worker
        if worker.grade >= GRADES or worker.grade_changes.filter(effective_on=effective).exists():
            continue
        careers.worker_promote(
            actor=None,
            worker=worker,
            to_post=worker.post,
            to_grade=worker.grade + 1,
            effective_on=effective,
            reason=f"{year - 1} 年度考核优秀，晋升一级",
        )
        count += 1
    return count
