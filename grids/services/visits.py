"""Visits (民情走访): a visit is logged in one step with the needs it heard (into the needs
ledger) and the problems it found (reported as cases, source 民情走访)."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import audit_record
from cases.models import Case, CaseSource, Category
from cases.services import case_report
from governance.services import need_create
from grids import policies
from grids.models import Grid, GridCoverage, Visit, VisitProblem

from .base import require

#: Case titles are this long at most (``cases.Case.title``).
CASE_TITLE_LENGTH = 100


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
    require(actor is None or policies.can_log_visit(actor, grid.area_path))
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
    require(actor is None or policies.can_log_visit(actor, visit.area_path))
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
