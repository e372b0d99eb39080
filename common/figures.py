"""The seed report's figures, as each app computes them from its own records.

Every domain app that records something the report quotes has a ``figures.py`` with
``seed_figures(actor) -> list[SeedFigure]``: values computed live from the actor's scope (never
stored), the report's number beside them, and the address of the rows behind each. The
dashboards collect them for ``/dashboard/`` and ``GET /api/v1/stats/seed-figures/``
(DESIGN.md: ``{"figures": [{"key", "label", "value", "seed", "drill"}]}``). A figure whose
records do not exist yet is left out, never invented.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class SeedFigure:
    key: str  # DESIGN.md's key, e.g. "visits"
    label: Any  # a lazy translated text
    value: int | float
    seed: int | float  # the report's number
    drill: str  # URL of a page or API list of the rows behind the value
    definition: Any = ""  # how the value is counted, one sentence

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["label"] = str(self.label)
        data["definition"] = str(self.definition)
        return data
