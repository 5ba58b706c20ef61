"""The `browser` marker splits the suite exactly: every test under tests/e2e, and nothing else."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def collected_ids(marker_expression: str) -> list[str]:
    """The ids pytest collects under `-m marker_expression` (collection only, in a subprocess)."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:randomly", "-m", marker_expression],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # -q prints one id a line ("path::name"), then a blank line and a summary.
    return [line for line in result.stdout.splitlines() if "::" in line]


def test_browser_marker_selects_exactly_the_e2e_tests():
    browser = collected_ids("browser")
    others = collected_ids("not browser")
    assert browser, "no test is marked browser"
    assert others, "every test is marked browser"
    assert [test for test in browser if not test.startswith("tests/e2e/")] == []
    assert [test for test in others if test.startswith("tests/e2e/")] == []
