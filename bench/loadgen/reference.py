"""The reference data a district needs before its areas: departments, property companies,
case categories; then the benchmark accounts and the routing rules (category + area →
handling unit)."""

from __future__ import annotations

from accounts.models import User
from cases.models import Category, RoutingRule
from governance.models import Area, Department, PropertyCompany

from .database import ensure_bench_users
from .district import Loader
from .names import CATEGORY_DEPARTMENTS, DEPARTMENTS, DISTRICT_NAME, STEMS, cn_number


def load_reference(loader: Loader, counts: dict[str, int]) -> None:
    from cases.demo import _categories

    Department.objects.bulk_create(
        Department(name=name, code=f"D{n:03d}") for n, name in enumerate(DEPARTMENTS, 1)
    )
    loader.departments = list(Department.objects.order_by("code"))
    n_companies = max(2, loader.plan.communities // 2)
    PropertyCompany.objects.bulk_create(
        PropertyCompany(
            name=f"{DISTRICT_NAME}{STEMS[(n * 7) % len(STEMS)]}"
            f"{cn_number(n // len(STEMS) + 1) if n >= len(STEMS) else ''}物业服务有限公司",
            credit_code=f"91370499MA{n:07d}X",
        )
        for n in range(1, n_companies + 1)
    )
    loader.companies = list(PropertyCompany.objects.order_by("credit_code"))
    loader.categories = _categories()
    counts["departments"] = len(loader.departments)
    counts["property companies"] = len(loader.companies)
    counts["categories"] = Category.objects.count()


def load_users_and_routing(loader: Loader, counts: dict[str, int]) -> None:
    loader.users = ensure_bench_users()
    counts["users"] = User.objects.count()
    counts["routing rules"] = routing_rules(loader)


def routing_rules(loader: Loader) -> int:
    t = loader.territory
    rules: list[RoutingRule] = []
    district_area = Area(pk=t.district.id)
    for code, departments in CATEGORY_DEPARTMENTS.items():
        category = loader.categories.get(code)
        if category is None:
            continue
        if code[:2] in ("SZ", "AQ") or code == "HJ02":
            rules.append(
                RoutingRule(
                    category=category,
                    area=district_area,
                    department=loader.departments[departments[0]],
                )
            )
    for community in t.communities:
        area = Area(pk=community.id)
        for code in ("WY01", "WY02", "WY03"):
            category = loader.categories.get(code)
            if category is not None and community.children:
                rules.append(
                    RoutingRule(
                        category=category, area=area, company_id=community.children[0].company_id
                    )
                )
    RoutingRule.objects.bulk_create(rules)
    return len(rules)
