"""API credentials: users' named tokens and Open311 clients' keys.

A key is a random secret shown once, when it is made; the database keeps its SHA-256 (a
random 32-byte secret needs no slow hash) and the first characters, so that the owner can tell
keys apart and a leaked database holds nothing that authenticates. Each write takes the actor
and writes its audit row in the same transaction.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiToken, AuditAction, Open311Client
from .policies import can_manage_open311_clients, can_revoke_api_token
from .services import audit_record

if TYPE_CHECKING:
    from django.http import HttpRequest
    from rest_framework.request import Request

#: What a user's token starts with; an Open311 client's key starts with ``OPEN311_KEY_PREFIX``.
TOKEN_KEY_PREFIX = "cgp_"
OPEN311_KEY_PREFIX = "o311_"
#: How many characters of a key are kept in the clear to tell keys apart.
VISIBLE_CHARS = 8
#: ``last_used_at`` is written at most once a minute per token (not one UPDATE per request).
LAST_USED_RESOLUTION = timedelta(minutes=1)


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_prefix(key: str, marker: str = "") -> str:
    return key[: len(marker) + VISIBLE_CHARS] if key.startswith(marker) else key[:VISIBLE_CHARS]


def _new_key(marker: str) -> str:
    return marker + secrets.token_urlsafe(32)


def token_lifetime_days() -> tuple[int, int]:
    """(default, longest) lifetime of a user's token in days (settings ``API_TOKEN_*_DAYS``)."""
    return (
        int(getattr(settings, "API_TOKEN_DEFAULT_DAYS", 90)),
        int(getattr(settings, "API_TOKEN_MAX_DAYS", 365)),
    )


@transaction.atomic
def api_token_issue(
    *,
    user: Any,
    name: str = "",
    days: int | None = None,
    request: HttpRequest | Request | None = None,
) -> tuple[ApiToken, str]:
    """A new named token for the user's own use; returns the row and the key (shown once).
    Not for a password an administrator set, which must first be replaced on the portal.
    Other tokens of the user are left alone: each client has its own and is revoked alone."""
    if getattr(user, "must_change_password", False):
        raise PermissionDenied(_("请先登录门户修改初始密码。"))
    default, longest = token_lifetime_days()
    days = default if days is None else days
    if not 1 <= days <= longest:
        raise ValidationError(
            {"expires_in_days": _("有效期须在 1 到 %(max)s 天之间。") % {"max": longest}}
        )
    name = (name or "").strip()[:100] or _("API 令牌 %(date)s") % {
        "date": timezone.localtime().strftime("%Y-%m-%d %H:%M")
    }
    key = _new_key(TOKEN_KEY_PREFIX)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key_prefix(key, TOKEN_KEY_PREFIX),
        digest=key_digest(key),
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit_record(
        action=AuditAction.TOKEN_ISSUED,
        actor=user,
        request=request,
        target=token,
        detail={"prefix": token.prefix, "expires_at": token.expires_at.isoformat()},
    )
    return token, key


@transaction.atomic
def api_token_revoke(
    *, actor: Any, token: ApiToken, request: HttpRequest | Request | None = None
) -> ApiToken:
    """Revoke one token: the clients using the user's other tokens keep working. The owner
    revokes their own; the security administrator revokes anyone's."""
    if not can_revoke_api_token(actor, token):
        raise PermissionDenied
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor
        locked.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            action=AuditAction.TOKEN_REVOKED,
            actor=actor,
            request=request,
            target=locked,
            detail={"prefix": locked.prefix, "owner": locked.user.get_username()},
        )
    return locked


def api_token_authenticate(key: str, *, ip: str | None = None) -> ApiToken | None:
    """The live token with this key, its ``last_used_at`` brought up to date (None when the
    key is unknown). The caller tells an expired or revoked token from an unknown one."""
    token = ApiToken.objects.select_related("user").filter(digest=key_digest(key)).first()
    if token is None or not token.is_live:
        return token
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=ip)
        token.last_used_at, token.last_used_ip = now, ip
    return token


@transaction.atomic
def open311_client_register(
    *,
    actor: Any,
    client: Open311Client,
    request: HttpRequest | None = None,
) -> str:
    """Register an outside system (its name, account and scope set on ``client``, not yet
    saved): returns its key, shown once. Only the security administrator registers clients
    (三员分立: credentials are security settings)."""
    if not can_manage_open311_clients(actor):
        raise PermissionDenied
    key = _new_key(OPEN311_KEY_PREFIX)
    client.prefix, client.digest = key_prefix(key, OPEN311_KEY_PREFIX), key_digest(key)
    client.created_by = actor
    client.save()
    audit_record(
        action=AuditAction.OPEN311_CLIENT_ADDED,
        actor=actor,
        request=request,
        target=client,
        detail={"prefix": client.prefix, "account": client.account.get_username()},
    )
    return key


@transaction.atomic
def open311_client_update(
    *, actor: Any, client: Open311Client, changed: list[str], request: HttpRequest | None = None
) -> Open311Client:
    """Save a client's changed name, account, scope or switch (its key stays as it is)."""
    if not can_manage_open311_clients(actor):
        raise PermissionDenied
    client.save()
    action = (
        AuditAction.OPEN311_CLIENT_DISABLED
        if "is_active" in changed and not client.is_active
        else AuditAction.UPDATE
    )
    audit_record(
        action=action, actor=actor, request=request, target=client, detail={"fields": changed}
    )
    return client


@transaction.atomic
def open311_key_rotate(
    *, actor: Any, client: Open311Client, request: HttpRequest | None = None
) -> str:
    """A new key for the client (the old one stops working at once); returns it, shown once."""
    if not can_manage_open311_clients(actor):
        raise PermissionDenied
    locked = Open311Client.objects.select_for_update().get(pk=client.pk)
    key = _new_key(OPEN311_KEY_PREFIX)
    locked.prefix, locked.digest = key_prefix(key, OPEN311_KEY_PREFIX), key_digest(key)
    locked.save(update_fields=["prefix", "digest"])
    audit_record(
        action=AuditAction.OPEN311_KEY_ROTATED,
        actor=actor,
        request=request,
        target=locked,
        detail={"prefix": locked.prefix},
    )
    return key


@transaction.atomic
def open311_client_disable(
    *, actor: Any, client: Open311Client, request: HttpRequest | None = None
) -> Open311Client:
    """Switch a client off: its key is refused from the next request on."""
    if not can_manage_open311_clients(actor):
        raise PermissionDenied
    locked = Open311Client.objects.select_for_update().get(pk=client.pk)
    if locked.is_active:
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        audit_record(
            action=AuditAction.OPEN311_CLIENT_DISABLED,
            actor=actor,
            request=request,
            target=locked,
            detail={"prefix": locked.prefix},
        )
    return locked


def open311_client_authenticate(key: str) -> Open311Client | None:
    """The active client with this key (None: unknown or switched off), its last use noted."""
    client = (
        Open311Client.objects.select_related("account")
        .filter(digest=key_digest(key), is_active=True)
        .first()
    )
    if client is None:
        return None
    now = timezone.now()
    if client.last_used_at is None or now - client.last_used_at >= LAST_USED_RESOLUTION:
        Open311Client.objects.filter(pk=client.pk).update(last_used_at=now)
        client.last_used_at = now
    return client
