"""The error pages: Chinese pages for people, the API's error contract under ``/api/`` and
``/open311/`` for programs (an unrouted API address or a failure outside DRF still answers
``{"code", "detail", "fields"}``, never HTML)."""

from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

API_PREFIXES = ("/api/", "/open311/")


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIXES)


def _api_error(code: str, detail: str, status: int) -> JsonResponse:
    return JsonResponse({"code": code, "detail": detail, "fields": {}}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _api_error("bad_request", _("请求无效（格式有误或内容过大）。"), 400)
    return render(request, "400.html", status=400)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _api_error("not_found", _("未找到。"), 404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return _api_error("server_error", _("服务器内部错误，请稍后重试。"), 500)
    # No context processors: the failure may be in one of them or in the database.
    return HttpResponseServerError(loader.get_template("500.html").render())
