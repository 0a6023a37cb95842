r"""Universal approximation, constructively: sigmoid staircases, ReLU interpolants, Bernstein.

Cybenko (1989): the sums :math:`\sum_i \alpha_i\,\sigma(w_i x + b_i)` of a continuous
sigmoidal :math:`\sigma` are dense in :math:`C[0, 1]`.  In one dimension a staircase of
:math:`N` steep sigmoids of steepness :math:`w`, with steps at the midpoints of the
:math:`i/N`, is within

.. math::

    \omega\bigl(f, \tfrac1N\bigr) \Bigl(\frac32 + e^{-wh/2} + \frac{2e^{-wh}}{1 - e^{-wh}}\Bigr),
    \qquad h = \frac1N,

of :math:`f` (:math:`\omega` the modulus of continuity), so the sup error tends to 0; with ReLU
(Leshno, Lin, Pinkus, Schocken 1993) the :math:`N`-unit interpolant is within
:math:`h^2 \|f''\|_\infty/8`.  Stone–Weierstrass made constructive by Bernstein (1912):

.. math::

    B_n f(x) = \sum_{k=0}^{n} f(k/n) \binom{n}{k} x^k (1 - x)^{n-k} \to f \quad \text{uniformly},

with :math:`B_n(t^2) = x^2 + x(1 - x)/n` exactly, Popoviciu's
:math:`\|B_n f - f\|_\infty \le \tfrac32\,\omega(f, n^{-1/2})`, and
:math:`\|B_n f - f\|_\infty \le \|f''\|_\infty/(8n)` for :math:`f \in C^2`, checked at the
lecture's degrees 2, 3, 6 and 20.  Mhaskar, Liao, Poggio (2016): a shallow network needs
:math:`O(\varepsilon^{-n/m})` units, a deep binary tree
:math:`O\bigl((n - 1)\,\varepsilon^{-2/m}\bigr)`.

References: G. Cybenko, Math. Control Signals Systems 2:303–314, 1989; M. Leshno, V. Lin,
A. Pinkus, S. Schocken, Neural Networks 6:861–867, 1993; G. G. Lorentz, *Bernstein
Polynomials*, 1953, section 1.6; H. Mhaskar, Q. Liao, T. Poggio, arXiv:1603.00988, 2016,
Theorems 1–2.
"""

from __future__ import annotations

import itertools
import math

import sympy as sp
from matplotlib.figure import Figure

from symdl import (
    bernstein_polynomial,
    cybenko_error_bound,
    cybenko_sum,
    modulus_of_continuity,
    plot_bernstein,
    plot_cybenko,
    popoviciu_bound,
    second_derivative_bound,
    sup_error,
    unit_counts,
)

x = sp.Symbol("x", real=True)
WAVE = sp.sin(2 * sp.pi * x)
BUMP = sp.exp(-8 * (x - sp.S.Half) ** 2)
LECTURE_DEGREES = (2, 3, 6, 20)


def lemma_sigmoid_staircase_converges() -> None:
    for f in (WAVE, BUMP):
        errors = []
        for n in (4, 8, 16, 32, 64):
            staircase = cybenko_sum(f, x, units=n)
            errors.append(sup_error(f, staircase.numpy, x))
            omega = modulus_of_continuity(f, x, 1 / n)
            assert errors[-1] <= cybenko_error_bound(omega, units=n, steepness=10 * n)
        assert all(b < a for a, b in itertools.pairwise(errors))
        assert errors[-1] < errors[0] / 10


def lemma_relu_interpolant_converges() -> None:
    # ‖f''‖∞ = 4π² for sin 2πx
    for n in (4, 16, 64):
        interpolant = cybenko_sum(WAVE, x, units=n, activation="relu")
        assert interpolant.units == n
        assert sup_error(WAVE, interpolant.numpy, x) <= 4 * math.pi**2 / (8 * n**2)


def lemma_bernstein_of_t_squared() -> None:
    for n in LECTURE_DEGREES:
        b = bernstein_polynomial(x**2, x, n)
        assert sp.expand(b - x**2 - x * (1 - x) / n) == 0
        assert sp.expand(bernstein_polynomial(x, x, n)) == x
        # the exact sup error 1/(4n) attains the C² bound ‖f''‖∞/(8n) = 2/(8n)
        assert math.isclose(sup_error(x**2, b, x), 1 / (4 * n), rel_tol=1e-15)
        assert second_derivative_bound(x**2, x, n) == sp.Rational(1, 4 * n)


def lemma_bernstein_bounds() -> None:
    kink = sp.Abs(x - sp.S.Half)
    for n in LECTURE_DEGREES:
        for f in (WAVE, BUMP, kink):
            error = sup_error(f, bernstein_polynomial(f, x, n), x)
            assert error <= popoviciu_bound(f, x, n)
        for f in (WAVE, BUMP):
            error = sup_error(f, bernstein_polynomial(f, x, n), x)
            assert error <= float(second_derivative_bound(f, x, n))


def lemma_depth_versus_width_counts() -> None:
    n, m, eps = sp.symbols("n m epsilon", positive=True)
    counts = unit_counts(variables=n, smoothness=m, accuracy=eps)
    assert counts.shallow == eps ** (-n / m)
    assert counts.deep == (n - 1) * eps ** (-2 / m)
    lecture = unit_counts(variables=8, smoothness=1, accuracy=sp.Rational(1, 10))
    assert (lecture.shallow, lecture.deep) == (10**8, 700)
    assert lecture.ratio == sp.Rational(10**8, 700)


def figures() -> dict[str, Figure]:
    """Bernstein polynomials of degrees 2, 3, 6, 20; sigmoid staircases and ReLU interpolants."""
    return {
        "bernstein": plot_bernstein(WAVE, x, LECTURE_DEGREES),
        "cybenko": plot_cybenko(WAVE, x, (4, 8, 16)),
    }
