#!/usr/bin/env python
"""Draw the package-level import graph of the portal from the code, as a Mermaid diagram.

    .venv/bin/python scripts/architecture_diagram.py          # rewrite the diagram in the doc
    .venv/bin/python scripts/architecture_diagram.py --check  # exit 1 when it is stale

The graph comes from grimp (the library under import-linter): an arrow A → B means some module
of A imports some module of B, with the number of such imports. Only direct arrows that are not
implied by a longer path are drawn, so the picture shows the layers rather than every import.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
BEGIN = "<!-- import graph: begin (scripts/architecture_diagram.py) -->"
END = "<!-- import graph: end -->"


def packages() -> list[str]:
    """The root packages of the import-linter configuration in pyproject.toml."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return list(config["tool"]["importlinter"]["root_packages"])


def package_edges(names: list[str]) -> dict[tuple[str, str], int]:
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph(*names, cache_dir=None)
    edges: dict[tuple[str, str], int] = {}
    for module in graph.modules:
        source = module.split(".")[0]
        for imported in graph.find_modules_directly_imported_by(module):
            target = imported.split(".")[0]
            if target != source:
                edges[(source, target)] = edges.get((source, target), 0) + 1
    return edges


def reduce(edges: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    """Drop A → C where A → … → C exists through another package (transitive reduction)."""
    targets: dict[str, set[str]] = {}
    for a, b in edges:
        targets.setdefault(a, set()).add(b)

    def reachable(start: str, skip: tuple[str, str]) -> set[str]:
        seen: set[str] = set()
        todo = [t for t in targets.get(start, ()) if (start, t) != skip]
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            todo.extend(targets.get(node, ()))
        return seen

    return {edge: n for edge, n in edges.items() if edge[1] not in reachable(edge[0], edge)}


def mermaid() -> str:
    names = packages()
    edges = reduce(package_edges(names))
    lines = ["```mermaid", "graph TD"]
    lines += [f"    {a} -->|{n}| {b}" for (a, b), n in sorted(edges.items())]
    lone = [name for name in names if not any(name in edge for edge in edges)]
    lines += [f"    {name}" for name in lone]
    lines.append("```")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = DOC.read_text()
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    new = text[:start] + "\n" + mermaid() + "\n" + text[end:]
    if args.check:
        if new != text:
            print("docs/architecture.md: the import graph is stale;")
            print("run .venv/bin/python scripts/architecture_diagram.py")
            return 1
        return 0
    DOC.write_text(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
