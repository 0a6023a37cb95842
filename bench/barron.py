"""Benchmark: Barron's constant C_f, and the radial route against direct quadrature.

Run as ``python bench/barron.py`` (about a minute).  It measures, in one run:

1. C_f (exact and numeric, every transform confirmed by quadrature) for the functions of the
   closed-form table, each from a cold SymPy cache, as a ratio to the baseline of SymPy's bare
   ``fourier_transform`` of the same function (no checks, no C_f).  Target: under 5 s each.
2. the numeric C_f of the Gaussian e^{-|x|²/2} in d = 2 and 3 through the radial integral
   |S^{d-1}| ∫ ρ^d |f̂(ρ)| dρ against a direct d-dimensional tensor Gauss–Legendre quadrature of
   ∫ |ω| |f̂(ω)| dω (each axis split at 0), both to a relative error below 1e-10 against the
   exact value: the smallest order reaching it is found by doubling, then timed (best of 5).
3. the fixed list of ``tests/barron_oracles.py`` (over 40 functions: Gaussians and their
   relatives, rational functions, sech, oscillating and compactly supported functions, radial
   functions in d = 2, 3, 4, non-radial ones, and those with C_f = ∞), each from a cold SymPy
   cache with the time limit ``--seconds``: the share answered exactly, numerically (no closed
   form), ∞, refused (NotSupportedError), stopped by the time limit, or failed otherwise; each
   answer compared with the oracle computed without symdl (a value outside the claimed error
   is WRONG); the seconds per function (median, max), the ratio to the Gaussian's time
   measured in the same run, and the functions over 5 s.  Targets: no refusal where C_f is
   finite, none WRONG, each under 5 s.

Run: ``python bench/barron.py [--only-list] [--seconds 60]``.  The exit status is 1 if an
answer of the fixed list is WRONG or raised an exception other than NotSupportedError and
TimeLimitExceededError.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mpmath
import numpy as np
import sympy as sp
from sympy.core.cache import clear_cache

from symdl import barron_constant, barron_constant_radial
from symdl.core.exceptions import NotSupportedError
from symdl.core.limits import TimeLimitExceededError

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from barron_oracles import ORACLES, Oracle, by_name

x = sp.Symbol("x", real=True)
X = sp.symbols("x1:4", real=True)
r = sp.Symbol("r", positive=True)
d = sp.Symbol("d", positive=True, integer=True)
TOLERANCE = 1e-10


def cold(function: Callable[[], Any]) -> tuple[float, Any]:
    clear_cache()
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def best_of(repeats: int, function: Callable[[], Any]) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def table_timings() -> None:
    cases: list[tuple[str, sp.Expr, Callable[[], Any], Callable[[], Any]]] = []
    for name, f in [
        ("exp(-x^2/2)", sp.exp(-(x**2) / 2)),
        ("1/(1+x^2)", 1 / (1 + x**2)),
        ("exp(-|x|)", sp.exp(-sp.Abs(x))),
        ("sech(x)", sp.sech(x)),
        ("box 1{|x|<1}", sp.Piecewise((1, sp.Abs(x) < 1), (0, True))),
        ("x exp(-x^2)", x * sp.exp(-(x**2))),
    ]:
        k = sp.Symbol("k", real=True)
        cases.append(
            (
                name,
                f,
                lambda f=f: barron_constant(f, x),
                lambda f=f, k=k: sp.fourier_transform(f, x, k),
            )
        )
    gauss2 = sp.exp(-(X[0] ** 2 + X[1] ** 2) / 2)
    gauss3 = sp.exp(-(X[0] ** 2 + X[1] ** 2 + X[2] ** 2) / 2)
    print("1. C_f per function (cold cache); baseline: sympy.fourier_transform alone")
    print(f"{'f':<25}{'C_f exact':<28}{'numeric':>20}{'s':>8}{'base s':>8}{'ratio':>8}  <5s")
    rows = [(name, timing, base) for name, _, timing, base in cases]
    rows.append(("exp(-|x|^2/2), d=2", lambda: barron_constant(gauss2, X[:2]), None))
    rows.append(("exp(-|x|^2/2), d=3", lambda: barron_constant(gauss3, X), None))
    rows.append(
        (
            "exp(-r^2/2), symbolic d",
            lambda: barron_constant_radial(sp.exp(-(r**2) / 2), r, dim=d),
            None,
        )
    )
    for name, timing, base in rows:
        seconds, c = cold(timing)
        base_seconds = cold(base)[0] if base is not None else math.nan
        numeric = "(checked d=1..6)" if c.numeric is None else f"{c.numeric:.15g}"
        ratio = seconds / base_seconds if base is not None else math.nan
        print(
            f"{name:<25}{sp.sstr(c.exact):<28}{numeric:>20}{seconds:8.2f}{base_seconds:8.2f}"
            f"{ratio:8.1f}  {'yes' if seconds < 5 else 'NO'}"
        )


def radial_numeric(dim: int, order: int) -> float:
    # |S^{d-1}| ∫_0^R ρ^d (2π)^{-d/2} e^{-ρ²/2} dρ on [0, 12], Gauss–Legendre in 8 panels
    t, w = np.polynomial.legendre.leggauss(order)
    edges = np.linspace(0.0, 12.0, 9)
    half = (edges[1:] - edges[:-1])[:, None] / 2
    rho = ((edges[:-1, None] + edges[1:, None]) / 2 + half * t).ravel()
    weights = (half * w).ravel()
    sphere = 2 * math.pi ** (dim / 2) / math.gamma(dim / 2)
    values = rho**dim * (2 * math.pi) ** (-dim / 2) * np.exp(-(rho**2) / 2)
    return float(sphere * weights @ values)


def direct_numeric(dim: int, order: int) -> float:
    # ∫_{[-12,12]^d} |ω| (2π)^{-d/2} e^{-|ω|²/2} dω, tensor Gauss–Legendre, axes split at 0
    t, w = np.polynomial.legendre.leggauss(order)
    nodes = np.concatenate([-6 + 6 * t, 6 + 6 * t])
    weights = np.concatenate([6 * w, 6 * w])
    grids = np.meshgrid(*([nodes] * dim), indexing="ij", sparse=True)
    squared = sum(g**2 for g in grids)
    values = np.sqrt(squared) * (2 * math.pi) ** (-dim / 2) * np.exp(-squared / 2)
    for _ in range(dim):
        values = np.tensordot(values, weights, axes=([0], [0]))
    return float(values)


def smallest_order(method: Callable[[int, int], float], dim: int, exact: float) -> int:
    order = 4
    while abs(method(dim, order) - exact) > TOLERANCE * exact:
        order *= 2
        if order > 4096:
            raise RuntimeError(f"{method.__name__} did not reach {TOLERANCE} in d = {dim}")
    return order


def radial_versus_direct() -> None:
    print(f"\n2. numeric C_f of the Gaussian to relative error {TOLERANCE:g}: radial vs direct")
    print(
        f"{'d':>2}{'exact':>20}{'radial ord':>11}{'s':>10}{'direct ord':>11}{'s':>10}{'ratio':>9}"
    )
    for dim in (2, 3):
        exact = math.sqrt(2) * math.gamma((dim + 1) / 2) / math.gamma(dim / 2)
        radial_order = smallest_order(radial_numeric, dim, exact)
        direct_order = smallest_order(direct_numeric, dim, exact)
        radial_s = best_of(5, lambda n=dim, o=radial_order: radial_numeric(n, o))
        direct_s = best_of(5, lambda n=dim, o=direct_order: direct_numeric(n, o))
        print(
            f"{dim:>2}{exact:20.15f}{radial_order:>11}{radial_s:10.5f}{direct_order:>11}"
            f"{direct_s:10.5f}{direct_s / radial_s:9.0f}x"
        )


def _agrees(oracle: Oracle, c: Any) -> bool:
    """Does the answer ``c`` agree with the oracle: ∞ where ∞; an exact value within 1e-35
    (relative) of a closed form or within the oracle's tolerance of a number; a numeric
    value within its claimed error (or the oracle's tolerance)."""
    truth = oracle.value()
    if oracle.infinite or c.exact == sp.oo:
        return bool(oracle.infinite and c.exact == sp.oo)
    if c.exact is not None:
        with mpmath.workdps(60):
            distance = abs(mpmath.mpf(str(sp.N(c.exact, 60))) - truth)
            closed = oracle.exact is not None
            return bool(distance <= (1e-35 * max(1, abs(truth)) if closed else oracle.tolerance))
    allowed = max(c.error, oracle.tolerance) + 4 * math.ulp(max(1.0, float(truth)))
    return c.numeric is not None and abs(c.numeric - float(truth)) <= allowed


def _outcome(oracle: Oracle, seconds: float) -> tuple[str, str, bool, float, float]:
    """barron_constant of one entry from a cold cache: (outcome, what it said, agrees with
    the oracle, wall seconds, CPU seconds).  A refusal, a time limit or an exception is not
    a disagreement; the outcome says what it was."""
    clear_cache()
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        c = barron_constant(oracle.function, oracle.variables, seconds=seconds)
    except NotSupportedError as error:
        outcome, shown, c = "refused", str(error).splitlines()[0], None
    except TimeLimitExceededError:
        outcome, shown, c = "time limit", "", None
    except Exception as error:  # reported, not raised: the list goes on
        outcome, shown, c = "error", f"{type(error).__name__}: {error}", None
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if c is None:
        return outcome, shown, True, wall, cpu
    if c.exact == sp.oo:
        outcome, shown = "infinite", "oo"
    elif c.exact is not None:
        outcome, shown = "exact", sp.sstr(c.exact)
    else:
        outcome, shown = "numeric", f"{c.numeric!r} ± {c.error:.1g}"
    return outcome, shown, _agrees(oracle, c), wall, cpu


def fixed_list(seconds: float) -> bool:
    """Section 3; True when no answer is wrong and none raised an unexpected exception."""
    print(
        f"\n3. the fixed list of {len(ORACLES)} functions (tests/barron_oracles.py), time limit ",
        end="",
    )
    print(f"{seconds:g} s; baseline: C_f of exp(-x^2/2), cold cache, in this run")
    for oracle in ORACLES:  # the oracles first, outside the timings
        oracle.value()
    gaussian = by_name()["exp(-x^2/2)"]
    baseline = statistics.median(_outcome(gaussian, seconds)[3] for _ in range(3))
    print(f"baseline {baseline:.2f} s\n")
    header = f"{'f':<42}{'d':>2} {'outcome':<11}{'C_f':<34}{'oracle':>14}"
    print(f"{header}{'s':>7}{'cpu s':>7}{'ratio':>7}")
    rows = []
    for oracle in ORACLES:
        outcome, shown, agrees, wall, cpu = _outcome(oracle, seconds)
        truth = "oo" if oracle.infinite else f"{float(oracle.value()):.8g}"
        flag = "" if agrees else "  WRONG"
        print(
            f"{oracle.name[:41]:<42}{oracle.dim:>2} {outcome:<11}{shown[:33]:<34}{truth:>14}"
            f"{wall:7.2f}{cpu:7.2f}{wall / baseline:7.1f}{flag}",
            flush=True,
        )
        rows.append((oracle, outcome, agrees, wall))
    count = Counter(outcome for _, outcome, _, _ in rows)
    total = len(rows)
    print()
    for outcome in ("exact", "numeric", "infinite", "refused", "time limit", "error"):
        print(f"{outcome:<11}{count[outcome]:>4}  {count[outcome] / total:6.1%}")
    times = [wall for *_, wall in rows]
    print(f"seconds per function: median {statistics.median(times):.2f}, max {max(times):.2f}")
    ratios = statistics.median(times) / baseline, max(times) / baseline
    print(f"  (median {ratios[0]:.1f}x, max {ratios[1]:.1f}x the baseline)")
    slow = [o.name for o, *_, wall in rows if wall > 5]
    print(f"over 5 s ({len(slow)}): {', '.join(slow) or 'none'}")
    stuck = [
        o.name
        for o, outcome, *_ in rows
        if not o.infinite and outcome != "exact" and outcome != "numeric"
    ]
    print(f"finite C_f not answered ({len(stuck)}): {', '.join(stuck) or 'none'}")
    wrong = [o.name for o, _, agrees, _ in rows if not agrees]
    print(f"WRONG ({len(wrong)}): {', '.join(wrong) or 'none'}")
    failed = [o.name for o, outcome, *_ in rows if outcome == "error"]
    print(f"uncaught exceptions ({len(failed)}): {', '.join(failed) or 'none'}")
    return not wrong and not failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only-list", action="store_true", help="run section 3 only")
    parser.add_argument("--seconds", type=float, default=60.0, help="time limit per function")
    args = parser.parse_args()
    if not args.only_list:
        table_timings()
        radial_versus_direct()
    return 0 if fixed_list(args.seconds) else 1


if __name__ == "__main__":
    sys.exit(main())
