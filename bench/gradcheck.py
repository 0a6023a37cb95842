"""Benchmark: grading 1,000 answers to a gradient problem on a 2-layer sigmoid network.

The problem is dC/dW^(1) (a 2x2 matrix) for the squared error of a 2-2-1 sigmoid network.
The answers mix correct forms (in δ's, in a's, in σ(z)'s, in exponentials; LaTeX and
Python-like) with the usual mistakes (a lost factor 2, a sign, σ' written as σ, a transposed
matrix, unreadable text).  Printed: answers per second, the median and worst time per answer,
and the ratio against a baseline measured in the same run: the same answers parsed by the same
parser and decided by plain ``sympy.simplify(submitted - true) == 0`` per entry, in one
process (on a sample, as it is much slower).

Run: ``python bench/gradcheck.py [--answers 1000] [--baseline 10]``.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time

import sympy as sp

from symdl.core.losses import LOSSES
from symdl.core.network import Network
from symdl.grading.answers import GradientProblem
from symdl.grading.batch import grade
from symdl.grading.parsing import parse_answer
from symdl.referee.equivalence import CheckOptions
from symdl.referee.verdict import Outcome

D2 = {
    "a": r"2(a^{(2)} - y) a^{(2)} (1 - a^{(2)})",
    "py": "2*(a^(2) - y)*a^(2)*(1 - a^(2))",
}
SIGMA_PRIME = {
    "a": r"a^{(1)}_{J} (1 - a^{(1)}_{J})",
    "sigma": r"\sigma(z^{(1)}_{J}) (1 - \sigma(z^{(1)}_{J}))",
    "exp": r"\frac{e^{-z^{(1)}_{J}}}{(1 + e^{-z^{(1)}_{J}})^2}",
    "prime": r"\sigma'(z^{(1)}_{J})",
}


def _matrix(entry: str, transposed: bool = False) -> str:
    cells = [[entry.replace("J", str(j)).replace("K", str(k)) for k in (1, 2)] for j in (1, 2)]
    if transposed:
        cells = [list(row) for row in zip(*cells, strict=True)]
    return "[" + ", ".join("[" + ", ".join(row) + "]" for row in cells) + "]"


def answers(count: int, seed: int = 1) -> list[tuple[str, str, str]]:
    """``(id, kind, text)``: a reproducible mix of right and wrong answers."""
    rng = random.Random(seed)
    kinds = ["delta", "full", "lost 2", "sign", "σ' as σ", "transposed", "syntax"]
    rows = []
    for n in range(count):
        kind = rng.choice(kinds)
        prime = SIGMA_PRIME[rng.choice(list(SIGMA_PRIME))]
        d2 = D2["a"] if rng.random() < 0.5 else D2["py"]
        sign = ""
        if kind == "delta":
            entry = r"\delta^{(1)}_J x_K"
        else:
            if kind == "lost 2":
                d2 = d2.replace("2*(", "(", 1).replace("2(", "(", 1)
            if kind == "sign":
                sign = "-"
            if kind == "σ' as σ":
                prime = r"\sigma(z^{(1)}_{J})"
            entry = f"{sign}{d2} w^{{(2)}}_{{1J}} {prime} x_K"
        text = _matrix(entry, transposed=kind == "transposed")
        if kind == "syntax":
            text = text[:-2]
        rows.append((f"s{n:04d}", kind, text.replace("  ", " " * rng.randint(1, 2))))
    return rows


def baseline(problem: GradientProblem, texts: list[str]) -> list[float]:
    """Seconds per answer for parse + plain ``simplify(s - t) == 0`` per entry."""
    times = []
    for text in texts:
        start = time.perf_counter()
        try:
            matrix = parse_answer(text, symbols=problem.names).xreplace(problem.definitions)
            assert isinstance(problem.truth, sp.MatrixBase)
            if matrix.shape == problem.truth.shape:
                _ = all(sp.simplify(s - t) == 0 for s, t in zip(matrix, problem.truth, strict=True))
        except ValueError:
            pass
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=1000)
    parser.add_argument("--baseline", type=int, default=10, help="answers in the baseline")
    args = parser.parse_args()
    net = Network.mlp([2, 2, 1], ["sigmoid", "sigmoid"])
    problem = GradientProblem.from_network(net, LOSSES["mse"], "W1")
    rows = answers(args.answers)
    start = time.perf_counter()
    report = grade(problem, [(i, text) for i, _, text in rows])
    total = time.perf_counter() - start
    per_answer = [row.verdict.seconds for row in report.rows]
    median, worst = statistics.median(per_answer), max(per_answer)
    wrong_kind = sum(
        (kind in ("delta", "full")) != row.verdict.correct
        for (_, kind, _), row in zip(rows, report.rows, strict=True)
    )
    sample = [text for _, kind, text in rows if kind != "syntax"][: args.baseline]
    base = baseline(problem, sample)
    base_median = statistics.median(base)
    print(f"problem: {problem.statement}")
    print(
        f"symdl: {len(rows)} answers in {total:.1f} s on {os.cpu_count()} cores: "
        f"{len(rows) / total:.1f} answers/s; per answer median {median * 1e3:.1f} ms, "
        f"worst {worst * 1e3:.1f} ms (limit {CheckOptions().time_limit:g} s)"
    )
    print(f"outcomes: {report.outcomes()}; verdicts contradicting the answer's kind: {wrong_kind}")
    expected = {"lost 2": "CONSTANT_FACTOR", "sign": "SIGN", "σ' as σ": "DERIVATIVE_AS_FUNCTION",
                "transposed": "TRANSPOSED"}  # fmt: skip
    for kind, mistake in expected.items():
        named = [
            mistake in {m.name for m in row.verdict.mistakes}
            for (_, k, _), row in zip(rows, report.rows, strict=True)
            if k == kind
        ]
        print(f"  '{kind}' answers named {mistake}: {sum(named)} of {len(named)}")
    unknown = report.outcomes()[Outcome.UNKNOWN.name]
    print(f"answers over their time limit (UNKNOWN): {unknown}")
    print(
        f"baseline (parse + sympy.simplify(s - t) == 0 per entry, 1 process, "
        f"{len(base)} answers): median {base_median:.2f} s, worst {max(base):.2f} s per answer"
    )
    print(
        f"ratio: symdl's median per-answer time is {base_median / median:.0f}x smaller than "
        f"the baseline's; the baseline would take about "
        f"{base_median * len(rows) / total:.0f}x as long for the whole batch"
    )
    print(
        f"target: 1,000 answers in under 60 s: {'met' if total < 60 else 'NOT met'} "
        f"({total:.1f} s for {len(rows)})"
    )


if __name__ == "__main__":
    main()
