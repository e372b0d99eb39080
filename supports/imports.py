"""Excel import for the supports ledgers (spending entries, recruitment applicants): the shared
reader, converters and error collection of ``common.imports``, with the supports' row limit.

The checks of each ledger are in its service module (``supports.services.funds``,
``supports.services.careers``), which plans the rows and writes them in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from common.imports import (
    DATE_FORMAT,
    MAX_BYTES,
    SILENT,
    WRITING,
    YES_NO_FORMAT,
    ImportPlan,
    Progress,
    RowCheck,
    RowError,
    amount,
    choice,
    day,
    id_text,
    options,
    read_rows,
    required,
    start_plan,
    template_workbook,
    text,
    yes_no,
)
from common.imports import Template as _Template

MAX_ROWS = 2000

__all__ = [
    "DATE_FORMAT",
    "MAX_BYTES",
    "MAX_ROWS",
    "SILENT",
    "WRITING",
    "YES_NO_FORMAT",
    "ImportPlan",
    "Progress",
    "RowCheck",
    "RowError",
    "Template",
    "amount",
    "choice",
    "day",
    "id_text",
    "options",
    "read_rows",
    "required",
    "start_plan",
    "template_workbook",
    "text",
    "yes_no",
]


@dataclass(frozen=True)
class Template(_Template):
    max_rows: int = MAX_ROWS
