"""The service certificate (志愿服务证明) of a volunteer, as a PDF: their approved hours,
star level and activities, in the Adobe CJK font every PDF reader carries."""

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
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .letters import _font
from .models import Volunteer

MAX_ROWS = 200


def certificate_pdf(*, volunteer: Volunteer, attendance: Sequence[Any]) -> bytes:
    font = _font()
    base = ParagraphStyle("base", fontName=font, fontSize=11, leading=18)
    title = ParagraphStyle("title", parent=base, fontSize=18, leading=26, alignment=1)
    right = ParagraphStyle("right", parent=base, alignment=2)
    cell = ParagraphStyle("cell", parent=base, fontSize=9, leading=12)
    stars = volunteer.stars
    body = _(
        "兹证明%(name)s同志系%(community)s注册志愿者，自 %(since)s 起参加志愿服务，"
        "经组织方确认的志愿服务时长累计 %(hours)s 小时，%(level)s。"
    ) % {
        "name": volunteer.name,
        "community": volunteer.community.name,
        "since": volunteer.registered_on.strftime("%Y年%m月%d日"),
        "hours": volunteer.hours,
        "level": _("评定为%(n)s星级志愿者") % {"n": stars} if stars else _("尚未达到星级标准"),
    }
    rows = [[Paragraph(str(h), cell) for h in (_("日期"), _("活动"), _("时长（小时）"))]]
    for item in attendance[:MAX_ROWS]:
        rows.append(
            [
                Paragraph(timezone.localtime(item.activity.starts_at).strftime("%Y-%m-%d"), cell),
                Paragraph(item.activity.title, cell),
                Paragraph(str(item.hours), cell),
            ]
        )
    table = Table(rows, colWidths=[28 * mm, 110 * mm, 28 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
            ]
        )
    )
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm,
        bottomMargin=20 * mm, title=str(_("志愿服务证明")),
    )  # fmt: skip
    document.build(
        [
            Paragraph(str(_("志愿服务证明")), title),
            Spacer(1, 8 * mm),
            Paragraph("\u3000\u3000" + body, base),
            Spacer(1, 5 * mm),
            table,
            Spacer(1, 12 * mm),
            Paragraph(volunteer.community.name, right),
            Paragraph(timezone.localdate().strftime("%Y年%m月%d日"), right),
        ]
    )
    return buffer.getvalue()
