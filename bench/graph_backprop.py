"""Benchmark: symbolic backpropagation on graph networks stays linear in the size of the network.

Run as ``python bench/graph_backprop.py`` (about a minute).  Two families of graphs, each at
increasing sizes:

1. residual networks ``GraphNetwork.residual(width, blocks)`` (ReLU blocks
   :math:`r_k = r_{k-1} + W_2 \\operatorname{ReLU}(W_1 r_{k-1} + b_1) + b_2`) with 5 to 40
   blocks;
2. 2-D convolutional networks on a one-channel image of 4×4 to 16×16: convolution (4 channels,
   3×3, padding 1, ReLU), 2×2 max pooling, convolution (4 channels, 3×3, padding 1, ReLU), 2×2
   average pooling, a dense output of 2 units.

For each it prints, as ratios measured in the same run (never absolute targets):

- ``ops ratio``: operations of the whole gradient program (forward pass, errors, gradient;
  shared subexpressions counted once) over those of the forward pass and the loss — the
  Baur–Strassen constant, target at most 5;
- ``build / forward``: seconds of ``graph_backprop(graph, loss)`` (forward pass, errors,
  gradient) over seconds of building the forward pass alone as a straight-line program
  (``GraphForwardPass(graph).program()``), both cold: flat when the backward pass costs a
  constant times the forward pass;
- ``µs / parameter`` and ``µs / fwd op``: seconds of ``graph_backprop`` per parameter and per
  operation of the forward pass: flat when the work is linear in the size of the network (a
  convolution's parameters are shared by every position, so for the convolutional networks
  the work grows with the image, at a constant cost per forward operation).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from sympy.core.cache import clear_cache

from symdl.backpropagation.graph_forward import GraphForwardPass
from symdl.backpropagation.graph_mode import graph_backprop
from symdl.core.graph import GraphNetwork, Node
from symdl.core.graph_operations import AvgPool, Conv, Dense, Flatten, MaxPool
from symdl.core.losses import LOSSES

LOSS = LOSSES["mse"]


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds of one cold run: SymPy's expression cache is emptied first."""
    clear_cache()
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def conv_net(side: int) -> GraphNetwork:
    """Conv–maxpool–conv–avgpool–dense on a 1×side×side image (side a multiple of 4)."""
    return GraphNetwork(
        {"x": (1, side, side)},
        [
            Node("c1", Conv(4, 3, padding=1, activation="relu"), "x"),
            Node("p1", MaxPool(2), "c1"),
            Node("c2", Conv(4, 3, padding=1, activation="relu"), "p1"),
            Node("p2", AvgPool(2), "c2"),
            Node("v", Flatten(), "p2"),
            Node("y", Dense(2), "v"),
        ],
    )


def measure(label: str, graph: GraphNetwork) -> None:
    forward_s, _ = timed(lambda: GraphForwardPass(graph).program())
    backprop_s, bp = timed(lambda: graph_backprop(graph, LOSS))
    ops, forward_ops = bp.operation_count(), bp.forward_operation_count()
    count = int(graph.parameter_count)
    print(
        f"   {label:>16} {count:>7} {ops:>8} {forward_ops:>8} {ops / forward_ops:>9.2f} "
        f"{backprop_s / forward_s:>15.2f} {1e6 * backprop_s / count:>14.0f} "
        f"{1e6 * backprop_s / forward_ops:>11.0f}"
    )


def header(title: str) -> None:
    print(title)
    print(
        f"   {'size':>16} {'params':>7} {'ops':>8} {'fwd ops':>8} {'ops ratio':>9} "
        f"{'build / forward':>15} {'µs / parameter':>14} {'µs / fwd op':>11}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=4, help="units per residual block (4)")
    parser.add_argument(
        "--quick", action="store_true", help="the two smallest sizes of each family only"
    )
    args = parser.parse_args()
    blocks = (5, 10, 20, 40)
    sides = (4, 8, 12, 16)
    if args.quick:
        blocks, sides = blocks[:2], sides[:2]
    header(f"1. residual networks of width {args.width} (ReLU blocks, MSE)")
    for k in blocks:
        measure(f"{k} blocks", GraphNetwork.residual(args.width, k))
    header("\n2. conv → max pool → conv → avg pool → dense on a one-channel image (MSE)")
    for side in sides:
        measure(f"{side}×{side} input", conv_net(side))


if __name__ == "__main__":
    main()
