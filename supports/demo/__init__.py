"""The demo district's three supports (台儿庄区), after governance and grids.

* 阵地: a 党群服务中心 for each street and town and for each of its communities, with rooms,
  a few coming bookings, the district's 标准化建设 checklist scored per centre, and a year of
  service records of the seven kinds at the centres and at the grids' red stations.
* 书记工作室: one studio with its members, 专家门诊 and other sessions, and 45 difficult
  problems from the communities, 42 of them solved (the report's "40余个"), a few linked to the
  cases of 华阳社区.
* 两项经费: for every community 260,000 / 80,000 yuan this year (last year's lower budgets are
  flagged by the rule check), with spending entries by purpose.
* 队伍: each community's post quota (one staff opening each), a recruitment round with
  applicants, scores and results (none hired, so the roster keeps the report's 34 workers),
  last year's appraisals and a few promotions along 3岗18级.

Idempotent: each part is loaded once (a second run finds its rows and adds nothing).
"""

import random
from typing import Any

from governance.models import Area

from . import careers, centres, funds, studio
from ._base import DISTRICT

SEED = 343


def seed(log: Any) -> None:
    district = Area.objects.filter(code=DISTRICT).first()
    if district is None:
        log("三大支撑: 没有演示区，跳过")
        return
    rng = random.Random(SEED)
    centres.seed(log, rng)
    studio.seed(log, rng, district)
    funds.seed(log, rng)
    careers.seed(log, rng)
