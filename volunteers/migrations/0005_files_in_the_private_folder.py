import shutil
from pathlib import Path

from django.db import migrations


def move_to_private(apps, schema_editor):
    """Files kept before this migration sat beside MEDIA_ROOT (``<media>-private/volunteers``),
    outside PRIVATE_MEDIA_ROOT, so a backup left them out: move them into
    ``PRIVATE_MEDIA_ROOT/volunteers`` under the same names. Files already there are kept."""
    from django.conf import settings

    media = Path(settings.MEDIA_ROOT)
    old = media.parent / f"{media.name}-private" / "volunteers"
    new = Path(settings.PRIVATE_MEDIA_ROOT) / "volunteers"
    if not old.is_dir() or old.resolve() == new.resolve():
        return
    for source in sorted(p for p in old.rglob("*") if p.is_file()):
        target = new / source.relative_to(old)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(source), str(target))


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0004_volunteer_service_teams_activities_points_wishes"),
    ]

    operations = [migrations.RunPython(move_to_private, migrations.RunPython.noop)]
