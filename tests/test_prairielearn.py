"""Tests of the PrairieLearn adapter: the example question's server.py run on PrairieLearn-shaped
``data`` dictionaries (right, wrong, unreadable and hostile answers), and ``grade``/``parse``."""

from __future__ import annotations

import importlib.util
import json
import math
import random
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import sympy as sp

from symdl.grading.answers import GradientProblem, Isolation
from symdl.grading.notebooks import Feedback
from symdl.grading.prairielearn import TIME_LIMIT, grade, parse
from symdl.referee.equivalence import CheckOptions
from symdl.referee.verdict import Mistake, Outcome

QUESTION = Path(__file__).resolve().parent.parent / "docs" / "examples" / "prairielearn"


def load_server() -> ModuleType:
    """The example question's server.py, imported as PrairieLearn imports it."""
    spec = importlib.util.spec_from_file_location("pl_question_server", QUESTION / "server.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SERVER = load_server()


def new_data() -> dict[str, Any]:
    """The data dictionary PrairieLearn passes to generate() (its documented keys)."""
    return {
        "params": {}, "correct_answers": {}, "submitted_answers": {}, "format_errors": {},
        "partial_scores": {}, "score": 0.0, "feedback": {}, "variant_seed": "1",
        "options": {}, "raw_submitted_answers": {}, "editable": True, "panel": "question",
        "extensions": {}, "num_valid_submissions": 0, "manual_grading": False,
        "answers_names": {},
    }  # fmt: skip


def variant(a: int) -> dict[str, Any]:
    """A generated variant whose parameter is ``a``."""
    for seed in range(100):
        random.seed(seed)
        data = new_data()
        SERVER.generate(data)
        if data["params"]["a"] == a:
            return data
    raise AssertionError(f"generate() never chose a = {a}")


def submit(data: dict[str, Any], text: Any) -> dict[str, Any]:
    """A submission as PrairieLearn runs it: the answer, parse(), then grade() if valid."""
    data = json.loads(json.dumps(data))  # PrairieLearn stores data as JSON between calls
    data["raw_submitted_answers"]["gradient"] = text
    data["submitted_answers"]["gradient"] = text
    SERVER.parse(data)
    if not data["format_errors"]:
        SERVER.grade(data)
    json.dumps(data)  # everything in data must stay JSON-serializable
    return data


def check_graded(data: dict[str, Any]) -> dict[str, Any]:
    """The documented shape of a graded answer; returns its partial score."""
    part = data["partial_scores"]["gradient"]
    assert set(part) == {"score", "weight", "feedback"}
    assert isinstance(part["score"], float)
    assert 0 <= part["score"] <= 1
    assert isinstance(part["weight"], int)
    assert isinstance(part["feedback"], str)
    assert data["feedback"]["gradient"] == part["feedback"]
    assert isinstance(data["score"], float)
    assert 0 <= data["score"] <= 1
    assert "gradient" not in data["format_errors"]
    assert "**" not in part["feedback"]
    return part


POINT = re.compile(
    r"at w = (?P<w>-?\d+(?:/\d+)?), x = (?P<x>-?\d+(?:/\d+)?): "
    r"true value (?P<t>\S+), submitted (?P<s>\S+)"
)


def by_hand(a: int, w: float, x: float) -> float:
    """d/dw log(1 + e^(-a w x)) = -a x / (1 + e^(a w x)), derived by hand."""
    return -a * x / (1 + math.exp(a * w * x))


# --- the example question -------------------------------------------------------------------


def test_generate_sets_the_parameters_and_the_correct_answer() -> None:
    data = new_data()
    SERVER.generate(data)
    a = data["params"]["a"]
    assert a in (2, 3, 5)
    assert data["params"]["loss"] == rf"\log{{\left(1 + e^{{- {a} w x}} \right)}}"
    assert "**" not in data["correct_answers"]["gradient"]
    graded = submit(data, data["correct_answers"]["gradient"])  # PrairieLearn's "test correct"
    assert check_graded(graded)["score"] == 1.0


@pytest.mark.parametrize(
    "text",
    ["-3x/(1 + e^(3 w x))", r"\frac{-3x}{1 + e^{3wx}}", "-3 x σ(-3 w x)",
     "-3 x exp(-3wx)/(1 + exp(-3 w x))"],
)  # fmt: skip
def test_every_form_of_the_right_answer_scores_1(text: str) -> None:
    data = submit(variant(3), text)
    part = check_graded(data)
    assert (part["score"], data["score"]) == (1.0, 1.0)
    assert part["feedback"].startswith("EQUIVALENT")


def test_a_wrong_sign_gets_the_partial_credit_and_the_point_where_it_is_wrong() -> None:
    data = submit(variant(2), "2x/(1 + e^(2 w x))")
    part = check_graded(data)
    assert part["score"] == data["score"] == 0.5  # the example's credit for a sign mistake
    first, *rest = part["feedback"].splitlines()
    assert first.startswith("DIFFERENT: the sign is wrong")
    match = POINT.search(part["feedback"])
    assert match is not None, part["feedback"]
    w, x = float(sp.Rational(match["w"])), float(sp.Rational(match["x"]))
    assert float(match["t"]) == pytest.approx(by_hand(2, w, x), rel=1e-10, abs=1e-300)
    assert float(match["s"]) == pytest.approx(-by_hand(2, w, x), rel=1e-10, abs=1e-300)
    assert not any("submitted − true" in line for line in rest)  # not the true gradient


def test_an_unrecognised_wrong_answer_scores_0() -> None:
    part = check_graded(submit(variant(5), "x/(1 + w^2)"))
    assert part["score"] == 0.0
    assert "differs from the true gradient" in part["feedback"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("-2x/(1 + e^(2wx)", "expected ')'"),
        ("-2 x / (1 + e^(2 w z))", "unknown name 'z'"),
        ("", "No answer was submitted"),
        (None, "No answer was submitted"),
        ("1/2x", "ambiguous"),
    ],
    ids=["syntax", "unknown-name", "empty", "missing", "ambiguous"],
)
def test_an_unreadable_answer_is_a_format_error(text: Any, words: str) -> None:
    data = submit(variant(2), text)
    assert words in data["format_errors"]["gradient"]
    assert "gradient" not in data["partial_scores"]


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('touch pwned')",
        "9^9^9^9^9",
        "w" * 20_000,
        r"\input{/etc/passwd}",
        "exec('1')",
        "[w, x]",
        "()" * 3000,
        "(" * 5000 + "w" + ")" * 5000,
    ],
    ids=["import", "tower", "long", "latex-input", "exec", "shape", "pairs", "nesting"],
)
def test_a_hostile_answer_never_raises(text: str) -> None:
    data = submit(variant(2), text)
    assert data["format_errors"]["gradient"]
    assert "gradient" not in data["partial_scores"]
    assert not Path("pwned").exists()


def test_the_question_folder_has_what_prairielearn_reads() -> None:
    info = json.loads((QUESTION / "info.json").read_text(encoding="utf-8"))
    assert {"uuid", "title", "topic", "type"} <= set(info)
    assert info["type"] == "v3"
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
                        info["uuid"])  # fmt: skip
    html = (QUESTION / "question.html").read_text(encoding="utf-8")
    assert '<pl-string-input answers-name="gradient"' in html
    assert "{{params.loss}}" in html
    assert "{{feedback.gradient}}" in html  # escaped by Mustache: the feedback is text
    assert "{{{" not in html


# --- grade() and parse() --------------------------------------------------------------------

X = sp.Symbol("x", real=True)
CUBE = GradientProblem.from_expression(X**3, X)  # d/dx x^3 = 3 x^2


def test_grade_keeps_the_weight_of_the_element_and_averages_the_parts() -> None:
    data: dict[str, Any] = {
        "submitted_answers": {"d": "3x^2"},
        "partial_scores": {"d": {"score": 0.0, "weight": 3}, "other": {"score": 0.0, "weight": 1}},
    }
    verdict = grade(data, CUBE, name="d", isolation=Isolation.NONE)
    assert verdict.correct
    assert data["partial_scores"]["d"]["weight"] == 3
    assert data["score"] == 0.75  # (3 · 1 + 1 · 0) / (3 + 1)
    assert data["format_errors"] == {}


def test_grade_refuses_what_is_not_the_students_fault() -> None:
    data: dict[str, Any] = {"submitted_answers": {"gradient": "3x^2"}}
    with pytest.raises(TypeError, match="give a GradientProblem"):
        grade(data, X**3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="PrairieLearn's data dictionary"):
        grade([], CUBE)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="from 0 to 1"):
        grade(data, CUBE, partial_credit={Mistake.SIGN: 2})
    with pytest.raises(TypeError, match="is not a Mistake"):
        grade(data, CUBE, partial_credit={"sign": 0.5})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="weight = -1"):
        grade(data, CUBE, weight=-1)
    with pytest.raises(TypeError, match="options"):
        grade(data, CUBE, options=5)  # type: ignore[arg-type]
    assert data == {"submitted_answers": {"gradient": "3x^2"}, "format_errors": {},
                    "partial_scores": {}, "feedback": {}}  # fmt: skip


def test_an_answer_not_decided_in_time_is_a_format_error() -> None:
    data: dict[str, Any] = {"submitted_answers": {"gradient": "3x^2"}}
    verdict = grade(data, CUBE, options=CheckOptions(time_limit=0.001))
    assert verdict.outcome is Outcome.UNKNOWN
    assert "time limit" in data["format_errors"]["gradient"]
    assert "not graded" in data["format_errors"]["gradient"]
    assert "gradient" not in data["partial_scores"]


def test_the_feedback_tells_what_it_is_asked_to() -> None:
    full: dict[str, Any] = {"submitted_answers": {"gradient": "x^2"}}
    grade(full, CUBE, feedback=Feedback.FULL, isolation=Isolation.NONE)
    assert "submitted − true = −2 x²" in full["feedback"]["gradient"]  # x² − 3x², by hand
    terse: dict[str, Any] = {"submitted_answers": {"gradient": "x^2"}}
    grade(terse, CUBE, feedback=Feedback.REASON, isolation=Isolation.NONE)
    assert terse["feedback"]["gradient"].splitlines() == [
        "DIFFERENT: the answer is 1/3 times the gradient (a constant factor)",  # x² / 3x²
        "  your answer, as read: x²",
    ]


def test_parse_leaves_a_readable_answer_and_an_earlier_format_error_alone() -> None:
    data: dict[str, Any] = {"submitted_answers": {"gradient": "3 x^2"}, "format_errors": {}}
    parse(data, CUBE)
    assert data["format_errors"] == {}
    earlier = {"submitted_answers": {"gradient": "3x^2)"}, "format_errors": {"gradient": "mine"}}
    parse(earlier, CUBE)
    assert earlier["format_errors"] == {"gradient": "mine"}


def test_the_time_limit_fits_prairielearns_limit_on_a_call() -> None:
    # a worker is killed 2 s after the limit; PrairieLearn stops a server.py call after 10 s
    assert TIME_LIMIT + 2 < 10
