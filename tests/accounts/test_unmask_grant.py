"""The unmask permission in the back office: the security administrator grants and revokes it
person by person with a reason (both audited), the user's page says whether the user may open
plain ID numbers and phones, and the district admin, who keeps accounts and roles, has no such
control (三员分立)."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from accounts import services
from accounts.models import AuditAction, AuditLog, User
from accounts.personal_data import UNMASK_PERMISSION
from accounts.roles import Role
from tests.governance.factories import household, resident

pytestmark = pytest.mark.django_db

LEDGER = "/governance/ledgers/residents/?unmask=1"


def change_url(user: User) -> str:
    return f"/admin/accounts/user/{user.pk}/change/"


def unmask_url(user: User) -> str:
    return f"/admin/accounts/user/{user.pk}/unmask-permission/"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)  # the suite's sign-in passes the second factor (tests/conftest.py)
    return client


@pytest.fixture
def security_admin(make_user: Any) -> User:
    return make_user(Role.SECURITY_ADMIN, is_staff=True)


@pytest.fixture
def worker(make_user: Any) -> User:
    return make_user(Role.COMMUNITY_STAFF, phone="13912345678")


@pytest.fixture
def person(tree: dict[str, Any]) -> Any:
    return resident(household(tree["building"]), name="赵秀英")


def grant_rows(user: User, action: str) -> Any:
    return AuditLog.objects.filter(
        action=action, object_type="accounts.user", object_id=str(user.pk)
    )


def test_the_security_admin_grants_with_a_reason_and_the_user_then_unmasks_audited(
    security_admin: User, worker: User, person: Any
) -> None:
    # given: the worker's ledger is masked even when asked for plain values
    worker_client = signed_in(worker)
    before = worker_client.get(LEDGER).content.decode()
    assert person.id_number not in before and person.id_number_masked in before
    admin = signed_in(security_admin)
    page = admin.get(change_url(worker)).content.decode()
    assert "不能查看明文" in page and unmask_url(worker) in page
    assert "139****5678" in page and "13912345678" not in page  # the reader sees it masked

    # when: the security admin grants it with a reason
    response = admin.post(unmask_url(worker), {"action": "grant", "reason": "核对低保对象身份"})

    # then: the user's page says so, the ledger shows the plain ID number, both are audited
    assert response.status_code == 302 and response["Location"] == change_url(worker)
    page = admin.get(change_url(worker)).content.decode()
    assert "已授予明文查看权限" in page  # the message after the redirect
    assert "可以查看居民身份证号、手机号明文" in page and "撤销明文查看权限" in page
    ledger = worker_client.get(LEDGER).content.decode()
    assert person.id_number in ledger
    grant = grant_rows(worker, AuditAction.GRANT_ADDED).get()
    assert grant.actor == security_admin
    assert grant.detail == {
        "user": worker.username,
        "permission": UNMASK_PERMISSION,
        "reason": "核对低保对象身份",
    }
    unmask = AuditLog.objects.get(action=AuditAction.UNMASK, actor=worker)
    assert unmask.detail["ids"] == [str(person.pk)]
    assert person.id_number not in str(unmask.detail) + str(grant.detail)


def test_revoked_the_user_can_no_longer_unmask_and_the_revocation_is_audited(
    security_admin: User, worker: User, person: Any
) -> None:
    # given: a worker who holds the permission
    services.unmask_permission_grant(actor=security_admin, user=worker, reason="核对身份")
    worker_client = signed_in(worker)
    assert person.id_number in worker_client.get(LEDGER).content.decode()
    admin = signed_in(security_admin)

    # when
    response = admin.post(unmask_url(worker), {"action": "revoke", "reason": "调离岗位"})

    # then
    assert response.status_code == 302
    ledger = worker_client.get(LEDGER).content.decode()
    assert person.id_number not in ledger and person.id_number_masked in ledger
    assert "不能查看明文" in admin.get(change_url(worker)).content.decode()
    revoked = grant_rows(worker, AuditAction.GRANT_REMOVED).get()
    assert (revoked.actor, revoked.detail["reason"]) == (security_admin, "调离岗位")
    assert not User.objects.get(pk=worker.pk).has_perm(UNMASK_PERMISSION)


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_grant_without_a_reason_is_refused_with_a_message_and_changes_nothing(
    security_admin: User, worker: User, person: Any, reason: str
) -> None:
    admin = signed_in(security_admin)

    response = admin.post(unmask_url(worker), {"action": "grant", "reason": reason})

    assert response.status_code == 200
    assert "请填写授予或撤销明文查看权限的原因。" in response.content.decode()
    assert not User.objects.get(pk=worker.pk).has_perm(UNMASK_PERMISSION)
    assert not grant_rows(worker, AuditAction.GRANT_ADDED).exists()
    assert person.id_number not in signed_in(worker).get(LEDGER).content.decode()


def test_the_district_admin_has_no_control_and_is_refused(
    make_user: Any, worker: User, person: Any
) -> None:
    district_admin = make_user(Role.DISTRICT_ADMIN, is_staff=True)
    client = signed_in(district_admin)

    page = client.get(change_url(worker)).content.decode()
    assert "不能查看明文" in page  # the status is shown to whoever keeps the account
    assert unmask_url(worker) not in page and "授予明文查看权限" not in page
    assert client.get(unmask_url(worker)).status_code == 403
    posted = client.post(unmask_url(worker), {"action": "grant", "reason": "核对身份"})
    assert posted.status_code == 403
    with pytest.raises(PermissionDenied):
        services.unmask_permission_grant(actor=district_admin, user=worker, reason="核对身份")

    assert not User.objects.get(pk=worker.pk).has_perm(UNMASK_PERMISSION)
    assert not grant_rows(worker, AuditAction.GRANT_ADDED).exists()
    assert person.id_number not in signed_in(worker).get(LEDGER).content.decode()


def test_system_roles_and_the_security_admin_themselves_are_not_given_it(
    security_admin: User, make_user: Any
) -> None:
    auditor = make_user(Role.AUDITOR, is_staff=True)
    admin = signed_in(security_admin)
    for target in (auditor, security_admin):
        assert unmask_url(target) not in admin.get(change_url(target)).content.decode()

        response = admin.post(unmask_url(target), {"action": "grant", "reason": "核对身份"})

        assert response.status_code == 200
        assert "安全管理员和审计员不查看居民信息" in response.content.decode()
        assert not User.objects.get(pk=target.pk).has_perm(UNMASK_PERMISSION)
    assert not AuditLog.objects.filter(
        action=AuditAction.GRANT_ADDED, actor=security_admin
    ).exists()
