"""阵地: a 党群服务中心 for each street and town and for each of its communities, with rooms, a
few coming bookings, the district's 标准化建设 checklist scored per centre, and a year of
service records of the seven kinds at the centres and at the grids' red stations."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from governance.models import Area, AreaLevel
from grids.models import ServiceKind, Station

from ..models import (
    CentreLevel,
    ChecklistItem,
    ServiceCentre,
    ServiceLine,
    ServiceRecord,
)
from ..services import centres
from ._base import HUAYANG

CHECKLIST = [
    ("A01", "阵地设置", "有统一的党群服务中心标识、门牌和党旗", 10, ["street", "community"]),
    (
        "A02",
        "阵地设置",
        "办公面积压缩到三分之一以内，服务面积不少于三分之二",
        10,
        ["street", "community"],
    ),
    ("A03", "阵地设置", "设有党员活动室、会议室、多功能活动室", 10, ["street", "community"]),
    ("B01", "功能设置", "党务、政务、商务、社会服务四大板块齐全", 15, ["street", "community"]),
    ("B02", "功能设置", "七类社区服务项目公开上墙", 10, ["community"]),
    ("B03", "功能设置", "设立矛盾纠纷调解室", 5, ["street"]),
    ("C01", "制度建设", "开放时间、服务流程、办事指南公开", 10, ["street", "community"]),
    ("C02", "制度建设", "建立首问负责、一次性告知、限时办结制度", 10, ["street", "community"]),
    ("D01", "服务开展", "每月开展主题党日或志愿服务活动", 10, ["street", "community"]),
    ("D02", "服务开展", "服务记录完整，台账齐全", 5, ["street", "community"]),
    ("E01", "信息化", "接入网格化服务管理平台", 5, ["street", "community"]),
]

SERVICE_TEXTS: dict[str, list[tuple[str, str]]] = {
    ServiceKind.CO_BUILDING: [
        ("区直部门报到共建议事", "共建单位"),
        ("共驻共建项目对接", "驻区单位"),
    ],
    ServiceKind.VOLUNTEER: [
        ("志愿者入户关爱独居老人", "独居老人"),
        ("留守儿童课业辅导", "留守儿童"),
    ],
    ServiceKind.STATION: [
        ("驿站歇脚饮水、手机充电", "户外劳动者"),
        ("快递小哥爱心驿站服务", "快递员"),
    ],
    ServiceKind.CONVENIENCE: [("代办社保医保业务", "居民"), ("老年优待证代办", "老年人")],
    ServiceKind.CULTURE: [("广场舞与合唱排练", "文艺队"), ("书法兴趣班", "居民")],
    ServiceKind.PROPERTY: [("物业报修协调", "业主"), ("三方联动议事", "业主代表")],
    ServiceKind.PROFESSIONAL: [("法律顾问坐诊", "居民"), ("心理咨询服务", "居民")],
}
LINE_OF: dict[str, str] = {
    ServiceKind.CO_BUILDING: ServiceLine.PARTY,
    ServiceKind.VOLUNTEER: ServiceLine.SOCIAL,
    ServiceKind.STATION: ServiceLine.SOCIAL,
    ServiceKind.CONVENIENCE: ServiceLine.GOVERNMENT,
    ServiceKind.CULTURE: ServiceLine.SOCIAL,
    ServiceKind.PROPERTY: ServiceLine.COMMERCE,
    ServiceKind.PROFESSIONAL: ServiceLine.SOCIAL,
}


def seed(log: Any, rng: random.Random) -> None:
    for code, section, title, points, levels in CHECKLIST:
        ChecklistItem.objects.get_or_create(
            code=code,
            defaults={"section": section, "title": title, "points": points, "levels": levels},
        )
    if ServiceCentre.objects.exists():
        log(f"党群服务中心: 已有 {ServiceCentre.objects.count()} 个，跳过")
        return
    streets = list(Area.objects.filter(level=AreaLevel.STREET).order_by("code"))
    made: list[ServiceCentre] = []
    for street in streets:
        made.append(
            centres.centre_create(
                actor=None,
                area=street,
                name=f"{street.name}党群服务中心",
                address=f"台儿庄区{street.name}政府驻地",
                opening_hours="周一至周五 8:30—17:30，周六 9:00—12:00",
                phone="0632-66" + street.code[6:9] + "00",
                floor_area=800 if street.name.endswith("街道") else 500,
                services=list(ServiceKind.values),
                lines=list(ServiceLine.values),
                opened_on=date(2020, 7, 1),
            )
        )
        for community in Area.objects.filter(
            level=AreaLevel.COMMUNITY, path__startswith=street.path
        ).order_by("code"):
            offered = [
                ServiceKind.CO_BUILDING,
                ServiceKind.VOLUNTEER,
                ServiceKind.CONVENIENCE,
                ServiceKind.CULTURE,
            ]
            if community.code == HUAYANG or rng.random() < 0.6:
                offered += [ServiceKind.PROPERTY, ServiceKind.PROFESSIONAL, ServiceKind.STATION]
            made.append(
                centres.centre_create(
                    actor=None,
                    area=community,
                    name=f"{community.name}党群服务中心",
                    address=f"{street.name}{community.name}居委会",
                    opening_hours="周一至周日 8:30—17:30",
                    floor_area=400 if community.code == HUAYANG else 260,
                    services=offered,
                    lines=[ServiceLine.PARTY, ServiceLine.GOVERNMENT, ServiceLine.SOCIAL]
                    + ([ServiceLine.COMMERCE] if ServiceKind.PROPERTY in offered else []),
                    opened_on=date(2021, 7, 1),
                )
            )
    for centre in made:
        names = (
            [
                ("会议室", 40, "会议、议事协商"),
                ("党员活动室", 30, "主题党日、党课"),
                ("调解室", 8, "矛盾纠纷调解"),
            ]
            if centre.level == CentreLevel.STREET
            else [("会议室", 20, "议事协商"), ("多功能活动室", 50, "文娱活动、培训")]
        )
        for name, capacity, purpose in names:
            centres.room_add(
                actor=None, centre=centre, name=name, capacity=capacity, purpose=purpose
            )
        _check(centre, rng)
    _bookings()
    records = _service_records(made, rng)
    log(f"党群服务中心: {len(made)} 个（街道 {len(streets)} 个），服务记录 {records} 条")


def _check(centre: ServiceCentre, rng: random.Random) -> None:
    items = ChecklistItem.objects.filter(is_active=True, levels__contains=[centre.level])
    results = {item.pk: (centre.area.code == HUAYANG or rng.random() < 0.85, "") for item in items}
    centres.checklist_check(
        actor=None,
        centre=centre,
        results=results,
        checked_on=timezone.localdate() - timedelta(days=30),
    )


def _bookings() -> None:
    centre = ServiceCentre.objects.filter(area__code=HUAYANG).first()
    if centre is None:
        return
    rooms = list(centre.rooms.order_by("name"))
    tz = timezone.get_current_timezone()
    start_day = timezone.localdate() + timedelta(days=1)
    plans = [
        ("主题党日活动", "华阳社区党委", 0, 9, 2, 30),
        ("“1+3+N”物业联席会议", "华阳社区", 1, 14, 2, 15),
        ("老年人智能手机培训", "志愿服务队", 2, 9, 3, 25),
        ("居民议事会", "华阳社区居委会", 4, 15, 2, 18),
        ("少儿书法兴趣班", "共建单位区实验小学", 5, 9, 2, 20),
    ]
    for index, (title, organiser, days, hour, hours, people) in enumerate(plans):
        room = rooms[index % len(rooms)]
        starts = datetime.combine(start_day + timedelta(days=days), time(hour), tzinfo=tz)
        centres.room_book(
            actor=None,
            room=room,
            title=title,
            organiser=organiser,
            attendees=min(people, room.capacity),
            starts_at=starts,
            ends_at=starts + timedelta(hours=hours),
        )


def _service_records(made: list[ServiceCentre], rng: random.Random) -> int:
    """A year of services: bulk-loaded (the service checks one record at a time); every row
    is a kind its place offers, dated in the past."""
    today = timezone.localdate()
    rows: list[ServiceRecord] = []
    places: list[Any] = [*made, *Station.objects.filter(is_active=True)]
    for place in places:
        offered = [kind for kind in place.services if kind in SERVICE_TEXTS]
        if not offered:
            continue
        per_month = 4 if isinstance(place, ServiceCentre) else 1
        for month in range(12):
            for _ in range(per_month):
                kind = rng.choice(offered)
                content, served = rng.choice(SERVICE_TEXTS[kind])
                day = today - timedelta(days=30 * month + rng.randint(0, 27))
                rows.append(
                    ServiceRecord(
                        centre=place if isinstance(place, ServiceCentre) else None,
                        station=place if isinstance(place, Station) else None,
                        area_path=place.area_path,
                        kind=kind,
                        line=LINE_OF[kind],
                        served_on=day,
                        content=content,
                        served=served,
                        people=rng.randint(1, 30),
                        served_by="社区工作者" if isinstance(place, ServiceCentre) else "网格员",
                    )
                )
    ServiceRecord.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
