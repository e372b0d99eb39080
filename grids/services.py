"""Every write of the grids app: keyword-only, in a transaction, with its audit row.

Concurrency: changes to a grid's coverage lock the community's row, so two people dividing the
same community never both win one building; staffing changes lock the grid's row, so two
people naming a leader at once give one leader and one clear refusal.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import audit_record
from cases.models import Case, CaseSource, Category
from cases.services import case_report
from governance.models import Area, AreaLevel

from . import geo, policies
from .models import (
    GRADES,
    SINGLE_POSTS,
    CommunityWorker,
    GradeChange,
    Grid,
    GridCoverage,
    GridPost,
    GridStaffing,
    ModelPost,
    RecruitmentStatus,
    Station,
    Training,
    Visit,
    VisitProblem,
)

GRID_FIELDS = ("code", "name", "kind", "boundary", "is_active", "note")
WORKER_FIELDS = ("name", "duty", "status", "is_party_member", "hired_on", "note", "user")
STATION_FIELDS = (
    "kind",
    "name",
    "residential_area",
    "address",
    "longitude",
    "latitude",
    "opening_hours",
    "services",
    "opened_on",
    "is_active",
)
#: Case titles are this long at most (``cases.Case.title``).
CASE_TITLE_LENGTH = 100


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _check_community(community: Area) -> None:
    if community.level != AreaLevel.COMMUNITY:
        raise ValidationError({"community": _("网格只能建在社区之下。")})


def _set_boundary(grid: Grid, boundary: Any) -> None:
    try:
        grid.boundary = geo.parse_boundary(boundary)
    except ValidationError as exc:
        raise ValidationError({"boundary": exc.messages}) from exc
    grid.min_lon, grid.min_lat, grid.max_lon, grid.max_lat = geo.bounds_of(grid.boundary)


def _check_grid_code(code: str, exclude: int | None = None) -> None:
    taken = Grid.objects.filter(code=code)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationError({"code": _("网格编码 %(code)s 已被使用。") % {"code": code}})


@transaction.atomic
def grid_create(
    *,
    actor: Any,
    community: Area,
    code: str,
    name: str,
    kind: str,
    boundary: Any = None,
    note: str = "",
) -> Grid:
    """Add a grid to a community the actor keeps (community, street or district office)."""
    _check_community(community)
    _require(actor is None or policies.can_manage_grids(actor, community.path))
    _check_grid_code(code)
    if Grid.objects.filter(community=community, name=name).exists():
        raise ValidationError({"name": _("本社区已有同名网格。")})
    grid = Grid(community=community, area_path=community.path, code=code, name=name, kind=kind)
    grid.note = note
    _set_boundary(grid, boundary)
    grid.full_clean(exclude=["boundary"])
    grid.save()
    audit_record(action=AuditAction.CREATE, actor=actor, username="system", target=grid)
    return grid


@transaction.atomic
def grid_update(*, actor: Any, grid: Grid, **changes: Any) -> Grid:
    """Change a grid's name, code, kind, boundary, note or active flag. Reactivating a grid
    puts its coverage back only where no other active grid took the areas meanwhile."""
    unknown = set(changes) - set(GRID_FIELDS)
    if unknown:
        raise TypeError(f"grid_update: unknown fields {sorted(unknown)}")
    grid = Grid.objects.select_for_update().get(pk=grid.pk)
    _require(actor is None or policies.can_manage_grids(actor, grid.area_path))
    if "code" in changes and changes["code"] != grid.code:
        _check_grid_code(changes["code"], exclude=grid.pk)
    renamed = "name" in changes and changes["name"] != grid.name
    same_name = Grid.objects.filter(community_id=grid.community_id, name=changes.get("name"))
    if renamed and same_name.exclude(pk=grid.pk).exists():
        raise ValidationError({"name": _("本社区已有同名网格。")})
    was_active = grid.is_active
    for field, value in changes.items():
        if field == "boundary":
            _set_boundary(grid, value)
        else:
            setattr(grid, field, value)
    grid.full_clean(exclude=["boundary"])
    grid.save()
    if was_active and not grid.is_active:
        grid.coverages.filter(is_active=True).update(is_active=False)
    elif grid.is_active and not was_active:
        _lock_community(grid.community_id)
        for coverage in grid.coverages.filter(is_active=False):
            conflict = _overlapping_coverage(coverage.area_path, grid.community.path)
            if conflict is not None:
                raise ValidationError(
                    _("“%(area)s”已划入网格“%(grid)s”，本网格不能恢复启用。")
                    % {"area": coverage.area.name, "grid": conflict.grid.name}
                )
            coverage.is_active = True
            coverage.save(update_fields=["is_active"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        username="system",
        target=grid,
        detail={"fields": sorted(changes)},
    )
    return grid


def _lock_community(community_id: int) -> None:
    list(Area.objects.select_for_update().filter(pk=community_id).values_list("pk"))


def _overlapping_coverage(path: str, community_path: str) -> GridCoverage | None:
    """The active coverage of the same community that is this area, above it or below it."""
    ancestors = [path[:end] for end in range(Area.steplen, len(path) + 1, Area.steplen)]
    return (
        GridCoverage.objects.filter(is_active=True, area_path__startswith=community_path)
        .filter(Q(area_path__in=ancestors) | Q(area_path__startswith=path))
        .select_related("grid", "area")
        .first()
    )


@transaction.atomic
def grid_cover_area(*, actor: Any, grid: Grid, area: Area) -> GridCoverage:
    """Put a residential area or a building of the grid's community into the grid.

    No building lies in two active grids: an area is refused when it, a residential area above
    it or a building below it is already in an active grid (this one or another)."""
    _require(actor is None or policies.can_manage_grids(actor, grid.area_path))
    if area.level not in (AreaLevel.RESIDENTIAL_AREA, AreaLevel.BUILDING):
        raise ValidationError({"area": _("网格只能覆盖小区或楼栋。")})
    if not area.path.startswith(grid.area_path):
        raise ValidationError({"area": _("只能划入本社区的小区或楼栋。")})
    _lock_community(grid.community_id)
    grid = Grid.objects.get(pk=grid.pk)
    if not grid.is_active:
        raise ValidationError(_("网格已停用，不能划入区域。"))
    conflict = _overlapping_coverage(area.path, grid.area_path)
    if conflict is not None:
        raise ValidationError(
            {
                "area": _(
                    "“%(area)s”与网格“%(grid)s”已覆盖的“%(covered)s”重叠：一栋楼只能属于一个网格。"
                )
                % {"area": area.name, "grid": conflict.grid.name, "covered": conflict.area.name}
            }
        )
    try:
        with transaction.atomic():
            coverage = GridCoverage.objects.create(grid=grid, area=area, area_path=area.path)
    except IntegrityError as exc:
        raise ValidationError({"area": _("该区域已划入其他网格。")}) from exc
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        username="system",
        target=coverage,
        detail={"grid": grid.pk, "area": area.pk},
    )
    return coverage


@transaction.atomic
def grid_uncover_area(*, actor: Any, coverage: GridCoverage) -> None:
    _require(actor is None or policies.can_manage_grids(actor, coverage.grid.area_path))
    audit_record(
        action=AuditAction.DELETE,
        actor=actor,
        username="system",
        target=coverage,
        detail={"grid": coverage.grid_id, "area": coverage.area_id},
    )
    GridCoverage.objects.filter(pk=coverage.pk).delete()


@transaction.atomic
def staffing_assign(
    *,
    actor: Any,
    grid: Grid,
    post: str,
    started_on: date,
    worker: CommunityWorker | None = None,
    person_name: str = "",
    note: str = "",
) -> GridStaffing:
    """Give someone a post on a grid from ``started_on``.

    A grid has one leader and one party secretary at a time: naming a new one ends the
    current holder's term the day before (the history keeps both). Grid workers are posted
    from the community workers of the grid's own community who are not gone."""
    _require(actor is None or policies.can_manage_grids(actor, grid.area_path))
    grid = Grid.objects.select_for_update().get(pk=grid.pk)
    if post not in GridPost.values:
        raise ValidationError({"post": _("网格职务无效。")})
    if post == GridPost.WORKER and worker is None:
        raise ValidationError({"worker": _("网格员须从本社区的社区工作者中选派。")})
    if worker is not None:
        if worker.community_id != grid.community_id:
            raise ValidationError({"worker": _("只能选派本社区的社区工作者。")})
        if worker.status == RecruitmentStatus.LEFT:
            raise ValidationError({"worker": _("该社区工作者已离职。")})
        person_name = worker.name
    person_name = person_name.strip()
    if not person_name:
        raise ValidationError({"person_name": _("请填写姓名。")})
    current = GridStaffing.objects.filter(grid=grid, post=post, ended_on__isnull=True)
    if worker is not None and current.filter(worker=worker).exists():
        raise ValidationError(
            {"worker": _("%(name)s 已在本网格担任该职务。") % {"name": person_name}}
        )
    if post in SINGLE_POSTS:
        for previous in current:
            if previous.started_on > started_on:
                raise ValidationError(
                    {
                        "started_on": _("任职日期不能早于现任者的任职日期 %(day)s。")
                        % {"day": previous.started_on}
                    }
                )
            previous.ended_on = started_on
            previous.save(update_fields=["ended_on"])
    staffing = GridStaffing.objects.create(
        grid=grid,
        area_path=grid.area_path,
        post=post,
        worker=worker,
        person_name=person_name,
        started_on=started_on,
        note=note,
    )
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        username="system",
        target=staffing,
        detail={"grid": grid.pk, "post": post},
    )
    return staffing


@transaction.atomic
def staffing_end(*, actor: Any, staffing: GridStaffing, ended_on: date) -> GridStaffing:
    """End a term. A term that has already ended cannot be ended again (two clicks: one wins)."""
    _require(actor is None or policies.can_manage_grids(actor, staffing.area_path))
    if ended_on < staffing.started_on:
        raise ValidationError({"ended_on": _("离任日期不能早于任职日期。")})
    updated = GridStaffing.objects.filter(pk=staffing.pk, ended_on__isnull=True).update(
        ended_on=ended_on
    )
    if not updated:
        raise ValidationError(_("该任职记录已结束。"))
    staffing.ended_on = ended_on
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        username="system",
        target=staffing,
        detail={"ended_on": ended_on.isoformat()},
    )
    return staffing


@transaction.atomic
def worker_create(
    *,
    actor: Any,
    community: Area,
    name: str,
    post: str,
    grade: int,
    duty: str = "",
    status: str = RecruitmentStatus.ACTIVE,
    is_party_member: bool = False,
    hired_on: date | None = None,
    user: Any = None,
    note: str = "",
) -> CommunityWorker:
    """Add a community worker with a starting post and grade (its first grade-history row)."""
    if community.level != AreaLevel.COMMUNITY:
        raise ValidationError({"community": _("社区工作者须属于一个社区。")})
    _require(actor is None or policies.can_manage_workers(actor, community.path))
    if user is not None and CommunityWorker.objects.filter(user=user).exists():
        raise ValidationError({"user": _("该账号已关联其他社区工作者。")})
    worker = CommunityWorker(
        community=community,
        area_path=community.path,
        name=name.strip(),
        post=post,
        grade=grade,
        duty=duty,
        status=status,
        is_party_member=is_party_member,
        hired_on=hired_on,
        user=user,
        note=note,
    )
    worker.full_clean()
    worker.save()
    GradeChange.objects.create(
        worker=worker,
        area_path=worker.area_path,
        post=post,
        grade=grade,
        effective_on=hired_on or timezone.localdate(),
        reason=_("入职定岗定级"),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(action=AuditAction.CREATE, actor=actor, username="system", target=worker)
    return worker


@transaction.atomic
def worker_update(*, actor: Any, worker: CommunityWorker, **changes: Any) -> CommunityWorker:
    """Change a worker's profile, 五员 duty or recruitment status (not the grade: see
    :func:`worker_grade_change`). A worker who leaves gives up their grid posts that day."""
    unknown = set(changes) - set(WORKER_FIELDS)
    if unknown:
        raise TypeError(f"worker_update: unknown fields {sorted(unknown)}")
    worker = CommunityWorker.objects.select_for_update().get(pk=worker.pk)
    _require(actor is None or policies.can_manage_workers(actor, worker.area_path))
    user = changes.get("user")
    if user is not None and CommunityWorker.objects.filter(user=user).exclude(pk=worker.pk):
        raise ValidationError({"user": _("该账号已关联其他社区工作者。")})
    for field, value in changes.items():
        setattr(worker, field, value)
    worker.full_clean()
    worker.save()
    if worker.status == RecruitmentStatus.LEFT:
        today = timezone.localdate()
        worker.staffings.filter(ended_on__isnull=True, started_on__lte=today).update(ended_on=today)
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        username="system",
        target=worker,
        detail={"fields": sorted(changes)},
    )
    return worker


@transaction.atomic
def worker_grade_change(
    *,
    actor: Any,
    worker: CommunityWorker,
    post: str,
    grade: int,
    effective_on: date,
    reason: str = "",
) -> GradeChange:
    """Record a new post and grade from ``effective_on`` (street or district office only).

    The worker's current post and grade follow the latest change in effect today; a change
    dated later than today is refused (enter it on the day it takes effect)."""
    worker = CommunityWorker.objects.select_for_update().get(pk=worker.pk)
    _require(actor is None or policies.can_change_grade(actor, worker.area_path))
    errors: dict[str, str] = {}
    if not 1 <= grade <= GRADES:
        errors["grade"] = _("等级须在 1～%(max)s 级之间。") % {"max": GRADES}
    if effective_on > timezone.localdate():
        errors["effective_on"] = _("生效日期不能晚于今天。")
    if worker.grade_changes.filter(effective_on=effective_on).exists():
        errors["effective_on"] = _("该日期已有一条岗级变动。")
    if errors:
        raise ValidationError(errors)
    change = GradeChange.objects.create(
        worker=worker,
        area_path=worker.area_path,
        post=post,
        grade=grade,
        effective_on=effective_on,
        reason=reason,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    latest = worker.grade_changes.order_by("-effective_on", "-id").first()
    assert latest is not None
    if (worker.post, worker.grade) != (latest.post, latest.grade):
        worker.post, worker.grade = latest.post, latest.grade
        worker.save(update_fields=["post", "grade"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        username="system",
        target=worker,
        detail={"post": post, "grade": grade, "effective_on": effective_on.isoformat()},
    )
    return change


@transaction.atomic
def training_add(
    *,
    actor: Any,
    worker: CommunityWorker,
    course: str,
    hours: Decimal,
    trained_on: date,
    organiser: str = "",
) -> Training:
    _require(actor is None or policies.can_manage_workers(actor, worker.area_path))
    if hours <= 0:
        raise ValidationError({"hours": _("学时须大于 0。")})
    if trained_on > timezone.localdate():
        raise ValidationError({"trained_on": _("培训日期不能晚于今天。")})
    training = Training(
        worker=worker,
        area_path=worker.area_path,
        course=course.strip(),
        hours=hours,
        trained_on=trained_on,
        organiser=organiser.strip(),
    )
    training.full_clean()
    training.save()
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        username="system",
        target=training,
        detail={"worker": worker.pk},
    )
    return training


def _check_station(grid: Grid, fields: dict[str, Any]) -> None:
    estate = fields.get("residential_area")
    if estate is not None and (
        estate.level != AreaLevel.RESIDENTIAL_AREA or not estate.path.startswith(grid.area_path)
    ):
        raise ValidationError({"residential_area": _("须为本网格所在社区的小区。")})
    lon, lat = fields.get("longitude"), fields.get("latitude")
    if (lon is None) != (lat is None):
        raise ValidationError({"longitude": _("经度和纬度须同时填写。")})
    if lon is not None and lat is not None and not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValidationError({"longitude": _("经纬度超出范围。")})


@transaction.atomic
def station_create(*, actor: Any, grid: Grid, **fields: Any) -> Station:
    """Open a red station or grid service station in a grid the actor keeps."""
    unknown = set(fields) - set(STATION_FIELDS)
    if unknown:
        raise TypeError(f"station_create: unknown fields {sorted(unknown)}")
    _require(actor is None or policies.can_manage_grids(actor, grid.area_path))
    _check_station(grid, fields)
    if Station.objects.filter(grid=grid, name=fields.get("name", "")).exists():
        raise ValidationError({"name": _("本网格已有同名驿站。")})
    station = Station(grid=grid, area_path=grid.area_path, **fields)
    station.full_clean()
    station.save()
    audit_record(action=AuditAction.CREATE, actor=actor, username="system", target=station)
    return station


@transaction.atomic
def station_update(*, actor: Any, station: Station, **changes: Any) -> Station:
    unknown = set(changes) - set(STATION_FIELDS)
    if unknown:
        raise TypeError(f"station_update: unknown fields {sorted(unknown)}")
    station = Station.objects.select_for_update().select_related("grid").get(pk=station.pk)
    _require(actor is None or policies.can_manage_grids(actor, station.area_path))
    merged = {field: getattr(station, field) for field in STATION_FIELDS} | changes
    _check_station(station.grid, merged)
    for field, value in changes.items():
        setattr(station, field, value)
    station.full_clean()
    station.save()
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        username="system",
        target=station,
        detail={"fields": sorted(changes)},
    )
    return station


@transaction.atomic
def model_post_add(
    *, actor: Any, station: Station, title: str, member_name: str, since: date, duty: str = ""
) -> ModelPost:
    """Set up a party member model post (党员示范岗) at a station."""
    _require(actor is None or policies.can_manage_grids(actor, station.area_path))
    post = ModelPost(
        station=station,
        title=title.strip(),
        member_name=member_name.strip(),
        since=since,
        duty=duty.strip(),
    )
    post.full_clean()
    post.save()
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        username="system",
        target=post,
        detail={"station": station.pk},
    )
    return post


@transaction.atomic
def visit_log(
    *,
    actor: Any,
    grid: Grid,
    household: Any,
    visited_on: date,
    kind: str,
    heard: str,
    needs: list[tuple[str, str]] | None = None,
    problems: list[tuple[Category, str]] | None = None,
    follow_up_on: date | None = None,
) -> Visit:
    """Log a visit to a household of the grid, in one step with what it found.

    Each need (kind, description) goes into the needs ledger through the governance service.
    Each problem (case category, description) is reported as a case through the case service,
    by the visitor, placed on the household's building: the case desk takes it from there, and
    the problem is solved when its case is closed. All of it is one transaction: if the case
    service refuses a problem (a category that cannot be used, a place outside the visitor's
    area), nothing of the visit is kept and the refusal comes back on ``problems``."""
    _require(actor is None or policies.can_log_visit(actor, grid.area_path))
    errors: dict[str, str] = {}
    if not grid.is_active:
        errors["grid"] = _("网格已停用。")
    building_path = household.building.path
    covered = GridCoverage.objects.filter(grid=grid, is_active=True).values_list(
        "area_path", flat=True
    )
    if not any(building_path.startswith(path) for path in covered):
        errors["household"] = _("该住户不在本网格覆盖的楼栋内。")
    if visited_on > timezone.localdate():
        errors["visited_on"] = _("走访日期不能晚于今天。")
    if follow_up_on is not None and follow_up_on < visited_on:
        errors["follow_up_on"] = _("回访日期不能早于走访日期。")
    heard = heard.strip()
    if not heard:
        errors["heard"] = _("请填写了解到的情况。")
    if errors:
        raise ValidationError(errors)
    visit = Visit.objects.create(
        grid=grid,
        household=household,
        area_path=household.area_path,
        visitor=actor,
        visited_on=visited_on,
        kind=kind,
        heard=heard,
        follow_up_on=follow_up_on,
    )
    from governance.services import need_create

    for need_kind, description in needs or []:
        visit.needs.add(
            need_create(
                actor=actor,
                household=household,
                kind=need_kind,
                description=description,
                raised_on=visited_on,
            )
        )
    reported = []
    for category, description in problems or []:
        description = description.strip()[:500]
        if description:
            case = _report_problem(
                actor=actor, household=household, category=category, description=description
            )
            reported.append(
                VisitProblem.objects.create(
                    visit=visit, area_path=visit.area_path, description=description, case=case
                )
            )
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        username="system",
        target=visit,
        detail={
            "grid": grid.pk,
            "needs": len(needs or []),
            "cases": [problem.case_id for problem in reported],
        },
    )
    return visit


def _report_problem(*, actor: Any, household: Any, category: Category, description: str) -> Case:
    """Report one problem of a visit as a case (source 民情走访) on the household's building.
    A refusal of the case service becomes a message on the visit's ``problems``."""
    try:
        return case_report(
            actor=actor,
            category=category,
            area=household.building,
            title=Truncator(description).chars(CASE_TITLE_LENGTH),
            description=description,
            address=str(household),
            source=CaseSource.VISIT,
            contact_name=household.head_name,
        )
    except (ValidationError, PermissionDenied) as exc:
        if isinstance(exc, ValidationError):
            reason = "；".join(exc.messages)
        else:
            reason = str(exc) or _("您无权上报该区域的事件。")
        raise ValidationError(
            {
                "problems": _("问题“%(problem)s”未能上报为事件：%(reason)s")
                % {"problem": Truncator(description).chars(20), "reason": reason}
            }
        ) from exc


@transaction.atomic
def visit_follow_up_done(*, actor: Any, visit: Visit) -> Visit:
    """Mark the follow-up of a visit done (one of two clicks wins)."""
    _require(actor is None or policies.can_log_visit(actor, visit.area_path))
    if not Visit.objects.filter(pk=visit.pk, followed_up=False).update(followed_up=True):
        raise ValidationError(_("该走访已回访。"))
    visit.followed_up = True
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=visit,
        detail={"followed_up": True},
    )
    return visit
