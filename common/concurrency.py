"""Optimistic concurrency: an edit is written only onto the version its editor saw.

A model that people edit in forms carries ``version = version_field()``. Its edit page and its
API update send back the version they read; the service changes the fields on the row it
read and calls :func:`save_versioned`, which writes them with one
``UPDATE … WHERE id = %s AND version = %s`` that also bumps the version. When someone saved in
between, no row matches: nothing is written and a :class:`StaleEdit` (a
:class:`~common.errors.Conflict`: 409 in the API, the message on the form) says, field by
field, what the other person saved and what this editor sent. Never a silent overwrite.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.errors import Conflict


def version_field() -> models.PositiveIntegerField:
    """The column an edit checks: 1 when the row is made (by the ORM or by a bulk load that
    does not name it), one more at each versioned save."""
    return models.PositiveIntegerField(
        gettext_lazy("版本"), default=1, db_default=1, editable=False
    )


def version_form_field() -> forms.IntegerField:
    """The hidden field an edit form carries the version in (required: an edit that does not
    say which version it was made on is not written)."""
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class StaleEdit(Conflict):
    """An edit made on a version someone else has replaced; ``changes`` lists, per field
    that differs, ``(label, their value, your value)``."""

    def __init__(self, message: Any, changes: list[tuple[str, str, str]]) -> None:
        super().__init__(message)
        self.changes = changes


def _shown(field: models.Field[Any, Any], value: Any) -> str:
    if field.__class__.__name__.startswith("Encrypted"):
        return _("（已修改，不显示）")
    if value is None or value == "" or value == []:
        return _("（空）")
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, models.Model):
        return str(value)
    base = getattr(field, "base_field", None)
    choices = dict((base or field).flatchoices) if (base or field).choices else {}
    if isinstance(value, list | tuple):
        return "、".join(str(choices.get(item, item)) for item in value)
    return str(choices.get(value, value))


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), name
    return field


def _value(obj: models.Model, field: models.Field[Any, Any]) -> Any:
    if field.is_relation:
        return getattr(obj, field.attname)
    return getattr(obj, field.name)


def differences(
    theirs: models.Model, yours: models.Model, fields: Iterable[str]
) -> list[tuple[str, str, str]]:
    """``(label, their value, your value)`` for each of ``fields`` the two rows disagree on;
    fields no one edits (hashes, copied paths) are left out."""
    rows = []
    for name in fields:
        field = _field(type(yours), name)
        if not field.editable or _value(theirs, field) == _value(yours, field):
            continue
        theirs_shown = getattr(theirs, field.name) if field.is_relation else _value(theirs, field)
        yours_shown = getattr(yours, field.name) if field.is_relation else _value(yours, field)
        rows.append(
            (
                str(field.verbose_name),
                _shown(field, theirs_shown),
                _shown(field, yours_shown),
            )
        )
    return rows


def stale_message(changes: Sequence[tuple[str, str, str]]) -> str:
    """The Chinese message of a refused stale edit."""
    head = _("保存失败：您编辑期间，他人已修改并保存了这条记录，您的修改未保存。")
    if not changes:
        return head + _("请刷新页面，查看最新内容后重新编辑。")
    lines = "；".join(
        _("%(label)s：他人保存为“%(theirs)s”，您填写的是“%(yours)s”")
        % {"label": label, "theirs": theirs, "yours": yours}
        for label, theirs, yours in changes
    )
    return (
        head
        + _("有差异的内容：%(lines)s。") % {"lines": lines}
        + _("请刷新页面，查看最新内容后重新编辑。")
    )


def save_versioned(obj: models.Model, *, seen: int | None, fields: Iterable[str]) -> None:
    """Write ``fields`` of ``obj`` (already set on it) if its row is still at version ``seen``,
    and bump the version (``obj.version`` follows). ``seen=None`` checks against the version
    ``obj`` was read at. A stale version raises :class:`StaleEdit` and writes nothing.

    Call it inside the service's transaction; fields with ``auto_now`` are stamped here, since
    ``QuerySet.update()`` does not."""
    model = type(obj)
    fields = list(dict.fromkeys(fields))
    expected = obj.version if seen is None else seen  # type: ignore[attr-defined]
    values = {name: _value(obj, _field(model, name)) for name in fields}
    for field in model._meta.concrete_fields:
        if getattr(field, "auto_now", False):
            now = timezone.now()
            setattr(obj, field.attname, now)
            values[field.attname] = now
    values = {
        (_field(model, name).attname if name in fields else name): value
        for name, value in values.items()
    }
    written = model._default_manager.filter(pk=obj.pk, version=expected).update(
        **values, version=F("version") + 1
    )
    if not written:
        theirs = model._default_manager.get(pk=obj.pk)
        changes = differences(theirs, obj, fields)
        raise StaleEdit(stale_message(changes), changes)
    obj.version = expected + 1  # type: ignore[attr-defined]
