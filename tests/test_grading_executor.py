"""grade(..., executor=...): any concurrent.futures executor runs the checks, with the same
verdicts as symdl's own pool, the time limit kept per answer, and one failing task costing
one answer only."""

from __future__ import annotations

import concurrent.futures
from typing import Any

import pytest
import sympy as sp

from symdl.grading.answers import GradientProblem
from symdl.grading.batch import grade
from symdl.referee.equivalence import CheckOptions
from symdl.referee.verdict import Outcome

x = sp.Symbol("x", real=True)
PROBLEM = GradientProblem.from_expression(x**3 * sp.sin(x), x)
# d/dx x³ sin x = 3x² sin x + x³ cos x: right, right rewritten, factor 2, sign, unreadable
ANSWERS = [
    ("a", "3x^2 sin(x) + x^3 cos(x)"),
    ("b", "x^2 (3 sin(x) + x cos(x))"),
    ("c", "6x^2 sin(x) + 2x^3 cos(x)"),
    ("d", "-3x^2 sin(x) - x^3 cos(x)"),
    ("e", "3x^2 sin(x +"),
]
EXPECTED = ["EQUIVALENT", "EQUIVALENT", "DIFFERENT", "DIFFERENT", "NOT_COMPARABLE"]


def outcomes(report: Any) -> list[str]:
    return [row.verdict.outcome.name for row in report.rows]


@pytest.mark.parametrize("kind", ["threads", "processes"])
def test_an_executor_gives_the_verdicts_of_the_own_pool(kind: str) -> None:
    pool: concurrent.futures.Executor = (
        concurrent.futures.ThreadPoolExecutor(2)
        if kind == "threads"
        else concurrent.futures.ProcessPoolExecutor(2)
    )
    with pool:
        report = grade(PROBLEM, ANSWERS, executor=pool)
    assert outcomes(report) == EXPECTED
    assert outcomes(grade(PROBLEM, ANSWERS, workers=1)) == EXPECTED
    assert [row.id for row in report.rows] == [i for i, _ in ANSWERS]


def test_the_time_limit_holds_per_answer_on_an_executor() -> None:
    # 10 ms: too little for any check, so each answer stops at its own limit
    options = CheckOptions(time_limit=0.01)
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        report = grade(PROBLEM, ANSWERS[:2], options=options, executor=pool)
    for row in report.rows:
        assert row.verdict.outcome is Outcome.UNKNOWN
        assert "time limit of 0.01 s" in row.verdict.reason


class BrokenExecutor(concurrent.futures.ThreadPoolExecutor):
    """Loses the task of one answer, as a cluster that loses a worker would."""

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> concurrent.futures.Future[Any]:
        if args[1] == ANSWERS[2][1]:
            future: concurrent.futures.Future[Any] = concurrent.futures.Future()
            future.set_exception(RuntimeError("worker lost"))
            return future
        return super().submit(fn, *args, **kwargs)


def test_a_lost_task_costs_one_answer_only() -> None:
    with BrokenExecutor(2) as pool:
        report = grade(PROBLEM, ANSWERS, executor=pool)
    got = outcomes(report)
    assert got[2] == "UNKNOWN"
    assert "worker lost" in report.rows[2].verdict.reason
    assert got[:2] + got[3:] == EXPECTED[:2] + EXPECTED[3:]


def test_something_else_than_an_executor_is_refused() -> None:
    with pytest.raises(TypeError, match=r"concurrent\.futures\.Executor"):
        grade(PROBLEM, ANSWERS, executor="dask")  # type: ignore[arg-type]
