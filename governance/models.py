"""The governance backbone: the territory, the party organisation, members, households,
residents and the needs ledger.

Hot tables (households, residents, members, needs, party organisations) carry a copy of their
area's materialised path (``area_path``) so a subtree question is one indexed range scan on
that table, never a join up the tree. ``governance.services.area_move`` rewrites every copy in
the same transaction as the move.
"""

from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from accounts.personal_data import EncryptedCharField, mask_id_number, mask_phone
from accounts.scoping import ScopedQuerySet
from common.concurrency import version_field
from common.territory import AreaLevel

#: The only level a node of each level may hang under (None: a root).
PARENT_LEVEL: dict[str, str | None] = {
    AreaLevel.DISTRICT: None,
    AreaLevel.STREET: AreaLevel.DISTRICT,
    AreaLevel.COMMUNITY: AreaLevel.STREET,
    AreaLevel.RESIDENTIAL_AREA: AreaLevel.COMMUNITY,
    AreaLevel.BUILDING: AreaLevel.RESIDENTIAL_AREA,
}


def path_index(name: str, field: str = "area_path") -> models.Index:
    """A btree index usable by ``LIKE 'prefix%'`` (``startswith``) whatever the collation."""
    return models.Index(fields=[field], name=name, opclasses=["varchar_pattern_ops"])


class AreaQuerySet(MP_NodeQuerySet, ScopedQuerySet["Area"]):
    scope_area_path = "path"
    # The territory holds no personal data: every role sees the subtree of its area grants.
    scope_roles = None

    def within(self, area: "Area") -> "AreaQuerySet":
        return self.filter(path__startswith=area.path)


class AreaManager(MP_NodeManager):
    def get_queryset(self) -> AreaQuerySet:
        return AreaQuerySet(self.model, using=self._db).order_by("path")

    def visible_to(self, actor: Any) -> AreaQuerySet:
        return self.get_queryset().visible_to(actor)  # type: ignore[return-value]


class Area(MP_Node):
    """The territory: 区 → 街道/镇 → 社区 → 小区 → 楼栋, as a materialised path."""

    name = models.CharField(_("名称"), max_length=100)
    name_initials = models.CharField(
        _("拼音首字母"), max_length=100, blank=True, db_index=True, editable=False
    )
    level = models.CharField(_("层级"), max_length=20, choices=AreaLevel.choices)
    code = models.CharField(
        _("区划代码"),
        max_length=20,
        unique=True,
        help_text=_("12 位统计用区划代码；无官方代码的小区、楼栋由系统生成。"),
    )
    is_active = models.BooleanField(_("启用"), default=True)

    objects = AreaManager()

    class Meta:
        verbose_name = _("区域")
        verbose_name_plural = _("区域")
        indexes = [
            models.Index(fields=["level", "path"], name="area_level_path"),
            models.Index(fields=["path"], name="area_path_like", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def parent_path(self) -> str:
        return self.path[: -self.steplen]

    def ancestor_paths(self) -> list[str]:
        """The paths of this node and every ancestor, root first."""
        return [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]


# --- Handling units besides areas ------------------------------------------------------------


class Department(models.Model):  # type: ignore[django-manager-missing]  # treebeard manager
    """A district department or unit (区直部门/单位): handles cases, holds a liaison's grant."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    code = models.CharField(_("编码"), max_length=32, unique=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("区直部门")
        verbose_name_plural = _("区直部门")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class PropertyCompany(models.Model):  # type: ignore[django-manager-missing]  # treebeard manager
    """A property service company (物业服务企业): handles complaints, holds its staff's grants."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, help_text=_("18 位统一社会信用代码")
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("物业企业")
        verbose_name_plural = _("物业企业")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# --- Party organisation ----------------------------------------------------------------------


class PartyOrgKind(models.TextChoices):
    COMMITTEE = "committee", _("党委")
    WORKING_COMMITTEE = "working_committee", _("党工委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    GROUP = "group", _("党小组")


#: The kinds a child organisation of each kind may have.
CHILD_KINDS: dict[str, frozenset[str]] = {
    PartyOrgKind.COMMITTEE: frozenset(
        {
            PartyOrgKind.COMMITTEE,
            PartyOrgKind.WORKING_COMMITTEE,
            PartyOrgKind.GENERAL_BRANCH,
            PartyOrgKind.BRANCH,
        }
    ),
    PartyOrgKind.WORKING_COMMITTEE: frozenset(
        {PartyOrgKind.COMMITTEE, PartyOrgKind.GENERAL_BRANCH, PartyOrgKind.BRANCH}
    ),
    PartyOrgKind.GENERAL_BRANCH: frozenset({PartyOrgKind.BRANCH}),
    PartyOrgKind.BRANCH: frozenset({PartyOrgKind.GROUP}),
    PartyOrgKind.GROUP: frozenset(),
}


class PartyOrgSector(models.TextChoices):
    """Which side of the "1+3" co-building mechanism an organisation stands on."""

    TERRITORIAL = "territorial", _("区域党组织")
    OWNERS_COMMITTEE = "owners_committee", _("业委会党组织")
    PROPERTY_COMPANY = "property_company", _("物业企业党组织")
    DEPARTMENT = "department", _("区直部门党组织")


class PartyOrgQuerySet(MP_NodeQuerySet, ScopedQuerySet["PartyOrg"]):
    scope_area_path = "area_path"
    scope_department = "department_id"
    scope_company = "company_id"


class PartyOrgManager(MP_NodeManager):
    def get_queryset(self) -> PartyOrgQuerySet:
        return PartyOrgQuerySet(self.model, using=self._db).order_by("path")

    def visible_to(self, actor: Any) -> PartyOrgQuerySet:
        return self.get_queryset().visible_to(actor)  # type: ignore[return-value]


class PartyOrg(MP_Node):
    """A party organisation: 社区党组织 → 小区党支部 → 楼栋党小组 (→ 党员户, a member's
    household plaque), plus the "1+3" co-building organisations. ``area`` is the area the
    organisation covers (its anchor); coverage counts residential areas and buildings that
    have one."""

    name = models.CharField(_("名称"), max_length=120)
    name_initials = models.CharField(
        _("拼音首字母"), max_length=120, blank=True, db_index=True, editable=False
    )
    kind = models.CharField(_("组织类别"), max_length=24, choices=PartyOrgKind.choices)
    sector = models.CharField(
        _("组织类型"),
        max_length=24,
        choices=PartyOrgSector.choices,
        default=PartyOrgSector.TERRITORIAL,
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="party_orgs",
        verbose_name=_("覆盖区域"),
    )
    area_path = models.CharField(max_length=255, editable=False)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_orgs",
        verbose_name=_("所属区直部门"),
    )
    company = models.ForeignKey(
        PropertyCompany,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_orgs",
        verbose_name=_("所属物业企业"),
    )
    secretary = models.CharField(_("书记"), max_length=50, blank=True)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = PartyOrgManager()

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        indexes = [
            path_index("partyorg_area_path"),
            models.Index(
                fields=["path"], name="partyorg_path_like", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.name


# --- Households, residents, members, needs ---------------------------------------------------


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class HouseholdQuerySet(ScopedQuerySet["Household"]):
    scope_area_path = "area_path"


class Household(models.Model):
    """A household (户) in a building: the unit of the household ledger (居民家庭档案)."""

    building = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="households", verbose_name=_("楼栋")
    )
    area_path = models.CharField(max_length=255, editable=False)
    unit = models.CharField(_("单元"), max_length=10, blank=True)
    room = models.CharField(_("室"), max_length=10)
    head_name = models.CharField(_("户主姓名"), max_length=50, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    is_active = models.BooleanField(_("在册"), default=True)
    created_at = models.DateTimeField(_("建档时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = version_field()

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("住户")
        verbose_name_plural = _("住户")
        constraints = [
            models.UniqueConstraint(
                fields=["building", "unit", "room"], name="household_unique_address"
            )
        ]
        indexes = [path_index("household_area_path")]

    def __str__(self) -> str:
        building = self._state.fields_cache.get("building")
        return f"{building.name} {self.address}" if building is not None else self.address

    @property
    def address(self) -> str:
        unit = f"{self.unit}单元" if self.unit else ""
        return f"{unit}{self.room}室"


class RelationToHead(models.TextChoices):
    HEAD = "head", _("户主")
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")
    GRANDCHILD = "grandchild", _("孙子女")
    SIBLING = "sibling", _("兄弟姐妹")
    OTHER = "other", _("其他")


class VulnerableTag(models.TextChoices):
    LIVING_ALONE = "living_alone", _("独居老人")
    EMPTY_NEST = "empty_nest", _("空巢老人")
    WIDOWED_ORPHANED = "widowed_orphaned", _("鳏寡孤独")
    SEVERE_DISABILITY = "severe_disability", _("重症残疾")
    LEFT_BEHIND_CHILD = "left_behind_child", _("留守儿童")
    SUBSISTENCE = "subsistence", _("低保")
    SPECIAL_HARDSHIP = "special_hardship", _("特困供养")
    RETIRED_SOLDIER = "retired_soldier", _("退役军人")


class PersonalDataMixin(models.Model):
    """An ID number and a phone, encrypted, with keyed hashes for exact lookups."""

    id_number = EncryptedCharField(_("身份证号"), blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone = EncryptedCharField(_("手机号"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    class Meta:
        abstract = True

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class ResidentQuerySet(ScopedQuerySet["Resident"]):
    scope_area_path = "area_path"


class Resident(PersonalDataMixin):
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="residents", verbose_name=_("住户")
    )
    area_path = models.CharField(max_length=255, editable=False)
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    relation = models.CharField(
        _("与户主关系"), max_length=16, choices=RelationToHead.choices, default=RelationToHead.HEAD
    )
    tags = ArrayField(
        models.CharField(max_length=24, choices=VulnerableTag.choices),
        verbose_name=_("关爱标签"),
        default=list,
        blank=True,
    )
    is_active = models.BooleanField(_("在册"), default=True)
    created_at = models.DateTimeField(_("建档时间"), auto_now_add=True)
    version = version_field()

    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("居民")
        verbose_name_plural = _("居民")
        indexes = [
            path_index("resident_area_path"),
            GinIndex(fields=["tags"], name="resident_tags"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_tags_display(self) -> list[str]:
        labels = dict(VulnerableTag.choices)
        return [str(labels.get(tag, tag)) for tag in self.tags]


class MemberStatus(models.TextChoices):
    FULL = "full", _("正式党员")
    PROBATIONARY = "probationary", _("预备党员")


class PartyMemberQuerySet(ScopedQuerySet["PartyMember"]):
    scope_area_path = "area_path"


class PartyMember(PersonalDataMixin):
    """A party member of an organisation; ``area_path`` is the organisation's area."""

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    org = models.ForeignKey(
        PartyOrg, on_delete=models.PROTECT, related_name="members", verbose_name=_("所在党组织")
    )
    area_path = models.CharField(max_length=255, editable=False)
    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="party_members",
        verbose_name=_("所在住户"),
    )
    status = models.CharField(
        _("党员类别"), max_length=16, choices=MemberStatus.choices, default=MemberStatus.FULL
    )
    joined_on = models.DateField(_("入党日期"), null=True, blank=True)
    employer = models.CharField(_("工作单位"), max_length=120, blank=True)
    household_plaque = models.BooleanField(_("党员户挂牌"), default=False)
    model_post = models.BooleanField(_("党员示范岗"), default=False)
    is_active = models.BooleanField(_("在册"), default=True)
    created_at = models.DateTimeField(_("建档时间"), auto_now_add=True)
    version = version_field()

    objects = PartyMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        indexes = [path_index("partymember_area_path")]

    def __str__(self) -> str:
        return self.name


class NeedKind(models.TextChoices):
    ELDERLY_CARE = "elderly_care", _("养老服务")
    HEALTH = "health", _("医疗健康")
    EMPLOYMENT = "employment", _("就业帮扶")
    HARDSHIP = "hardship", _("困难救助")
    CHILDREN = "children", _("儿童关爱")
    ENVIRONMENT = "environment", _("环境卫生")
    PROPERTY = "property", _("物业维修")
    DISPUTE = "dispute", _("矛盾调解")
    POLICY = "policy", _("政策咨询")
    OTHER = "other", _("其他")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("待认领")
    TAKEN = "taken", _("办理中")
    DONE = "done", _("已办结")


class NeedsLedgerQuerySet(ScopedQuerySet["NeedsLedger"]):
    scope_area_path = "area_path"


class NeedsLedger(models.Model):
    """One entry of the needs ledger (需求台账): what a household asked for, who took it on,
    and when it was done (民有所盼、我有所为)."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="needs", verbose_name=_("住户")
    )
    area_path = models.CharField(max_length=255, editable=False)
    kind = models.CharField(_("需求类别"), max_length=16, choices=NeedKind.choices)
    description = models.TextField(_("需求描述"), max_length=1000)
    status = models.CharField(
        _("状态"), max_length=8, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )
    taken_by = models.CharField(_("认领人/单位"), max_length=100, blank=True)
    result = models.CharField(_("办理结果"), max_length=500, blank=True)
    raised_on = models.DateField(_("登记日期"))
    taken_on = models.DateField(_("认领日期"), null=True, blank=True)
    done_on = models.DateField(_("办结日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    version = version_field()

    objects = NeedsLedgerQuerySet.as_manager()

    class Meta:
        verbose_name = _("需求台账")
        verbose_name_plural = _("需求台账")
        indexes = [
            path_index("needsledger_area_path"),
            models.Index(fields=["status", "-raised_on"], name="needsledger_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.raised_on:%Y-%m-%d}"
