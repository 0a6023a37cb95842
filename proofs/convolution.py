r"""The gradient of a shared weight is the sum over the positions where it is applied

A 1-D convolution layer (LeCun et al. 1989: one kernel, shared by every position) maps an
input :math:`x_1, \dots, x_N` to

.. math::

    z_i = \sum_{r=1}^{K} w_r\, x_{i+r-1} + b, \qquad i = 1, \dots, P = N - K + 1,

with one kernel :math:`w_1, \dots, w_K` and one bias :math:`b` for all positions.  For a loss
:math:`C` with errors :math:`\delta_i = \partial C / \partial z_i`,

.. math::

    \frac{\partial C}{\partial w_r} = \sum_{i=1}^{P} \delta_i\, x_{i+r-1}, \qquad
    \frac{\partial C}{\partial b} = \sum_{i=1}^{P} \delta_i :

BP4 applied at each position, summed.  Equivalently, untie the weights (a copy
:math:`w_{i,r}` per position, an ordinary dense layer with many zero weights) and add the
gradients of the copies.  Proved with symbolic :math:`P` and :math:`K`, for a general loss at
concrete sizes, through symdl's backpropagation on a convolution layer written as a dense layer
with tied weights, and checked numerically at 30 digits.

The same holds for every convolution layer: with :math:`C` input channels, stride :math:`s`
and padding :math:`p` (zero or circular), in 1-D and 2-D, the output
:math:`z_{o,i,j} = b_o + \sum_{c,r,q} W_{o,c,r,q}\, \tilde x_{c,\, is + r,\, js + q}` has

.. math::

    \frac{\partial C}{\partial W_{o,c,r,q}} = \sum_{i,j} \delta_{o,i,j}\,
    \tilde x_{c,\, is + r,\, js + q}, \qquad
    \frac{\partial C}{\partial b_o} = \sum_{i,j} \delta_{o,i,j},

with :math:`\tilde x` the padded input (a padded position contributes nothing): proved for a
general loss of the outputs by differentiating the symbolic forward pass of a graph network's
convolution, and through symdl's graph backpropagation, whose gradient of each shared weight is
this sum over the output positions, term for term; checked numerically at 30 digits for a
strided 2-D layer.

References: Y. LeCun, B. Boser, J. S. Denker, D. Henderson, R. E. Howard, W. Hubbard,
L. D. Jackel, "Backpropagation applied to handwritten zip code recognition", Neural
Computation 1 (1989), 541–551 (weight sharing and its gradient); I. Goodfellow, Y. Bengio,
A. Courville, *Deep Learning* (2016), section 9.5, equation (9.11).
"""

from __future__ import annotations

import itertools
import random

import mpmath
import sympy as sp

from symdl import ACTIVATIONS, LOSSES, Dense, Network, backprop, check_gradients
from symdl.backpropagation.graph_mode import graph_backprop
from symdl.backpropagation.index_sums import assume_indices_in_range, same_entries
from symdl.backpropagation.reverse_mode import error_symbol
from symdl.core.derivation import Derivation, Reason
from symdl.core.graph import GraphNetwork, Node
from symdl.core.graph_operations import Conv

P, K = sp.symbols("P K", integer=True, positive=True)  # positions, kernel width
i, r, s = sp.symbols("i r s", integer=True, positive=True)
x = sp.IndexedBase("x")
w = sp.IndexedBase("w")
delta = sp.IndexedBase(r"\delta")
b = sp.Symbol("b", real=True)


def pre_activation(position: sp.Expr) -> sp.Expr:
    r""":math:`z_i = \sum_{s=1}^{K} w_s x_{i+s-1} + b`."""
    return sp.Sum(w[s] * x[position + s - 1], (s, 1, K)) + b


def linear_loss() -> sp.Expr:
    r""":math:`\sum_i \delta_i z_i`: the loss to first order (:math:`dC = \sum_i \delta_i
    dz_i`, chain rule)."""
    return sp.Sum(delta[i] * pre_activation(i), (i, 1, P))


def shared_weight_gradient() -> sp.Expr:
    r""":math:`\sum_{i=1}^{P} \delta_i x_{i+r-1}`: BP4 at every position, summed."""
    return sp.Sum(delta[i] * x[i + r - 1], (i, 1, P))


def lemma_shared_weight_gradient_is_the_sum_over_positions() -> None:
    """∂C/∂w_r = Σ_i δ_i x_{i+r-1} and ∂C/∂b = Σ_i δ_i, for symbolic P and K."""
    gradient = sp.diff(linear_loss(), w[r])
    assert same_entries(gradient, shared_weight_gradient(), {r: K})
    assert same_entries(sp.diff(linear_loss(), b), sp.Sum(delta[i], (i, 1, P)))
    # one position alone (the dense-layer BP4) is not the gradient of a shared weight
    assert not same_entries(gradient, delta[1] * x[r], {r: K})
    # nor is the sum with the kernel read backwards (a convolution, not a correlation)
    flipped = sp.Sum(delta[i] * x[i + K - r], (i, 1, P))
    assert not same_entries(gradient, flipped, {r: K})


def lemma_inner_derivative_picks_the_tap() -> None:
    """∂z_i/∂w_r = x_{i+r-1}: only the tap s = r of the kernel sum depends on w_r."""
    inner = assume_indices_in_range(sp.diff(pre_activation(i), w[r]).doit(), {r: K})
    assert inner == x[i + r - 1]


def _tied_and_untied(inputs: int, width: int) -> tuple[sp.Expr, list[sp.Expr], sp.Expr, dict]:
    """A general loss C of the outputs, with tied kernel weights and with a copy per position."""
    C = sp.Function("C")
    xs = sp.symbols(f"x_1:{inputs + 1}", real=True)
    ws = sp.symbols(f"w_1:{width + 1}", real=True)
    positions = inputs - width + 1
    copies = {
        (p, q): sp.Symbol(f"u_{p + 1},{q + 1}", real=True)
        for p in range(positions)
        for q in range(width)
    }
    tied = [sum(ws[q] * xs[p + q] for q in range(width)) + b for p in range(positions)]
    untied = [sum(copies[p, q] * xs[p + q] for q in range(width)) + b for p in range(positions)]
    tie = {copies[p, q]: ws[q] for p in range(positions) for q in range(width)}
    return C(*tied), list(ws), C(*untied), {"copies": copies, "tie": tie, "xs": xs, "z": tied}


def lemma_tied_gradient_is_the_sum_of_the_untied_ones() -> None:
    """For a general loss C at sizes (N, K) = (4, 2), (5, 3), (6, 2): exact equality."""
    for inputs, width in ((4, 2), (5, 3), (6, 2)):
        tied, ws, untied, parts = _tied_and_untied(inputs, width)
        positions = inputs - width + 1
        for q in range(width):
            copies_sum = sum(sp.diff(untied, parts["copies"][p, q]) for p in range(positions)).subs(
                parts["tie"]
            )
            assert sp.expand(sp.diff(tied, ws[q]) - copies_sum) == 0
            # and in terms of the errors δ_i = ∂C/∂z_i: Σ_i δ_i x_{i+r-1}
            zeta = sp.symbols(f"zeta_1:{positions + 1}", real=True)
            errors = [
                sp.diff(sp.Function("C")(*zeta), v).subs(dict(zip(zeta, parts["z"], strict=True)))
                for v in zeta
            ]
            formula = sum(errors[p] * parts["xs"][p + q] for p in range(positions))
            assert sp.expand(sp.diff(tied, ws[q]) - formula) == 0
        # a single copy's gradient is not the shared weight's gradient
        one_copy = sp.diff(untied, parts["copies"][0, 0]).subs(parts["tie"])
        assert sp.expand(sp.diff(tied, ws[0]) - one_copy) != 0


def lemma_backprop_of_a_convolution_layer_sums_over_positions() -> None:
    """symdl's backprop on a 1-D convolution (N = 5, K = 3): ∂C/∂w_r = Σ_i δ_i x_{i+r-1}.

    The layer is a dense layer whose weight matrix repeats the kernel along its diagonals
    (:math:`W_{ic} = w_{c-i+1}`), with one shared bias; sigmoid, then a fixed readout.
    """
    inputs, width = 5, 3
    positions = inputs - width + 1
    kernel = sp.symbols(f"w_1:{width + 1}", real=True)
    W = sp.Matrix(
        positions, inputs, lambda i, c: kernel[c - i] if 0 <= c - i < width else sp.S.Zero
    )
    conv = Dense(W, sp.Matrix([b] * positions), ACTIVATIONS["sigmoid"])
    head = Dense(sp.Matrix([[1, -2, 1]]), sp.zeros(1, 1), ACTIVATIONS["identity"])
    net = Network([conv, head])
    bp = backprop(net, LOSSES["mse"])
    xs, errors = net.inputs, [error_symbol(1, i) for i in range(1, positions + 1)]
    for q in range(width):
        by_positions = sp.Add(*[errors[i] * xs[i + q] for i in range(positions)])
        assert sp.expand(bp.gradient[kernel[q]] - by_positions) == 0
    assert sp.expand(bp.gradient[b] - sp.Add(*errors)) == 0
    # and numerically: the symbolic gradient, the NumPy backward pass, finite differences
    assert check_gradients(net, LOSSES["mse"], seed=1989).worst_error <= 1e-8


def lemma_numeric_cross_check_at_30_digits() -> None:
    """N = 7, K = 3, sigmoid, squared loss: Σ_i δ_i x_{i+r-1} equals the finite difference."""
    rng = random.Random(1989)
    with mpmath.workdps(30):
        xs = [mpmath.mpf(rng.uniform(-1, 1)) for _ in range(7)]
        ts = [mpmath.mpf(rng.uniform(0, 1)) for _ in range(5)]
        kernel = [mpmath.mpf(rng.uniform(-1, 1)) for _ in range(3)]
        bias = mpmath.mpf(rng.uniform(-1, 1))

        def sig(v: mpmath.mpf) -> mpmath.mpf:
            return 1 / (1 + mpmath.exp(-v))

        def outputs(ker: list[mpmath.mpf]) -> list[mpmath.mpf]:
            return [sum(ker[q] * xs[p + q] for q in range(3)) + bias for p in range(5)]

        def loss(ker: list[mpmath.mpf]) -> mpmath.mpf:
            return sum((sig(v) - t) ** 2 for v, t in zip(outputs(ker), ts, strict=True)) / 2

        zs = outputs(kernel)
        errors = [(sig(v) - t) * sig(v) * (1 - sig(v)) for v, t in zip(zs, ts, strict=True)]
        for q in range(3):
            formula = sum(errors[p] * xs[p + q] for p in range(5))

            def along(h: mpmath.mpf, q: int = q) -> mpmath.mpf:
                return loss([v + h if c == q else v for c, v in enumerate(kernel)])

            assert abs(mpmath.diff(along, 0) - formula) < mpmath.mpf(10) ** -25
            assert abs(mpmath.diff(along, 0) - errors[0] * xs[q]) > mpmath.mpf(10) ** -6


def derivation() -> Derivation:
    """The gradient of a shared weight, for any number of positions and any kernel width."""
    d = Derivation(
        "The gradient of a shared convolution weight",
        statement=(
            "A 1-D convolution $z_i = \\sum_{s=1}^{K} w_s x_{i+s-1} + b$, $i = 1, \\dots, P$, "
            "applies the same kernel at every position. With $\\delta_i = \\partial C/\\partial "
            "z_i$, the gradient of a shared weight is the sum over the positions."
        ),
    )
    d.add(
        r"\frac{\partial C}{\partial w_{r}}",
        r"\sum_{i=1}^{P} \delta_{i}"
        r" \frac{\partial z_{i}}{\partial w_{r}}",
        Reason.CHAIN_RULE,
    )
    d.add(
        sp.Derivative(pre_activation(i), w[r]), sp.diff(pre_activation(i), w[r]), Reason.LINEARITY
    )
    inner = assume_indices_in_range(sp.diff(pre_activation(i), w[r]).doit(), {r: K})
    d.add("", inner, Reason.KRONECKER_DELTA)
    d.add(
        r"\frac{\partial C}{\partial w_{r}}",
        shared_weight_gradient(),
        "BP4 at every position, summed",
    )
    d.add(r"\frac{\partial C}{\partial b}", sp.Sum(delta[i], (i, 1, P)), "BP3, summed")
    return d


def lemma_every_step_of_the_written_derivation_holds() -> None:
    """The derivation's equalities between SymPy expressions are checked, one by one."""
    pairs = derivation().equalities()
    assert len(pairs) >= 2
    for left, right, _ in pairs:
        assert same_entries(left, right, {r: K}), (left, right)


# --- every convolution layer: channels, stride, padding, 1-D and 2-D ---------------------------

#: (input shape, layer): strided, padded (zeros and circular), several channels, 1-D and 2-D.
LAYERS = (
    ((2, 7), Conv(2, 3, stride=2)),
    ((1, 6), Conv(1, 3, stride=2, padding=1)),
    ((1, 5), Conv(2, 2, padding=1, padding_mode="circular")),
    ((2, 4, 4), Conv(1, 2, stride=2)),
    ((1, 4, 4), Conv(1, 3, stride=2, padding=1)),
    ((1, 3, 4), Conv(1, (2, 3), stride=(1, 2), padding=(0, 1), padding_mode="circular")),
)


def _padded_input(
    xs: list[sp.Symbol], shape: tuple[int, ...], layer: Conv, c: int, position: tuple[int, ...]
) -> sp.Expr:
    """x̃_{c, position}: the input at a position of the padded signal (0 in zero padding)."""
    lengths = shape[1:]
    pad = layer.padding if isinstance(layer.padding, tuple) else (layer.padding,) * len(lengths)
    index = []
    for t, n, padding in zip(position, lengths, pad, strict=True):
        t -= padding
        if layer.padding_mode.value == "circular":
            t %= n
        elif not 0 <= t < n:
            return sp.S.Zero
        index.append(t)
    flat = c
    for t, n in zip(index, lengths, strict=True):
        flat = flat * n + t
    return xs[flat]


def _sum_over_positions(
    errors: list[sp.Expr],
    xs: list[sp.Symbol],
    shape: tuple[int, ...],
    out_shape: tuple[int, ...],
    layer: Conv,
    weight: tuple[int, ...],
) -> sp.Expr:
    """Σ over the output positions of δ_{o, position} x̃_{c, position·s + offset}."""
    o, c, *offsets = weight
    axes = len(out_shape) - 1
    stride = layer.stride if isinstance(layer.stride, tuple) else (layer.stride,) * axes
    per_channel = 1
    for m in out_shape[1:]:
        per_channel *= m
    total = []
    for k, position in enumerate(itertools.product(*(range(m) for m in out_shape[1:]))):
        read = tuple(i * st + r for i, st, r in zip(position, stride, offsets, strict=True))
        total.append(errors[o * per_channel + k] * _padded_input(xs, shape, layer, c, read))
    return sp.Add(*total)


def lemma_every_layer_general_loss_by_differentiation() -> None:
    """∂C/∂W = Σ_positions (∂C/∂z) x̃, for C a general function of every output (the
    smaller layers: strided with zero padding, 2-D with several input channels, 2-D circular
    with a different kernel and stride per axis)."""
    for shape, layer in (LAYERS[1], LAYERS[3], LAYERS[5]):
        graph = GraphNetwork({"x": shape}, [Node("c", layer, "x")])
        xs = graph.input_symbols("x")[0]
        z = graph.forward()[0]
        zeta = sp.symbols(f"zeta_1:{len(z) + 1}", real=True)
        loss = sp.Function("C")(*z)
        errors = [
            sp.diff(sp.Function("C")(*zeta), v).subs(dict(zip(zeta, z, strict=True))) for v in zeta
        ]
        W = graph.node("c").parameters["W"]
        out_shape = graph.shapes["c"]
        for weight in itertools.product(*(range(n) for n in W.shape)):
            formula = _sum_over_positions(errors, xs, shape, out_shape, layer, weight)
            assert sp.expand(sp.diff(loss, W[weight]) - formula) == 0, (shape, layer, weight)
        b = graph.node("c").parameters["b"]
        per_channel = len(z) // layer.channels
        for o in range(layer.channels):
            by_positions = sp.Add(*errors[o * per_channel : (o + 1) * per_channel])
            assert sp.expand(sp.diff(loss, b[o]) - by_positions) == 0
        # one position alone is not the shared weight's gradient
        first = tuple(0 for _ in W.shape)
        assert sp.expand(sp.diff(loss, W[first]) - errors[0] * xs[0]) != 0


def lemma_graph_backprop_sums_a_shared_weight_over_positions() -> None:
    """symdl's graph backpropagation: ∂C/∂W_{o,c,r,q} is Σ_{i,j} δ_{o,i,j} x̃, term for term."""
    for shape, layer in LAYERS:
        graph = GraphNetwork(
            {"x": shape},
            [Node("c", layer, "x"), Node("h", Conv(1, 1, activation="sigmoid"), "c")],
        )
        bp = graph_backprop(graph, LOSSES["mse"])
        errors = list(bp.errors["c"][0])
        xs = list(bp.values["x"][0])
        W = graph.node("c").parameters["W"]
        for weight in itertools.product(*(range(n) for n in W.shape)):
            formula = _sum_over_positions(errors, xs, shape, graph.shapes["c"], layer, weight)
            assert sp.expand(bp.gradient[W[weight]] - formula) == 0, (shape, layer, weight)


def lemma_strided_2d_numeric_cross_check_at_30_digits() -> None:
    """A 5×5 input, 3×3 kernel, stride 2, zero padding 1, sigmoid, squared loss: the sum over
    positions equals the derivative computed by mpmath, at 30 digits."""
    rng = random.Random(2016)
    with mpmath.workdps(30):
        image = [[mpmath.mpf(rng.uniform(-1, 1)) for _ in range(5)] for _ in range(5)]
        kernel = [[mpmath.mpf(rng.uniform(-1, 1)) for _ in range(3)] for _ in range(3)]
        targets = [[mpmath.mpf(rng.uniform(0, 1)) for _ in range(3)] for _ in range(3)]
        bias = mpmath.mpf(rng.uniform(-1, 1))

        def padded(i: int, j: int) -> mpmath.mpf:
            i, j = i - 1, j - 1
            return image[i][j] if 0 <= i < 5 and 0 <= j < 5 else mpmath.mpf(0)

        def outputs(ker: list[list[mpmath.mpf]]) -> list[list[mpmath.mpf]]:
            return [
                [
                    bias
                    + sum(
                        ker[r][q] * padded(2 * i + r, 2 * j + q) for r in range(3) for q in range(3)
                    )
                    for j in range(3)
                ]
                for i in range(3)
            ]

        def sig(v: mpmath.mpf) -> mpmath.mpf:
            return 1 / (1 + mpmath.exp(-v))

        def loss(ker: list[list[mpmath.mpf]]) -> mpmath.mpf:
            zs = outputs(ker)
            return sum((sig(zs[i][j]) - targets[i][j]) ** 2 for i in range(3) for j in range(3))

        zs = outputs(kernel)
        delta = [
            [
                2 * (sig(zs[i][j]) - targets[i][j]) * sig(zs[i][j]) * (1 - sig(zs[i][j]))
                for j in range(3)
            ]
            for i in range(3)
        ]
        for r, q in itertools.product(range(3), range(3)):
            formula = sum(
                delta[i][j] * padded(2 * i + r, 2 * j + q) for i in range(3) for j in range(3)
            )

            def along(h: mpmath.mpf, r: int = r, q: int = q) -> mpmath.mpf:
                moved = [[v + h if (a, c) == (r, q) else v for c, v in enumerate(row)]
                         for a, row in enumerate(kernel)]  # fmt: skip
                return loss(moved)

            assert abs(mpmath.diff(along, 0) - formula) < mpmath.mpf(10) ** -25
