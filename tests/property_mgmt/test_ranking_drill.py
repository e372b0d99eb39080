"""The 红黑榜 page: the published formula, a company's score and board from inputs we know, each
input's link listing exactly the rows its cell counts, and the Excel file saying the same."""

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone
from lxml import html
from openpyxl import load_workbook

from cases.models import Case, CaseEvent, CaseState
from cases.services import case_reject
from cases.workflow import Action as CaseAction
from governance.models import Area, PropertyCompany
from governance.units import Unit
from property_mgmt import services
from property_mgmt.models import ComplaintDetail, Resolution, ResolutionState, Survey
from property_mgmt.selectors import stats
from property_mgmt.selectors.periods import MONTH_DAYS, Period
from tests.governance.factories import org

from . import factories as f

pytestmark = pytest.mark.django_db

SATISFIED = {**f.SCORES, "overall": 5}
UNSATISFIED = {**f.SCORES, "overall": 2}


def _quarter() -> Period:
    """The current quarter (complaints are reported now)."""
    today = timezone.localdate()
    q = (today.month - 1) // 3 + 1
    start = date(today.year, 3 * (q - 1) + 1, 1)
    end = date(today.year + (q == 4), (3 * q) % 12 + 1, 1)
    return Period(start, end, f"{today.year}Q{q}")


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


@dataclass
class Made:
    """What a company's inputs were made of: the rows each cell must count."""

    company: PropertyCompany
    households: int
    complaints: set[str] = field(default_factory=set)
    on_time: set[str] = field(default_factory=set)
    late: set[str] = field(default_factory=set)
    surveys: set[str] = field(default_factory=set)
    answers: int = 0
    satisfied: int = 0
    kept: set[str] = field(default_factory=set)
    missed: set[str] = field(default_factory=set)


def _complaint(staff: Any, estate: Area, title: str) -> ComplaintDetail:
    return services.complaint_report(
        actor=staff, area=estate, complaint_type="repair", title=title, description="漏水"
    )


def _resolve(detail: ComplaintDetail, at: datetime, *, late: bool = False) -> None:
    if late:  # the sweep's red mark while it was handled
        CaseEvent.objects.create(
            case=detail.case,
            action=CaseAction.OVERDUE,
            to_state=detail.case.state,
            tier=detail.case.tier,
        )
    Case.objects.filter(pk=detail.case_id).update(state=CaseState.RESOLVED, resolved_at=at)


def _report_before(detail: ComplaintDetail, at: datetime) -> None:
    Case.objects.filter(pk=detail.case_id).update(created_at=at)
    ComplaintDetail.objects.filter(pk=detail.pk).update(reported_at=at)


def _survey(
    estate: Area, first: date, last: date, scores: list[dict[str, int]], homes: list[Any]
) -> Survey:
    """A survey of ``estate`` for ``first`` to ``last``, answered by the first of ``homes``."""
    survey = services.survey_create(
        actor=None,
        area=estate,
        period_start=first,
        period_end=last,
        opens_on=date(2000, 1, 1),
        closes_on=date(2100, 1, 1),
    )
    for home, answer in zip(homes, scores, strict=False):
        services.survey_answer_record(survey=survey, household=home, scores=answer, channel="code")
    return survey


def _resolution(
    meeting: Any, text: str, unit: Unit, due_on: date, *, state: str = "", done: int = 0
) -> Resolution:
    """A resolution due at 18:00 of ``due_on``; ``done`` hours after the deadline (negative:
    before it) when ``state`` is done."""
    resolution = services.resolution_add(
        actor=None, meeting=meeting, text=text, unit=unit, due_days=3
    )
    if state == ResolutionState.DONE:
        services.resolution_transition(
            actor=None, resolution=resolution, action="complete", note="已落实"
        )
    elif state == ResolutionState.CANCELLED:
        services.resolution_transition(
            actor=None, resolution=resolution, action="cancel", note="情况变化"
        )
    due_at = _at(due_on, 18)
    Resolution.objects.filter(pk=resolution.pk).update(
        due_on=due_on,
        warn_at=due_at - timedelta(days=1),
        due_at=due_at,
        done_at=due_at + timedelta(hours=done) if state == ResolutionState.DONE else None,
    )
    return resolution


def _meeting(community: Area) -> Any:
    return services.meeting_create(
        actor=None,
        community=community,
        kind="joint",
        title="1+3+N 联席会议",
        held_at=timezone.now() - timedelta(days=2),
        convened_by=org(community),
        attendees=[services.AttendeeFields("residents", "居民代表")],
    )


def _good(tree: dict[str, Any]) -> Made:
    """红榜物业 serves 甲小区: 20 households, no complaint, 4 of 5 answers satisfied, its one
    resolution kept."""
    period = _quarter()
    company = f.company("红榜物业有限公司")
    f.contract(tree["estate"], company, starts_on=date(2024, 1, 1))
    homes = f.households(tree["estate"], 20, "1380000")
    last = period.end - timedelta(days=1)
    survey = _survey(tree["estate"], period.start, last, [SATISFIED] * 4 + [UNSATISFIED], homes)
    meeting = _meeting(tree["community"])
    unit = Unit(company=company)
    kept = _resolution(meeting, "修复门禁", unit, period.start, state="done", done=-2)
    return Made(company, 20, surveys={survey.title}, answers=5, satisfied=4, kept={kept.text})


def _poor(tree: dict[str, Any], staff: Any) -> Made:
    """黑榜物业 serves 乙小区: 10 households; complaints on time, late, open, rejected and
    outside the quarter; 1 of 4 answers satisfied; one resolution kept of three due."""
    period = _quarter()
    estate = tree["other_estate"]
    company = f.company("黑榜物业有限公司")
    f.contract(estate, company, starts_on=date(2024, 1, 1))
    homes = f.households(estate, 10, "1390000")
    made = Made(company, 10)
    now = timezone.now()
    before = _at(period.start - timedelta(days=20), 10)
    on_time, late, open_, rejected = (_complaint(staff, estate, f"投诉{n}") for n in range(4))
    _resolve(on_time, now)
    _resolve(late, now, late=True)
    case_reject(actor=staff, case=rejected.case, note="不属于物业服务范围")
    # reported last quarter: resolved late in this one, and resolved in the last one
    earlier, long_ago = (
        _complaint(staff, estate, "去年投诉"),
        _complaint(staff, estate, "上季度办结"),
    )
    _report_before(earlier, before)
    _resolve(earlier, now, late=True)
    _report_before(long_ago, before)
    _resolve(long_ago, before + timedelta(days=1))
    made.complaints = {d.case.number for d in (on_time, late, open_)}
    made.on_time = {on_time.case.number}
    made.late = {late.case.number, earlier.case.number}
    last = period.end - timedelta(days=1)
    survey = _survey(estate, period.start, last, [SATISFIED] + [UNSATISFIED] * 3, homes)
    last_year = date(period.start.year - 1, 1, 1)
    _survey(estate, last_year, date(last_year.year, 12, 31), [SATISFIED] * 6, homes)
    made.surveys, made.answers, made.satisfied = {survey.title}, 4, 1
    meeting = _meeting(tree["other_community"])
    unit = Unit(company=company)
    kept = _resolution(meeting, "清理楼道", unit, period.start, state="done", done=-1)
    done_late = _resolution(meeting, "更换水泵", unit, period.start, state="done", done=30)
    still_open = _resolution(meeting, "公示收支", unit, period.start)
    _resolution(meeting, "加装监控", unit, period.start, state="cancelled")
    _resolution(meeting, "下季度事项", unit, period.end + timedelta(days=5))
    community = Unit(area=tree["other_community"])
    _resolution(meeting, "社区负责", community, period.start, state="done", done=-1)
    made.kept = {kept.text}
    made.missed = {done_late.text, still_open.text}
    return made


@pytest.fixture
def companies(tree: dict[str, Any], make_user: Any, cats: Any) -> tuple[Made, Made]:
    return _good(tree), _poor(tree, make_user("community_staff", "other_community"))


def _page(client: Any, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.fromstring(response.content.decode())


def _ranking_url(period: Period, **extra: Any) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"quarter": period.label, **extra}.items())
    return f"/property/ranking/?{query}"


def _cells(tr: Any) -> dict[str, Any]:
    return {td.get("data-label"): td for td in tr.xpath("./td")}


def _numbers(td: Any) -> list[float]:
    """The numbers a cell shows, in order ("—" for none is skipped)."""
    return [float(n) for n in re.findall(r"\d+(?:\.\d+)?", td.text_content())]


def _rows(page: Any) -> dict[str, dict[str, Any]]:
    table = page.xpath('//table[@data-testid="ranking"]')[0]
    rows = [_cells(tr) for tr in table.xpath(".//tbody/tr")]
    return {cells["物业企业"].text_content().strip(): cells for cells in rows}


def _ledger(client: Any, url: str, column: str) -> list[str]:
    """The values of ``column`` of every row the ledger at ``url`` lists (one page)."""
    page = _page(client, url)
    table = page.xpath('//table[starts-with(@data-testid, "ledger-")]')
    if not table:
        assert page.xpath('//p[@class="empty"]'), url
        return []
    assert not page.xpath('//nav[@class="pagination"]'), "more than one page"
    values = [
        td.text_content().strip()
        for td in table[0].xpath(f'.//tbody/tr/td[@data-label="{column}"]')
    ]
    assert len(values) == len(table[0].xpath(".//tbody/tr"))
    assert f"共 {len(values)} 条" in page.xpath('//p[@class="pagination"]')[0].text_content()
    return values


def _drill(cell: Any, name: str) -> str:
    links = cell.xpath(f'.//a[@data-drill="{name}"]')
    assert links, name
    return str(links[0].get("href"))


def _published(parts: dict[str, float | None]) -> float:
    """The formula as the page states it: 40 / 30 / 20 / 10, an input without data left out and
    the other weights scaled up."""
    weights = {"satisfaction": 40, "complaints": 30, "on_time": 20, "resolutions": 10}
    present = {k: v for k, v in parts.items() if v is not None}
    total = sum(weights[k] * v for k, v in present.items())
    return round(total / sum(weights[k] for k in present), 1)


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def test_the_page_states_the_formula(client: Any, make_user: Any) -> None:
    client.force_login(make_user("district_leader"))
    page = _page(client, "/property/ranking/")
    formula = page.xpath('//p[@data-testid="formula"]')[0].text_content()
    assert formula == str(stats.RANKING_FORMULA)
    for part in ("满意率 × 40%", "投诉得分 × 30%", "投诉按时办结率 × 20%", "决议按期落实率 × 10%"):
        assert part in formula
    assert "≥ 80 上红榜" in formula and "< 60 上黑榜" in formula


def test_score_and_board_follow_the_formula(
    client: Any, make_user: Any, companies: tuple[Made, Made]
) -> None:
    good, poor = companies
    period = _quarter()
    today = timezone.localdate()
    months = (min(period.end, today + timedelta(days=1)) - period.start).days / MONTH_DAYS
    client.force_login(make_user("district_leader"))
    rows = _rows(_page(client, _ranking_url(period)))
    # 红榜物业: no complaint (score 100), no complaint handled (left out), 80 % satisfied, the
    # one resolution kept
    expected_good = _published(
        {"satisfaction": 80.0, "complaints": 100.0, "on_time": None, "resolutions": 100.0}
    )
    # 黑榜物业: three complaints on ten households, one of three handled on time
    rate = round(3 / (10 / 1000) / months, 2)
    expected_poor = _published(
        {
            "satisfaction": 25.0,
            "complaints": round(max(0.0, 100 - 10 * rate), 1),
            "on_time": _pct(1, 3),
            "resolutions": _pct(1, 3),
        }
    )
    assert (expected_good, expected_poor) == (90.0, 20.0)
    red, black = rows[good.company.name], rows[poor.company.name]
    assert _numbers(red["综合得分"]) == [expected_good]
    assert red["榜单"].text_content().strip() == "红榜"
    assert _numbers(red["名次"]) == [1]
    assert _numbers(black["综合得分"]) == [expected_poor]
    assert black["榜单"].text_content().strip() == "黑榜"
    assert _numbers(black["名次"]) == [2]
    assert _numbers(black["每千户月均投诉"]) == [rate, 3, 10]
    assert _numbers(black["按时办结率（%）"]) == [33.3, 1, 3, 2]


def test_each_link_lists_the_rows_its_cell_counts(
    client: Any, make_user: Any, companies: tuple[Made, Made]
) -> None:
    period = _quarter()
    client.force_login(make_user("district_leader"))
    rows = _rows(_page(client, _ranking_url(period)))
    for made in companies:
        cells = rows[made.company.name]
        # complaints of the quarter: the rate's numerator
        complaints = cells["每千户月均投诉"]
        numbers = _ledger(client, _drill(complaints, "complaints"), "事件编号")
        assert set(numbers) == made.complaints and len(numbers) == _numbers(complaints)[-2]
        assert _numbers(complaints)[-1] == made.households
        # complaints resolved in the quarter, on time and late
        handling = cells["按时办结率（%）"]
        shown_on_time, shown_resolved, shown_late = _numbers(handling)[-3:]
        on_time = _ledger(client, _drill(handling, "on_time"), "事件编号")
        late = _ledger(client, _drill(handling, "late"), "事件编号")
        handled = _ledger(client, _drill(handling, "handled"), "事件编号")
        assert set(on_time) == made.on_time and len(on_time) == shown_on_time
        assert set(late) == made.late and len(late) == shown_late
        assert sorted(handled) == sorted(on_time + late) and len(handled) == shown_resolved
        # the surveys whose answers the 满意率 counts
        satisfaction = cells["满意率（%）"]
        link = _drill(satisfaction, "surveys")
        assert set(_ledger(client, link, "标题")) == made.surveys
        answers = [int(n) for n in _ledger(client, link, "答卷")]
        assert sum(answers) == made.answers == _numbers(satisfaction)[-1]
        assert _numbers(satisfaction)[-2] == made.satisfied
        # the resolutions due in the quarter that it owns, and those kept
        keeping = cells["决议按期落实率（%）"]
        due = _ledger(client, _drill(keeping, "resolutions"), "决议事项")
        kept = _ledger(client, _drill(keeping, "resolutions_kept"), "决议事项")
        assert set(kept) == made.kept and len(kept) == _numbers(keeping)[-2]
        assert set(due) == made.kept | made.missed and len(due) == _numbers(keeping)[-1]


def test_the_excel_file_has_the_rows_and_values_of_the_page(
    client: Any, make_user: Any, companies: tuple[Made, Made]
) -> None:
    period = _quarter()
    client.force_login(make_user("district_leader"))
    page_rows = _rows(_page(client, _ranking_url(period)))
    response = client.get(_ranking_url(period, export="xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *data = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert [row[header.index("物业企业")] for row in data] == list(page_rows)
    for row in data:
        value = dict(zip(header, row, strict=True))
        cells = page_rows[value["物业企业"]]
        assert [value["名次"]] == _numbers(cells["名次"])
        assert [value["综合得分"]] == _numbers(cells["综合得分"])
        assert value["榜单"] == cells["榜单"].text_content().strip()
        assert [value["满意率（%）"], value["满意答卷"], value["答卷"]] == _numbers(
            cells["满意率（%）"]
        )
        assert [value["每千户月均投诉"], value["投诉件数"], value["在册户数"]] == _numbers(
            cells["每千户月均投诉"]
        )
        assert [value["投诉得分"]] == _numbers(cells["投诉得分"])
        handling = _numbers(cells["按时办结率（%）"])
        assert value["办结件数"] == handling[-2] and value["超期办结件数"] == handling[-1]
        assert value["按时办结率（%）"] == (handling[0] if len(handling) == 4 else None)
        keeping = _numbers(cells["决议按期落实率（%）"])
        assert [value["决议按期落实率（%）"], value["按期落实决议"], value["到期决议"]] == keeping


def test_the_resolution_rate_counts_the_owned_resolutions_due_in_the_quarter(
    client: Any, make_user: Any, companies: tuple[Made, Made]
) -> None:
    poor = companies[1]
    period = _quarter()
    leader = make_user("district_leader")
    row = {r.company: r for r in stats.ranking(actor=leader, period=period)}[poor.company]
    # kept, done late, open: one of three; the cancelled one, the one due next quarter and the
    # community's own are not the company's quarter
    assert (row.resolutions_kept, row.resolutions_due, row.resolutions_rate) == (1, 3, 33.3)
    # when the open one is done before its deadline, two of three are kept
    still_open = Resolution.objects.get(text="公示收支")
    services.resolution_transition(
        actor=None, resolution=still_open, action="complete", note="已公示"
    )
    Resolution.objects.filter(pk=still_open.pk).update(
        done_at=still_open.due_at - timedelta(hours=1)
    )
    client.force_login(leader)
    cell = _rows(_page(client, _ranking_url(period)))[poor.company.name]["决议按期落实率（%）"]
    assert _numbers(cell) == [66.7, 2, 3]
    kept = _ledger(client, _drill(cell, "resolutions_kept"), "决议事项")
    assert sorted(kept) == sorted(["清理楼道", "公示收支"])
    # a resolution cancelled leaves the rate's count: one missed of two
    services.resolution_transition(
        actor=None, resolution=Resolution.objects.get(text="更换水泵"), action="reopen", note="返工"
    )
    services.resolution_transition(
        actor=None, resolution=Resolution.objects.get(text="更换水泵"), action="cancel", note="撤销"
    )
    cell = _rows(_page(client, _ranking_url(period)))[poor.company.name]["决议按期落实率（%）"]
    assert _numbers(cell) == [100.0, 2, 2]
    assert len(_ledger(client, _drill(cell, "resolutions"), "决议事项")) == 2


def test_an_area_chosen_counts_and_lists_only_its_rows(
    client: Any, tree: dict[str, Any], make_user: Any, cats: Any
) -> None:
    # one company serves a residential area in each street
    period = _quarter()
    company = f.company("两街物业有限公司")
    here, there = tree["estate"], tree["other_estate"]
    for estate in (here, there):
        f.contract(estate, company, starts_on=date(2024, 1, 1))
    homes = {here: f.households(here, 4, "1360000"), there: f.households(there, 6, "1350000")}
    last = period.end - timedelta(days=1)
    for estate, n in ((here, 1), (there, 2)):
        staff = make_user("community_staff", "community" if estate == here else "other_community")
        for i in range(n):
            _complaint(staff, estate, f"{estate.name}投诉{i}")
        _survey(estate, period.start, last, [SATISFIED] * (n + 1), homes[estate])
    for community in (tree["community"], tree["other_community"]):
        meeting, text = _meeting(community), f"{community.name}决议"
        _resolution(meeting, text, Unit(company=company), period.start, state="done", done=-1)
    client.force_login(make_user("district_leader"))
    # when the ranking is counted for 甲街道
    cells = _rows(_page(client, _ranking_url(period, within=tree["street"].pk)))[company.name]
    # then its complaints, households, answers and resolutions are 甲街道's, and so are the rows
    # each link lists
    assert _numbers(cells["每千户月均投诉"])[-2:] == [1, 4]
    complaints = _ledger(client, _drill(cells["每千户月均投诉"], "complaints"), "小区")
    assert complaints == [here.name]
    assert _numbers(cells["满意率（%）"])[-2:] == [2, 2]
    answers = _ledger(client, _drill(cells["满意率（%）"], "surveys"), "答卷")
    assert answers == ["2"]
    assert _numbers(cells["决议按期落实率（%）"]) == [100.0, 1, 1]
    due = _ledger(client, _drill(cells["决议按期落实率（%）"], "resolutions"), "决议事项")
    assert due == [f"{tree['community'].name}决议"]
    # and the whole district counts both streets
    cells = _rows(_page(client, _ranking_url(period)))[company.name]
    assert _numbers(cells["每千户月均投诉"])[-2:] == [3, 10]
    assert _numbers(cells["决议按期落实率（%）"]) == [100.0, 2, 2]


def test_a_street_sees_only_the_companies_serving_it(
    client: Any, make_user: Any, companies: tuple[Made, Made]
) -> None:
    good = companies[0]
    client.force_login(make_user("street_staff"))
    rows = _rows(_page(client, _ranking_url(_quarter())))
    assert list(rows) == [good.company.name]
    # its links list its own rows, none of the other street's
    satisfaction = rows[good.company.name]["满意率（%）"]
    assert set(_ledger(client, _drill(satisfaction, "surveys"), "标题")) == good.surveys
    keeping = rows[good.company.name]["决议按期落实率（%）"]
    assert set(_ledger(client, _drill(keeping, "resolutions"), "决议事项")) == good.kept
