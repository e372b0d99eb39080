"""Contract imports name every error of a row and read Chinese in an English interface."""

from typing import Any

import pytest

from property_mgmt.models import ServiceContract

from . import factories as f
from .test_import import _file

pytestmark = pytest.mark.django_db


def test_every_error_of_a_contract_row_is_listed(client: Any, make_user: Any, tree: Any) -> None:
    client.force_login(make_user("community_staff"))
    row = ["甲社区", "甲小区", "包干", "无名物业", "", "2026-13-01", "2026-12-31", "六级", "x"]
    page = client.post("/property/import/contracts/", {"file": _file("contracts", [row])})
    text = page.content.decode()
    for reason in ("服务方式“包干”无效", "未找到物业企业“无名物业”", "起始日期“2026-13-01”",
                   "收费等级“六级”无效", "物业费“x”不是数字"):  # fmt: skip
        assert reason in text, reason
    assert not ServiceContract.objects.exists()


def test_a_chinese_file_imports_in_the_english_interface(
    client: Any, make_user: Any, tree: Any
) -> None:
    company = f.company()
    client.force_login(make_user("community_staff"))
    client.cookies["django_language"] = "en"
    row = ["甲社区", "甲小区", "物业企业", company.name, "HT-9", "2026-01-01", "2026-12-31",
           "二级", "1.2"]  # fmt: skip
    response = client.post("/property/import/contracts/", {"file": _file("contracts", [row])})
    assert response.status_code == 302, response.content.decode()[-1500:]
    assert ServiceContract.objects.get().fee_level
