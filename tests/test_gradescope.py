"""Tests of Gradescope's results.json: its documented shape, one submission's verdict, hostile
and unreadable submissions, the atomic write, ``symdl grade --format gradescope`` and the
example autograder folder run in a copy of Gradescope's /autograder tree."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import sympy as sp

from symdl.cli import main
from symdl.grading.answers import GradientProblem, Isolation, check_gradient
from symdl.grading.gradescope import (
    ANSWER_FILE,
    MAX_SUBMISSION_BYTES,
    Visibility,
    grade_submission,
    gradescope_results,
    read_submission,
    write_results,
)
from symdl.grading.notebooks import Feedback
from symdl.grading.problem_files import load_problem
from symdl.referee.equivalence import CheckOptions
from symdl.referee.verdict import Outcome, Verdict

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "docs" / "examples" / "gradescope"

# --- the documented shape of results.json -----------------------------------------------------
# From Gradescope's "Autograder Specifications", section "Output format" (and "Test case
# status", "Output String Formatting", "Controlling Test Case Visibility"): every key is
# optional there, but a results file needs a score at the top or on every test.

VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}
FORMATS = {"text", "html", "simple_format", "md", "ansi"}
TOP_LEVEL = {
    "score": (int, float),
    "execution_time": (int, float),
    "output": str,
    "output_format": str,
    "test_output_format": str,
    "test_name_format": str,
    "visibility": str,
    "stdout_visibility": str,
    "extra_data": dict,
    "tests": list,
    "leaderboard": list,
}
TEST = {
    "score": (int, float),
    "max_score": (int, float),
    "status": str,
    "name": str,
    "name_format": str,
    "number": str,
    "output": str,
    "output_format": str,
    "tags": list,
    "visibility": str,
    "extra_data": dict,
}


def check_shape(results: Any) -> None:
    """Fail unless ``results`` has the documented shape of results.json."""
    assert isinstance(results, dict)
    assert set(results) <= set(TOP_LEVEL), set(results) - set(TOP_LEVEL)
    for key, kind in TOP_LEVEL.items():
        if key in results:
            assert isinstance(results[key], kind), key
            assert not isinstance(results[key], bool), key
    tests = results.get("tests", [])
    assert "score" in results or (tests and all("score" in t for t in tests))
    for key in ("visibility", "stdout_visibility"):
        assert results.get(key, "visible") in VISIBILITIES
    assert results.get("output_format", "simple_format") in FORMATS
    for test in tests:
        assert isinstance(test, dict)
        assert set(test) <= set(TEST), set(test) - set(TEST)
        for key, kind in TEST.items():
            if key in test:
                assert isinstance(test[key], kind), key
                assert not isinstance(test[key], bool), key
        assert test.get("status", "passed") in {"passed", "failed"}
        assert test.get("visibility", "visible") in VISIBILITIES
        assert test.get("output_format", "text") in FORMATS
        if "score" in test and "max_score" in test:
            assert 0 <= test["score"] <= test["max_score"]
    for number in [results.get("score", 0), *(t.get("score", 0) for t in tests)]:
        assert math.isfinite(number)


def the_test(results: dict[str, Any]) -> dict[str, Any]:
    check_shape(results)
    (test,) = results["tests"]
    return test


X = sp.Symbol("x", real=True)
CUBE = GradientProblem.from_expression(X**3, X)  # d/dx x^3 = 3 x^2, by hand


def submit(tmp_path: Path, text: str | bytes, name: str = ANSWER_FILE) -> Path:
    folder = tmp_path / "submission"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return folder


POINT = re.compile(r"at x = (?P<x>-?\d+(?:/\d+)?): true value (?P<t>\S+), submitted (?P<s>\S+)")


# --- one submission ----------------------------------------------------------------------------


def test_a_right_answer_scores_the_points(tmp_path: Path) -> None:
    results = grade_submission(CUBE, submit(tmp_path, "3x^2"), max_score=4)
    test = the_test(results)
    assert (results["score"], test["score"], test["max_score"]) == (4.0, 4.0, 4.0)
    assert test["status"] == "passed"
    assert test["output"].startswith("EQUIVALENT")
    assert test["name"] == CUBE.statement
    assert CUBE.statement in results["output"]


def test_a_wrong_answer_scores_0_with_the_point_where_it_is_wrong(tmp_path: Path) -> None:
    results = grade_submission(CUBE, submit(tmp_path, "x^2"))
    test = the_test(results)
    assert (results["score"], test["score"], test["status"]) == (0.0, 0.0, "failed")
    match = POINT.search(test["output"])
    assert match is not None, test["output"]
    x = Fraction(match["x"])
    assert Fraction(match["t"]) == 3 * x**2  # the true gradient there, by hand
    assert Fraction(match["s"]) == x**2  # and the answer there
    assert "**" not in test["output"]
    assert "your answer, as read: x²" in test["output"]


def test_the_difference_is_shown_only_on_request() -> None:
    verdict = check_gradient(CUBE, "x^2", isolation=Isolation.NONE)
    hidden = the_test(gradescope_results(verdict, name="cube"))["output"]
    shown = the_test(gradescope_results(verdict, name="cube", feedback=Feedback.FULL))["output"]
    assert "submitted − true" not in hidden  # it would give the true gradient away
    assert "submitted − true = −2 x²" in shown  # x^2 - 3x^2, by hand


def test_a_named_mistake_is_in_the_output(tmp_path: Path) -> None:
    test = the_test(grade_submission(CUBE, submit(tmp_path, "-3x^2")))
    assert "sign" in test["output"].splitlines()[0]


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('touch pwned')",
        "9^9^9^9^9",
        "x" * 20_000,
        r"\input{/etc/passwd}",
        "3x^2)",
        "y",
        "[3x^2, 1]",
    ],
    ids=["import", "tower", "long", "latex-input", "syntax", "unknown-name", "shape"],
)
def test_a_hostile_or_unreadable_answer_scores_0_with_the_reason(tmp_path: Path, text: str) -> None:
    results = grade_submission(CUBE, submit(tmp_path, text))
    test = the_test(results)
    assert (results["score"], test["status"]) == (0.0, "failed")
    assert test["output"].startswith("NOT_COMPARABLE: ")
    assert len(test["output"].splitlines()[0]) > len("NOT_COMPARABLE: ") + 10  # says why
    assert not (tmp_path / "submission" / "pwned").exists()
    assert not Path("pwned").exists()


def test_an_answer_that_cannot_be_decided_in_time_scores_0_with_the_reason(tmp_path: Path) -> None:
    # a time limit too short for any check: the answer is stopped in its worker process
    results = grade_submission(
        CUBE, submit(tmp_path, "3 x^2"), options=CheckOptions(time_limit=0.001)
    )
    test = the_test(results)
    assert results["score"] == 0.0
    assert test["output"].startswith("UNKNOWN: could not decide within the time limit of 0.001 s")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\xff\xfe3\x00x\x00", "not UTF-8 text"),
        (b"  \n\t ", "is empty"),
        (b"3" * (MAX_SUBMISSION_BYTES + 1), "larger than"),
    ],
    ids=["binary", "empty", "huge"],
)
def test_an_unreadable_file_scores_0_with_the_reason(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    test = the_test(grade_submission(CUBE, submit(tmp_path, content)))
    assert test["score"] == 0.0
    assert reason in test["output"]


def test_the_submission_folder_must_hold_one_answer(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "has no file" in the_test(grade_submission(CUBE, empty))["output"]
    assert "no file" in the_test(grade_submission(CUBE, tmp_path / "missing.txt"))["output"]
    folder = submit(tmp_path, "3x^2", "mine.txt")
    (folder / "notes.md").write_text("scratch", encoding="utf-8")
    assert "has 2 files" in the_test(grade_submission(CUBE, folder))["output"]
    (folder / ANSWER_FILE).write_text("3 x^2", encoding="utf-8")  # named: the others are ignored
    assert the_test(grade_submission(CUBE, folder))["status"] == "passed"


def test_a_link_is_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "problem.toml"
    secret.write_text("3x^2", encoding="utf-8")
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / ANSWER_FILE).symlink_to(secret)
    test = the_test(grade_submission(CUBE, folder))
    assert test["score"] == 0.0
    assert "is a link" in test["output"]


def test_read_submission_strips_a_byte_order_mark_and_blank_lines(tmp_path: Path) -> None:
    folder = submit(tmp_path, b"\xef\xbb\xbf\n  3 x^2 \r\n\n", "answer.txt")
    (folder / ".DS_Store").write_bytes(b"\x00")  # hidden files are not the answer
    (folder / ANSWER_FILE).rename(folder / "gradient.txt")
    assert read_submission(folder) == "3 x^2"


def test_the_options_are_checked() -> None:
    verdict = Verdict(Outcome.EQUIVALENT, "equivalent")
    with pytest.raises(ValueError, match="max_score = -1"):
        gradescope_results(verdict, name="p", max_score=-1)
    with pytest.raises(TypeError, match="max_score = True"):
        gradescope_results(verdict, name="p", max_score=True)
    with pytest.raises(TypeError, match="visibility = 'hidden'"):
        gradescope_results(verdict, name="p", visibility="hidden")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="give a GradientProblem"):
        grade_submission("x^3", "answer.txt")  # type: ignore[arg-type]


def test_visibility_and_a_long_name() -> None:
    verdict = Verdict(Outcome.DIFFERENT, "differs")
    results = gradescope_results(verdict, name="a " * 300, visibility=Visibility.AFTER_DUE_DATE)
    test = the_test(results)
    assert results["visibility"] == test["visibility"] == "after_due_date"
    assert len(test["name"]) == 200
    assert test["name"].endswith("…")


# --- writing results.json ----------------------------------------------------------------------


def test_results_are_written_atomically_as_ascii_json(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    out.write_text("previous", encoding="utf-8")
    verdict = check_gradient(CUBE, "x^2", isolation=Isolation.NONE)
    results = gradescope_results(verdict, name="d/dx x³")
    write_results(results, out)
    raw = out.read_bytes()
    assert raw.isascii()
    assert json.loads(raw) == results
    with pytest.raises(TypeError, match="JSON"):
        write_results({"score": math.nan}, out)
    assert json.loads(out.read_bytes()) == results  # the previous file is intact
    assert [p.name for p in tmp_path.iterdir()] == ["results.json"]  # no temporary left


# --- the command --------------------------------------------------------------------------------


def test_the_command_writes_results_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    problem = tmp_path / "cube.toml"
    problem.write_text(
        '[expression]\nfunction = "x^3"\nvariables = ["x"]\nwrt = "x"\n', encoding="utf-8"
    )
    out = tmp_path / "results.json"
    answer = submit(tmp_path, "3 x^2") / ANSWER_FILE
    argv = ["grade", str(problem), str(answer), "--format", "gradescope"]
    assert main([*argv, "--out", str(out), "--max-score", "2.5"]) == 0
    test = the_test(json.loads(out.read_text(encoding="utf-8")))
    assert (test["score"], test["max_score"]) == (2.5, 2.5)
    assert "score 2.5 of 2.5" in capsys.readouterr().out
    assert main(argv) == 0  # without --out: printed
    assert the_test(json.loads(capsys.readouterr().out))["status"] == "passed"


def test_the_command_refuses_what_is_not_the_students_fault(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[expression]\nfunction = "x^3"\n', encoding="utf-8")
    out = tmp_path / "results.json"
    answer = submit(tmp_path, "3 x^2")
    assert main(["grade", str(bad), str(answer), "--format", "gradescope", "--out", str(out)]) == 2
    assert not out.exists()  # Gradescope shows the instructor the failure
    good = EXAMPLE / "problem.toml"
    assert main(["grade", str(good), str(answer), "--format", "gradescope", "--json"]) == 2
    assert "--json cannot be used with --format gradescope" in capsys.readouterr().out
    assert main(["grade", str(good), str(answer), "--max-score", "3"]) == 2
    assert "--max-score cannot be used with --format report" in capsys.readouterr().out


# --- the example autograder ----------------------------------------------------------------------


def autograder_tree(tmp_path: Path, answer: str) -> Path:
    """A copy of Gradescope's /autograder tree: the zip in source/, the submission."""
    root = tmp_path / "autograder"
    shutil.copytree(EXAMPLE, root / "source")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    submit(root, answer, "my_answer.txt")
    return root


def run_autograder(root: Path) -> dict[str, Any]:
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "PYTHON": sys.executable}
    done = subprocess.run(
        ["bash", str(root / "run_autograder")], cwd=root, env=env, capture_output=True,
        text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    results: dict[str, Any] = json.loads((root / "results" / "results.json").read_text())
    return results


def example_answer() -> str:
    """The answer that the example problem file's comment shows."""
    text = (EXAMPLE / "problem.toml").read_text(encoding="utf-8")
    match = re.search(r"^#\s+(\[.*\])\s*$", text, flags=re.M)
    assert match is not None
    return match[1]


@pytest.mark.slow  # a Python process that imports SymPy: about 2 s
def test_the_example_autograder_grades_a_submission(tmp_path: Path) -> None:
    root = autograder_tree(tmp_path, example_answer())
    test = the_test(run_autograder(root))
    assert test["status"] == "passed"
    assert test["score"] == test["max_score"] == 1.0


@pytest.mark.slow
def test_the_example_autograder_scores_a_wrong_submission_0(tmp_path: Path) -> None:
    # the derivative of the loss with respect to the bias is σ(wx + b) − y; the answer forgets
    # the input x in the weight's entry
    root = autograder_tree(tmp_path, "[σ(w x + b) - y, σ(w x + b) - y]")
    test = the_test(run_autograder(root))
    assert test["status"] == "failed"
    assert test["score"] == 0.0
    assert "entry (1, 1)" in test["output"]


def test_the_example_folder_is_what_gradescope_needs() -> None:
    for script in ("setup.sh", "run_autograder"):
        path = EXAMPLE / script
        assert path.read_text(encoding="utf-8").startswith("#!/usr/bin/env bash\n")
        assert os.access(path, os.X_OK), f"{script} must be executable"
        check = subprocess.run(["bash", "-n", str(path)], capture_output=True, check=False)
        assert check.returncode == 0, check.stderr
    problem, _ = load_problem(EXAMPLE / "problem.toml")
    assert problem.statement.startswith("∇ of the cross-entropy of a sigmoid neuron")
    # the example's answer is the gradient, derived by hand: dL/dw = (σ - y) x, dL/db = σ - y
    w, b, x, y = (problem.names[n] for n in ("w", "b", "x", "y"))
    s = 1 / (1 + sp.exp(-(w * x + b)))
    by_hand = sp.Matrix([(s - y) * x, s - y])
    difference = (problem.truth - by_hand).applyfunc(lambda e: sp.simplify(e.rewrite(sp.exp)))
    assert difference == sp.zeros(2, 1)
