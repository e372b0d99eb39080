"""The territory tree: adding, renaming, moving and (de)activating areas. A move rewrites
every denormalised copy of the moved paths (households, residents, members, needs, party
organisations, and what other apps register) in the move's transaction."""

from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import audit_record
from governance import policies
from governance.models import PARENT_LEVEL, Area, AreaLevel
from governance.text import pinyin_initials

from .base import require, system_or

#: Every column holding a copy of an area's materialised path ("app_label.Model", field).
#: ``area_move`` rewrites them all in the move's transaction; other apps add theirs with
#: :func:`register_area_path_copy` from their AppConfig.ready().
AREA_PATH_COPIES: list[tuple[str, str]] = [
    ("governance.PartyOrg", "area_path"),
    ("governance.Household", "area_path"),
    ("governance.Resident", "area_path"),
    ("governance.PartyMember", "area_path"),
    ("governance.NeedsLedger", "area_path"),
]


def register_area_path_copy(model_label: str, field: str) -> None:
    if (model_label, field) not in AREA_PATH_COPIES:
        AREA_PATH_COPIES.append((model_label, field))


#: Foreign keys holding an ancestor of the row's area at a fixed level ("app_label.Model",
#: path field, foreign key, level): a case's street and community. ``area_move`` points them at
#: the ancestor the moved path now lies under.
AREA_ANCESTOR_COPIES: list[tuple[str, str, str, str]] = []


def register_area_ancestor_copy(model_label: str, path_field: str, fk: str, level: str) -> None:
    entry = (model_label, path_field, fk, level)
    if entry not in AREA_ANCESTOR_COPIES:
        AREA_ANCESTOR_COPIES.append(entry)


def check_area_level(level: str, parent: Area | None) -> None:
    expected_parent = PARENT_LEVEL[level]
    if expected_parent is None and parent is not None:
        raise ValidationError(_("区（县）级区域只能作为根节点。"))
    if expected_parent is not None and (parent is None or parent.level != expected_parent):
        raise ValidationError(
            _("“%(level)s”只能建在“%(parent)s”之下。")
            % {"level": AreaLevel(level).label, "parent": AreaLevel(expected_parent).label}
        )


def area_next_code(parent: Area) -> str:
    """A generated code for a node without an official one: the parent's code and a 3-digit
    number, the first free one after the parent's children (小区 of 370405001001 are
    370405001001001, …)."""
    taken = set(
        Area.objects.filter(code__startswith=parent.code, depth=parent.depth + 1).values_list(
            "code", flat=True
        )
    )
    number = len(taken) + 1
    while f"{parent.code}{number:03d}" in taken:
        number += 1
    if number > 999:
        raise ValidationError(_("“%(name)s”下的自动编码已用尽。") % {"name": parent.name})
    return f"{parent.code}{number:03d}"


@transaction.atomic
def area_create(*, actor: Any, parent: Area | None, name: str, level: str, code: str = "") -> Area:
    """Add an area under ``parent``. Levels are strict: a building only under a residential
    area, a residential area only under a community, and so on; codes are unique, generated
    from the parent's code when none is given."""
    system_or(actor, policies.can_maintain_tree(actor))
    check_area_level(level, parent)
    name = name.strip()
    if not name:
        raise ValidationError(_("请填写名称。"))
    if parent is not None:
        # Lock the parent: concurrent inserts under it would take the same path or code.
        parent = Area.objects.select_for_update().get(pk=parent.pk)
        if not parent.is_active:
            raise ValidationError(_("“%(name)s”已停用，不能在其下新增。") % {"name": parent.name})
    code = code.strip() or (area_next_code(parent) if parent is not None else "")
    if not code:
        raise ValidationError(_("请填写区划代码。"))
    if Area.objects.filter(code=code).exists():
        raise ValidationError(_("区划代码 %(code)s 已存在。") % {"code": code})
    fields = {"name": name, "level": level, "code": code, "name_initials": pinyin_initials(name)}
    if parent is None:
        area = Area.objects.add_root(create_kwargs=fields)
    else:
        area = Area.objects.add_child(parent, create_kwargs=fields)
    audit_record(action=AuditAction.CREATE, actor=actor, username="system", target=area)
    return area


@transaction.atomic
def area_update(*, actor: Any, area: Area, name: str, code: str) -> Area:
    """Rename an area or correct its code (the pinyin initials follow the name)."""
    require(policies.can_maintain_tree(actor))
    area = Area.objects.select_for_update().get(pk=area.pk)
    name, code = name.strip(), code.strip()
    if not name or not code:
        raise ValidationError(_("名称和区划代码都必须填写。"))
    if Area.objects.filter(code=code).exclude(pk=area.pk).exists():
        raise ValidationError(_("区划代码 %(code)s 已存在。") % {"code": code})
    changed = [f for f, v in (("name", name), ("code", code)) if getattr(area, f) != v]
    area.name, area.code, area.name_initials = name, code, pinyin_initials(name)
    area.save(update_fields=["name", "code", "name_initials"])
    audit_record(action=AuditAction.UPDATE, actor=actor, target=area, detail={"fields": changed})
    return area


def _rewrite_path_copies(old_prefix: str, new_prefix: str) -> dict[str, int]:
    """Replace ``old_prefix`` by ``new_prefix`` at the start of every denormalised path copy:
    one UPDATE per table, each an indexed range scan."""
    counts = {}
    for label, field in AREA_PATH_COPIES:
        model = apps.get_model(label)
        counts[label] = model._default_manager.filter(
            **{f"{field}__startswith": old_prefix}
        ).update(**{field: Concat(Value(new_prefix), Substr(F(field), len(old_prefix) + 1))})
    return counts


#: Depth of each level in the tree (the district is the root, depth 1).
LEVEL_DEPTH = {
    AreaLevel.DISTRICT: 1,
    AreaLevel.STREET: 2,
    AreaLevel.COMMUNITY: 3,
    AreaLevel.RESIDENTIAL_AREA: 4,
    AreaLevel.BUILDING: 5,
}


def _rewrite_ancestor_copies(moved: Area) -> dict[str, int]:
    """Point the registered ancestor foreign keys of every row under the moved subtree at the
    ancestor of the right level on its new path: one UPDATE per column. Only levels above the
    moved node can change (the moved node and its descendants keep their ids)."""
    counts = {}
    for label, path_field, fk, level in AREA_ANCESTOR_COPIES:
        depth = LEVEL_DEPTH[AreaLevel(level)]
        if depth >= moved.depth:
            continue
        model = apps.get_model(label)
        ancestor = Area.objects.filter(
            path=Substr(OuterRef(path_field), 1, Area.steplen * depth)
        ).values("pk")[:1]
        counts[f"{label}.{fk}"] = model._default_manager.filter(
            **{f"{path_field}__startswith": moved.path}
        ).update(**{fk: Subquery(ancestor)})
    return counts


def _recode_moved(area: Area, old_parent: Area, new_parent: Area) -> int:
    """A generated code is the parent's code and a number (``area_next_code``): a moved area
    whose code was made so gets a new one under its new parent, and its subtree's generated
    codes follow. Official codes (区划代码) are left as they are."""
    old_code = area.code
    generated = old_code.startswith(old_parent.code) and len(old_code) == len(old_parent.code) + 3
    if not generated or not old_parent.code:
        return 0
    new_code = area_next_code(new_parent)
    return Area.objects.filter(path__startswith=area.path, code__startswith=old_code).update(
        code=Concat(Value(new_code), Substr("code", len(old_code) + 1))
    )


@transaction.atomic
def area_move(*, actor: Any, area: Area, new_parent: Area) -> Area:
    """Move ``area`` and its whole subtree under ``new_parent`` (as its last child). The new
    parent must be of the level the area hangs under. Every path in the subtree and every
    denormalised copy of those paths (households, residents, members, needs, organisations,
    and those other apps registered) change in the same transaction; the moved rows are locked
    first, so a concurrent insert under them waits."""
    system_or(actor, policies.can_maintain_tree(actor))
    area = Area.objects.select_for_update().get(pk=area.pk)
    new_parent = Area.objects.select_for_update().get(pk=new_parent.pk)
    check_area_level(area.level, new_parent)
    if new_parent.path.startswith(area.path):
        raise ValidationError(_("不能把区域移到它自己之下。"))
    if area.parent_path == new_parent.path:
        return area
    if not new_parent.is_active:
        raise ValidationError(_("“%(name)s”已停用。") % {"name": new_parent.name})
    list(Area.objects.select_for_update().filter(path__startswith=area.path).values_list("id"))
    old_path = area.path
    old_parent = Area.objects.get(path=area.parent_path)
    Area.objects.move(area, new_parent, "last-child")
    area.refresh_from_db()
    counts = _rewrite_path_copies(old_path, area.path)
    counts["codes"] = _recode_moved(area, old_parent, new_parent)
    area.refresh_from_db()
    counts.update(_rewrite_ancestor_copies(area))
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        username="system",
        target=area,
        detail={"moved_to": new_parent.name, "rows": counts},
    )
    return area


@transaction.atomic
def area_set_active(*, actor: Any, area: Area, active: bool) -> int:
    """Deactivate an area and its subtree (history refers to them, so nothing is deleted), or
    reactivate one whose parent is active. Returns how many areas changed."""
    require(policies.can_maintain_tree(actor))
    area = Area.objects.select_for_update().get(pk=area.pk)
    if active:
        if (
            area.depth > 1
            and not Area.objects.filter(path=area.parent_path, is_active=True).exists()
        ):
            raise ValidationError(_("上级区域已停用，请先启用上级区域。"))
        changed = Area.objects.filter(pk=area.pk, is_active=False).update(is_active=True)
    else:
        changed = Area.objects.filter(path__startswith=area.path, is_active=True).update(
            is_active=False
        )
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=area,
        detail={"is_active": active, "areas": changed},
    )
    return changed
