"""Community worker careers (社区工作者职业体系): each community's post quota, recruitment
rounds (招考) with their posts, applicants and results, the annual appraisal (年度考核) and
promotions along 3岗18级. The workers, their grade history, the salary table and the trainings
are the grids app's (``grids.CommunityWorker``, ``GradeChange``, ``SalaryScale``,
``Training``); a promotion writes its step into that history."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.personal_data import EncryptedCharField, mask_id_number, mask_phone
from grids.models import GRADES, WorkerPost

from ..querysets import CareerQuerySet, DistrictWideQuerySet
from .centres import path_index


class StaffQuota(models.Model):
    """How many workers of a post a community is allotted (岗位编制)."""

    community = models.ForeignKey(
        "governance.Area",
        on_delete=models.PROTECT,
        related_name="staff_quotas",
        verbose_name=_("社区"),
    )
    area_path = models.CharField(_("社区路径"), max_length=255, editable=False)
    post = models.CharField(_("岗位"), max_length=16, choices=WorkerPost.choices)
    quota = models.PositiveSmallIntegerField(_("核定人数"))

    objects = CareerQuerySet.as_manager()

    class Meta:
        verbose_name = _("岗位编制")
        verbose_name_plural = _("岗位编制")
        ordering = ["area_path", "post"]
        constraints = [
            models.UniqueConstraint(fields=["community", "post"], name="staffquota_unique"),
        ]
        indexes = [path_index("staffquota_area_path")]

    def __str__(self) -> str:
        return f"{self.community} {self.get_post_display()} {self.quota}"


class RoundState(models.TextChoices):
    OPEN = "open", _("报名中")
    EXAMINING = "examining", _("考试中")
    PUBLISHED = "published", _("结果公示")
    CLOSED = "closed", _("已结束")


class RecruitmentRound(models.Model):
    """A recruitment round (招考), run by the district or a street for several communities."""

    title = models.CharField(_("名称"), max_length=100, unique=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    announced_on = models.DateField(_("公告日期"))
    signup_ends_on = models.DateField(_("报名截止"))
    exam_on = models.DateField(_("考试日期"), null=True, blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=RoundState.choices, default=RoundState.OPEN
    )
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = DistrictWideQuerySet.as_manager()

    class Meta:
        verbose_name = _("招考批次")
        verbose_name_plural = _("招考批次")
        ordering = ["-year", "-announced_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(signup_ends_on__gte=models.F("announced_on")),
                name="recruitmentround_dates",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RecruitmentPost(models.Model):
    """The openings of one post in one community within a round."""

    round = models.ForeignKey(
        RecruitmentRound,
        on_delete=models.CASCADE,
        related_name="positions",
        verbose_name=_("招考批次"),
    )
    community = models.ForeignKey(
        "governance.Area",
        on_delete=models.PROTECT,
        related_name="recruitment_posts",
        verbose_name=_("招录社区"),
    )
    area_path = models.CharField(_("社区路径"), max_length=255, editable=False)
    post = models.CharField(
        _("岗位"), max_length=16, choices=WorkerPost.choices, default=WorkerPost.STAFF
    )
    grade = models.PositiveSmallIntegerField(
        _("起始等级"), default=1, validators=[MinValueValidator(1), MaxValueValidator(GRADES)]
    )
    openings = models.PositiveSmallIntegerField(_("招录人数"))

    objects = CareerQuerySet.as_manager()

    class Meta:
        verbose_name = _("招考岗位")
        verbose_name_plural = _("招考岗位")
        ordering = ["round", "area_path", "post"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "community", "post"], name="recruitmentpost_unique"
            ),
            models.CheckConstraint(condition=Q(openings__gte=1), name="recruitmentpost_openings"),
        ]
        indexes = [path_index("recruitmentpost_area_path")]

    def __str__(self) -> str:
        return f"{self.community} {self.get_post_display()}"


class Education(models.TextChoices):
    HIGH_SCHOOL = "high_school", _("高中/中专")
    COLLEGE = "college", _("大专")
    BACHELOR = "bachelor", _("本科")
    POSTGRADUATE = "postgraduate", _("研究生")


class ApplicantResult(models.TextChoices):
    REGISTERED = "registered", _("已报名")
    PASSED = "passed", _("拟录用")
    FAILED = "failed", _("未录用")
    HIRED = "hired", _("已录用")
    WITHDRAWN = "withdrawn", _("放弃")


class Applicant(models.Model):
    """Someone who applied for a post of a round, with scores and result. Hiring makes the
    community worker (on probation) and links it here."""

    position = models.ForeignKey(
        RecruitmentPost,
        on_delete=models.PROTECT,
        related_name="applicants",
        verbose_name=_("报考岗位"),
    )
    round = models.ForeignKey(
        RecruitmentRound,
        on_delete=models.CASCADE,
        related_name="applicants",
        verbose_name=_("招考批次"),
        editable=False,
    )
    area_path = models.CharField(_("社区路径"), max_length=255, editable=False)
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=[("M", _("男")), ("F", _("女"))])
    id_number = EncryptedCharField(_("身份证号"), blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    phone = EncryptedCharField(_("手机号"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    education = models.CharField(_("学历"), max_length=16, choices=Education.choices)
    is_party_member = models.BooleanField(_("中共党员"), default=False)
    written_score = models.DecimalField(
        _("笔试成绩"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    interview_score = models.DecimalField(
        _("面试成绩"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    result = models.CharField(
        _("结果"),
        max_length=16,
        choices=ApplicantResult.choices,
        default=ApplicantResult.REGISTERED,
    )
    worker = models.OneToOneField(
        "grids.CommunityWorker",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applicant",
        verbose_name=_("录用后的社区工作者"),
    )
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = CareerQuerySet.as_manager()

    class Meta:
        verbose_name = _("报考人员")
        verbose_name_plural = _("报考人员")
        ordering = ["round", "area_path", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "id_number_hash"],
                condition=~Q(id_number_hash=""),
                name="applicant_once_per_round",
            ),
            models.CheckConstraint(
                condition=~Q(result=ApplicantResult.HIRED) | Q(worker__isnull=False),
                name="applicant_hired_has_worker",
            ),
        ]
        indexes = [path_index("applicant_area_path")]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class AppraisalResult(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    COMPETENT = "competent", _("称职")
    BASIC = "basic", _("基本称职")
    INCOMPETENT = "incompetent", _("不称职")


#: Appraisal results that allow a promotion the following year.
PROMOTING_RESULTS = (AppraisalResult.EXCELLENT, AppraisalResult.COMPETENT)


class Appraisal(models.Model):
    """A worker's annual appraisal (年度考核), with the post and grade held that year."""

    worker = models.ForeignKey(
        "grids.CommunityWorker",
        on_delete=models.CASCADE,
        related_name="appraisals",
        verbose_name=_("社区工作者"),
    )
    area_path = models.CharField(_("社区路径"), max_length=255, editable=False)
    year = models.PositiveSmallIntegerField(_("考核年度"))
    post = models.CharField(_("岗位"), max_length=16, choices=WorkerPost.choices)
    grade = models.PositiveSmallIntegerField(_("等级"))
    result = models.CharField(_("考核结果"), max_length=16, choices=AppraisalResult.choices)
    score = models.DecimalField(
        _("考核得分"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    note = models.CharField(_("评语"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    objects = CareerQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度考核")
        verbose_name_plural = _("年度考核")
        ordering = ["-year", "area_path", "worker"]
        constraints = [
            models.UniqueConstraint(fields=["worker", "year"], name="appraisal_once_a_year"),
        ]
        indexes = [path_index("appraisal_area_path")]

    def __str__(self) -> str:
        return f"{self.worker} {self.year} {self.get_result_display()}"


class Promotion(models.Model):
    """A step up along 3岗18级, based on the previous year's appraisal. Its grade-history row
    (``grids.GradeChange``) is written by the grids service in the same transaction."""

    worker = models.ForeignKey(
        "grids.CommunityWorker",
        on_delete=models.CASCADE,
        related_name="promotions",
        verbose_name=_("社区工作者"),
    )
    area_path = models.CharField(_("社区路径"), max_length=255, editable=False)
    from_post = models.CharField(_("原岗位"), max_length=16, choices=WorkerPost.choices)
    from_grade = models.PositiveSmallIntegerField(_("原等级"))
    to_post = models.CharField(_("新岗位"), max_length=16, choices=WorkerPost.choices)
    to_grade = models.PositiveSmallIntegerField(_("新等级"))
    effective_on = models.DateField(_("生效日期"))
    appraisal = models.ForeignKey(
        Appraisal,
        on_delete=models.PROTECT,
        related_name="promotions",
        verbose_name=_("依据的年度考核"),
    )
    grade_change = models.OneToOneField(
        "grids.GradeChange",
        on_delete=models.PROTECT,
        related_name="promotion",
        verbose_name=_("岗级变动记录"),
    )
    reason = models.CharField(_("说明"), max_length=200, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批人"),
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    objects = CareerQuerySet.as_manager()

    class Meta:
        verbose_name = _("晋升记录")
        verbose_name_plural = _("晋升记录")
        ordering = ["-effective_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["appraisal"], name="promotion_one_per_appraisal"),
        ]
        indexes = [path_index("promotion_area_path")]

    def __str__(self) -> str:
        return f"{self.worker} {self.from_grade}→{self.to_grade}"
