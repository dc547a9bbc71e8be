"""No status is written outside the declared state machines (``hub.workflow``).

Scans the project's Python sources (not the tests, the virtualenv or the migrations) for an
assignment to ``.status`` — or to the field of any registered workflow, such as a stop's
``.state`` — (tuples included), ``setattr(…, "status", …)``, ``status=`` in an ``.update(…)``
and ``"status"`` in a ``bulk_update`` field list."""

import ast
from pathlib import Path

from hub.workflow import workflows

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_DIRS = {".venv", "tests", "migrations", "node_modules", "var", "static", ".git"}

# The transition code itself.
WORKFLOW_CODE = {"hub/workflow.py"}

# Status writes still outside a workflow, each with how many there are and why. This list may
# only shrink: a new write anywhere, or one more here, fails the test.
ALLOWED: dict[str, tuple[int, str]] = {}


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if SKIPPED_DIRS.intersection(relative.parts[:-1]):
            continue
        yield relative.as_posix(), path


def _names() -> set[str]:
    return {"status"} | {workflow.field for workflow in workflows()}


def _targets(node):
    if isinstance(node, ast.Tuple | ast.List):
        for element in node.elts:
            yield from _targets(element)
    elif isinstance(node, ast.Starred):
        yield from _targets(node.value)
    else:
        yield node


def status_writes(tree, names=frozenset({"status"})) -> list[int]:
    """Line numbers of the writes to fields called ``names`` in a module's syntax tree."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            targets = [t for target in node.targets for t in _targets(target)]
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = list(_targets(node.target))
        elif isinstance(node, ast.Call):
            if _writes_status(node, names):
                lines.append(node.lineno)
            continue
        else:
            continue
        if any(isinstance(t, ast.Attribute) and t.attr in names for t in targets):
            lines.append(node.lineno)
    return sorted(lines)


def _writes_status(call: ast.Call, names) -> bool:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name == "update":
        return any(keyword.arg in names for keyword in call.keywords)
    if name == "setattr" and len(call.args) >= 2:
        return isinstance(call.args[1], ast.Constant) and call.args[1].value in names
    if name == "bulk_update":
        fields = call.args[1:2] + [k.value for k in call.keywords if k.arg == "fields"]
        return any(
            isinstance(element, ast.Constant) and element.value in names
            for value in fields
            if isinstance(value, ast.List | ast.Tuple)
            for element in value.elts
        )
    return False


def test_no_status_is_written_outside_the_workflows():
    found = {}
    names = _names()
    assert "state" in names  # the stops' field
    for name, path in _sources():
        if name in WORKFLOW_CODE:
            continue
        lines = status_writes(ast.parse(path.read_text(encoding="utf-8")), names)
        if lines:
            found[name] = lines
    unexpected = {
        name: lines
        for name, lines in found.items()
        if name not in ALLOWED or len(lines) > ALLOWED[name][0]
    }
    assert not unexpected, f"status written outside hub.workflow.transition: {unexpected}"
    stale = {name for name, (count, _why) in ALLOWED.items() if len(found.get(name, [])) < count}
    assert not stale, f"fewer status writes than allowed (shrink ALLOWED): {stale}"


def test_the_scan_sees_every_kind_of_status_write():
    source = """
part.status = "x"
part.status, part.reason = "x", "y"
order.status: str = "x"
Part.objects.filter(pk=1).update(status="x", other=1)
setattr(part, "status", "x")
Part.objects.bulk_update(parts, ["status"])
part.payment_status = "x"
Part.objects.update(payment_status="x")
stop.state = "done"
"""
    assert status_writes(ast.parse(source)) == [2, 3, 4, 5, 6, 7]
    assert status_writes(ast.parse(source), {"status", "state"})[-1] == 10
