"""The case list and the queue load only what their rows show: no description, no encrypted
contact phone, no street or area row (issue 18: building them was a third of the page's time),
and still show every field of the row; the cache reuses one Redis client."""

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def rows_query(client: Client, path: str) -> tuple[str, str]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(path)
    assert page.status_code == 200
    loaded = [q["sql"] for q in queries if '"cases_case"."number"' in q["sql"]]
    assert len(loaded) == 1
    return loaded[0], page.content.decode()


@pytest.mark.parametrize(
    ("who", "path"), [("community", "/cases/"), ("community", "/cases/queue/")]
)
def test_the_rows_load_only_their_columns_and_show_them(who, path, people, new_case, tree):
    case = new_case(title="楼道堆物", description="很长的描述" * 50, contact_phone="13812345678")
    client = Client()
    client.force_login(people[who])
    sql, html = rows_query(client, path)
    assert '"cases_case"."description"' not in sql
    assert '"cases_case"."contact_phone"' not in sql
    assert "governance_area" in sql  # the community's name ...
    assert '"cases_case"."street_id"' not in sql and "area_path" not in sql.split("FROM")[0]
    assert case.number in html and "楼道堆物" in html and "很长的描述" not in html
    assert tree["community"].name in html and case.category.name in html


def test_the_cache_makes_one_redis_client(settings: Any) -> None:
    backend: Any = cache
    client = backend._cache.get_client(write=True)
    assert backend._cache.get_client() is client
    cache.set("portal-test-key", "值", 10)
    assert cache.get("portal-test-key") == "值"


def test_a_title_with_markup_is_shown_as_text(people, new_case):
    new_case(title='<b>"楼道" & 堆物</b>', urgent=True)
    client = Client()
    client.force_login(people["community"])
    html = client.get("/cases/").content.decode()
    assert "<b>" not in html.split("<tbody>")[1]
    assert "&lt;b&gt;&quot;楼道&quot; &amp; 堆物&lt;/b&gt;" in html
    assert '<span class="badge badge--urgent">加急</span>' in html
