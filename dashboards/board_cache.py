"""The rendered dashboard, kept in the cache until a figure behind it may have changed.

A dashboard costs a few hundred milliseconds to count and render (rollup sums, rankings, a
few hundred drill links), far more than a page a person reads every few seconds should cost.
Its HTML is kept under a key made of who asks (their own user: rankings and scope differ per
actor), the language, the query string, the day, and a *version* of the data read *before*
the board is counted, so that what is kept is never older than its key:

* the rollup journal (``CaseRollupDelta``): every change of a case appends rows there in the
  change's own transaction, so the count and the sum of its visible ids change the moment a
  change commits, and again when the beat task folds the journal into the rollup;
* the rollup's id sequence, which every statement that writes the rollup directly (a bulk
  load, a rebuild) advances;
* the newest grid visit (the rankings' visits per worker) and the appraisal weights;
* the database's own identity (its oid), so that a database made again (a test run, a
  restore) never meets the pages of the one before.

What none of these follow (an area or a unit renamed, a sequence advanced by a transaction
that has not committed yet) is at most :data:`SECONDS` old; the page says when it was counted.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone, translation

from .territory import Territory

#: The longest a kept dashboard is shown without being counted again.
SECONDS = 120

_VERSION_SQL = """
SELECT (SELECT oid FROM pg_database WHERE datname = current_database()),
       (SELECT count(*) || ':' || coalesce(sum(id), 0) FROM dashboards_caserollupdelta),
       (SELECT last_value FROM dashboards_caserollup_id_seq),
       (SELECT max(id) FROM grids_visit),
       (SELECT max(updated_at) FROM dashboards_appraisalweights)
"""


def data_version() -> str:
    """The version of everything a dashboard counts (see the module's docstring)."""
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        row = cursor.fetchone()
    return "|".join(str(value) for value in row)


def board_key(request: HttpRequest, kind: str, territory: Territory) -> str:
    """The key of ``kind`` (the page's board, the big screen's panel) for this request and
    the territory the actor's grants give it now, with the data's version read now."""
    scope = (territory.everything, territory.street_ids, territory.community_ids, territory.unit)
    parts = [
        kind,
        str(request.user.pk),
        repr(scope),
        translation.get_language() or "",
        request.get_full_path(),
        timezone.localdate().isoformat(),
        data_version(),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    return f"dashboards:board:{digest}"


def kept(key: str) -> Any:
    return cache.get(key)


def keep(key: str, html: str) -> None:
    cache.set(key, html, SECONDS)
