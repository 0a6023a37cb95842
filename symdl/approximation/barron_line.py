"""Barron's constant of a function of one variable, through its Fourier transform on the line.

The pipeline, top to bottom:

1. **Smoothness** (:func:`~symdl.approximation.finiteness.smoothness_report`): a jump of f or
   f', or f' unbounded or without a limit near a point, proved by one-sided limits at the
   break points and at the hidden ones (a square root's argument vanishing), gives
   :math:`C_f = \\infty`, since :math:`C_f < \\infty` forces :math:`f \\in C^1`.
2. **The transform in closed form** (:func:`~symdl.approximation.fourier.fourier_transform`:
   the table, then SymPy, each confirmed by quadrature).  Finiteness is decided by its decay
   (:func:`~symdl.approximation.finiteness.decay_verdict`), or else by the bounded variation
   of f'' (:func:`~symdl.approximation.finiteness.third_derivative_decay`).  The integral
   :math:`\\int |\\omega||\\hat f|` is evaluated exactly where SymPy can (its zeros found
   exactly, never guessed) and always by quadrature with an error estimate
   (:func:`~symdl.approximation.barron_value.modulus_integral`), the two compared.
3. **Without a closed form** (or one that cannot be evaluated at high frequency), the
   numeric Fourier route (:mod:`~symdl.approximation.fourier_numeric`) once finiteness is
   proved: two independent quadratures of the transform that must agree; the result is then
   numeric (``exact`` is None) with its error.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math

import sympy as sp

from symdl.approximation.barron_value import (
    BarronConstant,
    _Evaluator,
    confirm_exact,
    exact_abs_integral,
    exact_integral,
    modulus,
    modulus_integral,
)
from symdl.approximation.finiteness import (
    decay_verdict,
    integrable_images,
    smoothness_report,
    third_derivative_decay,
)
from symdl.approximation.fourier import (
    FourierTransform,
    TransformMethod,
    _check_integrable,
    fourier_transform,
    validate_function,
)
from symdl.approximation.fourier_numeric import numeric_barron_constant
from symdl.approximation.fourier_quadrature import break_points, tail_form
from symdl.approximation.gradient_bound import check_barron_gradient_bound
from symdl.core.exceptions import NotSupportedError, SymdlError
from symdl.core.limits import TimeLimitExceededError, deadline

__all__ = ["barron_constant_line"]

# Seconds the quadrature of a closed form may take before the numeric route is tried, and
# SymPy may take on one exact integral.
_CLOSED_FORM_SECONDS = 6.0
_EXACT_SECONDS = 2.0


def _is_real(f: sp.Expr) -> bool:
    if f.is_real:
        return True
    try:
        with deadline(5.0):
            return bool(sp.simplify(sp.conjugate(f) - f) == 0)
    except TimeLimitExceededError:
        return False


def _informative_transform(f: sp.Expr, x: sp.Symbol, omega: sp.Symbol) -> FourierTransform | None:
    """The transform of a function whose constant is ∞, when the table has it (shown to the
    user; not needed for the value)."""
    try:
        return fourier_transform(f, x, omega, method=TransformMethod.TABLE, seconds=3.0)
    except (NotSupportedError, ValueError, TimeLimitExceededError):
        return None


def _finite_reason(f: sp.Expr, x: sp.Symbol) -> str | None:
    """A proof that C_f < ∞ from f alone, or None."""
    reason = third_derivative_decay(f, x)
    if reason is not None:
        return reason
    if integrable_images(f, x, lambda g: sp.diff(g, x), 3, 1):
        return "f is smooth with f''' integrable, so |f̂(ω)| ≤ ‖f'''‖₁/(2π|ω|³)"
    return None


def _exact_value(halves: list[sp.Expr], factor: int, w: sp.Symbol) -> sp.Expr | None:
    """∫_0^∞ w Σ|G| exactly, or None: without an absolute value when the sign of each half is
    known, else between its zeros when they can all be found."""
    total = sp.S.Zero
    for g in halves:
        size = modulus(g, w)
        if not size.has(sp.Abs):  # the sign is known: one integral
            value = exact_integral(w * size, w, seconds=_EXACT_SECONDS)
        else:
            value = exact_abs_integral(w, g, w, seconds=_EXACT_SECONDS)
        if value is None:
            return None
        total += value
    try:
        with deadline(10.0):
            return sp.simplify(factor * total)
    except TimeLimitExceededError:
        return factor * total


def _evaluable(g: sp.Expr, w: sp.Symbol) -> bool:
    """Can the closed form be evaluated at moderate frequency (32 to 64) in double precision
    or at 15 digits?  (SymPy's erfc forms of x|x|e^{-x²} cancel there.)"""
    evaluator = _Evaluator(g, w)
    try:
        evaluator.choose(32.0, 64.0)
    except (NotSupportedError, ZeroDivisionError, ValueError, ArithmeticError, TypeError):
        return False
    return evaluator.mode == "numpy" or evaluator.block_dps <= 15


def _from_closed_form(
    f: sp.Expr, x: sp.Symbol, transform: FourierTransform, seconds: float
) -> BarronConstant | None:
    """C_f from a confirmed closed form; None when its quadrature cannot be done (the
    caller then takes the numeric route)."""
    dim = sp.S.One
    w = sp.Symbol("w", positive=True)
    omega = transform.frequency
    positive, negative = transform.expr.subs(omega, w), transform.expr.subs(omega, -w)
    real = _is_real(f)
    halves, factor = ([positive], 2) if real else ([positive, negative], 1)
    if not all(_evaluable(g, w) for g in halves):
        return None  # it cancels at high frequency: the numeric route is faster and sure
    magnitude = sum((modulus(g, w) for g in halves), sp.S.Zero)
    if all(tail_form(g, w, sp.oo) == 0 for g in halves):
        converges: bool | None = True  # compact support: the integral is over a bounded set
    else:
        converges = decay_verdict(magnitude, w, sp.S.One, seconds=_EXACT_SECONDS)
    if converges is False:
        reason = "ω²|f̂(ω)| does not tend to 0, so ∫|ω||f̂(ω)|dω diverges"
        return BarronConstant(f, (x,), dim, sp.oo, math.inf, 0.0, reason, transform)
    reason = "f̂ decays fast: |ω|²√|ω| |f̂(ω)| → 0, so ∫|ω||f̂(ω)|dω converges"
    if all(tail_form(g, w, sp.oo) == 0 for g in halves):
        reason = "f̂ is bounded with bounded support, so ∫|ω||f̂(ω)|dω is finite"
    if converges is None:
        proof = _finite_reason(f, x)
        if proof is None:
            raise NotSupportedError(
                f"symdl cannot decide whether C_f of {f} is finite: the decay of its "
                f"transform {transform.expr} is neither fast (|ω|²√|ω| |f̂| → 0) nor slow "
                "(ω²|f̂| ↛ 0), and f'' is not shown to have bounded variation"
            )
        reason = proof
    kinks = sorted({float(p) for g in halves for p in break_points(g, w) if p.is_positive})
    try:
        integral = modulus_integral(
            halves, w, kinks=kinks, seconds=min(seconds, _CLOSED_FORM_SECONDS)
        )
    except (NotSupportedError, TimeLimitExceededError):
        return None
    numeric, error = factor * integral.value, factor * integral.error
    exact = _exact_value(halves, factor, w)
    try:
        confirm_exact(exact, numeric, error, f)
    except SymdlError:  # SymPy's integral is the suspect: the two quadratures agreed
        reason += f"; SymPy's exact integral {exact} disagrees with the quadrature, not used"
        exact = None
    if exact is None:
        reason += (
            f"; the value by quadrature of the transform's closed form (Gauss–Legendre "
            f"{numeric!r}, Fejér {factor * integral.second!r})"
        )
    return BarronConstant(f, (x,), dim, exact, numeric, error, reason, transform)


def barron_constant_line(f: sp.Expr, x: sp.Symbol, *, seconds: float = 60.0) -> BarronConstant:
    """Barron's constant of ``f`` in one variable ``x`` (the module's pipeline): ∞ when f is
    not C¹; else from the closed-form transform, exactly where SymPy integrates it and by
    quadrature always; else by the numeric Fourier route.

    Raises
    ------
    ValueError
        ``f`` has no Fourier transform as a function (it grows, does not decay, has a pole).
    NotSupportedError
        Finiteness cannot be decided, or no route reaches the value.
    TimeLimitExceededError
        It took more than ``seconds``.

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> barron_constant_line(sp.sin(x) / x, x).exact
    1/2
    >>> barron_constant_line(sp.sqrt(x**2 + x**4) * sp.exp(-x**2), x).exact
    oo
    """
    f = validate_function(f, [x])
    dim = sp.S.One
    omega = sp.Symbol("omega", real=True)
    with deadline(seconds):
        report = smoothness_report(f, x)
        if report.unbounded:
            _check_integrable(f, x)  # a pole: no transform, bad input (ValueError)
        if report.defect is not None:  # C_f < ∞ ⇒ f ∈ C¹ (Barron 1993, Section III)
            reason = f"f is not C¹ ({report.defect}), and C_f < ∞ would make f C¹"
            transform = _informative_transform(f, x, omega)
            return BarronConstant(f, (x,), dim, sp.oo, math.inf, 0.0, reason, transform)
        try:
            closed: FourierTransform | None = fourier_transform(f, x, omega, seconds=seconds)
        except NotSupportedError:
            closed = None
        result = None if closed is None else _from_closed_form(f, x, closed, seconds)
        if result is None:
            proof = _finite_reason(f, x)
            if proof is None:
                raise NotSupportedError(
                    f"symdl cannot decide whether C_f of {f} is finite: no closed form of "
                    "its transform was confirmed, and f'' is not shown to have bounded "
                    "variation"
                )
            found = numeric_barron_constant(f, x, seconds=seconds)
            methods = ", ".join(f"{name} {value!r}" for name, value in found.estimates)
            reason = f"{proof}; the value by the numeric Fourier route ({methods})"
            result = BarronConstant(f, (x,), dim, None, found.value, found.error, reason, closed)
        if result.finite:
            # the check differentiates f: steps as pieces, so that no DiracDelta appears
            steps = result.function.replace(
                sp.Heaviside,
                lambda arg, *at: sp.Piecewise(
                    (1, arg > 0), (at[0] if at else sp.S.Half, sp.Eq(arg, 0)), (0, True)
                ),
            )
            # NumPy may not evaluate f' (erf, Bessel J): then the sanity check is skipped
            with contextlib.suppress(TypeError, NameError, ZeroDivisionError, OverflowError):
                check_barron_gradient_bound(dataclasses.replace(result, function=steps))
        return result
