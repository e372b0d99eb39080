from typing import Any

from .models import PropertyCompany

COMPANIES = [("台儿庄区华阳物业服务有限公司", "91370405MA3C5K7Q1X")]


def seed(log: Any) -> None:
    for name, credit_code in COMPANIES:
        PropertyCompany.objects.get_or_create(credit_code=credit_code, defaults={"name": name})
    log(f"物业企业: {PropertyCompany.objects.count()} 个")
