"""Closed-form Fourier transforms: the table consulted before SymPy's integral.

Each rule recognises :math:`f = a\\cdot\\mathrm{core}(x)` (``a`` free of ``x``) and returns the
non-unitary angular transform :math:`A(\\nu) = \\int e^{-i\\nu x} f(x)\\,dx`, or ``None``.
The pairs are standard (Bracewell, *The Fourier Transform and Its Applications*, 3rd ed.,
2000, ch. 6, rewritten in angular frequency); :mod:`symdl.approximation.fourier` confirms every one
of
them by quadrature before use, and ``tests/test_fourier.py`` checks each against SymPy's
integral where SymPy can do it.

Examples
--------
>>> x, nu = sp.Symbol("x", real=True), sp.Symbol("nu", real=True)
>>> table_transform(3 / (4 + x**2), x, nu)
('lorentzian', 3*pi*exp(-2*Abs(nu))/2)
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

__all__ = ["TRANSFORM_TABLE", "radial_table_transform", "table_transform"]


def _gaussian(a: sp.Expr, core: sp.Expr, x: sp.Symbol, nu: sp.Symbol) -> sp.Expr | None:
    # a e^{-c x²}  ↦  a √(π/c) e^{-ν²/(4c)}
    if not isinstance(core, sp.exp):
        return None
    c = -core.args[0] / x**2
    if c.has(x) or not c.is_positive:
        return None
    return a * sp.sqrt(sp.pi / c) * sp.exp(-(nu**2) / (4 * c))


def _laplace(a: sp.Expr, core: sp.Expr, x: sp.Symbol, nu: sp.Symbol) -> sp.Expr | None:
    # a e^{-c|x|}  ↦  2ac / (c² + ν²)
    if not isinstance(core, sp.exp):
        return None
    c = -core.args[0] / sp.Abs(x)
    if c.has(x) or not c.is_positive:
        return None
    return 2 * a * c / (c**2 + nu**2)


def _lorentzian(a: sp.Expr, core: sp.Expr, x: sp.Symbol, nu: sp.Symbol) -> sp.Expr | None:
    # a / (b x² + c)  ↦  (a π / √(bc)) e^{-√(c/b)|ν|}
    if not (isinstance(core, sp.Pow) and core.exp == -1):
        return None
    base = sp.Poly(core.base, x) if core.base.is_polynomial(x) else None
    if base is None or base.degree() != 2 or base.coeff_monomial(x) != 0:
        return None
    b, c = base.coeff_monomial(x**2), base.coeff_monomial(1)
    if not (b.is_positive and c.is_positive):
        return None
    return a * sp.pi / sp.sqrt(b * c) * sp.exp(-sp.sqrt(c / b) * sp.Abs(nu))


def _sech(a: sp.Expr, core: sp.Expr, x: sp.Symbol, nu: sp.Symbol) -> sp.Expr | None:
    # a sech(c x)  ↦  (a π / c) sech(π ν / (2c))
    if not isinstance(core, sp.sech):
        return None
    c = core.args[0] / x
    if c.has(x) or not c.is_positive:
        return None
    return a * sp.pi / c * sp.sech(sp.pi * nu / (2 * c))


def _box(a: sp.Expr, core: sp.Expr, x: sp.Symbol, nu: sp.Symbol) -> sp.Expr | None:
    # a·1{|x| < L}  ↦  2aL sinc(Lν)
    if not isinstance(core, sp.Piecewise) or len(core.args) != 2:
        return None
    (value, condition), (other, otherwise) = core.args
    if otherwise is not sp.true or other != 0 or value.has(x):
        return None
    support = condition.as_set()
    if not isinstance(support, sp.Interval) or support.start != -support.end:
        return None
    half_width = support.end
    if not half_width.is_positive or not half_width.is_finite:
        return None
    return 2 * a * value * half_width * sp.sinc(half_width * nu)


TRANSFORM_TABLE: dict[str, Callable[[sp.Expr, sp.Expr, sp.Symbol, sp.Symbol], sp.Expr | None]]
TRANSFORM_TABLE = {
    "gaussian": _gaussian,
    "laplace": _laplace,
    "lorentzian": _lorentzian,
    "sech": _sech,
    "box": _box,
}
"""Known transforms, name ↦ rule ``(a, core, x, ν) -> A(ν)`` for :math:`f = a\\cdot` core."""


def table_transform(f: sp.Expr, x: sp.Symbol, nu: sp.Symbol) -> tuple[str, sp.Expr] | None:
    """The first rule of :data:`TRANSFORM_TABLE` that recognises ``f``: ``(name, A(ν))`` with
    :math:`A(\\nu) = \\int e^{-i\\nu x} f(x)\\,dx`, or ``None``.  Unchecked here: the caller
    (:func:`symdl.approximation.fourier.fourier_transform`) confirms it by quadrature.

    Examples
    --------
    >>> x, nu = sp.Symbol("x", real=True), sp.Symbol("nu", real=True)
    >>> table_transform(sp.exp(-abs(x)), x, nu)
    ('laplace', 2/(nu**2 + 1))
    >>> table_transform(sp.exp(-x**2 + x), x, nu) is None
    True
    """
    a, core = f.as_independent(x, as_Add=False)
    for name, rule in TRANSFORM_TABLE.items():
        found = rule(a, core, x, nu)
        if found is not None:
            return name, found
    return None


def radial_table_transform(g: sp.Expr, r: sp.Symbol, rho: sp.Symbol, d: sp.Expr) -> sp.Expr | None:
    """:math:`\\int_{\\mathbb{R}^d} e^{-i\\omega\\cdot x} g(|x|)\\,dx` for a radial Gaussian
    :math:`g = a e^{-c r^2}`, as a function of :math:`\\rho = |\\omega|` (any d, symbolic
    too), or ``None``.

    Examples
    --------
    >>> r, rho = sp.Symbol("r", positive=True), sp.Symbol("rho", positive=True)
    >>> radial_table_transform(sp.exp(-r**2 / 2), r, rho, sp.Integer(3))
    2*sqrt(2)*pi**(3/2)*exp(-rho**2/2)
    """
    # a e^{-c r²} on R^d  ↦  a (π/c)^{d/2} e^{-ρ²/(4c)}  (the product of d 1-D Gaussians)
    a, core = g.as_independent(r, as_Add=False)
    if not isinstance(core, sp.exp):
        return None
    c = -core.args[0] / r**2
    if c.has(r) or not c.is_positive:
        return None
    return a * (sp.pi / c) ** (d / 2) * sp.exp(-(rho**2) / (4 * c))
