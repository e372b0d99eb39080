from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..querysets import SurveyAnswerQuerySet, SurveyQuerySet
from ._base import path_index


class SurveyItem(models.TextChoices):
    """The standard questionnaire; each item is a column of an answer."""

    SAFETY = "safety", _("安全")
    CLEANING = "cleaning", _("保洁")
    GREENING = "greening", _("绿化")
    REPAIR = "repair", _("维修")
    FEES = "fees", _("收费透明")
    ATTITUDE = "attitude", _("服务态度")
    OVERALL = "overall", _("总体评价")


ITEM_FIELDS: tuple[str, ...] = tuple(SurveyItem.values)


class Score(models.IntegerChoices):
    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    NEUTRAL = 3, _("一般")
    UNSATISFIED = 2, _("不满意")
    VERY_UNSATISFIED = 1, _("非常不满意")


class Survey(models.Model):
    """A satisfaction survey of one residential area for one period, answered by households on
    their phones through ``token``'s public link (no login)."""

    area = models.ForeignKey(
        "governance.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("小区")
    )
    area_path = models.CharField(_("小区路径"), max_length=255, editable=False)
    company = models.ForeignKey(
        "governance.PropertyCompany",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("物业企业"),
    )
    title = models.CharField(_("标题"), max_length=120)
    period_start = models.DateField(_("评价期开始"))
    period_end = models.DateField(_("评价期结束"))
    opens_on = models.DateField(_("开放填写"))
    closes_on = models.DateField(_("截止填写"))
    token = models.CharField(_("链接令牌"), max_length=32, unique=True, editable=False)
    is_closed = models.BooleanField(_("已提前关闭"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发起人"),
    )
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("满意度调查")
        verbose_name_plural = _("满意度调查")
        ordering = ["-period_start", "area_path"]
        constraints = [
            models.UniqueConstraint(fields=["area", "period_start"], name="survey_one_per_period"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="survey_period_order"
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="survey_window_order"
            ),
        ]
        indexes = [
            path_index("survey_area_path"),
            models.Index(fields=["company", "period_start"], name="survey_company_period"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open_on(self, day: object) -> bool:
        return bool(not self.is_closed and self.opens_on <= day <= self.closes_on)  # type: ignore[operator]


class AnswerChannel(models.TextChoices):
    CODE = "code", _("一次性码")
    PHONE = "phone", _("门牌号+手机号")
    STAFF = "staff", _("工作人员代录")


def _score_check(field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 1, f"{field}__lte": 5}), name=f"surveyanswer_{field}_1_5"
    )


class SurveyAnswer(models.Model):
    """One household's answer: a score of 1–5 per item. One per household and survey."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="answers", verbose_name=_("调查")
    )
    household = models.ForeignKey(
        "governance.Household", on_delete=models.PROTECT, related_name="+", verbose_name=_("住户")
    )
    area_path = models.CharField(_("区域路径"), max_length=255, editable=False)
    company = models.ForeignKey(
        "governance.PropertyCompany",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("物业企业"),
    )
    safety = models.PositiveSmallIntegerField(_("安全"), choices=Score.choices)
    cleaning = models.PositiveSmallIntegerField(_("保洁"), choices=Score.choices)
    greening = models.PositiveSmallIntegerField(_("绿化"), choices=Score.choices)
    repair = models.PositiveSmallIntegerField(_("维修"), choices=Score.choices)
    fees = models.PositiveSmallIntegerField(_("收费透明"), choices=Score.choices)
    attitude = models.PositiveSmallIntegerField(_("服务态度"), choices=Score.choices)
    overall = models.PositiveSmallIntegerField(_("总体评价"), choices=Score.choices)
    comment = models.CharField(_("意见建议"), max_length=300, blank=True)
    channel = models.CharField(_("核验方式"), max_length=8, choices=AnswerChannel.choices)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    objects = SurveyAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("调查答卷")
        verbose_name_plural = _("调查答卷")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "household"],
                name="surveyanswer_one_per_household",
                violation_error_message=_("该住户已参与过本次调查，每户只能提交一次。"),
            ),
            *[_score_check(field) for field in ITEM_FIELDS],
        ]
        indexes = [
            path_index("surveyanswer_area_path"),
            models.Index(fields=["company", "submitted_at"], name="surveyanswer_company_at"),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} · {self.household_id}"


class SurveyCode(models.Model):
    """A printed one-time code for one household and survey; only its keyed hash is kept."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="codes", verbose_name=_("调查")
    )
    household = models.ForeignKey(
        "governance.Household", on_delete=models.CASCADE, related_name="+", verbose_name=_("住户")
    )
    code_hash = models.CharField(max_length=64, editable=False)
    issued_at = models.DateTimeField(_("发放时间"), auto_now_add=True)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("一次性码")
        verbose_name_plural = _("一次性码")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "household"], name="surveycode_one_per_household"
            ),
            models.UniqueConstraint(fields=["survey", "code_hash"], name="surveycode_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} · {self.household_id}"
