"""The figures of a 红色物业 page, kept until what they count may have changed.

The 红黑榜, the complaint rates and the satisfaction of a district read tens of thousands of
complaints, hundreds of thousands of survey answers and every household: a few hundred
milliseconds, far more than a page a person reads every few seconds should cost. What a page
counted is kept in the cache under who asks (their own user: scope differs per actor), the
language, the page's parameters, and a *version* of the data read *before* counting:

* the newest case event (every change of a case, a complaint's too, appends one), the newest
  survey answer, the newest resolution event and the newest household, contract and
  complaint;
* the database's own identity (its oid), so that a database made again (a test run, a
  restore) never meets the figures of the one before.

What these do not follow (a contract's dates edited, a household moved out) is at most
:data:`SECONDS` old.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connection
from django.utils import translation

T = TypeVar("T")

#: The longest kept figures are shown without being counted again.
SECONDS = 120

#: The shape of what is kept: raised when a figure's rows gain or lose a field, so that a
#: deploy never reads back what the code before it kept (the ranking gained its drill counts).
FORMAT = 2

_VERSION_SQL = """
SELECT (SELECT oid FROM pg_database WHERE datname = current_database()),
       (SELECT max(id) FROM cases_caseevent),
       (SELECT max(id) FROM property_mgmt_surveyanswer),
       (SELECT max(id) FROM property_mgmt_resolutionevent),
       (SELECT max(id) FROM governance_household),
       (SELECT max(id) FROM property_mgmt_servicecontract),
       (SELECT max(case_id) FROM property_mgmt_complaintdetail)
"""


def data_version() -> str:
    """The version of everything the figures count (see the module's docstring)."""
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        row = cursor.fetchone()
    return "|".join(str(value) for value in row)


def kept(name: str, actor: Any, params: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """``compute()`` for ``actor`` with ``params``, or what it gave when the data had the
    version it has now."""
    raw = "|".join(
        [name, str(actor.pk), translation.get_language() or "", repr(params), data_version()]
    )
    key = f"property:figures:{FORMAT}:" + hashlib.sha256(raw.encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, SECONDS)
    return value
