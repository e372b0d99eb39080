"""The monthly report as a PDF: the same figures, tables and rankings as the printable page,
with its charts drawn on the server (ReportLab's graphics, no browser needed).

The Chinese text uses the Adobe CJK font STSong-Light that every PDF reader carries, so no
font file is shipped or embedded.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

FONT = "STSong-Light"
RED = colors.HexColor("#c8161e")
PALETTE = [RED, colors.HexColor("#d48806"), colors.HexColor("#2f6fb5"), colors.HexColor("#5b8c3a")]
WIDTH = A4[0] - 30 * mm
#: A long table (units, categories) is cut to this many rows in the PDF; the page has all.
MAX_ROWS = 25


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _styles() -> dict[str, ParagraphStyle]:
    font = _font()
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=17, leading=24, spaceAfter=4),
        "h2": ParagraphStyle(
            "h2",
            fontName=font,
            fontSize=12.5,
            leading=18,
            spaceBefore=8,
            spaceAfter=4,
            textColor=RED,
        ),
        "body": ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14),
        "small": ParagraphStyle(
            "small", fontName=font, fontSize=8, leading=11, textColor=colors.grey
        ),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=8, leading=10),
    }


def _table(headers: list[Any], rows: list[list[Any]], styles: dict[str, ParagraphStyle]) -> Table:
    cell = styles["cell"]
    data = [[Paragraph(str(h), cell) for h in headers]]
    data += [[Paragraph("—" if v is None else str(v), cell) for v in row] for row in rows]
    table = Table(data, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), _font()),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#fdecec")),
                ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#c9cdd4")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _shown(table: Any, limit: int | None = MAX_ROWS) -> list[list[Any]]:
    return [[cell.shown for cell in row] for row in table.rows[:limit]]


def _line_chart(chart: dict[str, Any]) -> Drawing:
    font = _font()
    drawing = Drawing(WIDTH, 62 * mm)
    plot = HorizontalLineChart()
    plot.x, plot.y = 12 * mm, 12 * mm
    plot.width, plot.height = WIDTH - 20 * mm, 44 * mm
    series = [s for s in chart["series"] if not s.get("percent")]
    plot.data = [[v or 0 for v in s["data"]] for s in series] or [[0]]
    plot.categoryAxis.categoryNames = [label[2:] for label in chart["labels"]]
    plot.categoryAxis.labels.fontName = font
    plot.categoryAxis.labels.fontSize = 6.5
    plot.valueAxis.labels.fontName = font
    plot.valueAxis.valueMin = 0
    for i, _s in enumerate(series):
        plot.lines[i].strokeColor = PALETTE[i % len(PALETTE)]
        plot.lines[i].strokeWidth = 1.4
    drawing.add(plot)
    drawing.add(_legend(series, WIDTH - 60 * mm, 60 * mm))
    return drawing


def _legend(series: list[dict[str, Any]], x: float, y: float) -> Legend:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName = _font()
    legend.fontSize = 7.5
    legend.columnMaximum = 1
    legend.alignment = "right"
    legend.colorNamePairs = [(PALETTE[i % len(PALETTE)], s["name"]) for i, s in enumerate(series)]
    return legend


def _bar_chart(chart: dict[str, Any], horizontal: bool = False) -> Drawing:
    font = _font()
    labels = chart["labels"][:MAX_ROWS]
    height = (max(len(labels), 3) * 6 + 20) * mm if horizontal else 62 * mm
    drawing = Drawing(WIDTH, height)
    plot: Any = HorizontalBarChart() if horizontal else VerticalBarChart()
    plot.x, plot.y = (34 * mm, 8 * mm) if horizontal else (12 * mm, 14 * mm)
    plot.width = WIDTH - (44 * mm if horizontal else 20 * mm)
    plot.height = height - (16 * mm if horizontal else 22 * mm)
    series = chart["series"]
    plot.data = [[v or 0 for v in s["data"][:MAX_ROWS]] for s in series] or [[0]]
    plot.categoryAxis.categoryNames = labels
    plot.categoryAxis.labels.fontName = font
    plot.categoryAxis.labels.fontSize = 7
    if not horizontal:
        plot.categoryAxis.labels.angle = 30 if len(labels) > 6 else 0
        plot.categoryAxis.labels.boxAnchor = "ne" if len(labels) > 6 else "n"
    plot.valueAxis.labels.fontName = font
    plot.valueAxis.valueMin = 0
    for i, _s in enumerate(series):
        plot.bars[i].fillColor = PALETTE[i % len(PALETTE)]
    drawing.add(plot)
    if len(series) > 1:
        drawing.add(_legend(series, WIDTH - 10 * mm, height - 2 * mm))
    return drawing


def _empty_chart(text: str) -> Drawing:
    drawing = Drawing(WIDTH, 10 * mm)
    drawing.add(String(0, 3 * mm, text, fontName=_font(), fontSize=9, fillColor=colors.grey))
    return drawing


def monthly_report(board: Any, tables: dict[str, Any]) -> bytes:
    """The PDF of a monthly report (board: a :class:`dashboards.selectors.Dashboard` of one
    month; tables: its tables by key, rankings included)."""
    styles = _styles()
    buffer = BytesIO()
    title = _("%(area)s事件办理与基层治理月报（%(month)s）") % {
        "area": board.territory.label,
        "month": board.period.label,
    }
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
        bottomMargin=15 * mm, title=title, author=_("党建引领基层治理门户"),
    )  # fmt: skip
    story: list[Any] = [
        Paragraph(title, styles["title"]),
        Paragraph(
            _("统计口径：期内上报的事件，按上报月份计；生成于 %(at)s。")
            % {"at": timezone.localtime(board.at).strftime("%Y-%m-%d %H:%M")},
            styles["small"],
        ),
        Spacer(1, 4 * mm),
        Paragraph(_("一、主要指标"), styles["h2"]),
    ]
    kpi_rows = [
        [
            str(k.label),
            "—" if k.value is None else f"{k.value}{k.unit}",
            "—" if k.previous is None else f"{k.previous}{k.unit}",
            "—" if k.year_before is None else f"{k.year_before}{k.unit}",
            str(k.definition),
        ]
        for k in board.kpis
    ]
    story.append(
        _table([_("指标"), _("本月"), _("上月"), _("去年同月"), _("口径")], kpi_rows, styles)
    )
    sections = [
        ("trend", _("二、月度趋势")),
        ("areas", _("三、分区域情况")),
        ("categories", _("四、分类别情况")),
        ("sources", _("五、分来源情况")),
        ("units", _("六、承办单位情况")),
        ("supervision", _("七、督办与加急")),
    ]
    for key, heading in sections:
        table = tables.get(key)
        if table is None:
            continue
        part: list[Any] = [Paragraph(heading, styles["h2"])]
        chart = table.chart
        if chart and chart.get("labels"):
            if chart["kind"] == "line":
                part.append(_line_chart(chart))
            elif chart["kind"] == "bar":
                part.append(_bar_chart(chart, horizontal=bool(chart.get("horizontal"))))
        elif not table.rows:
            part.append(_empty_chart(_("本月无数据。")))
        story.append(KeepTogether(part))
        if table.rows:
            story.append(_table(table.headers, _shown(table), styles))
    story.append(Paragraph(_("八、考核排名"), styles["h2"]))
    for key, table in tables.items():
        if not key.startswith("ranking-"):
            continue
        story.append(Paragraph(str(table.title), styles["body"]))
        story.append(Paragraph(str(table.note), styles["small"]))
        story.append(_table(table.headers, _shown(table), styles))
        story.append(Spacer(1, 3 * mm))
    seed = tables.get("seed")
    if seed is not None:
        story.append(Paragraph(_("九、“343工作机制”报告数据"), styles["h2"]))
        story.append(_table(seed.headers, _shown(seed, None), styles))
    doc.build(story)
    return buffer.getvalue()
