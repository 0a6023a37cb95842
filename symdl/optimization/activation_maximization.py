r"""Activation maximization: the input of norm at most :math:`r` that maximizes one unit.

To see what a unit :math:`g(x)` of a network responds to, look for the input it likes best
under a norm constraint, :math:`\max_{\|x\| \le r} g(x)` (Erhan et al. 2009; Simonyan, Vedaldi
and Zisserman 2014 add a penalty instead of the constraint).

**One monotone unit, in closed form.**  For :math:`g(x) = \sigma(w \cdot x + b)` with
:math:`w \ne 0` and :math:`\sigma` non-decreasing, the Cauchy–Schwarz inequality
:math:`w \cdot x \le \|w\|\,\|x\| \le r \|w\|`, with equality exactly when :math:`x` is the
positive multiple of :math:`w` of norm :math:`r`, gives

.. math::

    x^* = r\, \frac{w}{\|w\|}, \qquad \max_{\|x\| \le r} g(x) = \sigma(r\|w\| + b),

and the maximiser is unique when :math:`\sigma` is strictly increasing on the left of
:math:`r\|w\| + b` (a ReLU unit: when :math:`r\|w\| + b > 0`).  For a non-increasing
:math:`\sigma` the maximiser is :math:`-r w/\|w\|` (:func:`maximizing_input`).

**A network, by exact projected gradient ascent.**  For a unit of a network with rational
weights and piecewise-linear activations (ReLU, leaky ReLU, identity) the gradient at a
rational point is rational (at a kink the piece on the left is taken, so
:math:`\mathrm{ReLU}'(0) = 0`), and the step :math:`y = x_k + \eta \nabla g(x_k)` is exact.
The Euclidean projection onto the ball, :math:`r y/\|y\|`, is irrational in general; it is
replaced by a rational point **exactly on the sphere** (the inverse stereographic projection
of a rational point) whose distance to :math:`r y/\|y\|` is certified below a tolerance by an
exact comparison.  Every iterate is then an exact rational point of the ball, and its value a
lower bound of the maximum.  Where the ascent settles, :func:`activation_ascent` takes the
linear region of its last iterate, on which :math:`g(x) = v \cdot x + c`, and the exact
candidate :math:`x^* = r v/\|v\|` with value :math:`c + r\|v\|`; when :math:`x^*` lies strictly
inside that region (decided exactly, radicals included) it is a certified strict local
maximiser of :math:`g` on the ball.

References
----------
D. Erhan, Y. Bengio, A. Courville and P. Vincent, "Visualizing higher-layer features of a
deep network", Technical Report 1341, Université de Montréal, 2009.

K. Simonyan, A. Vedaldi and A. Zisserman, "Deep inside convolutional networks: visualising
image classification models and saliency maps", ICLR Workshop 2014, § 2.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import mpmath
import numpy as np
import sympy as sp

from symdl.core.activations import Activation, PiecewiseLinearForm, get_activation
from symdl.core.exact import exact_matrix, exact_number, exact_rational, positive, positive_integer
from symdl.core.exceptions import NotSupportedError
from symdl.core.layers import Dense
from symdl.core.network import Network

if TYPE_CHECKING:  # matplotlib is imported only when a figure is drawn
    from matplotlib.figure import Figure

__all__ = [
    "MAX_ASCENT_INPUTS",
    "MAX_ASCENT_STEPS",
    "AscentRun",
    "UnitMaximum",
    "activation_ascent",
    "activation_ascent_figure",
    "maximizing_input",
]

#: The most iterations :func:`activation_ascent` runs.
MAX_ASCENT_STEPS = 10_000

_TOLERANCE = sp.Rational(1, 10**6)

#: The largest input dimension :func:`activation_ascent` and :func:`maximizing_input` accept.
MAX_ASCENT_INPUTS = 64


# --- one monotone unit ----------------------------------------------------------------------


@dataclass(frozen=True)
class UnitMaximum:
    r"""The maximum of :math:`\sigma(w \cdot x + b)` over the ball :math:`\|x\| \le r`.

    Attributes
    ----------
    maximizer
        :math:`x^* = \pm r w/\|w\|` (a column; + for a non-decreasing :math:`\sigma`).
    maximum
        :math:`\sigma(\pm r\|w\| + b)`.
    pre_activation
        :math:`w \cdot x^* + b = \pm r\|w\| + b`.
    unique
        Whether :math:`x^*` is proved to be the only maximiser.
    """

    maximizer: sp.Matrix
    maximum: sp.Expr
    pre_activation: sp.Expr
    unique: bool


def _vector(values: Any, name: str) -> sp.Matrix:
    if isinstance(values, sp.MatrixBase):
        count = values.rows * values.cols
        values = list(values)
    elif isinstance(values, (Sequence, np.ndarray)) and not isinstance(values, (str, bytes)):
        count = len(values)
    else:
        raise TypeError(f"{name}={values!r}: give a list of exact numbers (a vector)")
    if not 1 <= count <= MAX_ASCENT_INPUTS:
        raise ValueError(
            f"{name} has {count} entries: 1 to {MAX_ASCENT_INPUTS} (symdl.optimization."
            "activation_maximization.MAX_ASCENT_INPUTS) are accepted"
        )
    return exact_matrix(list(values), (count, 1), name=name)


def _derivative_sign(act: Activation) -> tuple[int, bool]:
    """(+1 or -1, strictly): the direction in which ``act`` is monotone, and whether its
    derivative is positive (in absolute value) everywhere but at finitely many points."""
    pieces = act.linear_pieces
    if pieces is not None:
        if all(s >= 0 for s in pieces.slopes):
            return 1, all(s > 0 for s in pieces.slopes)
        if all(s <= 0 for s in pieces.slopes):
            return -1, all(s < 0 for s in pieces.slopes)
        raise ValueError(
            f"activation {act.name!r} has slopes {[str(s) for s in pieces.slopes]} of both "
            "signs: it is not monotone, and the closed form needs a monotone unit; use "
            "activation_ascent for it"
        )
    z = sp.Symbol("z", real=True)
    derivative = act.derivative(z)
    for form in (derivative, sp.factor(sp.simplify(derivative.rewrite(sp.exp)))):
        if form.is_nonnegative:
            return 1, bool(form.is_positive)
        if form.is_nonpositive:
            return -1, bool(form.is_negative)
    raise NotSupportedError(
        f"symdl cannot decide whether activation {act.name!r} (derivative {derivative}) is "
        "monotone; the closed form needs a monotone unit: use activation_ascent for it"
    )


def _slope_beside(pieces: PiecewiseLinearForm, z: sp.Expr, side: int) -> sp.Rational:
    """The slope of the piece just left (``side = 1``) or just right (``side = -1``) of ``z``."""
    if side == 1:
        return pieces.slopes[sum(1 for b in pieces.breakpoints if bool(b < z))]
    return pieces.slopes[sum(1 for b in pieces.breakpoints if bool(b <= z))]


def maximizing_input(
    weights: Any, *, radius: Any, bias: Any = 0, activation: str | Activation = "identity"
) -> UnitMaximum:
    r"""The input of norm at most ``radius`` that maximizes the unit
    :math:`\sigma(w \cdot x + b)`, in closed form (Cauchy–Schwarz).

    Parameters
    ----------
    weights
        :math:`w \ne 0`, a list of exact numbers.
    radius
        :math:`r > 0`.
    bias
        :math:`b` (default 0).
    activation
        A monotone activation (a name from :data:`symdl.core.activations.ACTIVATIONS` or an
        :class:`~symdl.core.activations.Activation`); default the identity, a linear unit.

    Raises
    ------
    ValueError
        If :math:`w = 0`, :math:`r \le 0` or the activation is not monotone.
    NotSupportedError
        If the monotonicity of the activation cannot be decided.

    Examples
    --------
    >>> best = maximizing_input([3, 4], radius=2, bias=-1, activation="relu")
    >>> best.maximizer.T, best.maximum, best.unique
    (Matrix([[6/5, 8/5]]), 9, True)
    >>> maximizing_input([1, 1], radius=1).maximizer.T
    Matrix([[sqrt(2)/2, sqrt(2)/2]])
    """
    w = _vector(weights, "weights")
    if w.is_zero_matrix:
        raise ValueError(
            "weights = 0: the unit is constant and every input of the ball maximizes it; give "
            "a nonzero weight vector"
        )
    r = positive(radius, name="radius", reason="the radius of the ball")
    b = exact_number(bias, name="bias")
    act = get_activation(activation)
    direction, strict = _derivative_sign(act)
    norm = sp.sqrt(sum(v**2 for v in w))
    maximizer = (direction * r / norm * w).applyfunc(sp.radsimp)
    z = sp.radsimp(direction * r * norm + b)
    unique = strict
    if act.linear_pieces is not None and not strict:
        # the maximum is reached only at x* when σ moves strictly toward it beside it
        unique = bool(direction * _slope_beside(act.linear_pieces, z, direction) > 0)
    return UnitMaximum(maximizer, sp.simplify(act(z)), z, unique)


# --- a network, by projected gradient ascent ----------------------------------------------


@dataclass(frozen=True)
class AscentRun:
    r"""A run of exact projected gradient ascent on one unit of a network, over a ball.

    Attributes
    ----------
    network, layer, neuron
        The network and the unit :math:`a^{(l)}_j` (1-based, as in the mathematics).
    radius, step, tolerance
        :math:`r`, the step size :math:`\eta`, and the bound on the distance of each rational
        projection from the exact one.
    path
        The iterates :math:`x_0, x_1, \dots`: exact rational points of the ball (columns).
    values
        The unit's exact value at each iterate (each a lower bound of the maximum).
    maximizer, maximum
        The exact candidate :math:`r v/\|v\|` and its value :math:`c + r\|v\|` on the linear
        region of the last iterate, or ``None`` when the unit is constant there.
    certified
        Whether the candidate lies strictly inside that region, which proves it a strict local
        maximiser of the unit on the ball.
    """

    network: Network
    layer: int
    neuron: int
    radius: sp.Rational
    step: sp.Rational
    tolerance: sp.Rational
    path: tuple[sp.Matrix, ...]
    values: tuple[sp.Rational, ...]
    maximizer: sp.Matrix | None
    maximum: sp.Expr | None
    certified: bool


def _pieces(layer: Any, index: int) -> PiecewiseLinearForm:
    if not isinstance(layer, Dense):
        raise NotSupportedError(
            f"layer {index} is a {type(layer).__name__}: the exact ascent handles dense layers "
            "with piecewise-linear activations only"
        )
    pieces = layer.activation.linear_pieces
    if pieces is None:
        raise NotSupportedError(
            f"layer {index} uses {layer.activation.name!r}, which is not piecewise linear: its "
            "gradient is not rational, so the exact ascent cannot run on it; use ReLU, leaky "
            "ReLU or the identity (or maximizing_input for a single monotone unit)"
        )
    if layer.parameters:
        raise ValueError(
            f"layer {index} has free parameters {', '.join(map(str, layer.parameters))}: "
            "give every weight and bias a value (Network.substitute)"
        )
    return pieces


def _intercepts(pieces: PiecewiseLinearForm) -> list[sp.Rational]:
    """The intercept of each piece: ``f(z) = s_k z + c_k`` on piece ``k``."""
    values = [pieces.intercept]
    for k, b in enumerate(pieces.breakpoints):
        values.append(values[-1] + (pieces.slopes[k] - pieces.slopes[k + 1]) * b)
    return values


def _affine_forms(
    layers: Sequence[Dense], neuron: int, x: sp.Matrix
) -> tuple[list[tuple[int, int, sp.Matrix, sp.Rational, int]], sp.Matrix, sp.Rational]:
    """At the rational point ``x``: for every unit up to the target, (layer, unit, the row
    ``α`` and constant ``β`` of its pre-activation ``α·x + β`` on the linear region of ``x``,
    its piece); and the unit's value as ``v·x + c``, ``(v, c)``."""
    n = x.rows
    M, m = sp.eye(n), sp.zeros(n, 1)  # a^{(l-1)} = M x + m on the region
    units = []
    for l, layer in enumerate(layers, start=1):
        pieces = _pieces(layer, l)
        intercepts = _intercepts(pieces)
        zM, zm = layer.W * M, layer.W * m + layer.b
        z = zM * x + zm
        rows = range(layer.n_out) if l < len(layers) else [neuron - 1]
        slopes, constants = [], []
        for j in range(layer.n_out):
            piece = bisect.bisect_left(pieces.breakpoints, z[j])
            slopes.append(pieces.slopes[piece])
            constants.append(intercepts[piece])
            if j in rows:
                units.append((l, j + 1, zM.row(j), zm[j], piece))
        S = sp.diag(*slopes)
        M, m = S * zM, S * zm + sp.Matrix(constants)
    return units, M.row(neuron - 1).T, m[neuron - 1]


def _sign(a: sp.Rational, c: sp.Rational, q: sp.Rational) -> int:
    """The exact sign of :math:`a + c\\sqrt q` (rationals, :math:`q \\ge 0`)."""
    sa, sc = int(sp.sign(a)), int(sp.sign(c)) if q > 0 else 0
    if sc == 0 or sa == sc:
        return sa or sc
    if sa == 0:
        return sc
    difference = a * a - c * c * q
    return sa if difference > 0 else (sc if difference < 0 else 0)


def _onto_sphere(y: sp.Matrix, r: sp.Rational, tolerance: sp.Rational) -> sp.Matrix:
    """A rational point exactly on the sphere of radius ``r`` within ``tolerance`` of the
    projection ``r y/|y|``, certified exactly."""
    d = y.rows
    if d == 1:
        return sp.Matrix([r * sp.sign(y[0])])
    squared = sum(v**2 for v in y)
    pole = 1 if y[-1] >= 0 else -1
    # the inverse stereographic map is 2-Lipschitz on |t| ≤ 1: rounding t to 2^-k moves the
    # point by at most 2 r √d 2^-k
    bits = int(sp.ceiling(8 * r * d / tolerance)).bit_length()
    c = r - tolerance**2 / (2 * r)
    while True:
        ctx = mpmath.MPContext()
        ctx.prec = bits + 64
        norm = ctx.sqrt(ctx.mpf(int(squared.p)) / int(squared.q))
        denominator = norm + ctx.mpf(int(abs(y[-1]).p)) / int(abs(y[-1]).q)
        t = [
            sp.Rational(
                int(ctx.nint(ctx.mpf(int(v.p)) / int(v.q) / denominator * 2**bits)), 2**bits
            )
            for v in y[:-1]
        ]
        tt = sum(v**2 for v in t)
        point = sp.Matrix([*(2 * r * v / (1 + tt) for v in t), pole * r * (1 - tt) / (1 + tt)])
        # |p - r y/|y||² = 2r² - 2r p·y/|y| ≤ tolerance²  ⇔  p·y ≥ c |y|
        dot = (point.T * y)[0, 0]
        if dot >= 0 and (c <= 0 or dot**2 >= c**2 * squared):
            return point
        bits += 32


def _check_network(network: Any, layer: int | None, neuron: int) -> tuple[list[Dense], int, int]:
    if not isinstance(network, Network):
        raise TypeError(
            f"network={network!r} is not a Network; build one with symdl.core.network.Network.mlp"
        )
    depth = network.depth
    l = depth if layer is None else int(positive_integer(layer, name="layer"))
    if l > depth:
        raise ValueError(f"layer={l}: the network has layers 1 to {depth}")
    for index, item in enumerate(network.layers[:l], start=1):
        _pieces(item, index)
    layers = [item for item in network.layers[:l] if isinstance(item, Dense)]
    j = int(positive_integer(neuron, name="neuron"))
    if j > layers[-1].n_out:
        raise ValueError(f"neuron={j}: layer {l} has neurons 1 to {layers[-1].n_out}")
    if network.n_inputs > MAX_ASCENT_INPUTS:
        raise ValueError(
            f"the network has {network.n_inputs} inputs: at most {MAX_ASCENT_INPUTS} "
            "(symdl.optimization.activation_maximization.MAX_ASCENT_INPUTS)"
        )
    return layers, l, j


def activation_ascent(
    network: Network,
    start: Any,
    *,
    radius: Any,
    step: Any,
    layer: int | None = None,
    neuron: int = 1,
    steps: int = 200,
    tolerance: Any = _TOLERANCE,
) -> AscentRun:
    r"""Exact projected gradient ascent on the unit :math:`a^{(l)}_j` over the ball of radius
    ``radius``, and the exact local maximiser it finds.

    Parameters
    ----------
    network
        A network of dense layers with rational weights and piecewise-linear activations.
    start
        :math:`x_0`, exact numbers (projected onto the ball if outside).
    radius, step
        :math:`r > 0` and the step size :math:`\eta > 0` (rational).
    layer, neuron
        The unit, 1-based (default: neuron 1 of the last layer).
    steps
        The most iterations (at most :data:`MAX_ASCENT_STEPS`); the run stops earlier when an
        iterate moves by at most ``tolerance``, or the gradient is zero.
    tolerance
        Each rational projection onto the sphere is within ``tolerance / 8`` of the exact one.

    Returns
    -------
    AscentRun

    Examples
    --------
    The unit :math:`\mathrm{ReLU}(3x_1 + 4x_2 - 1)` on the ball of radius 2: the ascent finds
    :math:`2 w/\|w\| = (6/5, 8/5)`, certified, with value 9.

    >>> net = Network.mlp([2, 1], "relu", weights=[[[3, 4]]], biases=[[-1]])
    >>> run = activation_ascent(net, [1, 0], radius=2, step=sp.Rational(1, 10))
    >>> run.maximizer.T, run.maximum, run.certified
    (Matrix([[6/5, 8/5]]), 9, True)
    >>> all(v <= 9 for v in run.values)
    True
    """
    layers, l, j = _check_network(network, layer, neuron)
    r = exact_rational(positive(radius, name="radius"), name="radius")
    eta = exact_rational(positive(step, name="step"), name="step")
    tol = exact_rational(positive(tolerance, name="tolerance"), name="tolerance")
    count = int(positive_integer(steps, name="steps"))
    if count > MAX_ASCENT_STEPS:
        raise ValueError(
            f"steps={count}: at most {MAX_ASCENT_STEPS} (symdl.optimization."
            "activation_maximization.MAX_ASCENT_STEPS)"
        )
    x = _vector(start, "start")
    if x.rows != network.n_inputs:
        raise ValueError(f"start has {x.rows} entries; the network takes {network.n_inputs}")
    if any(not v.is_Rational for v in x):
        raise ValueError(f"start = {list(x)} must be rational")
    if sum(v**2 for v in x) > r**2:
        x = _onto_sphere(x, r, tol / 8)
    _, v, c = _affine_forms(layers, j, x)
    path, values = [x], [(v.T * x)[0, 0] + c]
    for _ in range(count):
        if v.is_zero_matrix:
            break
        y = x + eta * v
        following = y if sum(e**2 for e in y) <= r**2 else _onto_sphere(y, r, tol / 8)
        moved = following - x
        x = following
        _, v, c = _affine_forms(layers, j, x)
        path.append(x)
        values.append((v.T * x)[0, 0] + c)
        if (moved.T * moved)[0, 0] <= tol**2:
            break
    maximizer, maximum, certified = _certify(layers, j, x, r)
    return AscentRun(
        network, l, j, r, eta, tol, tuple(path), tuple(values), maximizer, maximum, certified
    )


def _certify(
    layers: Sequence[Dense], neuron: int, x: sp.Matrix, r: sp.Rational
) -> tuple[sp.Matrix | None, sp.Expr | None, bool]:
    units, v, c = _affine_forms(layers, neuron, x)
    q = (v.T * v)[0, 0]
    if q == 0:
        return None, None, False
    norm = sp.sqrt(q)
    maximizer = (r * v / norm).applyfunc(sp.radsimp)
    inside = True
    for l, _, alpha, beta, piece in units:
        breakpoints = _pieces(layers[l - 1], l).breakpoints
        along = r * (alpha * v)[0, 0] / q  # α·x* + β = β + along √q
        if piece > 0 and _sign(beta - breakpoints[piece - 1], along, q) <= 0:
            inside = False
        if piece < len(breakpoints) and _sign(beta - breakpoints[piece], along, q) >= 0:
            inside = False
    return maximizer, sp.radsimp(c + r * norm), inside


def _numpy_unit(run: AscentRun, points: np.ndarray) -> np.ndarray:
    """The unit at an array of points (shape (n, d)), in floating point, layer by layer."""
    a = points.T.astype(np.float64)
    for layer in run.network.layers[: run.layer]:
        if not isinstance(layer, Dense):  # refused by activation_ascent
            raise NotSupportedError(f"a {type(layer).__name__} layer is not drawn")
        W = np.array(layer.W.tolist(), dtype=np.float64)
        b = np.array(layer.b.tolist(), dtype=np.float64)
        a = layer.activation.numpy(W @ a + b)
    return np.asarray(a[run.neuron - 1])


def activation_ascent_figure(
    runs: AscentRun | Sequence[AscentRun], *, resolution: int = 201
) -> Figure:
    """The unit over the disk, the paths of one or more ascents on it, and the maximisers
    they certify (a network with 2 inputs).

    Examples
    --------
    >>> net = Network.mlp([2, 1], "relu", weights=[[[3, 4]]], biases=[[-1]])
    >>> run = activation_ascent(net, [1, 0], radius=2, step=sp.Rational(1, 10))
    >>> figure = activation_ascent_figure(run, resolution=21)
    >>> figure.axes[0].get_xlabel(), len(figure.axes[0].lines)  # the circle, path, maximiser
    ('$x_1$', 3)
    """
    chosen = [runs] if isinstance(runs, AscentRun) else runs
    if (
        isinstance(chosen, (str, bytes))
        or not isinstance(chosen, Sequence)
        or not chosen
        or not all(isinstance(run, AscentRun) for run in chosen)
    ):
        raise TypeError(
            f"runs={runs!r}: give an AscentRun or a non-empty list of them (from activation_ascent)"
        )
    first = chosen[0]
    unit = (first.network, first.layer, first.neuron, first.radius)
    if any((run.network, run.layer, run.neuron, run.radius) != unit for run in chosen):
        raise ValueError(
            "the runs maximize different units or balls; give runs of one unit of one network "
            "over one ball"
        )
    if first.network.n_inputs != 2:
        raise ValueError(
            f"the network has {first.network.n_inputs} inputs: the figure draws the disk of a "
            "network with 2 inputs"
        )
    if isinstance(resolution, bool) or not isinstance(resolution, int) or resolution < 5:
        raise ValueError(f"resolution={resolution!r}: give an integer of at least 5")
    if resolution > 2001:
        raise ValueError(f"resolution={resolution}: at most 2001 points per axis")
    from matplotlib.figure import Figure

    r = float(first.radius)
    axis = np.linspace(-r, r, resolution)
    X1, X2 = np.meshgrid(axis, axis)
    values = _numpy_unit(first, np.column_stack([X1.ravel(), X2.ravel()])).reshape(X1.shape)
    values = np.where(np.hypot(X1, X2) <= r, values, np.nan)
    figure = Figure(figsize=(5.2, 4.4), layout="constrained")
    axes = figure.subplots()
    filled = axes.contourf(X1, X2, values, levels=20, cmap="viridis")
    figure.colorbar(filled, ax=axes, label=f"$a^{{({first.layer})}}_{{{first.neuron}}}(x)$")
    angle = np.linspace(0, 2 * np.pi, 400)
    axes.plot(r * np.cos(angle), r * np.sin(angle), color="black", linewidth=1)
    for number, run in enumerate(chosen):
        path = np.array([[float(v) for v in point] for point in run.path])
        axes.plot(
            path[:, 0],
            path[:, 1],
            "o-",
            color="white",
            markeredgecolor="black",
            markersize=3,
            label="ascent" if number == 0 else None,
        )
        if run.maximizer is not None:
            best = [float(v) for v in run.maximizer]
            value = sp.latex(run.maximum, fold_short_frac=True)
            label = f"local maximum ${value}$" + ("" if run.certified else " (not certified)")
            axes.plot(
                *best,
                marker="*",
                markeredgecolor="black",
                markersize=14,
                linestyle="none",
                label=label,
            )
    axes.set_aspect("equal")
    axes.set_xlabel("$x_1$")
    axes.set_ylabel("$x_2$")
    axes.set_title(f"maximizing one unit over $\\|x\\| \\leq {sp.latex(first.radius)}$")
    axes.legend(fontsize="small", loc="lower left", facecolor="lightgray")
    return figure
