"""Synthetic volunteer-service rows for benchmarks (issue item 7), for the bench loader.

``load_service(scale=1)`` adds 10,000 volunteers (a team per 50, at the communities that
exist), 200,000 activities of every kind spread over the three years before the current one,
and 2,000,000 attendance rows (ten per activity, approved, with the hours), and adds the hours
to each volunteer's total. The seed figures count every year, so on a loaded database they
include these rows. Rows go in with ``COPY … FROM STDIN`` on the caller's connection and
transaction (the caller may wrap the call in its own); ids are read back by their load
prefix. Deterministic for a given ``seed`` except the random tokens and encrypted phones.
Points rows are not loaded (a person's ledger is one indexed query). About 4 seconds at
scale 0.02 on the shared machine, so a few minutes at scale 1.
"""

from __future__ import annotations

import io
import random
import secrets
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from accounts.personal_data import blind_index
from governance.models import Area, AreaLevel

from .models import (
    Activity,
    ActivityKind,
    ActivityState,
    Attendance,
    AttendanceState,
    SignupChannel,
    TeamKind,
    TeamMembership,
    Volunteer,
    VolunteerSource,
    VolunteerTeam,
)

VOLUNTEERS, ACTIVITIES, PER_ACTIVITY = 10_000, 200_000, 10
TEAM_SIZE = 50
CHUNK = 50_000
PREFIX = "load:"
KINDS = (
    [ActivityKind.VOLUNTEER] * 5
    + [ActivityKind.BRAND] * 3
    + [ActivityKind.TALK, ActivityKind.CLASS]
)


def _text(value: Any) -> str:
    if value is None:
        return "\\N"
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    for char, escaped in (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")):
        text = text.replace(char, escaped)
    return text


def _copy(model: type[models.Model], names: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
    """COPY ``rows`` (tuples in the order of ``names``) into ``model``'s table, in chunks."""
    columns = ", ".join(f'"{model._meta.get_field(n).column}"' for n in names)  # type: ignore[union-attr]
    sql = f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN'
    count = 0
    buffer: list[str] = []
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for row in rows:
            buffer.append("\t".join(_text(v) for v in row) + "\n")
            count += 1
            if len(buffer) >= CHUNK:
                raw.copy_expert(sql, io.StringIO("".join(buffer)))
                buffer = []
        if buffer:
            raw.copy_expert(sql, io.StringIO("".join(buffer)))
    return count


def _count(base: int, scale: float) -> int:
    return max(1, round(base * scale))


@transaction.atomic
def load_service(
    *, scale: float = 1.0, seed: int = 15, log: Callable[[str], Any] = print
) -> dict[str, int]:
    """Add the rows; returns how many of each were added."""
    rng = random.Random(seed)
    communities = list(Area.objects.filter(level=AreaLevel.COMMUNITY).order_by("path"))
    if not communities:
        raise ValueError("no communities: load the territory first")
    batch = VolunteerTeam.objects.filter(name__startswith="负载志愿队").count()
    n_volunteers = _count(VOLUNTEERS, scale)
    n_teams = max(1, -(-n_volunteers // TEAM_SIZE))
    VolunteerTeam.objects.bulk_create(
        [
            VolunteerTeam(
                name=f"负载志愿队{batch + k:06d}", kind=TeamKind.BRAND,
                community=communities[k % len(communities)],
                area_path=communities[k % len(communities)].path, focus="负载",
            )
            for k in range(n_teams)
        ]
    )  # fmt: skip
    teams = list(
        VolunteerTeam.objects.filter(name__startswith="负载志愿队").order_by("-id")[:n_teams]
    )[::-1]
    start = Volunteer.objects.filter(person_key__startswith=PREFIX).count()
    before_people = Volunteer.objects.order_by("-id").values_list("id", flat=True).first() or 0
    encrypt = Volunteer._meta.get_field("phone").get_prep_value
    today = timezone.localdate()
    now = timezone.now().isoformat()

    def volunteers() -> Iterable[tuple[Any, ...]]:
        for i in range(n_volunteers):
            team = teams[i // TEAM_SIZE]
            phone = f"19{(seed * 7_000_003 + start + i) % 10**9:09d}"
            yield (
                f"负载志愿者{start + i}", VolunteerSource.OUTSIDER, encrypt(phone),
                blind_index(phone),
                f"{PREFIX}{start + i}", team.community_id, team.area_path, "", "", 0, 0,
                secrets.token_urlsafe(24), today - timedelta(days=1100), True, now,
            )  # fmt: skip

    names = ["name", "source", "phone", "phone_hash", "person_key", "community", "area_path",
             "skills", "availability", "hours", "points", "access_token", "registered_on",
             "is_active", "created_at"]  # fmt: skip
    _copy(Volunteer, names, volunteers())
    people = list(
        Volunteer.objects.filter(pk__gt=before_people, person_key__startswith=PREFIX)
        .order_by("id")
        .values_list("id", "community_id", "area_path")
    )
    _copy(
        TeamMembership, ["team", "volunteer", "area_path", "joined_on"],
        ((teams[i // TEAM_SIZE].pk, p[0], p[2], today - timedelta(days=1000))
         for i, p in enumerate(people)),
    )  # fmt: skip
    log(f"志愿服务负载: 志愿者 {len(people)} 名，队伍 {len(teams)} 支")

    n_activities = _count(ACTIVITIES, scale)
    first_day = timezone.make_aware(datetime(today.year - 3, 1, 1, 9, 0))
    span = 3 * 365
    token_prefix = secrets.token_hex(4)
    before = Activity.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def activities() -> Iterable[tuple[Any, ...]]:
        for i in range(n_activities):
            team = teams[i % len(teams)]
            starts = first_day + timedelta(days=rng.randrange(span), hours=rng.randrange(8))
            kind = KINDS[i % len(KINDS)]
            yield (
                f"负载活动{i}", kind, "", team.pk, team.community_id, team.area_path, "负载地点",
                starts, starts + timedelta(hours=2), 30, "{}", 0,
                25 if kind == ActivityKind.TALK else 0, "", ActivityState.CLOSED,
                f"{token_prefix}{seed}-{i}", now,
            )  # fmt: skip

    names = ["title", "kind", "programme", "team", "community", "area_path", "place",
             "starts_at", "ends_at", "capacity", "target_tags", "served_count",
             "attendance_count", "description", "state", "signup_token", "created_at"]  # fmt: skip
    _copy(Activity, names, activities())
    made = list(
        Activity.objects.filter(pk__gt=before, signup_token__startswith=token_prefix)
        .order_by("id")
        .values_list("id", "team_id", "starts_at", "area_path")
    )
    log(f"志愿服务负载: 活动 {len(made)} 场")

    by_team: dict[int, list[int]] = {}
    for i, person in enumerate(people):
        by_team.setdefault(teams[i // TEAM_SIZE].pk, []).append(person[0])
    hours: dict[int, int] = {}

    def attendance() -> Iterable[tuple[Any, ...]]:
        for activity_id, team_id, starts, path in made:
            pool = by_team.get(team_id) or [people[0][0]]
            for volunteer in rng.sample(pool, min(PER_ACTIVITY, len(pool))):
                hours[volunteer] = hours.get(volunteer, 0) + 2
                yield (
                    activity_id, volunteer, path, AttendanceState.APPROVED, SignupChannel.STAFF,
                    starts - timedelta(days=1), starts, starts + timedelta(hours=2), "2.0",
                    starts + timedelta(hours=2),
                )  # fmt: skip

    names = ["activity", "volunteer", "area_path", "state", "channel", "signed_up_at",
             "checked_in_at", "checked_out_at", "hours", "approved_at"]  # fmt: skip
    n_attendance = _copy(Attendance, names, attendance())
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE load_hours (id bigint, hours numeric) ON COMMIT DROP")
        cursor.cursor.copy_expert(
            "COPY load_hours FROM STDIN",
            io.StringIO("".join(f"{k}\t{v}\n" for k, v in hours.items())),
        )
        cursor.execute(
            'UPDATE "volunteers_volunteer" v SET hours = v.hours + h.hours '
            "FROM load_hours h WHERE v.id = h.id"
        )
        cursor.execute("DROP TABLE load_hours")
    log(f"志愿服务负载: 签到记录 {n_attendance} 条")
    return {
        "volunteers": len(people),
        "volunteer_teams": len(teams),
        "volunteer_activities": len(made),
        "volunteer_attendance": n_attendance,
    }
