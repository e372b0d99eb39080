"""The requester's export jobs: progress, then the file (``common.exports``); and the
requester's import jobs: progress, then what was imported or why nothing was
(``common.importjobs``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from common.excel import XLSX, attachment_name
from common.exports import export_jobs_of
from common.importjobs import import_job_get
from common.models import ExportState, ImportJob


@login_required
def export_list(request: HttpRequest) -> HttpResponse:
    jobs = list(export_jobs_of(request.user)[:50])
    return render(request, "common/export_list.html", {"jobs": jobs})


@login_required
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's page; htmx asks for its progress fragment until the file is ready. Another
    user's job is 404, as if it did not exist."""
    job = get_object_or_404(export_jobs_of(request.user), pk=pk)
    fragment = request.headers.get("HX-Request") == "true"
    template = "common/_export_job.html" if fragment else "common/export_job.html"
    return render(request, template, {"job": job})


@login_required
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    job = get_object_or_404(export_jobs_of(request.user), pk=pk, state=ExportState.DONE)
    response = FileResponse(job.file.open("rb"), content_type=XLSX)
    response["Content-Disposition"] = attachment_name(job.title)
    return response


@login_required
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """An import job's page; htmx asks for its progress fragment until the job has ended.
    Another user's job is 404, as if it did not exist."""
    try:
        job = import_job_get(user=request.user, pk=pk)
    except ImportJob.DoesNotExist:
        raise Http404 from None
    fragment = request.headers.get("HX-Request") == "true"
    template = "common/_import_job.html" if fragment else "common/import_job.html"
    return render(request, template, {"job": job})
