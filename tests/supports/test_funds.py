import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from accounts.models import AuditLog
from accounts.roles import Role
from supports.models import FundKind, FundSpending
from supports.selectors import funds as selectors
from supports.services import funds

from .factories import budget, spend

pytestmark = pytest.mark.django_db


def test_spending_over_the_budget_is_refused_with_the_balance(tree, make_user):
    target = budget(tree["community"], amount="10000")
    staff = make_user(Role.COMMUNITY_STAFF)
    spend(target, "6000")
    with pytest.raises(ValidationError) as caught:
        funds.spending_record(
            actor=staff,
            budget=target,
            spent_on=target.spendings.get().spent_on,
            purpose="activities",
            description="活动",
            amount=Decimal("4000.01"),
            approver="李主任",
        )
    assert "余额 4,000.00 元" in caught.value.message_dict["amount"][0]
    spend(target, "4000")  # exactly what is left is fine
    assert selectors.budget_summary(target)["left"] == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": Decimal("0")}, "amount"),
        ({"amount": Decimal("1.005")}, "amount"),
        ({"purpose": "party"}, "purpose"),
        ({"approver": " "}, "approver"),
    ],
)
def test_bad_spending_is_refused_on_its_field(tree, change, field):
    target = budget(tree["community"])
    fields = {
        "spent_on": target.created_at.date().replace(month=1, day=1),
        "purpose": "activities",
        "description": "活动",
        "amount": Decimal("10"),
        "approver": "李主任",
    } | change
    with pytest.raises(ValidationError) as caught:
        funds.spending_record(actor=None, budget=target, **fields)
    assert field in caught.value.message_dict


def test_spending_outside_the_budget_year_is_refused(tree):
    target = budget(tree["community"], year=2024)
    with pytest.raises(ValidationError, match="2024"):
        spend(target, spent_on=target.created_at.date().replace(year=2023))


def test_a_budget_cannot_drop_below_what_was_spent(tree, make_user):
    target = budget(tree["community"], amount="5000")
    spend(target, "3000")
    with pytest.raises(ValidationError, match="已支出"):
        budget(tree["community"], amount="2999")
    assert budget(tree["community"], amount="3000").amount == 3000


def test_a_community_does_not_set_its_own_budget(tree, make_user):
    with pytest.raises(PermissionDenied):
        funds.budget_set(
            actor=make_user(Role.COMMUNITY_STAFF),
            community=tree["community"],
            year=2025,
            kind=FundKind.WORK,
            amount=Decimal("300000"),
        )


def test_a_community_does_not_spend_another_communitys_funds(tree, make_user):
    theirs = budget(tree["other_community"])
    with pytest.raises(PermissionDenied):
        funds.spending_record(
            actor=make_user(Role.COMMUNITY_STAFF),
            budget=theirs,
            spent_on=theirs.created_at.date(),
            purpose="activities",
            description="x",
            amount=Decimal("1"),
            approver="x",
        )


@pytest.mark.django_db(transaction=True)
def test_two_entries_at_once_cannot_together_overspend(tree):
    target = budget(tree["community"], amount="10000")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def pay() -> None:
        try:
            barrier.wait()
            spend(target, "6000")
            outcomes.append("paid")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=pay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["paid", "refused"]
    assert FundSpending.objects.filter(budget=target).count() == 1


def test_a_voucher_must_be_a_pdf_or_an_image(tree):
    target = budget(tree["community"])
    fake = SimpleUploadedFile("voucher.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        spend(target, voucher=fake)
    assert "voucher" in caught.value.message_dict
    real = SimpleUploadedFile("v.pdf", b"%PDF-1.4 minimal", content_type="application/pdf")
    entry = spend(target, voucher=real)
    assert entry.voucher_type == "application/pdf"
    assert entry.voucher.read() == b"%PDF-1.4 minimal"
    assert "/media/" not in entry.voucher.path
    with pytest.raises(ValueError):
        entry.voucher.url  # noqa: B018 - a voucher has no public address


def test_the_rule_check_flags_communities_below_the_district_standard(tree, make_user):
    year = 2025
    budget(tree["community"], FundKind.WORK, "260000", year)
    budget(tree["community"], FundKind.SERVICE, "80000", year)
    budget(tree["other_community"], FundKind.WORK, "200000", year)
    rows = {
        row.name: row
        for row in selectors.fund_rows(actor=make_user(Role.DISTRICT_LEADER), year=year)
    }
    assert selectors.flags_of(rows["甲社区"]) == []
    flags = selectors.flags_of(rows["乙社区"])
    assert any("低于区定标准 260,000" in flag for flag in flags)
    assert any("未下达服务群众专项经费" in flag for flag in flags)
    flagged = selectors.fund_rows(actor=make_user(Role.DISTRICT_LEADER), year=year, flagged="yes")
    assert [row.name for row in flagged] == ["乙社区"]


def test_spending_by_purpose_adds_up(tree):
    target = budget(tree["community"])
    spend(target, "300", purpose="care")
    spend(target, "100", purpose="care")
    spend(target, "600", purpose="position")
    lines = selectors.by_purpose(FundSpending.objects.all())
    assert [(line.purpose, line.amount, round(line.share)) for line in lines] == [
        ("position", Decimal("600"), 60),
        ("care", Decimal("400"), 40),
    ]
    assert AuditLog.objects.filter(detail__event="fund.spend").count() == 3
