"""A bounded schemathesis run over the API's OpenAPI document: every documented operation,
called as a logged-in district administrator with generated valid and invalid input, answers
no 5xx and nothing the schema does not document (status code, content type, body).

The document is the one ``/api/schema/`` serves (drf-spectacular's generator, public as the
view serves it), built when the module is collected, so an endpoint another change adds is
covered without touching this file. The run is deterministic (fixed seed, derandomized
Hypothesis) and bounded by ``MAX_EXAMPLES`` per operation; each operation is one test in its
own transaction.
"""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import User
from accounts.roles import Role
from tests.cases.factories import category, report

MAX_EXAMPLES = 6
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
#: Left out: revoking the caller's own credentials would only make the later calls 401s.
EXCLUDED_PATHS = r"/auth/token/revoke/$"
#: Any 32 characters of the CSRF alphabet: the cookie and the header only have to agree.
CSRF_SECRET = "schemathesisschemathesisschemath"

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20260101,
        "generation": {
            "mode": "all",
            "deterministic": True,
            "with-security-parameters": False,
        },
        "phases": {"stateful": {"enabled": False}, "coverage": {"enabled": False}},
        # Malformed ids: every boundary and wrong-type value of each path parameter of a read,
        # where the coverage phase's systematic cases pay for their time.
        "operations": [
            {
                "include-path-regex": r"\{",
                "include-method": "GET",
                "phases": {
                    "coverage": {
                        "enabled": True,
                        "unexpected-methods": [],
                        "generation": {"mode": "negative"},
                    }
                },
            }
        ],
    }
)


def _openapi_document() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


schema = schemathesis.openapi.from_dict(_openapi_document(), config=CONFIG).exclude(
    path_regex=EXCLUDED_PATHS
)
schema.app = WSGIHandler()


@pytest.fixture(autouse=True)
def _connection_kept() -> Iterator[None]:
    """The application is called directly (as a server would), so Django's request signals
    would close the database connection after each call, and with it the test's transaction:
    they are unhooked for the test, as Django's own test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def admin_client(make_user: Callable[..., User], tree: dict[str, Any]) -> Client:
    """A district administrator's session, with a case in the district to find. A session,
    unlike an API token, cannot be revoked by an operation under test."""
    admin = make_user(Role.DISTRICT_ADMIN)
    report(make_user(Role.GRID_WORKER), tree["estate"], category())
    client = Client()
    client.force_login(admin)
    return client


@pytest.fixture
def credentials(admin_client: Client) -> dict[str, Any]:
    """What each call sends to be that administrator: the session cookie, and the CSRF cookie
    and header pair that a session's writes need."""
    session = admin_client.cookies[settings.SESSION_COOKIE_NAME].value
    return {
        "cookies": {settings.SESSION_COOKIE_NAME: session, settings.CSRF_COOKIE_NAME: CSRF_SECRET},
        "headers": {"X-CSRFToken": CSRF_SECRET},
    }


@pytest.mark.django_db
def test_the_run_covers_what_the_schema_endpoint_serves(admin_client: Client) -> None:
    response = admin_client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    served = {(path, method) for path, ops in response.json()["paths"].items() for method in ops}
    generated = {
        (path, method) for path, ops in _openapi_document()["paths"].items() for method in ops
    }
    assert served == generated


@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_the_contract(case: Any, credentials: dict[str, Any]) -> None:
    case.call_and_validate(**credentials, checks=CHECKS)
