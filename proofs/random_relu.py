r"""Random ReLU layers: the arc-cosine kernel and the contraction of angles

Let :math:`W` have :math:`m` rows of independent :math:`N(0, v)` entries and let
:math:`\sigma` be the ReLU.  Then

.. math::

    \mathbb{E}\,\|\sigma(Wx)\|^2 = \frac{m v}{2}\,\|x\|^2 ,

so that the variance :math:`v = 2/m` preserves the squared norm in expectation.  For
:math:`w \sim N(0, I)` and two inputs :math:`x, y` at angle :math:`\theta \in [0, \pi]`,

.. math::

    \mathbb{E}\,\sigma(w \cdot x)\,\sigma(w \cdot y)
    = \frac{\|x\|\,\|y\|}{2\pi}\,\bigl(\sin\theta + (\pi - \theta)\cos\theta\bigr),
    \qquad
    \mathbb{E}\,H(w \cdot x)\,H(w \cdot y) = \frac{\pi - \theta}{2\pi},

derived by a Gaussian integral in polar coordinates and confirmed by quadrature to
:math:`10^{-20}`; at :math:`\theta = 0, \pi/2, \pi` the first is :math:`\|x\|^2/2`,
:math:`\|x\|\,\|y\|/(2\pi)` and 0.  The angle between the outputs of a wide random layer is
therefore :math:`f(\theta)`, where

.. math::

    \cos f(\theta) = \frac{\sin\theta + (\pi - \theta)\cos\theta}{\pi} .

The map :math:`f` sends :math:`[0, \pi]` onto :math:`[0, \pi/2]`, is increasing, and
:math:`f(\theta) < \theta` for every :math:`\theta > 0`, so that 0 is its only fixed point;
near 0,

.. math::

    f(\theta) = \theta - \frac{\theta^2}{3\pi} - \frac{\theta^3}{18\pi^2} + O(\theta^4),

and the angle after :math:`L` layers is :math:`3\pi/L` to first order: any two inputs become
aligned, but slowly.  The proof reads the signs of two derivatives,
:math:`-(\pi - \theta) \, \sin\theta` and :math:`\theta \, \sin\theta`, on
:math:`(0, \pi)` from their zeros.  Seeded Monte Carlo simulations of random layers and
networks agree within four standard errors: evidence, not proof.

Giryes, Sapiro and Bronstein prove that, with high probability, one random Gaussian layer with
a ReLU keeps the distances and angles of a whole data set of small Gaussian mean width close
to these expected values.  Here the expected values are exact and the properties of
:math:`f` are proved, while the concentration at a finite width is only simulated.

References: Y. Cho, L. K. Saul, "Kernel methods for deep learning", NIPS 2009, equations (1),
(5) and (6); R. Giryes, G. Sapiro, A. M. Bronstein, "Deep neural networks with random Gaussian
weights: a universal classification strategy?", IEEE Transactions on Signal Processing 64
(2016), 3444–3457; K. He, X. Zhang, S. Ren, J. Sun, "Delving deep into rectifiers", ICCV
2015, equation (10).
"""

from __future__ import annotations

import itertools

import mpmath
import sympy as sp

from symdl.architectures.random_weights import (
    angle_map_series,
    arc_cosine_derivation,
    arc_cosine_kernel,
    expected_relu_layer_norm,
    iterate_angle_map,
    kernel_of_angle,
    relu_angle_cosine,
    relu_angle_map,
    relu_second_moment,
    simulate_arc_cosine_kernel,
    simulate_network_angles,
)
from symdl.core.derivation import Derivation, Reason
from symdl.core.limits import deadline

theta = sp.Symbol("theta", real=True)
SECONDS = 60  # the time limit of each SymPy decision


def cosine_of_f() -> sp.Expr:
    r""":math:`\cos f(\theta)`, the normalised kernel."""
    return relu_angle_cosine(theta)


def gap() -> sp.Expr:
    r""":math:`\sin\theta - \theta\cos\theta = \pi(\cos f(\theta) - \cos\theta)`."""
    return sp.sin(theta) - theta * sp.cos(theta)


def positive_between(expr: sp.Expr, a: sp.Expr, b: sp.Expr) -> bool:
    """``expr`` (continuous in θ) is positive on (a, b): it has no zero there (SymPy's
    solveset on an equation) and is positive at the midpoint, so by the intermediate value
    theorem it is positive throughout.  (Inequalities are not given to solveset: on
    trigonometric inequalities it can return a wrong set.)"""
    with deadline(SECONDS):
        zeros = sp.solveset(sp.Eq(expr, 0), theta, sp.Interval.open(a, b))
        middle = sp.simplify(expr.subs(theta, (a + b) / 2))
    return zeros is sp.S.EmptySet and middle.is_positive is True


def lemma_relu_layer_keeps_half_the_squared_norm() -> None:
    v = sp.Symbol("v", positive=True)
    g = sp.Symbol("g", real=True)
    density = sp.exp(-(g**2) / (2 * v)) / sp.sqrt(2 * sp.pi * v)
    with deadline(SECONDS):
        second_moment = sp.integrate(g**2 * density, (g, -sp.oo, sp.oo))
    assert second_moment == v  # E g², over the whole line
    assert relu_second_moment(variance=v) == second_moment / 2  # half of it, by symmetry
    m = sp.Symbol("m", integer=True, positive=True)
    xs = sp.symbols("x_1:4", real=True)
    squared_norm = sum(c**2 for c in xs)
    norm = expected_relu_layer_norm(list(xs), rows=m, variance=v)
    assert sp.simplify(norm - m * v * squared_norm / 2) == 0
    assert sp.simplify(expected_relu_layer_norm(list(xs), rows=m, variance=2 / m)) == sp.expand(
        squared_norm
    )
    assert expected_relu_layer_norm([3, 4], rows=10) == 125  # 10 rows, 25/2 each


def lemma_arc_cosine_kernel_closed_forms() -> None:
    closed = {
        0: sp.pi - theta,  # Cho and Saul, equation (5)
        1: sp.sin(theta) + (sp.pi - theta) * sp.cos(theta),  # equation (6)
        2: 3 * sp.sin(theta) * sp.cos(theta) + (sp.pi - theta) * (1 + 2 * sp.cos(theta) ** 2),
    }
    for degree, j in closed.items():
        with deadline(SECONDS):
            assert sp.simplify(kernel_of_angle(theta, degree=degree) - j / (2 * sp.pi)) == 0
    # every step of the written derivation is an equality SymPy confirms
    for degree in (0, 1, 2):
        for left, right, step in arc_cosine_derivation(degree=degree).equalities():
            with deadline(SECONDS):
                assert sp.simplify(left.doit() - right) == 0, step
    # the special angles: θ = 0, π/2, π
    assert arc_cosine_kernel([3, 4], [6, 8]) == 25  # ‖x‖‖y‖/2 = 5·10/2
    assert arc_cosine_kernel([1, 0], [0, 2]) == 1 / sp.pi  # ‖x‖‖y‖/(2π)
    assert arc_cosine_kernel([1, 2], [-2, -4]) == 0
    assert kernel_of_angle(sp.pi / 2, degree=0) == sp.Rational(1, 4)
    # the wrong sign of the angle term is not the kernel
    wrong = (sp.sin(theta) + (sp.pi + theta) * sp.cos(theta)) / (2 * sp.pi)
    assert sp.simplify(kernel_of_angle(theta) - wrong) != 0


def lemma_both_units_are_active_on_one_arc() -> None:
    """At the angles kπ/6: the arc where both cosines are positive is (θ/2 − π/2, π/2 − θ/2).

    Each cosine's zeros in (−π, π] come from solveset; between two zeros its sign is the sign
    at the midpoint (exact)."""
    phi = sp.Symbol("varphi", real=True)
    domain = sp.Interval.Lopen(-sp.pi, sp.pi)

    def positive_arcs(expr: sp.Expr) -> sp.Set:
        with deadline(SECONDS):
            zeros = sp.solveset(sp.Eq(expr, 0), phi, domain)
        assert isinstance(zeros, sp.FiniteSet)
        ends = [-sp.pi, *sorted(zeros, key=float), sp.pi]
        arcs = [
            sp.Interval.open(a, b)
            for a, b in itertools.pairwise(ends)
            if a != b and expr.subs(phi, (a + b) / 2).is_positive
        ]
        return sp.Union(*arcs)

    for k in range(7):
        angle = k * sp.pi / 6
        both = sp.Intersection(
            positive_arcs(sp.cos(phi + angle / 2)), positive_arcs(sp.cos(phi - angle / 2))
        )
        assert both == sp.Interval.open(angle / 2 - sp.pi / 2, sp.pi / 2 - angle / 2), both


def lemma_kernel_agrees_with_quadrature() -> None:
    """An independent quadrature at 30 digits: with x along the first axis and y at angle θ,
    the Gaussian density separates in polar coordinates into a radial and an angular
    integral, each computed by mpmath between the kinks."""
    with mpmath.workdps(30):
        for angle in ("0.4", "1.3", "2.2", "3.0"):
            t = mpmath.mpf(angle)
            radial = mpmath.quad(lambda r: r**3 * mpmath.exp(-(r**2) / 2), [0, mpmath.inf])
            ends = {-mpmath.pi, mpmath.pi, -mpmath.pi / 2, mpmath.pi / 2, t - mpmath.pi / 2}
            ends.add(t + mpmath.pi / 2 - (2 * mpmath.pi if t > mpmath.pi / 2 else 0))

            def both(p: mpmath.mpf, t: mpmath.mpf = t) -> mpmath.mpf:
                return max(mpmath.cos(p), 0) * max(mpmath.cos(p - t), 0)

            quadrature = radial * mpmath.quad(both, sorted(ends)) / (2 * mpmath.pi)
            exact = kernel_of_angle(sp.Rational(angle)).evalf(30)
            assert abs(quadrature - mpmath.mpf(exact)) < mpmath.mpf(10) ** -20


def lemma_angle_map_sends_0_pi_onto_0_half_pi_and_increases() -> None:
    c = cosine_of_f()
    assert c.subs(theta, 0) == 1
    assert c.subs(theta, sp.pi) == 0
    derivative = sp.diff(c, theta)
    with deadline(SECONDS):
        assert sp.simplify(derivative + (sp.pi - theta) * sp.sin(theta) / sp.pi) == 0
    # −c' = (π − θ) sin θ / π > 0 on (0, π): c decreases strictly from 1 to 0
    assert positive_between(-derivative, sp.S.Zero, sp.pi)
    # so f = arccos c (arccos decreasing on [0, 1]) increases strictly from 0 to π/2
    assert relu_angle_map(0) == 0
    assert relu_angle_map(sp.pi) == sp.pi / 2
    assert sp.diff(sp.acos(theta), theta) == -1 / sp.sqrt(1 - theta**2)


def lemma_angle_map_contracts_and_fixes_only_0() -> None:
    # π (cos f(θ) − cos θ) = sin θ − θ cos θ, zero at 0, with derivative θ sin θ > 0 on (0, π)
    with deadline(SECONDS):
        assert sp.simplify(sp.pi * (cosine_of_f() - sp.cos(theta)) - gap()) == 0
        assert sp.simplify(sp.diff(gap(), theta) - theta * sp.sin(theta)) == 0
    assert gap().subs(theta, 0) == 0
    assert positive_between(theta * sp.sin(theta), sp.S.Zero, sp.pi)
    # so the gap increases strictly and is positive on (0, π]: cos f(θ) > cos θ, f(θ) < θ
    # (cosine decreasing on [0, π]); f(0) = 0 is the only fixed point
    for angle in (sp.pi / 6, sp.pi / 2, sp.pi):
        assert sp.N(relu_angle_map(angle) - angle, 30) < 0


def lemma_angles_shrink_like_3_pi_over_L() -> None:
    expansion = theta - theta**2 / (3 * sp.pi) - theta**3 / (18 * sp.pi**2)
    series = angle_map_series(theta, order=4)
    assert sp.simplify(series.removeO() - expansion) == 0
    # the same expansion by SymPy's own series of arccos (another route)
    t = sp.Symbol("t", positive=True)
    with deadline(SECONDS):
        direct = sp.series(relu_angle_map(t), t, 0, 4).removeO()
    assert sp.simplify(direct - expansion.subs(theta, t)) == 0
    # 1/f(θ) − 1/θ = (θ − f(θ))/(θ f(θ)) → 1/(3π), read from the expansion (the O(θ⁴) rest
    # does not change the limit); the iterates decrease to the only fixed point 0, so by
    # Cesàro 1/θ_L ≈ L/(3π) and L θ_L → 3π
    truncated = expansion.subs(theta, t)
    with deadline(SECONDS):
        step = sp.limit((t - truncated) / (t * truncated), t, 0, "+")
    assert sp.simplify(step - 1 / (3 * sp.pi)) == 0
    angles = iterate_angle_map(sp.pi / 2, layers=2000, digits=20)
    assert all(b < a for a, b in itertools.pairwise(angles))
    ratio = 2000 * angles[-1] / (3 * mpmath.pi)
    assert 0.99 < ratio < 1  # 1 − (3/2) log L / L to next order


def lemma_simulations_agree_within_four_standard_errors() -> None:
    """Evidence, not proof: a seeded simulation of the kernel and of a deep random network."""
    kernel = simulate_arc_cosine_kernel([1, 0, 0], [1, 2, 2], samples=40_000, seed=2009)
    assert kernel.agrees_with(arc_cosine_kernel([1, 0, 0], [1, 2, 2]))
    network = simulate_network_angles([1, 0], [1, 1], width=400, layers=4, networks=8, seed=2016)
    assert network.agrees()
    assert network.mean_angles[-1] < network.mean_angles[0]


def derivation() -> Derivation:
    """The kernel of degree 1, then the two derivatives that decide the angle map."""
    d = arc_cosine_derivation(degree=1)
    d.remark(
        "Divided by its value $1/2$ at $\\theta = 0$, the kernel is the cosine of the angle "
        "$f(\\theta)$ between the outputs."
    )
    d.add(sp.Derivative(cosine_of_f(), theta), sp.diff(cosine_of_f(), theta), "differentiation")
    d.add("", -(sp.pi - theta) * sp.sin(theta) / sp.pi, Reason.SIMPLIFICATION)
    d.remark(
        "It has no zero in $(0, \\pi)$ and is negative at $\\pi/2$: $f$ increases.  The gap "
        "$\\pi(\\cos f(\\theta) - \\cos\\theta)$ vanishes at 0 and increases:"
    )
    d.add(sp.pi * (cosine_of_f() - sp.cos(theta)), gap(), Reason.SIMPLIFICATION)
    d.add(sp.Derivative(gap(), theta), theta * sp.sin(theta), "differentiation")
    return d
