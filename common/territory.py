"""The levels of the territory tree (区 → 街道/镇 → 社区 → 小区 → 楼栋).

A vocabulary, not a table: grants (``accounts``) say which level a role is granted on, and the
area tree (``governance``) enforces which level hangs under which. Both read it from here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.TextChoices):
    DISTRICT = "district", _("区")
    STREET = "street", _("街道/镇")
    COMMUNITY = "community", _("社区")
    RESIDENTIAL_AREA = "residential_area", _("小区")
    BUILDING = "building", _("楼栋")
