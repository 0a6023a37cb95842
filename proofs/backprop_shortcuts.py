r"""The output error of softmax with cross-entropy, and of sigmoid with binary cross-entropy

For a softmax output :math:`a_j = e^{z_j} / \sum_m e^{z_m}` and the cross-entropy
:math:`C = -\sum_k y_k \log a_k`, the error of output neuron :math:`j` is

.. math::

    \delta_j = \frac{\partial C}{\partial z_j} = a_j \sum_k y_k - y_j,

which is :math:`a_j - y_j` when the targets sum to 1 (a one-hot label or any probability
vector); the general form shows what the shortcut assumes.  For a sigmoid output
:math:`a_j = \sigma(z_j)` and the binary cross-entropy
:math:`C = -\sum_j [y_j \log a_j + (1 - y_j) \log(1 - a_j)]`, :math:`\delta_j = a_j - y_j`
with no condition on :math:`y`.  In both cases the derivative of the activation cancels
against that of the logarithm, so the output error is the residual.

Both are proved exactly for a symbolic number :math:`n` of outputs (sums over ``IndexedBase``
entries), again for :math:`n = 2, \dots, 5` with the losses of :mod:`symdl.core.losses`, and
checked numerically with mpmath at 30 digits.

References: M. Nielsen, *Neural Networks and Deep Learning* (2015), ch. 3 (cross-entropy,
softmax, and the output error :math:`a - y`); C. M. Bishop, *Pattern Recognition and Machine
Learning* (2006), section 4.3.4, equation (4.109).
"""

from __future__ import annotations

import random

import mpmath
import sympy as sp

from symdl.backpropagation.index_sums import assume_indices_in_range, same_entries
from symdl.backpropagation.reverse_mode import activation_symbol, backprop, target_symbols
from symdl.core.activations import Sigmoid
from symdl.core.derivation import Derivation, Reason
from symdl.core.losses import LOSSES, softmax
from symdl.core.network import Network

n = sp.Symbol("n", integer=True, positive=True)  # the number of outputs
j, k, m = sp.symbols("j k m", integer=True, positive=True)
z = sp.IndexedBase("z", real=True)
y = sp.IndexedBase("y", real=True)

NORMALISER = sp.Sum(sp.exp(z[m]), (m, 1, n))  # Σ_m e^{z_m} > 0


def softmax_entry(index: sp.Expr) -> sp.Expr:
    r""":math:`a_i = e^{z_i} / \sum_m e^{z_m}`."""
    return sp.exp(z[index]) / NORMALISER


def log_softmax_entry(index: sp.Expr) -> sp.Expr:
    r""":math:`\log a_i = z_i - \log \sum_m e^{z_m}` (SymPy expands it: both factors are
    positive)."""
    return sp.expand_log(sp.log(softmax_entry(index)))


def cross_entropy() -> sp.Expr:
    r""":math:`C = -\sum_k y_k \log a_k` for :math:`n` outputs."""
    return -sp.Sum(y[k] * log_softmax_entry(k), (k, 1, n))


def general_error() -> sp.Expr:
    r""":math:`a_j \sum_k y_k - y_j`: the output error for any targets."""
    return softmax_entry(j) * sp.Sum(y[k], (k, 1, n)) - y[j]


# --- softmax and cross-entropy ----------------------------------------------------------------


def lemma_log_of_softmax_splits() -> None:
    """log(e^{z_k} / Σ_m e^{z_m}) = z_k - log Σ_m e^{z_m}, since both factors are positive."""
    assert NORMALISER.is_positive
    assert log_softmax_entry(k) == z[k] - sp.log(NORMALISER)


def lemma_softmax_cross_entropy_error_for_any_targets() -> None:
    """δ_j = a_j Σ_k y_k - y_j, for a symbolic number n of outputs."""
    delta = sp.diff(cross_entropy(), z[j])
    assert same_entries(delta, general_error(), {j: n})
    # the shortcut a_j - y_j is wrong when the targets do not sum to 1
    assert not same_entries(delta, softmax_entry(j) - y[j], {j: n})


def lemma_softmax_cross_entropy_error_is_a_minus_y_when_targets_sum_to_1() -> None:
    """With Σ_k y_k = 1: δ_j = a_j - y_j, for a symbolic number n of outputs."""
    # δ_j = a_j (Σ_k y_k) - y_j identically, and Σ_k y_k enters only through that factor
    delta = sp.diff(cross_entropy(), z[j])
    assert same_entries(delta, general_error(), {j: n})
    normalised = general_error().subs(sp.Sum(y[k], (k, 1, n)), 1)
    assert normalised == softmax_entry(j) - y[j]


def _concrete(count: int) -> tuple[sp.Matrix, sp.Matrix]:
    zs = sp.Matrix(sp.symbols(f"z_1:{count + 1}", real=True))
    ys = sp.Matrix(sp.symbols(f"y_1:{count + 1}", real=True))
    return zs, ys


def _is_zero(expr: sp.Expr) -> bool:
    """Exactly zero, as a rational function of the exponentials and targets."""
    return bool(sp.cancel(sp.together(expr)) == 0)


def lemma_softmax_cross_entropy_for_2_to_5_outputs() -> None:
    """With the registry's log loss: δ_j = a_j Σ y - y_j, and a_j - y_j once Σ y = 1."""
    for count in range(2, 6):
        zs, ys = _concrete(count)
        loss = LOSSES["log"](zs, ys)
        a = softmax(zs)
        normalised = {ys[-1]: 1 - sum(ys[:-1])}
        for r in range(count):
            delta = sp.diff(loss, zs[r])
            assert _is_zero(delta - (a[r] * sum(ys) - ys[r]))
            assert _is_zero((delta - (a[r] - ys[r])).subs(normalised))
        assert not _is_zero(sp.diff(loss, zs[0]) - (a[0] - ys[0]))  # needs Σ y = 1


# --- sigmoid and binary cross-entropy --------------------------------------------------------


def lemma_sigmoid_binary_cross_entropy_error() -> None:
    """a = σ(z), C = -[y log a + (1 - y) log(1 - a)]: dC/dz = a - y, for any y."""
    zs, ys = sp.symbols("z y", real=True)
    loss = LOSSES["bce"](sp.Matrix([Sigmoid(zs)]), sp.Matrix([ys]))
    assert sp.simplify(sp.diff(loss, zs) - (Sigmoid(zs) - ys)) == 0
    # in elementary form too (σ = 1/(1 + e^{-z}))
    elementary = loss.rewrite(sp.exp)
    assert sp.simplify(sp.diff(elementary, zs) - (1 / (1 + sp.exp(-zs)) - ys)) == 0


def lemma_sigmoid_binary_cross_entropy_for_any_width() -> None:
    """For n sigmoid outputs: δ_j = σ(z_j) - y_j, for a symbolic n."""
    terms = y[k] * sp.log(Sigmoid(z[k])) + (1 - y[k]) * sp.log(1 - Sigmoid(z[k]))
    loss = -sp.Sum(terms, (k, 1, n))
    delta = assume_indices_in_range(sp.diff(loss, z[j]).doit(), {j: n})
    assert sp.simplify(delta - (Sigmoid(z[j]) - y[j])) == 0
    for count in range(2, 6):
        zs, ys = _concrete(count)
        concrete = LOSSES["bce"](zs.applyfunc(Sigmoid), ys)
        for r in range(count):
            assert sp.simplify(sp.diff(concrete, zs[r]) - (Sigmoid(zs[r]) - ys[r])) == 0


# --- the same output errors, from symbolic backpropagation ------------------------------------


def lemma_backprop_gives_the_shortcuts() -> None:
    """backprop's own δ^L (BP1 through the softmax Jacobian, or through σ') is the shortcut."""
    for count in (2, 3):
        a = [activation_symbol(1, r) for r in range(1, count + 1)]
        ys = target_symbols(count)
        loss = -sp.Add(*[t * sp.log(p) for t, p in zip(ys, a, strict=True)])
        softmax_bp = backprop(Network.mlp([2, count], "softmax"), loss)
        sigmoid_bp = backprop(Network.mlp([2, count], "sigmoid"), LOSSES["bce"])
        for r in range(count):
            assert sp.simplify(softmax_bp.delta(1, r + 1) - (a[r] * sum(ys) - ys[r])) == 0
            assert sp.factor(sigmoid_bp.delta(1, r + 1)) == a[r] - ys[r]


# --- numeric cross-check ----------------------------------------------------------------------


def lemma_numeric_cross_check_at_30_digits() -> None:
    """Finite differences (mpmath) agree with a Σ y - y and with σ(z) - y at random points."""
    rng = random.Random(2026)
    with mpmath.workdps(30):
        zs = [mpmath.mpf(rng.uniform(-3, 3)) for _ in range(3)]
        ys = [mpmath.mpf(rng.uniform(0, 1)) for _ in range(3)]  # Σ y ≠ 1 on purpose

        def loss(values: list[mpmath.mpf]) -> mpmath.mpf:
            total = sum(mpmath.exp(v) for v in values)
            return -sum(
                t * mpmath.log(mpmath.exp(v) / total) for v, t in zip(values, ys, strict=True)
            )

        probabilities = [mpmath.exp(v) / sum(mpmath.exp(u) for u in zs) for v in zs]
        for r in range(3):

            def along(h: mpmath.mpf, r: int = r) -> mpmath.mpf:
                return loss([v + h if q == r else v for q, v in enumerate(zs)])

            expected = probabilities[r] * sum(ys) - ys[r]
            assert abs(mpmath.diff(along, 0) - expected) < mpmath.mpf(10) ** -25
            assert abs(mpmath.diff(along, 0) - (probabilities[r] - ys[r])) > mpmath.mpf(10) ** -3

        def bce(v: mpmath.mpf) -> mpmath.mpf:
            a = 1 / (1 + mpmath.exp(-v))
            return -(ys[0] * mpmath.log(a) + (1 - ys[0]) * mpmath.log(1 - a))

        expected = 1 / (1 + mpmath.exp(-zs[0])) - ys[0]
        assert abs(mpmath.diff(bce, zs[0]) - expected) < mpmath.mpf(10) ** -25


# --- the written derivation -------------------------------------------------------------------


def derivation() -> Derivation:
    """The output error of softmax with cross-entropy, step by step, for n outputs."""
    d = Derivation(
        "The output error of softmax with cross-entropy",
        statement=(
            "For $a_j = e^{z_j}/\\sum_m e^{z_m}$ and $C = -\\sum_k y_k \\log a_k$ with $n$ "
            "outputs: $\\delta_j = a_j \\sum_k y_k - y_j$, and $\\delta_j = a_j - y_j$ when "
            "$\\sum_k y_k = 1$."
        ),
    )
    d.add("C", -sp.Sum(y[k] * sp.log(softmax_entry(k)), (k, 1, n)), Reason.DEFINITION)
    d.add("", cross_entropy(), "$\\log(u/v) = \\log u - \\log v$ for $u, v > 0$")
    delta = sp.diff(cross_entropy(), z[j])
    d.add(r"\delta_{j} = \frac{\partial C}{\partial z_{j}}", delta, Reason.LINEARITY)
    d.add("", general_error(), Reason.KRONECKER_DELTA)
    d.add("", softmax_entry(j) - y[j], "if $\\sum_k y_k = 1$")
    return d


def lemma_every_step_of_the_written_derivation_holds() -> None:
    """Each equality of the derivation holds; the last one only where Σ_k y_k = 1."""
    pairs = derivation().equalities()
    assert len(pairs) == 3
    for left, right, step in pairs[:-1]:
        assert same_entries(left, right, {j: n}), (left, right, step.reason)
    left, right, step = pairs[-1]
    assert not same_entries(left, right, {j: n})  # the shortcut needs its condition
    assert same_entries(left.subs(sp.Sum(y[k], (k, 1, n)), 1), right, {j: n})
