"""The secretaries' studio (优秀党组织书记工作室): its members, its sessions ("专家门诊",
study and seminars) and the difficult problems (疑难杂症) communities bring to it, each with the
advice given, the follow-up actions and a state moved by the one table in
``supports.workflow``."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..querysets import DistrictWideQuerySet, ProblemQuerySet
from .centres import path_index


class Studio(models.Model):
    name = models.CharField(_("名称"), max_length=100, unique=True)
    host = models.ForeignKey(
        "governance.Area",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("所属区域"),
    )
    leader = models.CharField(_("领衔书记"), max_length=50)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    founded_on = models.DateField(_("成立日期"))
    description = models.TextField(_("简介"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = DistrictWideQuerySet.as_manager()

    class Meta:
        verbose_name = _("书记工作室")
        verbose_name_plural = _("书记工作室")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    LEADER = "leader", _("领衔书记")
    SECRETARY = "secretary", _("党组织书记")
    EXPERT = "expert", _("特聘专家")
    LIAISON = "liaison", _("联络员")


class StudioMember(models.Model):
    studio = models.ForeignKey(
        Studio, on_delete=models.CASCADE, related_name="members", verbose_name=_("工作室")
    )
    name = models.CharField(_("姓名"), max_length=50)
    role = models.CharField(_("身份"), max_length=16, choices=MemberRole.choices)
    organisation = models.CharField(_("单位/党组织"), max_length=100)
    title = models.CharField(_("职务"), max_length=50, blank=True)
    joined_on = models.DateField(_("加入日期"))
    is_active = models.BooleanField(_("在册"), default=True)

    objects = DistrictWideQuerySet.as_manager()

    class Meta:
        verbose_name = _("工作室成员")
        verbose_name_plural = _("工作室成员")
        ordering = ["studio", "role", "name"]
        constraints = [
            models.UniqueConstraint(fields=["studio", "name"], name="studiomember_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class SessionKind(models.TextChoices):
    CLINIC = "clinic", _("专家门诊")
    STUDY = "study", _("学习交流")
    SEMINAR = "seminar", _("工作研讨")


class Topic(models.TextChoices):
    ORGANISATION = "organisation", _("组织建设")
    EDUCATION = "education", _("党员教育管理")
    POSITION = "position", _("阵地建设")
    GOVERNANCE = "governance", _("基层治理")
    SERVICE = "service", _("服务群众")
    OTHER = "other", _("其他")


class StudioSession(models.Model):
    studio = models.ForeignKey(
        Studio, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("工作室")
    )
    held_on = models.DateField(_("日期"))
    kind = models.CharField(_("形式"), max_length=16, choices=SessionKind.choices)
    topic = models.CharField(_("主题类别"), max_length=16, choices=Topic.choices)
    title = models.CharField(_("主题"), max_length=100)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    summary = models.TextField(_("内容纪要"), max_length=4000, blank=True)
    attendees = models.ManyToManyField(
        StudioMember, blank=True, related_name="sessions", verbose_name=_("参加成员")
    )
    guests = models.PositiveSmallIntegerField(_("其他参加人数"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("记录人"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = DistrictWideQuerySet.as_manager()

    class Meta:
        verbose_name = _("工作室活动")
        verbose_name_plural = _("工作室活动")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class ProblemState(models.TextChoices):
    RAISED = "raised", _("已提交")
    CONSULTING = "consulting", _("会诊中")
    ADVISED = "advised", _("已出具意见")
    FOLLOWING = "following", _("跟踪落实")
    SOLVED = "solved", _("已化解")
    WITHDRAWN = "withdrawn", _("已撤回")


class DifficultProblem(models.Model):
    """A difficult problem (疑难杂症) a community brought to the studio."""

    studio = models.ForeignKey(
        Studio, on_delete=models.PROTECT, related_name="problems", verbose_name=_("工作室")
    )
    community = models.ForeignKey(
        "governance.Area",
        on_delete=models.PROTECT,
        related_name="studio_problems",
        verbose_name=_("提出社区"),
    )
    area_path = models.CharField(_("社区路径"), max_length=255, editable=False)
    title = models.CharField(_("问题"), max_length=100)
    topic = models.CharField(_("类别"), max_length=16, choices=Topic.choices)
    description = models.TextField(_("问题描述"), max_length=4000)
    raised_on = models.DateField(_("提出日期"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("提出人"),
    )
    session = models.ForeignKey(
        StudioSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="problems",
        verbose_name=_("会诊活动"),
    )
    advice = models.TextField(_("会诊意见"), max_length=4000, blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=ProblemState.choices, default=ProblemState.RAISED
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="studio_problems",
        verbose_name=_("关联事件"),
    )
    solved_on = models.DateField(_("化解日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("疑难问题")
        verbose_name_plural = _("疑难问题")
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state=ProblemState.SOLVED) | models.Q(solved_on__isnull=False),
                name="difficultproblem_solved_has_date",
            ),
        ]
        indexes = [
            path_index("difficultproblem_area_path"),
            models.Index(fields=["state", "raised_on"], name="difficultproblem_state"),
        ]

    def __str__(self) -> str:
        return self.title


class ProblemEvent(models.Model):
    """One step of a problem's timeline: a transition, or a follow-up action (state kept)."""

    problem = models.ForeignKey(
        DifficultProblem, on_delete=models.CASCADE, related_name="events", verbose_name=_("问题")
    )
    area_path = models.CharField(_("社区路径"), max_length=255, editable=False)
    action = models.CharField(_("操作"), max_length=16)
    from_state = models.CharField(_("原状态"), max_length=16, choices=ProblemState.choices)
    to_state = models.CharField(_("新状态"), max_length=16, choices=ProblemState.choices)
    note = models.TextField(_("说明"), max_length=2000, blank=True)
    done_on = models.DateField(_("日期"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("疑难问题办理记录")
        verbose_name_plural = _("疑难问题办理记录")
        ordering = ["problem", "at", "id"]

    def __str__(self) -> str:
        return f"{self.problem} {self.action}"
