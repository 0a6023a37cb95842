"""Held-out cases of the autograder adapters (Gradescope, PrairieLearn, notebooks) that each
found a bug, kept as regression tests.

The expected values are read off the platforms' documented formats or worked out by hand: the
derivative of tanh(w x) with respect to w is x (1 − tanh²(w x)), so 2.0 times it is off by a
constant factor 2 and 0.5 x is a different function.
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
from pathlib import Path

import pytest
import sympy as sp

from symdl.cli import main
from symdl.grading import prairielearn
from symdl.grading.answers import GradientProblem, Isolation
from symdl.grading.gradescope import grade_submission, gradescope_results, read_submission
from symdl.grading.notebooks import assert_gradient
from symdl.referee.verdict import Outcome, Verdict

w, x = sp.symbols("w x", real=True)
TRUE_GRADIENT = x * (1 - sp.tanh(w * x) ** 2)  # d/dw tanh(w x), by hand

PROBLEM_TOML = """\
title = "d/dw of tanh(w x)"

[expression]
function = "tanh(w x)"
variables = ["w", "x"]
wrt = "w"
"""


@pytest.fixture(scope="module")
def problem() -> GradientProblem:
    return GradientProblem.from_expression(sp.tanh(w * x), w)


# --- Gradescope -------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_a_named_pipe_as_the_answer_file_is_refused_without_waiting(
    tmp_path: Path, problem: GradientProblem
) -> None:
    # found: open() of a pipe with no writer waited forever; Gradescope then killed the run
    # and the student got no results
    os.mkfifo(tmp_path / "answer.txt")
    start = time.perf_counter()
    results = grade_submission(problem, tmp_path)
    assert time.perf_counter() - start < 5
    (test,) = results["tests"]
    assert test["score"] == 0
    assert test["status"] == "failed"
    assert "not a regular file" in test["output"]


def test_a_folder_named_like_the_answer_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "answer.txt").mkdir()
    with pytest.raises(ValueError, match="not a regular file"):
        read_submission(tmp_path)


def test_an_answer_inside_the_one_folder_a_student_zipped_is_found(tmp_path: Path) -> None:
    # found: a zip of the folder holding answer.txt (extracted as submission/hw/answer.txt,
    # with macOS's __MACOSX beside it) scored 0 with "the submission has no file"
    (tmp_path / "hw" / "part").mkdir(parents=True)
    (tmp_path / "hw" / "part" / "gradient.txt").write_text("2 x\n", encoding="utf-8")
    (tmp_path / "__MACOSX").mkdir()
    (tmp_path / "__MACOSX" / "._gradient.txt").write_bytes(b"\x00\x05\x16\x07")
    assert read_submission(tmp_path) == "2 x"


def test_several_folders_are_named_in_the_message(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with pytest.raises(ValueError, match=r"no file \(only the folders a, b\)"):
        read_submission(tmp_path)


def test_the_top_level_output_is_plain_text() -> None:
    # found: Gradescope renders the top-level output as HTML ("simple_format") unless
    # output_format says otherwise, so a title "σ(z) < 1 <b>" lost its "<" parts
    verdict = Verdict(Outcome.EQUIVALENT, "equivalent to the true gradient")
    results = gradescope_results(verdict, name="σ(z) < 1 <b>", output="Problem: σ(z) < 1 <b>")
    assert results["output_format"] == "text"
    assert all(test["output_format"] == "text" for test in results["tests"])


def test_the_command_survives_a_standard_output_that_is_not_utf8(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # found: with an ASCII standard output (PYTHONIOENCODING=ascii, LANG=…ISO-8859-1) the
    # summary line "… −y + σ(…)" raised UnicodeEncodeError: exit status 1 and a traceback,
    # which ends run_autograder (set -e) with an error
    problem_file = tmp_path / "problem.toml"
    problem_file.write_text(PROBLEM_TOML, encoding="utf-8")
    (tmp_path / "answer.txt").write_text("x sech²(w x)", encoding="utf-8")
    out = tmp_path / "results.json"
    for extra in (["--out", str(out)], []):
        buffer = io.BytesIO()
        stream = io.TextIOWrapper(buffer, encoding="ascii", errors="strict")
        monkeypatch.setattr(sys, "stdout", stream)
        answer = str(tmp_path / "answer.txt")
        status = main(["grade", str(problem_file), answer, "--format", "gradescope", *extra])
        stream.flush()
        monkeypatch.undo()
        assert status == 0
        printed = buffer.getvalue().decode("ascii")
        if extra:
            assert "\\u2212" in printed or "\\xb2" in printed  # escaped, not dropped
            assert json.loads(out.read_text(encoding="ascii"))["score"] == 1.0
        else:
            assert json.loads(printed)["tests"][0]["status"] == "passed"


# --- PrairieLearn -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["x < w", "x & w", "<b>x</b>"])
def test_a_format_error_is_html_that_shows_what_was_written(
    problem: GradientProblem, text: str
) -> None:
    # found: PrairieLearn shows data["format_errors"][name] as HTML (pl-string-input's
    # popover has data-html), and the message quoted "<" or "&" from the answer unescaped
    for step in (prairielearn.parse, prairielearn.grade):
        data: dict[str, dict[str, object]] = {"submitted_answers": {"gradient": text}}
        step(data, problem)
        message = data["format_errors"]["gradient"]
        assert isinstance(message, str)
        assert "<" not in message
        assert ">" not in message
        assert "&lt;" in message or "&amp;" in message


# --- notebooks --------------------------------------------------------------------------------


@pytest.mark.parametrize("factor", [2.0, 3.0, 0.5])
def test_a_decimal_factor_in_a_sympy_answer_is_not_equivalent(factor: float) -> None:
    # found: assert_gradient(2.0 * x (1 − tanh²(w x)), tanh(w x), w) passed (EQUIVALENT by
    # 50-digit evaluation) although the answer is twice the gradient
    with pytest.raises(AssertionError, match="constant factor"):
        assert_gradient(factor * TRUE_GRADIENT, sp.tanh(w * x), w, isolation=Isolation.NONE)


def test_a_decimal_answer_is_read_as_the_decimal_it_shows() -> None:
    # found: 0.5 x failed with "values too large to compute" (UNKNOWN), not as a different
    # answer with the point where it is wrong
    with pytest.raises(AssertionError) as failure:
        assert_gradient(sp.Float(0.5) * x, sp.tanh(w * x), w, isolation=Isolation.NONE)
    message = str(failure.value)
    assert message.startswith("DIFFERENT")
    assert "your answer, as read: x/2" in message


def test_a_right_answer_with_decimals_still_passes() -> None:
    verdict = assert_gradient(
        sp.Float(1.0) * TRUE_GRADIENT + sp.Float(0.0), sp.tanh(w * x), w, isolation=Isolation.NONE
    )
    assert verdict.outcome is Outcome.EQUIVALENT
    vector = assert_gradient([sp.Float(2.0) * w / 2], w**2 / 2, [w], isolation=Isolation.NONE)
    assert vector.outcome is Outcome.EQUIVALENT
