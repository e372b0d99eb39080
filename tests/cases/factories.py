"""Categories and cases for tests, made through the services where a case is concerned."""

from decimal import Decimal
from io import BytesIO
from itertools import count
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cases.models import Category, CategoryLimit, Tier
from cases.services import case_report
from governance.models import Area

_codes = count(1)


def category(
    name: str = "垃圾堆放", parent_name: str = "环境卫生", start_tier: str = Tier.COMMUNITY,
    handle_days: str = "3",
) -> Category:  # fmt: skip
    parent, _created = Category.objects.get_or_create(
        name=parent_name, parent=None, defaults={"code": f"P{next(_codes)}"}
    )
    child = Category.objects.create(
        code=f"C{next(_codes)}", name=name, parent=parent, start_tier=start_tier
    )
    for tier in Tier.values:
        CategoryLimit.objects.create(
            category=child,
            tier=tier,
            accept_days=Decimal(1),
            handle_days=Decimal(handle_days),
            verify_days=Decimal(2),
        )
    return child


def report(actor: Any, area: Area, cat: Category, title: str = "楼道垃圾堆放", **extra: Any) -> Any:
    return case_report(
        actor=actor,
        category=cat,
        area=area,
        title=title,
        description=extra.pop("description", "三单元门口垃圾三天未清运"),
        **extra,
    )


def photo(name: str = "site.jpg", fmt: str = "JPEG", size: tuple[int, int] = (640, 480)) -> Any:
    buffer = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif"}[fmt]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)
