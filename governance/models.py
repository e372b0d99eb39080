from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from accounts.scoping import ScopedQuerySet


class AreaLevel(models.TextChoices):
    DISTRICT = "district", _("区")
    STREET = "street", _("街道/镇")
    COMMUNITY = "community", _("社区")
    RESIDENTIAL_AREA = "residential_area", _("小区")
    BUILDING = "building", _("楼栋")


#: The only level a node of each level may hang under (None: a root).
PARENT_LEVEL: dict[str, str | None] = {
    AreaLevel.DISTRICT: None,
    AreaLevel.STREET: AreaLevel.DISTRICT,
    AreaLevel.COMMUNITY: AreaLevel.STREET,
    AreaLevel.RESIDENTIAL_AREA: AreaLevel.COMMUNITY,
    AreaLevel.BUILDING: AreaLevel.RESIDENTIAL_AREA,
}


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
