"""Two people press the same button at once: one transition and one clear refusal (409)."""

import threading
from typing import Any

import pytest
from django.db import connection

from cases.models import Case, CaseEvent, CaseState

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_concurrent_accepts_give_one_success_and_one_409(new_case, make_user, api_for):
    # given: a reported case and two community workers of its community
    case = new_case()
    first, second = make_user("community_staff"), make_user("community_staff")
    clients = [api_for(first), api_for(second)]
    barrier = threading.Barrier(2)
    statuses: list[int] = []
    bodies: list[Any] = []

    def press(client: Any) -> None:
        barrier.wait()
        try:
            response = client.post(
                f"/api/v1/cases/{case.pk}/transitions/",
                {"action": "accept", "note": "受理"},
                format="json",
            )
            statuses.append(response.status_code)
            bodies.append(response.json())
        finally:
            connection.close()

    # when both press "accept" at the same moment, on real threads and connections
    threads = [threading.Thread(target=press, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    assert sorted(statuses) == [200, 409]
    refusal = next(b for b in bodies if b.get("code") == "conflict")
    assert "已受理" in refusal["detail"]
    assert Case.objects.get(pk=case.pk).state == CaseState.ACCEPTED
    assert CaseEvent.objects.filter(case=case, action="accept").count() == 1
