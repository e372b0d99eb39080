"""The demo accounts of DESIGN.md, all with the published demo password; the privileged ones
with an authenticator on the published demo key, one with the unmask permission."""

from base64 import b32decode
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditAction, Open311Client, User
from accounts.personal_data import UNMASK_PERMISSION
from accounts.roles import Role
from accounts.services import audit_record, role_grant_add, user_create
from accounts.token_services import open311_client_register, open311_key_rotate
from accounts.two_factor.policies import TWO_FACTOR_ROLES
from governance.models import Area, Department, PropertyCompany

# username, full name, role, scope ("area:<code>", "department:<code>", "company:<credit code>"),
# back-office access
DEMO_ACCOUNTS: list[tuple[str, str, str, str, bool]] = [
    ("district_admin", "王建国", Role.DISTRICT_ADMIN, "area:370405000000", True),
    ("district_leader", "李红梅", Role.DISTRICT_LEADER, "area:370405000000", False),
    ("street_staff", "张卫东", Role.STREET_STAFF, "area:370405001000", False),
    ("community_staff", "刘芳", Role.COMMUNITY_STAFF, "area:370405001001", False),
    ("community_staff_2", "陈立新", Role.COMMUNITY_STAFF, "area:370405100001", False),
    ("grid_worker", "赵磊", Role.GRID_WORKER, "area:370405001001", False),
    ("dept_liaison", "孙志强", Role.DEPARTMENT_LIAISON, "department:D001", False),
    ("property_staff", "周静", Role.PROPERTY_STAFF, "company:91370405MA3C5K7Q1R", False),
    ("security_admin", "吴敏", Role.SECURITY_ADMIN, "area:370405000000", True),
    ("auditor", "郑洁", Role.AUDITOR, "area:370405000000", True),
    # 华阳社区's party secretary, who may open residents' ID numbers and phones (audited).
    ("community_secretary", "孟庆华", Role.COMMUNITY_STAFF, "area:370405001001", False),
]
#: The demo accounts holding the unmask permission (granted person by person).
DEMO_UNMASKERS = {"community_secretary"}


def _scope(spec: str) -> dict[str, Any]:
    kind, code = spec.split(":", 1)
    if kind == "area":
        return {"area": Area.objects.get(code=code)}
    if kind == "department":
        return {"department": Department.objects.get(code=code)}
    return {"company": PropertyCompany.objects.get(credit_code=code)}


@transaction.atomic
def seed(log: Any) -> None:
    created = 0
    for username, full_name, role, scope, is_staff in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            # The demo password is published; validation is skipped on purpose and the
            # deploy check (accounts.E001) refuses production while any account still has it.
            user = user_create(
                actor=None,
                username=username,
                full_name=full_name,
                password=settings.DEMO_PASSWORD,
                is_staff=is_staff,
                validate=False,
            )
            created += 1
        role_grant_add(actor=None, user=user, role=role, **_scope(scope))
        if role in TWO_FACTOR_ROLES:
            _bind_demo_authenticator(user)
        if username in DEMO_UNMASKERS and not user.has_perm(UNMASK_PERMISSION):
            _grant_unmask(user)
    log(f"演示账号: 新建 {created} 个，共 {len(DEMO_ACCOUNTS)} 个")
    secret = settings.DEMO_TOTP_SECRET
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    log(f"区级系统管理员、安全管理员、审计员的演示验证器密钥（TOTP，公开，仅限演示）: {grouped}")
    _seed_open311_client(log)


def _bind_demo_authenticator(user: User) -> None:
    """The privileged demo accounts give a second factor like real ones; their authenticator
    is on the published demo key (the deploy check accounts.E002 refuses it in production)."""
    key = b32decode(settings.DEMO_TOTP_SECRET).hex()
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="demo", key=key, confirmed=True)


def _grant_unmask(user: User) -> None:
    codename = UNMASK_PERMISSION.split(".", 1)[1]
    user.user_permissions.add(
        Permission.objects.get(codename=codename, content_type__app_label="accounts")
    )
    audit_record(
        action=AuditAction.GRANT_ADDED,
        username="system",
        target=user,
        detail={"user": user.username, "permission": UNMASK_PERMISSION},
    )


#: The demo Open311 client: the hotline files cases in 华阳社区 as the community's worker.
DEMO_OPEN311_CLIENT = ("12345 热线（演示）", "community_staff", "370405001001")


def _seed_open311_client(log: Any) -> None:
    """A demo hotline client. Its key is made now (never kept in the repository) and printed
    here once; a second run gives it a new key, since the old one cannot be shown again."""
    name, username, area_code = DEMO_OPEN311_CLIENT
    admin = User.objects.get(username="security_admin")
    client = Open311Client.objects.filter(name=name).first()
    if client is None:
        client = Open311Client(name=name, account=User.objects.get(username=username))
        key = open311_client_register(actor=admin, client=client)
        client.areas.set([Area.objects.get(code=area_code)])
    else:
        key = open311_key_rotate(actor=admin, client=client)
    log(f"演示 Open311 客户端“{name}”（{username}，华阳社区）api_key: {key}")
