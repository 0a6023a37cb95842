"""Benchmark: grading throughput, on this machine's pool and on a Dask cluster of 1 and 2 workers.

One class of distinct answers (no two texts alike, so that every one is checked) to
d/dx of x³ sin(xy), right, wrong and unreadable, is graded three ways in the same run:

- the local pool: :func:`symdl.grading.batch.grade` with one worker process per core, each
  building the problem's referee once and checking answer after answer;
- a Dask ``LocalCluster`` (:func:`symdl.grading.cluster.local_cluster`) with 1 worker, then
  with 2, through :func:`~symdl.grading.cluster.scheduler_executor`: each answer is one task,
  checked on a worker in a process of its own (killed at the time limit), as on a real
  cluster.  Starting the cluster is not counted.

Printed: answers per second for each, and the ratio to the local pool measured in the same
run; whether the three runs gave the same verdicts (outcome, reason, counterexample, …).

Run: ``python bench/grading_scale.py [--answers 300]`` (needs ``symdl[dask]``).
"""

# Only the standard library at the top level: each answer checked on a Dask worker runs in a
# process that runs this script's top level again, so what it imports there is paid per answer.
from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any

RIGHT = [
    "3x^2 sin(x y) + x^3 y cos(x y)",
    "x^2 (3 sin(x y) + x y cos(x y))",
    r"3x^{2}\sin(xy) + x^{3}y\cos(xy)",
]
WRONG = [
    "6x^2 sin(x y) + 2x^3 y cos(x y)",
    "-3x^2 sin(x y) - x^3 y cos(x y)",
    "3x^2 sin(x y) + x^3 cos(x y)",
    "x^4 cos(x y)",
]
UNREADABLE = ["3x^2 sin(x y", "3x^^2 sin(x y)"]


def answers(count: int) -> list[tuple[str, str]]:
    """``count`` distinct answers: the forms above, each made distinct by a vanishing term."""
    forms = RIGHT * 3 + WRONG * 2 + UNREADABLE
    return [(f"s{n:05d}", f"{forms[n % len(forms)]} + {n} - {n}") for n in range(count)]


def verdicts(report: Any) -> list[dict[str, Any]]:
    """What a verdict says, without what depends on the machine's speed."""
    return [
        {k: v for k, v in record.items() if k not in ("seconds", "difference")}
        for record in report.to_dict()["verdicts"]
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--answers", type=int, default=300, help="distinct answers to grade")
    args = parser.parse_args()

    import importlib.util

    if importlib.util.find_spec("distributed") is None:
        print('dask.distributed is not installed: python -m pip install "symdl[dask]"')
        return 2
    import sympy as sp

    from symdl.grading.answers import GradientProblem
    from symdl.grading.batch import grade
    from symdl.grading.cluster import local_cluster, scheduler_executor
    from symdl.referee.equivalence import CheckOptions

    x, y = sp.symbols("x y", real=True)
    problem = GradientProblem.from_expression(x**3 * sp.sin(x * y), x)
    options = CheckOptions(seed=18)  # the same sample points in every run
    rows = answers(args.answers)
    cores = os.cpu_count() or 1
    print(f"problem: {problem.statement}")
    print(f"{len(rows)} distinct answers; {cores} cores\n")

    start = time.perf_counter()
    local = grade(problem, rows, options=options, workers=cores)
    base = len(rows) / (time.perf_counter() - start)
    print(f"{'local pool, ' + str(cores) + ' processes':28} {base:8.1f} answers/s   1.00")
    print(f"  outcomes: {local.outcomes()}")

    same = True
    for workers in (1, 2):
        started = time.perf_counter()
        with local_cluster(workers) as address, scheduler_executor(address) as executor:
            ready = time.perf_counter() - started
            start = time.perf_counter()
            report = grade(problem, rows, options=options, executor=executor)
            rate = len(rows) / (time.perf_counter() - start)
        same = same and verdicts(report) == verdicts(local)
        label = f"Dask, {workers} worker{'s' if workers > 1 else ''}"
        print(
            f"{label:28} {rate:8.1f} answers/s   {rate / base:.2f}"
            f"   (cluster started in {ready:.1f} s, not counted)"
        )
    print(f"\nverdicts identical to the local pool's: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
