"""The read replica (common.db): with a ``replica`` database configured, dashboards, exports and
the API's case list read there; writes, logins and transactions never do.

The replica here is a second alias onto the same test database (its own connection), so what
each connection ran can be counted."""

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.receivers import SESSION_TOUCHED_KEY
from cases import services
from cases.models import Case
from common.db import REPLICA, ReplicaRouter, replica_reads

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


@pytest.fixture
def replica(settings: Any) -> str:
    """The test settings configure it as a mirror of the test database."""
    assert REPLICA in settings.DATABASES
    return REPLICA


def counted(alias: str) -> CaptureQueriesContext:
    return CaptureQueriesContext(connections[alias])


def test_without_a_replica_everything_reads_the_primary(settings: Any) -> None:
    settings.DATABASES = {"default": settings.DATABASES["default"]}
    with replica_reads():
        assert ReplicaRouter().db_for_read(Case) == "default"


def test_reads_in_a_replica_block_go_there_and_writes_never(replica, new_case, people):
    case = new_case()
    router = ReplicaRouter()
    assert router.db_for_read(Case) == "default"  # not asked for
    with replica_reads():
        assert router.db_for_read(Case) == REPLICA
        assert router.db_for_write(Case) == "default"
        with transaction.atomic():  # a service's own reads see its writes
            assert router.db_for_read(Case) == "default"
        with counted(REPLICA) as on_replica, counted("default") as on_primary:
            assert Case.objects.filter(pk=case.pk).exists()
            services.case_accept(actor=people["community"], case=case.pk)
    on_replica_sql = [q["sql"] for q in on_replica.captured_queries]
    assert 'FROM "cases_case"' in on_replica_sql[0]  # the exists()
    # the service: its lock, its reads and its writes on the primary
    primary_sql = [q["sql"] for q in on_primary.captured_queries]
    assert any("FOR UPDATE" in sql for sql in primary_sql)
    assert any(sql.startswith('UPDATE "cases_case"') for sql in primary_sql)
    assert not any("FOR UPDATE" in sql for sql in on_replica_sql)
    assert not any(sql.startswith(("UPDATE", "INSERT", "DELETE")) for sql in on_replica_sql)
    assert router.allow_migrate(REPLICA, "cases") is False


def test_dashboards_and_the_case_list_api_read_the_replica_sessions_stay(
    replica, client, new_case, people
):
    new_case()
    client.force_login(people["leader"])
    session = client.session
    session[SESSION_TOUCHED_KEY] = 0  # long ago: this page renews the session (a write)
    session.save()
    cache.clear()  # and reads it from the database, not from the cache
    with counted(REPLICA) as on_replica, counted("default") as on_primary:
        assert client.get("/dashboard/").status_code == 200
    assert len(on_replica) > 0
    assert not any("django_session" in q["sql"] for q in on_replica.captured_queries)
    assert any("django_session" in q["sql"] for q in on_primary.captured_queries)

    api = APIClient()
    api.force_authenticate(people["community"])
    with counted(REPLICA) as on_replica:
        response = api.get("/api/v1/cases/")
    assert response.status_code == 200 and response.json()["count"] == 1
    assert any("cases_case" in q["sql"] for q in on_replica.captured_queries)
    with counted(REPLICA) as on_replica:
        created = api.post("/api/v1/cases/", {"title": ""}, format="json")
    assert created.status_code == 400
    assert len(on_replica) == 0
