"""红色物业 in the demo district: companies with profiles, contracts for most residential areas
(some self-managed, some taken over by the community, a few 三无小区), owners' committees, the
1+3+N councils with resolutions, mediation groups and disputes, and the raw records behind the
report's two figures:

* complaints: a baseline year (last year) and this year, reported as real cases through
  ``complaint_report``; this year to date has 40 % of the complaints of the same days of last
  year over the same households, so the portal computes a complaint rate 60 % lower;
* survey answers: every served area's survey of last year has 50 % 满意, this year's 80 %,
  so the portal computes satisfaction 60 % higher.

Nothing is stored as a figure. Idempotent: each part is skipped when its records exist.
Handling history (accept, dispatch, resolve, verify, rate) runs through the case services
where a demo account holds the desk (华阳社区); elsewhere it is replayed on the rows as
``cases.demo`` does, then everything is put back on its days.
"""

from typing import Any

from django.db import transaction

from accounts.models import User
from cases.services import sweep_overdue
from governance.models import Area, AreaLevel

from ._base import DISTRICT_CODE
from .companies import _committees, _companies, _contracts, _mediation_groups
from .complaints import _complaints
from .councils import _councils, _disputes
from .surveys import _surveys


@transaction.atomic
def seed(log: Any) -> None:
    district = Area.objects.filter(code=DISTRICT_CODE).first()
    admin = User.objects.filter(username="district_admin").first()
    if district is None or admin is None:
        log("红色物业: 未找到演示区或演示账号，跳过")
        return
    estates = list(
        Area.objects.filter(
            path__startswith=district.path, level=AreaLevel.RESIDENTIAL_AREA
        ).order_by("path")
    )
    companies = _companies(log)
    served = _contracts(estates, companies, log)
    _committees(estates, log)
    _mediation_groups(district)
    _complaints(admin, estates, served, companies, log)
    _surveys(estates, served, log)
    _councils(district, companies, log)
    _disputes(admin, estates, log)
    sweep_overdue()
