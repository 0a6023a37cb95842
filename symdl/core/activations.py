"""Activation functions: one definition each, registered once with every form.

Every :class:`Activation` carries

- its exact SymPy form (``act(z)``) and its exact derivative (``act.derivative(z)``), the
  latter with an explicit convention at the kinks (``Activation.derivative_at_kinks``);
- an independently written, numerically stable NumPy form and derivative, used by
  :mod:`symdl.core.numeric` to cross-check the symbolic path (never obtained by lambdifying);
- an mpmath form and derivative (the high-precision evaluators and the referee use them);
- its LaTeX name, its plain-text name and the names a student's answer may use for it
  (``Activation.parser_names``);
- its piecewise-linear form (:class:`PiecewiseLinearForm`: breakpoints, slopes and intercept;
  ``None`` when it is not piecewise linear), which the exact depth and landscape code read.

The registry :data:`ACTIVATIONS` holds the built-in activations; a course adds its own with
:func:`register_activation` (checked when registered: its forms must be one function) and
removes it with :func:`unregister_activation`, or registers it for a ``with`` block only with
:func:`registered_activation`.  Every part of symdl that needs a fact about an activation (the
parser, the printers, the mistake models, the depth code, the referee) reads it from here.

Conventions at kinks: ReLU'(0) = 0 by default, as PyTorch and
``jax.nn.relu`` use; it is selectable because tools disagree (SymPy's ``Max`` and
``jnp.maximum`` give 1/2, SymPy's ``Piecewise`` gives 1).  SymPy's bare ``Heaviside(0)`` is
1/2: symdl always writes ``Heaviside(z, h0)`` with the convention's value ``h0``.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import itertools
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import mpmath
import numpy as np
import sympy as sp
from numpy.typing import NDArray

from symdl.core.exact import exact_rational
from symdl.core.exceptions import did_you_mean

# the named SymPy functions live in special_functions.py; re-exported as part of this API
from symdl.core.special_functions import ELU, Sigmoid, Softplus

__all__ = [
    "ACTIVATIONS",
    "ELU",
    "RESERVED_PARSER_NAMES",
    "Activation",
    "Kink",
    "PiecewiseLinearForm",
    "Sigmoid",
    "Softplus",
    "activation_applied",
    "activation_of_function",
    "elu",
    "get_activation",
    "leaky_relu",
    "parser_activations",
    "pin_heaviside",
    "register_activation",
    "registered_activation",
    "relu",
    "softmax",
    "unregister_activation",
]

FloatArray = NDArray[np.float64]
MpForm = Callable[[Any, Any], Any]
"""``(ctx, x) -> value``: an mpmath form, evaluated in the mpmath context ``ctx``."""


class Kink(enum.Enum):
    """The value chosen for the derivative of a ReLU-type function at its kink."""

    ZERO = 0  # PyTorch, jax.nn.relu
    HALF = 1  # SymPy's Max, jnp.maximum
    ONE = 2  # SymPy's Piecewise((x, x >= 0), ...)

    @property
    def value_at_zero(self) -> sp.Rational:
        return (sp.S.Zero, sp.S.Half, sp.S.One)[self.value]


def _rational(name: str, value: object) -> sp.Rational:
    """An exact rational parameter, through the one converter of user values."""
    try:
        return exact_rational(value, name=name)
    except TypeError as error:
        raise TypeError(
            f"{error} (symdl needs {name} as an exact rational number: an int, a "
            f"fractions.Fraction or a sympy.Rational)"
        ) from None


@dataclass(frozen=True)
class PiecewiseLinearForm:
    r"""A continuous piecewise-linear function of one variable, by its breakpoints and slopes.

    .. math::

        f(z) = c + s_0 z + \sum_{k} (s_{k+1} - s_k) \max(0, z - b_k),

    so :math:`f` has slope :math:`s_0` left of :math:`b_0`, slope :math:`s_k` between
    :math:`b_{k-1}` and :math:`b_k`, and :math:`f(z) = c + s_0 z` left of :math:`b_0`.

    Parameters
    ----------
    breakpoints
        The points :math:`b_0 < b_1 < \dots` where the slope changes (exact rationals).
    slopes
        The slopes :math:`s_0, \dots, s_K` of the pieces, one more than the breakpoints.
    intercept
        The intercept :math:`c` of the leftmost piece (default 0).

    Examples
    --------
    >>> import sympy as sp
    >>> hard_tanh = PiecewiseLinearForm((-1, 1), (0, 1, 0), intercept=-1)
    >>> [hard_tanh.value(x) for x in (-3, sp.Rational(1, 2), 3)]
    [-1, 1/2, 1]
    >>> PiecewiseLinearForm((0,), (0, 1)).positively_homogeneous
    True
    """

    breakpoints: tuple[sp.Rational, ...]
    slopes: tuple[sp.Rational, ...]
    intercept: sp.Rational = sp.S.Zero

    def __post_init__(self) -> None:
        for name in ("breakpoints", "slopes"):
            if not isinstance(getattr(self, name), (tuple, list)):
                raise TypeError(
                    f"PiecewiseLinearForm {name}={getattr(self, name)!r} must be a tuple of "
                    f"exact rationals"
                )
        points = tuple(_rational("breakpoint", b) for b in self.breakpoints)
        slopes = tuple(_rational("slope", s) for s in self.slopes)
        if len(slopes) != len(points) + 1:
            raise ValueError(
                f"PiecewiseLinearForm has {len(points)} breakpoints and {len(slopes)} slopes; "
                f"give one slope more than breakpoints (one per piece)"
            )
        if any(a >= b for a, b in itertools.pairwise(points)):
            raise ValueError(
                f"PiecewiseLinearForm breakpoints {[str(b) for b in points]} must increase strictly"
            )
        object.__setattr__(self, "breakpoints", points)
        object.__setattr__(self, "slopes", slopes)
        object.__setattr__(self, "intercept", _rational("intercept", self.intercept))

    def __call__(self, z: sp.Expr) -> sp.Expr:
        """The exact function at a SymPy expression, as a sum of ramps ``Max(0, z - b)``."""
        s = self.slopes
        ramps = [(s[k + 1] - s[k]) * sp.Max(0, z - b) for k, b in enumerate(self.breakpoints)]
        return sp.Add(self.intercept, s[0] * z, *ramps)

    def value(self, x: object) -> sp.Rational:
        """The exact value at a rational number ``x``."""
        point = _rational("x", x)
        total = self.intercept + self.slopes[0] * point
        for k, b in enumerate(self.breakpoints):
            if point > b:
                total += (self.slopes[k + 1] - self.slopes[k]) * (point - b)
        return sp.Rational(total)

    @property
    def is_identity(self) -> bool:
        """Whether the function is :math:`z \\mapsto z`."""
        return not self.breakpoints and self.slopes == (1,) and self.intercept == 0

    @property
    def negative_slope(self) -> sp.Rational | None:
        """:math:`a` when the function is :math:`\\max(az, z)`-shaped (one breakpoint at 0,
        slope 1 on the right, value 0 at 0: ReLU, leaky ReLU), else ``None``."""
        if self.breakpoints == (0,) and self.slopes[1] == 1 and self.intercept == 0:
            return self.slopes[0]
        return None

    @property
    def positively_homogeneous(self) -> bool:
        """Whether :math:`f(\\alpha z) = \\alpha f(z)` for every :math:`\\alpha > 0`: no
        intercept and no breakpoint other than 0."""
        return self.intercept == 0 and self.breakpoints in ((), (0,))


@dataclass(frozen=True)
class Activation:
    r"""An activation function with every form symdl uses, defined once.

    Parameters
    ----------
    name
        The registry key (``"relu"``).
    latex
        The LaTeX name a lecturer writes (``r"\sigma"``).
    sympy_form, sympy_derivative
        Functions from a SymPy expression to the exact activation and its derivative.
    numpy_form, numpy_derivative
        Independently written NumPy functions of an array (numerically stable).
    kinks
        The points where the function is not differentiable.
    kink_note
        The convention used at the kinks, in words.
    piecewise_linear
        True for a piecewise-linear activation (set automatically when ``linear_pieces`` is
        given).
    params
        The parameters the activation was built with (``{"a": 1/10}`` for leaky ReLU).
    parser_names
        The names a student's answer may call it by (``("relu", "ReLU")``); letters only, no
        name of a standard function (:data:`RESERVED_PARSER_NAMES`).  Empty: the parser does not
        know it.
    text
        Its name in plain text (``"σ"``); default: ``name``.
    mpmath_form, mpmath_derivative
        ``(ctx, x) -> value`` in the mpmath context ``ctx`` (``mpmath.mp`` or a private
        ``MPContext``), written from the definition; ``None`` if not given.
    linear_pieces
        Its :class:`PiecewiseLinearForm` when it is piecewise linear, else ``None``.
    derivative_at_kinks
        The value the derivative takes at each kink (the convention), one per kink.
    model_mistakes
        Whether :mod:`symdl.grading.mistakes` models the chain-rule mistakes for it (its
        derivative written as itself, or left out).

    Examples
    --------
    >>> import sympy as sp
    >>> act = ACTIVATIONS["relu"]
    >>> act(sp.Integer(-2)), act.derivative_at_kinks, act.linear_pieces.slopes
    (0, (0,), (0, 1))
    """

    name: str
    latex: str
    sympy_form: Callable[[sp.Expr], sp.Expr] = field(repr=False)
    sympy_derivative: Callable[[sp.Expr], sp.Expr] = field(repr=False)
    numpy_form: Callable[[FloatArray], FloatArray] = field(repr=False)
    numpy_derivative: Callable[[FloatArray], FloatArray] = field(repr=False)
    kinks: tuple[sp.Rational, ...] = ()
    kink_note: str = ""
    piecewise_linear: bool = False
    params: Mapping[str, sp.Expr] = field(default_factory=dict)
    parser_names: tuple[str, ...] = ()
    text: str = ""
    mpmath_form: MpForm | None = field(default=None, repr=False)
    mpmath_derivative: MpForm | None = field(default=None, repr=False)
    linear_pieces: PiecewiseLinearForm | None = None
    derivative_at_kinks: tuple[sp.Expr, ...] = ()
    model_mistakes: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not _NAME.fullmatch(self.name):
            raise ValueError(
                f"activation name {self.name!r} must be a word of letters, digits and "
                f"underscores starting with a letter (e.g. 'swish')"
            )
        if isinstance(self.parser_names, str):
            raise TypeError(
                f"parser_names={self.parser_names!r} is a string; give a tuple of names, "
                f"e.g. ({self.parser_names!r},)"
            )
        object.__setattr__(self, "parser_names", tuple(self.parser_names))
        object.__setattr__(self, "kinks", tuple(_rational("kink", k) for k in self.kinks))
        values = tuple(sp.sympify(v, strict=True) for v in self.derivative_at_kinks)
        if values and len(values) != len(self.kinks):
            raise ValueError(
                f"activation {self.name!r} gives {len(values)} derivative values at its "
                f"{len(self.kinks)} kinks; give one per kink (derivative_at_kinks)"
            )
        object.__setattr__(self, "derivative_at_kinks", values)
        if self.linear_pieces is not None:
            if not isinstance(self.linear_pieces, PiecewiseLinearForm):
                raise TypeError(
                    f"linear_pieces={self.linear_pieces!r} must be a PiecewiseLinearForm or None"
                )
            object.__setattr__(self, "piecewise_linear", True)
        if not self.text:
            object.__setattr__(self, "text", self.name)

    def __call__(self, z: sp.Expr) -> sp.Expr:
        """The exact activation of a SymPy expression (or number)."""
        return self.sympy_form(_argument(z))

    def derivative(self, z: sp.Expr) -> sp.Expr:
        """The exact derivative at ``z``, with the stated convention at kinks."""
        return self.sympy_derivative(_argument(z))

    def numpy(self, x: FloatArray) -> FloatArray:
        """The NumPy form, evaluated elementwise."""
        return self.numpy_form(np.asarray(x, dtype=float))

    def numpy_diff(self, x: FloatArray) -> FloatArray:
        """The NumPy derivative, evaluated elementwise (same kink convention)."""
        return self.numpy_derivative(np.asarray(x, dtype=float))

    @functools.cached_property
    def _applied(self) -> sp.Expr:
        return self.sympy_form(_Z)

    @property
    def head(self) -> type | None:
        """The SymPy class at the top of ``act(z)`` (``Sigmoid``, ``Max``), or ``None`` for
        an activation that returns its argument or a constant."""
        applied = self._applied
        if applied == _Z or not applied.has(_Z):
            return None
        return type(applied)

    @property
    def function(self) -> type | None:
        """The one-argument SymPy function class ``F`` with ``act(z) = F(z)`` (``Sigmoid``,
        ``tanh``), or ``None``."""
        applied = self._applied
        if isinstance(applied, sp.Function) and applied.args == (_Z,):
            return type(applied)
        return None

    def argument_of(self, node: sp.Basic) -> sp.Expr | None:
        """The argument ``u`` when ``node`` is this activation applied to ``u``, else ``None``.

        Examples
        --------
        >>> import sympy as sp
        >>> x = sp.Symbol("x", real=True)
        >>> ACTIVATIONS["relu"].argument_of(sp.Max(0, 2 * x)), ACTIVATIONS["tanh"].argument_of(x)
        (2*x, None)
        """
        head, arguments = self.head, node.args
        if head is None or type(node) is not head:
            return None
        for u in arguments:
            try:
                if self.sympy_form(u) == node:
                    return u
            except (TypeError, ValueError):
                continue
        return None


_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_PARSER_NAME = re.compile(r"[A-Za-z]+")
_Z = sp.Dummy("z", real=True)

RESERVED_PARSER_NAMES = frozenset(
    [
        *("exp", "log", "ln", "sqrt", "abs", "sign", "sgn", "max", "min", "heaviside"),
        *("sin", "cos", "tan", "sec", "csc", "cot", "sinh", "cosh", "sech", "csch", "coth"),
        *("arcsin", "arccos", "arctan", "arctanh", "asin", "acos", "atan", "atanh"),
        *("Abs", "Max", "Min", "Heaviside", "e", "E", "pi", "I", "oo", "T"),
    ]
)
"""Names a registered activation may not take in the parser (the standard functions and
constants of an answer)."""


def _argument(z: object) -> sp.Expr:
    # Text is never parsed (sympify would evaluate it): only numbers and SymPy objects pass.
    if isinstance(z, (str, bytes)):
        raise TypeError(
            f"z={z!r} is text, which symdl never parses; build the argument with SymPy "
            f"(e.g. sympy.Symbol('z', real=True) + 1) or pass a number"
        )
    try:
        return sp.sympify(z, strict=True)
    except sp.SympifyError:
        raise TypeError(
            f"z={z!r} (type {type(z).__name__}) is not a number or a SymPy expression; "
            f"accepted: int, fractions.Fraction, sympy.Rational or a SymPy expression"
        ) from None


def pin_heaviside(expr: sp.Expr, at_zero: sp.Expr = sp.S.Zero) -> sp.Expr:
    """Replace every bare ``Heaviside(u)`` (which is 1/2 at 0) by ``Heaviside(u, at_zero)``.

    SymPy stores a bare ``Heaviside(u)`` as ``Heaviside(u, 1/2)``: every Heaviside with the
    value 1/2 at 0 is rewritten.

    ``sympy.diff`` of ``Max(0, z)`` returns a bare Heaviside; this pins the kink convention.

    Examples
    --------
    >>> import sympy as sp
    >>> z = sp.Symbol("z", real=True)
    >>> pin_heaviside(sp.Max(0, z).diff(z)).subs(z, 0)
    0
    """
    return expr.replace(
        lambda e: isinstance(e, sp.Heaviside) and e.args[1] == sp.S.Half,
        lambda e: sp.Heaviside(e.args[0], at_zero),
    )


def softmax(o: sp.Matrix) -> sp.Matrix:
    r"""The exact softmax :math:`\sigma(o)_j = e^{o_j} / \sum_k e^{o_k}` of a vector.

    Not elementwise, so not an :class:`Activation`: it is the output of
    :class:`symdl.core.layers.SoftmaxLayer` and the probability estimate of the losses.

    Examples
    --------
    >>> import sympy as sp
    >>> softmax(sp.Matrix([0, 0]))
    Matrix([
    [1/2],
    [1/2]])
    """
    exps = o.applyfunc(sp.exp)
    return exps / sp.Add(*exps)


# --- independent NumPy forms (written by hand, numerically stable) ---------------------------


def _np_sigmoid(x: FloatArray) -> FloatArray:
    # σ(x) = 1/(1 + e^{-x}) for x ≥ 0 and e^{x}/(1 + e^{x}) for x < 0: no overflow anywhere.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _np_softplus(x: FloatArray) -> FloatArray:
    # log(1 + e^x) = max(x, 0) + log1p(e^{-|x|})
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def _np_elu(alpha: float) -> Callable[[FloatArray], FloatArray]:
    def form(x: FloatArray) -> FloatArray:
        return np.where(x >= 0, x, alpha * np.expm1(np.minimum(x, 0.0)))

    return form


def _np_elu_derivative(alpha: float) -> Callable[[FloatArray], FloatArray]:
    def derivative(x: FloatArray) -> FloatArray:
        return np.where(x >= 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))

    return derivative


# --- mpmath forms (from the definitions; ctx is an mpmath context) ---------------------------


def _mp_sigmoid(ctx: Any, x: Any) -> Any:
    return 1 / (1 + ctx.exp(-x))


def _mp_number(ctx: Any, value: sp.Rational) -> Any:
    return ctx.mpf(int(value.p)) / int(value.q)


# --- constructors of the parametrised activations ---------------------------------------------


def relu(*, at_zero: Kink | sp.Rational | int = Kink.ZERO) -> Activation:
    r"""The rectified linear unit :math:`\max(0, z)`.

    Parameters
    ----------
    at_zero
        The value of ReLU'(0): a :class:`Kink` or one of 0, 1/2, 1.  Default 0 (PyTorch).

    Examples
    --------
    >>> import sympy as sp
    >>> relu().derivative(sp.Integer(0)), relu(at_zero=Kink.HALF).derivative(sp.Integer(0))
    (0, 1/2)

    References
    ----------
    V. Nair and G. E. Hinton, "Rectified linear units improve restricted Boltzmann machines",
    ICML 2010; the convention ReLU'(0) = 0 is PyTorch's and ``jax.nn.relu``'s.
    """
    if not isinstance(at_zero, Kink):
        value = _rational("at_zero", at_zero)
        accepted = {kink.value_at_zero: kink for kink in Kink}
        if value not in accepted:
            raise ValueError(f"at_zero={at_zero!r} is not a ReLU'(0) convention; use 0, 1/2 or 1")
        at_zero = accepted[value]
    h0 = at_zero.value_at_zero
    h0_float = float(h0)
    return Activation(
        name="relu",
        latex=r"\operatorname{ReLU}",
        sympy_form=lambda z: sp.Max(sp.S.Zero, z),
        sympy_derivative=lambda z: sp.Heaviside(z, h0),
        numpy_form=lambda x: np.maximum(x, 0.0),
        numpy_derivative=lambda x: np.where(x > 0, 1.0, np.where(x < 0, 0.0, h0_float)),
        kinks=(sp.S.Zero,),
        kink_note=f"ReLU'(0) = {h0}",
        params=MappingProxyType({"at_zero": h0}),
        parser_names=("relu", "ReLU"),
        text="ReLU",
        mpmath_form=lambda c, x: x if x > 0 else c.mpf(0),
        mpmath_derivative=lambda c, x: c.mpf(1 if x > 0 else 0) if x != 0 else _mp_number(c, h0),
        linear_pieces=PiecewiseLinearForm((sp.S.Zero,), (sp.S.Zero, sp.S.One)),
        derivative_at_kinks=(h0,),
    )


LEAKY_RELU_SLOPE = sp.Rational(1, 10)
"""The lecture's default slope of leaky ReLU for negative inputs."""


def leaky_relu(*, a: sp.Rational | int = LEAKY_RELU_SLOPE) -> Activation:
    r"""Leaky ReLU :math:`\max(az, z)` with slope :math:`a \in [0, 1)` for negative inputs.

    The lecture's default is :math:`a = 1/10`.  The derivative at 0 is :math:`a` (the left
    derivative, the same convention as ReLU'(0) = 0).

    Examples
    --------
    >>> import sympy as sp
    >>> leaky_relu()(sp.Integer(-5)), leaky_relu(a=sp.Rational(1, 5)).derivative(sp.Integer(0))
    (-1/2, 1/5)

    References
    ----------
    A. L. Maas, A. Y. Hannun and A. Y. Ng, "Rectifier nonlinearities improve neural network
    acoustic models", ICML 2013 workshop.
    """
    slope = _rational("a", a)
    if not 0 <= slope < 1:
        raise ValueError(f"leaky ReLU slope a={slope} must lie in [0, 1)")
    slope_float = float(slope)
    return Activation(
        name="leaky_relu",
        latex=r"\operatorname{LReLU}",
        sympy_form=lambda z: sp.Max(slope * z, z),
        sympy_derivative=lambda z: sp.Piecewise((sp.S.One, z > 0), (slope, True)),
        numpy_form=lambda x: np.where(x > 0, x, slope_float * x),
        numpy_derivative=lambda x: np.where(x > 0, 1.0, slope_float),
        kinks=(sp.S.Zero,),
        kink_note=f"LReLU'(0) = a = {slope}",
        params=MappingProxyType({"a": slope}),
        text="LReLU",
        mpmath_form=lambda c, x: x if x > 0 else _mp_number(c, slope) * x,
        mpmath_derivative=lambda c, x: c.mpf(1) if x > 0 else _mp_number(c, slope),
        linear_pieces=PiecewiseLinearForm((sp.S.Zero,), (slope, sp.S.One)),
        derivative_at_kinks=(slope,),
        model_mistakes=False,
    )


def elu(*, alpha: sp.Rational | int = 1) -> Activation:
    r"""The exponential linear unit: :math:`z` for :math:`z \ge 0`, :math:`\alpha(e^z - 1)` else.

    Its derivative is continuous only for :math:`\alpha = 1`; at 0 symdl takes the right
    derivative 1.

    Examples
    --------
    >>> import sympy as sp
    >>> elu().derivative(sp.Integer(-1))
    exp(-1)

    References
    ----------
    D.-A. Clevert, T. Unterthiner and S. Hochreiter, "Fast and accurate deep network learning
    by exponential linear units (ELUs)", ICLR 2016, eq. (15).
    """
    value = _rational("alpha", alpha)
    if value <= 0:
        raise ValueError(f"ELU alpha={value} must be positive")
    alpha_float = float(value)
    return Activation(
        name="elu",
        latex=r"\operatorname{ELU}",
        sympy_form=lambda z: ELU(z, value),
        sympy_derivative=lambda z: sp.Piecewise((sp.S.One, z >= 0), (value * sp.exp(z), True)),
        numpy_form=_np_elu(alpha_float),
        numpy_derivative=_np_elu_derivative(alpha_float),
        kinks=() if value == 1 else (sp.S.Zero,),
        kink_note="ELU'(0) = 1 (right derivative)",
        params=MappingProxyType({"alpha": value}),
        text="ELU",
        mpmath_form=lambda c, x: x if x >= 0 else _mp_number(c, value) * c.expm1(x),
        mpmath_derivative=lambda c, x: c.mpf(1) if x >= 0 else _mp_number(c, value) * c.exp(x),
        derivative_at_kinks=() if value == 1 else (sp.S.One,),
        model_mistakes=False,
    )


IDENTITY = Activation(
    name="identity",
    latex=r"\operatorname{id}",
    sympy_form=lambda z: z,
    sympy_derivative=lambda z: sp.S.One,
    numpy_form=lambda x: x.copy(),
    numpy_derivative=lambda x: np.ones_like(x),
    text="id",
    mpmath_form=lambda c, x: x,
    mpmath_derivative=lambda c, x: c.mpf(1),
    linear_pieces=PiecewiseLinearForm((), (sp.S.One,)),
    model_mistakes=False,
)

STEP = Activation(
    name="step",
    latex=r"\mathbb{1}",
    sympy_form=lambda z: sp.Heaviside(z, sp.S.One),
    sympy_derivative=lambda z: sp.S.Zero,
    numpy_form=lambda x: np.where(x >= 0, 1.0, 0.0),
    numpy_derivative=lambda x: np.zeros_like(x),
    kinks=(sp.S.Zero,),
    kink_note="H(0) = 1 (the perceptron); the derivative is 0 away from 0, and taken 0 at 0",
    text="1",
    mpmath_form=lambda c, x: c.mpf(1) if x >= 0 else c.mpf(0),
    mpmath_derivative=lambda c, x: c.mpf(0),
    derivative_at_kinks=(sp.S.Zero,),
    model_mistakes=False,
)

SIGMOID = Activation(
    name="sigmoid",
    latex=r"\sigma",
    sympy_form=Sigmoid,
    sympy_derivative=lambda z: Sigmoid(z) * (1 - Sigmoid(z)),
    numpy_form=_np_sigmoid,
    numpy_derivative=lambda x: _np_sigmoid(x) * _np_sigmoid(-x),
    parser_names=("sigmoid", "sigma", "Sigmoid"),
    text="σ",
    mpmath_form=_mp_sigmoid,
    mpmath_derivative=lambda c, x: _mp_sigmoid(c, x) * _mp_sigmoid(c, -x),
)

TANH = Activation(
    name="tanh",
    latex=r"\tanh",
    sympy_form=sp.tanh,
    sympy_derivative=lambda z: 1 - sp.tanh(z) ** 2,
    numpy_form=np.tanh,
    numpy_derivative=lambda x: 1.0 / np.cosh(np.minimum(np.abs(x), 350.0)) ** 2,
    parser_names=("tanh",),
    mpmath_form=lambda c, x: c.tanh(x),
    mpmath_derivative=lambda c, x: c.sech(x) ** 2,
)

SOFTPLUS = Activation(
    name="softplus",
    latex=r"\operatorname{softplus}",
    sympy_form=Softplus,
    sympy_derivative=Sigmoid,
    numpy_form=_np_softplus,
    numpy_derivative=_np_sigmoid,
    parser_names=("softplus",),
    mpmath_form=lambda c, x: c.log1p(c.exp(x)),
    mpmath_derivative=_mp_sigmoid,
    model_mistakes=False,
)


# --- the registry -------------------------------------------------------------------------------

_REGISTRY: dict[str, Activation] = {
    act.name: act for act in (IDENTITY, STEP, SIGMOID, TANH, relu(), leaky_relu(), elu(), SOFTPLUS)
}
_BUILT_IN = frozenset(_REGISTRY)
_FACTORIES: dict[str, Callable[..., Activation]] = {
    "relu": relu,
    "leaky_relu": leaky_relu,
    "elu": elu,
}

ACTIVATIONS: Mapping[str, Activation] = MappingProxyType(_REGISTRY)
"""The activation registry, name → :class:`Activation` with default parameters (a read-only
view, which shows what :func:`register_activation` adds)."""


def parser_activations() -> Mapping[str, Activation]:
    """The registered activations by the names an answer may call them (``"σ"`` is read as
    ``sigma``).

    Examples
    --------
    >>> sorted(parser_activations())
    ['ReLU', 'Sigmoid', 'relu', 'sigma', 'sigmoid', 'softplus', 'tanh']
    """
    return MappingProxyType({word: act for act in _REGISTRY.values() for word in act.parser_names})


def activation_of_function(cls: type) -> Activation | None:
    """The registered activation ``act`` with ``act(z) = cls(z)``, or ``None``.

    The referee and the printers use it for a course's own SymPy function class.

    Examples
    --------
    >>> activation_of_function(Sigmoid).name, activation_of_function(ELU)
    ('sigmoid', None)
    """
    for act in _REGISTRY.values():
        if act.function is cls:
            return act
    return None


def activation_applied(
    node: sp.Basic, *, among: Callable[[Activation], bool] | None = None
) -> tuple[Activation, sp.Expr] | None:
    """``(activation, u)`` when ``node`` is a registered activation applied to ``u``.

    Parameters
    ----------
    node
        A SymPy expression.
    among
        A test that selects the activations considered (default: all).

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x", real=True)
    >>> act, u = activation_applied(sp.Max(0, x + 1))
    >>> act.name, u
    ('relu', x + 1)
    """
    for act in _REGISTRY.values():
        if among is not None and not among(act):
            continue
        u = act.argument_of(node)
        if u is not None:
            return act, u
    return None


def _sample_points(act: Activation) -> list[sp.Rational]:
    special = set(act.kinks)
    if act.linear_pieces is not None:
        special |= set(act.linear_pieces.breakpoints)
    candidates = [sp.Rational(n, 7) for n in (-17, -9, -4, -1, 2, 5, 11, 20)]
    points = [x for x in candidates if x not in special]
    for kink in sorted(special):
        points += [kink - sp.Rational(1, 13), kink + sp.Rational(1, 13)]
    return points


def _disagree(got: float, expected: float) -> bool:
    return not math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-12)


def _check_forms(act: Activation) -> None:
    """Each form of ``act`` against its SymPy form, at exact sample points (and its kinks)."""

    def fail(what: str, x: sp.Expr, got: object, expected: object) -> None:
        raise ValueError(
            f"activation {act.name!r}: its {what} gives {got} at z = {x}, where its SymPy form "
            f"gives {expected}; the forms of one activation must be the same function"
        )

    points = _sample_points(act)
    floats = np.array([float(x) for x in points])
    values = act.numpy(floats)
    slopes = act.numpy_diff(floats)
    for i, x in enumerate(points):
        exact, slope = act(x), act.derivative(x)
        expected, expected_slope = float(sp.N(exact, 20)), float(sp.N(slope, 20))
        if _disagree(float(values[i]), expected):
            fail("NumPy form", x, values[i], expected)
        if _disagree(float(slopes[i]), expected_slope):
            fail("NumPy derivative", x, slopes[i], expected_slope)
        symbolic = sp.diff(act.sympy_form(_Z), _Z)
        if symbolic.has(sp.Derivative, sp.Subs):
            raise ValueError(
                f"activation {act.name!r}: sympy.diff cannot differentiate its SymPy form, so "
                f"its SymPy derivative cannot be checked; give its function class an fdiff "
                f"method (the derivative in its argument)"
            )
        by_diff = float(sp.N(symbolic.subs(_Z, x), 20))
        if _disagree(by_diff, expected_slope):
            fail("SymPy derivative", x, slope, f"the derivative {by_diff}")
        if act.linear_pieces is not None and act.linear_pieces.value(x) != exact:
            fail("piecewise-linear form", x, act.linear_pieces.value(x), exact)
        with mpmath.workdps(30):
            for what, form, target in (
                ("mpmath form", act.mpmath_form, exact),
                ("mpmath derivative", act.mpmath_derivative, slope),
            ):
                if form is not None:
                    got = form(mpmath.mp, mpmath.mpf(int(x.p)) / int(x.q))
                    if _disagree(float(got), float(sp.N(target, 20))):
                        fail(what, x, got, target)
    for kink, value in zip(act.kinks, act.derivative_at_kinks, strict=False):
        if act.derivative(kink) != value:
            fail("derivative at the kink", kink, act.derivative(kink), f"the convention {value}")
        got = float(act.numpy_diff(np.array([float(kink)]))[0])
        if _disagree(got, float(value)):
            fail("NumPy derivative at the kink", kink, got, f"the convention {value}")


def register_activation(
    activation: Activation, *, factory: Callable[..., Activation] | None = None
) -> Activation:
    r"""Add an activation to the registry, after checking that its forms agree.

    From then on ``Network.mlp(..., "name")``, ``get_activation("name")``, the answer parser
    (its ``parser_names``), the printers, the mistake models, the depth code
    (its ``linear_pieces``) and the referee (its mpmath form) know it.

    Parameters
    ----------
    activation
        The :class:`Activation`.  Its NumPy form and derivative, its mpmath forms, its
        piecewise-linear form and its derivative at the kinks are compared with its SymPy
        form at exact sample points; its SymPy derivative with ``sympy.diff`` of its SymPy
        form away from the kinks.
    factory
        A function of keyword-only parameters that builds the activation with other
        parameters (``get_activation(name, beta=2)`` calls ``factory(beta=2)``).

    Returns
    -------
    Activation
        ``activation`` itself.

    Raises
    ------
    ValueError
        If the name or a parser name is taken, a parser name is not letters only, or two
        forms disagree (the message names the form and the point).

    Examples
    --------
    >>> import numpy as np, sympy as sp
    >>> swish = Activation(
    ...     name="swish", latex=r"\operatorname{swish}",
    ...     sympy_form=lambda z: z * Sigmoid(z),
    ...     sympy_derivative=lambda z: Sigmoid(z) + z * Sigmoid(z) * (1 - Sigmoid(z)),
    ...     numpy_form=lambda x: x / (1 + np.exp(-x)),
    ...     numpy_derivative=lambda x: (1 + np.exp(-x) + x * np.exp(-x)) / (1 + np.exp(-x))**2,
    ...     parser_names=("swish",))
    >>> with registered_activation(swish):
    ...     get_activation("swish")(sp.Integer(0)), "swish" in parser_activations()
    (0, True)
    >>> "swish" in ACTIVATIONS
    False
    """
    if not isinstance(activation, Activation):
        raise TypeError(
            f"register_activation takes an Activation, got {type(activation).__name__}; build "
            f"one with Activation(name=..., latex=..., sympy_form=..., ...)"
        )
    if activation.name in _REGISTRY:
        raise ValueError(
            f"an activation named {activation.name!r} is registered already; choose another "
            f"name, or unregister_activation({activation.name!r}) first"
        )
    taken = parser_activations()
    for word in activation.parser_names:
        if not isinstance(word, str) or not _PARSER_NAME.fullmatch(word):
            raise ValueError(
                f"parser name {word!r} of activation {activation.name!r} must be letters only "
                f"(an answer reads 'leaky_relu' as leaky with subscript relu)"
            )
        if word in RESERVED_PARSER_NAMES:
            raise ValueError(
                f"parser name {word!r} of activation {activation.name!r} is a standard function "
                f"or constant of an answer; choose another name"
            )
        if word in taken:
            raise ValueError(
                f"parser name {word!r} of activation {activation.name!r} already names the "
                f"activation {taken[word].name!r}; choose another name"
            )
    if factory is not None and not callable(factory):
        raise TypeError(f"factory={factory!r} must be callable (or None)")
    _check_forms(activation)
    _REGISTRY[activation.name] = activation
    if factory is not None:
        _FACTORIES[activation.name] = factory
    return activation


def unregister_activation(name: str) -> Activation:
    """Remove an activation that :func:`register_activation` added; returns it.

    Raises
    ------
    ValueError
        For a built-in activation or a name that is not registered.

    Examples
    --------
    >>> unregister_activation("relu")
    Traceback (most recent call last):
    ...
    ValueError: 'relu' is a built-in activation, which cannot be unregistered
    """
    if name in _BUILT_IN:
        raise ValueError(f"{name!r} is a built-in activation, which cannot be unregistered")
    if name not in _REGISTRY:
        raise ValueError(
            f"no activation {name!r} is registered; registered: {', '.join(_REGISTRY)}"
        )
    _FACTORIES.pop(name, None)
    return _REGISTRY.pop(name)


@contextlib.contextmanager
def registered_activation(
    activation: Activation, *, factory: Callable[..., Activation] | None = None
) -> Iterator[Activation]:
    """Register an activation for the duration of a ``with`` block (tests, one notebook cell).

    Examples
    --------
    >>> ramp = Activation(  # ReLU with the convention ReLU'(0) = 1, under another name
    ...     "ramp", "r", lambda z: sp.Max(0, z), lambda z: sp.Heaviside(z, 1),
    ...     lambda x: np.maximum(x, 0.0), lambda x: np.where(x >= 0, 1.0, 0.0),
    ...     kinks=(0,), derivative_at_kinks=(1,))
    >>> with registered_activation(ramp):
    ...     ACTIVATIONS["ramp"].derivative(0)
    1
    """
    register_activation(activation, factory=factory)
    try:
        yield activation
    finally:
        if _REGISTRY.get(activation.name) is activation:
            unregister_activation(activation.name)


def get_activation(activation: str | Activation, **params: Any) -> Activation:
    """Look up an activation by name, optionally with parameters.

    Parameters
    ----------
    activation
        A registry name (see :data:`ACTIVATIONS`) or an :class:`Activation`.
    **params
        Parameters of a parametrised activation: ``a`` (leaky_relu), ``alpha`` (elu),
        ``at_zero`` (relu), or those of a registered activation's factory.

    Examples
    --------
    >>> import sympy as sp
    >>> get_activation("leaky_relu", a=sp.Rational(1, 5)).params["a"]
    1/5
    """
    if isinstance(activation, Activation):
        if params:
            raise ValueError(
                f"parameters {sorted(params)} given with an Activation object; pass its name "
                f"instead, e.g. get_activation({activation.name!r}, ...)"
            )
        return activation
    if not isinstance(activation, str):
        raise TypeError(
            f"activation {activation!r} must be a name or an Activation; "
            f"names: {', '.join(ACTIVATIONS)}"
        )
    if activation not in ACTIVATIONS:
        raise ValueError(
            f"unknown activation {activation!r}{did_you_mean(activation, ACTIVATIONS)}; "
            f"accepted: {', '.join(ACTIVATIONS)}"
        )
    if not params:
        return ACTIVATIONS[activation]
    if activation not in _FACTORIES:
        raise ValueError(f"activation {activation!r} takes no parameters (got {sorted(params)})")
    factory = _FACTORIES[activation]
    accepted = factory.__code__.co_kwonlyargcount
    names = factory.__code__.co_varnames[
        factory.__code__.co_argcount : factory.__code__.co_argcount + accepted
    ]
    unknown = sorted(set(params) - set(names))
    if unknown:
        raise ValueError(
            f"unknown parameter(s) {unknown} for {activation!r}; accepted: {', '.join(names)}"
        )
    return factory(**params)
