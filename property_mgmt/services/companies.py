"""Companies, their profiles and contacts, service contracts and the residential areas'
profiles. A contract of the company kind keeps the area's routing rule for the property
category pointing at the company, so complaints of the area are dispatched to it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Category, RoutingRule
from governance.models import Area, Department, PartyOrg, PartyOrgSector, PropertyCompany

from .. import policies
from ..credit_code import validate_credit_code
from ..models import (
    CompanyContact,
    CompanyProfile,
    ContractKind,
    EstateProfile,
    FeeLevel,
    Qualification,
    ServiceContract,
)
from ._common import audit, check_estate, require, system_or

#: The case category whose complaints go to the contracted company (物业管理).
PROPERTY_CATEGORY_CODE = "WY"
PROFILE_FIELDS = (
    "qualification",
    "legal_representative",
    "address",
    "service_phone",
    "party_org",
    "is_red_pilot",
    "red_pilot_since",
    "note",
)


def profile_of(company: PropertyCompany) -> CompanyProfile:
    profile, _created = CompanyProfile.objects.get_or_create(company=company)
    return profile


def _check_party_org(company: PropertyCompany | None, org: PartyOrg | None) -> None:
    if org is None:
        return
    if org.sector != PartyOrgSector.PROPERTY_COMPANY or (
        company is not None and org.company_id not in (None, company.pk)
    ):
        raise ValidationError({"party_org": _("请选择本企业的物业企业党组织。")})


def _clean_profile(company: PropertyCompany | None, fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError(_("未知字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    if fields.get("qualification") and fields["qualification"] not in Qualification.values:
        raise ValidationError({"qualification": _("资质无效。")})
    _check_party_org(company, fields.get("party_org"))
    since = fields.get("red_pilot_since")
    if since and since > timezone.localdate():
        raise ValidationError({"red_pilot_since": _("试点起始日期不能晚于今天。")})
    for key in ("legal_representative", "address", "service_phone", "note"):
        if key in fields:
            fields[key] = (fields[key] or "").strip()
    return fields


@transaction.atomic
def company_register(*, actor: Any, name: str, credit_code: str, **profile: Any) -> PropertyCompany:
    """Register a property company with its profile. The credit code must pass the GB 32100
    check character; name and code are unique."""
    system_or(actor, policies.can_register_company(actor))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写企业名称。")})
    code = validate_credit_code(credit_code)
    if PropertyCompany.objects.filter(credit_code=code).exists():
        raise ValidationError({"credit_code": _("该统一社会信用代码已登记。")})
    if PropertyCompany.objects.filter(name=name).exists():
        raise ValidationError({"name": _("同名物业企业已登记。")})
    fields = _clean_profile(None, dict(profile))
    company = PropertyCompany.objects.create(name=name, credit_code=code)
    _check_party_org(company, fields.get("party_org"))
    CompanyProfile.objects.create(company=company, **fields)
    audit(actor, "company.register", company, created=True, credit_code=code)
    return company


@transaction.atomic
def company_profile_update(
    *, actor: Any, company: PropertyCompany, **fields: Any
) -> CompanyProfile:
    """Qualification, representative, address, party organisation, pilot flag. The credit
    code is not changed here: it identifies the company."""
    system_or(actor, policies.can_edit_company(actor, company))
    fields = _clean_profile(company, dict(fields))
    profile = CompanyProfile.objects.select_for_update().filter(company=company).first()
    if profile is None:
        profile = CompanyProfile.objects.create(company=company)
    for key, value in fields.items():
        setattr(profile, key, value)
    profile.save()
    audit(actor, "company.profile", company, fields=sorted(fields))
    return profile


@transaction.atomic
def company_contact_add(
    *,
    actor: Any,
    company: PropertyCompany,
    name: str,
    post: str = "",
    phone: str = "",
    is_primary: bool = False,
) -> CompanyContact:
    system_or(actor, policies.can_edit_company(actor, company))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写联系人姓名。")})
    phone = "".join((phone or "").split())
    if phone and not phone.replace("-", "").isdigit():
        raise ValidationError({"phone": _("联系电话只能包含数字和“-”。")})
    if is_primary:
        CompanyContact.objects.filter(company=company, is_primary=True).update(is_primary=False)
    contact = CompanyContact.objects.create(
        company=company, name=name, post=(post or "").strip(), phone=phone, is_primary=is_primary
    )
    audit(actor, "company.contact_add", company, created=True, contact=contact.pk)
    return contact


@transaction.atomic
def company_contact_remove(*, actor: Any, contact: CompanyContact) -> None:
    system_or(actor, policies.can_edit_company(actor, contact.company))
    company = contact.company
    contact.delete()
    audit(actor, "company.contact_remove", company)


# --- Contracts --------------------------------------------------------------------------------


def _overlapping(area: Area, starts_on: date, ends_on: date, exclude: int | None = None) -> Any:
    rows = ServiceContract.objects.filter(
        area=area, starts_on__lte=ends_on, ends_on__gte=starts_on
    ).select_related("company")
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return rows.first()


def check_contract(
    *,
    area: Area,
    kind: str,
    company: PropertyCompany | None,
    starts_on: date | None,
    ends_on: date | None,
    fee_level: str = "",
    fee_per_sqm: Decimal | None = None,
) -> None:
    """Everything a contract must satisfy except the overlap (checked under the area's lock)."""
    check_estate(area)
    if kind not in ContractKind.values:
        raise ValidationError({"kind": _("服务方式无效。")})
    if kind == ContractKind.COMPANY and company is None:
        raise ValidationError({"company": _("物业企业服务须选择物业企业。")})
    if kind != ContractKind.COMPANY and company is not None:
        raise ValidationError({"company": _("业主自管或社区托管不填物业企业。")})
    if company is not None and not company.is_active:
        raise ValidationError({"company": _("该物业企业已停用。")})
    if starts_on is None:
        raise ValidationError({"starts_on": _("请填写起始日期。")})
    if ends_on is None:
        raise ValidationError({"ends_on": _("请填写终止日期。")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("终止日期不能早于起始日期。")})
    if fee_level and fee_level not in FeeLevel.values:
        raise ValidationError({"fee_level": _("收费等级无效。")})
    if fee_per_sqm is not None and not Decimal(0) <= fee_per_sqm <= Decimal(100):
        raise ValidationError({"fee_per_sqm": _("物业费须在 0 到 100 元/㎡·月之间。")})


def overlap_error(existing: ServiceContract) -> ValidationError:
    who = existing.company.name if existing.company else existing.get_kind_display()
    return ValidationError(
        {
            "starts_on": _(
                "与已有合同时间重叠：%(who)s %(start)s 至 %(end)s。同一小区的合同时间不能重叠。"
            )
            % {"who": who, "start": existing.starts_on, "end": existing.ends_on}
        }
    )


def _lock_area(area: Area) -> None:
    """Serialise contract writes of one area: two overlapping contracts entered at once give
    one contract and one clear refusal (the exclusion constraint is the last word)."""
    Area.objects.select_for_update().filter(pk=area.pk).values_list("pk").first()


@transaction.atomic
def contract_create(
    *,
    actor: Any,
    area: Area,
    kind: str = ContractKind.COMPANY,
    company: PropertyCompany | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    number: str = "",
    fee_level: str = "",
    fee_per_sqm: Decimal | None = None,
    note: str = "",
) -> ServiceContract:
    """Record who serves a residential area from when to when. Two contracts of one area never
    overlap."""
    system_or(actor, policies.can_keep(actor, area.path))
    check_contract(
        area=area,
        kind=kind,
        company=company,
        starts_on=starts_on,
        ends_on=ends_on,
        fee_level=fee_level,
        fee_per_sqm=fee_per_sqm,
    )
    assert starts_on is not None and ends_on is not None
    _lock_area(area)
    existing = _overlapping(area, starts_on, ends_on)
    if existing is not None:
        raise overlap_error(existing)
    contract = ServiceContract(
        area=area,
        area_path=area.path,
        kind=kind,
        company=company,
        number=(number or "").strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        fee_level=fee_level or "",
        fee_per_sqm=fee_per_sqm,
        note=(note or "").strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    try:
        with transaction.atomic():
            contract.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"starts_on": _("该小区在这段时间已有物业服务合同，时间不能重叠。")}
        ) from exc
    sync_routing(area)
    audit(actor, "contract.create", contract, created=True, area=area.pk, kind=kind)
    return contract


@transaction.atomic
def contract_terminate(
    *, actor: Any, contract: ServiceContract, on: date, note: str = ""
) -> ServiceContract:
    """End a contract early (解约/退出): its last day becomes ``on``."""
    system_or(actor, policies.can_keep(actor, contract.area_path))
    locked = ServiceContract.objects.select_for_update().get(pk=contract.pk)
    if locked.terminated_on is not None:
        raise ValidationError({"on": _("该合同已提前终止。")})
    if not locked.starts_on <= on <= locked.ends_on:
        raise ValidationError({"on": _("终止日期须在合同期内。")})
    locked.ends_on = on
    locked.terminated_on = on
    if note:
        locked.note = f"{locked.note}；{note.strip()}".strip("；")[:300]
    locked.save(update_fields=["ends_on", "terminated_on", "note"])
    sync_routing(locked.area)
    audit(actor, "contract.terminate", locked, on=on.isoformat())
    return locked


def property_category() -> Category | None:
    return Category.objects.filter(code=PROPERTY_CATEGORY_CODE, parent__isnull=True).first()


def sync_routing(area: Area, day: date | None = None) -> None:
    """The area's routing rule for the property category names the company contracted today;
    with none, the area's own rule goes and the rules above it apply."""
    category = property_category()
    if category is None:
        return
    day = day or timezone.localdate()
    current = (
        ServiceContract.objects.filter(
            area=area, kind=ContractKind.COMPANY, starts_on__lte=day, ends_on__gte=day
        )
        .select_related("company")
        .first()
    )
    if current is None or current.company is None:
        RoutingRule.objects.filter(category=category, area=area).delete()
        return
    RoutingRule.objects.update_or_create(
        category=category,
        area=area,
        defaults={"unit_area": None, "department": None, "company": current.company},
    )


def contract_on(area: Area, day: date) -> ServiceContract | None:
    """The contract serving ``area`` on ``day``, if any."""
    return (
        ServiceContract.objects.filter(area=area, starts_on__lte=day, ends_on__gte=day)
        .select_related("company")
        .first()
    )


# --- Residential areas -------------------------------------------------------------------------


@transaction.atomic
def estate_profile_save(
    *,
    actor: Any,
    area: Area,
    competent_department: Department | None = None,
    is_old_estate: bool = False,
    built_year: int | None = None,
    note: str = "",
) -> EstateProfile:
    """The competent department and old-estate flag of a residential area."""
    system_or(actor, policies.can_keep(actor, area.path))
    check_estate(area)
    if built_year is not None and not 1949 <= built_year <= timezone.localdate().year:
        raise ValidationError({"built_year": _("建成年份无效。")})
    profile, created = EstateProfile.objects.update_or_create(
        area=area,
        defaults={
            "area_path": area.path,
            "competent_department": competent_department,
            "is_old_estate": is_old_estate,
            "built_year": built_year,
            "note": (note or "").strip(),
        },
    )
    audit(actor, "estate.profile", area, created=created)
    return profile


def require_keeper(actor: Any, path: str) -> None:
    require(policies.can_keep(actor, path))
