"""The API's ``?search=`` on /api/v1/cases/ is the web list's search (cases.selectors.case_search):
title and address fragments, the number by its beginning (or end), the actor's scope, the same
rows as ``/cases/?q=``; and it reads the pair index, not an ``icontains`` over every case."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def api_search(client: Any, text: str, **extra: str) -> list[str]:
    response = client.get("/api/v1/cases/", {"search": text, **extra})
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


def web_search(user: Any, text: str) -> list[str]:
    client = Client()
    client.force_login(user)
    response = client.get("/cases/", {"q": text})
    assert response.status_code == 200
    return [case.title for case in response.context["page"].object_list]


@pytest.fixture
def cases(new_case: Any) -> dict[str, Any]:
    return {
        "rubbish": new_case(title="楼道垃圾堆放", address="3号楼东侧"),
        "lamp": new_case(title="路灯不亮", address="东门Ab3路口"),
        "cover": new_case(title="井盖缺失", address="西门"),
        "elsewhere": new_case("other_estate", title="别处的垃圾", address="乙小区3号楼"),
    }


def test_search_finds_a_case_by_title_address_and_number(cases, api_for, people):
    client = api_for(people["community"])
    assert api_search(client, "垃圾") == ["楼道垃圾堆放"]
    assert api_search(client, "道垃圾堆") == ["楼道垃圾堆放"]
    assert api_search(client, "垃圾桶") == []
    assert api_search(client, "号楼东") == ["楼道垃圾堆放"]  # the address
    assert api_search(client, "ab3") == ["路灯不亮"]  # any case, as the web list
    number = cases["cover"].number
    mine = sorted(["井盖缺失", "路灯不亮", "楼道垃圾堆放"])
    assert sorted(api_search(client, number[:-1].lower())) == mine  # the number's beginning
    assert api_search(client, number[2:10]) == []  # its middle: not a number search
    assert api_search(client, number) == ["井盖缺失"]
    assert api_search(client, f"  {number}  ") == ["井盖缺失"]  # trimmed, as q
    assert sorted(api_search(client, "门")) == ["井盖缺失", "路灯不亮"]  # one character


def test_search_never_finds_a_case_outside_the_scope(cases, api_for, people):
    assert api_search(api_for(people["community"]), "别处") == []
    assert api_search(api_for(people["community"]), cases["elsewhere"].number) == []
    assert api_search(api_for(people["other_community"]), "垃圾") == ["别处的垃圾"]
    assert sorted(api_search(api_for(people["leader"]), "垃圾")) == ["别处的垃圾", "楼道垃圾堆放"]


@pytest.mark.parametrize("text", ["垃圾", "号楼", "3号楼", "门", "ab3", "SJ", "不亮", "无此事"])
def test_search_gives_the_web_lists_rows(cases, api_for, people, text):
    for who in ("community", "leader", "other_community"):
        user = people[who]
        assert api_search(api_for(user), text) == web_search(user, text), (who, text)


def test_search_goes_with_the_other_filters_and_refuses_a_long_text(cases, api_for, people, tree):
    client = api_for(people["leader"])
    assert api_search(client, "垃圾", q="楼道") == ["楼道垃圾堆放"]
    assert api_search(client, "垃圾", area=str(tree["other_street"].pk)) == ["别处的垃圾"]
    response = client.get("/api/v1/cases/", {"search": "长" * 101})
    assert response.status_code == 400 and "search" in response.json()["fields"]


def test_search_reads_the_pair_index_not_each_title(cases, api_for, people):
    with CaptureQueriesContext(connection) as captured:
        api_search(api_for(people["leader"]), "垃圾")
    sql = [q["sql"] for q in captured]
    assert any("cases_search_bigrams" in s and "@>" in s for s in sql)  # the index's expression
    assert not any('"title"::text) LIKE' in s for s in sql)  # a pair: no check row by row


def test_the_schema_documents_search(api_for, people):
    schema = api_for(people["admin"]).get("/api/schema/", {"format": "json"}).json()
    parameters = schema["paths"]["/api/v1/cases/"]["get"]["parameters"]
    search = next(p for p in parameters if p["name"] == "search")
    assert "标题" in search["description"] and "编号" in search["description"]
