"""QR codes of the survey links, drawn server-side as SVG (segno): printable, no script, no
outside service."""

from io import BytesIO

import segno


def svg(url: str, *, scale: int = 6) -> str:
    """An inline SVG of ``url`` (error correction M, quiet zone of four modules)."""
    buffer = BytesIO()
    segno.make(url, error="m", micro=False).save(
        buffer, kind="svg", scale=scale, border=4, xmldecl=False, svgns=True, title="QR"
    )
    return buffer.getvalue().decode()
