"""The design's dependency rules (../shared/DESIGN.md, "Architecture"), checked on the imports.

- Arrows: hub imports no other app; shop may import delivery and hub; delivery, coworking and
  insertion import hub only, except insertion reading delivery through ``delivery.services``.
- Another app is reached through its ``services`` (functions) or ``signals`` (reactions) only;
  models may also name another app's models and choices (relations between records).
- Inside the hub, no module imports the ``hub.services`` facade.
Migrations are left out (they name field classes where they live). Exit 1 with one line per
broken rule.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ("hub", "shop", "delivery", "coworking", "insertion")
MAY_IMPORT = {
    "hub": set(),
    "shop": {"delivery", "hub"},
    "delivery": {"hub"},
    "coworking": {"hub"},
    "insertion": {"hub", "delivery"},
}
PUBLIC = {"services", "signals"}


def imported_modules(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


def problems(app: str, path: Path) -> Iterator[str]:
    where = path.relative_to(ROOT)
    for line, module in imported_modules(path):
        parts = module.split(".")
        target = parts[0]
        if target not in APPS or target == app:
            if app == "hub" and module == "hub.services" and where.name != "apps.py":
                yield f"{where}:{line}: hub module imports the hub.services facade"
            continue
        if target not in MAY_IMPORT[app]:
            yield f"{where}:{line}: {app} may not import {target} ({module})"
        elif len(parts) > 1 and not _allowed(parts[1], where):
            yield f"{where}:{line}: {module} is neither {target}.services nor {target}.signals"


def _allowed(module: str, where: Path) -> bool:
    return module in PUBLIC or (module == "models" and "models" in where.parts)


def main() -> int:
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                found.extend(problems(app, path))
    for problem in found:
        print(problem)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
