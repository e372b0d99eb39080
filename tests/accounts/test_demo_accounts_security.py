"""The demo accounts as a visitor of `make run` meets them: the privileged ones give the code of
the published demo key after the password, and community_secretary opens a resident's phone,
audited, where community_staff cannot. Signed in through the login page, as in the demo."""

from base64 import b32decode
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.checks import demo_authenticators_check
from accounts.models import AuditAction, AuditLog, User
from accounts.personal_data import mask_phone
from governance.models import Resident
from tests.accounts.two_factor import code_for

pytestmark = [pytest.mark.django_db, pytest.mark.two_factor]


def sign_in(username: str) -> Any:
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": username, "password": settings.DEMO_PASSWORD}
    )
    assert response.status_code == 302, username
    return client


@pytest.fixture
def demo(settings: Any) -> None:
    from governance import demo as governance_demo
    from shell import demo as shell_demo

    settings.DEBUG = True
    lines: list[str] = []
    for module in (governance_demo, shell_demo):
        module.seed(lines.append)
    secret = settings.DEMO_TOTP_SECRET
    assert any(
        secret[:4] in line and "TOTP" in line for line in lines
    )  # printed, like the password


def test_the_privileged_demo_accounts_sign_in_with_the_demo_key(demo: None) -> None:
    key = b32decode(settings.DEMO_TOTP_SECRET)
    for username in ("district_admin", "security_admin", "auditor"):
        client = sign_in(username)
        assert client.get("/").url.startswith("/accounts/two-factor/verify/")
        assert client.post("/accounts/two-factor/verify/", {"code": code_for(key)}).url == "/"
        assert client.get("/").status_code == 200
    # the others sign in with the password alone
    assert sign_in("community_staff").get("/").status_code == 200


def test_community_secretary_unmasks_a_residents_phone_and_the_audit_log_records_it(
    demo: None,
) -> None:
    resident = Resident.objects.filter(area_path__startswith=_huayang_path()).exclude(phone="")[0]
    url = f"/governance/residents/{resident.pk}/?unmask=1"

    # community_staff of the same community has no unmask permission: masked, nothing audited
    page = sign_in("community_staff").get(url).content.decode()
    assert resident.phone not in page and mask_phone(resident.phone) in page
    assert not AuditLog.objects.filter(action=AuditAction.UNMASK).exists()

    # community_secretary holds it: the plain phone, and one audit row naming the resident
    secretary = sign_in("community_secretary")
    masked = secretary.get(f"/governance/residents/{resident.pk}/").content.decode()
    assert resident.phone not in masked and "unmask=1" in masked  # masked until asked
    page = secretary.get(url).content.decode()
    assert resident.phone in page
    entry = AuditLog.objects.get(action=AuditAction.UNMASK)
    assert entry.username == "community_secretary"
    assert (entry.object_type, entry.object_id) == ("governance.resident", str(resident.pk))
    assert entry.detail == {"fields": ["id_number", "phone"]}
    assert resident.phone not in str(entry.detail) + entry.object_repr


def _huayang_path() -> str:
    from governance.models import Area

    return Area.objects.get(code="370405001001").path


def test_seed_demo_binds_the_demo_key_once_and_production_refuses_it(
    demo: None, settings: Any
) -> None:
    from shell import demo as shell_demo

    shell_demo.seed(lambda line: None)  # seed_demo runs again: nothing more
    admin = User.objects.get(username="district_admin")
    assert TOTPDevice.objects.filter(user=admin).count() == 1
    secretary = User.objects.get(username="community_secretary")
    assert secretary.has_perm("accounts.unmask_personal_data")
    assert secretary.user_permissions.count() == 1

    settings.DEBUG = False
    errors = demo_authenticators_check(databases=["default"])
    assert [error.id for error in errors] == ["accounts.E002"]
    assert "district_admin" in errors[0].msg and "auditor" in errors[0].msg
