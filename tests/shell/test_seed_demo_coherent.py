"""seed_demo loads a district that reads like a real one: nothing dated in the future, every
case's timeline in order and within its deadlines for all but a realistic few, each
community's visits made by its own workers (each of whom signs in), names without slips, and
the seed report's figures unchanged."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from accounts.models import RoleGrant
from accounts.roles import Role
from cases.models import OPEN_STATES, Case, CaseEvent
from governance.models import Area, Department, NeedsLedger, PartyOrg, PropertyCompany
from grids.models import CommunityWorker, GridPost, GridStaffing, Visit
from property_mgmt.credit_code import is_valid_credit_code

pytestmark = pytest.mark.django_db


def test_the_demo_district_is_coherent(settings):
    """One test: loading the whole demo district takes a while."""
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    _dates_and_deadlines()
    _visits_by_own_workers()
    _names()


def _dates_and_deadlines() -> None:
    now, today = timezone.now(), timezone.localdate()
    # nothing happens in the future
    assert not Case.objects.filter(
        Q(created_at__gt=now) | Q(resolved_at__gt=now) | Q(closed_at__gt=now)
    ).exists()
    assert not CaseEvent.objects.filter(at__gt=now).exists()
    assert not Visit.objects.filter(visited_on__gt=today).exists()
    assert not NeedsLedger.objects.filter(
        Q(raised_on__gt=today) | Q(taken_on__gt=today) | Q(done_on__gt=today)
    ).exists()
    # timelines in order: reported first, then resolved, then closed; a step after the report
    assert not CaseEvent.objects.filter(at__lt=F("case__created_at")).exists()
    assert not Case.objects.filter(
        Q(resolved_at__lt=F("created_at"))
        | Q(closed_at__lt=F("created_at"))
        # (a reporting service starts the step a few milliseconds before the row is saved)
        | Q(step_started_at__lt=F("created_at") - timedelta(seconds=1))
        | Q(due_at__lte=F("step_started_at"))
    ).exists()
    # cases are reported over months, not all today
    months = Case.objects.dates("created_at", "month").count()
    assert months >= 3
    # about 5–10 % of the open cases are past their deadline
    open_cases = Case.objects.filter(state__in=OPEN_STATES)
    overdue = open_cases.filter(due_at__lt=now).count()
    assert 0.05 <= overdue / open_cases.count() <= 0.10, (overdue, open_cases.count())


def _visits_by_own_workers() -> None:
    workers = CommunityWorker.objects.all()
    # every community worker has an account: the grid worker role on its own community
    assert not workers.filter(user__isnull=True).exists()
    for worker in workers.select_related("user", "community"):
        assert worker.user is not None
        assert re.fullmatch(r"cw_\d{6}_\d+|grid_worker", worker.user.username)
        assert RoleGrant.objects.filter(
            user=worker.user, role=Role.GRID_WORKER, area=worker.community
        ).exists()
    outsiders = Visit.objects.exclude(
        visitor__community_worker__community=F("grid__community")
    ).count()
    assert outsiders == 0
    assert Visit.objects.values("visitor").distinct().count() > 5
    # the seed report's figures stay: 1,180 visits, 132 problems solved, 34 workers
    assert Visit.objects.count() == 1180
    assert Visit.objects.filter(problems__case__state="closed").distinct().count() == 132
    assert workers.count() == 34


def _names() -> None:
    for model in (Department, PartyOrg, Area):
        assert not model.objects.filter(name__contains="区区").exists(), model
    # no worker is posted twice to one grid (the roster listed such grids twice)
    twice = (
        GridStaffing.objects.filter(ended_on__isnull=True, worker__isnull=False)
        .values("worker", "grid")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not twice.exists()
    assert GridStaffing.objects.filter(post=GridPost.LEADER).exists()
    # every property company's 统一社会信用代码 passes the GB 32100 check character
    codes = list(PropertyCompany.objects.values_list("credit_code", flat=True))
    assert codes and all(is_valid_credit_code(code) for code in codes), codes
