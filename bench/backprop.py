"""Benchmark: symbolic backpropagation against differentiating the composed expression.

Run as ``python bench/backprop.py`` (a few minutes).  It measures, in one run:

1. speed-up: ``backprop(net, loss)`` against the baseline ``sympy.diff(C, w)`` for every
   parameter ``w`` of the composed loss ``C``, on sigmoid MLPs of widths 3–5 and depths 2–5.
   The baseline grows exponentially with depth, so each network's baseline has a time budget
   (``--budget``, default 30 s), shared equally by the layers: within a layer the parameters
   are differentiated in a random order, and when its share runs out the layer's total is
   extrapolated from the mean time of those done (the table says how many were done);
2. scaling: the full gradient of a width-32, depth-8 sigmoid MLP (8,448 parameters), derived
   and compiled to NumPy, as a ratio to SymPy building the composed loss (the forward pass);
3. size: operations of the whole gradient program (shared subexpressions counted once) over
   those of the forward pass (Baur–Strassen: at most about 3–5);
4. evaluation: the compiled symbolic gradient against ``numeric.backward_arrays`` (the
   hand-written matrix form) on a batch of 10,000 inputs, as a ratio of times.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import sympy as sp
from sympy.core.cache import clear_cache

from symdl import LOSSES, Network, backprop, numeric

LOSS = LOSSES["mse"]


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds of one cold run: SymPy's expression cache is emptied first."""
    clear_cache()
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def best_of(repeats: int, function: Callable[[], Any]) -> tuple[float, Any]:
    runs = [timed(function) for _ in range(repeats)]
    return min(seconds for seconds, _ in runs), runs[-1][1]


def composed_loss(net: Network) -> sp.Expr:
    """The mean squared error of the composed network, written out (as LOSSES["mse"] is)."""
    targets = sp.symbols(f"y_1:{net.n_outputs + 1}", real=True)
    outputs = net.forward()
    return sp.Add(*[(o - y) ** 2 for o, y in zip(outputs, targets, strict=True)]) / len(targets)


def baseline(net: Network, budget: float) -> tuple[float, int]:
    """Seconds of per-parameter ``sympy.diff`` on the composed loss, and parameters done.

    Derivatives in the first layers are the largest, so each layer gets an equal share of the
    budget: its parameters are differentiated in a random order until the share is spent (at
    least one), and the layer's total is its mean time times its number of parameters.
    """
    setup, cost = timed(lambda: composed_loss(net))  # the cache stays warm from here on
    rng = np.random.default_rng(0)
    total, done = setup, 0
    for layer in net.layers:
        group = list(layer.parameters)
        start = time.perf_counter()
        count = 0
        for index in rng.permutation(len(group)):
            sp.diff(cost, group[index])
            count += 1
            if time.perf_counter() - start > budget / net.depth:
                break
        total += (time.perf_counter() - start) * len(group) / count
        done += count
    return total, done


def speedup_table(budget: float) -> None:
    print("1. backprop vs per-parameter sympy.diff (sigmoid MLP, MSE)")
    print(
        f"   {'width':>5} {'depth':>5} {'params':>6} {'backprop s':>10} {'diff s':>9} "
        f"{'diff done':>9} {'speed-up':>9}"
    )
    for width in (3, 4, 5):
        for depth in (2, 3, 4, 5):
            net = Network.mlp([width] * (depth + 1), "sigmoid")
            ours, _ = best_of(3, lambda net=net: backprop(net, LOSS))
            estimate, done = baseline(net, budget)
            total = len(net.parameters)
            mark = "" if done == total else " (extrapolated)"
            print(
                f"   {width:>5} {depth:>5} {total:>6} {ours:>10.3f} {estimate:>9.2f} "
                f"{done:>4}/{total:<4} {estimate / ours:>8.0f}x{mark}"
            )


def scaling() -> None:
    print("\n2-4. width-32, depth-8 sigmoid MLP (MSE)")
    net = Network.mlp([32] * 9, "sigmoid")
    forward_s, _ = timed(lambda: composed_loss(net))
    derive_s, bp = timed(lambda: backprop(net, LOSS))
    compile_s, gradient = timed(bp.numpy_gradient)
    print(f"   parameters: {len(net.parameters)}")
    print(f"   the composed loss C built by SymPy (the forward pass, a tree): {forward_s:.2f} s")
    print(
        f"   gradient derived (backprop): {derive_s:.2f} s = {derive_s / forward_s:.2f}x "
        f"building C (target: under 10 s)"
    )
    print(f"   compiled to NumPy: {compile_s:.2f} s = {compile_s / forward_s:.2f}x building C")
    ops, forward_ops = bp.operation_count(), bp.forward_operation_count()
    print(
        f"   operations: gradient program {ops}, forward pass {forward_ops}: ratio "
        f"{ops / forward_ops:.2f} (target: at most 5)"
    )
    evaluation(net, gradient, batch=10_000)
    small = Network.mlp([4] * 6, "sigmoid")
    evaluation(small, backprop(small, LOSS).numpy_gradient(), batch=10_000)


def evaluation(net: Network, gradient: Callable[..., np.ndarray], batch: int) -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(batch, net.n_inputs))
    Y = rng.normal(size=(batch, net.n_outputs))
    theta = rng.normal(scale=1 / np.sqrt(net.n_inputs), size=len(net.parameters))
    params = dict(zip(net.parameters, theta, strict=True))
    ours_s, ours = best_of(3, lambda: gradient(X, Y, theta))
    arrays = numeric.layer_arrays(net, params)
    pass_s, _ = best_of(3, lambda: numeric.backward_arrays(net, arrays, X, Y, LOSS))
    grads = numeric.parameter_gradient(net, X, Y, LOSS, params)
    reference = np.array([grads[p] for p in net.parameters])
    gap = np.max(np.abs(ours - reference)) / np.max(np.abs(reference))
    print(
        f"   evaluation on {batch} inputs, sizes {list(net.sizes)}: compiled symbolic "
        f"gradient {ours_s:.3f} s, numeric backward pass (matrix form) {pass_s:.4f} s: "
        f"ratio {ours_s / pass_s:.1f}; the two agree to {gap:.1e} relative"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--budget",
        type=float,
        default=30.0,
        help="seconds of baseline per network before extrapolating (default 30)",
    )
    parser.add_argument(
        "--skip-baseline", action="store_true", help="measure only the width-32 network"
    )
    args = parser.parse_args()
    if not args.skip_baseline:
        speedup_table(args.budget)
    scaling()


if __name__ == "__main__":
    main()
