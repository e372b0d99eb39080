"""The residents' phone page: no login, the household proves itself, one answer per household,
limits on attempts, nothing personal shown."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from property_mgmt import services
from property_mgmt.models import SurveyAnswer

from . import factories as f

pytestmark = pytest.mark.django_db


def _post(client: Client, survey: Any, **data: Any) -> Any:
    body = {"method": "phone", **{k: "4" for k in f.SCORES}, **data}
    return client.post(reverse("property_mgmt:survey_answer", args=[survey.token]), body)


@pytest.fixture
def setup(tree: dict[str, Any]) -> Any:
    survey = f.survey(tree["estate"])
    homes = f.households(tree["estate"], 3)
    return survey, homes


def test_the_page_opens_without_login_and_shows_no_personal_data(
    client: Client, setup: Any
) -> None:
    survey, _homes = setup
    response = client.get(reverse("property_mgmt:survey_answer", args=[survey.token]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "总体评价" in page and "收费透明" in page
    assert "13800000000" not in page and "138****0000" not in page
    assert "张三" not in page  # the heads of household are not listed


def test_door_number_and_phone_answer_once(client: Client, setup: Any) -> None:
    survey, homes = setup
    home = homes[0]
    data = {
        "building": home.building_id,
        "unit": home.unit,
        "room": home.room,
        "phone": "13800000000",
    }
    response = _post(client, survey, **data)
    assert response.status_code == 302
    assert SurveyAnswer.objects.filter(survey=survey, household=home).count() == 1
    again = _post(client, survey, **data)
    assert again.status_code == 200
    assert "每户只能提交一次" in again.content.decode()
    assert SurveyAnswer.objects.count() == 1


def test_a_wrong_phone_is_refused_without_saying_why(client: Client, setup: Any) -> None:
    survey, homes = setup
    home = homes[0]
    response = _post(
        client,
        survey,
        building=home.building_id,
        unit=home.unit,
        room=home.room,
        phone="13999999999",
    )
    assert "未能核验住户信息" in response.content.decode()
    assert not SurveyAnswer.objects.exists()


def test_one_time_codes_work_once(client: Client, setup: Any) -> None:
    survey, _homes = setup
    issued = services.survey_codes_issue(actor=None, survey=survey)
    assert len(issued) == 3
    home, code = issued[0]
    assert _post(client, survey, method="code", code=code.lower()).status_code == 302
    assert SurveyAnswer.objects.get().household == home
    response = _post(client, survey, method="code", code=code)
    assert "已使用" in response.content.decode()


def test_too_many_failures_lock_the_address_out(client: Client, setup: Any) -> None:
    survey, homes = setup
    for _i in range(5):
        _post(client, survey, method="code", code="WRONGXYZ")
    home = homes[1]
    response = _post(
        client,
        survey,
        building=home.building_id,
        unit=home.unit,
        room=home.room,
        phone="13800000001",
    )
    assert "尝试次数过多" in response.content.decode()
    assert not SurveyAnswer.objects.exists()


def test_bots_filling_the_hidden_field_are_refused(client: Client, setup: Any) -> None:
    survey, homes = setup
    home = homes[0]
    _post(
        client,
        survey,
        building=home.building_id,
        unit=home.unit,
        room=home.room,
        phone="13800000000",
        website="http://spam",
    )
    assert not SurveyAnswer.objects.exists()


def test_a_closed_survey_takes_no_answers(client: Client, tree: dict[str, Any]) -> None:
    from datetime import date

    survey = f.survey(tree["estate"], closes_on=date(2001, 1, 1))
    home = f.households(tree["estate"], 1)[0]
    response = _post(
        client,
        survey,
        building=home.building_id,
        unit=home.unit,
        room=home.room,
        phone="13800000000",
    )
    assert "不在填写时间" in response.content.decode()
    assert not SurveyAnswer.objects.exists()


def test_the_qr_code_is_an_svg_for_the_keepers_only(
    client: Client, setup: Any, make_user: Any
) -> None:
    survey, _homes = setup
    client.force_login(make_user("community_staff"))
    response = client.get(reverse("property_mgmt:survey_qr", args=[survey.pk]))
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<svg")
    client.force_login(make_user("community_staff", "other_community"))
    assert client.get(reverse("property_mgmt:survey_qr", args=[survey.pk])).status_code == 404
