"""Benchmark: Barron's constant C_f, and the radial route against direct quadrature.

Run as ``python bench/barron.py`` (about a minute).  It measures, in one run:

1. C_f (exact and numeric, every transform confirmed by quadrature) for the functions of the
   closed-form table, each from a cold SymPy cache, as a ratio to the baseline of SymPy's bare
   ``fourier_transform`` of the same function (no checks, no C_f).  Target: under 5 s each.
2. the numeric C_f of the Gaussian e^{-|x|²/2} in d = 2 and 3 through the radial integral
   |S^{d-1}| ∫ ρ^d |f̂(ρ)| dρ against a direct d-dimensional tensor Gauss–Legendre quadrature of
   ∫ |ω| |f̂(ω)| dω (each axis split at 0), both to a relative error below 1e-10 against the
   exact value: the smallest order reaching it is found by doubling, then timed (best of 5).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import sympy as sp
from sympy.core.cache import clear_cache

from symdl import barron_constant, barron_constant_radial

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


if __name__ == "__main__":
    table_timings()
    radial_versus_direct()
