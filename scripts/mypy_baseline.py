"""Run mypy and compare its errors with mypy-baseline.txt, which may only shrink.

A new error fails; so does a fixed one still listed (remove it: ``--update`` rewrites the file
from the current errors, which is only accepted when nothing new appeared). Errors are compared
without their line numbers, so unrelated edits above them do not count as changes.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "mypy-baseline.txt"
ERROR = re.compile(r"^(?P<path>[^:\s]+\.py):\d+(?::\d+)?: error: (?P<message>.*)$")


def current_errors(output: str) -> Counter[str]:
    errors: Counter[str] = Counter()
    for line in output.splitlines():
        found = ERROR.match(line.strip())
        if found:
            errors[f"{found['path']}: {found['message']}"] += 1
    return errors


def baseline_errors() -> Counter[str]:
    if not BASELINE.exists():
        return Counter()
    return Counter(line for line in BASELINE.read_text().splitlines() if line.strip())


def write_baseline(errors: Counter[str]) -> None:
    BASELINE.write_text("".join(f"{key}\n" for key in sorted(errors.elements())))


def main(update: bool) -> int:
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-pretty", "--show-error-codes", "--no-error-summary"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if run.returncode not in (0, 1):
        print(run.stdout + run.stderr, file=sys.stderr)
        return run.returncode
    now, known = current_errors(run.stdout), baseline_errors()
    new, fixed = now - known, known - now
    for key in sorted(new.elements()):
        print(f"new mypy error: {key}")
    if new:
        print(run.stdout)
        return 1
    if fixed and update:
        write_baseline(now)
        print(f"mypy-baseline.txt: {sum(fixed.values())} fixed errors removed.")
        return 0
    for key in sorted(fixed.elements()):
        print(f"fixed, remove from mypy-baseline.txt (or run with --update): {key}")
    if fixed:
        return 1
    print(f"mypy: no new error ({sum(now.values())} known in mypy-baseline.txt).")
    return 0


if __name__ == "__main__":
    sys.exit(main(update="--update" in sys.argv[1:]))
