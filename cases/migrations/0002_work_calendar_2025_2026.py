"""The official 2025 and 2026 holiday schedules (法定节假日 and 调休 make-up working days).

Idempotent: days that already exist (e.g. edited by an admin) are left as they are.
"""

from datetime import date, timedelta

from django.db import migrations

HOLIDAYS = [
    ("2025-01-01", "2025-01-01", "元旦"),
    ("2025-01-28", "2025-02-04", "春节"),
    ("2025-04-04", "2025-04-06", "清明节"),
    ("2025-05-01", "2025-05-05", "劳动节"),
    ("2025-05-31", "2025-06-02", "端午节"),
    ("2025-10-01", "2025-10-08", "国庆节、中秋节"),
    ("2026-01-01", "2026-01-03", "元旦"),
    ("2026-02-15", "2026-02-23", "春节"),
    ("2026-04-04", "2026-04-06", "清明节"),
    ("2026-05-01", "2026-05-05", "劳动节"),
    ("2026-06-19", "2026-06-21", "端午节"),
    ("2026-09-25", "2026-09-27", "中秋节"),
    ("2026-10-01", "2026-10-07", "国庆节"),
]
MAKE_UP_DAYS = [
    ("2025-01-26", "春节调休"),
    ("2025-02-08", "春节调休"),
    ("2025-04-27", "劳动节调休"),
    ("2025-09-28", "国庆节调休"),
    ("2025-10-11", "国庆节调休"),
    ("2026-01-04", "元旦调休"),
    ("2026-02-14", "春节调休"),
    ("2026-02-28", "春节调休"),
    ("2026-05-09", "劳动节调休"),
    ("2026-09-20", "国庆节调休"),
    ("2026-10-10", "国庆节调休"),
]


def days():
    for first, last, name in HOLIDAYS:
        start, end = date.fromisoformat(first), date.fromisoformat(last)
        for offset in range((end - start).days + 1):
            yield start + timedelta(days=offset), False, name
    for day, name in MAKE_UP_DAYS:
        yield date.fromisoformat(day), True, name


def load(apps, schema_editor):
    WorkCalendarDay = apps.get_model("cases", "WorkCalendarDay")
    WorkCalendarDay.objects.bulk_create(
        [WorkCalendarDay(date=d, is_working_day=w, name=n) for d, w, n in days()],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
