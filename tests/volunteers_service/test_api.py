"""The volunteer-service API: scoped lists, the error contract (400, 403, 404, 409)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from volunteers import services

from . import factories

pytestmark = pytest.mark.django_db


def test_lists_are_scoped_and_phones_masked(tree, make_user, api_for):
    mine = factories.volunteer(tree["community"], name="本社区志愿者")
    factories.volunteer(tree["other_community"], name="外社区志愿者")
    api = api_for(make_user("community_staff"))
    rows = api.get("/api/v1/volunteers/").json()["results"]
    assert [r["name"] for r in rows] == ["本社区志愿者"]
    assert rows[0]["phone"].startswith("138****") and mine.phone not in str(rows)
    root = api.get("/api/v1/").json()
    assert {"volunteers", "volunteer-activities", "wishes", "service-points"} <= set(root)
    services.shop_item_add(
        actor=None, community=tree["other_community"], name="外", points=5, stock=1
    )
    services.micro_service_add(
        actor=None, community=tree["other_community"], kind="class", title="外"
    )
    assert api.get("/api/v1/points-shop/").json()["count"] == 0
    assert api.get("/api/v1/micro-services/").json()["count"] == 0


def test_the_error_contract(tree, make_user, api_for, elder):
    staff = make_user("community_staff")
    api = api_for(staff)
    start = timezone.now() - timedelta(hours=1)
    # 400: an activity that ends before it starts, with the field's message
    bad = api.post("/api/v1/volunteer-activities/", {
        "community": tree["community"].pk, "title": "探访", "kind": "volunteer", "place": "楼院",
        "starts_at": start.isoformat(), "ends_at": (start - timedelta(hours=1)).isoformat(),
    }, format="json")  # fmt: skip
    assert bad.status_code == 400 and "结束时间须晚于开始时间" in str(bad.json())
    made = api.post("/api/v1/volunteer-activities/", {
        "community": tree["community"].pk, "title": "探访", "kind": "volunteer", "place": "楼院",
        "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat(),
    }, format="json")  # fmt: skip
    assert made.status_code == 201
    volunteer = factories.volunteer(tree["community"])
    signup = api.post(
        f"/api/v1/volunteer-activities/{made.json()['id']}/signups/",
        {"volunteer": volunteer.pk}, format="json",
    )  # fmt: skip
    assert signup.status_code == 201
    url = f"/api/v1/volunteer-attendance/{signup.json()['id']}/actions/"
    over = api.post(url, {"action": "approve", "hours": "2.5"}, format="json")
    assert over.status_code == 400 and "不超过活动时长" in str(over.json())
    assert api.post(url, {"action": "approve", "hours": "2"}, format="json").status_code == 200
    # 409: a second approval
    assert api.post(url, {"action": "approve", "hours": "2"}, format="json").status_code == 409
    # 400: a redemption over the balance (20 points, the item costs 50)
    item = services.shop_item_add(
        actor=staff, community=tree["community"], name="米", points=50, stock=2
    )
    redeem = api.post(
        "/api/v1/service-points/redeem/",
        {"volunteer": volunteer.pk, "item": item.pk},
        format="json",
    )
    assert redeem.status_code == 400 and "积分不足" in str(redeem.json())
    # 409: a wish claimed twice; 404: a wish of another community
    wish = services.wish_post(
        actor=staff, community=tree["community"], resident=elder, title="收音机"
    )
    services.wish_review(actor=staff, wish=wish, approve=True)
    claim = {"action": "claim", "claimant_kind": "volunteer", "claimant": volunteer.pk}
    assert (
        api.post(f"/api/v1/wishes/{wish.pk}/transitions/", claim, format="json").status_code == 200
    )
    again = api.post(f"/api/v1/wishes/{wish.pk}/transitions/", claim, format="json")
    assert again.status_code == 409 and "已被" in again.json()["detail"]
    theirs = services.wish_post(
        actor=None, community=tree["other_community"], beneficiary="乙", title="棉衣"
    )
    assert api.get(f"/api/v1/wishes/{theirs.pk}/").status_code == 404
    # 403: a grid worker may read but not approve hours
    worker = api_for(make_user("grid_worker"))
    assert worker.post(url, {"action": "absent"}, format="json").status_code == 403
    assert worker.get("/api/v1/volunteer-attendance/").status_code == 200
