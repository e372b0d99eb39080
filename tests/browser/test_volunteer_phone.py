"""Issue 15: a volunteer's own phone page at 360 px: nothing wider than the screen, and a
sign-up and a wish claim with the thumb, without an account."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.volunteers_service import factories
from volunteers import services
from volunteers.models import WishState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_volunteer_signs_up_and_claims_a_wish_on_a_360px_phone(page: Page, live_server, tree):
    # given: a volunteer's link, an activity tomorrow and a wish on the board
    volunteer = factories.volunteer(tree["community"], name="孙志愿")
    activity = factories.activity(
        tree["community"],
        title="关爱独居老人上门探访",
        starts_at=timezone.now() + timedelta(days=1),
    )
    wish = services.wish_post(
        actor=None, community=tree["community"], beneficiary="周奶奶", title="一副老花镜"
    )
    services.wish_review(actor=None, wish=wish, approve=True)
    page.goto(f"{live_server.url}/volunteers/service/v/{volunteer.access_token}/")
    # then: the page fits the phone's width
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # when: signing up
    page.get_by_role("button", name="报名").click()
    expect(page.get_by_text("报名成功")).to_be_visible()
    expect(page.get_by_test_id("attendance")).to_contain_text(activity.title)
    # and claiming the wish
    page.get_by_test_id("wish-to-claim").get_by_role("button", name="认领").click()
    expect(page.get_by_text("认领成功")).to_be_visible()
    wish.refresh_from_db()
    assert wish.state == WishState.CLAIMED and wish.claimant_name == "孙志愿"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
