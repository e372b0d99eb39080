"""The year-end feedback letter (社区反馈函) to a member's employer, as a PDF.

The Chinese text uses the Adobe CJK font STSong-Light that every PDF reader carries, so no
font file is shipped or embedded."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def letter_text(*, employer: str, year: int, rows: Sequence[Any]) -> dict[str, Any]:
    """The letter's parts, shared by the printable page and the PDF."""
    communities = sorted({row.checkin.community.name for row in rows})
    sender = "、".join(communities) if communities else ""
    return {
        "title": _("在职党员到社区报到服务情况反馈函"),
        "to": _("%(employer)s：") % {"employer": employer},
        "body": _(
            "根据在职党员到社区报到工作要求，现将贵单位 %(n)s 名党员 %(year)s 年度在社区报到、"
            "参加志愿服务和社区治理的情况反馈如下，请在年度考核、评先评优中予以参考。"
        )
        % {"n": len(rows), "year": year},
        "sender": _("中共%(c)s委员会") % {"c": sender} if len(communities) == 1 else sender,
        "date": timezone.localdate(),
        "headers": [
            _("姓名"),
            _("报到社区"),
            _("参加次数"),
            _("服务时长（小时）"),
            _("社区评价"),
            _("评语"),
        ],
        "rows": [
            [
                row.checkin.name,
                row.checkin.community.name,
                row.participations,
                f"{row.hours}",
                row.get_assessment_display(),
                row.comment,
            ]
            for row in rows
        ],
    }


def letter_pdf(*, employer: str, year: int, rows: Sequence[Any]) -> bytes:
    font = _font()
    text = letter_text(employer=employer, year=year, rows=rows)
    base = ParagraphStyle("base", fontName=font, fontSize=11, leading=18)
    title = ParagraphStyle("title", parent=base, fontSize=16, leading=24, alignment=1)
    right = ParagraphStyle("right", parent=base, alignment=2)
    cell = ParagraphStyle("cell", parent=base, fontSize=9, leading=12)
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm,
        bottomMargin=20 * mm, title=str(text["title"]),
    )  # fmt: skip
    table_rows = [[Paragraph(str(h), cell) for h in text["headers"]]] + [
        [Paragraph(str(value), cell) for value in row] for row in text["rows"]
    ]
    table = Table(table_rows, colWidths=[22 * mm, 28 * mm, 16 * mm, 22 * mm, 18 * mm, 64 * mm])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story = [
        Paragraph(str(text["title"]), title),
        Spacer(1, 8 * mm),
        Paragraph(str(text["to"]), base),
        Paragraph("\u3000\u3000" + str(text["body"]), base),
        Spacer(1, 5 * mm),
        table,
        Spacer(1, 12 * mm),
        Paragraph(str(text["sender"]), right),
        Paragraph(text["date"].strftime("%Y年%m月%d日"), right),
    ]
    document.build(story)
    return buffer.getvalue()
