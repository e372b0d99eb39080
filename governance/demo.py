"""The demo district of the seed report: 台儿庄区, its street and five towns, 15 urban
communities (华阳社区 among them) with residential areas, buildings, households, residents,
the four-level party organisation and its members, and a needs ledger. Realistic zh_CN data
from a seeded Faker, so every run makes the same district; ID numbers have a valid format
(area code, birth date, sequence, check digit).

Idempotent: areas are found by code, organisations by name, and a community that already has
households gets no more. Households, residents, members and needs go in with bulk_create."""

import random
from datetime import date, timedelta
from typing import Any

from accounts.personal_data import blind_index

from .idcard import make_id_number
from .models import (
    Area,
    AreaLevel,
    Department,
    Household,
    MemberStatus,
    NeedKind,
    NeedsLedger,
    NeedStatus,
    PartyMember,
    PartyOrg,
    PartyOrgKind,
    PartyOrgSector,
    PropertyCompany,
    RelationToHead,
    Resident,
    VulnerableTag,
)
from .services import area_create, party_org_create

DISTRICT = ("台儿庄区", "370405000000")
STREETS: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "运河街道",
        "370405001000",
        [
            ("华阳社区", "370405001001"),
            ("古城社区", "370405001002"),
            ("胜利社区", "370405001003"),
            ("文化社区", "370405001004"),
            ("箭道社区", "370405001005"),
            ("新华社区", "370405001006"),
            ("西关社区", "370405001007"),
            ("顺河社区", "370405001008"),
            ("北园社区", "370405001009"),
            ("丁庄社区", "370405001010"),
            ("金光社区", "370405001011"),
            ("台城社区", "370405001012"),
        ],
    ),
    ("泥沟镇", "370405100000", [("泥沟社区", "370405100001")]),
    ("邳庄镇", "370405101000", [("邳庄社区", "370405101001")]),
    ("张山子镇", "370405102000", [("张山子社区", "370405102001")]),
    ("涧头集镇", "370405103000", []),
    ("马兰屯镇", "370405104000", []),
]
ESTATE_NAMES = [
    "运河花园",
    "华阳小区",
    "古城新苑",
    "御景苑",
    "文化苑",
    "箭道小区",
    "新华家园",
    "西关小区",
    "顺河人家",
    "北园小区",
    "丁庄新村",
    "金光花园",
    "台城雅居",
    "书香苑",
    "兰祺花园",
    "龙泉小区",
    "鑫源小区",
    "和谐家园",
    "阳光水岸",
    "锦绣华庭",
]
ESTATES_PER_COMMUNITY = 3
BUILDINGS_PER_ESTATE = 4
UNITS, FLOORS, ROOMS_PER_FLOOR = 2, 4, 2
EMPLOYERS = [
    "区住房和城乡建设局",
    "区民政局",
    "区教育和体育局",
    "区人民医院",
    "台儿庄古城管委会",
    "区市场监督管理局",
    "运河街道办事处",
    "区税务局",
    "区实验小学",
    "区供电公司",
]
SEED = 20260405


def _ensure_area(parent: Area | None, name: str, level: str, code: str) -> Area:
    existing = Area.objects.filter(code=code).first()
    if existing is not None:
        return existing
    if parent is not None:
        parent.refresh_from_db()  # treebeard needs the parent's current numchild
    return area_create(actor=None, parent=parent, name=name, level=level, code=code)


def _ensure_org(
    parent: PartyOrg | None, name: str, kind: str, area: Area, **extra: Any
) -> PartyOrg:
    existing = PartyOrg.objects.filter(name=name, area=area).first()
    if existing is not None:
        return existing
    if parent is not None:
        parent.refresh_from_db()
    return party_org_create(actor=None, parent=parent, name=name, kind=kind, area=area, **extra)


class _People:
    """Seeded zh_CN people with valid-format ID numbers (370405 + birth date + sequence)."""

    def __init__(self) -> None:
        from faker import Faker

        self.fake = Faker("zh_CN")
        self.fake.seed_instance(SEED)
        self.random = random.Random(SEED)
        self.sequence = 0
        self.phones: set[str] = set()

    def person(self, *, gender: str, born_from: int, born_to: int) -> dict[str, Any]:
        name = self.fake.name_male() if gender == "M" else self.fake.name_female()
        birth = date(born_from, 1, 1) + timedelta(
            days=self.random.randrange((date(born_to, 12, 31) - date(born_from, 1, 1)).days)
        )
        self.sequence += 1
        # An odd sequence digit is a man, an even one a woman.
        sequence = (self.sequence * 2 + (1 if gender == "M" else 0)) % 1000
        id_number = make_id_number("370405", birth, sequence)
        phone = self.fake.phone_number()
        while phone in self.phones:
            phone = self.fake.phone_number()
        self.phones.add(phone)
        return {
            "name": name,
            "gender": gender,
            "birth_date": birth,
            "id_number": id_number,
            "id_number_hash": blind_index(id_number),
            "phone": phone,
            "phone_hash": blind_index(phone),
        }


def _build_territory(log: Any) -> dict[str, list[Area]]:
    district = _ensure_area(None, DISTRICT[0], AreaLevel.DISTRICT, DISTRICT[1])
    buildings_of: dict[str, list[Area]] = {}
    estate_names = iter(ESTATE_NAMES * 3)
    for street_name, street_code, communities in STREETS:
        street = _ensure_area(district, street_name, AreaLevel.STREET, street_code)
        for name, code in communities:
            community = _ensure_area(street, name, AreaLevel.COMMUNITY, code)
            count = ESTATES_PER_COMMUNITY + (1 if name == "华阳社区" else 0)
            for e in range(1, count + 1):
                estate_name = next(estate_names)
                estate = _ensure_area(
                    community, estate_name, AreaLevel.RESIDENTIAL_AREA, f"{code}{e:03d}"
                )
                for b in range(1, BUILDINGS_PER_ESTATE + 1):
                    building = _ensure_area(
                        estate, f"{b}号楼", AreaLevel.BUILDING, f"{code}{e:03d}{b:03d}"
                    )
                    buildings_of.setdefault(community.code, []).append(building)
    log(f"区域: {Area.objects.count()} 个")
    return buildings_of


def _build_orgs() -> dict[int, PartyOrg]:
    """District-wide organisation; returns the lowest organisation anchored on each area."""
    district = Area.objects.get(code=DISTRICT[1])
    anchored: dict[int, PartyOrg] = {}
    for street_name, street_code, communities in STREETS:
        street = Area.objects.get(code=street_code)
        is_street = street_name.endswith("街道")
        top = _ensure_org(
            None,
            f"中共台儿庄区{street_name}{'工作委员会' if is_street else '委员会'}",
            PartyOrgKind.WORKING_COMMITTEE if is_street else PartyOrgKind.COMMITTEE,
            street,
            secretary="",
            founded_on=date(1984, 7, 1),
        )
        for name, code in communities:
            community = Area.objects.get(code=code)
            community_org = _ensure_org(
                top,
                f"中共{name}委员会",
                PartyOrgKind.COMMITTEE,
                community,
                founded_on=date(2001, 7, 1),
            )
            anchored[community.pk] = community_org
            estates = Area.objects.filter(
                path__startswith=community.path, level=AreaLevel.RESIDENTIAL_AREA
            )
            for index, estate in enumerate(estates):
                branch = _ensure_org(
                    community_org,
                    f"{name}{estate.name}党支部",
                    PartyOrgKind.BRANCH,
                    estate,
                    founded_on=date(2018, 6, 1),
                )
                anchored[estate.pk] = branch
                buildings = Area.objects.filter(
                    path__startswith=estate.path, level=AreaLevel.BUILDING
                )
                for number, building in enumerate(buildings):
                    # 楼栋党小组 in all but the last building of every other estate: the
                    # coverage figure is high but not complete, as in a real district.
                    if index % 2 == 1 and number == len(buildings) - 1:
                        continue
                    anchored[building.pk] = _ensure_org(
                        branch,
                        f"{name}{estate.name}{building.name}党小组",
                        PartyOrgKind.GROUP,
                        building,
                        founded_on=date(2020, 3, 1),
                    )
                if index == 0:
                    _ensure_org(
                        community_org,
                        f"{estate.name}业主委员会党支部",
                        PartyOrgKind.BRANCH,
                        estate,
                        sector=PartyOrgSector.OWNERS_COMMITTEE,
                        founded_on=date(2021, 5, 1),
                    )
    company, _ = PropertyCompany.objects.get_or_create(
        credit_code="91370405MA3C5K7Q1R", defaults={"name": "台儿庄区华阳物业服务有限公司"}
    )
    huayang = Area.objects.get(code="370405001001")
    _ensure_org(
        anchored[huayang.pk],
        f"{company.name}党支部",
        PartyOrgKind.BRANCH,
        huayang,
        sector=PartyOrgSector.PROPERTY_COMPANY,
        company=company,
        founded_on=date(2021, 7, 1),
    )
    department, _ = Department.objects.get_or_create(
        code="D001", defaults={"name": "区住房和城乡建设局"}
    )
    # 区住房和城乡建设局 → 中共台儿庄区住房和城乡建设局机关支部委员会 (not "区区住房…")
    name = f"中共台儿庄区{department.name.removeprefix('区')}机关支部委员会"
    PartyOrg.objects.filter(name=f"中共台儿庄区{department.name}机关支部委员会").update(name=name)
    _ensure_org(
        None,
        name,
        PartyOrgKind.BRANCH,
        district,
        sector=PartyOrgSector.DEPARTMENT,
        department=department,
        founded_on=date(1990, 7, 1),
    )
    return anchored


NEED_TEXTS: dict[str, list[str]] = {
    NeedKind.ELDERLY_CARE: ["老人行动不便，希望定期上门探望", "申请助餐服务", "需要居家养老护理"],
    NeedKind.HEALTH: ["希望社区医生上门测血压", "慢病用药咨询", "需要家庭医生签约"],
    NeedKind.EMPLOYMENT: ["子女毕业待业，希望推荐岗位", "希望参加技能培训", "灵活就业社保咨询"],
    NeedKind.HARDSHIP: ["家庭收入低，咨询低保申请", "大病医疗救助申请", "临时救助申请"],
    NeedKind.CHILDREN: ["孩子放学后无人照看", "留守儿童课业辅导", "暑期托管需求"],
    NeedKind.ENVIRONMENT: ["楼道杂物堆放", "小区垃圾清运不及时", "绿化带需要修剪"],
    NeedKind.PROPERTY: ["楼道灯不亮", "单元门禁损坏", "屋顶漏水需要维修"],
    NeedKind.DISPUTE: ["邻里噪音纠纷", "停车位争议", "楼上漏水引发纠纷"],
    NeedKind.POLICY: ["医保缴费政策咨询", "老年优待证办理", "居住证办理咨询"],
    NeedKind.OTHER: ["希望增设健身器材", "建议开设书法兴趣班", "希望组织文艺活动"],
}


def _org_for(building: Area, org_of_path: dict[str, PartyOrg]) -> PartyOrg:
    """The lowest territorial organisation over a building (its 党小组, else the 党支部)."""
    for path in reversed(building.ancestor_paths()):
        if path in org_of_path:
            return org_of_path[path]
    raise LookupError(building.name)


def _build_people(
    people: _People, community_code: str, buildings: list[Area], anchored: dict[int, PartyOrg]
) -> tuple[int, int, int, int]:
    rng = people.random
    households = [
        Household(building=b, area_path=b.path, unit=str(unit), room=f"{floor}0{room}")
        for b in buildings
        for unit in range(1, UNITS + 1)
        for floor in range(1, FLOORS + 1)
        for room in range(1, ROOMS_PER_FLOOR + 1)
    ]
    Household.objects.bulk_create(households)
    residents: list[Resident] = []
    members: list[PartyMember] = []
    needs: list[NeedsLedger] = []
    today = date.today()
    org_of_path = {org.area_path: org for org in anchored.values()}
    for household in households:
        head_gender = rng.choice("MF")
        shape = rng.random()
        head = people.person(gender=head_gender, born_from=1940, born_to=1990)
        head_tags: list[str] = []
        if head["birth_date"].year < 1955 and shape < 0.25:
            head_tags.append(rng.choice([VulnerableTag.LIVING_ALONE, VulnerableTag.EMPTY_NEST]))
        if rng.random() < 0.04:
            head_tags.append(VulnerableTag.SUBSISTENCE)
        if rng.random() < 0.02:
            head_tags.append(VulnerableTag.SEVERE_DISABILITY)
        residents.append(
            Resident(
                household=household,
                area_path=household.area_path,
                relation=RelationToHead.HEAD,
                tags=head_tags,
                **head,
            )
        )
        household.head_name = head["name"]
        if shape >= 0.25:
            spouse_gender = "F" if head_gender == "M" else "M"
            year = head["birth_date"].year
            spouse = people.person(
                gender=spouse_gender, born_from=year - 3, born_to=min(year + 3, 2000)
            )
            residents.append(
                Resident(
                    household=household,
                    area_path=household.area_path,
                    relation=RelationToHead.SPOUSE,
                    **spouse,
                )
            )
            for _child in range(rng.choice([0, 1, 1, 2])):
                born = max(year + 22, 1975)
                child = people.person(
                    gender=rng.choice("MF"), born_from=born, born_to=min(born + 15, 2022)
                )
                tags = []
                if child["birth_date"].year >= 2010 and rng.random() < 0.1:
                    tags.append(VulnerableTag.LEFT_BEHIND_CHILD)
                residents.append(
                    Resident(
                        household=household,
                        area_path=household.area_path,
                        relation=RelationToHead.CHILD,
                        tags=tags,
                        **child,
                    )
                )
        if rng.random() < 0.12:
            org = _org_for(household.building, org_of_path)
            in_service = head["birth_date"].year > 1962
            members.append(
                PartyMember(
                    org=org,
                    area_path=org.area_path,
                    household=household,
                    status=MemberStatus.PROBATIONARY if rng.random() < 0.05 else MemberStatus.FULL,
                    joined_on=date(max(head["birth_date"].year + 20, 1960), rng.randint(1, 12), 1),
                    employer=rng.choice(EMPLOYERS) if in_service else "",
                    household_plaque=rng.random() < 0.6,
                    model_post=rng.random() < 0.15,
                    **head,
                )
            )
        if rng.random() < 0.08:
            raised = today - timedelta(days=rng.randint(1, 180))
            status = rng.choice(
                [NeedStatus.OPEN, NeedStatus.TAKEN, NeedStatus.DONE, NeedStatus.DONE]
            )
            kind = rng.choice(NeedKind.values)
            needs.append(
                NeedsLedger(
                    household=household,
                    area_path=household.area_path,
                    kind=kind,
                    description=rng.choice(NEED_TEXTS[kind]),
                    status=status,
                    raised_on=raised,
                    taken_by="社区网格员" if status != NeedStatus.OPEN else "",
                    # never after today: a need raised yesterday is not 办结 in four days' time
                    taken_on=min(raised + timedelta(days=1), today)
                    if status != NeedStatus.OPEN
                    else None,
                    done_on=min(raised + timedelta(days=5), today)
                    if status == NeedStatus.DONE
                    else None,
                    result="已上门办理，居民满意" if status == NeedStatus.DONE else "",
                )
            )
    Household.objects.bulk_update(households, ["head_name"], batch_size=1000)
    Resident.objects.bulk_create(residents, batch_size=1000)
    PartyMember.objects.bulk_create(members, batch_size=1000)
    NeedsLedger.objects.bulk_create(needs, batch_size=1000)
    return len(households), len(residents), len(members), len(needs)


DEPARTMENTS = [("区住房和城乡建设局", "D001"), ("区民政局", "D002")]
COMPANIES = [("台儿庄区华阳物业服务有限公司", "91370405MA3C5K7Q1R")]


def _build_units(log: Any) -> None:
    """The handling units besides areas: district departments and property companies."""
    for name, code in DEPARTMENTS:
        Department.objects.get_or_create(code=code, defaults={"name": name})
    log(f"区直部门: {Department.objects.count()} 个")
    for name, credit_code in COMPANIES:
        PropertyCompany.objects.get_or_create(credit_code=credit_code, defaults={"name": name})
    log(f"物业企业: {PropertyCompany.objects.count()} 个")


def seed(log: Any) -> None:
    buildings_of = _build_territory(log)
    _build_units(log)
    anchored = _build_orgs()
    log(f"党组织: {PartyOrg.objects.count()} 个")
    people = _People()
    totals = [0, 0, 0, 0]
    for code, buildings in buildings_of.items():
        community = Area.objects.get(code=code)
        if Household.objects.filter(area_path__startswith=community.path).exists():
            continue
        for index, value in enumerate(_build_people(people, code, buildings, anchored)):
            totals[index] += value
    log(
        f"住户: 新建 {totals[0]} 户，居民 {totals[1]} 人，党员 {totals[2]} 名，需求 {totals[3]} 条"
        f"（共 {Household.objects.count()} 户）"
    )
