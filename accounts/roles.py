"""The roles of DESIGN.md and what kind of scope each one is granted on."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", _("区级系统管理员")
    DISTRICT_LEADER = "district_leader", _("区领导 / 组织部")
    STREET_STAFF = "street_staff", _("街道工作人员")
    COMMUNITY_STAFF = "community_staff", _("社区工作人员")
    GRID_WORKER = "grid_worker", _("网格员")
    DEPARTMENT_LIAISON = "department_liaison", _("区直部门联络员")
    PROPERTY_STAFF = "property_staff", _("物业企业人员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDITOR = "auditor", _("审计员")


class ScopeKind(models.TextChoices):
    AREA = "area", _("区域")
    DEPARTMENT = "department", _("区直部门")
    COMPANY = "company", _("物业企业")


#: The kind of scope node each role is granted on.
ROLE_SCOPE_KIND: dict[str, str] = {
    Role.DISTRICT_ADMIN: ScopeKind.AREA,
    Role.DISTRICT_LEADER: ScopeKind.AREA,
    Role.STREET_STAFF: ScopeKind.AREA,
    Role.COMMUNITY_STAFF: ScopeKind.AREA,
    Role.GRID_WORKER: ScopeKind.AREA,
    Role.DEPARTMENT_LIAISON: ScopeKind.DEPARTMENT,
    Role.PROPERTY_STAFF: ScopeKind.COMPANY,
    Role.SECURITY_ADMIN: ScopeKind.AREA,
    Role.AUDITOR: ScopeKind.AREA,
}

#: The area level an area-scoped role is granted on (the grant covers that node's subtree).
ROLE_AREA_LEVEL: dict[str, str] = {
    Role.DISTRICT_ADMIN: "district",
    Role.DISTRICT_LEADER: "district",
    Role.SECURITY_ADMIN: "district",
    Role.AUDITOR: "district",
    Role.STREET_STAFF: "street",
    Role.COMMUNITY_STAFF: "community",
    Role.GRID_WORKER: "community",
}

#: 三员分立: the security administrator and the auditor run the system; they read no
#: residents' or cases' data. Scoped business models leave these roles out.
SYSTEM_ROLES = frozenset({Role.SECURITY_ADMIN, Role.AUDITOR})
BUSINESS_ROLES = frozenset(set(Role) - SYSTEM_ROLES)
