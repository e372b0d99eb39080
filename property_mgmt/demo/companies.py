"""Companies with profiles, contracts for most residential areas (some self-managed, some
taken over by the community, a few 三无小区), owners' committees and the mediation groups."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from governance.models import (
    Area,
    AreaLevel,
    Department,
    Household,
    PartyOrg,
    PartyOrgSector,
    PropertyCompany,
)

from ..models import (
    CommitteeRole,
    ContractKind,
    FeeLevel,
    MediatorRole,
    OwnersCommittee,
    Qualification,
    ServiceContract,
)
from ..services import (
    committee_create,
    company_contact_add,
    company_profile_update,
    company_register,
    contract_create,
    estate_profile_save,
    mediation_group_for,
    mediator_add,
    member_add,
)
from ._base import (
    COMPANIES,
    HUAYANG_COMPANY,
    _huayang_path,
)


def _companies(log: Any) -> list[PropertyCompany]:
    huayang = PropertyCompany.objects.filter(credit_code=HUAYANG_COMPANY).first()
    found = [huayang] if huayang is not None else []
    for number, (name, code, qualification, pilot) in enumerate(COMPANIES, start=1):
        company = PropertyCompany.objects.filter(credit_code=code).first()
        if company is None:
            company = company_register(
                actor=None,
                name=name,
                credit_code=code,
                qualification=qualification,
                is_red_pilot=pilot,
                red_pilot_since=date(2024, 3, 1) if pilot else None,
                address=f"台儿庄区{name[5:7]}路{len(name)}号",
                service_phone=f"0632-66{number * 1111:04d}",
            )
            company_contact_add(
                actor=None,
                company=company,
                name="项目经理",
                post="项目经理",
                phone=f"0632-66{number * 1111:04d}",
                is_primary=True,
            )
        found.append(company)
    if huayang is not None and not hasattr(huayang, "property_profile"):
        org = PartyOrg.objects.filter(
            company=huayang, sector=PartyOrgSector.PROPERTY_COMPANY
        ).first()
        company_profile_update(
            actor=None,
            company=huayang,
            qualification=Qualification.LEVEL_2,
            is_red_pilot=True,
            red_pilot_since=date(2023, 7, 1),
            party_org=org,
            address="台儿庄区华阳路 18 号",
            service_phone="0632-6612345",
        )
        company_contact_add(
            actor=None,
            company=huayang,
            name="周静",
            post="客服主管",
            phone="0632-6612345",
            is_primary=True,
        )
    log(f"红色物业: 物业企业 {len(found)} 家")
    return found


def _plan_kind(index: int, estate: Area) -> str:
    """Most areas have a company; every 9th is self-managed, every 11th taken over by the
    community, every 13th has nothing."""
    if estate.path.startswith(_huayang_path()):
        return ContractKind.COMPANY
    if index % 13 == 6:
        return ""
    if index % 11 == 5:
        return ContractKind.FALLBACK
    if index % 9 == 4:
        return ContractKind.SELF
    return ContractKind.COMPANY


def _contracts(
    estates: list[Area], companies: list[PropertyCompany], log: Any
) -> dict[int, PropertyCompany]:
    """The company of each area served by one (existing contracts are kept)."""
    served: dict[int, PropertyCompany] = {}
    existing = {c.area_id: c for c in ServiceContract.objects.select_related("company")}
    department = Department.objects.filter(code="D001").first()
    created = 0
    for index, estate in enumerate(estates):
        if estate.pk in existing:
            contract = existing[estate.pk]
            if contract.company is not None:
                served[estate.pk] = contract.company
            continue
        kind = _plan_kind(index, estate)
        if not kind:
            if index % 2 == 0 and department is not None:
                estate_profile_save(
                    actor=None,
                    area=estate,
                    competent_department=department,
                    is_old_estate=True,
                    built_year=1992,
                    note="原单位宿舍，主管部门负责日常管理",
                )
            continue
        company = None
        if kind == ContractKind.COMPANY:
            company = (
                companies[0]
                if estate.path.startswith(_huayang_path())
                else companies[1 + index % (len(companies) - 1)]
            )
        contract_create(
            actor=None,
            area=estate,
            kind=kind,
            company=company,
            starts_on=date(2024, 1, 1),
            ends_on=date(2027, 12, 31),
            number=f"WYHT-2024-{index + 1:03d}",
            fee_level=FeeLevel.LEVEL_3 if index % 3 else FeeLevel.LEVEL_2,
            fee_per_sqm=Decimal("0.80") if index % 3 else Decimal("1.20"),
        )
        created += 1
        if company is not None:
            served[estate.pk] = company
        if index % 3 == 0:
            estate_profile_save(actor=None, area=estate, is_old_estate=True, built_year=1998)
    log(f"红色物业: 新建物业服务合同 {created} 份，物业企业服务小区 {len(served)} 个")
    return served


def _committees(estates: list[Area], log: Any) -> None:
    if OwnersCommittee.objects.filter(area__in=estates).exists():
        return
    today = timezone.localdate()
    created = 0
    for index, estate in enumerate(estates):
        if index % 5 in (1, 3) or index % 13 == 6:  # two in five areas have no committee
            continue
        starts = date(2022 + index % 3, 6, 1)
        ends = date(starts.year + 5, 5, 31)
        if index % 7 == 0:  # a few terms end soon: 换届提醒
            ends = today + timedelta(days=30 + index % 50)
            starts = date(ends.year - 5, ends.month, 1)
        org = PartyOrg.objects.filter(area=estate, sector=PartyOrgSector.OWNERS_COMMITTEE).first()
        committee = committee_create(
            actor=None,
            area=estate,
            name=f"{estate.name}业主委员会",
            term_starts_on=starts,
            term_ends_on=ends,
            filed_on=starts + timedelta(days=20) if index % 4 else None,
            party_org=org,
        )
        households = list(Household.objects.filter(area_path__startswith=estate.path)[:6])
        roles = [CommitteeRole.CHAIR, CommitteeRole.VICE_CHAIR] + [CommitteeRole.MEMBER] * 4
        for n, household in enumerate(households):
            member_add(
                actor=None,
                committee=committee,
                name=household.head_name or f"委员{n + 1}",
                role=roles[n],
                is_party_member=n in (0, 2),
                household=household,
            )
        created += 1
    log(f"红色物业: 业主委员会 {created} 个")


def _mediation_groups(district: Area) -> None:
    for community in Area.objects.filter(path__startswith=district.path, level=AreaLevel.COMMUNITY):
        group = mediation_group_for(community)
        if not group.mediators.exists():
            for name, role in (
                ("调解组长", MediatorRole.LEADER),
                ("人民调解员", MediatorRole.MEMBER),
                ("网格调解员", MediatorRole.MEMBER),
            ):
                mediator_add(
                    actor=None,
                    group=group,
                    name=f"{community.name[:2]}{name}",
                    role=role,
                    organisation=f"{community.name}居委会",
                )
