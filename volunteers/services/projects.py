"""三单制: the needs list, co-building projects and their transitions, milestones, evidence.

A transition locks the project row (``select_for_update``), checks the actor's side against
the one table (``volunteers.workflow``: PermissionDenied) and the current state (``Conflict``),
saves the changed fields, appends the timeline row and writes the audit row, all in one
transaction. Of two people changing one project at once the second waits for the lock, then
finds the state changed and is refused with the state it found."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.photos import check_photos
from common.errors import Conflict
from governance.models import Area, Department, NeedKind, NeedsLedger

from .. import policies
from ..deadlines import due_after, warn_day
from ..models import (
    CheckInState,
    CoBuildProject,
    CommunityNeed,
    EvidenceKind,
    NeedSource,
    NeedState,
    ProjectEvent,
    ProjectEvidence,
    ProjectMilestone,
    ProjectState,
    Resource,
    UnitCheckIn,
)
from ..workflow import TRANSITIONS, Action
from .base import audit, author, community_by_path, community_of, require, trusted

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
#: Documents by extension and the bytes they start with (a renamed file is refused).
DOCUMENTS: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "doc": ("application/msword", (b"\xd0\xcf\x11\xe0",)),
    "xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0",)),
}
IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "webp"}


# --- Needs list -------------------------------------------------------------------------------


@transaction.atomic
def need_create(
    *,
    actor: Any,
    community: Area,
    kind: str,
    title: str,
    description: str = "",
    raised_on: date | None = None,
) -> CommunityNeed:
    """A need typed into the community's needs list (需求清单)."""
    community = community_of(community)
    require(trusted(actor) or policies.can_keep(actor, community.path))
    errors: dict[str, str] = {}
    if kind not in NeedKind.values:
        errors["kind"] = _("需求类别无效。")
    title = (title or "").strip()
    if not title:
        errors["title"] = _("请填写需求名称。")
    raised_on = raised_on or timezone.localdate()
    if raised_on > timezone.localdate():
        errors["raised_on"] = _("提出日期不能晚于今天。")
    if errors:
        raise ValidationError(errors)
    need = CommunityNeed.objects.create(
        community=community,
        area_path=community.path,
        source=NeedSource.TYPED,
        kind=kind,
        title=title[:100],
        description=(description or "").strip()[:1000],
        raised_on=raised_on,
        created_by=author(actor),
    )
    audit(actor, need, "need.create", created=True)
    return need


@transaction.atomic
def need_draw(*, actor: Any, entries: Iterable[NeedsLedger]) -> list[CommunityNeed]:
    """Draw entries of the residents' needs ledger into their community's needs list. Only
    what is needed is copied (kind and description), not the household: a project shows the
    need, not who asked. An entry already drawn, or already done, is refused."""
    entries = list(entries)
    if not entries:
        raise ValidationError({"entries": _("请选择要纳入需求清单的台账需求。")})
    drawn = set(
        CommunityNeed.objects.filter(ledger_entry__in=entries).values_list(
            "ledger_entry_id", flat=True
        )
    )
    communities: dict[str, Area] = {}
    needs = []
    for entry in entries:
        require(trusted(actor) or policies.can_keep(actor, entry.area_path))
        if entry.pk in drawn:
            raise ValidationError(
                {"entries": _("台账需求“%(d)s”已在需求清单中。") % {"d": entry.description[:30]}}
            )
        if entry.status == "done":
            raise ValidationError(
                {"entries": _("台账需求“%(d)s”已办结。") % {"d": entry.description[:30]}}
            )
        prefix = entry.area_path[: 3 * Area.steplen]
        community = communities.get(prefix) or community_by_path(prefix)
        communities[prefix] = community
        needs.append(
            CommunityNeed(
                community=community,
                area_path=community.path,
                source=NeedSource.LEDGER,
                ledger_entry=entry,
                kind=entry.kind,
                title=f"{entry.get_kind_display()}：{entry.description[:40]}"[:100],
                description=entry.description,
                raised_on=entry.raised_on,
                created_by=author(actor),
            )
        )
    CommunityNeed.objects.bulk_create(needs)
    for need in needs:
        audit(actor, need, "need.draw", created=True, ledger_entry=need.ledger_entry_id)
    return needs


# --- Projects ---------------------------------------------------------------------------------


def _checked_in(community: Area) -> set[int]:
    return set(
        UnitCheckIn.objects.filter(community=community, state=CheckInState.CONFIRMED).values_list(
            "department_id", flat=True
        )
    )


@transaction.atomic
def project_create(
    *,
    actor: Any,
    community: Area,
    title: str,
    lead_department: Department,
    needs: Sequence[CommunityNeed],
    resources: Sequence[Resource],
    starts_on: date,
    ends_on: date,
    partners: Sequence[Department] = (),
    budget: Decimal = Decimal(0),
    description: str = "",
    milestones: Sequence[dict[str, Any]] = (),
) -> CoBuildProject:
    """A project of the project list (项目清单): it answers at least one need of the
    community with at least one resource of a unit checked in there; the lead unit is one of
    those units. Milestones given with it are checked like later ones; nothing is written
    unless all of it is right."""
    community = community_of(community)
    require(trusted(actor) or policies.can_keep(actor, community.path), _("项目由社区设立。"))
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("请填写项目名称。")
    needs, resources = list(needs), list(resources)
    if not needs:
        errors["needs"] = _("项目须对应至少一项需求（需求清单）。")
    elif any(n.area_path != community.path for n in needs):
        errors["needs"] = _("只能选择本社区需求清单中的需求。")
    elif any(n.state == NeedState.DONE for n in needs):
        errors["needs"] = _("所选需求中有已解决的需求。")
    if not resources:
        errors["resources"] = _("项目须使用至少一项资源（资源清单）。")
    elif any(r.area_path != community.path for r in resources):
        errors["resources"] = _("只能选择在本社区报到单位的资源。")
    units = _checked_in(community)
    if lead_department.pk not in units:
        errors["lead_department"] = _("牵头单位须已在本社区报到并经确认。")
    elif resources and any(r.department_id not in units for r in resources):
        errors["resources"] = _("所选资源的单位尚未在本社区确认报到。")
    partner_ids = sorted({p.pk for p in partners} - {lead_department.pk})
    if budget is None or budget < 0:
        errors["budget"] = _("预算不能为负数。")
    if ends_on < starts_on:
        errors["ends_on"] = _("结束日期不能早于开始日期。")
    if errors:
        raise ValidationError(errors)
    project = CoBuildProject.objects.create(
        community=community,
        area_path=community.path,
        title=title[:100],
        description=(description or "").strip(),
        lead_department=lead_department,
        unit_ids=[lead_department.pk, *partner_ids],
        budget=budget,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=author(actor),
    )
    project.partners.set(partner_ids)
    project.needs.set(needs)
    project.resources.set(resources)
    CommunityNeed.objects.filter(pk__in=[n.pk for n in needs], state=NeedState.OPEN).update(
        state=NeedState.MATCHED
    )
    for milestone in milestones:
        _milestone(project, **milestone)
    ProjectEvent.objects.create(
        project=project,
        area_path=project.area_path,
        action=Action.PROPOSE,
        from_state="",
        to_state=project.state,
        actor=author(actor),
    )
    audit(actor, project, "project.create", created=True)
    return project


def _lock(project: CoBuildProject | int) -> CoBuildProject:
    pk = project if isinstance(project, int) else project.pk
    locked: CoBuildProject = CoBuildProject.objects.select_for_update(of=("self",)).get(pk=pk)
    return locked


def _begin(
    project: CoBuildProject | int, actor: Any, action: str, expected_state: str | None
) -> CoBuildProject:
    """Lock the row, then check the side (403) and the state (409). ``expected_state`` is the
    state the user saw: a change in between is refused even if the action would still fit."""
    locked = _lock(project)
    transition = TRANSITIONS[action]
    if not (trusted(actor) or policies.can_take(actor, action, locked)):
        require(False, _("您无权对该项目执行“%(action)s”。") % {"action": transition.label})
    if expected_state and locked.state != expected_state:
        raise Conflict(
            _("项目已被他人改为“%(state)s”，未执行“%(action)s”，请刷新后查看。")
            % {"state": locked.get_state_display(), "action": transition.label}
        )
    if locked.state not in transition.sources:
        raise Conflict(
            _("项目当前为“%(state)s”，不能“%(action)s”，请刷新后查看。")
            % {"state": locked.get_state_display(), "action": transition.label}
        )
    return locked


def _finish(
    project: CoBuildProject, *, actor: Any, action: str, before: str, fields: list[str], note: str
) -> CoBuildProject:
    project.save(update_fields=sorted({*fields, "updated_at"}))
    ProjectEvent.objects.create(
        project=project,
        area_path=project.area_path,
        action=action,
        from_state=before,
        to_state=project.state,
        actor=author(actor),
        note=note[:500],
    )
    audit(actor, project, f"project.{action}", transition=action, to=project.state)
    return project


def _note(note: str, message: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": message})
    return note


def _move(
    actor: Any, project: Any, action: str, note: str, expected_state: str | None
) -> CoBuildProject:
    locked = _begin(project, actor, action, expected_state)
    before = locked.state
    target = TRANSITIONS[action].target
    assert target is not None
    locked.state = target
    return _finish(locked, actor=actor, action=action, before=before, fields=["state"], note=note)


@transaction.atomic
def project_agree(
    *, actor: Any, project: CoBuildProject | int, note: str = "", expected_state: str | None = None
) -> CoBuildProject:
    """The community and the units agree on the project (确定立项)."""
    return _move(actor, project, Action.AGREE, note, expected_state)


@transaction.atomic
def project_start(
    *, actor: Any, project: CoBuildProject | int, note: str = "", expected_state: str | None = None
) -> CoBuildProject:
    return _move(actor, project, Action.START, note, expected_state)


@transaction.atomic
def project_complete(
    *, actor: Any, project: CoBuildProject | int, note: str, expected_state: str | None = None
) -> CoBuildProject:
    """Done: its needs count as solved. Milestones still open are closed with it."""
    note = _note(note, _("请说明项目完成情况。"))
    locked = _move(actor, project, Action.COMPLETE, note, expected_state)
    CommunityNeed.objects.filter(projects=locked).update(state=NeedState.DONE)
    ProjectMilestone.objects.filter(project=locked, done_on__isnull=True).update(
        done_on=timezone.localdate()
    )
    return locked


@transaction.atomic
def project_cancel(
    *, actor: Any, project: CoBuildProject | int, note: str, expected_state: str | None = None
) -> CoBuildProject:
    """Cancelled with a reason; its needs go back to the list unless another live project
    answers them."""
    note = _note(note, _("请填写取消的原因。"))
    locked = _move(actor, project, Action.CANCEL, note, expected_state)
    live = CoBuildProject.objects.exclude(pk=locked.pk).exclude(state=ProjectState.CANCELLED)
    CommunityNeed.objects.filter(projects=locked, state=NeedState.MATCHED).exclude(
        projects__in=live
    ).update(state=NeedState.OPEN)
    return locked


@transaction.atomic
def project_rate(
    *,
    actor: Any,
    project: CoBuildProject | int,
    rating: int | None,
    note: str = "",
    expected_state: str | None = None,
) -> CoBuildProject:
    """The community's rating of a completed project, one to five stars, given once."""
    if rating is None or not 1 <= int(rating) <= 5:
        raise ValidationError({"rating": _("评价须为 1 至 5 星。")})
    locked = _begin(project, actor, Action.RATE, expected_state)
    if locked.rating is not None:
        raise Conflict(_("该项目已评价（%(n)s 星），不能重复评价。") % {"n": locked.rating})
    locked.rating = int(rating)
    locked.rating_note = (note or "").strip()[:500]
    locked.rated_at = timezone.now()
    return _finish(
        locked,
        actor=actor,
        action=Action.RATE,
        before=locked.state,
        fields=["rating", "rating_note", "rated_at"],
        note=locked.rating_note,
    )


SERVICES = {
    Action.AGREE: project_agree,
    Action.START: project_start,
    Action.COMPLETE: project_complete,
    Action.CANCEL: project_cancel,
}


def project_transition(
    *,
    actor: Any,
    project: CoBuildProject | int,
    action: str,
    note: str = "",
    rating: int | None = None,
    expected_state: str | None = None,
) -> CoBuildProject:
    """The one entry for pages and the API: the action's service of the table."""
    if action == Action.RATE:
        return project_rate(
            actor=actor, project=project, rating=rating, note=note, expected_state=expected_state
        )
    service = SERVICES.get(action)
    if service is None:
        raise ValidationError({"action": _("未知的操作。")})
    return service(actor=actor, project=project, note=note, expected_state=expected_state)


# --- Milestones -------------------------------------------------------------------------------


def _milestone(
    project: CoBuildProject,
    *,
    title: str,
    due_on: date | None = None,
    working_days: int | None = None,
    starts_on: date | None = None,
    note: str = "",
) -> ProjectMilestone:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写节点名称。")})
    starts_on = starts_on or project.starts_on
    if due_on is None:
        if not working_days or working_days < 1:
            raise ValidationError({"due_on": _("请填写完成期限或工作日数。")})
        due_on = due_after(starts_on, int(working_days))
    if due_on > project.ends_on:
        raise ValidationError(
            {
                "due_on": _("节点“%(t)s”的期限 %(d)s 晚于项目结束日期 %(e)s。")
                % {"t": title, "d": due_on.isoformat(), "e": project.ends_on.isoformat()}
            }
        )
    if due_on < starts_on:
        raise ValidationError({"due_on": _("节点期限不能早于起始日期。")})
    return ProjectMilestone.objects.create(
        project=project,
        area_path=project.area_path,
        title=title[:100],
        starts_on=starts_on,
        due_on=due_on,
        warn_on=warn_day(starts_on, due_on),
        note=(note or "").strip()[:300],
    )


@transaction.atomic
def milestone_add(
    *,
    actor: Any,
    project: CoBuildProject | int,
    title: str,
    due_on: date | None = None,
    working_days: int | None = None,
    starts_on: date | None = None,
    note: str = "",
) -> ProjectMilestone:
    """A milestone due by a date, or after a number of working days (the case calendar);
    never after the project's end."""
    locked = _lock(project)
    require(trusted(actor) or policies.can_report_progress(actor, locked))
    if locked.state in (ProjectState.COMPLETED, ProjectState.CANCELLED):
        raise Conflict(
            _("项目已%(state)s，不能再添加节点。") % {"state": locked.get_state_display()}
        )
    milestone = _milestone(
        locked, title=title, due_on=due_on, working_days=working_days, starts_on=starts_on,
        note=note,
    )  # fmt: skip
    audit(actor, milestone, "milestone.add", created=True)
    return milestone


@transaction.atomic
def milestone_done(
    *, actor: Any, milestone: ProjectMilestone, done_on: date | None = None
) -> ProjectMilestone:
    locked = (
        ProjectMilestone.objects.select_for_update().select_related("project").get(pk=milestone.pk)
    )
    require(trusted(actor) or policies.can_report_progress(actor, locked.project))
    if locked.done_on is not None:
        raise Conflict(_("该节点已于 %(d)s 完成。") % {"d": locked.done_on.isoformat()})
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("完成日期不能晚于今天。")})
    locked.done_on = done_on
    locked.save(update_fields=["done_on"])
    audit(actor, locked, "milestone.done")
    return locked


# --- Evidence ---------------------------------------------------------------------------------


def _document(upload: UploadedFile) -> tuple[ContentFile[bytes], str]:
    name = upload.name or "document"
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in DOCUMENTS:
        raise ValidationError(
            {
                "file": _("“%(name)s”须为图片（JPEG/PNG/WebP）或 PDF、Word、Excel 文件。")
                % {"name": name}
            }
        )
    if (upload.size or 0) > MAX_DOCUMENT_BYTES:
        raise ValidationError({"file": _("文件“%(name)s”超过 20 MB。") % {"name": name}})
    data = upload.read()
    content_type, magic = DOCUMENTS[extension]
    if not any(data.startswith(m) for m in magic):
        raise ValidationError({"file": _("“%(name)s”的内容与其扩展名不符。") % {"name": name}})
    return ContentFile(data, name=f"doc.{extension}"), content_type


@transaction.atomic
def evidence_add(
    *, actor: Any, project: CoBuildProject | int, upload: UploadedFile, caption: str = ""
) -> ProjectEvidence:
    """A photo (checked like a case photo, with a thumbnail) or a document of the project."""
    locked = _lock(project)
    require(trusted(actor) or policies.can_report_progress(actor, locked))
    if locked.state == ProjectState.CANCELLED:
        raise Conflict(_("项目已取消，不能再上传材料。"))
    name = upload.name or "file"
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in IMAGE_EXTENSIONS:
        try:
            (photo,) = check_photos([upload])
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from None
        evidence = ProjectEvidence(
            kind=EvidenceKind.PHOTO, content_type=photo.content_type, size=photo.size
        )
        evidence.file.save(photo.image.name or "photo", photo.image, save=False)
        evidence.thumbnail.save(photo.thumbnail.name or "thumb.jpg", photo.thumbnail, save=False)
    else:
        content, content_type = _document(upload)
        evidence = ProjectEvidence(
            kind=EvidenceKind.DOCUMENT, content_type=content_type, size=len(content)
        )
        evidence.file.save(content.name or "doc", content, save=False)
    evidence.project = locked
    evidence.area_path = locked.area_path
    evidence.original_name = name[:200]
    evidence.caption = (caption or "").strip()[:200]
    evidence.uploaded_by = author(actor)
    evidence.save()
    audit(actor, evidence, "evidence.add", created=True)
    return evidence
