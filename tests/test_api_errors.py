"""Programs get the API's error contract whatever goes wrong, never an HTML page."""

import json

import pytest
from django.test import Client, override_settings
from django.urls import path

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("api/v1/boom/", _boom)]
handler500 = "shell.errors.server_error"


def _contract(response, status, code):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "detail", "fields"} and body["code"] == code


@pytest.mark.parametrize("url", ["/api/v1/no-such-endpoint/", "/api/nothing", "/open311/v2/x"])
def test_an_unrouted_api_address_is_a_json_404(url):
    _contract(Client().get(url), 404, "not_found")


def test_a_page_address_that_does_not_exist_is_still_a_page():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404 and b"<html" in response.content.lower()


def test_a_body_over_the_size_limit_is_a_json_400(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = json.dumps({"username": "x" * 4096, "password": "y"})
    response = Client().post("/api/v1/auth/token/", body, content_type="application/json")
    _contract(response, 400, response.json()["code"])


@override_settings(ROOT_URLCONF=__name__)
def test_a_failure_outside_drf_is_a_json_500():
    response = Client(raise_request_exception=False).get("/api/v1/boom/")
    _contract(response, 500, "server_error")


@pytest.mark.parametrize("url", ["/api/schema/", "/api/docs/"])
def test_the_schema_and_its_viewer_need_a_login(url):
    assert Client().get(url).status_code in (401, 403)
