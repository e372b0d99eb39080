from django.db import models
from django.utils.translation import gettext_lazy as _


class PropertyCompany(models.Model):  # type: ignore[django-manager-missing]  # treebeard manager
    """A property service company (物业服务企业): scope of a property staff member's grant."""

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
