"""The error contract where schemathesis first found it broken: a malformed id is a 404 in
the contract, never a 500; and the schema documents what the views really answer."""

from collections.abc import Callable
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts.models import User
from accounts.roles import Role
from tests.cases.factories import category, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user: Callable[..., User], tree: dict[str, Any]) -> APIClient:
    report(make_user(Role.GRID_WORKER), tree["estate"], category())
    client = APIClient()
    client.force_authenticate(make_user(Role.DISTRICT_ADMIN))
    return client


def _is_contract(response: Any, status: int) -> bool:
    body = response.json()
    return response.status_code == status and set(body) == {"code", "detail", "fields"}


@pytest.mark.parametrize("bad_id", ["AAA", "null,null", "１２", "²"])
@pytest.mark.parametrize(
    "method, url",
    [
        ("get", "/api/v1/cases/{}/"),
        ("patch", "/api/v1/cases/{}/"),
        ("get", "/api/v1/cases/{}/timeline/"),
        ("post", "/api/v1/cases/{}/transitions/"),
        ("post", "/api/v1/room-bookings/{}/cancel/"),
        ("post", "/api/v1/grid-staffings/{}/end/"),
    ],
)
def test_a_malformed_id_is_a_404_in_the_contract(
    admin: APIClient, method: str, url: str, bad_id: str
) -> None:
    response = getattr(admin, method)(url.format(bad_id), {}, format="json")
    assert _is_contract(response, 404)


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def test_every_operation_documents_the_error_contract(document: dict[str, Any]) -> None:
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            for code in ("400", "401", "403", "404"):
                schema = responses[code]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, code)
            if method in ("post", "put", "patch"):
                assert "409" in responses, (method, path)
    assert document["components"]["schemas"]["Error"]["required"] == ["code", "detail", "fields"]


def test_the_token_endpoint_documents_its_200_and_its_429(document: dict[str, Any]) -> None:
    responses = document["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    assert "200" in responses and "201" not in responses
    assert "429" in responses


def test_the_timeline_is_a_list_and_me_an_object(document: dict[str, Any]) -> None:
    def body(path: str) -> dict[str, Any]:
        ok = document["paths"][path]["get"]["responses"]["200"]
        return ok["content"]["application/json"]["schema"]

    assert body("/api/v1/cases/{id}/timeline/")["type"] == "array"
    assert body("/api/v1/me/") == {"$ref": "#/components/schemas/Me"}


def test_a_case_not_yet_rated_has_a_documented_satisfaction(document: dict[str, Any]) -> None:
    field = document["components"]["schemas"]["Case"]["properties"]["satisfaction"]
    enums = [
        document["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]["enum"]
        for ref in field.get("oneOf", [field])
        if "$ref" in ref
    ]
    assert "" in [value for enum in enums for value in enum]
