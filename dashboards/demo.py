"""This app's part of the demo district: the appraisal weights (the first migration writes the
same defaults; a database wiped since, e.g. by a benchmark load, gets them back), and the
rollups folded so that the demo's figures sit in the counters."""

from typing import Any

from . import services
from .appraisal import DEFAULT_WEIGHTS
from .models import AppraisalWeights


def seed(log: Any) -> None:
    created = 0
    for subject, weights in DEFAULT_WEIGHTS.items():
        _row, made = AppraisalWeights.objects.get_or_create(subject=subject, defaults=weights)
        created += made
    folded = services.rollups_fold()
    log(f"数据看板: 考核权重新建 {created} 组；统计增量合并 {max(folded, 0)} 组")
