r"""Backpropagation computes the error of every neuron, for layers of any width

The homework of the lecture: show that the backpropagation algorithm correctly derives the
error :math:`\delta^l_j = \partial C / \partial z^l_j` of every neuron :math:`j` of every layer
:math:`l`.  For a network :math:`z^l_j = \sum_k w^l_{jk} a^{l-1}_k + b^l_j`,
:math:`a^l_j = \sigma(z^l_j)` with layers of any widths :math:`n_l` and a loss
:math:`C(a^L)`:

- BP1 (base case): :math:`\delta^L_j = \frac{\partial C}{\partial a^L_j} \sigma'(z^L_j)`;
- BP2 (inductive step): if :math:`\delta^{l+1}_k = \partial C / \partial z^{l+1}_k` for every
  :math:`k`, then :math:`\partial C / \partial z^l_j = \sum_k w^{l+1}_{kj} \delta^{l+1}_k
  \sigma'(z^l_j) = \delta^l_j`;
- by induction on :math:`l`, downward from :math:`L`, every error is the partial derivative;
- BP3, BP4: :math:`\partial C / \partial b^l_j = \delta^l_j` and
  :math:`\partial C / \partial w^l_{jk} = \delta^l_j a^{l-1}_k`.

The widths are SymPy symbols :math:`n_l, n_{l+1}`, the sums ``Sum`` over ``IndexedBase``
entries, and SymPy differentiates an entry with respect to another as a Kronecker delta, so
each lemma holds for every width at once.  The chain rule through :math:`z^{l+1}` (used with a
general loss :math:`C`) is also checked for a general :math:`C` at widths 1 to 4, and, for the
quadratic loss, the whole step (and two consecutive steps) is proved for symbolic widths
without it.  The matrix form
(:mod:`symdl.backpropagation.matrix_form`) and a numeric cross-check at 30 digits close the proof.

References: D. E. Rumelhart, G. E. Hinton, R. J. Williams, "Learning representations by
back-propagating errors", Nature 323 (1986); M. Nielsen, *Neural Networks and Deep Learning*
(2015), ch. 2, equations (BP1)–(BP4) and their proofs.
"""

from __future__ import annotations

import random

import mpmath
import sympy as sp

from symdl.backpropagation.index_sums import assume_indices_in_range, same_entries
from symdl.backpropagation.matrix_form import (
    agree_at_sizes,
    bp2,
    entry_gradient,
    linearised_loss,
    matrix_layer,
)
from symdl.core.activations import ACTIVATIONS, Sigmoid
from symdl.core.derivation import Derivation, Reason

# Widths of layers l and l+1 (any positive integers) and 1-based neuron indices.
n, p, n_out = sp.symbols("n_l n_{l+1} n_L", integer=True, positive=True)
i, j, k, m = sp.symbols("i j k m", integer=True, positive=True)

w = sp.IndexedBase("w^{l+1}")  # w^{l+1}_{km}: weight from neuron m of layer l to k of l+1
w_l = sp.IndexedBase("w^{l}")
b = sp.IndexedBase("b^{l+1}")
b_l = sp.IndexedBase("b^{l}")
z = sp.IndexedBase("z^{l}")
z_out = sp.IndexedBase("z^{L}")
a_prev = sp.IndexedBase("a^{l-1}")
y = sp.IndexedBase("y")
delta = sp.IndexedBase(r"\delta^{l}")
delta_next = sp.IndexedBase(r"\delta^{l+1}")
grad_a = sp.IndexedBase(r"\nabla_{a} C")  # ∂C/∂a^L_k, a general loss's gradient
sigma = sp.Function("sigma")  # any differentiable activation


def sigma_prime(x: sp.Expr) -> sp.Expr:
    """σ'(x) for a symbol or an entry x."""
    return sp.Derivative(sigma(x), x)


def sigma_prime_at(x: sp.Expr) -> sp.Expr:
    """σ'(x) for any expression x (SymPy's ``Subs`` of the derivative)."""
    t = sp.Dummy("t", real=True)
    return sp.Subs(sp.Derivative(sigma(t), t), t, x)


def z_next(row: sp.Expr) -> sp.Expr:
    r""":math:`z^{l+1}_k = \sum_m w^{l+1}_{km} \sigma(z^l_m) + b^{l+1}_k`, width :math:`n_l`."""
    return sp.Sum(w[row, m] * sigma(z[m]), (m, 1, n)) + b[row]


def z_layer(row: sp.Expr) -> sp.Expr:
    r""":math:`z^l_j = \sum_m w^l_{jm} a^{l-1}_m + b^l_j` (width :math:`n_{l-1}` written n_l)."""
    return sp.Sum(w_l[row, m] * a_prev[m], (m, 1, n)) + b_l[row]


def bp2_rhs(errors: sp.IndexedBase | None = None) -> sp.Expr:
    r"""The right side of BP2: :math:`\sum_k w^{l+1}_{kj} \delta^{l+1}_k \sigma'(z^l_j)`."""
    errors = delta_next if errors is None else errors
    return sp.Sum(w[k, j] * errors[k], (k, 1, p)) * sigma_prime(z[j])


# --- BP1: the base case -----------------------------------------------------------------------


def bp1_chain_rule() -> sp.Expr:
    r""":math:`\sum_k \frac{\partial C}{\partial a^L_k} \frac{\partial a^L_k}{\partial z^L_j}`,
    with the inner derivative computed by SymPy (a Kronecker delta)."""
    return sp.Sum(grad_a[k] * sp.diff(sigma(z_out[k]), z_out[j]), (k, 1, n_out))


def lemma_bp1_for_any_width() -> None:
    """BP1: the chain rule through a^L leaves only k = j, for a general loss and any width."""
    collapsed = assume_indices_in_range(bp1_chain_rule().doit(), {j: n_out})
    assert collapsed == grad_a[j] * sigma_prime(z_out[j])
    assert same_entries(bp1_chain_rule(), grad_a[j] * sigma_prime(z_out[j]), {j: n_out})
    # a wrong index (σ' at neuron 1 instead of j) is refused
    assert not same_entries(bp1_chain_rule(), grad_a[j] * sigma_prime(z_out[1]), {j: n_out})


def lemma_bp1_quadratic_loss_exactly() -> None:
    """For C = ½ Σ_k (σ(z^L_k) - y_k)², ∂C/∂z^L_j = (a^L_j - y_j) σ'(z^L_j): no chain-rule axiom."""
    cost = sp.Sum((sigma(z_out[k]) - y[k]) ** 2, (k, 1, n_out)) / 2
    true = sp.diff(cost, z_out[j])
    assert same_entries(true, (sigma(z_out[j]) - y[j]) * sigma_prime(z_out[j]), {j: n_out})


# --- BP2: the inductive step ------------------------------------------------------------------


def bp2_chain_rule() -> sp.Expr:
    r""":math:`\sum_k \delta^{l+1}_k \frac{\partial z^{l+1}_k}{\partial z^l_j}` (chain rule and
    the induction hypothesis), the inner derivative computed by SymPy."""
    return sp.Sum(delta_next[k] * sp.diff(z_next(k), z[j]), (k, 1, p))


def lemma_bp2_inductive_step_for_any_width() -> None:
    """z^{l+1}_k depends on z^l_j only through a^l_j: the step gives BP2 for all widths."""
    inner = assume_indices_in_range(sp.diff(z_next(k), z[j]).doit(), {j: n})
    assert inner == w[k, j] * sigma_prime(z[j])
    assert same_entries(bp2_chain_rule(), bp2_rhs(), {j: n})
    # the tester is tested: w_{jk} in place of w_{kj} (a missing transpose) is refused
    transposed = sp.Sum(w[j, k] * delta_next[k], (k, 1, p)) * sigma_prime(z[j])
    assert not same_entries(bp2_chain_rule(), transposed, {j: n})


def lemma_bp2_quadratic_loss_exactly() -> None:
    """For C = ½ Σ_k (z^{l+1}_k - y_k)², ∂C/∂z^l_j is BP2 with δ^{l+1}_k = z^{l+1}_k - y_k."""
    cost = sp.Sum((z_next(k) - y[k]) ** 2, (k, 1, p)) / 2
    true = sp.diff(cost, z[j])
    errors = sp.Lambda(k, z_next(k) - y[k])
    expected = sp.Sum(w[k, j] * errors(k), (k, 1, p)) * sigma_prime(z[j])
    assert same_entries(true, expected, {j: n})


def lemma_chain_rule_for_a_general_loss_at_widths_1_to_4() -> None:
    """C any function of z^{l+1}: ∂C/∂z^l_j = Σ_k (∂C/∂z^{l+1}_k) w_{kj} σ'(z^l_j), exactly."""
    C = sp.Function("C")
    for width in range(1, 5):
        zs = sp.symbols(f"z_1:{width + 1}", real=True)
        ws = sp.Matrix(width, width, lambda r, c: sp.Symbol(f"w_{r + 1}{c + 1}", real=True))
        nexts = [sum(ws[r, c] * sigma(zs[c]) for c in range(width)) for r in range(width)]
        zeta = sp.symbols(f"zeta_1:{width + 1}", real=True)
        partials = [sp.diff(C(*zeta), v).subs(dict(zip(zeta, nexts, strict=True))) for v in zeta]
        loss = C(*nexts)
        for col in range(width):
            true = sp.diff(loss, zs[col])
            bp = sum(partials[r] * ws[r, col] for r in range(width)) * sp.diff(sigma(zs[col]))
            assert sp.expand(true - bp) == 0


def lemma_two_backward_steps_for_any_widths_quadratic_loss() -> None:
    """BP2 twice from the output, three symbolic widths, C = ½ Σ_k (z^{l+2}_k - y_k)².

    z^{l+1}_m = Σ_i u_{mi} σ(z^l_i) and z^{l+2}_k = Σ_m v_{km} σ(z^{l+1}_m), with widths
    n_l, n_{l+1}, n_{l+2}: the recursion δ^{l+2} → δ^{l+1} → δ^l gives ∂C/∂z^l_j exactly;
    the only other fact used is the exchange of two finite sums (SymPy's ``reorder``).
    """
    q = sp.Symbol("n_{l+2}", integer=True, positive=True)
    u, v = sp.IndexedBase("u"), sp.IndexedBase("v")

    def first(row: sp.Expr) -> sp.Expr:
        return sp.Sum(u[row, i] * sigma(z[i]), (i, 1, n))

    def second(row: sp.Expr) -> sp.Expr:
        return sp.Sum(v[row, m] * sigma(first(m)), (m, 1, p))

    cost = sp.Sum((second(k) - y[k]) ** 2, (k, 1, q)) / 2
    true = sp.diff(cost, z[j])
    # the recursion: δ^{l+2}_k = z^{l+2}_k - y_k, then BP2 twice
    top = sp.Lambda(k, second(k) - y[k])
    middle = sp.Lambda(m, sp.Sum(v[k, m] * top(k), (k, 1, q)) * sigma_prime_at(first(m)))
    bottom = sp.Sum(u[m, j] * middle(m), (m, 1, p)) * sigma_prime(z[j])
    # Σ_m Σ_k = Σ_k Σ_m (finite sums, constant limits)
    double = sp.Sum(u[m, j] * sigma_prime_at(first(m)) * v[k, m] * top(k), (k, 1, q), (m, 1, p))
    assert same_entries(bottom, double * sigma_prime(z[j]), {j: n})
    exchanged = double.reorder((0, 1))
    assert exchanged.limits == ((m, 1, p), (k, 1, q))
    assert same_entries(true, exchanged * sigma_prime(z[j]), {j: n})
    # without the σ' of the middle layer the recursion is wrong, and the check says so
    wrong = sp.Sum(u[m, j] * v[k, m] * top(k), (m, 1, p), (k, 1, q)) * sigma_prime(z[j])
    assert not same_entries(true, wrong, {j: n})


# --- the induction ----------------------------------------------------------------------------


def lemma_induction_downward_from_the_output_layer() -> None:
    """BP1 at L, then BP2 from l+1 to l, give every δ^l_j = ∂C/∂z^l_j (a depth-3 network)."""
    # z^3 = w3 σ(z^2), z^2 = w2 σ(z^1); C = C(z^3) general; each δ by the recursion
    C = sp.Function("C")
    z1 = sp.symbols("z1_1:3", real=True)
    W2 = sp.Matrix(2, 2, lambda r, c: sp.Symbol(f"u_{r + 1}{c + 1}", real=True))
    W3 = sp.Matrix(1, 2, lambda r, c: sp.Symbol(f"v_{c + 1}", real=True))
    z2 = W2 * sp.Matrix([sigma(v) for v in z1])
    z3 = (W3 * z2.applyfunc(sigma))[0]
    t = sp.Symbol("t", real=True)
    delta3 = sp.diff(C(t), t).subs(t, z3)  # BP1 with σ_L = identity: ∂C/∂a^L
    delta2 = [W3[0, r] * delta3 * sigma_prime_at(z2[r]) for r in range(2)]
    delta1 = [sum(W2[r, c] * delta2[r] for r in range(2)) * sp.diff(sigma(z1[c])) for c in range(2)]
    loss = C(z3)
    for c in range(2):
        assert sp.expand(sp.diff(loss, z1[c]) - delta1[c]) == 0


# --- BP3 and BP4 ------------------------------------------------------------------------------


def linear_loss() -> sp.Expr:
    r""":math:`\sum_m \delta^l_m z^l_m`: the loss to first order (:math:`dC = \sum_m
    \delta^l_m dz^l_m`)."""
    return sp.Sum(delta[i] * z_layer(i), (i, 1, p))


def lemma_bp3_bp4_for_any_width() -> None:
    """∂C/∂b^l_j = δ^l_j and ∂C/∂w^l_{jk} = δ^l_j a^{l-1}_k, for all widths."""
    ranges = {j: p, k: n}
    assert same_entries(sp.diff(linear_loss(), b_l[j]), delta[j], ranges)
    assert same_entries(sp.diff(linear_loss(), w_l[j, k]), delta[j] * a_prev[k], ranges)
    assert not same_entries(sp.diff(linear_loss(), w_l[j, k]), delta[k] * a_prev[j], ranges)
    # the quadratic loss, without the linearisation
    cost = sp.Sum((z_layer(i) - y[i]) ** 2, (i, 1, p)) / 2
    error = z_layer(j) - y[j]
    assert same_entries(sp.diff(cost, w_l[j, k]), error * a_prev[k], ranges)
    assert same_entries(sp.diff(cost, b_l[j]), error, ranges)


# --- the matrix form --------------------------------------------------------------------------


def lemma_matrix_form_agrees_with_the_elementwise_result() -> None:
    """δ^l = ((W^{l+1})^T δ^{l+1}) ⊙ σ'(z^l), symbolically and at sizes (2, 3, 2)."""
    layer = matrix_layer()
    ell = linearised_loss(layer, sigma)
    jj = sp.Symbol("jj", integer=True, nonnegative=True)
    elementwise = entry_gradient(ell, layer.z, jj)
    assert same_entries(bp2(layer, sigma_prime)[jj, 0], elementwise, {jj: layer.sizes[1]})
    sizes = dict(zip(layer.sizes, (2, 3, 2), strict=True))
    ell = linearised_loss(layer, Sigmoid)
    assert agree_at_sizes(bp2(layer, ACTIVATIONS["sigmoid"].derivative), ell, layer.z, sizes)


# --- numeric cross-check ----------------------------------------------------------------------


def lemma_numeric_cross_check_at_30_digits() -> None:
    """n_l = 3, n_{l+1} = 2, sigmoid then tanh, squared loss: BP2 = the finite difference."""
    rng = random.Random(1986)
    W = [[mpmath.mpf(rng.uniform(-2, 2)) for _ in range(3)] for _ in range(2)]
    bias = [mpmath.mpf(rng.uniform(-1, 1)) for _ in range(2)]
    target = [mpmath.mpf(rng.uniform(-1, 1)) for _ in range(2)]
    point = [mpmath.mpf(rng.uniform(-2, 2)) for _ in range(3)]

    def s(x: mpmath.mpf) -> mpmath.mpf:
        return 1 / (1 + mpmath.exp(-x))

    def nexts(zl: list[mpmath.mpf]) -> list[mpmath.mpf]:
        return [sum(W[r][c] * s(zl[c]) for c in range(3)) + bias[r] for r in range(2)]

    def loss(zl: list[mpmath.mpf]) -> mpmath.mpf:
        return sum((mpmath.tanh(v) - t) ** 2 for v, t in zip(nexts(zl), target, strict=True)) / 2

    with mpmath.workdps(30):
        zn = nexts(point)
        errors = [
            (mpmath.tanh(v) - t) * (1 - mpmath.tanh(v) ** 2)
            for v, t in zip(zn, target, strict=True)
        ]
        for c in range(3):
            formula = sum(W[r][c] * errors[r] for r in range(2)) * s(point[c]) * (1 - s(point[c]))

            def along(h: mpmath.mpf, c: int = c) -> mpmath.mpf:
                return loss([v + h if q == c else v for q, v in enumerate(point)])

            assert abs(mpmath.diff(along, 0) - formula) < mpmath.mpf(10) ** -25


# --- the written answer -----------------------------------------------------------------------


def derivation() -> Derivation:
    """The written answer to the homework, each step the expression the lemmas verify."""
    d = Derivation(
        "Backpropagation computes the error of every neuron",
        statement=(
            "Let $z^l_j = \\sum_k w^l_{jk} a^{l-1}_k + b^l_j$ and $a^l_j = \\sigma(z^l_j)$ for "
            "layers of any widths $n_l$, and let $C$ be a loss depending on the output "
            "$a^L$. Claim: the errors computed by BP1 and BP2 are "
            "$\\delta^l_j = \\partial C/\\partial z^l_j$ for every layer $l$ and every neuron "
            "$j$, and BP3, BP4 give the gradients. Proof by induction on $l$, downward from "
            "$L$; indices run over $1, \\dots, n_l$ and all sums are of symbolic length."
        ),
    )
    dC_dz = r"\frac{\partial C}{\partial z^{L}_{j}}"
    d.remark("Base case (BP1). $C$ depends on $z^L_j$ through the outputs $a^L_k$:")
    d.add(r"\delta^{L}_{j}", dC_dz, Reason.DEFINITION)
    d.add("", bp1_chain_rule(), Reason.CHAIN_RULE)
    d.add("", grad_a[j] * sigma_prime(z_out[j]), Reason.KRONECKER_DELTA)
    d.remark(
        "Inductive step (BP2). Assume $\\delta^{l+1}_k = \\partial C/\\partial z^{l+1}_k$ "
        "for every $k$. $C$ depends on $z^l_j$ only through $z^{l+1}$, and"
    )
    d.add(sp.Derivative(z_next(k), z[j]), sp.diff(z_next(k), z[j]), Reason.LINEARITY)
    inner = assume_indices_in_range(sp.diff(z_next(k), z[j]).doit(), {j: n})
    d.add("", inner, Reason.KRONECKER_DELTA)
    d.add(
        r"\frac{\partial C}{\partial z^{l}_{j}}",
        r"\sum_{k=1}^{n_{l+1}} \frac{\partial C}{\partial z^{l+1}_{k}}"
        r" \frac{\partial z^{l+1}_{k}}{\partial z^{l}_{j}}",
        Reason.CHAIN_RULE,
    )
    d.add("", sp.Sum(delta_next[k] * inner, (k, 1, p)), Reason.INDUCTION)
    d.add("", bp2_rhs(), Reason.BP2)
    d.add("", r"\delta^{l}_{j}", "the recursion BP2 defines $\\delta^l_j$")
    d.remark(
        "By induction on $l = L, L-1, \\dots, 1$, every error equals the partial derivative. "
        "Gradients (BP3, BP4): to first order $dC = \\sum_i \\delta^l_i dz^l_i$, so"
    )
    d.add(r"\frac{\partial C}{\partial b^{l}_{j}}", delta[j], Reason.BP3)
    d.add(r"\frac{\partial C}{\partial w^{l}_{jk}}", delta[j] * a_prev[k], Reason.BP4)
    layer = matrix_layer()
    d.remark("In matrix form, for weight matrices of any size:")
    d.add(r"\delta^{l}", bp2(layer, sigma_prime), Reason.BP2)
    d.add(r"\frac{\partial C}{\partial W^{l}}", layer.delta * layer.a_prev.T, Reason.BP4)
    d.remark("Each step is checked exactly by SymPy for symbolic widths; q.e.d.")
    return d


def lemma_every_step_of_the_written_answer_holds() -> None:
    """The derivation's equalities between SymPy expressions are checked, one by one."""
    pairs = derivation().equalities()
    assert len(pairs) >= 4
    for left, right, _ in pairs:
        ranges = {j: n_out} if left.has(z_out) else {j: n}
        assert same_entries(left, right, ranges), (left, right)
    # the checker of the written answer is tested: a wrong step is caught
    wrong = Derivation("wrong")
    wrong.add(bp1_chain_rule(), grad_a[j] * sigma_prime(z_out[k]), Reason.KRONECKER_DELTA)
    ((left, right, _),) = wrong.equalities()
    assert not same_entries(left, right, {j: n_out})
