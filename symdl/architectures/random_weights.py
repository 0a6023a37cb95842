r"""Random Gaussian weights and ReLU layers: second moments, the arc-cosine kernel, the angle map.

A layer :math:`x \mapsto \sigma(Wx)` (:math:`\sigma` the ReLU) whose weights are independent
Gaussians sends every input to a random vector whose second moments are exact functions of the
input's norm and angles.  Each row :math:`w` of :math:`W`, with entries :math:`N(0, v)`, gives
:math:`w \cdot x \sim N(0, v\|x\|^2)`, and by the symmetry of the Gaussian
:math:`\mathbb{E}\,\sigma(g)^2 = \tfrac12 \mathbb{E}\, g^2`, so that for :math:`m` rows

.. math::

    \mathbb{E}\,\|\sigma(Wx)\|^2 = \frac{m v}{2} \|x\|^2 ,

which is :math:`\|x\|^2` for :math:`v = 2/m` (the norm is preserved in expectation).  For two
inputs at angle :math:`\theta` the expected product of two ReLU units is the arc-cosine kernel
of Cho & Saul (degree :math:`n = 1`),

.. math::

    \mathbb{E}_{w \sim N(0, I)}\, \sigma(w \cdot x)\, \sigma(w \cdot y)
    = \frac{\|x\|\,\|y\|}{2\pi} \bigl(\sin\theta + (\pi - \theta)\cos\theta\bigr),

derived here by a symbolic Gaussian integral in polar coordinates (:func:`kernel_of_angle`,
:func:`arc_cosine_derivation`), for every degree :math:`n` up to
:data:`MAX_KERNEL_DEGREE`.  Divided by the value at :math:`\theta = 0` it is the cosine of
the angle between the two outputs of a wide random layer, the *angle map*

.. math::

    \cos\theta' = \frac{\sin\theta + (\pi - \theta)\cos\theta}{\pi},

which maps :math:`[0, \pi]` onto :math:`[0, \pi/2]`, increases, and contracts every angle
towards 0: :math:`\theta' = \theta - \theta^2/(3\pi) - \theta^3/(18\pi^2) + O(\theta^4)`
(:func:`angle_map_series`), so that after :math:`L` layers the angle is about :math:`3\pi/L`
(:func:`iterate_angle_map`).

Every exact fact has a seeded Monte Carlo counterpart with its standard error
(:func:`simulate_relu_layer_norm`, :func:`simulate_arc_cosine_kernel`,
:func:`simulate_network_angles`); agreement within a few standard errors is evidence, never a
proof.  A simulation draws at most :data:`MAX_GAUSSIAN_DRAWS` Gaussian numbers, in blocks, so
that its memory stays small.

Examples
--------
>>> import sympy as sp
>>> theta = sp.Symbol("theta")
>>> kernel_of_angle(theta)
((pi - theta)*cos(theta) + sin(theta))/(2*pi)
>>> arc_cosine_kernel([1, 0], [0, 1])  # orthogonal inputs
1/(2*pi)
>>> m = sp.Symbol("m", integer=True, positive=True)
>>> expected_relu_layer_norm([3, 4], rows=m, variance=2 / m)
25

References
----------
Y. Cho and L. K. Saul, "Kernel methods for deep learning", *Advances in Neural Information
Processing Systems 22* (NIPS 2009): the arc-cosine kernels, equation (1) (their definition,
which has a factor 2 in front of the expectation computed here), equation (3) (:math:`J_n`),
equations (5)–(7) (:math:`J_0, J_1, J_2`), and the composition of the kernel with itself
(multilayer kernels).

R. Giryes, G. Sapiro and A. M. Bronstein, "Deep neural networks with random Gaussian weights:
a universal classification strategy?", *IEEE Transactions on Signal Processing* 64 (13) (2016),
3444–3457: with high probability, uniformly over a data set of small Gaussian mean width, one
random Gaussian layer with a ReLU keeps distances and angles close to the expected values
computed here (and so, layer after layer, shrinks the angles as the angle map does).  Here
the expected values are exact, the properties of the angle map are proved (the proof
``random_relu``), and the concentration at a finite width is only simulated.

K. He, X. Zhang, S. Ren and J. Sun, "Delving deep into rectifiers", ICCV 2015, equation (10):
the variance :math:`2/n` (:math:`n` the fan-in) that keeps the mean square of an entry; the
variance :math:`2/m` above (:math:`m` the number of rows) keeps the squared norm.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence, Sized
from dataclasses import dataclass
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from symdl.core.derivation import Derivation, Reason
from symdl.core.exact import (
    FloatConversion,
    exact_number,
    in_interval,
    positive,
    positive_integer,
)
from symdl.core.exceptions import shown as _shown_at

__all__ = [
    "MAX_ANGLE_DIGITS",
    "MAX_ANGLE_LAYERS",
    "MAX_GAUSSIAN_DRAWS",
    "MAX_KERNEL_DEGREE",
    "MAX_SERIES_ORDER",
    "AngleSimulation",
    "MonteCarloEstimate",
    "angle_map_series",
    "arc_cosine_derivation",
    "arc_cosine_kernel",
    "expected_relu_layer_distance",
    "expected_relu_layer_norm",
    "iterate_angle_map",
    "kernel_of_angle",
    "relu_angle_cosine",
    "relu_angle_map",
    "relu_second_moment",
    "simulate_arc_cosine_kernel",
    "simulate_network_angles",
    "simulate_relu_layer_norm",
    "vector_angle",
]

#: The highest degree :math:`n` of an arc-cosine kernel derived (the integrals grow with it).
MAX_KERNEL_DEGREE = 8

#: The most Gaussian numbers one simulation draws (its time grows with them).
MAX_GAUSSIAN_DRAWS = 10**9

#: The most layers :func:`iterate_angle_map` iterates.
MAX_ANGLE_LAYERS = 10**5

#: The most significant digits :func:`iterate_angle_map` computes.
MAX_ANGLE_DIGITS = 1000

#: The highest order of :func:`angle_map_series`.
MAX_SERIES_ORDER = 16

_MAX_DIMENSION = 10_000  # entries of a vector in exact arithmetic
_MAX_ANGLE_WORK = 600_000  # layers × max(digits, 30) of iterate_angle_map: a few seconds
_BLOCK = 1 << 20  # Gaussian numbers drawn at once: 8 MiB

# the variables of the derivations
_theta = sp.Symbol("theta", nonnegative=True)
_phi = sp.Symbol("varphi", real=True)
_r = sp.Symbol("r", positive=True)
_s = sp.Symbol("s", positive=True)
_g = sp.Symbol("g", real=True)
_v = sp.Symbol("v", positive=True)


# --- checking the inputs ---------------------------------------------------------------------


_shown = functools.partial(_shown_at, width=60)


def _entries(x: Any, name: str) -> list[Any]:
    """The entries of a vector given as a sequence, a 1-D array or a one-row/column Matrix."""
    if isinstance(x, sp.MatrixBase):
        if 1 not in x.shape:
            raise ValueError(
                f"{name} is a {x.shape[0]}×{x.shape[1]} matrix; give a vector: a list, a 1-D "
                "NumPy array, or a Matrix with one row or one column"
            )
        entries = list(x)
    elif isinstance(x, np.ndarray):
        if x.ndim != 1:
            raise ValueError(
                f"{name} is an array of shape {x.shape}; give a vector: a 1-D array or a list"
            )
        entries = x.tolist()
    elif isinstance(x, (list, tuple)):
        entries = list(x)
    else:
        raise TypeError(
            f"{name}={_shown(x)} (a {type(x).__name__}) is not a vector; give a list or tuple "
            "of numbers, a 1-D NumPy array, or a SymPy Matrix with one column"
        )
    if not entries:
        raise ValueError(f"{name} is empty; give a vector with at least one entry")
    if len(entries) > _MAX_DIMENSION:
        raise ValueError(
            f"{name} has {len(entries):,} entries, more than {_MAX_DIMENSION:,} for exact "
            "arithmetic; give a shorter vector (the simulate_ functions take floats)"
        )
    return entries


def _exact_vector(x: Any, name: str, floats: FloatConversion) -> list[sp.Expr]:
    values = [
        exact_number(v, name=f"{name}[{i}]", floats=floats) for i, v in enumerate(_entries(x, name))
    ]
    for i, v in enumerate(values):
        if v.is_extended_real is not True:
            raise ValueError(
                f"{name}[{i}]={_shown(v)} is not known to be real; give real numbers, or "
                "Symbols declared with real=True"
            )
    return values


def _same_length(x: Sized, y: Sized) -> None:
    if len(x) != len(y):
        raise ValueError(
            f"x has {len(x)} entries and y has {len(y)}; give two vectors of the same dimension"
        )


def _squared_norm(x: Sequence[sp.Expr]) -> sp.Expr:
    return sp.Add(*[v**2 for v in x])


def _nonzero_norm(x: Sequence[sp.Expr], name: str) -> sp.Expr:
    norm = sp.sqrt(_squared_norm(x))
    if norm.is_zero is True:
        raise ValueError(
            f"{name} = {_shown([sp.sstr(v) for v in x])} is the zero vector, which has no angle "
            "with another vector; give a nonzero vector"
        )
    return norm


def _angle(theta: Any) -> sp.Expr:
    """An angle: a SymPy expression with symbols, or an exact number in [0, π]."""
    angle = exact_number(theta, name="theta")
    if angle.free_symbols:
        if angle.is_extended_real is False or angle.is_negative or (angle - sp.pi).is_positive:
            raise ValueError(
                f"theta={_shown(angle)} is known to lie outside [0, π] (the angle between two "
                "vectors); give an angle in [0, π], or a Symbol that may be one"
            )
        return angle
    return in_interval(
        angle,
        sp.Interval(0, sp.pi),
        name="theta",
        reason="the angle between two vectors",
    )


def _degree(degree: Any) -> int:
    if isinstance(degree, bool) or not isinstance(degree, (int, np.integer)):
        raise TypeError(
            f"degree={degree!r} must be an int: 0 (step units), 1 (ReLU), 2, ..., "
            f"up to MAX_KERNEL_DEGREE = {MAX_KERNEL_DEGREE}"
        )
    if not 0 <= degree <= MAX_KERNEL_DEGREE:
        raise ValueError(
            f"degree={degree} is not in 0, 1, ..., {MAX_KERNEL_DEGREE} (MAX_KERNEL_DEGREE, "
            "symdl.architectures.random_weights.MAX_KERNEL_DEGREE); give a degree in that range"
        )
    return int(degree)


def _count(value: Any, name: str, *, least: int, most: int, bound: str = "") -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name}={value!r} must be an int (at least {least})")
    if value < least:
        raise ValueError(f"{name}={value} must be at least {least}; give a larger {name}")
    if value > most:
        named = f" ({bound}, symdl.architectures.random_weights.{bound})" if bound else ""
        raise ValueError(f"{name}={value} is more than {most}{named}; give a smaller {name}")
    return int(value)


# --- one ReLU unit, one layer ----------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _relu_second_moment() -> sp.Expr:
    """:math:`\\int_0^\\infty g^2\\, e^{-g^2/(2v)} / \\sqrt{2\\pi v}\\, dg`, by SymPy."""
    density = sp.exp(-(_g**2) / (2 * _v)) / sp.sqrt(2 * sp.pi * _v)
    return sp.simplify(sp.integrate(_g**2 * density, (_g, 0, sp.oo)))


def relu_second_moment(*, variance: Any = 1) -> sp.Expr:
    r"""The second moment of a ReLU unit with a centred Gaussian input,
    :math:`\mathbb{E}\,\sigma(g)^2` for :math:`g \sim N(0, v)`.

    .. math::

        \mathbb{E}\,\sigma(g)^2 = \int_0^\infty g^2 \frac{e^{-g^2/(2v)}}{\sqrt{2\pi v}}\, dg
        = \frac{v}{2},

    the integral computed by SymPy (half of :math:`\mathbb{E}\, g^2 = v`, by symmetry).

    Parameters
    ----------
    variance
        :math:`v > 0`: an exact number or a positive Symbol.

    Raises
    ------
    ValueError
        If ``variance`` is not positive.

    Examples
    --------
    >>> relu_second_moment()
    1/2
    >>> import sympy as sp
    >>> relu_second_moment(variance=sp.Symbol("s", positive=True))
    s/2

    References
    ----------
    Giryes, Sapiro & Bronstein (2016); He et al. (2015), the derivation of their equation (10)
    (:math:`\mathbb{E}\,\sigma(g)^2 = \tfrac12 \operatorname{Var} g`).
    """
    v = positive(variance, name="variance", reason="the variance of a Gaussian")
    return _relu_second_moment().subs(_v, v)


def expected_relu_layer_norm(x: Any, *, rows: Any, variance: Any = 1) -> sp.Expr:
    r"""The expected squared norm of a random ReLU layer's output,
    :math:`\mathbb{E}\,\|\sigma(Wx)\|^2 = \tfrac12 m v \|x\|^2`.

    :math:`W` has ``rows`` :math:`= m` rows of independent :math:`N(0, v)` entries; each row
    gives :math:`w \cdot x \sim N(0, v\|x\|^2)` (a sum of independent Gaussians) and contributes
    :func:`relu_second_moment` of that variance.  With :math:`v = 2/m` the squared norm is
    preserved in expectation.

    Parameters
    ----------
    x
        The input: a vector of exact numbers or real Symbols.
    rows
        :math:`m \ge 1`, an integer or a Symbol with ``integer=True, positive=True``.
    variance
        :math:`v > 0`, the variance of each weight (exact, or a positive Symbol or expression).

    Raises
    ------
    ValueError
        If ``rows`` is not an integer at least 1 or ``variance`` is not positive.
    TypeError
        If an entry of ``x`` is not an exact number or a SymPy expression (a float is refused).

    Examples
    --------
    >>> expected_relu_layer_norm([1, 2], rows=10)
    25
    >>> import sympy as sp
    >>> m = sp.Symbol("m", integer=True, positive=True)
    >>> expected_relu_layer_norm([1, 2], rows=m, variance=2 / m)  # He's variance for m rows
    5

    References
    ----------
    He et al. (2015), equation (10) and its derivation; Giryes, Sapiro & Bronstein (2016).
    """
    m = positive_integer(rows, name="rows", reason="the number of rows of W")
    v = positive(variance, name="variance", reason="the variance of each weight")
    xs = _exact_vector(x, "x", FloatConversion.REJECT)
    # w·x ~ N(0, v‖x‖²); the second moment v/2 holds for a variance ≥ 0 (x = 0 gives 0)
    return m * _relu_second_moment().subs(_v, v * _squared_norm(xs))


def expected_relu_layer_distance(x: Any, y: Any, *, rows: Any = 1, variance: Any = 1) -> sp.Expr:
    r"""The expected squared distance of two outputs of a random ReLU layer,
    :math:`\mathbb{E}\,\|\sigma(Wx) - \sigma(Wy)\|^2`.

    .. math::

        \mathbb{E}\,\|\sigma(Wx) - \sigma(Wy)\|^2
        = m v \Bigl(\tfrac12 \|x - y\|^2 - \|x\|\,\|y\|\,\psi(\theta)\Bigr), \qquad
        \psi(\theta) = \frac{\sin\theta - \theta\cos\theta}{\pi} \ge 0,

    from :math:`\mathbb{E}\,\sigma(w\cdot x)^2 = \tfrac12 v\|x\|^2` and the arc-cosine kernel:
    a random ReLU layer halves squared distances of inputs at small angles
    (:math:`\psi(\theta) = O(\theta^3)`) and shrinks those at large angles more.

    Parameters
    ----------
    x, y
        The inputs, vectors of the same dimension (exact numbers or real Symbols).
    rows
        :math:`m \ge 1`.
    variance
        :math:`v > 0`, the variance of each weight.

    Examples
    --------
    >>> expected_relu_layer_distance([1, 0], [-1, 0])  # opposite: one of the two units is 0
    1
    >>> expected_relu_layer_distance([1, 0], [2, 0], rows=4)  # same direction: half of 4·1
    2

    References
    ----------
    Giryes, Sapiro & Bronstein (2016), the distance of the outputs of one random layer with a
    ReLU (its expected value, with their :math:`\psi`).
    """
    m = positive_integer(rows, name="rows", reason="the number of rows of W")
    v = positive(variance, name="variance", reason="the variance of each weight")
    xs = _exact_vector(x, "x", FloatConversion.REJECT)
    ys = _exact_vector(y, "y", FloatConversion.REJECT)
    _same_length(xs, ys)
    cross = arc_cosine_kernel(xs, ys)
    per_row = relu_second_moment(variance=1) * (_squared_norm(xs) + _squared_norm(ys)) - 2 * cross
    return sp.simplify(m * v * per_row)


# --- the arc-cosine kernel -------------------------------------------------------------------


def vector_angle(x: Any, y: Any, *, floats: FloatConversion = FloatConversion.REJECT) -> sp.Expr:
    r"""The angle :math:`\theta = \arccos\bigl(x\cdot y / (\|x\|\,\|y\|)\bigr) \in [0, \pi]`,
    exactly.

    Parameters
    ----------
    x, y
        Nonzero vectors of the same dimension.
    floats
        What to do with a float entry (refused by default).

    Raises
    ------
    ValueError
        If a vector is zero (it has no angle) or the dimensions differ.

    Examples
    --------
    >>> vector_angle([1, 0], [1, 1])
    pi/4
    >>> vector_angle([0, 0], [1, 1])
    Traceback (most recent call last):
    ...
    ValueError: x = ['0', '0'] is the zero vector, which has no angle with another vector; ...
    """
    xs = _exact_vector(x, "x", floats)
    ys = _exact_vector(y, "y", floats)
    _same_length(xs, ys)
    nx, ny = _nonzero_norm(xs, "x"), _nonzero_norm(ys, "y")
    cosine = sp.Add(*[a * b for a, b in zip(xs, ys, strict=True)]) / (nx * ny)
    return sp.acos(sp.radsimp(cosine))


def _radial(degree: int) -> sp.Expr:
    r""":math:`\frac{1}{2\pi}\int_0^\infty r^{2n} e^{-r^2/2}\, r\, dr`."""
    return sp.integrate(_r ** (2 * degree + 1) * sp.exp(-(_r**2) / 2), (_r, 0, sp.oo)) / (2 * sp.pi)


def _region() -> tuple[sp.Expr, sp.Expr]:
    r"""The arc of :math:`\varphi \in (-\pi, \pi]` where both units are active.

    With :math:`u = (\cos\tfrac\theta2, -\sin\tfrac\theta2)`, :math:`v = (\cos\tfrac\theta2,
    \sin\tfrac\theta2)` and :math:`w = r(\cos\varphi, \sin\varphi)`, :math:`w\cdot u = r\cos
    (\varphi + \tfrac\theta2)` and :math:`w \cdot v = r\cos(\varphi - \tfrac\theta2)`.  For
    :math:`\theta \in [0, \pi]` and :math:`\varphi \in (-\pi, \pi]` the shifted angles lie in
    :math:`(-\tfrac{3\pi}{2}, \tfrac{3\pi}{2}]`, where the cosine is positive exactly on
    :math:`(-\tfrac\pi2, \tfrac\pi2)`: the two arcs are intervals, and their intersection is
    computed here (SymPy orders the ends, using :math:`\theta \ge 0`).
    """
    half = sp.pi / 2
    first = (-half - _theta / 2, half - _theta / 2)  # cos(φ + θ/2) > 0
    second = (-half + _theta / 2, half + _theta / 2)  # cos(φ - θ/2) > 0
    return sp.Max(first[0], second[0]), sp.Min(first[1], second[1])


def _product_to_sum() -> tuple[sp.Expr, sp.Expr]:
    r""":math:`\cos(\varphi + \tfrac\theta2)\cos(\varphi - \tfrac\theta2) = \tfrac12(\cos 2\varphi
    + \cos\theta)`, checked by SymPy before it is used."""
    product = sp.cos(_phi + _theta / 2) * sp.cos(_phi - _theta / 2)
    sum_form = (sp.cos(2 * _phi) + sp.cos(_theta)) / 2
    if sp.simplify(product - sum_form) != 0:  # pragma: no cover - SymPy's trigonometry
        raise ArithmeticError("the product-to-sum identity did not simplify to 0")
    return product, sum_form


@functools.lru_cache(maxsize=MAX_KERNEL_DEGREE + 1)
def _unit_kernel(degree: int) -> sp.Expr:
    r""":math:`\mathbb{E}\,\sigma_n(w\cdot u)\sigma_n(w\cdot v)` for unit :math:`u, v` at angle
    :math:`\theta` (the private symbol), by the integral in polar coordinates."""
    low, high = _region()
    _, sum_form = _product_to_sum()
    angular = sp.integrate(sp.expand(sum_form**degree), (_phi, low, high))
    return sp.simplify(_radial(degree) * angular)


def kernel_of_angle(theta: Any, *, degree: int = 1) -> sp.Expr:
    r"""The arc-cosine kernel of unit vectors at angle :math:`\theta`:
    :math:`\mathbb{E}_{w\sim N(0, I)}\, \sigma_n(w\cdot u)\,\sigma_n(w \cdot v) =
    J_n(\theta)/(2\pi)`.

    :math:`\sigma_n(t) = t^n` for :math:`t > 0` and 0 otherwise (:math:`\sigma_1` is the ReLU,
    :math:`\sigma_0` the step :math:`H(t)` with :math:`H(0) = 0`).  Derived, not assumed: by
    rotation invariance only the plane of :math:`u, v` matters; in polar coordinates
    :math:`w = r(\cos\varphi, \sin\varphi)` with :math:`u, v` at angles :math:`\mp\theta/2`,

    .. math::

        \mathbb{E}\,\sigma_n(w\cdot u)\,\sigma_n(w\cdot v)
        = \frac{1}{2\pi}\int_0^\infty r^{2n+1} e^{-r^2/2}\, dr
          \int_{(\theta - \pi)/2}^{(\pi - \theta)/2}
          \Bigl(\frac{\cos 2\varphi + \cos\theta}{2}\Bigr)^n d\varphi ,

    both integrals computed by SymPy (see :func:`arc_cosine_derivation`).  For :math:`n = 1`
    it is :math:`(\sin\theta + (\pi - \theta)\cos\theta)/(2\pi)`; for :math:`n = 0`,
    :math:`(\pi - \theta)/(2\pi)`.

    Parameters
    ----------
    theta
        The angle: an exact number in :math:`[0, \pi]`, or a Symbol or expression (then the
        result is an expression in it, valid for angles in :math:`[0, \pi]`).
    degree
        :math:`n`, from 0 to :data:`MAX_KERNEL_DEGREE`.

    Raises
    ------
    ValueError
        If ``theta`` is a number outside :math:`[0, \pi]` or ``degree`` is out of range.

    Examples
    --------
    >>> import sympy as sp
    >>> kernel_of_angle(0), kernel_of_angle(sp.pi / 2), kernel_of_angle(sp.pi)
    (1/2, 1/(2*pi), 0)
    >>> kernel_of_angle(sp.Symbol("theta"), degree=0)
    (pi - theta)/(2*pi)

    References
    ----------
    Cho & Saul (2009), equation (1) (whose :math:`k_n` is twice this expectation) and
    equations (5)–(6) (:math:`J_0 = \pi - \theta`, :math:`J_1 = \sin\theta +
    (\pi - \theta)\cos\theta`).
    """
    n = _degree(degree)
    angle = _angle(theta)
    return _unit_kernel(n).subs(_theta, angle)


def arc_cosine_kernel(x: Any, y: Any, *, degree: int = 1) -> sp.Expr:
    r"""The arc-cosine kernel :math:`\mathbb{E}_{w\sim N(0, I)}\,\sigma_n(w\cdot x)\,
    \sigma_n(w\cdot y) = \|x\|^n \|y\|^n J_n(\theta)/(2\pi)`, exactly.

    By positive homogeneity (:math:`\sigma_n(ct) = c^n \sigma_n(t)` for :math:`c > 0`) it is
    :math:`\|x\|^n\|y\|^n` times :func:`kernel_of_angle` at the angle :func:`vector_angle`.
    A zero vector gives 0 (every unit is inactive at 0; its angle is undefined).

    Parameters
    ----------
    x, y
        Vectors of the same dimension, of exact numbers or real Symbols.
    degree
        :math:`n`, from 0 to :data:`MAX_KERNEL_DEGREE`.

    Examples
    --------
    >>> arc_cosine_kernel([2, 0], [2, 0])  # θ = 0: ‖x‖²/2
    2
    >>> arc_cosine_kernel([1, 0], [1, 1])  # θ = π/4
    (4 + 3*pi)/(8*pi)
    >>> arc_cosine_kernel([1, 0], [-1, 0], degree=0)
    0

    References
    ----------
    Cho & Saul (2009), equations (1)–(2) and (6).
    """
    n = _degree(degree)
    xs = _exact_vector(x, "x", FloatConversion.REJECT)
    ys = _exact_vector(y, "y", FloatConversion.REJECT)
    _same_length(xs, ys)
    if sp.sqrt(_squared_norm(xs)).is_zero or sp.sqrt(_squared_norm(ys)).is_zero:
        return sp.S.Zero
    scale = (sp.sqrt(_squared_norm(xs)) * sp.sqrt(_squared_norm(ys))) ** n
    value = scale * kernel_of_angle(vector_angle(xs, ys), degree=n)
    return value if value.free_symbols else sp.simplify(value)


def arc_cosine_derivation(*, degree: int = 1) -> Derivation:
    r"""The derivation of :func:`kernel_of_angle`: polar coordinates, the region where both
    units are active, the two integrals.

    Every step between two SymPy sides is an equality that SymPy checks (the integrals are
    kept unevaluated on the left, evaluated on the right): see
    :meth:`~symdl.core.derivation.Derivation.equalities`.

    Examples
    --------
    >>> d = arc_cosine_derivation()
    >>> import sympy as sp
    >>> all(sp.simplify(a.doit() - b) == 0 for a, b, _ in d.equalities())
    True

    References
    ----------
    Cho & Saul (2009), equations (1), (5)–(7).
    """
    n = _degree(degree)
    theta = _theta
    low, high = _region()
    product, sum_form = _product_to_sum()
    radial_integral = sp.Integral((2 * _s) ** n * sp.exp(-_s), (_s, 0, sp.oo))
    upper = sp.Min(sp.pi / 2 - theta / 2, sp.pi / 2 + theta / 2, evaluate=False)
    angular_integral = sp.Integral(sp.expand(sum_form**n), (_phi, low, high))
    unit = _unit_kernel(n)
    units = {0: r"\sigma(t) = H(t)", 1: r"\sigma(t) = \max(t, 0)"}.get(
        n, rf"\sigma(t) = t^{{{n}}} H(t)"
    )
    power = {0: "", 1: ""}.get(n, f"^{{{n}}}")
    radial = "r" if n == 0 else f"r^{{{2 * n + 1}}}"
    factors = (
        "1"
        if n == 0
        else rf"\cos{power}(\varphi + \tfrac{{\theta}}{{2}})\,"
        rf"\cos{power}(\varphi - \tfrac{{\theta}}{{2}})"
    )
    d = Derivation(
        f"The arc-cosine kernel of degree {n}",
        statement=(
            f"For $w \\sim N(0, I)$, ${units}$ and unit vectors $u, v$ at angle "
            "$\\theta \\in [0, \\pi]$, the expectation $\\mathbb{E}\\,\\sigma(w \\cdot u)\\,"
            "\\sigma(w \\cdot v)$ is a Gaussian integral over the plane of $u$ and $v$."
        ),
    )
    d.remark(
        "Rotate the plane so that $u = (\\cos\\frac{\\theta}{2}, -\\sin\\frac{\\theta}{2})$ and "
        "$v = (\\cos\\frac{\\theta}{2}, \\sin\\frac{\\theta}{2})$; in polar coordinates "
        "$w = r(\\cos\\varphi, \\sin\\varphi)$ has density $e^{-r^2/2} r/(2\\pi)$, and "
        "$w \\cdot u = r \\, \\cos(\\varphi + \\frac{\\theta}{2})$, "
        "$w \\cdot v = r \\, \\cos(\\varphi - \\frac{\\theta}{2})$."
    )
    d.add(
        r"\mathbb{E}\,\sigma(w \cdot u)\,\sigma(w \cdot v)",
        rf"\frac{{1}}{{2\pi}} \int_0^\infty {radial} e^{{-r^2/2}}\, dr"
        rf" \int_{{A}} {factors}\, d\varphi",
        "polar coordinates",
    )
    d.remark(
        "Both units are active where both cosines are positive.  For $\\theta \\in [0, \\pi]$ "
        "and $\\varphi \\in (-\\pi, \\pi]$ each cosine is positive on one arc of width "
        "$\\pi$, the two arcs are mirror images under $\\varphi \\mapsto -\\varphi$, and their "
        "intersection is $A = (-a, a)$ with $a$ the smaller of their upper ends."
    )
    d.add(upper, high, r"$\theta \ge 0$")
    if n > 0:
        d.add(product, sum_form, "product to sum")
    d.add(
        rf"\frac{{1}}{{2\pi}} \int_0^\infty {radial} e^{{-r^2/2}}\, dr",
        radial_integral / (2 * sp.pi),
        "substitution $s = r^2/2$",
    )
    d.add("", _radial(n), "Euler's integral")
    d.add(
        angular_integral,
        sp.simplify(sp.integrate(angular_integral.function, (_phi, low, high))),
        "integral over the arc $A$",
    )
    d.add(r"\mathbb{E}\,\sigma(w \cdot u)\,\sigma(w \cdot v)", unit, Reason.SIMPLIFICATION)
    return d


# --- the angle map ---------------------------------------------------------------------------


def relu_angle_cosine(theta: Any) -> sp.Expr:
    r"""The normalised arc-cosine kernel :math:`\cos\theta' = (\sin\theta + (\pi - \theta)
    \cos\theta)/\pi`: the cosine of the angle between the outputs of a wide random ReLU layer.

    It is :func:`kernel_of_angle` divided by its value at :math:`\theta = 0`
    (:math:`k(x, y)/\sqrt{k(x, x)\,k(y, y)}`), equivalently
    :math:`\cos\theta + \psi(\theta)` with :math:`\psi(\theta) = (\sin\theta -
    \theta\cos\theta)/\pi`.

    Examples
    --------
    >>> import sympy as sp
    >>> relu_angle_cosine(sp.Symbol("theta"))
    ((pi - theta)*cos(theta) + sin(theta))/pi
    >>> relu_angle_cosine(sp.pi / 2)
    1/pi

    References
    ----------
    Cho & Saul (2009), equation (6) normalised; Giryes, Sapiro & Bronstein (2016), the angle
    between the outputs of one random layer with a ReLU.
    """
    return _normalised_kernel().subs(_theta, _angle(theta))


@functools.lru_cache(maxsize=1)
def _normalised_kernel() -> sp.Expr:
    return sp.simplify(_unit_kernel(1) / _unit_kernel(1).subs(_theta, 0))


def relu_angle_map(theta: Any) -> sp.Expr:
    r"""The angle map of a random ReLU layer,
    :math:`\theta' = \arccos\bigl((\sin\theta + (\pi - \theta)\cos\theta)/\pi\bigr)`.

    It maps :math:`[0, \pi]` onto :math:`[0, \pi/2]`, increases, and :math:`\theta' < \theta`
    for every :math:`\theta > 0`: 0 is its only fixed point (proved in the proof
    ``random_relu``).  Applied to its own result it gives the exact angle after several layers
    (a nested expression); :func:`iterate_angle_map` evaluates many layers numerically.

    Examples
    --------
    >>> import sympy as sp
    >>> relu_angle_map(sp.pi), relu_angle_map(sp.pi / 2), relu_angle_map(0)
    (pi/2, acos(1/pi), 0)

    References
    ----------
    Cho & Saul (2009), the multilayer arc-cosine kernels; Giryes, Sapiro & Bronstein (2016).
    """
    return sp.acos(relu_angle_cosine(theta))


def _truncated_product(
    a: dict[int, sp.Expr], b: dict[int, sp.Expr], below: int
) -> dict[int, sp.Expr]:
    out: dict[int, sp.Expr] = {}
    for i, u in a.items():
        for j, w in b.items():
            if i + j < below:
                out[i + j] = out.get(i + j, sp.S.Zero) + u * w
    return out


def _cosine_series(t: dict[int, sp.Expr], below: int) -> dict[int, sp.Expr]:
    """The coefficients of :math:`\\cos T` below ``below``, for a series ``T`` without a
    constant term."""
    result: dict[int, sp.Expr] = {0: sp.S.One}
    square = _truncated_product(t, t, below)
    power: dict[int, sp.Expr] = {0: sp.S.One}
    for j in range(1, below // 2 + 1):
        power = _truncated_product(power, square, below)
        for k, value in power.items():
            result[k] = result.get(k, sp.S.Zero) + (-1) ** j * value / sp.factorial(2 * j)
    return result


@functools.lru_cache(maxsize=MAX_SERIES_ORDER + 1)
def _angle_map_coefficients(order: int) -> tuple[sp.Expr, ...]:
    r"""The coefficients :math:`a_1, \dots, a_{\text{order}-1}` of
    :math:`\theta' = \sum_k a_k \theta^k`, from :math:`\cos\theta' = c(\theta)` order by order.

    With :math:`T = \theta + \sum_{j<k} a_j \theta^j`,
    :math:`\cos(T + a_k\theta^k) = \cos T - a_k \theta^{k+1} + O(\theta^{k+2})` (since
    :math:`\sin T = \theta + O(\theta^2)`), so :math:`a_k` is the coefficient of
    :math:`\theta^{k+1}` in :math:`\cos T - c(\theta)`.
    """
    x = sp.Symbol("x", positive=True)
    below = order + 1
    c = sp.expand(sp.series(relu_angle_cosine(x), x, 0, below).removeO())
    target = {k: c.coeff(x, k) for k in range(below)}
    # cos θ' = 1 - θ'²/2 + ... and c = 1 - θ²/2 + ...: θ' = θ + O(θ²) (θ' ≥ 0)
    if target[0] != 1 or target[1] != 0 or target[2] != sp.Rational(-1, 2):
        raise ArithmeticError(f"unexpected expansion of the angle cosine: {c}")  # pragma: no cover
    series: dict[int, sp.Expr] = {1: sp.S.One}
    for k in range(2, order):
        cosine = _cosine_series(series, below)
        series[k] = sp.factor(sp.expand(cosine.get(k + 1, sp.S.Zero) - target[k + 1]))
    return tuple(series.get(k, sp.S.Zero) for k in range(1, order))


def angle_map_series(theta: sp.Symbol, *, order: int = 4) -> sp.Expr:
    r"""The expansion of the angle map at 0,
    :math:`\theta' = \theta - \frac{\theta^2}{3\pi} - \frac{\theta^3}{18\pi^2}
    + O(\theta^4)`.

    The coefficients are found order by order from :math:`\cos\theta' = c(\theta)`
    (:func:`relu_angle_cosine`): each one is the first coefficient not yet matched.  The
    quadratic term makes the contraction slow near 0: :math:`1/\theta' - 1/\theta \to
    1/(3\pi)`, so that the angle after :math:`L` layers is :math:`3\pi/L\,(1 + o(1))`.

    Parameters
    ----------
    theta
        The Symbol of the expansion.
    order
        The :math:`O(\theta^{\text{order}})` term left, from 2 to :data:`MAX_SERIES_ORDER`.

    Examples
    --------
    >>> import sympy as sp
    >>> angle_map_series(sp.Symbol("theta"))
    theta - theta**2/(3*pi) - theta**3/(18*pi**2) + O(theta**4)

    References
    ----------
    Cho & Saul (2009), equation (6) normalised; Giryes, Sapiro & Bronstein (2016), the
    shrinking of angles layer after layer.
    """
    if not isinstance(theta, sp.Symbol):
        raise TypeError(f"theta={_shown(theta)} must be a SymPy Symbol, e.g. Symbol('theta')")
    n = _count(order, "order", least=2, most=MAX_SERIES_ORDER, bound="MAX_SERIES_ORDER")
    coefficients = _angle_map_coefficients(n)
    return sp.Add(*[a * theta ** (k + 1) for k, a in enumerate(coefficients)]) + sp.Order(
        theta**n, theta
    )


def _angle_step(theta: mpmath.mpf, digits: int) -> mpmath.mpf:
    """One layer of the angle map at ``digits`` correct digits (guard digits for small θ,
    where :math:`\\arccos` near 1 loses about :math:`2\\log_{10}(1/\\theta)` digits)."""
    if theta == 0:
        return mpmath.mpf(0)
    guard = 10 + max(0, 2 * int(-mpmath.log10(theta)) + 2)
    with mpmath.workdps(digits + guard):
        cosine = (mpmath.sin(theta) + (mpmath.pi - theta) * mpmath.cos(theta)) / mpmath.pi
        return +mpmath.acos(cosine)


def iterate_angle_map(theta: Any, *, layers: int, digits: int = 30) -> tuple[mpmath.mpf, ...]:
    r"""The angles :math:`\theta_0 = \theta, \theta_1, \dots, \theta_L` after each of
    :math:`L` random ReLU layers, :math:`\theta_{l+1} = \theta_l'`, to ``digits`` digits.

    Each step is computed with mpmath at more digits than asked (an :math:`\arccos` near 1
    loses digits to cancellation) and rounded.  The angles decrease to 0 like
    :math:`3\pi/L`.

    Parameters
    ----------
    theta
        The initial angle, an exact number in :math:`[0, \pi]` (``sympy.pi / 3``, or
        :func:`vector_angle` of two inputs).
    layers
        :math:`L`, from 0 to :data:`MAX_ANGLE_LAYERS`.
    digits
        Significant digits, from 1 to :data:`MAX_ANGLE_DIGITS`.

    Raises
    ------
    ValueError
        If ``theta`` is outside :math:`[0, \pi]` or has symbols, or ``layers`` or ``digits``
        is out of range.

    Examples
    --------
    >>> import sympy as sp
    >>> import mpmath
    >>> angles = iterate_angle_map(sp.pi, layers=2, digits=20)
    >>> [mpmath.nstr(a, 20) for a in angles]  # π, π/2, arccos(1/π)
    ['3.1415926535897932385', '1.5707963267948966192', '1.2468502198629158993']

    References
    ----------
    Cho & Saul (2009), multilayer kernels; Giryes, Sapiro & Bronstein (2016).
    """
    angle = _angle(theta)
    if angle.free_symbols:
        raise ValueError(
            f"theta={_shown(angle)} has symbols {sorted(map(str, angle.free_symbols))}; "
            "give a number in [0, π] to iterate (relu_angle_map gives the symbolic map)"
        )
    count = _count(layers, "layers", least=0, most=MAX_ANGLE_LAYERS, bound="MAX_ANGLE_LAYERS")
    precision = _count(digits, "digits", least=1, most=MAX_ANGLE_DIGITS, bound="MAX_ANGLE_DIGITS")
    if count * max(precision, 30) > _MAX_ANGLE_WORK:
        raise ValueError(
            f"layers={count} at digits={precision} is more work than layers × max(digits, 30) "
            f"≤ {_MAX_ANGLE_WORK:,} allows; give fewer layers or fewer digits (the angles "
            "decrease like 3π/L, so a few thousand layers show the trend)"
        )
    with mpmath.workdps(precision + 10):
        current = mpmath.mpf(sp.N(angle, precision + 10))
    angles = [current]
    for _ in range(count):
        current = _angle_step(current, precision)
        angles.append(current)
    with mpmath.workdps(precision):
        return tuple(+a for a in angles)


# --- Monte Carlo ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MonteCarloEstimate:
    """A Monte Carlo mean with its standard error (sample standard deviation over
    :math:`\\sqrt{n}`) and the number of samples."""

    mean: float
    standard_error: float
    samples: int

    def agrees_with(self, value: Any, *, standard_errors: float = 4) -> bool:
        """Whether ``value`` is within ``standard_errors`` standard errors of the mean.

        Agreement is evidence for ``value``, never a proof; a disagreement at 4 standard
        errors happens by chance with probability below :math:`10^{-4}`.

        Examples
        --------
        >>> MonteCarloEstimate(0.51, 0.005, 1000).agrees_with(0.5)
        True
        >>> MonteCarloEstimate(0.51, 0.001, 1000).agrees_with(0.5)
        False
        """
        if isinstance(standard_errors, bool) or not standard_errors > 0:
            raise ValueError(f"standard_errors={standard_errors!r} must be a positive number")
        return abs(self.mean - float(value)) <= standard_errors * self.standard_error

    def __str__(self) -> str:
        return (
            f"{self.mean:.6g} ± {self.standard_error:.2g} (standard error, {self.samples} samples)"
        )


@dataclass(frozen=True)
class AngleSimulation:
    """The angles between the hidden vectors of two inputs in random ReLU networks.

    ``mean_angles[l]`` is the mean over the networks of the angle after layer :math:`l`
    (``l = 0`` the inputs), ``standard_errors[l]`` its standard error, and ``predicted[l]``
    the iterated angle map (:func:`iterate_angle_map`), the limit of infinite width.
    """

    width: int
    networks: int
    mean_angles: tuple[float, ...]
    standard_errors: tuple[float, ...]
    predicted: tuple[float, ...]

    def agrees(self, *, standard_errors: float = 4) -> bool:
        """Whether every layer's mean angle is within ``standard_errors`` standard errors of the
        predicted angle (evidence, never a proof; at finite width the mean differs from the
        limit by :math:`O(1/\\text{width})`)."""
        if isinstance(standard_errors, bool) or not standard_errors > 0:
            raise ValueError(f"standard_errors={standard_errors!r} must be a positive number")
        return all(
            abs(mean - limit) <= standard_errors * error
            for mean, limit, error in zip(
                self.mean_angles[1:], self.predicted[1:], self.standard_errors[1:], strict=True
            )
        )


def _float_vector(x: Any, name: str) -> np.ndarray:
    values = []
    for i, v in enumerate(_entries(x, name)):
        if isinstance(v, (float, np.floating)) and not isinstance(v, bool):
            values.append(float(v))
            continue
        number = exact_number(v, name=f"{name}[{i}]", floats=FloatConversion.BINARY)
        if number.free_symbols:
            raise TypeError(f"{name}[{i}]={_shown(number)} has symbols; a simulation needs numbers")
        values.append(float(number))
    vector = np.asarray(values, dtype=float)
    if not np.all(np.isfinite(vector)):
        raise ValueError(f"{name} has an entry that is not finite; give finite numbers")
    return vector


def _positive_float(value: Any, name: str) -> float:
    if isinstance(value, (float, np.floating)):
        number = float(value)
    else:
        exact = exact_number(value, name=name)
        if exact.free_symbols:
            raise TypeError(f"{name}={_shown(exact)} has symbols; a simulation needs a number")
        number = float(exact)
    if not (math.isfinite(number) and number > 0):
        raise ValueError(f"{name}={value!r} must be a positive, finite number")
    return number


def _generator(seed: Any) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise TypeError(
            f"seed={seed!r} must be an int ≥ 0 or a numpy.random.Generator, so that the "
            "simulation can be repeated"
        )
    return np.random.default_rng(int(seed))


def _check_draws(draws: int, what: str) -> None:
    if draws > MAX_GAUSSIAN_DRAWS:
        raise ValueError(
            f"{what} would draw {draws} Gaussian numbers, more than {MAX_GAUSSIAN_DRAWS} "
            "(MAX_GAUSSIAN_DRAWS, symdl.architectures.random_weights.MAX_GAUSSIAN_DRAWS); use "
            "fewer samples or a smaller size"
        )


class _Accumulator:
    """Mean and sum of squared deviations over blocks (Chan, Golub & LeVeque's update)."""

    def __init__(self) -> None:
        self.count, self.mean, self.squares = 0, 0.0, 0.0

    def add(self, values: np.ndarray) -> None:
        n = values.size
        mean = float(values.mean())
        squares = float(((values - mean) ** 2).sum())
        total = self.count + n
        delta = mean - self.mean
        self.squares += squares + delta**2 * self.count * n / total
        self.mean += delta * n / total
        self.count = total

    def estimate(self) -> MonteCarloEstimate:
        variance = self.squares / (self.count - 1)
        return MonteCarloEstimate(self.mean, math.sqrt(variance / self.count), self.count)


def _simulate(
    samples: int, per_sample: int, draw: Callable[[int], np.ndarray]
) -> MonteCarloEstimate:
    accumulator = _Accumulator()
    block = max(1, _BLOCK // per_sample)
    done = 0
    while done < samples:
        size = min(block, samples - done)
        accumulator.add(draw(size))
        done += size
    return accumulator.estimate()


def _samples(samples: Any) -> int:
    return _count(samples, "samples", least=2, most=MAX_GAUSSIAN_DRAWS, bound="MAX_GAUSSIAN_DRAWS")


def simulate_relu_layer_norm(
    x: Any, *, rows: int, variance: Any = 1, samples: int, seed: int | np.random.Generator
) -> MonteCarloEstimate:
    r"""Monte Carlo estimate of :math:`\mathbb{E}\,\|\sigma(Wx)\|^2` (exact:
    :func:`expected_relu_layer_norm`): ``samples`` matrices :math:`W` with ``rows`` rows of
    independent :math:`N(0, v)` entries.

    Parameters
    ----------
    x
        The input (numbers; floats are accepted).
    rows
        :math:`m \ge 1`.
    variance
        :math:`v > 0`.
    samples
        The number of matrices, at least 2; at most :data:`MAX_GAUSSIAN_DRAWS` Gaussian
        numbers in all.
    seed
        An int or a ``numpy.random.Generator``.

    Examples
    --------
    >>> import sympy as sp
    >>> estimate = simulate_relu_layer_norm([3, 4], rows=8, variance=0.25, samples=4000, seed=1)
    >>> estimate.agrees_with(expected_relu_layer_norm([3, 4], rows=8, variance=sp.Rational(1, 4)))
    True
    """
    vector = _float_vector(x, "x")
    m = _count(rows, "rows", least=1, most=MAX_GAUSSIAN_DRAWS, bound="MAX_GAUSSIAN_DRAWS")
    scale = math.sqrt(_positive_float(variance, "variance"))
    count = _samples(samples)
    _check_draws(count * m * vector.size, f"samples={count} matrices of {m}×{vector.size}")
    rng = _generator(seed)

    def draw(size: int) -> np.ndarray:
        # the rows of ``size`` matrices, a block of rows at a time
        total = np.zeros(size)
        rows_at_once = max(1, _BLOCK // (size * vector.size))
        for start in range(0, m, rows_at_once):
            block = min(rows_at_once, m - start)
            pre = rng.standard_normal((size, block, vector.size)) @ vector * scale
            total += (np.maximum(pre, 0.0) ** 2).sum(axis=1)
        return total

    return _simulate(count, m * vector.size, draw)


def simulate_arc_cosine_kernel(
    x: Any, y: Any, *, degree: int = 1, samples: int, seed: int | np.random.Generator
) -> MonteCarloEstimate:
    r"""Monte Carlo estimate of :math:`\mathbb{E}_{w\sim N(0, I)}\,\sigma_n(w\cdot x)\,
    \sigma_n(w\cdot y)` (exact: :func:`arc_cosine_kernel`), from ``samples`` vectors :math:`w`.

    Examples
    --------
    >>> import sympy as sp
    >>> estimate = simulate_arc_cosine_kernel([1, 0], [1, 1], samples=20000, seed=7)
    >>> estimate.agrees_with(arc_cosine_kernel([1, 0], [1, 1]))
    True
    """
    n = _degree(degree)
    u, v = _float_vector(x, "x"), _float_vector(y, "y")
    _same_length(u, v)
    count = _samples(samples)
    _check_draws(count * u.size, f"samples={count} vectors of dimension {u.size}")
    rng = _generator(seed)

    def draw(size: int) -> np.ndarray:
        w = rng.standard_normal((size, u.size))
        a, b = w @ u, w @ v
        active = (a > 0) & (b > 0)
        if n == 0:
            return active.astype(float)
        return np.where(active, a**n * b**n, 0.0)

    return _simulate(count, u.size, draw)


def _float_angle(a: np.ndarray, b: np.ndarray) -> float:
    """The angle between two nonzero vectors, accurate at every angle
    (:math:`2\\arctan(\\|\\hat a - \\hat b\\| / \\|\\hat a + \\hat b\\|)`)."""
    ua, ub = a / np.linalg.norm(a), b / np.linalg.norm(b)
    return float(2 * np.arctan2(np.linalg.norm(ua - ub), np.linalg.norm(ua + ub)))


def _relu_layer(h: np.ndarray, width: int, rng: np.random.Generator) -> np.ndarray:
    """``ReLU(W h)`` for a fresh Gaussian ``W`` (``width`` rows), drawn in blocks of rows."""
    out = np.empty((width, h.shape[1]))
    block = max(1, _BLOCK // h.shape[0])
    for start in range(0, width, block):
        stop = min(width, start + block)
        out[start:stop] = np.maximum(rng.standard_normal((stop - start, h.shape[0])) @ h, 0.0)
    return out


def simulate_network_angles(
    x: Any,
    y: Any,
    *,
    width: int,
    layers: int,
    networks: int,
    seed: int | np.random.Generator,
) -> AngleSimulation:
    r"""The angle between the hidden vectors of ``x`` and ``y`` in random bias-free ReLU
    networks of ``layers`` layers of ``width`` units, against the iterated angle map.

    Every weight is an independent standard Gaussian (a scale would not change an angle); the
    hidden vectors are normalised after each layer.  For each of ``networks`` networks the
    angle after each layer is recorded; their means and standard errors are returned with the
    iterated map :func:`iterate_angle_map`, the limit of infinite width.  At finite width the
    mean angle differs from the limit by :math:`O(1/\text{width})`.

    Raises
    ------
    ValueError
        If a vector is zero, the dimensions differ, a count is out of range (at most
        :data:`MAX_GAUSSIAN_DRAWS` Gaussian numbers in all), or a hidden vector becomes zero (every
        unit inactive: its angle is undefined; use a larger width).

    Examples
    --------
    >>> run = simulate_network_angles([1, 0], [0, 1], width=300, layers=3, networks=6, seed=0)
    >>> [round(a, 3) for a in run.predicted]  # π/2, arccos(1/π), ...
    [1.571, 1.247, 1.054, 0.921]
    >>> run.agrees()
    True

    References
    ----------
    Giryes, Sapiro & Bronstein (2016): with high probability the angles of one wide random layer
    are close to the angle map's.
    """
    u, v = _float_vector(x, "x"), _float_vector(y, "y")
    _same_length(u, v)
    for name, vector in (("x", u), ("y", v)):
        if not np.any(vector):
            raise ValueError(
                f"{name} is the zero vector, which has no angle with another vector; give a "
                "nonzero vector"
            )
    m = _count(width, "width", least=1, most=MAX_GAUSSIAN_DRAWS, bound="MAX_GAUSSIAN_DRAWS")
    depth = _count(layers, "layers", least=1, most=MAX_ANGLE_LAYERS, bound="MAX_ANGLE_LAYERS")
    count = _count(
        networks, "networks", least=2, most=MAX_GAUSSIAN_DRAWS, bound="MAX_GAUSSIAN_DRAWS"
    )
    _check_draws(
        count * (m * u.size + (depth - 1) * m * m),
        f"networks={count} networks of {depth} layers of width {m}",
    )
    rng = _generator(seed)
    angles = np.empty((count, depth + 1))
    start = _float_angle(u, v)
    angles[:, 0] = start
    for k in range(count):
        h = np.stack([u / np.linalg.norm(u), v / np.linalg.norm(v)], axis=1)
        for layer in range(1, depth + 1):
            h = _relu_layer(h, m, rng)
            norms = np.linalg.norm(h, axis=0)
            if not np.all(norms > 0):
                raise ValueError(
                    f"in network {k + 1}, layer {layer}, every unit of a hidden vector is "
                    f"inactive (a zero vector has no angle); with width={m} this happens with "
                    "probability about 2^-width per layer: use a larger width"
                )
            h = h / norms
            angles[k, layer] = _float_angle(h[:, 0], h[:, 1])
    # the float angle is at most float(π) < π: its exact binary value is a valid angle
    predicted = iterate_angle_map(sp.Rational(start), layers=depth, digits=17)
    return AngleSimulation(
        width=m,
        networks=count,
        mean_angles=tuple(float(a) for a in angles.mean(axis=0)),
        standard_errors=tuple(float(s) for s in angles.std(axis=0, ddof=1) / math.sqrt(count)),
        predicted=tuple(float(a) for a in predicted),
    )
