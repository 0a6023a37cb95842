r"""Barron's theorem: one hidden layer of sigmoids, with an error bound free of the dimension.

For :math:`f(x) = \int e^{i\omega\cdot x} \hat f(\omega)\,d\omega` with
:math:`C_f = \int |\omega|\,|\hat f(\omega)|\,d\omega < \infty`, every probability measure
:math:`\mu` on the ball :math:`B_r` and every :math:`n \ge 1` admit a network

.. math::

    f_n(x) = \sum_{k=1}^{n} c_k\,\sigma(a_k \cdot x + b_k) + c_0
    \quad\text{with}\quad
    \int_{B_r} (f - f_n)^2\,d\mu \le \frac{(2 r C_f)^2}{n},

whose outer coefficients satisfy :math:`\sum_{k=1}^{n} |c_k| \le 2 r C_f` (the inner weights
:math:`a_k`, :math:`b_k` are not restricted).  The facts checked: :math:`C_f` of the Gaussian
:math:`e^{-|x|^2/2}` is
:math:`\mathbb{E}|Z| = \sqrt2\,\Gamma\bigl(\frac{d+1}{2}\bigr)/\Gamma\bigl(\frac d2\bigr)` for
symbolic :math:`d` and for :math:`d = 1, \dots, 6`; :math:`C_f` of :math:`1/(1 + x^2)` is 1
(its transform is :math:`e^{-|\omega|}/2`, although SymPy's transform loses the
:math:`|\omega|`); the conventions of the Fourier transform convert into one another; kinks and
jumps give :math:`C_f = \infty`; :math:`|\nabla f| \le C_f`; and greedy sigmoid networks with
:math:`n = 1, \dots, 64` stay below the bound in :math:`d = 1` and :math:`d = 2`.  Where the
lecture's statement of the coefficient limit differs, see the proof ``lecture_barron``.

References: A. R. Barron, "Universal approximation bounds for superpositions of a sigmoidal
function", IEEE Trans. Inf. Theory 39(3):930–945, 1993, Theorem 1, Lemma 1 and Section IX;
L. K. Jones, "A simple lemma on greedy approximation in Hilbert space", Ann. Statist.
20(1):608–613, 1992.
"""

from __future__ import annotations

import functools
import math

import sympy as sp
from matplotlib.figure import Figure

from symdl import (
    BarronConstant,
    Derivation,
    FourierConvention,
    GreedyRun,
    RadialFourierTransform,
    Relation,
    TransformMethod,
    barron_bound,
    barron_constant,
    barron_constant_radial,
    fourier_transform,
    greedy_approximation,
    max_gradient_norm,
    plot_greedy,
)

x = sp.Symbol("x", real=True)
x1, x2 = sp.symbols("x1 x2", real=True)
omega = sp.Symbol("omega", real=True)
r = sp.Symbol("r", positive=True)
d = sp.Symbol("d", positive=True, integer=True)
GAUSSIAN_FORMULA = sp.sqrt(2) * sp.gamma((d + 1) / 2) / sp.gamma(d / 2)


@functools.cache
def _gaussian_constant() -> BarronConstant:
    return barron_constant_radial(sp.exp(-(r**2) / 2), r, dim=d)


def lemma_gaussian_in_symbolic_dimension() -> None:
    c = _gaussian_constant()
    assert sp.simplify(c.exact - GAUSSIAN_FORMULA) == 0
    assert sp.simplify(GAUSSIAN_FORMULA.subs(d, 2) - sp.sqrt(sp.pi / 2)) == 0
    assert sp.simplify(GAUSSIAN_FORMULA.subs(d, 3) - 2 * sp.sqrt(2 / sp.pi)) == 0
    assert all(abs(exact - numeric) < 1e-12 for _, exact, numeric in c.checks)


def lemma_gaussian_in_dimensions_one_to_six() -> None:
    for n in range(1, 7):
        c = barron_constant_radial(sp.exp(-(r**2) / 2), r, dim=n)
        assert sp.simplify(c.exact - GAUSSIAN_FORMULA.subs(d, n)) == 0
        assert abs(c.numeric - float(GAUSSIAN_FORMULA.subs(d, n))) < 1e-13
    cartesian = barron_constant(sp.exp(-(x1**2 + x2**2) / 2), [x1, x2])
    assert sp.simplify(cartesian.exact - sp.sqrt(sp.pi / 2)) == 0


def lemma_lorentzian() -> None:
    assert fourier_transform(1 / (1 + x**2), x, omega).expr == sp.exp(-sp.Abs(omega)) / 2
    repaired = fourier_transform(1 / (1 + x**2), x, omega, method=TransformMethod.SYMPY)
    assert repaired.expr == sp.exp(-sp.Abs(omega)) / 2
    assert barron_constant(1 / (1 + x**2), x).exact == 1


def lemma_conventions_convert() -> None:
    # with SymPy's F(k) = ∫ f e^{-2πikx} dx: f̂(ω) = F(ω/2π)/(2π) and C_f = 2π ∫ |k||F(k)| dk
    k = sp.Symbol("k", positive=True)
    f = sp.exp(-(x**2) / 2)
    sympy_form = fourier_transform(f, x, k, convention=FourierConvention.SYMPY).expr
    assert sp.simplify(sympy_form - sp.fourier_transform(f, x, k)) == 0
    barron_form = fourier_transform(f, x, omega).expr
    assert sp.simplify(barron_form - sympy_form.subs(k, omega / (2 * sp.pi)) / (2 * sp.pi)) == 0
    assert sp.simplify(2 * sp.pi * 2 * sp.integrate(k * sympy_form, (k, 0, sp.oo))) == sp.sqrt(
        2 / sp.pi
    )


def lemma_kinks_and_jumps_give_infinity() -> None:
    for f in (
        sp.Abs(x),  # no Fourier transform as a function, but a kink: C_f = ∞ all the same
        sp.exp(-sp.Abs(x)),
        sp.Abs(x) * sp.exp(-(x**2)),
        sp.Piecewise((1, sp.Abs(x) < 1), (0, True)),
    ):
        c = barron_constant(f, x)
        assert c.exact is sp.oo
        assert c.numeric == math.inf
    assert barron_bound(sp.oo, 1, 10) is sp.oo


def lemma_gradient_is_bounded_by_the_constant() -> None:
    for f in (sp.exp(-(x**2) / 2), 1 / (1 + x**2), sp.sech(x)):
        assert max_gradient_norm(f, [x]) <= barron_constant(f, x).numeric


def _runs() -> dict[str, GreedyRun]:
    return {
        "barron_greedy_1d": greedy_approximation(
            sp.exp(-(x**2) / 2), x, radius=3.0, neurons=64, constant=math.sqrt(2 / math.pi)
        ),
        "barron_greedy_2d": greedy_approximation(
            sp.exp(-(x1**2 + x2**2) / 2),
            [x1, x2],
            radius=2.0,
            neurons=64,
            constant=math.sqrt(math.pi / 2),
        ),
    }


def lemma_greedy_networks_meet_the_bound() -> None:
    for run in _runs().values():
        assert run.below_bound
        assert run.errors[-1] < run.bounds[-1] / 100


def figures() -> dict[str, Figure]:
    """Greedy error against n on log-log axes, with Barron's bound, in d = 1 and d = 2."""
    return {stem: plot_greedy(run) for stem, run in _runs().items()}


def derivation() -> Derivation:
    """Barron's constant of the Gaussian in R^d, and the bound it gives."""
    rho = sp.Symbol("rho", positive=True)
    radius, n = sp.Symbol("r", positive=True), sp.Symbol("n", positive=True, integer=True)
    gaussian = _gaussian_constant()
    radial = gaussian.transform
    assert isinstance(radial, RadialFourierTransform)
    transform = radial.expr.subs(radial.frequency, rho)
    sphere = 2 * sp.pi ** (d / 2) / sp.gamma(d / 2)
    constant = gaussian.exact
    out = Derivation(
        "Barron's constant of the Gaussian",
        statement=(
            "For $f(x) = e^{-|x|^2/2}$ on $\\mathbb{R}^d$, "
            "$C_f = \\int |\\omega| |\\hat f(\\omega)| d\\omega = "
            "\\sqrt{2}\\,\\Gamma((d+1)/2)/\\Gamma(d/2)$, the mean of $|Z|$ for "
            "$Z \\sim N(0, I_d)$; so a network of $n$ sigmoids is within "
            "$(2 r C_f)^2/n$ of $f$ in mean square on the ball of radius $r$."
        ),
    )
    out.add(
        r"\hat f(\omega)",
        transform,
        "$\\rho = |\\omega|$; the product of $d$ one-dimensional Gaussian transforms",
    )
    out.add(
        "C_f",
        sphere * sp.Integral(rho**d * transform, (rho, 0, sp.oo)),
        "$\\hat f$ is radial: polar coordinates, $|S^{d-1}| = 2\\pi^{d/2}/\\Gamma(d/2)$",
    )
    out.add(
        "",
        constant,
        "the Gamma integral $\\int_0^\\infty \\rho^d e^{-\\rho^2/2} d\\rho"
        " = 2^{(d-1)/2} \\Gamma((d+1)/2)$",
    )
    out.remark(
        "For $d = 1, 2, 3$ this is $\\sqrt{2/\\pi}$, $\\sqrt{\\pi/2}$ and $2\\sqrt{2/\\pi}$."
    )
    out.add(
        r"\int_{B_r} (f - f_n)^2 \, d\mu",
        barron_bound(constant, radius, n),
        "Barron (1993), Theorem 1",
        relation=Relation.LE,
    )
    return out


def lemma_derivation_equalities_hold() -> None:
    for lhs, rhs, _ in derivation().equalities():
        assert sp.simplify(sp.sympify(lhs).doit() - rhs) == 0
