from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.units import only_unit_q, unit_foreign_keys, unit_of

from .personal_data import EncryptedCharField
from .roles import ROLE_SCOPE_KIND, Role, ScopeKind


class TextSize(models.TextChoices):
    """适老化: the text size a user reads at, drawn by a class on <html> (static/css/portal.css)."""

    STANDARD = "standard", _("标准")
    LARGE = "large", _("大")
    XLARGE = "xlarge", _("特大")


class User(AbstractUser):
    """A portal user. Residents are not users; staff, officials and grid workers are."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    text_size = models.CharField(
        _("字号"), max_length=8, choices=TextSize.choices, default=TextSize.STANDARD
    )
    phone = EncryptedCharField(_("手机号"), blank=True, default="")
    must_change_password = models.BooleanField(
        _("下次登录须修改密码"),
        default=False,
        help_text=_("管理员设置或重置的密码只用于首次登录，登录后须改为本人设置的密码。"),
    )
    # first_name / last_name do not fit Chinese names; full_name replaces them on every page.
    objects: ClassVar[UserManager["User"]] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["username"]
        permissions = [("unmask_personal_data", _("查看居民身份证号、手机号明文"))]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.username})" if self.full_name else self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


def _scope_kind_check() -> Q:
    """A role's grant names a unit of the kind its role is scoped to, and nothing else."""
    condition = Q()
    for kind in (ScopeKind.AREA, ScopeKind.DEPARTMENT, ScopeKind.COMPANY):
        roles = [role for role, scope_kind in ROLE_SCOPE_KIND.items() if scope_kind == kind]
        condition |= Q(role__in=roles) & only_unit_q(kind, area_field="area")
    return condition


class RoleGrant(models.Model):
    """A (user, role, scope) grant. An area grant covers the area's whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="grants",
        verbose_name=_("用户"),
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    area, department, company = unit_foreign_keys(
        related_name="grants",
        area_related_name="grants",
        labels=(_("区域"), _("区直部门"), _("物业企业")),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("授权人"),
    )
    created_at = models.DateTimeField(_("授权时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.CheckConstraint(condition=_scope_kind_check(), name="rolegrant_scope_fits_role"),
            models.UniqueConstraint(
                fields=["user", "role", "area", "department", "company"],
                nulls_distinct=False,
                name="rolegrant_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.scope_label}"

    @property
    def scope(self) -> Any:
        return unit_of(self, area_field="area")

    @property
    def scope_label(self) -> str:
        scope = self.scope
        return str(scope) if scope is not None else ""


class AuditAction(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出")
    LOCKED_OUT = "locked_out", _("账号锁定")
    UNLOCK = "unlock", _("解除锁定")
    ACCESS_DENIED = "access_denied", _("拒绝访问")
    SESSION_EXPIRED = "session_expired", _("会话超时")
    TOKEN_ISSUED = "token_issued", _("签发令牌")
    TOKEN_REVOKED = "token_revoked", _("吊销令牌")
    OPEN311_CLIENT_ADDED = "open311_client_added", _("登记 Open311 客户端")
    OPEN311_KEY_ROTATED = "open311_key_rotated", _("更换 Open311 密钥")
    OPEN311_CLIENT_DISABLED = "open311_client_disabled", _("停用 Open311 客户端")
    GRANT_ADDED = "grant_added", _("新增授权")
    GRANT_REMOVED = "grant_removed", _("撤销授权")
    GRANT_CHANGED = "grant_changed", _("变更授权")
    USER_DEACTIVATED = "user_deactivated", _("停用账号")
    USER_ACTIVATED = "user_activated", _("启用账号")
    PASSWORD_RESET = "password_reset", _("重置密码")
    PASSWORD_CHANGED = "password_changed", _("修改密码")
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    UNMASK = "unmask", _("查看明文")
    EXPORT = "export", _("导出")
    PREFERENCE = "preference", _("修改偏好")
    TWO_FACTOR_ENROLLED = "otp_enrolled", _("启用双因素认证")
    TWO_FACTOR_VERIFIED = "otp_verified", _("双因素验证通过")
    TWO_FACTOR_FAILED = "otp_failed", _("双因素验证失败")
    RECOVERY_CODE_USED = "otp_recovery_used", _("使用恢复码")
    RECOVERY_CODES_RENEWED = "otp_recovery_renewed", _("重新生成恢复码")
    TWO_FACTOR_RESET = "otp_reset", _("重置双因素认证")


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", _("成功")
    FAILURE = "failure", _("失败")
    DENIED = "denied", _("拒绝")


class AuditLogQuerySet(models.QuerySet["AuditLog"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("审计日志只能追加，不能修改 (the audit log is append-only)")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("审计日志只能追加，不能删除 (the audit log is append-only)")


class AuditLog(models.Model):
    """Append-only record of who did what. A database trigger refuses UPDATE and DELETE."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("用户"),
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True, db_index=True)
    action = models.CharField(_("操作"), max_length=32, choices=AuditAction.choices)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    outcome = models.CharField(_("结果"), max_length=16, choices=AuditOutcome.choices)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["action", "-at"], name="auditlog_action_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.get_action_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("审计日志只能追加，不能修改 (the audit log is append-only)")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("审计日志只能追加，不能删除 (the audit log is append-only)")


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def live(self) -> "ApiTokenQuerySet":
        """Tokens that still authenticate: not revoked and not past their expiry."""
        from django.utils import timezone

        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """One named API token of a user (a script, the hotline's client, a phone). A user holds
    several, each expiring and revocable on its own. Only the SHA-256 of the secret is kept;
    ``prefix`` (the key's first characters) lets the owner tell tokens apart."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("用户"),
    )
    name = models.CharField(_("名称"), max_length=100)
    prefix = models.CharField(_("前缀"), max_length=16, editable=False)
    digest = models.CharField(_("摘要"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(_("最近使用 IP"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("吊销人"),
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="apitoken_user_created")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_live(self) -> bool:
        from django.utils import timezone

        return self.revoked_at is None and self.expires_at > timezone.now()


class Open311Client(models.Model):
    """An outside system (the 12345 hotline, a city app) registered to use Open311 with its own
    ``api_key``. It files and reads cases as ``account`` (whose grants bound what it may see
    and where it may report), narrowed further by ``areas`` and ``service_codes`` (empty: no
    further limit). Only the SHA-256 of the key is kept."""

    name = models.CharField(_("客户端名称"), max_length=100, unique=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="open311_clients",
        verbose_name=_("代理账号"),
        help_text=_("客户端以该账号的身份上报和查询，不超出该账号的授权范围。"),
    )
    prefix = models.CharField(_("前缀"), max_length=16, editable=False)
    digest = models.CharField(_("摘要"), max_length=64, unique=True, editable=False)
    areas = models.ManyToManyField(
        "governance.Area",
        blank=True,
        related_name="+",
        verbose_name=_("限定区域"),
        help_text=_("只能在这些区域（含下级）上报和查询；不选则不另加限制。"),
    )
    service_codes = models.JSONField(
        _("限定服务代码"),
        default=list,
        blank=True,
        help_text=_("只能上报和查询这些类别（小类代码或其大类代码）；留空则不另加限制。"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 客户端")
        verbose_name_plural = _("Open311 客户端")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
