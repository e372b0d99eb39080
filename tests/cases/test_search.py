"""District-wide case search (cases.selectors.text_condition): Chinese words of two characters
through the pair index, case numbers through their trigram index, the same rows as a plain
``icontains`` over number, title and address."""

import pytest
from django.db import connection

from cases import selectors
from cases.selectors import CaseFilters, pairs

pytestmark = pytest.mark.django_db


def found(actor, text: str) -> set[str]:
    rows = selectors.case_list(actor=actor, filters=CaseFilters(text=text))
    return set(rows.values_list("title", flat=True))


def test_python_and_sql_make_the_same_pairs():
    for text in ("楼道垃圾堆放", "A3号楼 东门", "sj2026", "x", ""):
        with connection.cursor() as cursor:
            cursor.execute("SELECT cases_search_bigrams(%s, '')", [text])
            assert sorted(cursor.fetchone()[0]) == pairs(text)


def test_search_finds_words_numbers_and_addresses_and_nothing_else(new_case, people):
    leak = new_case(title="楼道垃圾堆放", address="3号楼")
    new_case(title="路灯不亮", address="东门Ab3路口")
    new_case(title="井盖缺失", address="西门")
    new_case("other_estate", title="别处的垃圾")  # another street: never found by the community
    staff = people["community"]
    assert found(staff, "垃圾") == {"楼道垃圾堆放"}
    assert found(staff, "楼道垃圾") == {"楼道垃圾堆放"}
    assert found(staff, "垃圾桶") == set()
    assert found(staff, "ab3") == {"路灯不亮"}  # any case, as icontains
    assert found(staff, "号楼") == {"楼道垃圾堆放"}  # the address
    assert found(staff, leak.number[-5:].lower()) == {"楼道垃圾堆放"}
    assert found(staff, "门") == {"路灯不亮", "井盖缺失"}  # one character: no pair, still found
    assert found(people["admin"], "垃圾") == {"楼道垃圾堆放", "别处的垃圾"}
