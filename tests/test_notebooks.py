"""Tests of the notebook assertion helper and of the example nbgrader/Otter notebook, whose code
cells are run in order in a fresh Python process, as a kernel would run them."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import sympy as sp

from symdl.grading.answers import GradientProblem, Isolation
from symdl.grading.notebooks import Feedback, assert_gradient, explanation
from symdl.referee.verdict import Mistake, Outcome, Verdict

NOTEBOOK = (
    Path(__file__).resolve().parent.parent
    / "docs"
    / "examples"
    / "notebook"
    / "sigmoid_neuron.ipynb"
)

# Runs a notebook's code cells in order in one namespace; the first cell that raises ends the
# run with its traceback on stderr and exit status 1 (as nbgrader and Otter see a failed test).
RUNNER = """
import json, sys, traceback
notebook = json.load(open(sys.argv[1], encoding="utf-8"))
namespace = {"__name__": "__main__"}
for number, cell in enumerate(notebook["cells"]):
    if cell["cell_type"] != "code":
        continue
    try:
        exec(compile("".join(cell["source"]), f"<cell {number}>", "exec"), namespace)
    except BaseException:
        traceback.print_exc()
        sys.exit(1)
print("every cell ran")
"""


def run_notebook(notebook: dict[str, Any], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "notebook.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-c", RUNNER, str(path)], capture_output=True, text=True, timeout=300,
        check=False,
    )  # fmt: skip


def with_answer(grade_id: str, source: str) -> dict[str, Any]:
    """The example notebook with the student's cell ``grade_id`` replaced."""
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    (cell,) = [c for c in notebook["cells"] if c["metadata"]["nbgrader"]["grade_id"] == grade_id]
    assert cell["metadata"]["nbgrader"]["solution"] is True
    cell["source"] = [source]
    return notebook


def test_the_example_notebook_runs_with_its_solutions(tmp_path: Path) -> None:
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    done = run_notebook(notebook, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "every cell ran" in done.stdout


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


@pytest.mark.slow  # a second Python process that imports SymPy
def test_a_wrong_answer_fails_its_test_cell_with_the_explanation(tmp_path: Path) -> None:
    done = run_notebook(with_answer("dL_dw", "dL_dw = (y - s) * s * (1 - s) * x\n"), tmp_path)
    assert done.returncode == 1
    error = done.stderr[done.stderr.index("AssertionError: ") :]
    assert error.startswith("AssertionError: DIFFERENT: the sign is wrong")
    assert 'File "<cell 4>"' in done.stderr  # the test cell of question 1, not a later one
    point = re.search(r"at (?P<point>.*): true value (?P<t>\S+), submitted (?P<s>\S+)", error)
    assert point is not None
    at = {k: float(Fraction(v)) for k, v in re.findall(r"(\w) = (-?[\d/]+)", point["point"])}
    s = sigmoid(at["w"] * at["x"] + at["b"])
    true = (s - at["y"]) * s * (1 - s) * at["x"]  # dL/dw, derived by hand
    assert float(point["t"]) == pytest.approx(true, rel=1e-10)
    assert float(point["s"]) == pytest.approx(-true, rel=1e-10)
    assert "**" not in error
    assert "submitted − true" not in error  # the true gradient is not given away


@pytest.mark.slow
def test_a_text_answer_that_cannot_be_read_fails_with_the_reason(tmp_path: Path) -> None:
    done = run_notebook(with_answer("grad_L", 'grad_L = "[(σ(w x + b) - y) x, σ(w x + b) - y"\n'),
                        tmp_path)  # fmt: skip
    assert done.returncode == 1
    assert "AssertionError: NOT_COMPARABLE: expected ',', ';' or ']'" in done.stderr
    assert 'File "<cell 7>"' in done.stderr


# --- assert_gradient ---------------------------------------------------------------------------

w, x = sp.symbols("w x", real=True)
TANH = sp.tanh(w * x)  # d/dw tanh(w x) = x (1 - tanh²(w x)) = x sech²(w x)


def test_a_right_answer_returns_its_verdict() -> None:
    verdict = assert_gradient(x * (1 - sp.tanh(w * x) ** 2), TANH, w, isolation=Isolation.NONE)
    assert verdict.outcome is Outcome.EQUIVALENT
    problem = GradientProblem.from_expression(TANH, w)
    assert assert_gradient("x sech^2(w x)", problem, isolation=Isolation.NONE).correct


def test_a_wrong_answer_raises_assertion_error_with_the_named_mistake() -> None:
    with pytest.raises(AssertionError) as raised:
        assert_gradient("2 x sech^2(w x)", TANH, w, isolation=Isolation.NONE)
    lines = str(raised.value).splitlines()
    assert lines[0] == "DIFFERENT: the answer is 2 times the gradient (a constant factor)"
    assert lines[-1] == "  your answer, as read: 2 x sech²(w x)"


def test_a_gradient_vector_may_be_a_list() -> None:
    f = w**2 * x
    assert assert_gradient([2 * w * x, w**2], f, [w, x], isolation=Isolation.NONE).correct
    assert assert_gradient(["2 w x", "w^2"], f, [w, x], isolation=Isolation.NONE).correct
    with pytest.raises(AssertionError, match="entry"):
        assert_gradient([w * x, w**2], f, [w, x], isolation=Isolation.NONE)


def test_an_exact_number_is_an_answer() -> None:
    assert assert_gradient(3, 3 * w + x, w, isolation=Isolation.NONE).correct
    assert assert_gradient(Fraction(1, 2), w / 2, w, isolation=Isolation.NONE).correct


@pytest.mark.parametrize(
    ("answer", "words"),
    [(..., "no answer yet"), (0.5, "the answer is float 0.5"), (None, "the answer is NoneType"),
     ([], "the answer is list"), (True, "the answer is bool")],
)  # fmt: skip
def test_what_is_not_an_answer_fails_the_assertion(answer: object, words: str) -> None:
    with pytest.raises(AssertionError, match=re.escape(words)):
        assert_gradient(answer, TANH, w, isolation=Isolation.NONE)  # type: ignore[arg-type]


def test_a_wrong_test_is_not_an_assertion_error() -> None:
    with pytest.raises(TypeError, match="wrt"):
        assert_gradient("x", TANH, "w", isolation=Isolation.NONE)
    with pytest.raises(TypeError, match="feedback"):
        assert_gradient("x", TANH, w, feedback="full")  # type: ignore[arg-type]


# --- explanation ---------------------------------------------------------------------------


def test_the_feedback_levels() -> None:
    verdict = Verdict(
        Outcome.DIFFERENT,
        "wrong sign",
        counterexample={x: sp.Rational(1, 2)},
        true_value=sp.Integer(3),
        submitted_value=sp.Integer(-3),
        difference=-6 * x**2,
        mistakes=(Mistake.SIGN,),
        answer="-3 x^2",
    )
    point = "  at x = 1/2: true value 3, submitted -3"
    echo = "  your answer, as read: -3 x^2"
    assert explanation(verdict).splitlines() == ["DIFFERENT: wrong sign", point, echo]
    assert explanation(verdict, feedback=Feedback.FULL).splitlines() == [
        "DIFFERENT: wrong sign", point, "  submitted − true = −6 x²", echo,
    ]  # fmt: skip
    assert explanation(verdict, feedback=Feedback.REASON).splitlines() == [
        "DIFFERENT: wrong sign", echo,
    ]  # fmt: skip


def test_an_explanation_of_huge_values_is_short() -> None:
    huge = sp.Integer(10) ** 5000 / 3
    verdict = Verdict(
        Outcome.DIFFERENT, "differs", counterexample={x: sp.Integer(1)}, true_value=huge,
        submitted_value=-huge, answer="x" * 5000,
    )  # fmt: skip
    text = explanation(verdict)
    assert "3.3333333333333333333…×10^4999" in text
    assert len(text) < 2500
    assert text.endswith("… (5000 characters)")


def test_the_autograders_page_shows_question_1_of_the_notebook() -> None:
    page = (NOTEBOOK.parents[2] / "autograders.rst").read_text(encoding="utf-8")
    match = re.search(
        r"\.\. literalinclude:: examples/notebook/sigmoid_neuron\.ipynb\n"
        r"   :language: json\n   :lines: (\d+)-(\d+)\n",
        page,
    )
    assert match is not None
    lines = NOTEBOOK.read_text(encoding="utf-8").splitlines()
    shown = "\n".join(lines[int(match[1]) - 1 : int(match[2])])
    assert shown.startswith("  {")
    assert shown.endswith("  },")
    assert '"grade_id": "dL_dw"' in shown
    assert '"grade_id": "test_dL_dw"' in shown
    assert "verdict = assert_gradient(dL_dw, L, w)" in shown
