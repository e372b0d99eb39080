"""The 1+3+N councils with their agenda and resolutions, and the disputes with their
mediation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from accounts.models import User
from cases.models import (
    Case,
    CaseSource,
)
from governance.models import (
    Area,
    AreaLevel,
    Department,
    PartyOrg,
    PartyOrgSector,
    PropertyCompany,
)
from governance.units import Unit

from ..models import (
    AttendeeSide,
    ComplaintDetail,
    ComplaintKind,
    ComplaintType,
    CouncilMeeting,
    MediationOutcome,
    MeetingKind,
    OwnersCommittee,
    Referral,
    ServiceContract,
)
from ..services import (
    AttendeeFields,
    agenda_item_add,
    dispute_report,
    mediation_conclude,
    mediation_session_add,
    meeting_create,
    resolution_add,
    resolution_transition,
)
from ._base import (
    _at,
    _huayang_path,
)


def _councils(district: Area, companies: list[PropertyCompany], log: Any) -> None:
    if CouncilMeeting.objects.filter(area_path__startswith=district.path).exists():
        return
    desk = User.objects.filter(username="community_staff").first()
    department = Department.objects.filter(code="D001").first()
    communities = list(
        Area.objects.filter(path__startswith=district.path, level=AreaLevel.COMMUNITY).order_by(
            "path"
        )
    )[:6]
    today = timezone.localdate()
    meetings = 0
    for c_index, community in enumerate(communities):
        org = PartyOrg.objects.filter(area=community, sector=PartyOrgSector.TERRITORIAL).first()
        if org is None:
            continue
        estates = list(
            Area.objects.filter(path__startswith=community.path, level=AreaLevel.RESIDENTIAL_AREA)
        )
        contract = (
            ServiceContract.objects.filter(area__in=estates, company__isnull=False)
            .select_related("company")
            .first()
        )
        company = contract.company if contract else companies[0]
        committee = OwnersCommittee.objects.filter(area__in=estates).first()
        for m_index, (kind, title) in enumerate(
            [
                (MeetingKind.JOINT, "1+3+N 物业服务联席会议"),
                (MeetingKind.HEARING, "居民恳谈会：小区停车与环境整治"),
                (MeetingKind.COORDINATION, "协调会：老旧小区改造与物业进驻"),
            ]
        ):
            held = today - timedelta(days=20 + 45 * m_index + 7 * c_index)
            attendees = [
                AttendeeFields(AttendeeSide.COMMUNITY_ORG, "社区党委书记", org.name),
                AttendeeFields(AttendeeSide.COMPANY, "项目经理", company.name, company=company),
                AttendeeFields(AttendeeSide.RESIDENTS, "居民代表", "楼栋长"),
                AttendeeFields(AttendeeSide.POLICE, "社区民警", "台儿庄派出所"),
            ]
            if committee is not None:
                attendees.append(
                    AttendeeFields(
                        AttendeeSide.OWNERS_COMMITTEE,
                        "业委会主任",
                        committee.name,
                        committee=committee,
                    )
                )
            if department is not None:
                attendees.append(
                    AttendeeFields(
                        AttendeeSide.DEPARTMENT, "联络员", department.name, department=department
                    )
                )
            meeting = meeting_create(
                actor=None,
                community=community,
                kind=kind,
                title=f"{community.name}{title}",
                held_at=_at(held, 15),
                convened_by=org,
                place=f"{community.name}党群服务中心",
                estates=estates[:2],
                attendees=attendees,
                minutes="会议通报了近期物业服务情况，听取居民意见，议定事项如下。",
            )
            item = agenda_item_add(
                actor=None,
                meeting=meeting,
                title="小区环境卫生整治",
                description="居民反映垃圾清运不及时",
                outcome="物业增加清运频次",
            )
            linked = Case.objects.filter(
                area_path__startswith=community.path, source=CaseSource.PROPERTY
            ).first()
            if linked is not None:
                agenda_item_add(
                    actor=None, meeting=meeting, title=f"跟进事件 {linked.number}", case=linked
                )
            units = [Unit(company=company), Unit(area=community)]
            if department is not None:
                units.append(Unit(department=department))
            for r_index, unit in enumerate(units):
                resolution = resolution_add(
                    actor=None,
                    meeting=meeting,
                    agenda_item=item,
                    text=[
                        "物业公司每日清运两次垃圾并公示",
                        "社区督促整改并组织回访",
                        "住建局指导老旧小区改造",
                    ][r_index],
                    unit=unit,
                    due_days=10 + 5 * r_index,
                )
                if m_index > 0 and (r_index + c_index) % 3 != 2:
                    resolution_transition(actor=None, resolution=resolution, action="start")
                    resolution_transition(
                        actor=None, resolution=resolution, action="complete", note="已按期落实"
                    )
                    late = (r_index + c_index) % 4 == 0
                    done = resolution.due_at + timedelta(days=3) if late else resolution.warn_at
                    type(resolution).objects.filter(pk=resolution.pk).update(done_at=done)
            type(meeting).objects.filter(pk=meeting.pk).update(created_by=desk)
            meetings += 1
    log(f"红色物业: 议事会议 {meetings} 次")


def _disputes(admin: User, estates: list[Area], log: Any) -> None:
    if ComplaintDetail.objects.filter(kind=ComplaintKind.DISPUTE).exists():
        return
    desk = User.objects.filter(username="community_staff").first()
    huayang = _huayang_path()
    outcomes = [
        MediationOutcome.SUCCESS,
        MediationOutcome.SUCCESS,
        MediationOutcome.PARTIAL,
        MediationOutcome.FAILED,
        "",
    ]
    texts = [
        (
            ComplaintType.NEIGHBOURS,
            "楼上漏水引发邻里纠纷",
            "楼上卫生间漏水，楼下墙面受损，双方就赔偿有争议。",
        ),
        (
            ComplaintType.OWNER_COMPANY,
            "业主与物业就车位费发生争议",
            "业主认为车位费上涨未经业主大会同意。",
        ),
        (ComplaintType.NEIGHBOURS, "宠物噪音扰民纠纷", "邻居家犬只夜间吠叫，多次协商未果。"),
    ]
    n = 0
    for index, estate in enumerate(estates[:10]):
        complaint_type, title, text = texts[index % len(texts)]
        in_huayang = estate.path.startswith(huayang)
        mediation = dispute_report(
            actor=admin,
            area=estate,
            complaint_type=complaint_type,
            title=title,
            description=text,
            contact_name="居民",
        )
        mediators = list(mediation.group.mediators.all()[:2])
        mediation_session_add(
            actor=None,
            mediation=mediation,
            held_at=timezone.now() - timedelta(days=3 + index),
            notes="调解员分别听取双方陈述，释法明理，提出调解方案。",
            mediators=mediators,
            place=f"{estate.name}红色驿站",
        )
        outcome = outcomes[index % len(outcomes)]
        if outcome:
            mediation_conclude(
                actor=desk if in_huayang else None,
                mediation=mediation,
                outcome=outcome,
                note="双方签订调解协议" if outcome != MediationOutcome.FAILED else "双方分歧较大",
                referral=Referral.JUDICIAL if outcome == MediationOutcome.FAILED else "",
            )
        n += 1
    groups = Area.objects.filter(level=AreaLevel.COMMUNITY).count()
    log(f"红色物业: 矛盾纠纷 {n} 件（调解小组 {groups} 个）")
