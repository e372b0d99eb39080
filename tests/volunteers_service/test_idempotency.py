"""The volunteers API takes ``Idempotency-Key`` like the cases API: a create or an action sent
again with its key is done once and answered with the first answer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from volunteers.models import Activity, Attendance

from . import factories

pytestmark = pytest.mark.django_db


def _activity(tree):
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    start += timedelta(days=1)
    return {"community": tree["community"].pk, "title": "重发的活动", "kind": "volunteer",
            "place": "楼院", "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=2)).isoformat()}  # fmt: skip


def test_an_activity_created_twice_with_one_key_is_one_activity(tree, make_user, api_for):
    api = api_for(make_user("community_staff"))
    # given a create answered 201
    first = api.post("/api/v1/volunteer-activities/", _activity(tree), format="json",
                     HTTP_IDEMPOTENCY_KEY="act-1")  # fmt: skip
    assert first.status_code == 201, first.json()
    # when the client sends it again with the key
    again = api.post("/api/v1/volunteer-activities/", _activity(tree), format="json",
                     HTTP_IDEMPOTENCY_KEY="act-1")  # fmt: skip
    # then one activity, and the first answer replayed
    assert Activity.objects.filter(title="重发的活动").count() == 1
    assert (again.status_code, again.json()) == (201, first.json())
    assert again["Idempotent-Replayed"] == "true"
    # and without the key the same body is another activity
    assert (
        api.post("/api/v1/volunteer-activities/", _activity(tree), format="json").status_code == 201
    )
    assert Activity.objects.filter(title="重发的活动").count() == 2


def test_a_signup_sent_twice_with_one_key_is_one_signup(tree, make_user, api_for):
    api = api_for(make_user("community_staff"))
    activity = api.post("/api/v1/volunteer-activities/", _activity(tree), format="json").json()
    volunteer = factories.volunteer(tree["community"])
    url = f"/api/v1/volunteer-activities/{activity['id']}/signups/"
    answers = [
        api.post(url, {"volunteer": volunteer.pk}, format="json", HTTP_IDEMPOTENCY_KEY="s-1")
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json() == answers[1].json()
    assert Attendance.objects.filter(activity_id=activity["id"]).count() == 1


def test_a_volunteers_post_with_the_key_for_another_body_is_refused(tree, make_user, api_for):
    api = api_for(make_user("community_staff"))
    api.post("/api/v1/volunteer-activities/", _activity(tree), format="json",
             HTTP_IDEMPOTENCY_KEY="act-2")  # fmt: skip
    other = {**_activity(tree), "title": "另一个活动"}
    reused = api.post("/api/v1/volunteer-activities/", other, format="json",
                      HTTP_IDEMPOTENCY_KEY="act-2")  # fmt: skip
    assert reused.status_code == 422
    assert not Activity.objects.filter(title="另一个活动").exists()
