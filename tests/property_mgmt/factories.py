"""红色物业 data for tests, made through the services."""

from datetime import date
from itertools import count
from typing import Any

from cases.models import Category, Tier
from governance.models import Area, AreaLevel, Household, PropertyCompany
from property_mgmt import services
from property_mgmt.credit_code import check_character
from property_mgmt.models import ContractKind, OwnersCommittee, ServiceContract, Survey
from tests.governance.factories import area, household, resident

_numbers = count(1)


def credit_code() -> str:
    body = f"91370405MA{next(_numbers):07d}"
    return body + check_character(body)


def company(name: str | None = None) -> PropertyCompany:
    return services.company_register(
        actor=None, name=name or f"测试物业{next(_numbers)}有限公司", credit_code=credit_code()
    )


def categories() -> dict[str, Category]:
    """The 物业管理 and 矛盾纠纷 categories the complaint services report under."""
    found = {}
    for parent_code, parent_name, tier, children in (
        ("WY", "物业管理", Tier.COMMUNITY, ["WY01", "WY02", "WY03"]),
        ("MJ", "矛盾纠纷", Tier.GRID, ["MJ01", "MJ02"]),
    ):
        parent, _created = Category.objects.get_or_create(
            code=parent_code, defaults={"name": parent_name, "start_tier": tier}
        )
        for code in children:
            found[code], _created = Category.objects.get_or_create(
                code=code, defaults={"name": code, "parent": parent, "start_tier": tier}
            )
    return found


def buildings(estate: Area, n: int = 1) -> list[Area]:
    return [area(estate, AreaLevel.BUILDING) for _i in range(n)]


def households(estate: Area, n: int, phone_prefix: str = "1380000") -> list[Household]:
    """``n`` households in a new building of ``estate``, each with a head whose phone is
    ``phone_prefix`` + the four-digit index."""
    building = buildings(estate)[0]
    found = []
    for i in range(n):
        home = household(building, room=f"{101 + i}")
        resident(home, phone=f"{phone_prefix}{i:04d}")
        found.append(home)
    return found


def contract(estate: Area, company_: PropertyCompany | None, **extra: Any) -> ServiceContract:
    return services.contract_create(
        actor=None,
        area=estate,
        kind=extra.pop("kind", ContractKind.COMPANY if company_ else ContractKind.SELF),
        company=company_,
        starts_on=extra.pop("starts_on", date(2024, 1, 1)),
        ends_on=extra.pop("ends_on", date(2030, 12, 31)),
        **extra,
    )


def committee(estate: Area, **extra: Any) -> OwnersCommittee:
    return services.committee_create(
        actor=None,
        area=estate,
        term_starts_on=extra.pop("term_starts_on", date(2024, 1, 1)),
        term_ends_on=extra.pop("term_ends_on", date(2029, 1, 1)),
        **extra,
    )


def survey(estate: Area, year: int = 2026, **extra: Any) -> Survey:
    return services.survey_create(
        actor=None,
        area=estate,
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
        opens_on=extra.pop("opens_on", date(2000, 1, 1)),
        closes_on=extra.pop("closes_on", date(2100, 1, 1)),
    )


SCORES = {
    item: 4 for item in ("safety", "cleaning", "greening", "repair", "fees", "attitude", "overall")
}
