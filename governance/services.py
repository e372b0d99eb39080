"""Writes to the governance backbone."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import audit_record

from .models import PARENT_LEVEL, Area, AreaLevel


@transaction.atomic
def area_create(*, actor: Any, parent: Area | None, name: str, level: str, code: str) -> Area:
    """Add an area under ``parent``. Levels are strict: a building only under a residential
    area, a residential area only under a community, and so on; codes are unique."""
    expected_parent = PARENT_LEVEL[level]
    if expected_parent is None and parent is not None:
        raise ValidationError(_("区（县）级区域只能作为根节点。"))
    if expected_parent is not None and (parent is None or parent.level != expected_parent):
        raise ValidationError(
            _("“%(level)s”只能建在“%(parent)s”之下。")
            % {"level": AreaLevel(level).label, "parent": AreaLevel(expected_parent).label}
        )
    if Area.objects.filter(code=code).exists():
        raise ValidationError(_("区划代码 %(code)s 已存在。") % {"code": code})
    fields = {"name": name, "level": level, "code": code}
    if parent is None:
        area = Area.objects.add_root(create_kwargs=fields)
    else:
        area = Area.objects.add_child(parent, create_kwargs=fields)
    audit_record(action=AuditAction.CREATE, actor=actor, username="system", target=area)
    return area
