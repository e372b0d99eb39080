"""A planned life replayed into rows: the timeline in order, applying what each service does
(state, tier, running step with the deadlines of the work calendar, assignments started and
ended, extensions, supervision), then the case, its events, assignments and supervisions
written through the COPY writers, with the benchmark accounts as the actors where the case is
theirs."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.personal_data import encrypt
from cases.calendar import YELLOW_SHARE, WorkCalendar
from cases.models import (
    AssignmentRole,
    Case,
    CaseAssignment,
    CaseEvent,
    CaseSource,
    Satisfaction,
    Step,
    Supervision,
    SupervisionLevel,
    Tier,
)
from cases.workflow import Action

from .copying import NULL, esc, jsonb
from .district import Loader, Node
from .lives import TIER_UP, Life, S, Unit
from .names import DESCRIPTION_TAILS, NOTES, UNSATISFIED_NOTES
from .plan import CALENDAR_HORIZON, LoadError

#: The step whose deadline runs in each open state (none once verified).
OPEN_STEP = {
    S.REPORTED: Step.ACCEPT,
    S.ACCEPTED: Step.HANDLE,
    S.IN_PROGRESS: Step.HANDLE,
    S.RESOLVED: Step.VERIFY,
}
SUPERVISION_RANK = {"": 0, "ordinary": 1, "yellow": 2, "red": 3}
#: Actions after which no deadline, or a new one, runs: the alert starts afresh.
STEP_CHANGES = frozenset(
    {
        Action.ACCEPT,
        Action.ESCALATE,
        Action.HANDLE,
        Action.RESOLVE,
        Action.REJECT,
        Action.MERGE,
        Action.VERIFY,
        Action.RATE,
    }
)


class Assignment:
    """A ``CaseAssignment`` row while the replay builds it."""

    __slots__ = (
        "assigned_at",
        "completed",
        "ended_at",
        "pk",
        "replied_at",
        "reply",
        "role",
        "unit",
    )

    def __init__(self, pk: int, role: str, unit: Unit, assigned_at: int) -> None:
        self.pk = pk
        self.role = role
        self.unit = unit
        self.reply = ""
        self.replied_at: int | None = None
        self.assigned_at = assigned_at
        self.ended_at: int | None = None
        self.completed = False


def id_array(ids: set[int]) -> str:
    """A ``bigint[]`` in COPY's text format."""
    return "{" + ",".join(str(pk) for pk in sorted(ids)) + "}"


class Replay:
    """The rows of every case, written as the lives are replayed (ids follow report order)."""

    def __init__(self, loader: Loader) -> None:
        self.loader = loader
        self.rng = loader.rng
        self.clock = loader.clock
        self.exceptions = loader.exceptions
        self.calendars: dict[date, WorkCalendar] = {}
        self.people = loader.people
        t = loader.territory
        users = loader.users
        self.first_community = t.communities[0].id
        self.first_street = t.streets[0].id
        self.first_department = loader.departments[0].pk
        self.community_staff = users.community_staff.pk
        self.street_staff = users.street_staff.pk
        self.district_admin = users.district_admin.pk
        self.grid_worker = users.grid_worker.pk
        self.liaison = users.department_liaison.pk
        from cases.demo import TITLES

        self.titles = TITLES
        #: The last case of each community that may absorb a duplicate (merge).
        self.last_in_community: dict[int, tuple[int, str]] = {}
        self.supervision_pk = self.event_pk = self.assignment_pk = 0
        self.cases = loader.writer(
            Case,
            [
                "id",
                "number",
                "title",
                "description",
                "category",
                "source",
                "state",
                "tier",
                "area",
                "area_path",
                "street",
                "community",
                "address",
                "longitude",
                "latitude",
                "reporter",
                "contact_name",
                "contact_phone",
                "is_urgent",
                "supervision",
                "step",
                "step_started_at",
                "step_days",
                "warn_at",
                "due_at",
                "alert",
                "extension_requested_days",
                "satisfaction",
                "reopen_count",
                "duplicate_of",
                "created_at",
                "updated_at",
                "resolved_at",
                "closed_at",
                "handling_departments",
                "handling_companies",
                "handling_areas",
                "handling_persons",
                "assigned_departments",
                "assigned_companies",
            ],
        )
        self.events = loader.writer(
            CaseEvent,
            [
                "id",
                "case",
                "action",
                "actor",
                "at",
                "from_state",
                "to_state",
                "tier",
                "note",
                "detail",
            ],
        )
        self.assignments = loader.writer(
            CaseAssignment,
            [
                "id",
                "case",
                "role",
                "unit_area",
                "department",
                "company",
                "person",
                "reply",
                "replied_at",
                "assigned_at",
                "ended_at",
                "completed",
            ],
        )
        self.supervisions = loader.writer(Supervision, ["id", "case", "level", "by", "note", "at"])

    def flush(self, counts: dict[str, int]) -> None:
        for writer in (self.cases, self.events, self.assignments, self.supervisions):
            writer.flush()
        counts["cases"] = self.cases.count
        counts["case events"] = self.events.count
        counts["case assignments"] = self.assignments.count
        counts["supervisions"] = self.supervisions.count

    # -- who did it --

    def desk(self, tier: str, life: Life) -> int | None:
        """The benchmark account at the desk of ``tier`` for this case, if there is one."""
        if tier in (Tier.GRID, Tier.COMMUNITY):
            return self.community_staff if life.community.id == self.first_community else None
        if tier == Tier.STREET:
            return self.street_staff if life.street.id == self.first_street else None
        return self.district_admin

    def above(self, tier: str, life: Life) -> int | None:
        if tier in (Tier.GRID, Tier.COMMUNITY):
            return self.street_staff if life.street.id == self.first_street else None
        return self.district_admin

    def on_site(self, life: Life) -> int | None:
        return self.grid_worker if life.community.id == self.first_community else None

    def in_unit(self, unit: Unit | None) -> int | None:
        if unit is None:
            return None
        if unit.kind == "department" and unit.pk == self.first_department:
            return self.liaison
        if unit.kind == "area" and unit.pk == self.first_community:
            return self.community_staff
        if unit.kind == "area" and unit.pk == self.first_street:
            return self.street_staff
        return None

    # -- the replay --

    def write(
        self,
        pk: int,
        t0: int,
        life: Life,
        source: str,
        area: Node,
        urgent: bool,
        merge_into: tuple[int, str] | None,
    ) -> None:
        """Replay the planned timeline in order, applying what each service does, and write
        the case, its events, assignments and supervisions."""
        rng, clock = self.rng, self.clock
        category, community, estate, street = (
            life.category,
            life.community,
            life.estate,
            life.street,
        )
        w0 = clock.work(t0)
        items = life.items
        for order, item in enumerate(items):
            item.order = order
        items.sort(key=lambda i: (i.offset, i.order))

        def moment(offset: int) -> int:
            return t0 if offset == 0 else clock.from_work(w0 + offset)

        number = f"SJ{clock.local_compact_date(t0)}{pk:07d}"
        title = self.titles.get(category.code, category.name)
        title = (f"{estate.name}{title}" if estate is not None else title)[:100]
        description = f"{title}，{DESCRIPTION_TAILS[int(rng.random() * len(DESCRIPTION_TAILS))]}"
        reporter = self.on_site(life) if source == CaseSource.GRID else None
        state, tier = S.REPORTED, category.start_tier
        supervision = satisfaction = alert = ""
        reopen_count = 0
        resolved_at: int | None = None
        closed_at: int | None = None
        extension: int | None = None
        duplicate_of: tuple[int, str] | None = None
        active: list[Assignment] = []
        finished: list[Assignment] = []

        def end_assignments(at: int, *, completed: bool = False) -> None:
            """Release every unit (回退, 呼叫上级, 重办: a completed lead too), or complete
            the active ones with the case's resolution, as cases.services.handlers does."""
            for row in active:
                row.ended_at, row.completed = at, completed
            if not completed:
                for row in finished:
                    row.completed = False
            finished.extend(active)
            active.clear()

        updated = t0
        for item in items:
            at = moment(item.offset)
            action = item.action
            actor: int | None = None
            detail = item.detail
            note = ""
            before = state
            if item.from_state is not None and item.from_state not in ("", before):
                raise LoadError(
                    f"case {pk}: {action} planned from {item.from_state}, replayed from {before}"
                )
            if action == Action.REPORT:
                actor, note, detail = reporter, description[:500], {"source": source}
            elif action in (Action.WARN, Action.OVERDUE):
                detail = {"due_at": clock.utc_iso(clock.from_work(w0 + item.detail["due"]))}
                alert = "yellow" if action == Action.WARN else "red"
                if alert == "red" and not supervision:
                    supervision = SupervisionLevel.ORDINARY
                    self.supervision(pk, supervision, None, "超期自动督办", at)
            elif action == Action.SUPERVISE:
                level = detail["level"]
                actor = self.above(tier, life)
                note = self.note(action)
                self.supervision(pk, level, actor, note, at)
                if SUPERVISION_RANK[level] > SUPERVISION_RANK[supervision]:
                    supervision = level
            elif action == Action.MARK_URGENT:
                if urgent:
                    continue
                urgent, actor, note = True, self.desk(tier, life), self.note(action)
            else:
                note = self.note(action)
                if action == Action.ACCEPT:
                    actor, state = self.desk(tier, life), S.ACCEPTED
                elif action == Action.REJECT:
                    actor, state, closed_at = self.desk(tier, life), S.REJECTED, at
                elif action == Action.MERGE:
                    actor, state, closed_at = self.desk(tier, life), S.MERGED, at
                    duplicate_of = merge_into
                    detail = {"into": merge_into[1] if merge_into else ""}
                elif action == Action.HANDLE:
                    actor = self.on_site(life) if before == S.REPORTED else self.desk(tier, life)
                    end_assignments(at, completed=True)
                    state, resolved_at = S.RESOLVED, at
                elif action == Action.ESCALATE:
                    actor = self.desk(tier, life)
                    end_assignments(at)
                    state, tier, extension = S.ACCEPTED, TIER_UP[tier], None
                elif action == Action.DISPATCH:
                    actor = self.desk(tier, life)
                    end_assignments(at)
                    assert item.unit is not None
                    self.assignment_pk += 1
                    active.append(
                        Assignment(self.assignment_pk, AssignmentRole.LEAD, item.unit, at)
                    )
                    for unit in item.units:
                        self.assignment_pk += 1
                        active.append(
                            Assignment(self.assignment_pk, AssignmentRole.COOPERATING, unit, at)
                        )
                    detail = {"lead": item.unit.key, "cooperating": [u.key for u in item.units]}
                    state = S.IN_PROGRESS
                elif action == Action.REPLY:
                    mine = [row for row in active if row.unit == item.unit]
                    for row in mine:
                        row.reply, row.replied_at = note, at
                    actor = self.in_unit(item.unit)
                    detail = {"units": [row.unit.name for row in mine]}
                elif action == Action.SEND_BACK:
                    actor = self.in_unit(active[0].unit if active else None)
                    end_assignments(at)
                    state, extension = S.ACCEPTED, None
                elif action == Action.REQUEST_EXTENSION:
                    actor = self.in_unit(active[0].unit if active else None)
                    extension = detail["days"]
                elif action in (Action.APPROVE_EXTENSION, Action.REFUSE_EXTENSION):
                    actor, extension = self.desk(tier, life), None
                    if action == Action.APPROVE_EXTENSION:
                        alert = ""
                elif action == Action.RESOLVE:
                    actor = self.in_unit(active[0].unit if active else None)
                    end_assignments(at, completed=True)
                    state, resolved_at = S.RESOLVED, at
                elif action == Action.VERIFY:
                    actor, state = self.on_site(life), S.VERIFIED
                elif action == Action.RATE:
                    actor, satisfaction = self.on_site(life), detail["satisfaction"]
                    if satisfaction == Satisfaction.UNSATISFIED:
                        note = UNSATISFIED_NOTES[int(rng.random() * len(UNSATISFIED_NOTES))]
                        end_assignments(at)
                        state, resolved_at, closed_at = S.ACCEPTED, None, None
                        reopen_count += 1
                    else:
                        state, closed_at = S.CLOSED, at
                elif action == Action.CLOSE:
                    actor, state, closed_at = self.on_site(life), S.CLOSED, at
                if action in STEP_CHANGES:
                    alert = ""
            self.event_pk += 1
            self.events.add(
                str(self.event_pk),
                str(pk),
                action,
                str(actor) if actor else NULL,
                clock.text(at),
                "" if action == Action.REPORT else before,
                state,
                tier,
                esc(note),
                jsonb(detail),
            )
            updated = at
        # The step still running at the end, with the deadlines the services computed.
        step = OPEN_STEP.get(state, "")
        running = [NULL, NULL, NULL, NULL, ""]
        if step:
            run = life.steps[-1]
            days = run.days + sum(added for _at, added in run.approvals)
            started = moment(run.start)
            warn_at, due_at = self.deadlines(clock.aware(started), days)
            running = [clock.text(started), f"{days:.2f}", str(warn_at), str(due_at), alert]
        for row in [*finished, *active]:
            kind, unit_pk = row.unit.kind, str(row.unit.pk)
            self.assignments.add(
                str(row.pk),
                str(pk),
                row.role,
                unit_pk if kind == "area" else NULL,
                unit_pk if kind == "department" else NULL,
                unit_pk if kind == "company" else NULL,
                NULL,
                esc(row.reply),
                clock.text(row.replied_at) if row.replied_at is not None else NULL,
                clock.text(row.assigned_at),
                clock.text(row.ended_at) if row.ended_at is not None else NULL,
                "t" if row.completed else "f",
            )
        # What the case waits for (cases.services.handlers): the lead, unreplied cooperators.
        waiting: dict[str, set[int]] = {"department": set(), "company": set(), "area": set()}
        for row in active:
            if row.role == AssignmentRole.LEAD or row.replied_at is None:
                waiting[row.unit.kind].add(row.unit.pk)
        contact_name = contact_phone = ""
        if source in (CaseSource.RESIDENT, CaseSource.HOTLINE, CaseSource.PROPERTY):
            contact_name = self.people.name("M" if rng.random() < 0.5 else "F")
            contact_phone = encrypt(self.people.phone())
        longitude = latitude = NULL
        if estate is not None and estate.grid_index is not None:
            cell = self.loader.cells[estate.grid_index]
            longitude = f"{cell.min_lon + (cell.max_lon - cell.min_lon) * rng.random():.6f}"
            latitude = f"{cell.min_lat + (cell.max_lat - cell.min_lat) * rng.random():.6f}"
        if estate is None:
            address = f"{community.name}辖区"
        else:
            address = estate.name + (area.name if area is not estate else "")
        self.cases.add(
            str(pk),
            number,
            title,
            description,
            str(category.pk),
            source,
            state,
            tier,
            str(area.id),
            area.path,
            str(street.id),
            str(community.id),
            address,
            longitude,
            latitude,
            str(reporter) if reporter else NULL,
            contact_name,
            contact_phone,
            "t" if urgent else "f",
            supervision,
            step,
            *running,
            str(extension) if extension else NULL,
            satisfaction,
            str(reopen_count),
            str(duplicate_of[0]) if duplicate_of else NULL,
            clock.text(t0),
            clock.text(updated),
            clock.text(resolved_at) if resolved_at is not None else NULL,
            clock.text(closed_at) if closed_at is not None else NULL,
            id_array(waiting["department"]),
            id_array(waiting["company"]),
            id_array(waiting["area"]),
            "{}",
            # Every department and company it was assigned to (who may see it): what the
            # database's trigger adds for each assignment, written here since the assignments'
            # COPY comes after the case's.
            id_array({r.unit.pk for r in [*finished, *active] if r.unit.kind == "department"}),
            id_array({r.unit.pk for r in [*finished, *active] if r.unit.kind == "company"}),
        )
        if state not in (S.MERGED, S.REJECTED):
            self.last_in_community[community.id] = (pk, number)

    def note(self, action: str) -> str:
        notes = NOTES.get(action, [""])
        return notes[int(self.rng.random() * len(notes))]

    def deadlines(self, start: datetime, days: Decimal) -> tuple[datetime, datetime]:
        """``cases.calendar.deadlines`` without its query (the copy thread owns the
        connection): the calendar it loads (from the start's local date, its horizon ahead)
        and the same arithmetic, so the stored deadlines are the services' to the
        microsecond, their time zone handling included."""
        first = timezone.localtime(start, self.loader.tz).date()
        calendar = self.calendars.get(first)
        if calendar is None:
            last = first + timedelta(days=CALENDAR_HORIZON)
            calendar = self.calendars[first] = WorkCalendar(
                exceptions={d: w for d, w in self.exceptions if first <= d <= last}
            )
        return (
            calendar.add_working_days(start, days * YELLOW_SHARE),
            calendar.add_working_days(start, days),
        )

    def supervision(self, case_pk: int, level: str, by: int | None, note: str, at: int) -> None:
        self.supervision_pk += 1
        self.supervisions.add(
            str(self.supervision_pk),
            str(case_pk),
            level,
            str(by) if by else NULL,
            esc(note),
            self.clock.text(at),
        )
