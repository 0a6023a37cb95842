"""Closed-form Fourier transforms: the table consulted before SymPy's integral.

Each rule recognises :math:`f = a\\cdot\\mathrm{core}(x)` (``a`` free of ``x``) and returns the
non-unitary angular transform :math:`A(\\nu) = \\int e^{-i\\nu x} f(x)\\,dx`, or ``None``.
The pairs are standard (Bracewell, *The Fourier Transform and Its Applications*, 3rd ed.,
2000, ch. 6, rewritten in angular frequency; Gradshteyn & Ryzhik, *Table of Integrals*, 7th
ed., 3.771.2 for the powers of :math:`1 + x^2`).  Beyond single rules, :func:`table_transform`
combines them by the transform's algebra:

- sums, term by term;
- a rational function by residues (Jordan's lemma), its poles found exactly;
- a polynomial on finitely many intervals, by integration by parts (a finite sum);
- a plane wave times a known function, by the shift :math:`A(\\nu - \\lambda)`;
- a product with a sum, expanded;
- a polynomial times a known smooth transform, by :math:`x^n \\mapsto (i\\,d/d\\nu)^n`.

:mod:`symdl.approximation.fourier` confirms every result by quadrature before use, and
``tests/test_fourier.py`` checks the rules against SymPy's integral or an independent
quadrature.

Examples
--------
>>> x, nu = sp.Symbol("x", real=True), sp.Symbol("nu", real=True)
>>> table_transform(3 / (4 + x**2), x, nu)
('lorentzian', 3*pi*exp(-2*Abs(nu))/2)
>>> table_transform(1 / (1 + x**2) ** 2, x, nu)
('power of a quadratic', pi*(Abs(nu) + 1)*exp(-Abs(nu))/2)
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from symdl.approximation.fourier_quadrature import frequency_components, smooth_pieces
from symdl.core.limits import TimeLimitExceededError, deadline

__all__ = ["TRANSFORM_TABLE", "radial_table_transform", "table_transform"]

# Seconds the table may spend simplifying one transform.
_SIMPLIFY_SECONDS = 5.0
# How deeply the combining rules may nest (a sum of modulated products of ...).
_DEPTH = 3


def _linear_coefficient(argument: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """c when ``argument`` is c·x with c a positive constant, else None."""
    c = sp.simplify(argument / x)
    if c.has(x) or not c.is_positive:
        return None
    return c


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


def _laplace_moment(a: sp.Expr, core: sp.Expr, x: sp.Symbol, nu: sp.Symbol) -> sp.Expr | None:
    # a x^n |x|^m e^{-c|x|}  ↦  a k! ((c + iν)^{-(k+1)} ± (c - iν)^{-(k+1)}), k = n + m, the
    # sign + for n even (an even function), − for n odd: the two half-lines, each
    # ∫_0^∞ t^k e^{-(c ± iν)t} dt = k!/(c ± iν)^{k+1}
    power, absolute, rate = 0, 0, None
    for factor in sp.Mul.make_args(core):
        base, exponent = factor.as_base_exp()
        if base == x and exponent.is_Integer and exponent > 0:
            power += int(exponent)
        elif base == sp.Abs(x) and exponent.is_Integer and exponent > 0:
            absolute += int(exponent)
        elif isinstance(factor, sp.exp) and rate is None:
            rate = -factor.args[0] / sp.Abs(x)
            if rate.has(x) or not rate.is_positive:
                return None
        else:
            return None
    if rate is None or power + absolute == 0:
        return None
    k = power + absolute
    t = sp.Dummy("t", real=True)
    right = sp.factorial(k) / (rate + sp.I * t) ** (k + 1)
    left = sp.factorial(k) / (rate - sp.I * t) ** (k + 1)
    value = right + left if power % 2 == 0 else right - left
    try:
        with deadline(_SIMPLIFY_SECONDS):
            value = sp.simplify(sp.expand_complex(sp.together(value)))
    except TimeLimitExceededError:
        pass
    return (a * value).subs(t, nu)


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


def _besselk(order: sp.Expr, z: sp.Expr) -> sp.Expr:
    """:math:`K_\\mu(z)`, written with elementary functions for a half-integer μ:
    :math:`K_{n+1/2}(z) = \\sqrt{\\pi/(2z)}\\,e^{-z}\\sum_{k=0}^{n}
    \\frac{(n+k)!}{k!\\,(n-k)!\\,(2z)^k}` (DLMF 10.49.12)."""
    n = order - sp.S.Half
    if n.is_integer and n.is_nonnegative:
        m = int(n)
        series = sum(
            sp.factorial(m + k) / (sp.factorial(k) * sp.factorial(m - k) * (2 * z) ** k)
            for k in range(m + 1)
        )
        return sp.sqrt(sp.pi / (2 * z)) * sp.exp(-z) * series
    return sp.besselk(order, z)


def _quadratic_power(a: sp.Expr, core: sp.Expr, x: sp.Symbol, nu: sp.Symbol) -> sp.Expr | None:
    # a (b x² + c)^{-s}, s > 1/2  ↦  a b^{-s} (2√π/Γ(s)) (|ν|/(2m))^{s-1/2} K_{s-1/2}(m|ν|),
    # m = √(c/b)  (Gradshteyn & Ryzhik 3.771.2; elementary for an integer s)
    if not (isinstance(core, sp.Pow) and core.exp.is_number and core.exp.is_real):
        return None
    s = -core.exp
    if not s > sp.S.Half:
        return None
    base = sp.Poly(core.base, x) if core.base.is_polynomial(x) else None
    if base is None or base.degree() != 2 or base.coeff_monomial(x) != 0:
        return None
    b, c = base.coeff_monomial(x**2), base.coeff_monomial(1)
    if not (b.is_positive and c.is_positive):
        return None
    m = sp.sqrt(c / b)
    t = sp.Dummy("t", positive=True)
    value = (
        a
        * b ** (-s)
        * 2
        * sp.sqrt(sp.pi)
        / sp.gamma(s)
        * (t / (2 * m)) ** (s - sp.S.Half)
        * _besselk(s - sp.S.Half, m * t)
    )
    return _simplified(value).subs(t, sp.Abs(nu))


def _sech(a: sp.Expr, core: sp.Expr, x: sp.Symbol, nu: sp.Symbol) -> sp.Expr | None:
    # a sech(c x)  ↦  (a π / c) sech(π ν / (2c))
    if not isinstance(core, sp.sech):
        return None
    c = _linear_coefficient(core.args[0], x)
    if c is None:
        return None
    return a * sp.pi / c * sp.sech(sp.pi * nu / (2 * c))


def _sech_squared(a: sp.Expr, core: sp.Expr, x: sp.Symbol, nu: sp.Symbol) -> sp.Expr | None:
    # a sech²(c x)  ↦  a π ν / (c² sinh(π ν / (2c)))  (2a/c at ν = 0, the limit)
    if not (isinstance(core, sp.Pow) and core.exp == 2 and isinstance(core.base, sp.sech)):
        return None
    c = _linear_coefficient(core.base.args[0], x)
    if c is None:
        return None
    return a * sp.pi * nu / (c**2 * sp.sinh(sp.pi * nu / (2 * c)))


def _sinc(a: sp.Expr, core: sp.Expr, x: sp.Symbol, nu: sp.Symbol) -> sp.Expr | None:
    # a sin(c x)/x  ↦  a π 1{|ν| < c}: not integrable, but its transform is (in L², and as
    # an improper integral for |ν| ≠ c)
    numerator, denominator = sp.fraction(core)
    if denominator != x or not isinstance(numerator, sp.sin):
        return None
    c = _linear_coefficient(numerator.args[0], x)
    if c is None:
        return None
    return sp.Piecewise((a * sp.pi, sp.Abs(nu) < c), (0, True))


def _sinc_squared(a: sp.Expr, core: sp.Expr, x: sp.Symbol, nu: sp.Symbol) -> sp.Expr | None:
    # a sin²(c x)/x²  ↦  a π (c - |ν|/2) 1{|ν| < 2c}: a triangle
    numerator, denominator = sp.fraction(core)
    if denominator != x**2 or not (
        isinstance(numerator, sp.Pow) and numerator.exp == 2 and isinstance(numerator.base, sp.sin)
    ):
        return None
    c = _linear_coefficient(numerator.base.args[0], x)
    if c is None:
        return None
    return sp.Piecewise((a * sp.pi * (c - sp.Abs(nu) / 2), sp.Abs(nu) < 2 * c), (0, True))


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
    "laplace moment": _laplace_moment,
    "lorentzian": _lorentzian,
    "power of a quadratic": _quadratic_power,
    "sech": _sech,
    "sech squared": _sech_squared,
    "sinc": _sinc,
    "sinc squared": _sinc_squared,
    "box": _box,
}
"""Known transforms, name ↦ rule ``(a, core, x, ν) -> A(ν)`` for :math:`f = a\\cdot` core."""


def _simplified(expr: sp.Expr) -> sp.Expr:
    try:
        with deadline(_SIMPLIFY_SECONDS):
            return sp.simplify(expr)
    except TimeLimitExceededError:
        return expr


def _normalised(f: sp.Expr) -> sp.Expr:
    """``sinc(u)`` as sin(u)/u and :math:`\\cosh^{-k}` as :math:`\\mathrm{sech}^k`."""
    f = f.replace(sp.sinc, lambda u: sp.sin(u) / u)
    return f.replace(
        lambda e: isinstance(e, sp.Pow) and isinstance(e.base, sp.cosh) and e.exp.is_negative,
        lambda e: sp.sech(e.base.args[0]) ** (-e.exp),
    )


def _rational(f: sp.Expr, x: sp.Symbol, nu: sp.Symbol) -> sp.Expr | None:
    """P/Q with no real pole and deg Q ≥ deg P + 2, by residues: for ν > 0 the contour closes
    below, :math:`A(\\nu) = -2\\pi i \\sum_{\\Im z_k < 0} \\mathrm{Res}(R e^{-i\\nu z}, z_k)`;
    for ν < 0 above."""
    if not f.is_rational_function(x) or not f.has(x):
        return None
    numerator, denominator = sp.fraction(sp.cancel(sp.together(f)))
    p, q = sp.Poly(numerator, x), sp.Poly(denominator, x)
    if q.degree() < p.degree() + 2 or not all(c.is_real for c in (*p.coeffs(), *q.coeffs())):
        return None
    try:
        with deadline(_SIMPLIFY_SECONDS):
            roots = sp.roots(q)
    except TimeLimitExceededError:
        return None
    if sum(roots.values()) != q.degree() or any(r.is_real for r in roots):
        return None
    z, t = sp.Dummy("z"), sp.Dummy("t", positive=True)

    def residue(root: sp.Expr, multiplicity: int, direction: int) -> sp.Expr:
        others = q.LC()
        for other, m in roots.items():
            if other != root:
                others *= (z - other) ** m
        h = numerator.subs(x, z) * sp.exp(direction * sp.I * t * z) / others
        return sp.diff(h, z, multiplicity - 1).subs(z, root) / sp.factorial(multiplicity - 1)

    try:
        with deadline(_SIMPLIFY_SECONDS):
            below = [(r, m) for r, m in roots.items() if sp.im(r).is_negative]
            above = [(r, m) for r, m in roots.items() if sp.im(r).is_positive]
            if len(below) + len(above) != len(roots):
                return None
            positive = -2 * sp.pi * sp.I * sum(residue(r, m, -1) for r, m in below)
            negative = 2 * sp.pi * sp.I * sum(residue(r, m, 1) for r, m in above)
            even = sp.simplify(sp.expand_complex((positive + negative) / 2))
            odd = sp.simplify(sp.expand_complex((positive - negative) / 2))
    except TimeLimitExceededError:
        return None
    return (even + sp.sign(nu) * odd).subs(t, sp.Abs(nu))


def _piecewise_polynomial(f: sp.Expr, x: sp.Symbol, nu: sp.Symbol) -> sp.Expr | None:
    """A polynomial on each of finitely many bounded intervals, 0 outside: integration by
    parts ends, :math:`\\int_a^b g e^{-i\\nu x}dx = [-e^{-i\\nu x}\\sum_k g^{(k)}(x) /
    (i\\nu)^{k+1}]_a^b` (removable at ν = 0)."""
    if not f.has(sp.Piecewise, sp.Heaviside, sp.Abs, sp.Max, sp.Min, sp.sign):
        return None
    try:
        pieces = smooth_pieces(f, x)
    except (NotImplementedError, TypeError, ValueError):
        return None
    if not pieces or pieces[0][2] != 0 or pieces[-1][2] != 0:
        return None
    total = sp.S.Zero
    for a, b, g in pieces[1:-1]:
        if not g.is_polynomial(x):
            return None
        if g == 0:
            continue
        degree = sp.Poly(g, x).degree()

        def antiderivative(at: sp.Expr, g: sp.Expr = g, degree: int = degree) -> sp.Expr:
            return -sp.exp(-sp.I * nu * at) * sum(
                sp.diff(g, x, k).subs(x, at) / (sp.I * nu) ** (k + 1) for k in range(degree + 1)
            )

        total += antiderivative(b) - antiderivative(a)
    if total == 0:
        return None
    try:
        with deadline(_SIMPLIFY_SECONDS):
            return sp.simplify(sp.expand_complex(sp.expand(total)))
    except TimeLimitExceededError:
        return sp.expand(total)


def _smooth(expr: sp.Expr) -> bool:
    return not expr.has(sp.Abs, sp.sign, sp.Piecewise, sp.Heaviside, sp.Max, sp.Min)


def _polynomial_times(
    a: sp.Expr, core: sp.Expr, x: sp.Symbol, nu: sp.Symbol, depth: int
) -> tuple[str, sp.Expr] | None:
    """p(x)·g(x) with g's transform smooth: :math:`x^n g \\mapsto (i\\,d/d\\nu)^n A_g`."""
    polynomial, rest = sp.S.One, sp.S.One
    for factor in sp.Mul.make_args(core):
        if factor.is_polynomial(x) and factor.has(x):
            polynomial *= factor
        else:
            rest *= factor
    if polynomial == 1 or rest == 1:
        return None
    found = _transform(rest, x, nu, depth + 1)
    if found is None or not _smooth(found[1]):
        return None
    name, inner = found
    total = sp.S.Zero
    for (n,), coefficient in sp.Poly(sp.expand(polynomial), x).terms():
        total += coefficient * sp.I**n * sp.diff(inner, nu, n)
    return f"polynomial times {name}", _simplified(a * total)


def _modulated(f: sp.Expr, x: sp.Symbol, nu: sp.Symbol, depth: int) -> tuple[str, sp.Expr] | None:
    """:math:`\\sum_\\lambda r_\\lambda(x) e^{i\\lambda x}
    \\mapsto \\sum_\\lambda A_{r_\\lambda}(\\nu - \\lambda)`."""
    components = frequency_components(f, x)
    if components is None or set(components) == {sp.S.Zero}:
        return None
    total = sp.S.Zero
    names = []
    for frequency, r in components.items():
        found = _transform(r, x, nu, depth + 1)
        if found is None:
            return None
        names.append(found[0])
        total += found[1].subs(nu, nu - frequency)
    return f"shifted {' and '.join(sorted(set(names)))}", total


def _transform(f: sp.Expr, x: sp.Symbol, nu: sp.Symbol, depth: int) -> tuple[str, sp.Expr] | None:
    if depth > _DEPTH or not f.has(x):
        return None
    a, core = f.as_independent(x, as_Add=False)
    for name, rule in TRANSFORM_TABLE.items():
        found = rule(a, core, x, nu)
        if found is not None:
            return name, found
    found = _rational(f, x, nu)
    if found is not None:
        return "rational, by residues", found
    found = _piecewise_polynomial(f, x, nu)
    if found is not None:
        return "piecewise polynomial", found
    expanded = sp.expand(f)
    if expanded != f and isinstance(expanded, sp.Add):
        found = _transform(expanded, x, nu, depth + 1)
        if found is not None:
            return found
    if isinstance(f, sp.Add):
        total = sp.S.Zero
        names = []
        for term in f.args:
            part = _transform(term, x, nu, depth + 1)
            if part is None:
                break
            names.append(part[0])
            total += part[1]
        else:
            return f"sum of {', '.join(sorted(set(names)))}", _simplified(total)
    modulated = _modulated(f, x, nu, depth)
    if modulated is not None:
        return modulated
    if isinstance(core, sp.Mul):
        return _polynomial_times(a, core, x, nu, depth)
    return None


def table_transform(f: sp.Expr, x: sp.Symbol, nu: sp.Symbol) -> tuple[str, sp.Expr] | None:
    """The transform of ``f`` from :data:`TRANSFORM_TABLE` and the combining rules of this
    module: ``(name, A(ν))`` with :math:`A(\\nu) = \\int e^{-i\\nu x} f(x)\\,dx`, or ``None``.
    Unchecked here: the caller (:func:`symdl.approximation.fourier.fourier_transform`)
    confirms it by quadrature.

    Examples
    --------
    >>> x, nu = sp.Symbol("x", real=True), sp.Symbol("nu", real=True)
    >>> table_transform(sp.exp(-abs(x)), x, nu)
    ('laplace', 2/(nu**2 + 1))
    >>> table_transform(sp.exp(-x**2 + x), x, nu) is None
    True
    >>> name, shifted = table_transform(sp.cos(5 * x) / (1 + x**2), x, nu)
    >>> name, sp.expand(shifted - sp.pi * (sp.exp(-abs(nu - 5)) + sp.exp(-abs(nu + 5))) / 2)
    ('shifted lorentzian', 0)
    """
    if not isinstance(f, sp.Expr):
        return None
    return _transform(_normalised(f), x, nu, 0)


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
