"""三单制: the community's needs list (需求清单), the units' resources lists (``Resource``) and the
project list (项目清单): a co-building project links needs to resources, has a lead unit and
partners, a budget, milestones on the working-day calendar, evidence and a rating."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from governance.models import NeedKind, path_index

from ..querysets import CommunityNeedQuerySet, ProjectPartQuerySet, ProjectQuerySet
from ..storage import private_storage


class NeedSource(models.TextChoices):
    LEDGER = "ledger", _("居民需求台账")
    TYPED = "typed", _("社区录入")


class NeedState(models.TextChoices):
    OPEN = "open", _("待对接")
    MATCHED = "matched", _("已立项")
    DONE = "done", _("已解决")


class CommunityNeed(models.Model):
    """One entry of a community's needs list: drawn from the needs ledger (without the
    household's data: a project shows what is needed, not who asked) or typed in."""

    community = models.ForeignKey(
        "governance.Area",
        on_delete=models.PROTECT,
        related_name="cobuild_needs",
        verbose_name=_("社区"),
    )
    area_path = models.CharField(max_length=255, editable=False)
    source = models.CharField(_("来源"), max_length=8, choices=NeedSource.choices)
    ledger_entry = models.OneToOneField(
        "governance.NeedsLedger",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cobuild_need",
        verbose_name=_("台账需求"),
    )
    kind = models.CharField(_("需求类别"), max_length=16, choices=NeedKind.choices)
    title = models.CharField(_("需求名称"), max_length=100)
    description = models.TextField(_("需求描述"), max_length=1000, blank=True)
    raised_on = models.DateField(_("提出日期"))
    state = models.CharField(
        _("状态"), max_length=8, choices=NeedState.choices, default=NeedState.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = CommunityNeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("需求清单")
        verbose_name_plural = _("需求清单")
        ordering = ["-raised_on", "-id"]
        indexes = [path_index("communityneed_area_path")]

    def __str__(self) -> str:
        return self.title


class ProjectState(models.TextChoices):
    PROPOSED = "proposed", _("拟定")
    AGREED = "agreed", _("已确定")
    IN_PROGRESS = "in_progress", _("实施中")
    COMPLETED = "completed", _("已完成")
    CANCELLED = "cancelled", _("已取消")


class CoBuildProject(models.Model):
    """共驻共建项目. ``unit_ids`` is the lead unit and every partner, kept by the services, so
    a department's projects are one indexed array lookup."""

    community = models.ForeignKey(
        "governance.Area",
        on_delete=models.PROTECT,
        related_name="cobuild_projects",
        verbose_name=_("社区"),
    )
    area_path = models.CharField(max_length=255, editable=False)
    title = models.CharField(_("项目名称"), max_length=100)
    description = models.TextField(_("项目内容"), max_length=4000, blank=True)
    lead_department = models.ForeignKey(
        "governance.Department",
        on_delete=models.PROTECT,
        related_name="led_projects",
        verbose_name=_("牵头单位"),
    )
    partners = models.ManyToManyField(
        "governance.Department",
        related_name="partner_projects",
        blank=True,
        verbose_name=_("协办单位"),
    )
    unit_ids = ArrayField(models.BigIntegerField(), default=list, editable=False)
    needs = models.ManyToManyField(CommunityNeed, related_name="projects", verbose_name=_("需求"))
    resources = models.ManyToManyField(
        "volunteers.Resource", related_name="projects", verbose_name=_("资源")
    )
    budget = models.DecimalField(_("预算（元）"), max_digits=12, decimal_places=2, default=0)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    state = models.CharField(
        _("状态"), max_length=12, choices=ProjectState.choices, default=ProjectState.PROPOSED
    )
    rating = models.PositiveSmallIntegerField(_("社区评价（星）"), null=True, blank=True)
    rating_note = models.CharField(_("评价意见"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("共驻共建项目")
        verbose_name_plural = _("共驻共建项目")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="project_term_ordered"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="project_rating_range",
            ),
        ]
        indexes = [
            path_index("project_area_path"),
            models.Index(fields=["state", "-created_at"], name="project_state_created"),
            GinIndex(fields=["unit_ids"], name="project_unit_ids"),
        ]

    def __str__(self) -> str:
        return self.title


class ProjectMilestone(models.Model):
    """A step of a project with a due date. ``warn_on`` is the yellow mark at 70 % of its
    working days, as a case deadline's; past ``due_on`` and not done, it is overdue."""

    project = models.ForeignKey(
        CoBuildProject, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("项目")
    )
    area_path = models.CharField(max_length=255, editable=False)
    title = models.CharField(_("节点名称"), max_length=100)
    starts_on = models.DateField(_("起始日期"))
    due_on = models.DateField(_("完成期限"))
    warn_on = models.DateField(_("预警日期"), editable=False)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ProjectPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=F("starts_on")), name="milestone_ordered"
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_on"], condition=Q(done_on__isnull=True), name="milestone_open_due"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProjectEvent(models.Model):
    """The project's timeline: every transition, who, when, from, to and why."""

    project = models.ForeignKey(
        CoBuildProject, on_delete=models.CASCADE, related_name="events", verbose_name=_("项目")
    )
    area_path = models.CharField(max_length=255, editable=False)
    action = models.CharField(_("操作"), max_length=16)
    from_state = models.CharField(_("原状态"), max_length=12, blank=True)
    to_state = models.CharField(_("新状态"), max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    note = models.CharField(_("说明"), max_length=500, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects = ProjectPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目记录")
        verbose_name_plural = _("项目记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.action}"


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("照片")
    DOCUMENT = "document", _("文件")


class ProjectEvidence(models.Model):
    """A photo or document of a project, kept outside the public media folder and served
    only through the project's scoped view."""

    project = models.ForeignKey(
        CoBuildProject, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("项目")
    )
    area_path = models.CharField(max_length=255, editable=False)
    kind = models.CharField(_("类别"), max_length=10, choices=EvidenceKind.choices)
    file = models.FileField(_("文件"), storage=private_storage, upload_to="evidence/%Y/%m/")
    thumbnail = models.FileField(
        _("缩略图"), storage=private_storage, upload_to="evidence/%Y/%m/", blank=True
    )
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("上传人"),
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = ProjectPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目佐证材料")
        verbose_name_plural = _("项目佐证材料")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
