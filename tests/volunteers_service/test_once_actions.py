"""The hand-written actions of the volunteers detail pages carry a one-time token
(``volunteers.views.base.act_once``; the micro-service record form through
``common.once.submit_once``): a double click awards the points once and records the service
once, the second submit says so, and a fresh rendering of the page acts again."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.common.test_once_forms import REPEATED, TOKEN, _token_of
from volunteers import services
from volunteers.models import MicroServiceRecord, PointsEntry, Volunteer

from .factories import volunteer

pytestmark = pytest.mark.django_db


def _role_form(tree: Any, staff: Any) -> tuple[Client, Volunteer, str, str, str]:
    """Staff signed in on a volunteer's page: the page, its 项目骨干 form's action and token."""
    client = Client()
    client.force_login(staff)
    person = volunteer(tree["community"])
    page_url = f"/volunteers/service/volunteers/{person.pk}/"
    url = f"{page_url}role/"
    return client, person, page_url, url, _token_of(client.get(page_url).content.decode(), url)


def test_a_role_award_submitted_twice_awards_the_points_once(tree: Any, staff: Any) -> None:
    # given the volunteer page's 项目骨干 form, as rendered
    client, person, page_url, url, token = _role_form(tree, staff)
    data = {"note": "楼道议事会召集人", "once_token": token}
    before = PointsEntry.objects.filter(volunteer=person).count()
    # when it is submitted twice
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    # then the points are awarded once, and the second lands on the page, saying so
    assert first["Location"] == page_url
    assert PointsEntry.objects.filter(volunteer=person).count() == before + 1
    assert REPEATED in second.content.decode()
    # and a fresh rendering awards again
    again = _token_of(client.get(page_url).content.decode(), url)
    client.post(url, {**data, "once_token": again})
    assert PointsEntry.objects.filter(volunteer=person).count() == before + 2


def test_a_refused_action_gives_its_token_back(tree: Any, staff: Any) -> None:
    client, person, _page, url, token = _role_form(tree, staff)
    before = PointsEntry.objects.filter(volunteer=person).count()
    # a refusal (no role given) spends nothing: the corrected form goes through with the token
    refused = client.post(url, {"note": " ", "once_token": token}, follow=True)
    assert "请填写担任的项目角色。" in refused.content.decode()
    client.post(url, {"note": "楼长", "once_token": token})
    assert PointsEntry.objects.filter(volunteer=person).count() == before + 1


def test_a_micro_service_record_submitted_twice_is_recorded_once(tree: Any, staff: Any) -> None:
    # given the micro-service page's record form, as rendered
    client = Client()
    client.force_login(staff)
    service = services.micro_service_add(
        actor=None, community=tree["community"], kind="elderly", title="上门理发"
    )
    url = f"/volunteers/service/micro/{service.pk}/"
    token = TOKEN.search(client.get(url).content.decode())
    assert token
    data = {"resident_name": "王奶奶", "served_on": timezone.localdate().isoformat(),
            "once_token": token.group(1)}  # fmt: skip
    # when it is submitted twice
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    # then one record, and the second lands where the first went, saying so
    assert MicroServiceRecord.objects.filter(service=service).count() == 1
    assert first["Location"] == second.redirect_chain[-1][0] == url
    assert REPEATED in second.content.decode()
