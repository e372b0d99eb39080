"""Write rows leave the bench database as they found it, so that every run measures the same
data: a :class:`Checkpoint` records each table's row count and largest id before the row;
afterwards every row with a larger id goes (one transaction, the foreign keys checked at its
end), each id sequence is set back, and the counts are compared. Rows that were there before
must not have changed: the write rows only add rows (a transition row acts on cases made for
it after the checkpoint), and a change to an older case, seen in ``cases_case.updated_at``,
fails the restore.

The audit log is the exception: it is append-only (a trigger refuses DELETE), and the restore
does not get round that. What the write rows audited stays in it (no page measured reads it;
its rows name objects by id, without a foreign key), and the restore reports how many.

In-process Django on the bench database (``bench/run.py``'s child of one scale)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction

#: Tables the restore leaves as they are (their rows are only ever added).
APPEND_ONLY = frozenset({"accounts_auditlog"})


class RestoreError(RuntimeError):
    """The bench database could not be put back as it was before a write row."""


@dataclass
class Checkpoint:
    #: table → (rows, largest id)
    tables: dict[str, tuple[int, int]]
    sequences: dict[str, str]
    cases_updated: datetime | None
    #: table without an integer id → rows (a write row must not add to these)
    others: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    #: append-only table → rows added since the checkpoint, kept
    kept: dict[str, int] = field(default_factory=dict)
    _appended: dict[str, int] = field(default_factory=dict)

    @classmethod
    def take(cls) -> Checkpoint:
        """The state to come back to. Only in a benchmark database (one generate_load
        loaded): the restore deletes rows."""
        from bench.models import LoadMarker

        if not LoadMarker.objects.filter(finished_at__isnull=False).exists():
            raise RestoreError("not a benchmark database: generate_load has not loaded it")
        tables: dict[str, tuple[int, int]] = {}
        sequences: dict[str, str] = {}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.table_name, pg_get_serial_sequence(quote_ident(c.table_name), 'id') "
                "FROM information_schema.columns c JOIN information_schema.tables t "
                "ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
                "WHERE c.table_schema = current_schema() AND c.column_name = 'id' "
                "AND t.table_type = 'BASE TABLE' "
                "AND c.data_type IN ('integer', 'bigint', 'smallint') ORDER BY c.table_name"
            )
            for table, sequence in cursor.fetchall():
                if table in APPEND_ONLY:
                    continue
                cursor.execute(f'SELECT count(*), COALESCE(max(id), 0) FROM "{table}"')
                rows, largest = cursor.fetchone()
                tables[table] = (rows, largest)
                if sequence:
                    sequences[table] = sequence
            cursor.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                "current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
            )
            others = {}
            for (table,) in cursor.fetchall():
                if table not in tables and table not in APPEND_ONLY:
                    cursor.execute(f'SELECT count(*) FROM "{table}"')
                    others[table] = cursor.fetchone()[0]
        updated = _cases_updated(tables.get("cases_case", (0, 0))[1])
        checkpoint = cls(tables, sequences, updated, others)
        checkpoint._appended = checkpoint._append_only_rows()
        return checkpoint

    def _append_only_rows(self) -> dict[str, int]:
        rows = {}
        with connection.cursor() as cursor:
            for table in sorted(APPEND_ONLY):
                cursor.execute(f'SELECT count(*) FROM "{table}"')
                rows[table] = cursor.fetchone()[0]
        return rows

    def restore(self) -> dict[str, int]:
        """Remove what was written since the checkpoint; return the rows removed per table."""
        deleted: dict[str, int] = {}
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table, (_rows, largest) in self.tables.items():
                cursor.execute(f'DELETE FROM "{table}" WHERE id > %s', [largest])
                if cursor.rowcount:
                    deleted[table] = cursor.rowcount
            for table in deleted:
                if table in self.sequences:
                    cursor.execute(
                        "SELECT setval(%s, %s, false)",
                        [self.sequences[table], self.tables[table][1] + 1],
                    )
        changed = self.compare()
        if changed:
            raise RestoreError("after the write row: " + "; ".join(changed))
        for table, n in deleted.items():
            self.deleted[table] = self.deleted.get(table, 0) + n
        now = self._append_only_rows()
        self.kept = {t: now[t] - self._appended[t] for t in now if now[t] != self._appended[t]}
        return deleted

    def compare(self) -> list[str]:
        """What differs from the checkpoint (nothing, once restored)."""
        changed = []
        with connection.cursor() as cursor:
            for table, (rows, largest) in self.tables.items():
                cursor.execute(f'SELECT count(*), COALESCE(max(id), 0) FROM "{table}"')
                now = cursor.fetchone()
                if (now[0], now[1]) != (rows, largest):
                    changed.append(f"{table} has {now[0]} rows up to id {now[1]}, not {rows}")
            for table, rows in self.others.items():
                cursor.execute(f'SELECT count(*) FROM "{table}"')
                now_rows = cursor.fetchone()[0]
                if now_rows != rows:
                    changed.append(f"{table} (no id to restore by) has {now_rows} rows, not {rows}")
        if "cases_case" in self.tables:
            updated = _cases_updated(self.tables["cases_case"][1])
            if updated != self.cases_updated:
                changed.append(f"cases that were there before were changed (last at {updated})")
        return changed


def _cases_updated(largest: int) -> datetime | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(updated_at) FROM cases_case WHERE id <= %s", [largest])
        value: datetime | None = cursor.fetchone()[0]
    return value
