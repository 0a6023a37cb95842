"""A course's own activation in worker processes, under every start method.

A worker started by ``fork`` inherits the registries; one started by ``spawn`` or a fork
server knows only what its imports register at their top level.  Registered at the top level
of the course's module, the activation is known everywhere and a right answer is right; registered
inside ``main()``, a spawned worker lacks it, and symdl must say so (an unknown verdict naming
the registration for one check, an error for a batch) rather than judge the student's
``swish(x)`` an unknown name.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from test_registry import swish  # the documented example activation

from symdl.core.activations import registered_activation
from symdl.core.registration import (
    RegistrationMismatchError,
    registrations,
    require_registrations,
)

ROOT = Path(__file__).resolve().parents[1]
METHODS = [
    m for m in ("fork", "spawn", "forkserver") if m in multiprocessing.get_all_start_methods()
]

COURSE = textwrap.dedent(
    '''
    """The course's activation: swish(z) = z σ(z), as tests/test_registry.py defines it."""
    import sys

    from symdl.core.activations import register_activation
    from test_registry import swish

    SWISH = swish()

    if sys.argv[2] == "top":  # at the top level: every worker that imports this module has it
        register_activation(SWISH)
    '''
)

SCRIPT = textwrap.dedent(
    """
    import json
    import multiprocessing
    import sys

    import sympy as sp

    import course
    from symdl.core.activations import Sigmoid, register_activation
    from symdl.core.registration import RegistrationMismatchError
    from symdl.grading.answers import GradientProblem, Isolation, check_gradient
    from symdl.grading.batch import grade


    def main(method, where):
        multiprocessing.set_start_method(method)
        if where == "main":  # inside a function: a spawned worker never runs this
            register_activation(course.SWISH)
        x = sp.Symbol("x", real=True)
        f = x * x * Sigmoid(x)  # f' = swish(x) + x σ(x) + x² σ(x)(1 - σ(x))
        right = "swish(x) + x*sigma(x) + x^2*sigma(x)*(1 - sigma(x))"
        verdict = check_gradient(f, right, wrt=x, isolation=Isolation.PROCESS)
        result = {"check": [verdict.outcome.name, verdict.reason]}
        try:
            report = grade(GradientProblem.from_expression(f, x), [("a", right)], workers=1)
            result["batch"] = report.rows[0].verdict.outcome.name
        except RegistrationMismatchError as error:
            result["batch"] = f"refused: {error}"
        print(json.dumps(result))


    if __name__ == "__main__":
        main(*sys.argv[1:])
    """
)


def _run(method: str, where: str, tmp_path: Path) -> dict[str, Any]:
    (tmp_path / "course.py").write_text(COURSE)
    (tmp_path / "script.py").write_text(SCRIPT)
    path = os.pathsep.join([str(tmp_path), str(ROOT), str(ROOT / "tests"), *sys.path])
    done = subprocess.run(
        [sys.executable, "script.py", method, where],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": path},
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("method", METHODS)
def test_an_activation_registered_at_the_top_level_is_known_to_every_worker(
    method: str, tmp_path: Path
) -> None:
    result = _run(method, "top", tmp_path)
    assert result["check"][0] == "EQUIVALENT", result
    assert result["batch"] == "EQUIVALENT", result


@pytest.mark.parametrize("method", METHODS)
def test_an_activation_registered_inside_main_is_refused_loudly_where_workers_lack_it(
    method: str, tmp_path: Path
) -> None:
    result = _run(method, "main", tmp_path)
    if method == "fork":  # a forked worker inherits the registry
        assert result["check"][0] == "EQUIVALENT", result
        assert result["batch"] == "EQUIVALENT", result
        return
    outcome, reason = result["check"]
    assert outcome == "UNKNOWN", result  # never a wrong verdict, never "unknown name"
    assert "activation 'swish' is registered in the grading process" in reason
    assert "top level of a module" in reason
    assert result["batch"].startswith("refused: the activation 'swish'"), result


def test_a_process_agrees_with_itself_and_a_missing_or_different_registration_is_named() -> None:
    with registered_activation(swish()):
        mine = registrations()
        require_registrations(mine)
        assert ("activation", "swish") in {entry[:2] for entry in mine}
    with pytest.raises(RegistrationMismatchError, match=r"'swish' is .* but not registered"):
        require_registrations(mine)
    changed = {(kind, name, notation + " changed") for kind, name, notation in mine}
    with (
        registered_activation(swish()),
        pytest.raises(RegistrationMismatchError, match="registered differently"),
    ):
        require_registrations(changed)
