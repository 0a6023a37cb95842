r"""Where the lecture differs: what Barron's coefficient limit bounds.

The lecture puts the limit :math:`\sum_i |w_i| \le 2 r C_f` on the inner weights of the
network.  Barron's Theorem 1 puts it on the outer coefficients: the network

.. math::

    f_n(x) = \sum_{k=1}^{n} c_k\,\sigma(a_k \cdot x + b_k) + c_0,
    \qquad \int_{B_r} (f - f_n)^2\,d\mu \le \frac{(2 r C_f)^2}{n},

may be taken with :math:`\sum_{k=1}^{n} |c_k| \le 2 r C_f` and :math:`c_0 = f(0)`; the inner
weights :math:`a_k`, :math:`b_k` are not restricted, and his proof approximates step functions
by steep sigmoids.  The limit has the units of :math:`f`, as the :math:`c_k` have: multiplying
:math:`f` by :math:`\lambda > 0` multiplies :math:`C_f` and the outer coefficients by
:math:`\lambda` and leaves the inner weights as they are, so a limit :math:`2 r \lambda C_f` on
the inner weights would vanish with :math:`\lambda`.

Computed here for :math:`f(x) = e^{-x^2/2}` on :math:`[-3, 3]`, where
:math:`C_f = \sqrt{2/\pi}` and :math:`2 r C_f = 6\sqrt{2/\pi} \approx 4.79`: the network of
Barron's and Jones's greedy construction with 16 sigmoids meets the error bound with
:math:`\sum_k |c_k| \le 2 r C_f`, while its inner weights add up to more than
:math:`2 r C_f`; multiplied by :math:`\lambda = \tfrac{1}{100}` it approximates
:math:`\lambda f` with the same inner weights and :math:`\lambda^2` times the error, within
Barron's bound for :math:`\lambda f`.

References: A. R. Barron, "Universal approximation bounds for superpositions of a sigmoidal
function", IEEE Trans. Inf. Theory 39(3):930–945, 1993, Theorem 1 (the coefficients
:math:`\sum_k |c_k| \le 2 r C_f`, :math:`c_0 = f(0)`); L. K. Jones, "A simple lemma on greedy
approximation in Hilbert space", Ann. Statist. 20(1):608–613, 1992.
"""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp

from symdl import Derivation
from symdl.approximation.greedy import GreedyRun, ball_quadrature, greedy_approximation

x = sp.Symbol("x", real=True)
GAUSSIAN = sp.exp(-(x**2) / 2)
RADIUS = 3
NEURONS = 16
SCALE = sp.Rational(1, 100)


omega = sp.Symbol("omega", real=True)
# the transform in Barron's convention, f̂(ω) = (2π)^{-1} ∫ e^{-iωx} f(x) dx (the proof
# ``barron`` derives it and C_f through symdl.approximation; here it is confirmed by quadrature)
TRANSFORM = sp.exp(-(omega**2) / 2) / sp.sqrt(2 * sp.pi)


@functools.cache
def constant() -> sp.Expr:
    r"""Barron's constant :math:`C_f = \int |\omega|\,|\hat f(\omega)|\,d\omega` of the Gaussian."""
    return sp.simplify(2 * sp.integrate(omega * TRANSFORM, (omega, 0, sp.oo)))


@functools.cache
def greedy_run() -> GreedyRun:
    """Barron's and Jones's greedy construction with 16 sigmoids."""
    return greedy_approximation(
        GAUSSIAN, x, radius=float(RADIUS), neurons=NEURONS, constant=constant()
    )


def limit() -> sp.Expr:
    """:math:`2 r C_f`, exactly."""
    return 2 * RADIUS * constant()


def lemma_the_constant_of_the_gaussian() -> None:
    # the transform, against a quadrature of its definition on [-12, 12] (e^{-72} is beyond
    # float64's reach)
    xs = np.linspace(-12.0, 12.0, 24001)
    for w in (0.0, 0.5, 1.0, 2.5):
        integrand = np.exp(-1j * w * xs) * np.exp(-(xs**2) / 2)
        numeric = np.sum(integrand[1:] + integrand[:-1]) * (xs[1] - xs[0]) / 2 / (2 * np.pi)
        assert abs(numeric - float(TRANSFORM.subs(omega, w))) < 1e-12
    assert sp.simplify(constant() - sp.sqrt(2 / sp.pi)) == 0
    assert 4.78 < float(limit()) < 4.80


def lemma_the_limit_holds_for_the_outer_coefficients() -> None:
    run = greedy_run()
    assert run.below_bound
    assert run.network.neurons == NEURONS
    assert run.network.offset == 1.0  # c_0 = f(0)
    assert np.abs(run.network.outer).sum() <= float(limit())


def lemma_the_inner_weights_exceed_it() -> None:
    inner = greedy_run().network.inner
    assert inner.shape == (NEURONS, 1)
    assert np.abs(inner).sum() > float(limit())
    assert np.abs(inner).max() > float(limit())


def lemma_scaling_f_scales_the_outer_coefficients_only() -> None:
    run, scale = greedy_run(), float(SCALE)
    net = run.network
    quadrature = ball_quadrature(float(RADIUS), 1, order=20, panels=60)
    values = np.exp(-(quadrature.nodes[:, 0] ** 2) / 2)
    error = quadrature.integrate((values - net(quadrature.nodes)) ** 2)
    scaled_error = quadrature.integrate((scale * values - scale * net(quadrature.nodes)) ** 2)
    assert np.isclose(scaled_error, scale**2 * error, rtol=1e-12)
    # Barron's bound for λf is λ² times the bound for f: the scaled network meets it
    assert scaled_error <= float(SCALE**2 * limit() ** 2 / NEURONS)
    # the outer coefficients of λ f_n obey the limit 2 r C_{λf} = λ 2 r C_f ...
    assert scale * np.abs(net.outer).sum() <= float(SCALE * limit())
    # ... and its inner weights, unchanged, are far above it
    assert np.abs(net.inner).sum() > float(SCALE * limit())


def derivation() -> Derivation:
    """The greedy network's coefficients against the limit, computed."""
    net = greedy_run().network
    d = Derivation(
        "Barron's limit for $f(x) = e^{-x^2/2}$ on $[-3, 3]$, 16 sigmoids",
        statement="The network built by the greedy construction, read off its weights.",
    )
    d.add("2 r C_f", limit(), "with $C_f$ computed exactly")
    d.add(
        "\\sum_k |c_k|",
        f"{np.abs(net.outer).sum():.3f}",
        "the outer coefficients: within the limit",
    )
    d.add("\\sum_k |a_k|", f"{np.abs(net.inner).sum():.1f}", "the inner weights: far above it")
    d.add(
        "\\int (f - f_n)^2 \\, d\\mu",
        f"{greedy_run().errors[-1]:.4f}",
        "below Barron's bound $(2 r C_f)^2/n$",
    )
    d.add("\\frac{(2 r C_f)^2}{n}", sp.simplify(limit() ** 2 / NEURONS), "Barron's bound")
    return d
