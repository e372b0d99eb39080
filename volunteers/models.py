from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):  # type: ignore[django-manager-missing]  # treebeard manager
    """A district department (区直部门/单位): scope of a department liaison's grant."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    code = models.CharField(_("编码"), max_length=32, unique=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("区直部门")
        verbose_name_plural = _("区直部门")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name
