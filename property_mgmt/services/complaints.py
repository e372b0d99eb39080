"""Property complaints and disputes: cases reported through the case service, with their
detail (residential area, company, type) written in the same transaction; the mediation of
disputes by the community's mediation group."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from io import BytesIO
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from cases import policies as case_policies
from cases.models import Case, CaseSource, Category, Tier
from cases.photos import MAX_PIXELS
from cases.services import case_handle, case_report
from cases.workflow import Action as CaseAction
from cases.workflow import allowed_from
from common.errors import Conflict
from governance.models import Area, Household

from .. import policies
from ..models import (
    ComplaintDetail,
    ComplaintKind,
    ComplaintType,
    ContractKind,
    Mediation,
    MediationGroup,
    MediationOutcome,
    MediationSession,
    Mediator,
    MediatorRole,
    Referral,
)
from ._common import audit, estate_of, system_or
from .companies import contract_on

#: The case category (second level) each complaint type is reported under.
COMPLAINT_CATEGORY: dict[str, str] = {
    ComplaintType.ELEVATOR: "WY01",
    ComplaintType.GREENING: "WY02",
}
DEFAULT_COMPLAINT_CATEGORY = "WY03"
DISPUTE_CATEGORY: dict[str, str] = {ComplaintType.NEIGHBOURS: "MJ01"}
DEFAULT_DISPUTE_CATEGORY = "MJ01"
DISPUTE_TYPES = (ComplaintType.NEIGHBOURS, ComplaintType.OWNER_COMPANY, ComplaintType.OTHER)
COMPLAINT_TYPES = tuple(t for t in ComplaintType.values if t not in DISPUTE_TYPES[:2])
#: Accepted agreement files by their first bytes: (type, extension, Pillow format of an image).
AGREEMENT_TYPES = {
    b"%PDF": ("application/pdf", "pdf", ""),
    b"\x89PNG": ("image/png", "png", "PNG"),
    b"\xff\xd8\xff": ("image/jpeg", "jpg", "JPEG"),
}
MAX_AGREEMENT_BYTES = 10 * 1024 * 1024


def _category(code: str) -> Category:
    category = Category.objects.filter(code=code, is_active=True).select_related("parent").first()
    if category is None:
        raise ValidationError(
            {"complaint_type": _("未配置事件类别 %(code)s，请联系管理员。") % {"code": code}}
        )
    return category


def _detail_location(case: Case) -> dict[str, Any]:
    return {
        "area_path": case.area_path,
        "street_id": case.street_id,
        "community_id": case.community_id,
        "reported_at": case.created_at,
    }


def _check_household(household: Household | None, estate: Area) -> None:
    if household is not None and not household.area_path.startswith(estate.path):
        raise ValidationError({"household": _("反映住户须为该小区住户。")})


@transaction.atomic
def complaint_report(
    *,
    actor: Any,
    area: Area,
    complaint_type: str,
    title: str,
    description: str,
    contact_name: str = "",
    contact_phone: str = "",
    household: Household | None = None,
    address: str = "",
    photos: Sequence[UploadedFile] = (),
    source: str = CaseSource.PROPERTY,
) -> ComplaintDetail:
    """A resident's property complaint: a case (source 物业投诉) in the residential area or
    building, under the 物业管理 category of its type, with the company that serves the area
    today. The community desk accepts it and dispatches it; the area's routing rule names the
    contracted company."""
    if complaint_type not in ComplaintType.values or complaint_type in (
        ComplaintType.NEIGHBOURS,
        ComplaintType.OWNER_COMPANY,
    ):
        raise ValidationError({"complaint_type": _("请选择投诉类型。")})
    estate = estate_of(area)
    _check_household(household, estate)
    contract = contract_on(estate, timezone.localdate())
    company = contract.company if contract and contract.kind == ContractKind.COMPANY else None
    case = case_report(
        actor=actor,
        category=_category(COMPLAINT_CATEGORY.get(complaint_type, DEFAULT_COMPLAINT_CATEGORY)),
        area=area,
        title=title,
        description=description,
        address=address or "",
        source=source,
        contact_name=contact_name,
        contact_phone=contact_phone,
        photos=photos,
    )
    detail = ComplaintDetail.objects.create(
        case=case,
        kind=ComplaintKind.COMPLAINT,
        complaint_type=complaint_type,
        estate=estate,
        company=company,
        household=household,
        **_detail_location(case),
    )
    audit(actor, "complaint.report", case, created=True, company=company.pk if company else None)
    return detail


def mediation_group_for(community: Area) -> MediationGroup:
    group, _created = MediationGroup.objects.get_or_create(
        community=community,
        defaults={"area_path": community.path, "name": f"{community.name}矛盾纠纷调解小组"},
    )
    return group


@transaction.atomic
def dispute_report(
    *,
    actor: Any,
    area: Area,
    complaint_type: str,
    title: str,
    description: str,
    contact_name: str = "",
    contact_phone: str = "",
    household: Household | None = None,
    address: str = "",
    source: str = CaseSource.RESIDENT,
) -> Mediation:
    """A dispute (矛盾纠纷): a case under 矛盾纠纷 that goes to the community's mediation group."""
    if complaint_type not in DISPUTE_TYPES:
        raise ValidationError({"complaint_type": _("请选择纠纷类型。")})
    estate = estate_of(area)
    _check_household(household, estate)
    contract = contract_on(estate, timezone.localdate())
    company = contract.company if contract and contract.kind == ContractKind.COMPANY else None
    case = case_report(
        actor=actor,
        category=_category(DISPUTE_CATEGORY.get(complaint_type, DEFAULT_DISPUTE_CATEGORY)),
        area=area,
        title=title,
        description=description,
        address=address or "",
        source=source,
        contact_name=contact_name,
        contact_phone=contact_phone,
    )
    ComplaintDetail.objects.create(
        case=case,
        kind=ComplaintKind.DISPUTE,
        complaint_type=complaint_type,
        estate=estate,
        company=company if complaint_type == ComplaintType.OWNER_COMPANY else None,
        household=household,
        **_detail_location(case),
    )
    community = Area.objects.get(pk=case.community_id)
    mediation = Mediation.objects.create(
        case=case, group=mediation_group_for(community), area_path=case.area_path
    )
    audit(actor, "dispute.report", case, created=True)
    return mediation


@transaction.atomic
def mediator_add(
    *,
    actor: Any,
    group: MediationGroup,
    name: str,
    role: str = MediatorRole.MEMBER,
    organisation: str = "",
    user: Any = None,
) -> Mediator:
    system_or(actor, policies.can_keep(actor, group.area_path))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写调解员姓名。")})
    if role not in MediatorRole.values:
        raise ValidationError({"role": _("职务无效。")})
    mediator = Mediator.objects.create(
        group=group,
        name=name[:50],
        role=role,
        organisation=(organisation or "").strip()[:100],
        user=user,
    )
    audit(actor, "mediation.mediator_add", group, created=True)
    return mediator


@transaction.atomic
def mediation_session_add(
    *,
    actor: Any,
    mediation: Mediation,
    held_at: datetime,
    notes: str,
    mediators: Sequence[Mediator],
    place: str = "",
) -> MediationSession:
    system_or(actor, policies.can_keep(actor, mediation.area_path))
    locked = Mediation.objects.select_for_update().get(pk=mediation.pk)
    if locked.outcome:
        raise Conflict(_("调解已结束，不能再添加调解记录。"))
    notes = (notes or "").strip()
    if not notes:
        raise ValidationError({"notes": _("请填写调解记录。")})
    if held_at is None or held_at > timezone.now():
        raise ValidationError({"held_at": _("调解时间不能晚于现在。")})
    if not mediators:
        raise ValidationError({"mediators": _("请选择参与调解的调解员。")})
    if any(m.group_id != locked.group_id for m in mediators):
        raise ValidationError({"mediators": _("调解员须为本社区调解小组成员。")})
    session = MediationSession.objects.create(
        mediation=locked,
        held_at=held_at,
        place=(place or "").strip()[:120],
        notes=notes,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    session.mediators.set(mediators)
    audit(actor, "mediation.session", locked.case, created=True, session=session.pk)
    return session


def check_agreement(upload: UploadedFile) -> tuple[ContentFile[bytes], str]:
    """A PDF, PNG or JPEG of at most 10 MB, by its content (not its name). An image is written
    again without its metadata (EXIF with the phone's GPS position, the camera, the time; text
    chunks) and turned upright, as case photos are (``cases.photos``)."""
    if upload.size is None or upload.size > MAX_AGREEMENT_BYTES:
        raise ValidationError({"agreement": _("协议书文件不能超过 10 MB。")})
    data = upload.read()
    for magic, (content_type, ext, image_format) in AGREEMENT_TYPES.items():
        if data.startswith(magic):
            if image_format:
                data = _without_metadata(data, image_format)
            return ContentFile(data, name=f"{uuid.uuid4().hex}.{ext}"), content_type
    raise ValidationError({"agreement": _("协议书须为 PDF、PNG 或 JPEG 文件。")})


def _without_metadata(data: bytes, image_format: str) -> bytes:
    invalid = ValidationError({"agreement": _("协议书图片无法识别，请重新拍照或扫描。")})
    try:
        with Image.open(BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(BytesIO(data))
        # A phone's JPEG is often a multi-picture file (MPO): its first picture is kept.
        if image.format != image_format and (image.format, image_format) != ("MPO", "JPEG"):
            raise invalid
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError({"agreement": _("协议书图片像素过大。")})
        upright = ImageOps.exif_transpose(image)
        clean = BytesIO()
        # Saved with no exif, no text chunks and no XMP: only the pixels (and colour profile).
        upright.save(clean, image_format, quality=90, icc_profile=image.info.get("icc_profile"))
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise invalid from exc
    return clean.getvalue()


@transaction.atomic
def mediation_conclude(
    *,
    actor: Any,
    mediation: Mediation,
    outcome: str,
    note: str = "",
    referral: str = "",
    agreement: UploadedFile | None = None,
) -> Mediation:
    """调解成功 / 部分达成 / 调解失败. A failed mediation names where the dispute was referred;
    a success may carry the signed agreement. A success or partial agreement handles the case
    on the spot (即时办结) when it is still at the community and the actor may."""
    system_or(actor, policies.can_keep(actor, mediation.area_path))
    if outcome not in (MediationOutcome.SUCCESS, MediationOutcome.PARTIAL, MediationOutcome.FAILED):
        raise ValidationError({"outcome": _("请选择调解结果。")})
    if outcome == MediationOutcome.FAILED and referral not in Referral.values[1:]:
        raise ValidationError({"referral": _("调解失败须选择移交去向。")})
    if outcome != MediationOutcome.FAILED and referral:
        raise ValidationError({"referral": _("只有调解失败才移交。")})
    if agreement is not None and outcome == MediationOutcome.FAILED:
        raise ValidationError({"agreement": _("调解失败没有调解协议书。")})
    stored, content_type = check_agreement(agreement) if agreement is not None else (None, "")
    locked = Mediation.objects.select_for_update().select_related("case").get(pk=mediation.pk)
    if locked.outcome:
        raise Conflict(
            _("调解已结束（%(o)s），请刷新后查看。") % {"o": locked.get_outcome_display()}
        )
    locked.outcome = outcome
    locked.outcome_note = (note or "").strip()[:500]
    locked.referral = referral
    locked.concluded_at = timezone.now()
    if stored is not None:
        locked.agreement.save(stored.name or "agreement", stored, save=False)
        locked.agreement_type = content_type
    locked.save()
    case = locked.case
    if (
        outcome != MediationOutcome.FAILED
        and case.tier in (Tier.GRID, Tier.COMMUNITY)
        and allowed_from(CaseAction.HANDLE, case.state)
        and actor is not None
        and case_policies.can_take(actor, CaseAction.HANDLE, case)
    ):
        outcome_text = {"outcome": locked.get_outcome_display(), "note": locked.outcome_note or "—"}
        case_handle(actor=actor, case=case, note=_("%(outcome)s：%(note)s") % outcome_text)
    audit(actor, f"mediation.{outcome}", case, referral=referral)
    return locked


@transaction.atomic
def mediation_agreement_upload(
    *, actor: Any, mediation: Mediation, agreement: UploadedFile
) -> Mediation:
    system_or(actor, policies.can_keep(actor, mediation.area_path))
    stored, content_type = check_agreement(agreement)
    locked = Mediation.objects.select_for_update().get(pk=mediation.pk)
    if locked.outcome not in (MediationOutcome.SUCCESS, MediationOutcome.PARTIAL):
        raise Conflict(_("调解达成协议后才能上传协议书。"))
    locked.agreement.save(stored.name or "agreement", stored, save=False)
    locked.agreement_type = content_type
    locked.save(update_fields=["agreement", "agreement_type"])
    audit(actor, "mediation.agreement", locked.case)
    return locked
