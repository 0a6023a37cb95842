r"""Dropout's expected loss: an exact penalty for the linear model, an approximation for GLMs

Inverted dropout keeps input :math:`j` with probability :math:`p \in (0, 1]`: with independent
masks :math:`m_j \sim \operatorname{Bernoulli}(p)` the input :math:`x_j` becomes
:math:`\tilde x_j = m_j x_j / p`, whose mean is :math:`x_j`.  For the linear model with
squared loss and any number :math:`n` of inputs,

.. math::

    \mathbb{E}\bigl[(y - w \cdot \tilde x)^2\bigr]
    = (y - w \cdot x)^2 + \frac{1 - p}{p} \sum_{j=1}^{n} w_j^2 x_j^2 :

the penalty is the variance of :math:`w \cdot \tilde x`, a sum of independent terms.  Proved
exactly for :math:`n \le 4` by summing over the :math:`2^n` masks with their weights, for
:math:`n = 30` from the moments :math:`\mathbb{E}[m_j^k] = p`, and for a symbolic :math:`n`
with sums over a symbolic range; a seeded Monte Carlo estimate whose confidence interval
contains the exact value adds evidence, not proof.

For a generalized linear model with log-partition function :math:`A`, loss
:math:`A(u) - y u` and :math:`u = b + w \cdot x`, Wager, Wang and Liang's regulariser

.. math::

    R^q = \frac12\, \frac{1 - p}{p}\, A''(u) \sum_{j=1}^{n} w_j^2 x_j^2

added to the loss gives the expected loss exactly for the quadratic loss,
:math:`A(u) = u^2/2`.  For the logistic loss, :math:`A(u) = \log(1 + e^{u})`, it is a
second-order Taylor approximation and not exact: the gap is nonzero, at most
:math:`\tfrac16 \sup|A'''|\, \mathbb{E}|\Delta|^3` with :math:`\sup|A'''| = \sqrt3/18` and
:math:`\Delta = w \cdot \tilde x - w \cdot x`, and of order :math:`t^3` when the weights are
scaled by :math:`t \to 0` (measured at 50 digits; of order :math:`t^4` at :math:`p = 1/2`,
where the third moment of :math:`\Delta` vanishes).

References: N. Srivastava, G. Hinton, A. Krizhevsky, I. Sutskever, R. Salakhutdinov,
"Dropout: a simple way to prevent neural networks from overfitting", JMLR 15 (2014),
section 9.1; S. Wager, S. Wang, P. Liang, "Dropout training as adaptive regularization",
NIPS 2013, section 2.
"""

from __future__ import annotations

import itertools
import math

import sympy as sp
from sympy import stats

from symdl.architectures.dropout import (
    KEEP_PROBABILITY,
    ExpectationMethod,
    GLMLoss,
    dropout_expectation,
    glm_dropout_loss,
    glm_loss,
    linear_dropout_any_n,
    linear_dropout_model,
    mask_symbols,
    monte_carlo_expectation,
    quadratic_approximation,
    quadratic_dropout_regulariser,
    taylor_gap_orders,
)

p = KEEP_PROBABILITY
R = sp.Rational


def lemma_enumeration_and_moments_agree_with_sympy_stats() -> None:
    """Three polynomials in two masks: both methods equal sympy.stats' expectation."""
    m = mask_symbols(2)
    B = stats.Bernoulli("B1", p), stats.Bernoulli("B2", p)
    for f in (
        lambda a, b: (3 - 2 * a - 4 * b) ** 2,
        lambda a, b: a * (1 - b) + 5 * a * b**2,
        lambda a, b: (a + b - 1) ** 3,
    ):
        truth = stats.E(f(*B))
        for method in (ExpectationMethod.ENUMERATION, ExpectationMethod.MOMENTS):
            assert sp.expand(dropout_expectation(f(*m), m, method=method) - truth) == 0


def lemma_closed_form_for_concrete_n() -> None:
    """n = 1, …, 4 by enumeration and by moments; n = 30 by moments."""
    for n in range(1, 5):
        model = linear_dropout_model(n)
        for method in (ExpectationMethod.ENUMERATION, ExpectationMethod.MOMENTS):
            assert model.verify(method=method)
        # without the penalty the expectation is not the loss at the mean input
        assert sp.cancel(model.expectation() - (model.closed_form - model.penalty)) != 0
    assert linear_dropout_model(30).verify(method=ExpectationMethod.MOMENTS)


def lemma_closed_form_for_symbolic_n() -> None:
    """E[S] and Var(S) for S = Σ_j w_j x_j m_j / p over a symbolic range; the pieces from
    sympy.stats."""
    proof = linear_dropout_any_n()
    assert proof.holds
    bernoulli = stats.Bernoulli("B", p)
    assert sp.simplify(stats.E(bernoulli) - p) == 0
    assert sp.simplify(stats.variance(bernoulli) - (p - p**2)) == 0
    # the symbolic closed form at n = 3 is the concrete one
    w, x = sp.IndexedBase("w"), sp.IndexedBase("x")
    model = linear_dropout_model(3)
    renamed = {w[j + 1]: model.weights[j] for j in range(3)}
    renamed.update({x[j + 1]: model.inputs[j] for j in range(3)})
    concrete = proof.closed_form.subs(proof.n, 3).doit().xreplace(renamed)
    assert sp.cancel(concrete - model.closed_form) == 0


def lemma_monte_carlo_agrees() -> None:
    """w = (1/2, −1, 2), x = (1, 2, −1/2), y = 1/4, p = 7/10: 200 000 seeded samples."""
    model = linear_dropout_model(3, p=R(7, 10))
    numbers = dict(zip(model.weights, [R(1, 2), -1, 2], strict=True))
    numbers.update(zip(model.inputs, [1, 2, R(-1, 2)], strict=True))
    numbers[model.target] = R(1, 4)
    check = monte_carlo_expectation(
        model.loss.subs(numbers), model.masks, p=model.p, seed=2014, samples=200_000
    )
    assert check.exact == model.closed_form.subs(numbers)
    assert check.agrees
    assert "evidence, not proof" in str(check)


def lemma_quadratic_regulariser_is_exact_for_the_quadratic_loss() -> None:
    """n = 3, symbolic weights, inputs, target, bias and p."""
    n = 3
    w = sp.symbols(f"w_1:{n + 1}", real=True)
    x = sp.symbols(f"x_1:{n + 1}", real=True)
    y, b = sp.symbols("y b", real=True)
    m = mask_symbols(n)
    quadratic = GLMLoss.QUADRATIC
    expectation = dropout_expectation(glm_dropout_loss(w, x, y, m, bias=b, loss=quadratic), m)
    u = b + sum(wj * xj for wj, xj in zip(w, x, strict=True))
    approximation = glm_loss(u, y, loss=quadratic) + quadratic_dropout_regulariser(
        w, x, bias=b, loss=quadratic
    )
    assert sp.cancel(expectation - approximation) == 0


def lemma_sup_of_the_third_derivative_of_the_logistic_log_partition() -> None:
    """A''' = s(1 − s)(1 − 2s) with s = σ(u) ∈ (0, 1): its largest magnitude is √3/18."""
    s = sp.Symbol("s", positive=True)
    third = s * (1 - s) * (1 - 2 * s)
    u = sp.Symbol("u", real=True)
    sigma = 1 / (1 + sp.exp(-u))
    A3 = sp.diff(GLMLoss.LOGISTIC.log_partition(u), u, 3)
    assert sp.simplify(A3 - third.subs(s, sigma)) == 0
    critical = sp.solve(sp.diff(third, s), s)
    values = {sp.nsimplify(sp.Abs(third.subs(s, c))) for c in critical} | {0}
    assert max(values, key=lambda v: float(v)) == GLMLoss.LOGISTIC.third_derivative_bound
    assert sp.simplify(GLMLoss.LOGISTIC.third_derivative_bound - sp.sqrt(3) / 18) == 0


def lemma_logistic_gap_is_nonzero_and_within_the_taylor_bound() -> None:
    """Several weights, inputs and keep probabilities: 0 < |gap| ≤ (1/6) sup|A'''| E|Δ|³."""
    cases = itertools.product(
        ([R(1, 2), R(-3, 4)], [1, 1], [R(1, 3), 2]),
        ([1, 2], [-1, R(1, 2)]),
        (R(1, 5), R(3, 5), R(9, 10)),
    )
    for w, x, keep in cases:
        result = quadratic_approximation(w, x, 1, p=keep, bias=R(1, 5))
        assert not result.exact
        assert abs(result.gap_value) > R(1, 10**12)
        assert abs(result.gap_value) <= result.bound.evalf(30)


def lemma_logistic_gap_is_third_order_in_the_weights() -> None:
    """gap(t)/t³ → (1/6) A'''(b) Σ a_j³ (1 − p)(1 − 2p)/p² with a_j = w_j x_j (by hand)."""
    w, x, keep = [1, -1], [1, 2], R(3, 4)
    scaling = taylor_gap_orders(w, x, 0, p=keep, bias=1, scales=[R(1, 16), R(1, 32), R(1, 64)])
    assert all(abs(order - 3) < 0.05 for order in scaling.orders)
    s = 1 / (1 + math.exp(-1))
    cubes = sum((a * c) ** 3 for a, c in zip(w, x, strict=True))
    limit = s * (1 - s) * (1 - 2 * s) / 6 * cubes * (1 / 4) * (1 - 3 / 2) / (9 / 16)
    assert abs(float(scaling.gaps[-1]) * 64**3 - limit) < 0.02 * abs(limit)
    # at p = 1/2 the third moment of Δ is 0 and the order is 4
    half = taylor_gap_orders(w, x, 0, p=R(1, 2), bias=1, scales=[R(1, 32), R(1, 64), R(1, 128)])
    assert all(abs(order - 4) < 0.1 for order in half.orders)
