"""Collect every proof module in proofs/ as a pytest module.

A proof module is named after its theorem (``proofs/xor.py``), not ``test_*.py``; its lemmas
are functions named ``lemma_*`` (see ``symdl.publish.proving``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

PROOFS_DIR = Path(__file__).parent / "proofs"


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Module | None:
    if (
        file_path.suffix == ".py"
        and file_path.parent == PROOFS_DIR
        and not file_path.name.startswith("_")
        and file_path.name != "conftest.py"
        # a file named on the command line is collected by pytest itself
        and not parent.session.isinitpath(file_path)
    ):
        return pytest.Module.from_parent(parent, path=file_path)
    return None
