"""Barron's constant of a function of one variable whose transform has no closed form.

When neither the table nor SymPy gives :math:`\\hat f` (the bump
:math:`e^{-1/(1-x^2)}` on :math:`|x| < 1`, :math:`x|x|e^{-x^2}` whose closed form cancels at
high frequency), the transform is computed by quadrature and
:math:`C_f = 2\\int_0^\\infty \\omega\\,|\\hat f(\\omega)|\\,d\\omega` (f real) is integrated
numerically:

1. ``f`` is cut into its smooth pieces (:func:`~symdl.approximation.finiteness.smoothness_report`
   lists every break point and hidden point); an exponentially decaying tail is truncated
   where ``f`` is below :math:`10^{-17}` of its size (an algebraic tail is refused);
2. :math:`\\hat f(\\omega)` is :math:`(2\\pi)^{-1}\\sum_j c_j e^{-i\\omega x_j}` over the nodes
   of a quadrature rule, in panels of a few periods of the highest frequency needed, by two
   independent rules: composite Gauss–Legendre, and Fejér's second rule (Chebyshev nodes)
   on other panels;
3. the ω-integral runs over [0, W] in dyadic blocks, cut at the zeros of
   :math:`\\hat f` (kinks of its modulus), with Gauss–Legendre and Fejér's rule;
4. beyond W the transform is its asymptotic expansion from the jumps of the derivatives of
   ``f`` at its break points, :math:`\\hat f(\\omega) \\approx (2\\pi)^{-1}\\sum_{k\\ge 2}
   \\sum_p [f^{(k)}]_p e^{-i\\omega p} / (i\\omega)^{k+1}` (integration by parts), whose
   remainder, measured on [W/2, W], bounds the error of the tail.

The value is returned only when the two rules agree; its error adds their disagreement,
the ω-rules' disagreement and the tail's bound, doubled.

References
----------
J. Waldvogel, "Fast construction of the Fejér and Clenshaw–Curtis quadrature rules", BIT
46, 2006 (Fejér's second rule); A. Erdélyi, *Asymptotic Expansions*, 1956, §2.8 (the
expansion of a Fourier integral from the end points); A. R. Barron, "Universal
approximation bounds for superpositions of a sigmoidal function", IEEE Trans. Inf. Theory
39(3), 1993, eq. (3).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import mpmath
import numpy as np
import sympy as sp

from symdl.approximation.barron_value import (
    _block_pieces,
    _fejer,
    _rule_integral,
    modulus_integral,
)
from symdl.approximation.finiteness import smoothness_report
from symdl.approximation.fourier_quadrature import (
    _decays_exponentially,
    _numpy_function,
    mp_function,
    parity,
    smooth_pieces,
)
from symdl.core.exceptions import NotSupportedError
from symdl.core.limits import deadline

__all__ = ["NumericConstant", "numeric_barron_constant"]

# The highest derivative whose jumps enter the asymptotic tail, and the first block's end.
_ORDER = 9
_FIRST = 32.0
_LAST = 2048.0
# Relative size below which an exponentially decaying tail of f is dropped.
_NEGLIGIBLE = 1e-17
# How far the two rules may differ (relative) before the value is refused.
_AGREEMENT = 1e-7


@dataclass(frozen=True)
class NumericConstant:
    """:math:`C_f` by the numeric Fourier route.

    ``value`` ± ``error``; ``estimates`` holds each independent method's value (the
    Gauss–Legendre and Fejér transforms); ``cutoff`` is the frequency W beyond which the
    asymptotic expansion of the transform was integrated, contributing ``tail``.
    """

    value: float
    error: float
    estimates: tuple[tuple[str, float], ...]
    cutoff: float
    tail: float


@dataclass(frozen=True)
class _Piece:
    a: float
    b: float
    expr: sp.Expr


_GL_X = np.polynomial.legendre.leggauss(32)
_FEJER_X = _fejer(40)
# The ω-rules on pieces at most a half-period long (π/(2R)); lower orders for a block whose
# share of C_f is expected below 1e-6, where a relative accuracy of 1e-6 is plenty.
_GL_W = np.polynomial.legendre.leggauss(20)
_FEJER_W = _fejer(26)
_GL_W_LIGHT = np.polynomial.legendre.leggauss(8)
_FEJER_W_LIGHT = _fejer(12)


class _Sampler:
    """f on the pieces, by NumPy where it agrees with mpmath at sample points of the piece
    (including points close to its ends), else by mpmath."""

    def __init__(self, piece: _Piece, x: sp.Symbol) -> None:
        self.piece = piece
        self.fast = _numpy_function(piece.expr, x)
        self.slow = mp_function(piece.expr, x)
        a, b = piece.a, piece.b
        offsets = np.array([1e-6, 1e-3, 0.1, 0.37, 0.5, 0.71, 0.9, 1 - 1e-3, 1 - 1e-6])
        samples = a + (b - a) * offsets
        self.use_fast = False
        if self.fast is None:
            return
        with np.errstate(all="ignore"):
            try:
                fast = np.broadcast_to(
                    np.asarray(self.fast(samples), dtype=np.float64), samples.shape
                )
            except (TypeError, ValueError, ZeroDivisionError, NameError, AttributeError):
                return
        with mpmath.workdps(30):
            slow = np.array([float(self.slow(mpmath.mpf(float(t)))) for t in samples])
        scale = float(np.max(np.abs(slow))) or 1.0
        self.use_fast = bool(np.all(np.abs(fast - slow) <= 1e-14 * scale))

    def __call__(self, points: np.ndarray) -> np.ndarray:
        fast = self.fast
        if self.use_fast and fast is not None:
            with np.errstate(all="ignore"):
                values = np.broadcast_to(np.asarray(fast(points), dtype=np.float64), points.shape)
            if np.all(np.isfinite(values)):
                return values
        with mpmath.workdps(30):
            return np.array([float(self.slow(mpmath.mpf(float(t)))) for t in points])


class _QuadratureTransform:
    """:math:`\\hat f(\\pm\\omega) = (2\\pi)^{-1}\\sum_j c_j e^{\\mp i\\omega x_j}` for the nodes of
    one rule, rebuilt when a higher frequency is asked for."""

    def __init__(
        self, samplers: list[_Sampler], rule: tuple[np.ndarray, np.ndarray], periods: float
    ) -> None:
        self.samplers, self.rule, self.periods = samplers, rule, periods
        self.sign = 1.0
        self.top = 0.0
        # panels grouped by half-width h: (h, mid-points m_p, coefficients c_{jp} / 2π)
        self.groups: list[tuple[float, np.ndarray, np.ndarray]] = []
        self.noise = 0.0

    def mirrored(self) -> _QuadratureTransform:
        other = _QuadratureTransform(self.samplers, self.rule, self.periods)
        other.sign = -1.0
        return other

    def _build(self, top: float) -> None:
        longest = min(1.0, self.periods * 2 * math.pi / max(top, 1.0))
        nodes, weights = self.rule
        grouped: dict[float, tuple[list[np.ndarray], list[np.ndarray]]] = {}
        total = 0.0
        for sampler in self.samplers:
            a, b = sampler.piece.a, sampler.piece.b
            count = max(1, math.ceil((b - a) / longest))
            base = (b - a) / count / 2  # the half-width before any halving
            for level, mid in self._refined(sampler, a, base, count, top).items():
                half = base / 2**level  # exact: halving is exact in binary
                points = mid[:, None] + half * nodes
                values = sampler(points.ravel()).reshape(points.shape)
                coefficients = half * weights * values / (2 * math.pi)
                total += float(np.sum(np.abs(coefficients)))
                mids, coeffs = grouped.setdefault(half, ([], []))
                mids.append(mid)
                coeffs.append(coefficients.T)  # nodes × panels
        self.groups = [
            (h, np.concatenate(mids), np.concatenate(coeffs, axis=1))
            for h, (mids, coeffs) in grouped.items()
        ]
        self.noise = 1e-15 * total
        self.top = top

    def _refined(
        self, sampler: _Sampler, a: float, base: float, count: int, top: float
    ) -> dict[int, np.ndarray]:
        """The mid-points of the panels, by level of halving: a panel is halved where the
        rule on it and on its two halves disagree on ∫ f e^{-iνx} (ν = 0 and the top
        frequency) by more than 1e-16 of ∫|f|, so that f's own steep parts (the bump near
        ±1) are resolved whatever the frequency."""
        nodes, weights = self.rule

        def integrals(mid: np.ndarray, half: float) -> tuple[np.ndarray, np.ndarray]:
            points = mid[:, None] + half * nodes
            values = sampler(points.ravel()).reshape(points.shape)
            kernel = np.stack([np.ones_like(points), np.exp(-1j * top * points)])
            return (kernel * values) @ weights * half, np.abs(values) @ weights * half

        done: dict[int, list[np.ndarray]] = {}
        pending = a + (2 * np.arange(count) + 1) * base
        scale = float(np.sum(integrals(pending, base)[1])) or 1.0
        level = 0
        while pending.size:
            half = base / 2**level
            coarse, _ = integrals(pending, half)
            left, right = pending - half / 2, pending + half / 2
            fine = integrals(left, half / 2)[0] + integrals(right, half / 2)[0]
            bad = np.max(np.abs(fine - coarse), axis=0) > 1e-16 * scale
            if level >= 40:
                bad[:] = False
            done.setdefault(level, []).append(pending[~bad])
            pending = np.sort(np.concatenate([left[bad], right[bad]]))
            level += 1
        return {k: np.concatenate(v) for k, v in done.items() if sum(len(m) for m in v)}

    def choose(self, a: float, b: float) -> None:
        if b > self.top:
            self._build(max(b, 2 * self.top))

    def values(self, frequencies: np.ndarray) -> np.ndarray:
        """:math:`\\sum_p e^{-i\\nu m_p} \\sum_j c_{jp} e^{-i\\nu h t_j}` for each width h: the
        exponentials cost (nodes + panels) per frequency instead of nodes × panels."""
        frequencies = np.asarray(frequencies, dtype=np.float64)
        if frequencies.size and float(np.max(frequencies)) > self.top:
            self._build(max(float(np.max(frequencies)), 2 * self.top))
        nodes = self.rule[0]
        flat = frequencies.ravel() * self.sign
        result = np.zeros(flat.shape, dtype=np.complex128)
        for h, mids, coefficients in self.groups:
            chunk = max(1, 4_000_000 // max(1, mids.size + nodes.size))
            for start in range(0, flat.size, chunk):
                nu = flat[start : start + chunk]
                inner = np.exp(-1j * np.outer(nu, h * nodes)) @ coefficients
                outer = np.exp(-1j * np.outer(nu, mids))
                result[start : start + chunk] += np.sum(inner * outer, axis=1)
        return result.reshape(frequencies.shape)


def _pieces(f: sp.Expr, x: sp.Symbol) -> tuple[list[_Piece], list[float]]:
    """The finite pieces of ``f`` (its tails truncated) and its break points."""
    report = smoothness_report(f, x)
    if report.defect is not None or not report.proved:
        raise NotSupportedError(
            f"symdl cannot prove where f = {f} is smooth, which the numeric Fourier route needs"
        )
    points = [float(p) for p in report.points]
    forms = smooth_pieces(f, x)
    edges = [-math.inf, *points, math.inf]
    pieces: list[_Piece] = []
    for a, b in itertools.pairwise(edges):
        form = next(g for lo, hi, g in forms if float(lo) <= a and b <= float(hi))
        if form == 0:
            continue
        pieces.append(_Piece(a, b, form))
    if not pieces:
        raise NotSupportedError(f"f = {f} vanishes: C_f = 0")
    if (math.isinf(pieces[0].a) or math.isinf(pieces[-1].b)) and not _decays_exponentially(f, x):
        raise NotSupportedError(
            f"f = {f} decays only algebraically: the numeric Fourier route needs "
            "exponential decay or compact support"
        )
    scale = _size(pieces, x)
    return [_truncated(p, x, scale) for p in pieces], points


def _size(pieces: list[_Piece], x: sp.Symbol) -> float:
    size = 0.0
    with mpmath.workdps(20):
        for piece in pieces:
            fn = mp_function(piece.expr, x)
            a = piece.a if math.isfinite(piece.a) else min(piece.b, 0.0) - 4
            b = piece.b if math.isfinite(piece.b) else max(piece.a, 0.0) + 4
            for t in np.linspace(a, b, 41)[1:-1]:
                try:
                    size = max(size, abs(float(fn(mpmath.mpf(float(t))))))
                except (ZeroDivisionError, ValueError, ArithmeticError, TypeError):
                    continue
    return size or 1.0


def _truncated(piece: _Piece, x: sp.Symbol, scale: float) -> _Piece:
    """An infinite piece cut where |f| has fallen below 1e-17 of f's size for good (the
    decay is exponential, proved)."""
    fn = mp_function(piece.expr, x)

    def cut(inner: float, direction: float) -> float:
        reach = max(1.0, abs(inner))
        with mpmath.workdps(30):
            while reach < 1e6:
                window = [inner + direction * reach * s for s in (1.0, 1.25, 1.5, 2.0)]
                if all(abs(fn(mpmath.mpf(t))) * (1 + abs(t)) < _NEGLIGIBLE * scale for t in window):
                    return inner + direction * reach
                reach *= 1.5
        raise NotSupportedError("f does not become negligible within |x| < 10^6")

    a, b = piece.a, piece.b
    if math.isinf(a):
        a = cut(b if math.isfinite(b) else 0.0, -1.0)
    if math.isinf(b):
        b = cut(piece.a if math.isfinite(piece.a) else 0.0, 1.0)
    return _Piece(a, b, piece.expr)


def _one_sided(expr: sp.Expr, x: sp.Symbol, point: float, side: int) -> list[float]:
    """A smooth piece's derivatives of order 0 … K just inside its end (one-sided finite
    differences at 60 digits, at an offset of 10^-25 from the end)."""
    fn = mp_function(expr, x)
    with mpmath.workdps(60):
        t = mpmath.mpf(point) + side * mpmath.mpf(10) ** -25
        return [float(mpmath.re(v)) for v in mpmath.diffs(fn, t, _ORDER, direction=side)]


def _asymptotic(
    f: sp.Expr, x: sp.Symbol, points: list[float], w: sp.Symbol
) -> tuple[sp.Expr, Callable[[np.ndarray], np.ndarray]]:
    """The expansion of :math:`\\hat f(w)` from the jumps of f'', …, :math:`f^{(K)}` at the
    break points, as a SymPy expression of w > 0 and as a NumPy function."""
    forms = smooth_pieces(f, x)
    symmetry = parity(f, x)
    jumps: dict[float, list[float]] = {}
    for p in sorted(points, key=lambda q: (abs(q), -q)):
        if symmetry != 0 and -p in jumps:
            # f(-x) = ±f(x): the jump of f^(k) at -p is ∓(-1)^k times the one at p
            jumps[p] = [-symmetry * (-1) ** k * j for k, j in enumerate(jumps[-p])]
            continue
        left = next(g for lo, hi, g in forms if float(lo) < p <= float(hi))
        right = next(g for lo, hi, g in forms if float(lo) <= p < float(hi))
        after, before = _one_sided(right, x, p, 1), _one_sided(left, x, p, -1)
        jumps[p] = [0.0, 0.0, *(r - l for r, l in zip(after[2:], before[2:], strict=True))]
    total = sp.S.Zero
    for p, values in jumps.items():
        for k, jump in enumerate(values):
            if abs(jump) > 1e-13:
                total += (
                    sp.Float(jump, 20)
                    * sp.exp(-sp.I * w * sp.nsimplify(p))
                    / (sp.I * w) ** (k + 1)
                    / (2 * sp.pi)
                )
    vectorised = _numpy_function(total, w) if total != 0 else None

    def evaluate(frequencies: np.ndarray) -> np.ndarray:
        if vectorised is None:
            return np.zeros(np.shape(frequencies), dtype=np.complex128)
        with np.errstate(all="ignore"):
            return np.broadcast_to(
                np.asarray(vectorised(frequencies), dtype=np.complex128), np.shape(frequencies)
            )

    return total, evaluate


def numeric_barron_constant(f: sp.Expr, x: sp.Symbol, *, seconds: float = 30.0) -> NumericConstant:
    """:math:`C_f = \\int |\\omega|\\,|\\hat f(\\omega)|\\,d\\omega` with :math:`\\hat f` by
    quadrature (the module's route): for a real ``f`` of one variable, smooth except at
    finitely many points it can list, with compact support or exponential decay.  Finiteness
    is not decided here: the caller proves it first.

    Raises
    ------
    NotSupportedError
        ``f`` decays only algebraically, its break points cannot all be found, or the two
        methods disagree.
    TimeLimitExceededError
        It took more than ``seconds``.

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> c = numeric_barron_constant(sp.exp(-x**2 / 2), x)  # √(2/π)
    >>> abs(c.value - 0.7978845608028654) < c.error < 1e-9
    True
    """
    w = sp.Symbol("w", positive=True)
    with deadline(seconds):
        pieces, points = _pieces(f, x)
        samplers = [_Sampler(p, x) for p in pieces]
        real = f.is_real or sp.simplify(sp.conjugate(f) - f) == 0
        first = _QuadratureTransform(samplers, _GL_X, periods=5.0)
        second = _QuadratureTransform(samplers, _FEJER_X, periods=3.5)
        methods = [[first] if real else [first, first.mirrored()]]
        methods.append([second] if real else [second, second.mirrored()])
        factor = 2.0 if real else 1.0
        rate = max([1.0, *(abs(p) for p in points)])
        step = math.pi / (4 * rate)
        expansion, asymptotic = _asymptotic(f, x, points, w)
        totals = [0.0, 0.0, 0.0]  # Gauss–Legendre in x and ω, Fejér in ω, Fejér in x
        blocks: list[float] = []
        a, b = 0.0, _FIRST
        while True:
            light = len(blocks) >= 2 and _predicted(blocks) <= 1e-6 * totals[0]
            gl, fejer = (_GL_W_LIGHT, _FEJER_W_LIGHT) if light else (_GL_W, _FEJER_W)
            half, mid = _block_pieces(methods[0], a, b, (), step, span=2)
            block = _rule_integral(methods[0], half, mid, gl)
            blocks.append(block)
            totals[0] += block
            totals[1] += _rule_integral(methods[0], half, mid, fejer)
            totals[2] += _rule_integral(methods[1], half, mid, gl)
            bound = _tail_bound(first, asymptotic, b, factor)
            if expansion == 0 and len(blocks) >= 3:
                bound = min(bound, factor * _geometric_tail(blocks))
            if bound <= 1e-9 * factor * totals[0] or b >= _LAST:
                break
            a, b = b, 2 * b
        tail = 0.0
        tail_error = bound
        if expansion != 0:
            far = modulus_integral([expansion], w, lower=b, seconds=seconds)
            tail, tail_error = far.value, bound + far.error
        values = [factor * (t + tail) for t in totals]
        disagreement = abs(values[0] - values[2])
        if disagreement > _AGREEMENT * abs(values[0]) + 2 * factor * tail_error:
            raise NotSupportedError(
                f"the two numeric transforms of f = {f} disagree on C_f ({values[0]!r} by "
                f"Gauss–Legendre, {values[2]!r} by Fejér's rule): symdl cannot give its value"
            )
        error = 2 * (disagreement + abs(values[0] - values[1]) + factor * tail_error) + 1e-14 * abs(
            values[0]
        )
        return NumericConstant(
            values[0],
            error,
            (("Gauss–Legendre", values[0]), ("Fejér", values[2])),
            b,
            factor * tail,
        )


def _predicted(blocks: list[float]) -> float:
    """The next dyadic block's share, from the ratio of the last two (∞ when growing)."""
    if len(blocks) < 2 or blocks[-2] <= 0:
        return math.inf
    ratio = blocks[-1] / blocks[-2]
    return blocks[-1] * ratio if ratio < 1 else math.inf


def _geometric_tail(blocks: list[float]) -> float:
    """Σ of the blocks after the last one, when the ratios of consecutive blocks fall (a
    decay faster than geometric, so that a geometric series with the last ratio bounds the
    rest); ∞ otherwise."""
    older, previous, last = blocks[-3:]
    if older <= 0 or previous <= 0:
        return 0.0 if last == 0 and previous == 0 else math.inf
    ratio, before = last / previous, previous / older
    if not ratio < min(before, 0.5):
        return math.inf
    return last * ratio / (1 - ratio)


def _tail_bound(
    transform: _QuadratureTransform,
    asymptotic: Callable[[np.ndarray], np.ndarray],
    cutoff: float,
    factor: float,
) -> float:
    """An estimate of the error made by replacing :math:`\\hat f` with its expansion beyond
    the cutoff W: the remainder is O(ω^{-(K+2)}); its size there, c = max |R(ω)| ω^{K+2}
    over [3W/4, W] (densely sampled, to catch the crests of an oscillation), gives
    :math:`\\int_W^\\infty \\omega\\,c\\,\\omega^{-(K+2)}d\\omega = c\\,W^{-K}/K`."""
    frequencies = np.linspace(0.75 * cutoff, cutoff, 257)
    remainder = np.abs(transform.values(frequencies) - asymptotic(frequencies))
    c = float(np.max(remainder * frequencies ** (_ORDER + 2)))
    return factor * c * cutoff ** (-_ORDER) / _ORDER
