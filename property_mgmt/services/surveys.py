"""Satisfaction surveys: one per residential area and period, answered by households on a
phone page without login. A household proves itself with a printed one-time code or with its
door number and the phone of a registered resident (checked by keyed hash, never shown);
one answer per household, and attempts are limited per address and per household."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.personal_data import blind_index
from governance.models import Area, Household, Resident

from .. import policies
from ..models import ITEM_FIELDS, AnswerChannel, ContractKind, Survey, SurveyAnswer, SurveyCode
from ._common import audit, check_estate, system_or
from .companies import contract_on

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
#: Anti-abuse limits: (attempts, seconds).
IP_ATTEMPTS = (30, 3600)
IP_FAILURES = (5, 900)
HOUSEHOLD_FAILURES = (5, 86400)
ONE_ANSWER = _("该住户已参与过本次调查，每户只能提交一次。")


@transaction.atomic
def survey_create(
    *,
    actor: Any,
    area: Area,
    period_start: date,
    period_end: date,
    opens_on: date,
    closes_on: date,
    title: str = "",
) -> Survey:
    """Open a survey of a residential area for a period; the company serving the area at the
    end of the period is the one rated."""
    system_or(actor, policies.can_keep(actor, area.path))
    check_estate(area)
    if period_end < period_start:
        raise ValidationError({"period_end": _("评价期结束不能早于开始。")})
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("截止填写日期不能早于开放日期。")})
    if Survey.objects.filter(area=area, period_start=period_start).exists():
        raise ValidationError({"period_start": _("该小区这一评价期已有调查。")})
    contract = contract_on(area, min(period_end, max(period_start, timezone.localdate())))
    company = contract.company if contract and contract.kind == ContractKind.COMPANY else None
    survey = Survey.objects.create(
        area=area,
        area_path=area.path,
        company=company,
        title=(title or "").strip()[:120]
        or _("%(area)s物业服务满意度调查（%(start)s 至 %(end)s）")
        % {"area": area.name, "start": period_start, "end": period_end},
        period_start=period_start,
        period_end=period_end,
        opens_on=opens_on,
        closes_on=closes_on,
        token=secrets.token_urlsafe(16)[:22],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit(actor, "survey.create", survey, created=True, area=area.pk)
    return survey


@transaction.atomic
def survey_close(*, actor: Any, survey: Survey) -> Survey:
    system_or(actor, policies.can_keep(actor, survey.area_path))
    survey.is_closed = True
    survey.save(update_fields=["is_closed"])
    audit(actor, "survey.close", survey)
    return survey


def _code_hash(survey: Survey, code: str) -> str:
    return blind_index(f"survey:{survey.pk}:{code}")


@transaction.atomic
def survey_codes_issue(*, actor: Any, survey: Survey) -> list[tuple[Household, str]]:
    """One new code per household of the area that has not answered; unused codes issued
    before stop working. The plain codes are returned once (for printing) and never stored."""
    system_or(actor, policies.can_keep(actor, survey.area_path))
    answered = SurveyAnswer.objects.filter(survey=survey).values("household_id")
    households = list(
        Household.objects.filter(area_path__startswith=survey.area_path, is_active=True)
        .exclude(pk__in=answered)
        .select_related("building")
        .order_by("area_path", "unit", "room")
    )
    SurveyCode.objects.filter(survey=survey, used_at__isnull=True).delete()
    issued: list[tuple[Household, str]] = []
    rows = []
    seen: set[str] = set()
    for household in households:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        while code in seen:
            code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        seen.add(code)
        rows.append(
            SurveyCode(survey=survey, household=household, code_hash=_code_hash(survey, code))
        )
        issued.append((household, code))
    SurveyCode.objects.bulk_create(rows)
    audit(actor, "survey.codes", survey, codes=len(rows))
    return issued


def clean_scores(scores: Mapping[str, Any]) -> dict[str, int]:
    cleaned: dict[str, int] = {}
    for item in ITEM_FIELDS:
        raw = scores.get(item)
        try:
            value = int(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ValidationError({item: _("请为每一项打分。")}) from None
        if not 1 <= value <= 5:
            raise ValidationError({item: _("评分须为 1 到 5。")})
        cleaned[item] = value
    return cleaned


@transaction.atomic
def survey_answer_record(
    *,
    survey: Survey,
    household: Household,
    scores: Mapping[str, Any],
    channel: str,
    comment: str = "",
    actor: Any = None,
    submitted_at: datetime | None = None,
    code: SurveyCode | None = None,
) -> SurveyAnswer:
    """Record one household's answer. A second answer of the household is refused and
    nothing is written; a one-time code is used up in the same transaction."""
    if channel == AnswerChannel.STAFF:
        system_or(actor, policies.can_keep(actor, survey.area_path))
    if channel not in AnswerChannel.values:
        raise ValidationError({"channel": _("核验方式无效。")})
    moment = submitted_at or timezone.now()
    if submitted_at is None and not survey.is_open_on(timezone.localdate()):
        raise ValidationError(_("本次调查不在填写时间内。"))
    if not household.area_path.startswith(survey.area_path) or not household.is_active:
        raise ValidationError({"household": _("该住户不在本次调查的小区。")})
    values = clean_scores(scores)
    if SurveyAnswer.objects.filter(survey=survey, household=household).exists():
        raise ValidationError(ONE_ANSWER)
    if code is not None:
        used = SurveyCode.objects.filter(pk=code.pk, used_at__isnull=True).update(used_at=moment)
        if not used:
            raise ValidationError({"code": _("该码已使用过。")})
    try:
        with transaction.atomic():
            answer = SurveyAnswer.objects.create(
                survey=survey,
                household=household,
                area_path=household.area_path,
                company_id=survey.company_id,
                comment=(comment or "").strip()[:300],
                channel=channel,
                submitted_at=moment,
                **values,
            )
    except IntegrityError as exc:
        raise ValidationError(ONE_ANSWER) from exc
    audit(actor, "survey.answer", survey, created=True, channel=channel)
    return answer


@dataclass
class PublicAnswer:
    """What the phone page posts."""

    method: str  # "code" or "phone"
    scores: dict[str, Any] = field(default_factory=dict)
    code: str = ""
    building_id: int | None = None
    unit: str = ""
    room: str = ""
    phone: str = ""
    comment: str = ""
    trap: str = ""  # a field people never see; bots fill it


def _count(key: str, window: int) -> int:
    if cache.add(key, 1, window):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:
        cache.set(key, 1, window)
        return 1


def _over(key: str, limit: tuple[int, int]) -> bool:
    value = cache.get(key)
    return value is not None and int(value) >= limit[0]


TOO_MANY = _("尝试次数过多，请稍后再试。")
NOT_VERIFIED = _("未能核验住户信息，请检查后重试。")


def _verify(survey: Survey, answer: PublicAnswer, ip: str) -> tuple[Household, SurveyCode | None]:
    if answer.method == "code":
        code = "".join((answer.code or "").split()).upper()
        row = (
            SurveyCode.objects.select_related("household")
            .filter(survey=survey, code_hash=_code_hash(survey, code))
            .first()
            if len(code) == CODE_LENGTH
            else None
        )
        if row is None or row.used_at is not None:
            _count(f"prop-survey-fail:{survey.pk}:{ip}", IP_FAILURES[1])
            raise ValidationError({"code": NOT_VERIFIED if row is None else _("该码已使用过。")})
        return row.household, row
    if answer.method != "phone":
        raise ValidationError(_("请选择核验方式。"))
    unit, room = (answer.unit or "").strip(), (answer.room or "").strip()
    household = (
        Household.objects.filter(
            building_id=answer.building_id,
            building__path__startswith=survey.area_path,
            unit=unit,
            room=room,
            is_active=True,
        ).first()
        if answer.building_id and room
        else None
    )
    if household is not None and _over(
        f"prop-survey-hh:{survey.pk}:{household.pk}", HOUSEHOLD_FAILURES
    ):
        raise ValidationError(TOO_MANY)
    phone = "".join((answer.phone or "").split())
    matches = (
        household is not None
        and Resident.objects.filter(
            household=household, phone_hash=blind_index(phone), is_active=True
        ).exists()
    )
    if not phone or not matches:
        _count(f"prop-survey-fail:{survey.pk}:{ip}", IP_FAILURES[1])
        if household is not None:
            _count(f"prop-survey-hh:{survey.pk}:{household.pk}", HOUSEHOLD_FAILURES[1])
        raise ValidationError({"phone": NOT_VERIFIED})
    assert household is not None
    return household, None


def survey_public_answer(*, survey: Survey, answer: PublicAnswer, ip: str) -> SurveyAnswer:
    """The phone page's submission: limits first, then the household check, then the answer.
    Messages never tell whether an address exists or whose phone it is."""
    if answer.trap:
        raise ValidationError(NOT_VERIFIED)
    if not survey.is_open_on(timezone.localdate()):
        raise ValidationError(_("本次调查不在填写时间内。"))
    if _count(f"prop-survey-ip:{survey.pk}:{ip}", IP_ATTEMPTS[1]) > IP_ATTEMPTS[0] or _over(
        f"prop-survey-fail:{survey.pk}:{ip}", IP_FAILURES
    ):
        raise ValidationError(TOO_MANY)
    clean_scores(answer.scores)
    household, code = _verify(survey, answer, ip)
    channel = AnswerChannel.CODE if code is not None else AnswerChannel.PHONE
    return survey_answer_record(
        survey=survey,
        household=household,
        scores=answer.scores,
        channel=channel,
        comment=answer.comment,
        code=code,
    )
