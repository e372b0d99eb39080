"""Names, texts and people: what the synthetic district is made of."""

from __future__ import annotations

import bisect
import random
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from cases.models import CaseSource
from cases.workflow import Action
from governance.idcard import make_id_number
from governance.models import NeedKind
from governance.text import pinyin_initials

from .plan import LoadError

DISTRICT_NAME = "运河新区"
DISTRICT_CODE = "370499000000"
#: Where residents' ID numbers were issued: mostly here, some elsewhere.
ID_AREA_CODES = [*(["370499"] * 17), "370402", "370403", "370481", "320311", "410102"]
STREET_NAMES = ["运河街道", "古城街道", "兰陵街道", "泥沟镇", "邳庄镇", "张山子镇"]
#: Two-character name stems of communities, residential areas and companies.
_STEM_TEXT = (
    "华阳古城胜利文化箭道新华西关顺河北园丁庄金光台城兰祺龙泉鑫源和谐阳光锦绣书香御景东关南关北关东湖"
    "西湖桃园梨园杏林柳泉青年光明建设人民解放长安永安福泰康宁安居泰和德润仁和民主振兴繁荣朝阳红星向阳"
    "东升凤凰麒麟白鹭翠湖清源双河三里五里七星九龙万福百花兴隆广福银河嘉禾丰收太平松柏梧桐紫荆海棠玉兰"
    "春晖秋实明珠润泽泉城运河青檀月河"
)
STEMS = [_STEM_TEXT[i : i + 2] for i in range(0, len(_STEM_TEXT), 2)]
_SUFFIX_TEXT = "花园小区新苑家园雅居华庭公寓名苑新村佳苑嘉园水岸御府雅苑"
ESTATE_SUFFIXES = [_SUFFIX_TEXT[i : i + 2] for i in range(0, len(_SUFFIX_TEXT), 2)]
CN_DIGITS = "零一二三四五六七八九十"
DEPARTMENTS = [
    "区住房和城乡建设局",
    "区综合行政执法局",
    "区市政公用事业服务中心",
    "区应急管理局",
    "区民政局",
    "区人力资源和社会保障局",
    "区医疗保障局",
    "区司法局",
    "区生态环境分局",
    "区交通运输局",
    "区水务局",
    "区市场监督管理局",
    "区卫生健康局",
    "区教育和体育局",
    "区自然资源局",
    "区公安分局",
    "区消防救援大队",
    "区退役军人事务局",
    "区残疾人联合会",
    "区妇女联合会",
    "区团委",
    "区供电公司",
    "区自来水公司",
    "区燃气公司",
    "区文化和旅游局",
    "区农业农村局",
    "区信访局",
]
#: Which departments handle a category when it is dispatched to a department (the first
#: most often). The first department (区住房和城乡建设局) is the benchmark liaison's.
CATEGORY_DEPARTMENTS: dict[str, list[int]] = {
    "HJ01": [1, 8],
    "HJ02": [1, 11],
    "HJ03": [1],
    "SZ01": [0, 9],
    "SZ02": [2, 21],
    "SZ03": [0, 2],
    "WY01": [0, 11],
    "WY02": [0],
    "WY03": [0, 11],
    "AQ01": [16, 3],
    "AQ02": [3, 16],
    "AQ03": [0, 3],
    "MJ01": [7],
    "MJ02": [7, 19],
    "MS01": [4, 18],
    "MS02": [5, 6],
    "MS03": [4],
}
CATEGORY_WEIGHTS: dict[str, int] = {
    "HJ01": 10,
    "HJ02": 6,
    "HJ03": 4,
    "SZ01": 5,
    "SZ02": 5,
    "SZ03": 2,
    "WY01": 4,
    "WY02": 3,
    "WY03": 7,
    "AQ01": 4,
    "AQ02": 5,
    "AQ03": 1,
    "MJ01": 7,
    "MJ02": 3,
    "MS01": 4,
    "MS02": 5,
    "MS03": 8,
}
SOURCES = [
    (CaseSource.GRID, 45),
    (CaseSource.RESIDENT, 18),
    (CaseSource.HOTLINE, 22),
    (CaseSource.VISIT, 8),
    (CaseSource.PROPERTY, 5),
    (CaseSource.OPEN311, 2),
]
EMPLOYERS = [*DEPARTMENTS[:12], "区人民医院", "区实验小学", "运河街道办事处", "区税务局"]
DESCRIPTION_TAILS = [
    "居民多次反映，请尽快处理。",
    "影响居民正常生活，希望尽快解决。",
    "网格员巡查发现，已拍照留存。",
    "热线转办，请核实后处理。",
    "周边商户和居民均有意见。",
]
NEED_TEXTS: dict[str, list[str]] = {
    NeedKind.ELDERLY_CARE: ["老人行动不便，希望定期上门探望", "申请助餐服务"],
    NeedKind.HEALTH: ["希望社区医生上门测血压", "需要家庭医生签约"],
    NeedKind.EMPLOYMENT: ["子女毕业待业，希望推荐岗位", "希望参加技能培训"],
    NeedKind.HARDSHIP: ["家庭收入低，咨询低保申请", "临时救助申请"],
    NeedKind.CHILDREN: ["孩子放学后无人照看", "暑期托管需求"],
    NeedKind.ENVIRONMENT: ["楼道杂物堆放", "绿化带需要修剪"],
    NeedKind.PROPERTY: ["楼道灯不亮", "屋顶漏水需要维修"],
    NeedKind.DISPUTE: ["邻里噪音纠纷", "停车位争议"],
    NeedKind.POLICY: ["医保缴费政策咨询", "老年优待证办理"],
    NeedKind.OTHER: ["希望增设健身器材", "希望组织文艺活动"],
}
NOTES: dict[str, list[str]] = {
    Action.ACCEPT: ["", "已受理", "已受理，转相关单位办理"],
    Action.REJECT: ["不属于受理范围", "信息不全，无法核实", "属于司法程序，不予受理"],
    Action.HANDLE: ["网格员现场处置完毕", "现场调解，双方达成一致", "已当场清理"],
    Action.ESCALATE: ["社区无法解决，呼叫街道", "需区级部门协调处置", "涉及多部门，请上级协调"],
    Action.DISPATCH: ["请承办单位按时限办理", "", "请主办单位牵头，协办单位配合"],
    Action.REPLY: ["已安排人员现场查看", "已联系居民了解情况", "配合主办单位处理完毕"],
    Action.SEND_BACK: ["不属于本单位职责，申请回退", "派单有误，请重新派单"],
    Action.REQUEST_EXTENSION: ["需协调多部门，申请延期", "材料采购周期较长，申请延期"],
    Action.APPROVE_EXTENSION: ["", "同意延期"],
    Action.REFUSE_EXTENSION: ["理由不充分，请按时办结", "请加快办理"],
    Action.RESOLVE: ["已处理完毕，现场已恢复", "已维修完成", "已协调解决"],
    Action.VERIFY: ["", "网格员现场核查，问题已解决"],
    Action.RATE: ["", "居民表示满意"],
    Action.CLOSE: ["居民联系不上，经核实问题已解决"],
    Action.MARK_URGENT: ["居民反映强烈，加急办理", "涉及安全隐患，加急"],
    Action.SUPERVISE: ["请加快办理进度", "已超期，请说明情况并限期办结", "群众反映强烈，挂牌督办"],
    Action.MERGE: ["重复上报，已合并"],
}
UNSATISFIED_NOTES = ["问题仍未解决", "处理不彻底，居民不认可", "维修后再次损坏"]


class People:
    """zh_CN names from Faker's own lists, drawn with the load's seeded Random; ID numbers
    with valid check digits, unique per (area code, birth date, sequence); unique phones."""

    def __init__(self, rng: random.Random) -> None:
        from faker.providers.person.zh_CN import Provider

        self.rng = rng
        surnames = Provider.last_names
        self.surnames = list(surnames)
        self.surname_cum = list(cumulative([float(w) for w in surnames.values()]))
        self.male = list(Provider.first_names_male)
        self.female = list(Provider.first_names_female)
        self.sequences: dict[tuple[str, int, str], int] = {}
        self.phones = 0

    def name(self, gender: str) -> str:
        rng = self.rng
        surname = self.surnames[
            bisect.bisect_right(self.surname_cum, rng.random() * self.surname_cum[-1])
        ]
        given_names = self.male if gender == "M" else self.female
        given = given_names[int(rng.random() * len(given_names))]
        if len(given) == 1 and rng.random() < 0.5:
            given += given_names[int(rng.random() * len(given_names))]
        return surname + given

    def birth(self, first_year: int, last_year: int) -> date:
        start = date(first_year, 1, 1).toordinal()
        return date.fromordinal(
            start + int(self.rng.random() * (date(last_year, 12, 31).toordinal() - start))
        )

    def id_number(self, birth: date, gender: str) -> str:
        code = ID_AREA_CODES[int(self.rng.random() * len(ID_AREA_CODES))]
        ordinal = birth.toordinal()
        for candidate in [code, *ID_AREA_CODES[-5:], "370499"]:
            key = (candidate, ordinal, gender)
            used = self.sequences.get(key, 0)
            if used < 500:
                self.sequences[key] = used + 1
                # An odd sequence digit is a man, an even one a woman.
                return make_id_number(candidate, birth, used * 2 + (1 if gender == "M" else 0))
        raise LoadError("ran out of ID number sequences")

    def phone(self) -> str:
        self.phones += 1
        n = self.phones
        # A bijection of the counter onto nine digits: unique, and not visibly sequential.
        body = (n * 7_919_003 + 104_729) % 1_000_000_000
        return f"1{'3578'[n % 4]}{body:09d}"


def cumulative(weights: Iterable[float]) -> Iterator[float]:
    total = 0.0
    for weight in weights:
        total += weight
        yield total


def pick(rng: random.Random, items: Sequence[Any], cumulative: Sequence[float]) -> Any:
    return items[bisect.bisect_right(cumulative, rng.random() * cumulative[-1])]


_INITIALS: dict[str, str] = {}


def initials(name: str) -> str:
    value = _INITIALS.get(name)
    if value is None:
        value = _INITIALS[name] = pinyin_initials(name)
    return value


def cn_number(n: int) -> str:
    if n <= 10:
        return CN_DIGITS[n]
    if n < 20:
        return "十" + CN_DIGITS[n - 10]
    return CN_DIGITS[n // 10] + "十" + (CN_DIGITS[n % 10] if n % 10 else "")
