"""Every write of the accounts app. Each takes the actor and writes its audit row."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from common.territory import AreaLevel

from .models import ApiToken, AuditAction, AuditLog, AuditOutcome, RoleGrant, User
from .personal_data import UNMASK_PERMISSION
from .policies import (
    can_grant_roles,
    can_grant_unmask,
    can_manage_lockouts,
    can_manage_user,
    can_manage_users,
    may_grant,
    may_receive_unmask,
)
from .roles import ROLE_AREA_LEVEL, ROLE_SCOPE_KIND, Role, ScopeKind
from .scoping import forget_scope

if TYPE_CHECKING:
    from rest_framework.request import Request


def client_ip(request: HttpRequest | Request | None) -> str | None:
    if request is None:
        return None
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None


def audit_record(
    *,
    action: str,
    outcome: str = AuditOutcome.SUCCESS,
    actor: Any = None,
    username: str = "",
    request: HttpRequest | Request | None = None,
    target: models.Model | str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditLog:
    """Append one audit row. Never pass personal data in ``detail``: it is shown to auditors."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    entry = AuditLog(
        actor=actor,
        username=(actor.get_username() if actor is not None else username)[:150],
        action=action,
        outcome=outcome,
        ip=client_ip(request),
        detail=detail or {},
    )
    if isinstance(target, models.Model):
        entry.object_type = target._meta.label_lower
        entry.object_id = str(target.pk)
        entry.object_repr = str(target)[:200]
    elif target:
        entry.object_repr = str(target)[:200]
    entry.save()
    return entry


def audit_denied(*, request: HttpRequest | Request, target: str) -> AuditLog:
    return audit_record(
        action=AuditAction.ACCESS_DENIED,
        outcome=AuditOutcome.DENIED,
        actor=request.user,
        request=request,
        target=target,
        detail={"method": request.method},
    )


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    full_name: str,
    password: str,
    is_staff: bool = False,
    validate: bool = True,
    phone: str = "",
    must_change_password: bool = False,
) -> User:
    """Create a user. The password passes the password policy unless ``validate`` is off
    (seed_demo sets a published demo password that the deploy check later refuses)."""
    user = User(
        username=username,
        full_name=full_name,
        is_staff=is_staff,
        phone=phone,
        must_change_password=must_change_password,
    )
    if validate:
        validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(action=AuditAction.CREATE, actor=actor, username="system", target=user)
    return user


@transaction.atomic
def user_register(
    *,
    actor: Any,
    username: str,
    full_name: str,
    phone: str,
    password: str,
    role: str,
    area: Any = None,
    department: Any = None,
    company: Any = None,
    is_staff: bool = False,
    request: HttpRequest | None = None,
) -> User:
    """The back office's one form: a new account with its first grant, all or nothing. The
    password is the administrator's, so it only opens the first login: the user sets their own
    at once. A street office (when the district allows) registers only its communities' workers
    and never gives back-office access."""
    if not can_manage_users(actor):
        raise PermissionDenied
    if is_staff and not can_grant_roles(actor):
        raise PermissionDenied
    _check_grant(actor=actor, role=role, area=area, department=department, company=company)
    user = user_create(
        actor=actor,
        username=username,
        full_name=full_name,
        password=password,
        is_staff=is_staff,
        phone=phone,
        must_change_password=True,
    )
    role_grant_add(
        actor=actor, user=user, role=role, area=area, department=department, company=company,
        reason=_("新建账号"), request=request,
    )  # fmt: skip
    return user


#: The account fields the back office changes, each audited as (before, after). The phone is
#: personal data: the audit row says only that it changed.
USER_FIELDS = ("full_name", "email", "phone", "is_active", "is_staff")


@transaction.atomic
def user_update(
    *, actor: Any, user: User, changes: dict[str, Any], request: HttpRequest | None = None
) -> User:
    """Change an account's details. A deactivation (``is_active`` off) is audited as such and
    ends the user's sessions at their next request (Django refuses inactive users)."""
    if not can_manage_user(actor, user):
        raise PermissionDenied
    unknown = set(changes) - set(USER_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改这些字段：%(fields)s") % {"fields": ", ".join(unknown)})
    if "is_staff" in changes and not can_grant_roles(actor):
        changes = {k: v for k, v in changes.items() if k != "is_staff"}
    if changes.get("is_active") is False and user.pk == getattr(actor, "pk", None):
        raise ValidationError({"is_active": _("不能停用自己的账号。")})
    locked = User.objects.select_for_update().get(pk=user.pk)
    diff: dict[str, Any] = {}
    for field, value in changes.items():
        before = getattr(locked, field)
        if before != value:
            diff[field] = "changed" if field == "phone" else [before, value]
            setattr(locked, field, value)
    if not diff:
        return locked
    locked.full_clean()
    locked.save(update_fields=sorted(diff))
    activity = diff.pop("is_active", None)
    if activity is not None:
        audit_record(
            action=AuditAction.USER_ACTIVATED if activity[1] else AuditAction.USER_DEACTIVATED,
            actor=actor,
            request=request,
            target=locked,
        )
    if diff:
        audit_record(
            action=AuditAction.UPDATE, actor=actor, request=request, target=locked, detail=diff
        )
    return locked


def user_deactivate(*, actor: Any, user: User, request: HttpRequest | None = None) -> User:
    """停用: the account can no longer sign in; its grants and history stay for the record."""
    return user_update(actor=actor, user=user, changes={"is_active": False}, request=request)


@transaction.atomic
def user_password_reset(
    *, actor: Any, user: User, password: str, request: HttpRequest | None = None
) -> None:
    """An administrator sets a new password (a forgotten one, a new phone): the user must
    replace it at the next login, and the audit row says who reset it (never the password)."""
    if not can_manage_user(actor, user):
        raise PermissionDenied
    validate_password(password, user)
    locked = User.objects.select_for_update().get(pk=user.pk)
    locked.set_password(password)
    locked.must_change_password = True
    locked.save(update_fields=["password", "must_change_password"])
    # API clients signed in with the old password stop working too.
    ApiToken.objects.filter(user=locked, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor
    )
    audit_record(action=AuditAction.PASSWORD_RESET, actor=actor, request=request, target=locked)


@transaction.atomic
def user_password_change(*, user: User, password: str, request: HttpRequest | None = None) -> None:
    """The user sets their own password (the first login's forced change, or any time later)."""
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_record(action=AuditAction.PASSWORD_CHANGED, actor=user, request=request, target=user)


def grant_scope_check(*, role: str, area: Any, department: Any, company: Any) -> None:
    """A role's grant names one unit of the kind its role is scoped to, at its area level."""
    if role not in ROLE_SCOPE_KIND:
        raise ValidationError({"role": _("请选择角色。")})
    kind = ROLE_SCOPE_KIND[role]
    given: dict[str, Any] = {
        ScopeKind.AREA: area,
        ScopeKind.DEPARTMENT: department,
        ScopeKind.COMPANY: company,
    }
    if given[kind] is None or any(v is not None for k, v in given.items() if k != kind):
        raise ValidationError(
            _("角色“%(role)s”须授权在一个%(kind)s上。")
            % {"role": Role(role).label, "kind": ScopeKind(kind).label}
        )
    expected_level = ROLE_AREA_LEVEL.get(role)
    if area is not None and expected_level and area.level != expected_level:
        raise ValidationError(
            _("该角色须授权在“%(level)s”级区域上，而“%(area)s”不是。")
            % {"level": AreaLevel(expected_level).label, "area": area.name}
        )


def _check_grant(*, actor: Any, role: str, area: Any, department: Any, company: Any) -> None:
    """The actor may give this grant (None: the system, e.g. seed_demo) and it fits the role."""
    grant_scope_check(role=role, area=area, department=department, company=company)
    if actor is not None and not may_grant(actor, role, area.path if area is not None else None):
        raise PermissionDenied(_("您无权授予该角色或该范围。"))


def _grant_detail(grant: RoleGrant, reason: str = "") -> dict[str, Any]:
    detail = {"user": grant.user.username, "role": grant.role, "scope": grant.scope_label}
    if reason:
        detail["reason"] = reason
    return detail


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写变更或结束授权的原因。")})
    return reason[:200]


@transaction.atomic
def role_grant_add(
    *,
    actor: Any,
    user: User,
    role: str,
    area: Any = None,
    department: Any = None,
    company: Any = None,
    reason: str = "",
    request: HttpRequest | None = None,
) -> RoleGrant:
    """Grant ``role`` on a scope node: the district admin anywhere, a street office (when the
    district allows) its communities' workers, or the system (actor None)."""
    if actor is not None and not can_manage_users(actor):
        raise PermissionDenied
    _check_grant(actor=actor, role=role, area=area, department=department, company=company)
    grant, created = RoleGrant.objects.get_or_create(
        user=user,
        role=role,
        area=area,
        department=department,
        company=company,
        defaults={"granted_by": actor},
    )
    if created:
        audit_record(
            action=AuditAction.GRANT_ADDED,
            actor=actor,
            username="system",
            request=request,
            target=grant,
            detail=_grant_detail(grant, reason),
        )
    forget_scope(user)
    return grant


@transaction.atomic
def role_grant_change(
    *,
    actor: Any,
    grant: RoleGrant,
    role: str,
    area: Any = None,
    department: Any = None,
    company: Any = None,
    reason: str,
    request: HttpRequest | None = None,
) -> RoleGrant:
    """Move a grant to another role or scope (a worker posted to another community). The
    reason is required and the audit row keeps the grant as it was and as it is."""
    reason = _reason(reason)
    locked = RoleGrant.objects.select_for_update().select_related("user").get(pk=grant.pk)
    if not can_manage_user(actor, locked.user):
        raise PermissionDenied
    _check_grant(actor=actor, role=role, area=area, department=department, company=company)
    before = _grant_detail(locked)
    locked.role, locked.area, locked.department, locked.company = role, area, department, company
    if (
        RoleGrant.objects.filter(
            user=locked.user, role=role, area=area, department=department, company=company
        )
        .exclude(pk=locked.pk)
        .exists()
    ):
        raise ValidationError(_("该用户已有这一授权。"))
    locked.granted_by = actor
    locked.save(update_fields=["role", "area", "department", "company", "granted_by"])
    after = _grant_detail(locked)
    audit_record(
        action=AuditAction.GRANT_CHANGED,
        actor=actor,
        request=request,
        target=locked,
        detail={"user": locked.user.username, "before": before, "after": after, "reason": reason},
    )
    forget_scope(locked.user)
    return locked


@transaction.atomic
def role_grant_end(
    *, actor: Any, grant: RoleGrant, reason: str, request: HttpRequest | None = None
) -> None:
    """End a grant (the worker left the post). The row goes; the audit row keeps who held what,
    who ended it and why."""
    reason = _reason(reason)
    if not can_manage_user(actor, grant.user):
        raise PermissionDenied
    audit_record(
        action=AuditAction.GRANT_REMOVED,
        actor=actor,
        request=request,
        target=grant,
        detail=_grant_detail(grant, reason),
    )
    RoleGrant.objects.filter(pk=grant.pk).delete()
    forget_scope(grant.user)


def unmask_permission() -> Permission:
    """The permission row behind ``UNMASK_PERMISSION`` (made by the accounts migrations)."""
    app_label, codename = UNMASK_PERMISSION.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _unmask_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写授予或撤销明文查看权限的原因。")})
    return reason[:200]


def _unmask_audit(*, action: str, actor: Any, user: User, reason: str, request: Any) -> None:
    audit_record(
        action=action,
        actor=actor,
        request=request,
        target=user,
        detail={"user": user.username, "permission": UNMASK_PERMISSION, "reason": reason},
    )


@transaction.atomic
def unmask_permission_grant(
    *, actor: Any, user: User, reason: str, request: HttpRequest | None = None
) -> bool:
    """Let ``user`` open residents' plain ID numbers and phones (each view still audited). Only
    the security administrator grants it (三员分立), with a reason, to an active account with a
    business role other than their own. Returns whether anything changed: a user who already
    holds it keeps it and no second audit row is written."""
    if not can_grant_unmask(actor):
        raise PermissionDenied
    reason = _unmask_reason(reason)
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not may_receive_unmask(actor, locked):
        raise ValidationError(
            _("只能授予其他在用、担任业务角色的账号：安全管理员和审计员不查看居民信息。")
        )
    permission = unmask_permission()
    if locked.user_permissions.filter(pk=permission.pk).exists():
        return False
    locked.user_permissions.add(permission)
    _unmask_audit(
        action=AuditAction.GRANT_ADDED, actor=actor, user=locked, reason=reason, request=request
    )
    return True


@transaction.atomic
def unmask_permission_revoke(
    *, actor: Any, user: User, reason: str, request: HttpRequest | None = None
) -> bool:
    """Take the unmask permission back (the post changed, the need ended): the security
    administrator, with a reason. Returns whether the user held it."""
    if not can_grant_unmask(actor):
        raise PermissionDenied
    reason = _unmask_reason(reason)
    locked = User.objects.select_for_update().get(pk=user.pk)
    permission = unmask_permission()
    if not locked.user_permissions.filter(pk=permission.pk).exists():
        return False
    locked.user_permissions.remove(permission)
    _unmask_audit(
        action=AuditAction.GRANT_REMOVED, actor=actor, user=locked, reason=reason, request=request
    )
    return True


@transaction.atomic
def lockout_clear(*, actor: Any, username: str, request: HttpRequest | None = None) -> int:
    """Lift the login lockout of ``username`` (security administrator only)."""
    if not can_manage_lockouts(actor):
        raise PermissionDenied
    from axes.utils import reset

    cleared = reset(username=username)
    audit_record(
        action=AuditAction.UNLOCK,
        actor=actor,
        request=request,
        target=username,
        detail={"attempts_cleared": cleared},
    )
    return cleared


def audit_unmask(
    *, actor: Any, target: models.Model, fields: list[str], request: Any = None
) -> None:
    audit_record(
        action=AuditAction.UNMASK,
        actor=actor,
        request=request,
        target=target,
        detail={"fields": fields},
    )


def audit_unmask_list(
    *, actor: Any, what: str, ids: list[Any], fields: list[str], request: Any = None
) -> None:
    """One audit row for a list, page or export shown in plain: which rows, which fields."""
    audit_record(
        action=AuditAction.UNMASK,
        actor=actor,
        request=request,
        target=what,
        detail={"fields": fields, "count": len(ids), "ids": [str(pk) for pk in ids[:500]]},
    )
