"""Private files answered by a view that has checked who asks (never by a public URL).

In production the web server sends the bytes: with ``PRIVATE_MEDIA_ACCEL_PREFIX`` set (e.g.
``/_private/``, an nginx ``internal`` location aliased to ``PRIVATE_MEDIA_ROOT``) the answer is
an empty ``X-Accel-Redirect`` to the file; otherwise Django streams it. Either way the answer
is private to the browser, never sniffed as another type."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse


def private_file_response(
    file: FieldFile, *, content_type: str, filename: str | None = None, inline: bool = True
) -> HttpResponse:
    """The answer carrying ``file`` (404 when there is none or it is gone)."""
    if not file or not file.name:
        raise Http404
    prefix = getattr(settings, "PRIVATE_MEDIA_ACCEL_PREFIX", "")
    response: Any
    if prefix:
        if not file.storage.exists(file.name):
            raise Http404
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + file.name.lstrip("/")
        if filename:
            kind = "inline" if inline else "attachment"
            response["Content-Disposition"] = f'{kind}; filename="{filename}"'
    else:
        try:
            handle = file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(
            handle, as_attachment=not inline, filename=filename or "", content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
