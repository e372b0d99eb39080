"""Every write of the accounts app. Each takes the actor and writes its audit row."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from common.territory import AreaLevel

from .models import AuditAction, AuditLog, AuditOutcome, RoleGrant, User
from .policies import can_grant_roles, can_manage_lockouts
from .roles import ROLE_AREA_LEVEL, ROLE_SCOPE_KIND, ScopeKind
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
) -> User:
    """Create a user. The password passes the password policy unless ``validate`` is off
    (seed_demo sets a published demo password that the deploy check later refuses)."""
    user = User(username=username, full_name=full_name, is_staff=is_staff)
    if validate:
        validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(action=AuditAction.CREATE, actor=actor, username="system", target=user)
    return user


def _check_grant_scope(*, role: str, area: Any, department: Any, company: Any) -> None:
    kind = ROLE_SCOPE_KIND[role]
    given: dict[str, Any] = {
        ScopeKind.AREA: area,
        ScopeKind.DEPARTMENT: department,
        ScopeKind.COMPANY: company,
    }
    if given[kind] is None or any(v is not None for k, v in given.items() if k != kind):
        raise ValidationError(
            _("角色“%(role)s”须授权在一个%(kind)s上。")
            % {"role": role, "kind": ScopeKind(kind).label}
        )
    expected_level = ROLE_AREA_LEVEL.get(role)
    if area is not None and expected_level and area.level != expected_level:
        raise ValidationError(
            _("该角色须授权在“%(level)s”级区域上，而“%(area)s”不是。")
            % {"level": AreaLevel(expected_level).label, "area": area.name}
        )


@transaction.atomic
def role_grant_add(
    *,
    actor: User | None,
    user: User,
    role: str,
    area: Any = None,
    department: Any = None,
    company: Any = None,
) -> RoleGrant:
    """Grant ``role`` on a scope node. Only a district admin grants (or the system, actor None)."""
    if actor is not None and not can_grant_roles(actor):
        raise PermissionDenied
    _check_grant_scope(role=role, area=area, department=department, company=company)
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
            target=grant,
            detail={"user": user.username, "role": role},
        )
    forget_scope(user)
    return grant


@transaction.atomic
def role_grant_remove(*, actor: Any, grant: RoleGrant) -> None:
    if not can_grant_roles(actor):
        raise PermissionDenied
    audit_record(
        action=AuditAction.GRANT_REMOVED,
        actor=actor,
        target=grant,
        detail={"user": grant.user.username, "role": grant.role},
    )
    grant.delete()
    forget_scope(grant.user)


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


@transaction.atomic
def token_issue(*, user: Any, request: HttpRequest | Request) -> str:
    from rest_framework.authtoken.models import Token

    token, _created = Token.objects.get_or_create(user=user)
    audit_record(action=AuditAction.TOKEN_ISSUED, actor=user, request=request)
    return token.key


@transaction.atomic
def token_revoke(*, user: Any, request: HttpRequest | Request) -> None:
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()
    audit_record(action=AuditAction.TOKEN_REVOKED, actor=user, request=request)


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
