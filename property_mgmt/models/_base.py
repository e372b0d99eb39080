from django.contrib.postgres.fields import DateRangeField
from django.db import models


def path_index(name: str) -> models.Index:
    """A btree index usable by ``area_path LIKE 'prefix%'``."""
    return models.Index(fields=["area_path"], name=name, opclasses=["varchar_pattern_ops"])


class DateRange(models.Func):
    """``daterange(start, end, '[]')``: both days included."""

    function = "DATERANGE"
    output_field = DateRangeField()

    def __init__(self, start: str, end: str) -> None:
        super().__init__(models.F(start), models.F(end), models.Value("[]"))
