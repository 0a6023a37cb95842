"""pdflatex for the tests: find it (required in CI), compile a document, read its log."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

_OVERFULL = re.compile(r"^Overfull \\([hv])box \(([\d.]+)pt too (?:wide|high)\)(.*)$", re.M)


def pdflatex() -> str:
    """The pdflatex engine; a missing one fails the test in CI and skips it elsewhere."""
    engine = shutil.which("pdflatex")
    if engine is None:
        if os.environ.get("CI"):
            pytest.fail("pdflatex is required in CI (Debian package texlive-latex-base)")
        pytest.skip("pdflatex is not installed (Debian package texlive-latex-base)")
    return engine


def run_pdflatex(
    source: str, directory: Path, *, name: str = "document", timeout: float = 120
) -> str:
    """Compile ``source`` (ASCII) as ``name``.tex in ``directory``; fail the test on any LaTeX
    error, with the log; return the log."""
    tex = directory / f"{name}.tex"
    tex.write_text(source, encoding="ascii")
    result = subprocess.run(
        [pdflatex(), "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", tex.name],
        cwd=directory,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=timeout,
        check=False,
    )
    log = (directory / f"{name}.log").read_text(errors="replace")
    errors = [line for line in log.splitlines() if line.startswith("!")]
    if result.returncode != 0 or errors:
        pytest.fail(f"pdflatex failed ({result.returncode}): {errors}\n{result.stdout[-3000:]}")
    return log


def overfull_boxes(log: str, *, tolerance: float = 1.0) -> list[str]:
    """The overfull boxes of a pdflatex log that stick out by more than ``tolerance`` points."""
    return [
        f"\\{kind}box {amount}pt{where}"
        for kind, amount, where in _OVERFULL.findall(log)
        if float(amount) > tolerance
    ]
