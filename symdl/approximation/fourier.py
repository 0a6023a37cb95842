"""Fourier transforms in Barron's convention, checked by quadrature.

Barron (1993) writes a function as a superposition of plane waves,

.. math::

    f(x) = \\int_{\\mathbb{R}^d} e^{i\\omega\\cdot x}\\,\\hat f(\\omega)\\,d\\omega,
    \\qquad
    \\hat f(\\omega) = (2\\pi)^{-d} \\int_{\\mathbb{R}^d} e^{-i\\omega\\cdot x} f(x)\\,dx .

Other fields use other normalisations; :class:`FourierConvention` names four of them and
:func:`convert_transform` moves between them.  A transform is found as sympy.stats finds a
CDF: a table of closed forms first (:mod:`symdl.approximation.fourier_table`), SymPy's integral as
the
fallback, and *every* result, from either source, is confirmed by mpmath quadrature at several
frequencies before it is returned.  That check matters: SymPy's ``fourier_transform`` of
:math:`1/(1+x^2)` is :math:`\\pi e^{-2\\pi k}`, which has lost an absolute value and blows up
for :math:`k < 0`.

Radial functions in :math:`\\mathbb{R}^d` are transformed in :mod:`symdl.approximation.hankel`.
"""

from __future__ import annotations

import enum
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sympy as sp

from symdl.approximation.fourier_quadrature import break_points, numeric_transform, tail_form
from symdl.approximation.fourier_quadrature import parity as parity_of
from symdl.approximation.fourier_table import table_transform
from symdl.core.exceptions import NotSupportedError
from symdl.core.limits import TimeLimitExceededError, deadline

__all__ = [
    "FourierConvention",
    "FourierTransform",
    "FrequencyCheck",
    "TransformMethod",
    "break_points",
    "convert_transform",
    "fourier_transform",
    "numeric_transform",
    "verify_transform",
]

# The accepted discrepancy between a closed form and the quadrature.
_TOLERANCE = 1e-9
# Frequencies at which a 1-D transform is checked: both signs, so that a lost |ω| shows.
_CHECK_FREQUENCIES = (0.0, 0.5, 2.25, -0.75, -2.0)
#: Seconds SymPy may spend on one transform or integral before symdl gives up on it.
SYMPY_SECONDS = 10.0


def validate_dimension(dim: object) -> sp.Expr:
    """``dim`` as a SymPy integer ≥ 1 or a Symbol declared ``positive=True, integer=True``.

    Text is refused, never parsed: a dimension is a number or a SymPy expression.

    Examples
    --------
    >>> validate_dimension(3)
    3
    >>> validate_dimension("3")
    Traceback (most recent call last):
    ...
    TypeError: dim='3' is a str; pass an int ≥ 1 or a SymPy Symbol ...
    """
    if isinstance(dim, bool) or not isinstance(dim, (numbers.Integral, sp.Expr)):
        raise TypeError(
            f"dim={dim!r} is a {type(dim).__name__}; pass an int ≥ 1 or a SymPy Symbol "
            "declared positive=True, integer=True"
        )
    d = dim if isinstance(dim, sp.Expr) else sp.Integer(int(dim))
    if not (d.is_integer and d.is_positive):
        raise ValueError(
            f"dim={dim!r} is not a positive integer; pass an int ≥ 1 or a Symbol declared "
            "positive=True, integer=True"
        )
    return d


class FourierConvention(enum.Enum):
    """Normalisations of the Fourier transform, :math:`T(\\nu) = a_d\\,A(b\\,\\nu)` with
    :math:`A(\\omega) = \\int e^{-i\\omega\\cdot x} f(x)\\,dx`.

    - ``BARRON``: :math:`a_d = (2\\pi)^{-d}`, :math:`b = 1` (Barron 1993, eq. (1));
    - ``SYMPY``: ordinary frequency, :math:`a_d = 1`, :math:`b = 2\\pi`
      (:func:`sympy.fourier_transform`);
    - ``UNITARY``: angular frequency, :math:`a_d = (2\\pi)^{-d/2}`, :math:`b = 1`;
    - ``NONUNITARY``: angular frequency, :math:`a_d = 1`, :math:`b = 1`.

    Examples
    --------
    >>> FourierConvention.BARRON.normalisation(2)
    1/(4*pi**2)
    >>> FourierConvention.SYMPY.frequency_scale
    2*pi

    References
    ----------
    Barron (1993), Section II (his convention); R. N. Bracewell, *The Fourier Transform and
    Its Applications*, 3rd ed., 2000, ch. 2 (the ordinary-frequency and angular forms).
    """

    BARRON = "barron"
    SYMPY = "sympy"
    UNITARY = "unitary"
    NONUNITARY = "nonunitary"

    def normalisation(self, dim: int | sp.Expr = 1) -> sp.Expr:
        """The factor :math:`a_d` in front of the integral, in dimension ``dim``."""
        d = validate_dimension(dim)
        factors = {
            FourierConvention.BARRON: (2 * sp.pi) ** (-d),
            FourierConvention.SYMPY: sp.S.One,
            FourierConvention.UNITARY: (2 * sp.pi) ** (-d / 2),
            FourierConvention.NONUNITARY: sp.S.One,
        }
        return factors[self]

    @property
    def frequency_scale(self) -> sp.Expr:
        """The factor :math:`b` in the exponent :math:`e^{-i b \\nu\\cdot x}`."""
        return 2 * sp.pi if self is FourierConvention.SYMPY else sp.S.One


class TransformMethod(enum.Enum):
    """Where a transform comes from: the closed-form table first (``AUTO``), or one source."""

    AUTO = "auto"
    TABLE = "table"
    SYMPY = "sympy"


@dataclass(frozen=True)
class FrequencyCheck:
    """One quadrature check: the closed form and the quadrature of :math:`A` at a frequency."""

    frequency: float
    closed_form: complex
    quadrature: complex

    @property
    def error(self) -> float:
        """The absolute discrepancy."""
        return abs(self.closed_form - self.quadrature)

    @property
    def passed(self) -> bool:
        """Agreement to ``_TOLERANCE``, relative to the size of the value (at least 1)."""
        return self.error <= _TOLERANCE * max(1.0, abs(self.quadrature))


@dataclass(frozen=True)
class FourierTransform:
    """The Fourier transform of ``function`` of ``variable``, as ``expr`` of ``frequency``.

    ``source`` says where it came from (``"table: gaussian"``, ``"sympy"``, …) and ``checks``
    holds the quadrature checks it passed.
    """

    function: sp.Expr
    variable: sp.Symbol
    frequency: sp.Symbol
    convention: FourierConvention
    expr: sp.Expr
    source: str
    checks: tuple[FrequencyCheck, ...]

    def to(self, convention: FourierConvention) -> FourierTransform:
        """The same transform in another convention."""
        expr = convert_transform(
            self.expr, self.frequency, source=self.convention, target=convention
        )
        return FourierTransform(
            self.function,
            self.variable,
            self.frequency,
            convention,
            expr,
            self.source,
            self.checks,
        )


def convert_transform(
    transform: sp.Expr,
    frequency: sp.Symbol,
    *,
    source: FourierConvention,
    target: FourierConvention,
    dim: int | sp.Expr = 1,
) -> sp.Expr:
    """Rewrite a transform from one convention to another.

    With :math:`T_c(\\nu) = a_c A(b_c \\nu)`,
    :math:`T_t(\\nu) = (a_t / a_s)\\, T_s(b_t \\nu / b_s)`.

    Examples
    --------
    >>> k = sp.Symbol("k", real=True)
    >>> convert_transform(sp.pi * sp.exp(-2 * sp.pi * abs(k)), k,
    ...                   source=FourierConvention.SYMPY, target=FourierConvention.BARRON)
    exp(-Abs(k))/2

    References
    ----------
    Barron (1993), Section II (the convention).  With SymPy's
    :math:`F(k) = \\int f(x) e^{-2\\pi i x\\cdot k}dx`,
    :math:`\\hat f(\\omega) = (2\\pi)^{-d} F(\\omega / 2\\pi)`.
    """
    for name, value in (("source", source), ("target", target)):
        if not isinstance(value, FourierConvention):
            raise TypeError(
                f"{name}={value!r} is not a FourierConvention; pass one of "
                f"{', '.join('FourierConvention.' + c.name for c in FourierConvention)}"
            )
    ratio = target.normalisation(dim) / source.normalisation(dim)
    scaled = transform.subs(frequency, target.frequency_scale * frequency / source.frequency_scale)
    return sp.simplify(ratio * scaled)


# --- the quadrature referee -------------------------------------------------------------------


def verify_transform(
    f: sp.Expr,
    x: sp.Symbol,
    transform: sp.Expr,
    frequency: sp.Symbol,
    *,
    convention: FourierConvention = FourierConvention.BARRON,
    frequencies: Sequence[float] = _CHECK_FREQUENCIES,
) -> tuple[FrequencyCheck, ...]:
    """Compare a claimed 1-D transform with quadrature at several frequencies.

    Returns the checks (each with ``passed``); the caller decides what a failure means.

    Examples
    --------
    >>> x, k = sp.symbols("x k", real=True)
    >>> sympys = sp.pi * sp.exp(-2 * sp.pi * k)  # SymPy's answer for 1/(1+x²)
    >>> [c.passed for c in verify_transform(1 / (1 + x**2), x, sympys, k,
    ...                                     convention=FourierConvention.SYMPY)]
    [True, True, True, False, False]
    """
    nonunitary = convert_transform(
        transform, frequency, source=convention, target=FourierConvention.NONUNITARY
    )
    checks = []
    for value in frequencies:
        claimed = complex(sp.N(nonunitary.subs(frequency, value), 20))
        checks.append(FrequencyCheck(value, claimed, numeric_transform(f, x, value)))
    return tuple(checks)


# --- the 1-D transform ----------------------------------------------------------------------


def validate_function(f: object, variables: Sequence[sp.Symbol]) -> sp.Expr:
    if not isinstance(f, sp.Expr):
        raise TypeError(
            f"f={f!r} is a {type(f).__name__}, not a SymPy expression; build it with SymPy "
            "(or parse text with symdl.grading.parsing.parse_expression)"
        )
    for v in variables:
        if not isinstance(v, sp.Symbol):
            raise TypeError(f"variable {v!r} is not a SymPy Symbol; pass sympy.Symbol objects")
    extra = f.free_symbols - set(variables)
    if extra:
        names = ", ".join(sorted(str(s) for s in extra))
        raise ValueError(
            f"f = {f} depends on {names}, which is not among the variables "
            f"{', '.join(str(v) for v in variables)}; substitute numbers for parameters "
            "or list every variable"
        )
    return f


def _limit(expr: sp.Expr, x: sp.Symbol, point: sp.Expr, direction: str = "+-") -> sp.Expr:
    """SymPy's limit, with SymPy's own failures turned into a clear NotSupportedError."""
    try:
        with deadline(SYMPY_SECONDS):
            return (
                sp.limit(expr, x, point, direction) if point.is_finite else sp.limit(expr, x, point)
            )
    except (TimeLimitExceededError, NotImplementedError, TypeError, AttributeError) as error:
        raise NotSupportedError(
            f"SymPy cannot take the limit of {expr} as {x} → {point} ({error})"
        ) from error


def _check_integrable(f: sp.Expr, x: sp.Symbol) -> None:
    """Refuse functions without a Fourier transform as a function: not decaying, or poles."""
    poles = []
    if not f.has(sp.Piecewise, sp.Heaviside, sp.Max, sp.Min):
        try:
            poles = [p for p in sp.singularities(f, x) if p.is_real]
        except (NotImplementedError, ValueError, TypeError):
            poles = []
    for pole in poles:  # a removable singularity (sin(x)/x at 0) has a finite limit
        if not _limit(f, x, pole).is_finite:
            raise ValueError(
                f"f = {f} is unbounded near x = {pole}: it is not integrable, so it has no "
                "Fourier transform as a function; pass a bounded, integrable function"
            )
    for end in (sp.oo, -sp.oo):
        tail = tail_form(f, x, end)
        at_infinity = _limit(tail, x, end)
        if at_infinity != 0:
            raise ValueError(
                f"f = {f} does not tend to 0 as {x} → {end} (its limit: {at_infinity}), so "
                "∫|f| = ∞ and f has no Fourier transform as a function; pass a function "
                "that decays at infinity"
            )
        if _limit(x * tail, x, end) != 0:
            raise ValueError(
                f"f = {f} decays like 1/|{x}| or slower as {x} → {end}: ∫|f| = ∞, so f has "
                "no Fourier transform as a function; pass an integrable function"
            )
        if not _limit(x**2 * tail, x, end).is_finite:
            raise NotSupportedError(
                f"f = {f} decays more slowly than 1/{x}² as {x} → {end}; symdl's transforms "
                "need that decay"
            )


def _sympy_transform(f: sp.Expr, x: sp.Symbol, nu: sp.Symbol) -> sp.Expr | None:
    k = sp.Dummy("k", real=True)
    try:
        with deadline(SYMPY_SECONDS):
            found = sp.fourier_transform(f, x, k)
    except (TimeLimitExceededError, NotImplementedError, ValueError, TypeError, RecursionError):
        return None
    if found.has(sp.FourierTransform, sp.Integral):
        return None
    return found.subs(k, nu / (2 * sp.pi))


def _table_candidate(f: sp.Expr, x: sp.Symbol, nu: sp.Symbol) -> tuple[str, sp.Expr] | None:
    found = table_transform(f, x, nu)
    return None if found is None else (f"table: {found[0]}", found[1])


def _sympy_candidate(f: sp.Expr, x: sp.Symbol, nu: sp.Symbol) -> tuple[str, sp.Expr] | None:
    found = _sympy_transform(f, x, nu)
    return None if found is None else ("sympy", found)


def _confirmed(
    f: sp.Expr, x: sp.Symbol, nu: sp.Symbol, candidate: sp.Expr
) -> tuple[sp.Expr, tuple[FrequencyCheck, ...], bool] | None:
    """The candidate A(ν) if quadrature confirms it; else its symmetrised form (A of an even
    f is even, of an odd f odd) if that is confirmed; else None.  The flag says 'repaired'."""
    conv = FourierConvention.NONUNITARY
    checks = verify_transform(f, x, candidate, nu, convention=conv)
    if all(c.passed for c in checks):
        return candidate, checks, False
    parity = parity_of(f, x)
    if parity == 0:
        return None
    positive = sp.Abs(nu)
    repaired = candidate.subs(nu, positive) * (sp.sign(nu) if parity < 0 else 1)
    checks = verify_transform(f, x, repaired, nu, convention=conv)
    if all(c.passed for c in checks):
        return repaired, checks, True
    return None


def fourier_transform(
    f: sp.Expr,
    x: sp.Symbol,
    omega: sp.Symbol,
    *,
    convention: FourierConvention = FourierConvention.BARRON,
    method: TransformMethod = TransformMethod.AUTO,
) -> FourierTransform:
    """The Fourier transform of ``f(x)`` in ``convention``, confirmed by quadrature.

    .. math::

        \\hat f(\\omega) = (2\\pi)^{-1} \\int_{-\\infty}^{\\infty} e^{-i\\omega x} f(x)\\,dx
        \\quad \\text{(Barron's convention, the default)}.

    The closed-form table is tried first, then :func:`sympy.fourier_transform`.  Each candidate
    is compared with mpmath quadrature at frequencies of both signs; a result that fails only
    because it lost the symmetry of an even (odd) ``f`` is symmetrised and checked again, and
    a candidate that still fails is discarded for the next source.

    Raises
    ------
    ValueError
        ``f`` is not integrable (it grows, does not decay, or has a pole), or depends on a
        symbol other than ``x``.
    NotSupportedError
        No source gives a transform that passes the quadrature check.

    Examples
    --------
    >>> x, w = sp.Symbol("x", real=True), sp.Symbol("omega", real=True)
    >>> fourier_transform(sp.exp(-x**2 / 2), x, w).expr
    sqrt(2)*exp(-omega**2/2)/(2*sqrt(pi))
    >>> fourier_transform(1 / (1 + x**2), x, w, method=TransformMethod.SYMPY).expr
    exp(-Abs(omega))/2

    References
    ----------
    A. R. Barron, "Universal approximation bounds for superpositions of a sigmoidal
    function", IEEE Trans. Inf. Theory 39(3), 1993, Section II (the convention).
    """
    if not isinstance(convention, FourierConvention):
        raise TypeError(f"convention={convention!r} is not a FourierConvention member")
    if not isinstance(method, TransformMethod):
        raise TypeError(f"method={method!r} is not a TransformMethod member")
    f = validate_function(f, [x])
    if not isinstance(omega, sp.Symbol):
        raise TypeError(f"omega={omega!r} is not a SymPy Symbol")
    _check_integrable(f, x)
    nu = sp.Dummy("nu", real=True)
    # the table first, SymPy's integral second: a candidate that fails the quadrature check
    # is discarded and the next source is asked (the sympy.stats _cdf / compute_cdf pattern)
    sources: list[Callable[[], tuple[str, sp.Expr] | None]] = []
    if method in (TransformMethod.AUTO, TransformMethod.TABLE):
        sources.append(lambda: _table_candidate(f, x, nu))
    if method in (TransformMethod.AUTO, TransformMethod.SYMPY):
        sources.append(lambda: _sympy_candidate(f, x, nu))
    candidates: list[tuple[str, sp.Expr]] = []
    for find in sources:
        found = find()
        if found is None:
            continue
        source, candidate = found
        candidates.append(found)
        confirmed = _confirmed(f, x, nu, candidate)
        if confirmed is None:
            continue
        expr, checks, repaired = confirmed
        if repaired:
            source += " (symmetrised: the raw result failed the quadrature check)"
        converted = convert_transform(
            expr, nu, source=FourierConvention.NONUNITARY, target=convention
        )
        return FourierTransform(f, x, omega, convention, converted.subs(nu, omega), source, checks)
    tried = ", ".join(source for source, _ in candidates) or "no closed form found"
    raise NotSupportedError(
        f"no Fourier transform of f = {f} passed the quadrature check ({tried}, method="
        f"{method.name}); symdl cannot transform this function yet"
    )
