"""The demo accounts of DESIGN.md, all with the published demo password."""

from typing import Any

from django.conf import settings
from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from accounts.services import role_grant_add, user_create
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
]


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
    log(f"演示账号: 新建 {created} 个，共 {len(DEMO_ACCOUNTS)} 个")
