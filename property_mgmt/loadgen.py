"""红色物业 rows for the synthetic benchmark district (issue 16 §10), for the bench loader.

``load_property(scale=..., seed=..., end=..., log=...)`` runs after ``generate_load`` has built
the district: it adds companies (with valid credit codes and profiles), contracts for 90 % of
the residential areas, owners' committees for 55 %, ``50,000 × scale`` complaint details on
existing cases located in residential areas (so the complaint rate and the ranking have their
input, "within the existing cases"), and ``300,000 × scale`` survey answers over two annual
surveys per served area. Deterministic (one ``random.Random(seed)``), idempotent (nothing is
added when contracts exist), rows written with ``bulk_create`` in batches; it never calls the
services, so it writes no audit rows, like the rest of the load. The bench helper calls it
from ``bench.loadgen`` (this module does not import ``bench``: ``bench`` sits above it).
"""

from __future__ import annotations

import random
import secrets
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from cases.models import Case
from governance.models import Area, AreaLevel, Household, PropertyCompany

from .credit_code import check_character
from .models import (
    CommitteeMember,
    CompanyProfile,
    ComplaintDetail,
    ComplaintKind,
    ComplaintType,
    ContractKind,
    OwnersCommittee,
    Qualification,
    ServiceContract,
    Survey,
    SurveyAnswer,
)

COMPLAINTS = 50_000
ANSWERS = 300_000
COMPANIES = 40
BATCH = 5000
TYPES = [t for t in ComplaintType.values if t not in ("neighbours", "owner_company")]


def _count(base: int, scale: float, least: int = 1) -> int:
    return max(least, round(base * scale))


def load_property(
    *,
    scale: float = 1.0,
    seed: int = 343,
    end: date | None = None,
    log: Callable[[str], None] = print,
) -> dict[str, int]:
    """Add the 红色物业 rows to a loaded district; returns what it added."""
    if ServiceContract.objects.exists():
        log("红色物业: 已有合同，跳过")
        return {}
    rng = random.Random(seed)
    end = end or timezone.localdate()
    tz = timezone.get_current_timezone()
    counts: dict[str, int] = {}
    with transaction.atomic():
        companies = _companies(rng, _count(COMPANIES, scale, 3))
        counts["companies"] = len(companies)
        estates = list(
            Area.objects.filter(level=AreaLevel.RESIDENTIAL_AREA)
            .order_by("path")
            .values_list("pk", "path")
        )
        serving: dict[str, PropertyCompany] = {}
        contracts, committees = [], []
        start = date(end.year - 3, 1, 1)
        for pk, path in estates:
            roll = rng.random()
            if roll < 0.85:
                company = companies[rng.randrange(len(companies))]
                serving[path] = company
                contracts.append(
                    ServiceContract(
                        area_id=pk,
                        area_path=path,
                        kind=ContractKind.COMPANY,
                        company=company,
                        starts_on=start,
                        ends_on=date(end.year + 2, 12, 31),
                        fee_level=str(rng.randint(1, 5)),
                        fee_per_sqm=Decimal(rng.randint(50, 180)) / 100,
                    )
                )
            elif roll < 0.90:
                kind = ContractKind.SELF if roll < 0.875 else ContractKind.FALLBACK
                contracts.append(
                    ServiceContract(
                        area_id=pk,
                        area_path=path,
                        kind=kind,
                        starts_on=start,
                        ends_on=date(end.year + 2, 12, 31),
                    )
                )
            if rng.random() < 0.55:
                term = date(end.year - rng.randint(0, 4), rng.randint(1, 12), 1)
                committees.append(
                    OwnersCommittee(
                        area_id=pk,
                        area_path=path,
                        name="业主委员会",
                        term_starts_on=term,
                        term_ends_on=term.replace(year=term.year + 5) - timedelta(days=1),
                        filed_on=term + timedelta(days=30) if rng.random() < 0.8 else None,
                    )
                )
        ServiceContract.objects.bulk_create(contracts, batch_size=BATCH)
        OwnersCommittee.objects.bulk_create(committees, batch_size=BATCH)
        members = [
            CommitteeMember(
                committee=c,
                area_path=c.area_path,
                name=f"委员{n + 1}",
                role="chair" if n == 0 else "vice_chair" if n == 1 else "member",
                is_party_member=rng.random() < 0.4,
            )
            for c in committees
            for n in range(5)
        ]
        CommitteeMember.objects.bulk_create(members, batch_size=BATCH)
        counts.update(contracts=len(contracts), committees=len(committees), members=len(members))
        counts["complaints"] = _complaints(rng, serving, _count(COMPLAINTS, scale))
        counts["answers"] = _answers(rng, serving, _count(ANSWERS, scale), end, tz)
    log("红色物业: " + "，".join(f"{k} {v}" for k, v in counts.items()))
    return counts


def _companies(rng: random.Random, n: int) -> list[PropertyCompany]:
    rows = []
    for i in range(n):
        body = f"91370499MB{i + 1:07d}"
        rows.append(
            PropertyCompany(
                name=f"压测物业服务有限公司{i + 1:03d}", credit_code=body + check_character(body)
            )
        )
    PropertyCompany.objects.bulk_create(rows, ignore_conflicts=True)
    companies = list(
        PropertyCompany.objects.filter(credit_code__in=[r.credit_code for r in rows]).order_by("pk")
    )
    CompanyProfile.objects.bulk_create(
        [
            CompanyProfile(
                company=c,
                qualification=rng.choice(Qualification.values),
                is_red_pilot=rng.random() < 0.3,
            )
            for c in companies
        ],
        ignore_conflicts=True,
    )
    return companies


def _complaints(rng: random.Random, serving: dict[str, PropertyCompany], n: int) -> int:
    """Details on ``n`` cases located in a residential area or below it, every k-th by id, so
    that the complaints spread over the load's years as its cases do."""
    length = 4 * Area.steplen
    estates = dict(Area.objects.filter(level=AreaLevel.RESIDENTIAL_AREA).values_list("path", "pk"))
    rows: list[ComplaintDetail] = []
    cases = (
        Case.objects.filter(area__level__in=[AreaLevel.RESIDENTIAL_AREA, AreaLevel.BUILDING])
        .order_by("pk")
        .values_list("pk", "area_path", "street_id", "community_id", "created_at")
    )
    step = max(1, cases.count() // max(1, n))
    for i, (pk, path, street, community, created) in enumerate(cases.iterator(chunk_size=BATCH)):
        estate = estates.get(path[:length])
        if estate is None or i % step:
            continue
        company = serving.get(path[:length])
        rows.append(
            ComplaintDetail(
                case_id=pk,
                kind=ComplaintKind.COMPLAINT,
                complaint_type=rng.choice(TYPES),
                estate_id=estate,
                area_path=path,
                street_id=street,
                community_id=community,
                company=company,
                reported_at=created,
            )
        )
        if len(rows) >= n:
            break
    ComplaintDetail.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _answers(
    rng: random.Random, serving: dict[str, PropertyCompany], n: int, end: date, tz: Any
) -> int:
    """Two annual surveys per served area; answers spread over the households, one each."""
    length = 4 * Area.steplen
    by_estate: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for pk, path in (
        Household.objects.filter(is_active=True)
        .values_list("pk", "area_path")
        .iterator(chunk_size=BATCH)
    ):
        if path[:length] in serving:
            by_estate[path[:length]].append((pk, path))
    estate_ids = dict(Area.objects.filter(path__in=list(by_estate)).values_list("path", "pk"))
    surveys = []
    for path in sorted(by_estate):
        for year in (end.year - 1, end.year):
            surveys.append(
                Survey(
                    area_id=estate_ids[path],
                    area_path=path,
                    company=serving[path],
                    title=f"{year}年度物业服务满意度调查",
                    period_start=date(year, 1, 1),
                    period_end=date(year, 12, 31),
                    opens_on=date(year, 11, 1),
                    closes_on=date(year, 12, 31),
                    token=secrets.token_urlsafe(16)[:22],
                )
            )
    Survey.objects.bulk_create(surveys, batch_size=BATCH)
    per_survey = max(1, n // max(len(surveys), 1))
    written = 0
    batch: list[SurveyAnswer] = []
    for survey in surveys:
        homes = by_estate[survey.area_path]
        picked = rng.sample(homes, min(per_survey, len(homes)))
        base = 3.2 if survey.period_start.year < end.year else 3.9
        when = datetime.combine(min(survey.opens_on + timedelta(days=10), end), time(10), tzinfo=tz)
        for pk, path in picked:
            overall = max(1, min(5, round(rng.gauss(base, 0.9))))
            scores = {
                item: max(1, min(5, overall + rng.choice((-1, 0, 0, 1))))
                for item in ("safety", "cleaning", "greening", "repair", "fees", "attitude")
            }
            batch.append(
                SurveyAnswer(
                    survey=survey,
                    household_id=pk,
                    area_path=path,
                    company_id=survey.company_id,
                    overall=overall,
                    channel="code",
                    submitted_at=when,
                    **scores,
                )
            )
            if len(batch) >= BATCH:
                SurveyAnswer.objects.bulk_create(batch)
                written += len(batch)
                batch = []
            if written + len(batch) >= n:
                break
        if written + len(batch) >= n:
            break
    SurveyAnswer.objects.bulk_create(batch)
    return written + len(batch)
