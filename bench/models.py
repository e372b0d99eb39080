"""Bookkeeping of the synthetic benchmark district (``manage.py generate_load``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LoadMarker(models.Model):
    """One synthetic load in this database: its scale and seed, when it finished and what it
    wrote. ``generate_load`` writes the row in the transaction that loads the data, so a row
    means the whole load is there; its presence also marks the database as a benchmark
    database that the command may wipe and reload."""

    scale = models.DecimalField(_("规模"), max_digits=9, decimal_places=4)
    seed = models.PositiveIntegerField(_("随机种子"))
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    seconds = models.FloatField(_("耗时（秒）"), null=True, blank=True)
    counts = models.JSONField(_("行数"), default=dict, blank=True)
    #: What the load was made with (scale, seed, generator version, the shares it aims at)
    #: and the shares it came out with; ``make bench`` prints them beside its results.
    parameters = models.JSONField(_("参数"), default=dict, blank=True)

    class Meta:
        verbose_name = _("压测数据载入记录")
        verbose_name_plural = _("压测数据载入记录")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"scale {self.scale} (seed {self.seed})"
