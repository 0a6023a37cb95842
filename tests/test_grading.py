"""Tests of grading a class: problem files, the parallel batch, the report and the CLI."""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import signal
import time
from pathlib import Path
from typing import Any

import pytest
import sympy as sp

import symdl.grading.batch
from symdl.cli import main
from symdl.grading.answers import GradientProblem
from symdl.grading.batch import grade, read_answers
from symdl.grading.problem_files import load_problem, load_problem_text
from symdl.referee.equivalence import CheckOptions
from symdl.referee.verdict import Outcome, Verdict

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
PROBLEM = EXAMPLES / "sigmoid_network.toml"
ANSWERS = EXAMPLES / "answers.csv"
EXPECTED = {
    "s01": "EQUIVALENT", "s02": "EQUIVALENT", "s03": "EQUIVALENT", "s04": "DIFFERENT",
    "s05": "DIFFERENT", "s06": "DIFFERENT", "s07": "DIFFERENT", "s08": "DIFFERENT",
    "s09": "NOT_COMPARABLE", "s10": "NOT_COMPARABLE", "s11": "NOT_COMPARABLE",
    "s12": "NOT_COMPARABLE",
}  # fmt: skip


def test_the_example_class_is_graded_row_by_row() -> None:
    problem, options = load_problem(PROBLEM)
    answers = read_answers(ANSWERS)
    report = grade(problem, answers, options=options, workers=2)
    assert [row.id for row in report.rows] == [i for i, _ in answers]
    assert {row.id: row.verdict.outcome.name for row in report.rows} == EXPECTED
    assert report.correct == 3
    summary = report.summary()
    assert "3 of 12 answers correct" in summary
    assert "off by a constant factor" in summary


def test_the_report_is_written_as_csv_and_json(tmp_path: Path) -> None:
    problem, options = load_problem(PROBLEM)
    report = grade(problem, read_answers(ANSWERS)[:5], options=options, workers=1)
    out = tmp_path / "report.csv"
    report.write_csv(out)
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["correct"] for r in rows] == ["True", "True", "True", "False", "False"]
    point = json.loads(rows[3]["counterexample"])
    assert all("/" in v or v.lstrip("-").isdigit() for v in point.values())  # exact rationals
    assert rows[4]["mistakes"] == "sign"
    assert rows[4]["read_as"].startswith("[")
    record = json.loads(json.dumps(report.to_dict()))
    assert record["outcomes"]["EQUIVALENT"] == 3


def test_report_cells_are_never_spreadsheet_formulas(tmp_path: Path) -> None:
    x = sp.Symbol("x", real=True)
    problem = GradientProblem.from_expression(-(x**3), x)
    answers = [('=HYPERLINK("http://evil")', "3x^2"), ("@SUM(A1)", "-3x^2"), ("+1", "x")]
    report = grade(problem, answers, workers=1)
    out = tmp_path / "report.csv"
    report.write_csv(out)
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["id"] for r in rows] == ['\'=HYPERLINK("http://evil")', "'@SUM(A1)", "'+1"]
    assert rows[0]["read_as"] == "3 x²"
    assert rows[1]["read_as"] == "−3 x²"  # U+2212, the lecture's minus: not a formula
    true_value = rows[0]["true_value"]  # -3 x^2 at the counterexample: negative
    assert true_value.startswith("'-")
    assert report.rows[0].verdict.to_dict()["true_value"] == true_value[1:]  # JSON: unchanged
    cells = [cell for r in rows for cell in r.values()]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_a_huge_cell_is_one_bad_row_not_a_stopped_batch(tmp_path: Path) -> None:
    answers = tmp_path / "answers.csv"
    with answers.open("w", newline="") as handle:
        csv.writer(handle).writerows([["id", "answer"], ["a", "2x"], ["b", "x" * 200_000]])
    limit = csv.field_size_limit()
    rows = read_answers(answers)
    assert csv.field_size_limit() == limit  # restored
    x = sp.Symbol("x", real=True)
    report = grade(GradientProblem.from_expression(x**2, x), rows, workers=1)
    assert [r.verdict.outcome for r in report.rows] == [Outcome.EQUIVALENT, Outcome.NOT_COMPARABLE]
    assert "characters long" in report.rows[1].verdict.reason


def test_most_common_mistakes_group_identical_wrong_answers() -> None:
    x = sp.Symbol("x", real=True)
    problem = GradientProblem.from_expression(x**3, x)
    answers = [("a", "x^2"), ("b", "x**2"), ("c", "3x^2"), ("d", "-3x^2"), ("e", "x^2 ")]
    report = grade(problem, answers, workers=1)
    assert ("the answer x²", 3) in report.common_mistakes()


def _fork() -> Any:
    return multiprocessing.get_context("fork")


def test_one_bad_row_never_stops_the_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    real = symdl.grading.batch.check_answer

    def flaky(problem, text, options, referee):  # type: ignore[no-untyped-def]
        if text == "boom":
            raise RuntimeError("a bug")
        return real(problem, text, options, referee)

    monkeypatch.setattr(symdl.grading.batch, "check_answer", flaky)
    monkeypatch.setattr(symdl.grading.batch, "process_context", _fork)  # workers inherit the patch
    x = sp.Symbol("x", real=True)
    problem = GradientProblem.from_expression(x**2, x)
    report = grade(problem, [("a", "2x"), ("b", "boom"), ("c", "x")], workers=1)
    assert [r.verdict.outcome for r in report.rows] == [
        Outcome.EQUIVALENT,
        Outcome.UNKNOWN,
        Outcome.DIFFERENT,
    ]


@pytest.mark.slow
def test_a_stuck_worker_is_killed_and_its_answer_is_unknown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = symdl.grading.batch.check_answer

    def stuck(problem, text, options, referee) -> Verdict:  # type: ignore[no-untyped-def]
        if text == "hang":  # deaf to the interrupting timer, like a long C call
            signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])
            time.sleep(60)
        return real(problem, text, options, referee)

    monkeypatch.setattr(symdl.grading.batch, "check_answer", stuck)
    monkeypatch.setattr(symdl.grading.batch, "process_context", _fork)
    x = sp.Symbol("x", real=True)
    problem = GradientProblem.from_expression(x**2, x)
    started = time.monotonic()
    report = grade(
        problem, [("a", "hang"), ("b", "2x")], workers=1, options=CheckOptions(time_limit=0.5)
    )
    assert time.monotonic() - started < 15
    assert report.rows[0].verdict.outcome is Outcome.UNKNOWN
    assert "time limit" in report.rows[0].verdict.reason
    assert report.rows[1].verdict.correct


def test_problem_files_are_checked_strictly() -> None:
    text = '[expression]\nfunction = "x^2 y"\nvariables = ["x", "y"]\nwrt = ["x", "y"]\n'
    problem, options = load_problem_text(text + '[domains]\ny = ["1/10", 3]\n[check]\npoints = 4\n')
    x, y = problem.variables
    assert problem.truth == sp.Matrix([2 * x * y, x**2])
    assert problem.domains[y].low == sp.Rational(1, 10)
    assert options.points == 4
    with pytest.raises(ValueError, match="unknown key"):
        load_problem_text(text + "[check]\npoint = 4\n")
    with pytest.raises(ValueError, match="floats are not exact"):
        load_problem_text(text + "[domains]\ny = [0.1, 3]\n")
    with pytest.raises(ValueError, match="exactly one"):
        load_problem_text('title = "nothing"\n')
    with pytest.raises(TypeError, match="points = '4': expected an integer"):
        load_problem_text(text + '[check]\npoints = "4"\n')
    with pytest.raises(ValueError, match="'x y' cannot be written in an answer"):
        load_problem_text(text.replace('["x", "y"]\nwrt', '["x", "x y"]\nwrt'))
    with pytest.raises(
        ValueError, match=r"^wrt: 'z' is not one of the variables \(x, y\); list it"
    ):
        load_problem_text(text.replace('wrt = ["x", "y"]', 'wrt = "z"'))
    with pytest.raises(
        ValueError, match=r"^domains: 'z' is not a variable of the problem \(x, y\)"
    ):
        load_problem_text(text + "[domains]\nz = [1, 2]\n")


def test_grade_names_a_malformed_answer_row() -> None:
    x = sp.Symbol("x", real=True)
    problem = GradientProblem.from_expression(x**2, x)
    with pytest.raises(ValueError, match="give \\(id, answer text\\) pairs"):
        grade(problem, ["2x"], workers=1)  # type: ignore[list-item]
    with pytest.raises(ValueError, match="'a', '2x', 'extra'"):
        grade(problem, [("a", "2x", "extra")], workers=1)  # type: ignore[list-item]


def test_check_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "d/dx of x^3 sin(x)", "--answer", "3x^2 sin x + x^3 cos x"]) == 0
    assert "EQUIVALENT" in capsys.readouterr().out
    assert main(["check", "d/dx of a x^2", "--variables", "a", "--answer", "a x"]) == 1
    assert "1/2 times" in capsys.readouterr().out
    assert main(["check", "d/d(x, y) of x y", "--answer", "[y, x]", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["correct"] is True
    assert (
        main(
            [
                "check",
                str(PROBLEM),
                "--answer",
                r"[[\delta^{(2)} a^{(1)}_1, \delta^{(2)} a^{(1)}_2]]",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["check", "the derivative of x", "--answer", "1"]) == 2
    capsys.readouterr()
    assert main(["check", "d/dx of x^2 sin(y)", "--answer", "2x sin y"]) == 2
    assert "--variables 'y'" in capsys.readouterr().out
    assert main(["check", "d/dx of x^2", "--answer", "x", "--latex"]) == 1
    assert capsys.readouterr().out.startswith(r"\textbf{Different}")


def test_grade_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.csv"
    assert main(["grade", str(PROBLEM), str(ANSWERS), "--out", str(out), "--workers", "2"]) == 0
    printed = capsys.readouterr().out
    assert "3 of 12 answers correct" in printed
    assert len(out.read_text().splitlines()) == 13
    assert main(["grade", str(PROBLEM), str(ANSWERS), "--out", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["correct"] == 3
    bad = tmp_path / "bad.csv"
    bad.write_text("student,text\n1,x\n")
    assert main(["grade", str(PROBLEM), str(bad), "--out", str(out)]) == 2
    assert "'id' and 'answer'" in capsys.readouterr().out


def test_grade_without_out_prints_the_summary_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["grade", str(PROBLEM), str(ANSWERS), "--workers", "2"]) == 0
    printed = capsys.readouterr().out
    assert "3 of 12 answers correct" in printed
    assert "report written" not in printed
    assert list(tmp_path.iterdir()) == []


def test_a_network_problem_can_forbid_naming_the_errors() -> None:
    text = PROBLEM.read_text().replace('wrt = "W2"', 'wrt = "W2"\nquantities = ["z", "a"]')
    problem, options = load_problem_text(text)
    verdict = symdl.grading.batch.check_answer(
        problem, r"[[\delta^{(2)} a^{(1)}_1, \delta^{(2)} a^{(1)}_2]]", options, None
    )
    assert verdict.outcome is Outcome.NOT_COMPARABLE
    assert "unknown name" in verdict.reason
    with pytest.raises(ValueError, match="accepted are"):
        load_problem_text(text.replace('"z", "a"', '"z", "b"'))


def test_the_expression_example_is_graded() -> None:
    problem, options = load_problem(EXAMPLES / "tanh.toml")
    report = grade(problem, read_answers(EXAMPLES / "tanh_answers.csv"), options=options)
    correct = {row.id for row in report.rows if row.verdict.correct}
    assert correct == {"t01", "t02", "t03", "t05"}
    sign = next(row for row in report.rows if row.id == "t06")
    assert [m.name for m in sign.verdict.mistakes] == ["SIGN"]


def test_a_progress_bar_is_drawn_on_the_given_stream() -> None:
    x = sp.Symbol("x", real=True)
    problem = GradientProblem.from_expression(x**2, x)
    stream = io.StringIO()
    grade(problem, [("a", "2x"), ("b", "x"), ("c", "2*x")], workers=1, progress=stream)
    assert "3/3 answers" in stream.getvalue()
    assert stream.getvalue().endswith("\n")


def test_a_step_in_the_function_leaves_no_dirac_delta_in_the_truth() -> None:
    # d/dw (H(w) w²) = 2w H(w) away from the step; diff's DiracDelta(w) w² made every wrong
    # answer UNKNOWN ("values too large"), so none could be graded wrong
    import sympy as sp

    from symdl.grading.answers import GradientProblem, check_answer
    from symdl.referee.verdict import Mistake, Outcome

    w = sp.Symbol("w", real=True)
    problem = GradientProblem.from_expression(sp.Heaviside(w, 0) * w**2, w)
    assert not problem.truth.has(sp.DiracDelta)
    assert check_answer(problem, "2 w Heaviside(w)").outcome is Outcome.EQUIVALENT
    wrong = check_answer(problem, "w")
    assert wrong.outcome is Outcome.DIFFERENT
    # w is not a constant times 2w·H(w): for w < 0 the gradient is 0 and w is not
    assert Mistake.CONSTANT_FACTOR not in wrong.mistakes
    assert check_answer(problem, "4 w Heaviside(w)").mistakes == (Mistake.CONSTANT_FACTOR,)


def test_check_answer_off_the_main_thread_still_has_a_time_limit() -> None:
    # no timer can stop a thread: the check runs in a worker process killed at the limit
    # (this wrong answer took 22 s in a thread, with no limit, against 0.5 s on the main one)
    import concurrent.futures

    from symdl.grading.answers import check_answer

    x = sp.Symbol("x", real=True)
    nested = ["x"]
    for _ in range(3):
        nested.append(f"tanh({nested[-1]})")
    problem = GradientProblem.from_expression(sp.sympify(nested[-1], locals={"x": x}), x)
    answer = "*".join(f"(1 + tanh({u})^2)" for u in nested[:3])  # the sign of sech² wrong
    options = CheckOptions(time_limit=0.5, seed=1, symbolic_seconds=30)
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        verdict = pool.submit(check_answer, problem, answer, options).result()
    assert time.monotonic() - started < 10
    assert verdict.outcome is Outcome.UNKNOWN
    assert "time limit of 0.5 s" in verdict.reason
