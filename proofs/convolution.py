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

References: Y. LeCun, B. Boser, J. S. Denker, D. Henderson, R. E. Howard, W. Hubbard,
L. D. Jackel, "Backpropagation applied to handwritten zip code recognition", Neural
Computation 1 (1989), 541–551 (weight sharing and its gradient); I. Goodfellow, Y. Bengio,
A. Courville, *Deep Learning* (2016), section 9.5, equation (9.11).
"""

from __future__ import annotations

import random

import mpmath
import sympy as sp

from symdl import ACTIVATIONS, LOSSES, Dense, Network, backprop, check_gradients
from symdl.backpropagation.index_sums import assume_indices_in_range, same_entries
from symdl.backpropagation.reverse_mode import error_symbol
from symdl.core.derivation import Derivation, Reason

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
