"""The apps keep the design's dependency directions and reach each other through services."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_import_breaks_the_design_rules():
    result = subprocess.run(
        [sys.executable, "scripts/check_dependencies.py"], cwd=ROOT, capture_output=True, text=True
    )

    assert result.returncode == 0, result.stdout
