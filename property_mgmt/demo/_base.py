"""What the parts of the 红色物业 demo share: the demo district's codes, the companies, the
figures the complaints and surveys are made to give, and the complaint texts."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from governance.models import (
    Area,
)

from ..credit_code import check_character
from ..models import (
    ComplaintType,
    Qualification,
)

DISTRICT_CODE = "370405000000"
HUAYANG = "370405001001"
HUAYANG_COMPANY = "91370405MA3C5K7Q1R"
#: Baseline complaints in the same days of last year as this year to date; this year gets 40 %.
BASELINE_COMPLAINTS = 250
CURRENT_SHARE = Decimal("0.4")
#: Answers per served residential area and how many rate overall 满意 or better.
BASELINE_ANSWERS, BASELINE_SATISFIED = 20, 10
CURRENT_ANSWERS, CURRENT_SATISFIED = 25, 20


def credit_code(body: str) -> str:
    return body + check_character(body)


COMPANIES = [
    ("台儿庄区运河物业管理有限公司", credit_code("91370405MA3D2F1K0"), Qualification.LEVEL_2, True),
    ("枣庄古城物业服务有限公司", credit_code("91370400MA3E7H2N5"), Qualification.LEVEL_1, True),
    ("山东鲁南物业管理有限公司", credit_code("91370402MA3F8J3P6"), Qualification.LEVEL_2, False),
    (
        "台儿庄区安居物业服务有限公司",
        credit_code("91370405MA3G9K4Q7"),
        Qualification.LEVEL_3,
        False,
    ),
]
#: Complaint weight per company (more complaints, lower rank).
COMPANY_WEIGHT = [0.5, 1.6, 0.8, 2.2, 3.0]
#: Share of each company's handled complaints that went overdue (红灯超期).
COMPANY_LATE = [0.0, 0.1, 0.02, 0.25, 0.4]
TYPES = [
    ComplaintType.REPAIR,
    ComplaintType.CLEANING,
    ComplaintType.SECURITY,
    ComplaintType.GREENING,
    ComplaintType.FEES,
    ComplaintType.ATTITUDE,
    ComplaintType.PARKING,
    ComplaintType.ELEVATOR,
]
TEXTS = {
    ComplaintType.REPAIR: ("楼道水管漏水报修多日未修", "三单元楼道水管漏水，报修后一周无人上门。"),
    ComplaintType.CLEANING: ("垃圾桶满溢未及时清运", "小区东侧垃圾桶连续两天满溢，气味很大。"),
    ComplaintType.SECURITY: ("小区门岗夜间无人值守", "夜间门岗无人，外来车辆随意进出。"),
    ComplaintType.GREENING: ("绿化带杂草丛生无人修剪", "楼前绿化带杂草很高，蚊虫多。"),
    ComplaintType.FEES: ("物业费收支未公示", "业主要求公示上年度物业费收支情况。"),
    ComplaintType.ATTITUDE: ("物业客服态度生硬", "居民电话反映问题，客服态度不好。"),
    ComplaintType.PARKING: ("地面停车位管理混乱", "消防通道常被占用停车，物业不管。"),
    ComplaintType.ELEVATOR: ("电梯频繁停运困人", "2号楼电梯本月停运三次，老人出行困难。"),
}


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


_HUAYANG_PATH: list[str] = []


def _huayang_path() -> str:
    if not _HUAYANG_PATH:
        area = Area.objects.filter(code=HUAYANG).first()
        _HUAYANG_PATH.append(area.path if area else "-")
    return _HUAYANG_PATH[0]
