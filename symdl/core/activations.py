"""Activation functions: one definition each, with its derivative and kink convention.

Every :class:`Activation` carries

- its exact SymPy form (``act(z)``) and its exact derivative (``act.derivative(z)``), the
  latter with an explicit convention at the kinks;
- an independently written, numerically stable NumPy form and derivative, used by
  :mod:`symdl.core.numeric` to cross-check the symbolic path (never obtained by lambdifying);
- its LaTeX name and the points where it is not differentiable.

Conventions at kinks (REFERENCE.md section 1): ReLU'(0) = 0 by default, as PyTorch and
``jax.nn.relu`` use; it is selectable because tools disagree (SymPy's ``Max`` and
``jnp.maximum`` give 1/2, SymPy's ``Piecewise`` gives 1).  SymPy's bare ``Heaviside(0)`` is
1/2: symdl always writes ``Heaviside(z, h0)`` with the convention's value ``h0``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import numpy as np
import sympy as sp
from numpy.typing import NDArray

# the named SymPy functions live in special_functions.py; re-exported as part of this API
from symdl.core.special_functions import ELU, Sigmoid, Softplus

__all__ = [
    "ACTIVATIONS",
    "ELU",
    "Activation",
    "Kink",
    "Sigmoid",
    "Softplus",
    "elu",
    "get_activation",
    "leaky_relu",
    "pin_heaviside",
    "relu",
    "softmax",
]

FloatArray = NDArray[np.float64]


class Kink(enum.Enum):
    """The value chosen for the derivative of a ReLU-type function at its kink."""

    ZERO = 0  # PyTorch, jax.nn.relu
    HALF = 1  # SymPy's Max, jnp.maximum
    ONE = 2  # SymPy's Piecewise((x, x >= 0), ...)

    @property
    def value_at_zero(self) -> sp.Rational:
        return (sp.S.Zero, sp.S.Half, sp.S.One)[self.value]


@dataclass(frozen=True)
class Activation:
    r"""An activation function with its derivative, NumPy forms and conventions.

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
        True for identity, ReLU and leaky ReLU (exact piecewise-linear arithmetic applies).
    params
        The parameters the activation was built with (``{"a": 1/10}`` for leaky ReLU).
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
    :class:`symdl.core.network.SoftmaxLayer` and the probability estimate of the losses.

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


# --- constructors of the parametrised activations ---------------------------------------------


def _exact_parameter(name: str, value: object) -> sp.Rational:
    if isinstance(value, float):
        raise TypeError(
            f"{name}={value!r} is a float; symdl needs exact parameters: pass an int, a "
            f"fractions.Fraction or a sympy.Rational (e.g. sympy.Rational(1, 10))"
        )
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return sp.Integer(int(value))
    if not isinstance(value, sp.Basic):  # never parse text: "1/5" is refused, not sympified
        raise TypeError(
            f"{name}={value!r} must be an exact rational number: an int, a fractions.Fraction "
            f"or a sympy.Rational"
        )
    number = value
    if not number.is_Rational:
        raise TypeError(f"{name}={value!r} must be an exact rational number (int or Rational)")
    return sp.Rational(number)


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
        value = _exact_parameter("at_zero", at_zero)
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
        piecewise_linear=True,
        params=MappingProxyType({"at_zero": h0}),
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
    slope = _exact_parameter("a", a)
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
        piecewise_linear=True,
        params=MappingProxyType({"a": slope}),
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
    value = _exact_parameter("alpha", alpha)
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
    )


IDENTITY = Activation(
    name="identity",
    latex=r"\operatorname{id}",
    sympy_form=lambda z: z,
    sympy_derivative=lambda z: sp.S.One,
    numpy_form=lambda x: x.copy(),
    numpy_derivative=lambda x: np.ones_like(x),
    piecewise_linear=True,
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
)

SIGMOID = Activation(
    name="sigmoid",
    latex=r"\sigma",
    sympy_form=Sigmoid,
    sympy_derivative=lambda z: Sigmoid(z) * (1 - Sigmoid(z)),
    numpy_form=_np_sigmoid,
    numpy_derivative=lambda x: _np_sigmoid(x) * _np_sigmoid(-x),
)

TANH = Activation(
    name="tanh",
    latex=r"\tanh",
    sympy_form=sp.tanh,
    sympy_derivative=lambda z: 1 - sp.tanh(z) ** 2,
    numpy_form=np.tanh,
    numpy_derivative=lambda x: 1.0 / np.cosh(np.minimum(np.abs(x), 350.0)) ** 2,
)

SOFTPLUS = Activation(
    name="softplus",
    latex=r"\operatorname{softplus}",
    sympy_form=Softplus,
    sympy_derivative=Sigmoid,
    numpy_form=_np_softplus,
    numpy_derivative=_np_sigmoid,
)

ACTIVATIONS: Mapping[str, Activation] = MappingProxyType(
    {
        act.name: act
        for act in (IDENTITY, STEP, SIGMOID, TANH, relu(), leaky_relu(), elu(), SOFTPLUS)
    }
)
"""The activation registry: name → :class:`Activation` with default parameters."""

_FACTORIES: Mapping[str, Callable[..., Activation]] = MappingProxyType(
    {"relu": relu, "leaky_relu": leaky_relu, "elu": elu}
)


def get_activation(activation: str | Activation, **params: Any) -> Activation:
    """Look up an activation by name, optionally with parameters.

    Parameters
    ----------
    activation
        A registry name (see :data:`ACTIVATIONS`) or an :class:`Activation`.
    **params
        Parameters of a parametrised activation: ``a`` (leaky_relu), ``alpha`` (elu),
        ``at_zero`` (relu).

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
        raise ValueError(f"unknown activation {activation!r}; accepted: {', '.join(ACTIVATIONS)}")
    if not params:
        return ACTIVATIONS[activation]
    if activation not in _FACTORIES:
        raise ValueError(f"activation {activation!r} takes no parameters (got {sorted(params)})")
    factory = _FACTORIES[activation]
    accepted = factory.__code__.co_kwonlyargcount
    names = factory.__code__.co_varnames[:accepted]
    unknown = sorted(set(params) - set(names))
    if unknown:
        raise ValueError(
            f"unknown parameter(s) {unknown} for {activation!r}; accepted: {', '.join(names)}"
        )
    return factory(**params)
