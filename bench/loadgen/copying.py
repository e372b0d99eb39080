"""COPY … FROM STDIN from a background thread, and the index juggling around it."""

from __future__ import annotations

import io
import json
import queue
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.db.models import NOT_PROVIDED

from cases.models import Case, CaseAssignment, CaseEvent, Supervision
from governance.models import Household, NeedsLedger, PartyMember, Resident

from .plan import CHUNK_ROWS, PROGRESS_EVERY, LoadError


def esc(value: str) -> str:
    """A value for COPY's text format."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        for char, escaped in (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")):
            value = value.replace(char, escaped)
    return value


NULL = "\\N"


def jsonb(value: dict[str, Any]) -> str:
    return esc(json.dumps(value, ensure_ascii=False)) if value else "{}"


class Copier:
    """Runs ``COPY … FROM STDIN`` jobs one after another in a background thread on the load's
    own connection (and so in its transaction), while the main thread builds the next chunk.
    The queue holds two chunks: generation never runs far ahead of the database."""

    def __init__(self, raw_connection: Any) -> None:
        self._cursor = raw_connection.cursor()
        self._jobs: queue.Queue[tuple[str, str] | None] = queue.Queue(maxsize=2)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="generate_load-copy", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                if job is None:
                    return
                if self._error is None:
                    sql, text = job
                    self._cursor.copy_expert(sql, io.StringIO(text), size=1 << 18)
            except BaseException as exc:  # re-raised in the main thread
                self._error = exc
            finally:
                self._jobs.task_done()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def submit(self, sql: str, text: str) -> None:
        self._raise()
        self._jobs.put((sql, text))

    def wait(self) -> None:
        """Block until every submitted chunk is in the database."""
        self._jobs.join()
        self._raise()

    def close(self) -> None:
        self._jobs.put(None)
        self._thread.join()
        self._cursor.close()


def columns_of(model: type[models.Model], names: Sequence[str]) -> list[str]:
    """The columns of ``names``; refuses a list that leaves out a NOT NULL column without a
    database default (a field added to the model since this loader was written)."""
    opts = model._meta
    columns: list[str] = []
    for name in names:
        field = opts.get_field(name)
        if not isinstance(field, models.Field) or not field.column:
            raise LoadError(f"{opts.label}.{name} is not a column")
        columns.append(field.column)
    missing = [
        str(f.column)
        for f in opts.concrete_fields
        if f.column not in columns and not f.null and f.db_default is NOT_PROVIDED
    ]
    if missing:
        raise LoadError(
            f"{opts.label}: generate_load does not fill {', '.join(missing)}; "
            "teach bench/loadgen about the new field"
        )
    return columns


class TableWriter:
    """Rows of one table, sent to the copier ``CHUNK_ROWS`` at a time."""

    def __init__(
        self, copier: Copier, model: type[models.Model], names: Sequence[str], log: Log
    ) -> None:
        columns = ", ".join(f'"{c}"' for c in columns_of(model, names))
        self.sql = f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN'
        self.copier = copier
        self.log = log
        self.rows: list[str] = []
        self.count = 0
        #: Called every ``PROGRESS_EVERY`` rows for a progress line (the main table of a stage).
        self.progress: Callable[[int], str] | None = None

    def add(self, *values: str) -> None:
        self.rows.append("\t".join(values) + "\n")
        self.count += 1
        if len(self.rows) >= CHUNK_ROWS:
            self.flush()
        if self.progress is not None and self.count % PROGRESS_EVERY == 0:
            self.log(self.progress(self.count))

    def flush(self) -> None:
        if self.rows:
            self.copier.submit(self.sql, "".join(self.rows))
            self.rows = []


Log = Callable[[str], None]


#: The large tables: their secondary indexes and foreign keys are dropped for the COPY and
#: built again afterwards (a sort per index and one join per key, instead of a b-tree insert
#: and a deferred trigger per row).
BULK_MODELS = (
    Household,
    Resident,
    PartyMember,
    NeedsLedger,
    Case,
    CaseEvent,
    CaseAssignment,
    Supervision,
)


def detach_indexes(tables: Iterable[str]) -> list[str]:
    """Drop the foreign keys and the indexes that back no constraint of ``tables``; return the
    statements that restore them exactly (their own definitions, from the catalogue). Inside
    the load's transaction: a failure restores them with everything else."""
    indexes: list[str] = []
    keys: list[str] = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
                [f'"{table}"'],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
                keys.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
            cursor.execute(
                "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) "
                "ORDER BY c.relname",
                [f'"{table}"'],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f'DROP INDEX "{name}"')
                indexes.append(definition)
    return indexes + keys


def restore_indexes(statements: Iterable[str]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for statement in statements:
            cursor.execute(statement)
