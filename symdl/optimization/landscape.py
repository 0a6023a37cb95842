r"""Facts about the loss landscape: positive homogeneity and linear networks (Baldi–Hornik).

*Positive homogeneity.*  The ReLU commutes with positive scaling, :math:`\sigma(\alpha z) =
\alpha\,\sigma(z)` for :math:`\alpha > 0` (if :math:`z > 0` both sides are :math:`\alpha z`,
otherwise both are 0).  A bias-free network of dense layers with positively homogeneous
activations (ReLU, leaky ReLU, identity) and depth :math:`L` therefore satisfies

.. math::

    f(x; \alpha W_1, \dots, \alpha W_L) = \alpha^L f(x; W_1, \dots, W_L), \qquad \alpha > 0 ,

by induction over the layers.  :func:`scale_weights` builds the scaled network and
:func:`factor_positive_scale` applies the lemma inside an expression, so that the identity
becomes a polynomial identity SymPy checks by expansion.

*Linear networks.*  For a linear network with one hidden layer and the squared loss, every
critical point is a global minimum or a saddle (Baldi and Hornik 1989).  The smallest case
with structure, an autoencoder :math:`x \mapsto b\,a^\top x` with one hidden unit on data of
covariance :math:`\Sigma`, has the loss

.. math::

    E(a, b) = \operatorname{tr}\bigl((I - b a^\top)\Sigma(I - b a^\top)^\top\bigr)
            = \operatorname{tr}\Sigma - 2\,a^\top\Sigma b + (a^\top\Sigma a)(b^\top b),

and :func:`autoencoder_critical_points` finds all its critical points exactly: from
:math:`\nabla_a E = 2\Sigma\bigl((b^\top b)a - b\bigr)` and
:math:`\nabla_b E = 2\bigl((a^\top\Sigma a) b - \Sigma a\bigr)`, either :math:`a = b = 0`, or
:math:`a = b/\|b\|^2` with :math:`b` an eigenvector of :math:`\Sigma`.  Each nonzero critical
point lies on the curve :math:`(a/\lambda, \lambda b)`, :math:`\lambda \ne 0`, along which
:math:`E` is constant; the Hessians along the curve are congruent (the rescaling is linear),
so one representative, the balanced one (:math:`\|a\| = \|b\|`), classifies the curve.

References
----------
P. Baldi and K. Hornik, "Neural networks and principal component analysis: learning from
examples without local minima", Neural Networks 2 (1989), 53–58.

B. D. Haeffele and R. Vidal, "Global optimality in neural network training", CVPR 2017, § 2.

R. Vidal, J. Bruna, R. Giryes and S. Soatto, "Mathematics of deep learning", arXiv:1712.04741
(2017), §§ 3–4.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from symdl.core.activations import ACTIVATIONS
from symdl.core.network import Dense, Network, exact_matrix, exact_number

__all__ = [
    "AutoencoderModel",
    "CriticalKind",
    "CriticalPoint",
    "autoencoder_critical_points",
    "autoencoder_descent",
    "classify_critical_point",
    "factor_positive_scale",
    "homogeneity_degree",
    "rank_one_autoencoder",
    "scale_weights",
]

HOMOGENEOUS_ACTIVATIONS = ("identity", "relu", "leaky_relu")
"""The built-in activations with :math:`\\sigma(\\alpha z) = \\alpha\\sigma(z)` for every
:math:`\\alpha > 0`; a registered activation whose piecewise-linear form is positively
homogeneous (:attr:`~symdl.core.activations.PiecewiseLinearForm.positively_homogeneous`)
qualifies too."""


# --- positive homogeneity --------------------------------------------------------------------


def homogeneity_degree(net: Network) -> int:
    """The degree :math:`L` of positive homogeneity of a bias-free network (its depth).

    Raises
    ------
    ValueError
        A layer has a nonzero bias, is not dense, or has an activation that does not commute
        with positive scaling; the message names the layer.

    Examples
    --------
    >>> homogeneity_degree(Network.mlp([2, 3, 1], ["relu", "identity"], biases=[[0] * 3, [0]]))
    2

    References
    ----------
    Haeffele and Vidal (2017), § 2; Vidal, Bruna, Giryes and Soatto (2017), § 4.
    """
    for l, layer in enumerate(net.layers, start=1):
        if not isinstance(layer, Dense):
            raise ValueError(f"layer {l} is a {type(layer).__name__}; only Dense layers qualify")
        form = layer.activation.linear_pieces
        if form is None or not form.positively_homogeneous:
            accepted = [
                name
                for name, act in ACTIVATIONS.items()
                if act.linear_pieces is not None and act.linear_pieces.positively_homogeneous
            ]
            raise ValueError(
                f"layer {l} uses {layer.activation.name}, which is not positively homogeneous; "
                f"accepted: {', '.join(accepted)} (every activation registered with a "
                f"piecewise-linear form without intercept and with no breakpoint but 0)"
            )
        if any(entry != 0 for entry in layer.b):
            raise ValueError(
                f"layer {l} has biases {list(layer.b)}; positive homogeneity needs a bias-free "
                f"network (give biases of zeros)"
            )
    return net.depth


def scale_weights(net: Network, alpha: Any) -> Network:
    r"""The network with every weight matrix multiplied by :math:`\alpha` (biases unchanged).

    ``alpha`` is exact: an int, a Rational or a SymPy expression (a float is refused).

    Examples
    --------
    >>> net = Network.mlp([1, 1, 1], ["relu", "identity"], weights=[[[1]], [[3]]],
    ...                   biases=[[0], [0]])
    >>> net.forward([2])[0], scale_weights(net, 2).forward([2])[0]  # 2^L = 4 times as much
    (6, 24)

    References
    ----------
    Haeffele and Vidal (2017), § 2 (positively homogeneous networks).
    """
    alpha = exact_number(alpha, name="alpha")
    layers = []
    for l, layer in enumerate(net.layers, start=1):
        if not isinstance(layer, Dense):
            raise ValueError(f"layer {l} is a {type(layer).__name__}; only Dense layers scale")
        layers.append(Dense(layer.W * alpha, layer.b, layer.activation))
    return Network(layers, inputs=net.inputs)


def factor_positive_scale(expr: sp.Expr, alpha: sp.Symbol) -> sp.Expr:
    r"""Rewrite :math:`\max(\alpha u, \alpha v, \dots)` as :math:`\alpha\max(u, v, \dots)`.

    Valid for :math:`\alpha > 0` (the lemma :math:`\sigma(\alpha z) = \alpha\sigma(z)`);
    ``alpha`` must be a positive symbol.  Applied bottom-up, it moves every factor
    :math:`\alpha` out of the ReLUs of a scaled network.

    Examples
    --------
    >>> a = sp.Symbol("alpha", positive=True)
    >>> z = sp.Symbol("z", real=True)
    >>> factor_positive_scale(sp.Max(0, a * z), a)
    alpha*Max(0, z)

    References
    ----------
    Haeffele and Vidal (2017), § 2 (positive homogeneity of the ReLU).
    """
    if not isinstance(expr, sp.Basic):  # text is refused: SymPy would parse it
        raise TypeError(f"expr={expr!r} must be a SymPy expression (e.g. net.forward()[0])")
    if not isinstance(alpha, sp.Symbol) or alpha.is_positive is not True:
        raise ValueError(
            f"alpha={alpha!r} must be a Symbol with positive=True: the lemma needs α > 0"
        )

    def degree(arg: sp.Expr) -> int | None:
        # k when arg = α^k · (an α-free expression), None otherwise.
        terms = sp.Add.make_args(sp.expand(arg))
        powers = {sp.degree(term, alpha) for term in terms}
        if len(powers) != 1:
            return None
        k = int(powers.pop())
        return None if sp.expand(arg / alpha**k).has(alpha) else k

    def pull(node: sp.Basic) -> sp.Basic:
        if not isinstance(node, (sp.Max, sp.Min)):
            return node
        degrees = {degree(arg) for arg in node.args if arg != 0}
        if len(degrees) != 1:
            return node
        k = degrees.pop()
        if k is None:
            return node
        return alpha**k * type(node)(*(sp.expand(arg / alpha**k) for arg in node.args))

    return sp.sympify(sp.expand(expr)).replace(lambda e: isinstance(e, (sp.Max, sp.Min)), pull)


# --- a linear autoencoder with one hidden unit (Baldi–Hornik) -------------------------------


class CriticalKind(enum.Enum):
    """The kind of a critical point, from its Hessian and its value."""

    GLOBAL_MINIMUM = "global minimum"
    LOCAL_MINIMUM = "local minimum (not global)"
    SADDLE = "saddle"
    LOCAL_MAXIMUM = "local maximum"


@dataclass(frozen=True)
class CriticalPoint:
    """A critical point: coordinates, value, exact Hessian eigenvalues, and its kind."""

    point: dict[sp.Symbol, sp.Expr]
    value: sp.Expr
    eigenvalues: dict[sp.Expr, int]
    kind: CriticalKind


@dataclass(frozen=True)
class AutoencoderModel:
    r"""The loss :math:`E(a, b)` of :math:`x \mapsto b a^\top x` on data of covariance Σ."""

    sigma: sp.Matrix
    a: tuple[sp.Symbol, ...]
    b: tuple[sp.Symbol, ...]
    loss: sp.Expr

    @property
    def variables(self) -> tuple[sp.Symbol, ...]:
        """:math:`(a_1, \\dots, a_d, b_1, \\dots, b_d)`."""
        return self.a + self.b

    def gradient(self) -> sp.Matrix:
        """The exact gradient of :math:`E`."""
        return sp.Matrix([sp.diff(self.loss, v) for v in self.variables])

    def hessian(self) -> sp.Matrix:
        """The exact Hessian of :math:`E`."""
        return sp.hessian(self.loss, self.variables)


def rank_one_autoencoder(sigma: Any) -> AutoencoderModel:
    r"""The autoencoder with one hidden unit on data of covariance ``sigma`` (exact, SPD).

    Examples
    --------
    >>> model = rank_one_autoencoder(sp.diag(3, 2, 1))
    >>> model.loss.subs({v: 0 for v in model.variables})
    6

    References
    ----------
    Baldi and Hornik (1989) (the linear autoencoder and its squared loss).
    """
    d = sigma.rows if isinstance(sigma, sp.MatrixBase) else len(sigma)  # a square matrix
    matrix = exact_matrix(sigma, (d, d), name="sigma")
    if not matrix.is_symmetric() or not matrix.is_positive_definite:
        raise ValueError(f"sigma={matrix.tolist()} must be symmetric positive definite")
    a = sp.Matrix(sp.symbols(f"a1:{d + 1}", real=True))
    b = sp.Matrix(sp.symbols(f"b1:{d + 1}", real=True))
    M = b * a.T
    identity = sp.eye(d)
    loss = sp.expand(((identity - M) * matrix * (identity - M).T).trace())
    return AutoencoderModel(matrix, tuple(a), tuple(b), loss)


def classify_critical_point(
    model: AutoencoderModel, point: dict[sp.Symbol, sp.Expr], lowest: sp.Expr
) -> CriticalPoint:
    """Classify a critical point by its exact Hessian eigenvalues and its value.

    A negative and a positive eigenvalue make a saddle.  A positive semidefinite Hessian whose
    kernel is exactly the rescaling direction :math:`(-a, b)` is a minimum along a curve of
    minima; it is global when its value is the lowest critical value (the minimum exists:
    :math:`E` depends on :math:`M = ba^\\top` only and is coercive on the closed set of
    matrices of rank at most one).
    """
    unknown = sorted(str(v) for v in point if v not in model.variables)
    if unknown or len(point) != len(model.variables):
        raise ValueError(
            f"point must give a value to each of {', '.join(map(str, model.variables))}; "
            f"got {', '.join(map(str, point))}"
        )
    point = {v: exact_number(value, name=str(v)) for v, value in point.items()}
    hessian = model.hessian().subs(point)
    eigenvalues = hessian.eigenvals()
    value = sp.simplify(model.loss.subs(point))
    negative = any(sp.simplify(e).is_negative for e in eigenvalues)
    positive = any(sp.simplify(e).is_positive for e in eigenvalues)
    if negative and positive:
        kind = CriticalKind.SADDLE
    elif negative:
        kind = CriticalKind.LOCAL_MAXIMUM
    else:
        orbit = sp.Matrix([-point[v] for v in model.a] + [point[v] for v in model.b])
        kernel = hessian.nullspace()
        if len(kernel) != 1 or sp.Matrix.hstack(kernel[0], orbit).rank() != 1:
            raise ValueError(f"the Hessian at {point} is degenerate beyond the rescaling")
        global_ = sp.simplify(value - lowest) == 0
        kind = CriticalKind.GLOBAL_MINIMUM if global_ else CriticalKind.LOCAL_MINIMUM
    return CriticalPoint(point, value, eigenvalues, kind)


def autoencoder_critical_points(model: AutoencoderModel) -> list[CriticalPoint]:
    r"""All critical points of :math:`E`, one balanced representative per curve, classified.

    Case :math:`b = 0` gives :math:`\Sigma a = 0`, so :math:`a = 0`.  Otherwise
    :math:`\nabla_a E = 0` gives :math:`a = b / \|b\|^2`; writing :math:`b = \lambda u` with
    :math:`\|u\| = 1`, :math:`\nabla_b E = 0` becomes :math:`\Sigma u = (u^\top\Sigma u)\,u`,
    solved exactly; the representative is :math:`a = b = u` (:math:`\lambda = 1`).

    Examples
    --------
    >>> points = autoencoder_critical_points(rank_one_autoencoder(sp.diag(3, 2, 1)))
    >>> sorted((p.value, p.kind.value) for p in points)[:3]
    [(3, 'global minimum'), (3, 'global minimum'), (4, 'saddle')]

    References
    ----------
    Baldi and Hornik (1989): the critical points are projections onto eigenvectors of
    :math:`\Sigma`, and all but the global minimum are saddles.
    """
    d = len(model.a)
    u = sp.symbols(f"u1:{d + 1}", real=True)
    q = sp.Symbol("q", real=True)
    U = sp.Matrix(u)
    equations = [*(model.sigma * U - q * U), q - (U.T * model.sigma * U)[0], (U.T * U)[0] - 1]
    solutions = sp.solve(equations, [*u, q], dict=True)
    points = [dict.fromkeys(model.variables, sp.Integer(0))]
    for solution in solutions:
        vector = [solution[ui] for ui in u]
        points.append(dict(zip(model.variables, vector + vector, strict=True)))
    gradient = model.gradient()
    for point in points:
        if any(sp.simplify(g) != 0 for g in gradient.subs(point)):
            raise ArithmeticError(f"{point} is not a critical point")  # a bug, not bad input
    lowest = min((model.loss.subs(point) for point in points), key=lambda v: float(v))
    return [classify_critical_point(model, point, lowest) for point in points]


def autoencoder_descent(
    sigma: np.ndarray, starts: np.ndarray, *, rate: float = 0.02, steps: int = 5000
) -> np.ndarray:
    r"""Gradient descent on :math:`E(a, b)` from many starts; returns the final losses.

    The gradient is written by hand, :math:`\nabla_a E = 2\Sigma((b^\top b) a - b)`,
    :math:`\nabla_b E = 2((a^\top \Sigma a) b - \Sigma a)`, independently of the symbolic
    model; ``starts`` has shape ``(k, 2d)``, rows :math:`(a, b)`.

    Examples
    --------
    >>> starts = np.random.default_rng(0).normal(size=(5, 4))
    >>> np.round(autoencoder_descent(np.diag([2.0, 1.0]), starts), 6).tolist()  # tr Σ - 2
    [1.0, 1.0, 1.0, 1.0, 1.0]
    """
    sigma = np.asarray(sigma, dtype=float)
    starts = np.asarray(starts, dtype=float)
    d = sigma.shape[0]
    if sigma.shape != (d, d) or starts.ndim != 2 or starts.shape[1] != 2 * d:
        raise ValueError(
            f"sigma of shape {sigma.shape} and starts of shape {starts.shape}: give a square "
            f"(d, d) covariance and starts of shape (k, 2d), each row (a, b)"
        )
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0 or not rate > 0:
        raise ValueError(
            f"rate={rate!r}, steps={steps!r}: give a positive rate and a number of steps >= 0"
        )
    a, b = starts[:, :d].copy(), starts[:, d:].copy()
    for _ in range(steps):
        bb = (b * b).sum(axis=1, keepdims=True)
        sa = a @ sigma
        asa = (a * sa).sum(axis=1, keepdims=True)
        grad_a = 2 * (bb * a - b) @ sigma
        grad_b = 2 * (asa * b - sa)
        a, b = a - rate * grad_a, b - rate * grad_b
    sa = a @ sigma
    losses: np.ndarray = (
        np.trace(sigma) - 2 * (sa * b).sum(axis=1) + (a * sa).sum(axis=1) * (b * b).sum(axis=1)
    )
    return losses
