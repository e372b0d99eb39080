"""The work calendar: the exceptions to the Monday-to-Friday week that deadlines count with."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkCalendarDay(models.Model):
    """An exception to the Monday-to-Friday week: a public holiday on a weekday, or a make-up
    working day (调休) on a weekend. Days not listed follow the ordinary week."""

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(
        _("上班"), help_text=_("勾选：调休上班日；不勾选：法定节假日休息。")
    )
    name = models.CharField(_("说明"), max_length=50, help_text=_("如“春节”“春节调休”。"))

    class Meta:
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = _("上班") if self.is_working_day else _("休息")
        return f"{self.date:%Y-%m-%d} {self.name}（{kind}）"
