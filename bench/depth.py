"""Benchmark: exact piecewise-linear arithmetic for the depth theorems.

Run as ``python bench/depth.py`` (about half a minute).  It measures, in one run:

1. the exact verification of Telgarsky's sawtooth :math:`m^k` (build by composition, then
   check 2^k pieces, breakpoints j/2^k, values i mod 2) for k = 10 … 20, with the growth
   ratio t(k)/t(k-1) (2 for a cost linear in 2^k) and the target: k = 20 under 30 s;
2. the baseline: composing the tent map as a SymPy ``Piecewise`` with ``piecewise_fold``
   (k ≤ 3 by default: 6–15 s at k = 3; k = 4 does not finish), as a ratio
   to the exact composition at the same k;
3. the exact 1-D linear-region count of a random ReLU network against a dense float64
   sampling of its activation patterns at a resolution fine enough to find every region
   (half the smallest gap between the exact breakpoints), as a ratio of times; and the
   exact piece count of its output against runs of equal sampled slopes;
4. the same in the plane: the exact polygons of Montúfar's folding network against grids of
   increasing resolution (the thin regions need a fine grid).
"""

from __future__ import annotations

import argparse
import itertools
import time
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from symdl import (
    Network,
    PiecewiseLinear,
    activation_regions_1d,
    folding_network,
    numeric,
    pieces_1d,
    region_boundaries_1d,
    regions_2d,
    sample_patterns_1d,
    sample_patterns_2d,
    verify_sawtooth,
)


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def sawtooth_growth(k_max: int) -> None:
    print(f"1. exact verification of m^k (2^k pieces), k = 10 … {k_max}")
    print(f"{'k':>3} {'pieces':>9} {'seconds':>9} {'t(k)/t(k-1)':>12} {'µs/piece':>9}  holds")
    previous = None
    for k in range(10, k_max + 1):
        seconds, check = timed(lambda k=k: verify_sawtooth(k))
        ratio = f"{seconds / previous:12.2f}" if previous else f"{'':>12}"
        print(
            f"{k:>3} {check.pieces:>9} {seconds:9.3f} {ratio} "
            f"{1e6 * seconds / 2**k:9.2f}  {check.holds}"
        )
        previous = seconds
    verdict = "met" if previous is not None and previous < 30 else "MISSED"
    print(f"target k = {k_max} under 30 s: {verdict} ({previous:.2f} s)\n")


def sympy_baseline(k_max: int) -> None:
    print("2. SymPy Piecewise + piecewise_fold (baseline) against exact composition")
    x = sp.Symbol("x", real=True)
    tent = sp.Piecewise((0, x < 0), (2 * x, x <= sp.S.Half), (2 - 2 * x, x <= 1), (0, True))
    print(f"{'k':>3} {'sympy s':>10} {'exact s':>10} {'ratio':>10}")
    for k in range(1, k_max + 1):

        def sympy_power(k: int = k) -> sp.Expr:
            f = x
            for _ in range(k):
                f = sp.piecewise_fold(tent.subs(x, f))
            return f

        slow, _ = timed(sympy_power)
        fast, _ = timed(lambda k=k: verify_sawtooth(k))
        print(f"{k:>3} {slow:10.4f} {fast:10.5f} {slow / fast:10.0f}")
    print()


def random_network(rng: np.random.Generator, widths: list[int]) -> Network:
    sizes = [1, *widths, 1]
    weights = [
        [[Fraction(int(v), 16) for v in row] for row in rng.integers(-32, 33, size=(b, a))]
        for a, b in itertools.pairwise(sizes)
    ]
    biases = [[Fraction(int(v), 16) for v in rng.integers(-32, 33, size=b)] for b in sizes[1:]]
    acts = ["relu"] * len(widths) + ["identity"]
    return Network.mlp(sizes, acts, weights=weights, biases=biases)


def sampling_comparison(widths: list[int]) -> None:
    print(f"3. one input, widths {widths}: exact regions against dense float64 sampling")
    net = random_network(np.random.default_rng(7), widths)
    exact_seconds, regions = timed(lambda: activation_regions_1d(net))
    pieces = pieces_1d(net)
    cuts = region_boundaries_1d(net) or [Fraction(0)]
    gap = min((b - a for a, b in itertools.pairwise(cuts)), default=Fraction(1))
    lo, hi = float(cuts[0] - 1), float(cuts[-1] + 1)
    resolution = int(min(2e7, (hi - lo) / float(gap / 2))) + 1
    xs = np.linspace(lo, hi, resolution)
    sample_seconds, sampled = timed(lambda: sample_patterns_1d(net, xs))
    print(f"exact: {regions} regions ({pieces} pieces of the output) in {exact_seconds:.3f} s")
    print(
        f"sampling {resolution:,} points on [{lo:.2f}, {hi:.2f}]: {sampled} regions in "
        f"{sample_seconds:.3f} s"
    )
    print(
        f"sampled / exact regions: {sampled / regions:.3f}; time sampling / exact: "
        f"{sample_seconds / exact_seconds:.3f} (the resolution comes from the exact gap)"
    )
    # the pieces of the output itself: runs of equal float64 slopes between samples
    breakpoints = PiecewiseLinear.from_network(net).breakpoints or (Fraction(0),)
    gap = min((b - a for a, b in itertools.pairwise(breakpoints)), default=Fraction(1))
    lo, hi = float(breakpoints[0] - 1), float(breakpoints[-1] + 1)
    resolution = int(min(2e7, (hi - lo) / float(gap / 4))) + 1
    exact_seconds, pieces = timed(lambda: pieces_1d(net))
    sample_seconds, sampled = timed(lambda: sampled_pieces(net, np.linspace(lo, hi, resolution)))
    print(
        f"pieces of the output: exact {pieces} in {exact_seconds:.3f} s; sampled slopes at "
        f"{resolution:,} points: {sampled} in {sample_seconds:.3f} s; sampled / exact pieces: "
        f"{sampled / pieces:.3f}; time sampling / exact: {sample_seconds / exact_seconds:.3f}\n"
    )


def sampled_pieces(net: Network, xs: np.ndarray) -> int:
    """Runs of at least two equal float64 slopes between consecutive samples.

    With samples at most a quarter of the smallest piece apart, every piece holds two whole
    intervals between samples, and an interval across a breakpoint (a slope of its own) makes
    a run of one, which is not counted.
    """
    ys = numeric.forward(net, xs[:, None])[:, 0]
    slopes = np.diff(ys) / np.diff(xs)
    same = np.isclose(slopes[1:], slopes[:-1], rtol=1e-7, atol=1e-9)
    starts = np.flatnonzero(np.concatenate([[True], ~same]))
    lengths = np.diff(np.concatenate([starts, [len(slopes)]]))
    return int(np.count_nonzero(lengths >= 2))


def sampling_comparison_2d(resolutions: tuple[int, ...] = (100, 300, 1000)) -> None:
    print("4. two inputs, Montúfar's folding network [4, 4]: exact polygons against sampling")
    net = folding_network([4, 4])
    exact_seconds, regions = timed(lambda: regions_2d(net, box=2))
    print(f"exact: {len(regions)} regions in [-2, 2]^2 in {exact_seconds:.3f} s")
    print(f"{'grid':>6} {'found':>6} {'found/exact':>12} {'time sampling/exact':>20}")
    for resolution in resolutions:
        seconds, found = timed(lambda r=resolution: sample_patterns_2d(net, box=2.0, resolution=r))
        print(
            f"{resolution:>6} {found:>6} {found / len(regions):12.3f} "
            f"{seconds / exact_seconds:20.2f}"
        )
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, default=20, help="largest k to verify (default 20)")
    parser.add_argument("--sympy-k", type=int, default=3, help="largest k for SymPy (default 3)")
    parser.add_argument("--widths", type=int, nargs="+", default=[24, 24, 24])
    args = parser.parse_args()
    sawtooth_growth(args.k)
    sympy_baseline(args.sympy_k)
    sampling_comparison(args.widths)
    sampling_comparison_2d()


if __name__ == "__main__":
    main()
