r"""Hardt–Recht–Singer: SGD on a convex, smooth, Lipschitz loss is uniformly stable.

For :math:`f(\cdot\,; z)` convex, :math:`\beta`-smooth and :math:`L`-Lipschitz and step sizes
:math:`\alpha_t \le 2/\beta`, :math:`T` steps of SGD are :math:`\varepsilon`-uniformly stable
with

.. math::

    \varepsilon \le \frac{2L^2}{n} \sum_{t=1}^{T} \alpha_t,

and the expected generalization gap is at most :math:`\varepsilon`.  For
:math:`\alpha_t = c/t`, :math:`\varepsilon \le 2L^2 c H_T/n` (:math:`H_T` the harmonic
number); with :math:`L = 1`, :math:`c = 1`, :math:`n = 100` and :math:`T = 10` this is
:math:`\frac{7381}{126000}`.  The key step: the gradient step
:math:`w \mapsto w - \alpha \nabla f(w)` is 1-expansive when :math:`\alpha \le 2/\beta`.  On
logistic regression (:math:`L = 1`, :math:`\beta = \tfrac14`) with two training sets that
differ in one example and the same sample path, the measured divergence, loss difference and
generalization gap stay below the bound.

References: M. Hardt, B. Recht, Y. Singer, "Train faster, generalize better: stability of
stochastic gradient descent", ICML 2016, Theorems 2.2, 3.8, 3.12 and section 3.1.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy as sp
from matplotlib.figure import Figure

from symdl.core.derivation import Derivation, Relation
from symdl.optimization.logistic import logistic_loss
from symdl.optimization.schedules import InversePower
from symdl.optimization.stability import (
    StabilityConfig,
    hardt_bound,
    stability_experiment,
    stability_figure,
)

u = sp.Symbol("u", real=True)


def _refusal(call: Callable[[], object]) -> str:
    """The message of the ValueError that ``call`` raises ("" if it raises none)."""
    try:
        call()
    except ValueError as error:
        return str(error)
    return ""


def lemma_reference_value() -> None:
    assert hardt_bound(1, 100, InversePower(1, 1), 10, beta=2) == sp.Rational(7381, 126000)
    T = sp.Symbol("T", integer=True, positive=True)
    assert hardt_bound(1, 100, InversePower(1, 1), T, beta=2) == sp.harmonic(T) / 50


def lemma_gradient_step_is_one_expansive() -> None:
    # For the logistic loss of the score, 0 < l'' <= 1/4 = beta, so the step map
    # g(w) = w - a l'(w) has g' = 1 - a l'' in [1 - a/4, 1), inside [-1, 1] for a <= 2/beta = 8:
    # g is 1-expansive (section 3.1).
    second = sp.diff(logistic_loss(u), u, 2)
    closed = sp.exp(u) / (1 + sp.exp(u)) ** 2
    assert sp.simplify((second - closed).rewrite(sp.exp)) == 0
    assert closed.is_positive
    assert sp.factor(sp.Rational(1, 4) - closed) == (sp.exp(u) - 1) ** 2 / (
        4 * (sp.exp(u) + 1) ** 2
    )
    beta = sp.Rational(1, 4)
    assert 1 - (2 / beta) * beta == -1  # the slope's lower end at a = 2/beta is exactly -1
    assert 1 - 9 * closed.subs(u, 0) < -1  # a = 9 > 2/beta: the step map expands near 0


def lemma_assumptions_are_enforced() -> None:
    too_large = _refusal(lambda: hardt_bound(1, 100, InversePower(1, 1), 10, beta=3))
    assert "2/beta" in too_large
    sigmoid_loss = 1 / (1 + sp.exp(u))
    nonconvex = _refusal(
        lambda: hardt_bound(1, 100, InversePower(1, 1), 10, beta=1, loss=sigmoid_loss)
    )
    assert "not convex" in nonconvex


def lemma_measured_stability_below_the_bound() -> None:
    report = stability_experiment(StabilityConfig(steps=200, runs=40, held_out=5000, seed=1))
    bound = np.array([float(b) for b in report.bound])
    assert report.per_path_holds
    assert (report.divergence <= report.divergence_bound).all()
    assert (report.loss_difference <= bound).all()
    assert (report.gap <= bound).all()


def figures() -> dict[str, Figure]:
    """The bound, the measured loss difference and the generalization gap against T."""
    report = stability_experiment(StabilityConfig(steps=400, runs=40, held_out=5000, seed=1))
    return {"hardt_stability": stability_figure(report)}


def derivation() -> Derivation:
    """The stability argument of Theorem 3.8, ending at the reference value."""
    d = Derivation(
        "SGD is uniformly stable on convex, smooth, Lipschitz losses",
        statement=(
            "Run SGD for $T$ steps with step sizes $\\alpha_t \\le 2/\\beta$ on training sets "
            "$S, S'$ of $n$ examples that differ in one example, along the same sample path, "
            "and let $\\delta_t = \\|w_t - w'_t\\|$. Claim: "
            "$\\varepsilon_{stab} \\le (2L^2/n) \\sum_{t \\le T} \\alpha_t$."
        ),
    )
    d.remark(
        "When both runs draw the same example, the step $w \\mapsto w - \\alpha_t \\nabla f(w)$ "
        "is 1-expansive because $f$ is convex and $\\beta$-smooth and $\\alpha_t \\le 2/\\beta$ "
        "(section 3.1); when they draw the differing example (probability $1/n$), each gradient "
        "has norm at most $L$."
    )
    d.add(r"\delta_{t+1}", r"\delta_t", "same example: 1-expansive step", relation=Relation.LE)
    d.add(
        r"\delta_{t+1}",
        r"\delta_t + 2 \alpha_t L",
        "differing example: two gradients of norm at most L",
        relation=Relation.LE,
    )
    d.add(
        r"\mathbb{E}\,\delta_T",
        r"\frac{2L}{n} \sum_{t=1}^{T} \alpha_t",
        "the differing example is drawn with probability 1/n at each step",
        relation=Relation.LE,
    )
    d.add(
        r"\varepsilon_{stab}",
        r"L\,\mathbb{E}\,\delta_T \le \frac{2L^2}{n} \sum_{t=1}^{T} \alpha_t",
        "f is L-Lipschitz",
        relation=Relation.LE,
    )
    c, L, n = sp.symbols("c L n", positive=True)
    T = sp.Symbol("T", integer=True, positive=True)
    d.remark("With $\\alpha_t = c/t$ the sum is a harmonic number:")
    d.add(
        r"\frac{2L^2}{n} \sum_{t=1}^{T} \frac{c}{t}",
        hardt_bound(L, n, InversePower(c, 1), T, beta=2 / c).subs(
            sp.harmonic(T), sp.Symbol("H_T", positive=True)
        ),
        "harmonic number",
    )
    d.add(
        r"\varepsilon_{stab}\big|_{L = c = 1,\ n = 100,\ T = 10}",
        hardt_bound(1, 100, InversePower(1, 1), 10, beta=2),
        "exact arithmetic",
        relation=Relation.LE,
    )
    return d
