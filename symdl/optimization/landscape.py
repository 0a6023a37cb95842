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

When an eigenvalue :math:`\lambda` of :math:`\Sigma` is repeated (multiplicity
:math:`m \ge 2`), its critical points are not isolated even up to rescaling: every unit vector
:math:`u` of its eigenspace is a solution, and the points :math:`(u/\mu, \mu u)` form one
connected set of dimension :math:`m` (:class:`CriticalSet`; for :math:`\Sigma =
\operatorname{diag}(2, 2, 1)`, a circle of balanced global minima at :math:`E = 3`).  The
Hessian then vanishes on the whole tangent space of the set; a point is a minimum when it is
positive semidefinite with exactly that kernel (the Morse–Bott condition), and a saddle when it
has a negative eigenvalue.

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
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from symdl.core.activations import ACTIVATIONS
from symdl.core.exceptions import NotSupportedError
from symdl.core.limits import deadline
from symdl.core.network import Dense, Network, exact_matrix, exact_number
from symdl.optimization.series import _attempt, plain_text

__all__ = [
    "AutoencoderModel",
    "CriticalKind",
    "CriticalPoint",
    "CriticalSet",
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


def _check_network(net: object) -> None:
    if not isinstance(net, Network):
        raise TypeError(
            f"net={net!r} is not a symdl Network; build one, e.g. Network.mlp([2, 3, 1], "
            '["relu", "identity"])'
        )


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
    _check_network(net)
    for l, layer in enumerate(net.layers, start=1):
        if not isinstance(layer, Dense):
            raise ValueError(f"layer {l} is a {type(layer).__name__}; only Dense layers qualify")
        for j, activation in enumerate(layer.activations, start=1):
            form = activation.linear_pieces
            if form is None or not form.positively_homogeneous:
                accepted = [
                    name
                    for name, act in ACTIVATIONS.items()
                    if act.linear_pieces is not None and act.linear_pieces.positively_homogeneous
                ]
                neuron = f", neuron {j}," if layer.is_mixed else ""
                raise ValueError(
                    f"layer {l}{neuron} uses {activation.name}, which is not positively "
                    f"homogeneous; accepted: {', '.join(accepted)} (every activation registered "
                    f"with a piecewise-linear form without intercept and with no breakpoint but 0)"
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
    _check_network(net)
    alpha = exact_number(alpha, name="alpha")
    layers = []
    for l, layer in enumerate(net.layers, start=1):
        if not isinstance(layer, Dense):
            raise ValueError(f"layer {l} is a {type(layer).__name__}; only Dense layers scale")
        layers.append(Dense(layer.W * alpha, layer.b, activations=layer.activations))
    return Network(layers, inputs=net.inputs)


def factor_positive_scale(expr: sp.Expr, alpha: sp.Symbol, *, seconds: float = 30.0) -> sp.Expr:
    r"""Rewrite :math:`\max(\alpha u, \alpha v, \dots)` as :math:`\alpha\max(u, v, \dots)`.

    Valid for :math:`\alpha > 0` (the lemma :math:`\sigma(\alpha z) = \alpha\sigma(z)`);
    ``alpha`` must be a positive symbol.  Applied bottom-up, it moves every factor
    :math:`\alpha` out of the ReLUs of a scaled network, within ``seconds``
    (:class:`~symdl.core.limits.TimeLimitExceededError` past them).

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

    with deadline(seconds):
        expanded = sp.sympify(sp.expand(expr))
        return expanded.replace(lambda e: isinstance(e, (sp.Max, sp.Min)), pull)


# --- a linear autoencoder with one hidden unit (Baldi–Hornik) -------------------------------


class CriticalKind(enum.Enum):
    """The kind of a critical point, from its Hessian and its value."""

    GLOBAL_MINIMUM = "global minimum"
    LOCAL_MINIMUM = "local minimum (not global)"
    SADDLE = "saddle"
    LOCAL_MAXIMUM = "local maximum"


@dataclass(frozen=True)
class CriticalSet:
    r"""A connected set of critical points of :math:`E`, on which :math:`E` is constant.

    The points :math:`(a, b) = (u/\mu, \mu u)`, :math:`\mu > 0`, for :math:`u` a unit vector
    of the eigenspace of :math:`\Sigma` for ``eigenvalue``, which ``basis`` spans (orthonormal;
    for a simple eigenvalue, the one unit vector of this branch, :math:`-u` being another
    set).  ``parameters`` are :math:`\mu`, then the angles of :math:`u` on the unit sphere of
    the eigenspace (θ on a circle; :math:`\varphi_1, \dots, \varphi_{m-1}` in general);
    ``point`` gives each coordinate as a function of them.  The balanced points
    (:math:`\mu = 1`, :math:`a = b = u`) form a sphere of dimension :math:`m - 1`: two points,
    a circle, a sphere.

    Examples
    --------
    >>> minima = [p for p in autoencoder_critical_points(rank_one_autoencoder(sp.diag(2, 2, 1)))
    ...           if p.kind is CriticalKind.GLOBAL_MINIMUM]
    >>> [(p.value, p.critical_set.dimension) for p in minima]
    [(3, 2)]
    >>> print(minima[0].critical_set.description())
    a = u/μ, b = μ·u for μ > 0 and u = cos(θ)·(1, 0, 0) + sin(θ)·(0, 1, 0): a circle of
    balanced points (μ = 1) in the eigenspace of λ = 2 (multiplicity 2), and their rescalings;
    a set of dimension 2
    """

    eigenvalue: sp.Expr
    basis: tuple[tuple[sp.Expr, ...], ...]
    parameters: tuple[sp.Symbol, ...]
    point: dict[sp.Symbol, sp.Expr]

    @property
    def multiplicity(self) -> int:
        """The multiplicity :math:`m` of the eigenvalue (the eigenspace's dimension)."""
        return len(self.basis)

    @property
    def dimension(self) -> int:
        r"""The dimension :math:`m` of the set (the sphere's :math:`m - 1`, and one for μ)."""
        return len(self.parameters)

    def description(self) -> str:
        """The set in words and formulas, in plain mathematical notation."""
        vectors = ["(" + ", ".join(plain_text(c) for c in v) + ")" for v in self.basis]
        angles = [plain_text(a) for a in self.parameters[1:]]
        if self.multiplicity == 1:
            return (
                f"a = u/μ, b = μ·u for μ > 0 and u = {vectors[0]}: a curve through the "
                f"balanced point a = b = u, for the simple eigenvalue λ = "
                f"{plain_text(self.eigenvalue)}; a set of dimension 1"
            )
        if self.multiplicity == 2:
            u = f"cos(θ)·{vectors[0]} + sin(θ)·{vectors[1]}"
            sphere = "a circle"
        else:
            coefficients = _sphere_coordinates(list(self.parameters[1:]))
            u = " + ".join(
                f"{plain_text(c).replace('phi', 'φ').replace('*', '·')}·{v}"
                for c, v in zip(coefficients, vectors, strict=True)
            )
            sphere = f"a sphere of dimension {self.multiplicity - 1} (angles {', '.join(angles)})"
            sphere = sphere.replace("phi", "φ")
        return (
            f"a = u/μ, b = μ·u for μ > 0 and u = {u}: {sphere} of balanced points (μ = 1) in the "
            f"eigenspace of λ = {plain_text(self.eigenvalue)} (multiplicity "
            f"{self.multiplicity}), and their rescalings; a set of dimension {self.dimension}"
        )


@dataclass(frozen=True)
class CriticalPoint:
    """A critical point: coordinates, value, exact Hessian eigenvalues, and its kind.

    ``critical_set`` is the connected set of critical points through it, on which the value
    and the kind are the same (``None`` for an isolated point, the origin); ``point`` is its
    balanced representative.
    """

    point: dict[sp.Symbol, sp.Expr]
    value: sp.Expr
    eigenvalues: dict[sp.Expr, int]
    kind: CriticalKind
    critical_set: CriticalSet | None = None

    @property
    def dimension(self) -> int:
        """The dimension of the set of critical points through this one, 0 when isolated."""
        return 0 if self.critical_set is None else self.critical_set.dimension

    def description(self) -> str:
        """The kind, the value and the set, in plain mathematical notation.

        Examples
        --------
        >>> points = autoencoder_critical_points(rank_one_autoencoder(sp.diag(2, 1)))
        >>> print(min(points, key=lambda p: p.value).description())
        global minimum, E = 1: a = u/μ, b = μ·u for μ > 0 and u = (1, 0): a curve through the
        balanced point a = b = u, for the simple eigenvalue λ = 2; a set of dimension 1
        """
        where = (
            "an isolated point, "
            + ", ".join(f"{v} = {plain_text(value)}" for v, value in self.point.items())
            if self.critical_set is None
            else self.critical_set.description()
        )
        return f"{self.kind.value}, E = {plain_text(self.value)}: {where}"


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


def rank_one_autoencoder(sigma: Any, *, seconds: float = 30.0) -> AutoencoderModel:
    r"""The autoencoder with one hidden unit on data of covariance ``sigma`` (exact, SPD).

    ``sigma`` is a square SymPy Matrix, nested lists or a NumPy array of exact numbers; the
    loss is built within ``seconds``.

    Raises
    ------
    TypeError, ValueError
        ``sigma`` is not a nonempty square matrix of exact numbers, or not symmetric positive
        definite.
    TimeLimitExceededError
        Building the loss took more than ``seconds``.

    Examples
    --------
    >>> model = rank_one_autoencoder(sp.diag(3, 2, 1))
    >>> model.loss.subs({v: 0 for v in model.variables})
    6

    References
    ----------
    Baldi and Hornik (1989) (the linear autoencoder and its squared loss).
    """
    if isinstance(sigma, sp.MatrixBase):
        d = sigma.rows
    elif isinstance(sigma, (list, tuple, np.ndarray)):
        d = len(sigma)
    else:
        raise TypeError(
            f"sigma={sigma!r} is not a matrix; give the covariance as a square SymPy Matrix, "
            "nested lists or a NumPy array, e.g. sympy.diag(2, 2, 1)"
        )
    if d < 1:
        raise ValueError("sigma is empty; give a d×d covariance matrix with d ≥ 1")
    matrix = exact_matrix(sigma, (d, d), name="sigma")
    with deadline(seconds):
        if not matrix.is_symmetric() or not matrix.is_positive_definite:
            raise ValueError(f"sigma={matrix.tolist()} must be symmetric positive definite")
        a = sp.Matrix(sp.symbols(f"a1:{d + 1}", real=True))
        b = sp.Matrix(sp.symbols(f"b1:{d + 1}", real=True))
        M = b * a.T
        identity = sp.eye(d)
        loss = sp.expand(((identity - M) * matrix * (identity - M).T).trace())
    return AutoencoderModel(matrix, tuple(a), tuple(b), loss)


def _sphere_coordinates(angles: list[sp.Symbol]) -> list[sp.Expr]:
    """The coordinates of a unit vector of R^(k+1) in the k hyperspherical angles."""
    coordinates = []
    product: sp.Expr = sp.S.One
    for angle in angles:
        coordinates.append(product * sp.cos(angle))
        product = product * sp.sin(angle)
    return [*coordinates, product]


def _is_autoencoder_loss(model: AutoencoderModel) -> bool:
    """Whether ``model.loss`` is the autoencoder loss of ``model.sigma`` (not another loss)."""
    if model.sigma.shape != (len(model.a), len(model.a)) or len(model.a) != len(model.b):
        return False
    a, b = sp.Matrix(model.a), sp.Matrix(model.b)
    sigma = model.sigma
    formula = sigma.trace() - 2 * (a.T * sigma * b)[0] + (a.T * sigma * a)[0] * (b.T * b)[0]
    return sp.expand(model.loss - formula) == 0


def _tangent_directions(
    model: AutoencoderModel, point: dict[sp.Symbol, sp.Expr]
) -> list[sp.Matrix]:
    r"""Directions tangent to the set of critical points through ``point``.

    Always the rescaling :math:`(-a, b)`.  For the autoencoder loss at :math:`b \ne 0` with
    :math:`\Sigma b = \lambda b`, also :math:`(v, \|b\|^2 v)` for each :math:`v \perp b` in the
    eigenspace of :math:`\lambda`: the derivative of :math:`(u/\mu, \mu u)` as :math:`u` turns
    in the eigenspace (scaled by :math:`\mu`).
    """
    a = sp.Matrix([point[v] for v in model.a])
    b = sp.Matrix([point[v] for v in model.b])
    directions = [sp.Matrix.vstack(-a, b)]
    norm2 = (b.T * b)[0]
    if norm2 == 0 or not _is_autoencoder_loss(model):
        return directions
    sigma = model.sigma
    lam = sp.simplify((b.T * sigma * b)[0] / norm2)
    if (sigma * b - lam * b).applyfunc(sp.simplify) != sp.zeros(len(model.b), 1):
        return directions
    for v in (sigma - lam * sp.eye(sigma.rows)).nullspace(simplify=True):
        across = (v - (v.T * b)[0] / norm2 * b).applyfunc(sp.simplify)
        if across != sp.zeros(len(model.b), 1):
            directions.append(sp.Matrix.vstack(across, norm2 * across))
    return directions


def classify_critical_point(
    model: AutoencoderModel,
    point: dict[sp.Symbol, sp.Expr],
    lowest: sp.Expr,
    *,
    seconds: float = 30.0,
) -> CriticalPoint:
    r"""Classify a critical point by its exact Hessian eigenvalues and its value.

    A negative and a positive eigenvalue make a saddle.  A positive semidefinite Hessian whose
    kernel is exactly the tangent space of the set of critical points through the point (the
    rescaling direction :math:`(-a, b)`, and, for a repeated eigenvalue of :math:`\Sigma`, the
    turns of :math:`u` in its eigenspace) is a minimum along that set (Morse–Bott); it is global
    when its value is the lowest critical value (the minimum exists: :math:`E` depends on
    :math:`M = ba^\top` only and is coercive on the closed set of matrices of rank at most one).

    A negative semidefinite Hessian with that kernel is a local maximum in the same way.

    Raises
    ------
    ValueError, TypeError
        ``point`` does not give an exact number to each variable of the model, or is not a
        critical point.
    NotSupportedError
        The Hessian is degenerate beyond that tangent space (its eigenvalues do not decide),
        or the signs of its eigenvalues cannot be told.
    TimeLimitExceededError
        The classification took more than ``seconds``.
    """
    unknown = sorted(str(v) for v in point if v not in model.variables)
    if unknown or len(point) != len(model.variables):
        raise ValueError(
            f"point must give a value to each of {', '.join(map(str, model.variables))}; "
            f"got {', '.join(map(str, point))}"
        )
    point = {v: exact_number(value, name=str(v)) for v, value in point.items()}
    lowest = exact_number(lowest, name="lowest")
    with deadline(seconds):
        gradient = [sp.simplify(g) for g in model.gradient().subs(point)]
        if any(g != 0 for g in gradient):
            raise ValueError(
                f"{_shown(point)} is not a critical point: the gradient there is "
                f"({', '.join(plain_text(g) for g in gradient)}); give a point where it is 0 "
                "(autoencoder_critical_points finds them all)"
            )
        hessian = model.hessian().subs(point)
        eigenvalues = hessian.eigenvals()
        value = sp.simplify(model.loss.subs(point))
        signs = [sp.sign(sp.simplify(e)) for e in eigenvalues]
        if any(sign not in (-1, 0, 1) for sign in signs):
            raise NotSupportedError(
                f"cannot tell the signs of the Hessian's eigenvalues at {_shown(point)}: "
                f"{', '.join(plain_text(e) for e in eigenvalues)}"
            )
        if -1 in signs and 1 in signs:
            return CriticalPoint(point, value, eigenvalues, CriticalKind.SADDLE)
        # semidefinite: the second-order test decides when the kernel is exactly the tangent
        # space of the set of critical points through the point (Morse–Bott)
        tangent = _tangent_directions(model, point)
        kernel = hessian.nullspace(simplify=True)
        spanned = sp.Matrix.hstack(*tangent).rank(simplify=True)
        together = sp.Matrix.hstack(*kernel, *tangent).rank(simplify=True)
        if not together == spanned == len(kernel):
            raise NotSupportedError(
                f"the Hessian at {_shown(point)} is degenerate beyond the rescaling (and the "
                f"turns within an eigenspace): its kernel has dimension {len(kernel)}, the set "
                f"of critical points through the point {spanned}; the second-order test "
                "does not decide the kind of this point"
            )
        if -1 in signs:
            return CriticalPoint(point, value, eigenvalues, CriticalKind.LOCAL_MAXIMUM)
        global_ = sp.simplify(value - lowest) == 0
        kind = CriticalKind.GLOBAL_MINIMUM if global_ else CriticalKind.LOCAL_MINIMUM
        return CriticalPoint(point, value, eigenvalues, kind)


def _shown(point: dict[sp.Symbol, sp.Expr]) -> str:
    return "(" + ", ".join(f"{v} = {plain_text(value)}" for v, value in point.items()) + ")"


def _eigenspaces(sigma: sp.Matrix) -> list[tuple[sp.Expr, list[sp.Matrix]]]:
    """Each eigenvalue of Σ, provably distinct from the others, with an orthonormal basis of
    its eigenspace; refuses (NotSupportedError) when SymPy cannot make them so."""
    lam = sp.Symbol("λ")
    factors = _attempt(lambda: sp.Poly(sigma.charpoly(lam).as_expr(lam), lam).factor_list()[1])
    if factors is None:
        raise NotSupportedError(
            f"SymPy cannot factor the characteristic polynomial of Σ = {plain_text(sigma.tolist())}"
        )
    beyond = [f for f, _ in factors if f.degree() > 2]
    if beyond:
        raise NotSupportedError(
            f"the eigenvalues of Σ = {plain_text(sigma.tolist())} include the roots of "
            f"{plain_text(beyond[0].as_expr())} = 0, irreducible of degree {beyond[0].degree()}: "
            "symdl writes the critical points with eigenvalues in rationals and square roots only"
        )
    found = _attempt(lambda: sigma.eigenvects(simplify=True))
    if not found:
        raise NotSupportedError(
            f"SymPy finds no exact eigenvectors of Σ = {plain_text(sigma.tolist())}; the "
            "critical points are built from them"
        )
    spaces = []
    for eigenvalue, multiplicity, vectors in found:
        if len(vectors) != multiplicity:
            raise NotSupportedError(
                f"SymPy finds {len(vectors)} eigenvectors for the eigenvalue "
                f"{plain_text(eigenvalue)} of multiplicity {multiplicity} of Σ"
            )
        basis = [v.applyfunc(sp.radsimp) for v in sp.GramSchmidt(vectors, orthonormal=True)]
        spaces.append((sp.simplify(eigenvalue), basis))
    if sum(len(basis) for _, basis in spaces) != sigma.rows:
        raise NotSupportedError(f"SymPy finds only some eigenvalues of Σ = {sigma.tolist()}")
    for i, (first, _) in enumerate(spaces):
        for second, _ in spaces[i + 1 :]:
            if sp.simplify(first - second).is_zero is not False:
                raise NotSupportedError(
                    f"cannot tell whether the eigenvalues {plain_text(first)} and "
                    f"{plain_text(second)} of Σ are equal, on which the critical points depend"
                )
    return spaces


def _critical_sets(
    model: AutoencoderModel, eigenvalue: sp.Expr, basis: list[sp.Matrix]
) -> list[tuple[dict[sp.Symbol, sp.Expr], CriticalSet]]:
    """The balanced representative and the set of critical points for one eigenspace."""
    mu = sp.Symbol("mu", positive=True)
    shown = tuple(tuple(v) for v in basis)
    if len(basis) == 1:  # u and -u: two curves
        found = []
        for sign in (1, -1):
            u = sign * basis[0]
            family = dict(zip(model.variables, [*(u / mu), *(mu * u)], strict=True))
            representative = dict(zip(model.variables, [*u, *u], strict=True))
            found.append((representative, CriticalSet(eigenvalue, (tuple(u),), (mu,), family)))
        return found
    if len(basis) == 2:
        angles = [sp.Symbol("theta", real=True)]
    else:
        angles = [sp.Symbol(f"phi{i}", real=True) for i in range(1, len(basis))]
    coefficients = _sphere_coordinates(angles)
    u = sum((c * v for c, v in zip(coefficients, basis, strict=True)), sp.zeros(len(basis[0]), 1))
    family = dict(zip(model.variables, [*(u / mu), *(mu * u)], strict=True))
    at_zero = dict.fromkeys(angles, 0)
    representative = {v: value.subs(at_zero).subs(mu, 1) for v, value in family.items()}
    return [(representative, CriticalSet(eigenvalue, shown, (mu, *angles), family))]


def autoencoder_critical_points(
    model: AutoencoderModel, *, seconds: float = 30.0
) -> list[CriticalPoint]:
    r"""All critical points of :math:`E`, one balanced representative per connected set.

    Case :math:`b = 0` gives :math:`\Sigma a = 0`, so :math:`a = 0`.  Otherwise
    :math:`\nabla_a E = 0` gives :math:`a = b / \|b\|^2`; writing :math:`b = \mu u` with
    :math:`\|u\| = 1`, :math:`\nabla_b E = 0` becomes :math:`\Sigma u = (u^\top\Sigma u)\,u`:
    :math:`u` is a unit eigenvector, and :math:`E = \operatorname{tr}\Sigma - \lambda`.  For a
    simple eigenvalue, :math:`u` and :math:`-u` give two curves, with representatives
    :math:`a = b = \pm u`; for an eigenvalue of multiplicity :math:`m \ge 2`, the unit sphere
    of its eigenspace gives one connected set of dimension :math:`m` (``critical_set`` of the
    :class:`CriticalPoint`), with the representative :math:`a = b =` the first vector of an
    orthonormal basis of the eigenspace.  The eigenvalues are exact (SymPy's eigenvectors),
    and their multiplicities proved, not estimated; eigenvalues beyond square roots (an
    irreducible factor of degree 3 or more in the characteristic polynomial) are refused.

    Raises
    ------
    NotSupportedError
        Σ has symbols or eigenvalues beyond square roots, or SymPy cannot find its
        eigenvectors or tell two eigenvalues apart.
    TimeLimitExceededError
        The computation took more than ``seconds``.

    Examples
    --------
    >>> points = autoencoder_critical_points(rank_one_autoencoder(sp.diag(3, 2, 1)))
    >>> sorted((p.value, p.kind.value) for p in points)[:3]
    [(3, 'global minimum'), (3, 'global minimum'), (4, 'saddle')]
    >>> points = autoencoder_critical_points(rank_one_autoencoder(sp.diag(2, 2, 1)))
    >>> sorted((p.value, p.kind.value, p.dimension) for p in points)
    [(3, 'global minimum', 2), (4, 'saddle', 1), (4, 'saddle', 1), (5, 'saddle', 0)]

    References
    ----------
    Baldi and Hornik (1989): the critical points are projections onto eigenvectors of
    :math:`\Sigma`, and all but the global minimum are saddles.
    """
    sigma = model.sigma
    if sigma.free_symbols:
        raise NotSupportedError(
            f"Σ = {plain_text(sigma.tolist())} has symbols "
            f"{', '.join(sorted(map(str, sigma.free_symbols)))}: the critical points depend on "
            "the order of its eigenvalues; give numbers"
        )
    with deadline(seconds):
        spaces = _eigenspaces(sigma)
        spectrum = [(eigenvalue, len(basis)) for eigenvalue, basis in spaces]
        largest = sp.Max(*(eigenvalue for eigenvalue, _ in spectrum))
        if isinstance(largest, sp.Max):
            raise NotSupportedError(
                f"cannot tell which eigenvalue of Σ is the largest among "
                f"{', '.join(plain_text(e) for e, _ in spectrum)}"
            )
        origin = dict.fromkeys(model.variables, sp.Integer(0))
        points = [_classified(model, origin, None, spectrum, largest)]
        for eigenvalue, basis in spaces:
            for point, family in _critical_sets(model, eigenvalue, basis):
                points.append(_classified(model, point, family, spectrum, largest))
        return points


def _hessian_spectrum(
    spectrum: list[tuple[sp.Expr, int]], eigenvalue: sp.Expr | None
) -> dict[sp.Expr, int]:
    r"""The Hessian's eigenvalues at the origin (``eigenvalue`` None) or at a balanced point
    :math:`a = b = u`, :math:`\Sigma u = \lambda_i u`, in closed form.

    In an orthonormal eigenbasis of :math:`\Sigma` (an orthogonal change of both :math:`a` and
    :math:`b`, which keeps the Hessian's eigenvalues) the Hessian splits into 2×2 blocks, one
    per coordinate pair :math:`(a_j, b_j)`: at the origin
    :math:`\begin{pmatrix} 0 & -2\lambda_j \\ -2\lambda_j & 0 \end{pmatrix}`
    (eigenvalues :math:`\pm 2\lambda_j`); at :math:`a = b = e_i`, for :math:`j = i`
    :math:`\begin{pmatrix} 2\lambda_i & 2\lambda_i \\ 2\lambda_i & 2\lambda_i \end{pmatrix}`
    (eigenvalues 0 and :math:`4\lambda_i`) and for :math:`j \ne i`
    :math:`\begin{pmatrix} 2\lambda_j & -2\lambda_j \\ -2\lambda_j & 2\lambda_i
    \end{pmatrix}`, with eigenvalues :math:`\lambda_i + \lambda_j \pm
    \sqrt{(\lambda_i - \lambda_j)^2 + 4\lambda_j^2}` (determinant
    :math:`4\lambda_j(\lambda_i - \lambda_j)`: negative iff :math:`\lambda_j > \lambda_i`).
    """
    found: dict[sp.Expr, int] = {}

    def add(value: sp.Expr, count: int) -> None:
        found[value] = found.get(value, 0) + count

    for other, multiplicity in spectrum:
        if eigenvalue is None:
            add(2 * other, multiplicity)
            add(-2 * other, multiplicity)
            continue
        if other == eigenvalue:
            add(sp.S.Zero, 1)
            add(4 * eigenvalue, 1)
            multiplicity -= 1
        root = sp.sqrt((eigenvalue - other) ** 2 + 4 * other**2)
        if multiplicity:
            add(eigenvalue + other + root, multiplicity)
            add(eigenvalue + other - root, multiplicity)
    return found


def _classified(
    model: AutoencoderModel,
    point: dict[sp.Symbol, sp.Expr],
    family: CriticalSet | None,
    spectrum: list[tuple[sp.Expr, int]],
    largest: sp.Expr,
) -> CriticalPoint:
    """A critical point of the autoencoder loss, classified from Σ's spectrum.

    The point is critical and its value is tr Σ - λ by construction (Σu = λu, ‖u‖ = 1,
    exactly); both are checked at 30 digits, as the Hessian's eigenvalues are against NumPy,
    to catch a bug.
    """
    eigenvalue = None if family is None else family.eigenvalue
    value = sp.simplify(model.sigma.trace() - (0 if eigenvalue is None else eigenvalue))
    gradient = [abs(g.evalf(30)) for g in model.gradient().subs(point)]
    if max(gradient) > 1e-20 or abs((model.loss.subs(point) - value).evalf(30)) > 1e-20:
        raise ArithmeticError(f"{point} is not a critical point of value {value}")  # a bug
    eigenvalues = _hessian_spectrum(spectrum, eigenvalue)
    _check_numerically(model.hessian().subs(point), eigenvalues)
    # a saddle at the origin (±2λ_j), and where some λ_j > λ_i (an eigenvalue < 0, never 0)
    if eigenvalue is None or any(e.is_negative for e in eigenvalues):
        kind = CriticalKind.SADDLE
    else:  # the kernel is the set's tangent space (the blocks with λ_j = λ_i, and j = i)
        global_ = sp.simplify(eigenvalue - largest) == 0
        kind = CriticalKind.GLOBAL_MINIMUM if global_ else CriticalKind.LOCAL_MINIMUM
    return CriticalPoint(point, value, eigenvalues, kind, family)


def _check_numerically(hessian: sp.Matrix, eigenvalues: dict[sp.Expr, int]) -> None:
    """The closed-form eigenvalues against NumPy's of the Hessian in floats (a bug if not)."""
    measured = np.linalg.eigvalsh(np.array(hessian.evalf(30).tolist(), dtype=float))
    expected = sorted(float(e) for e, count in eigenvalues.items() for _ in range(count))
    scale = 1.0 + max(abs(e) for e in expected)
    if len(expected) != len(measured) or not np.allclose(
        np.sort(measured), expected, rtol=0, atol=1e-9 * scale
    ):
        raise ArithmeticError(f"Hessian eigenvalues {expected}, but NumPy finds {measured}")


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
    rate_ok = isinstance(rate, (int, float)) and math.isfinite(rate) and rate > 0
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0 or not rate_ok:
        raise ValueError(
            f"rate={rate!r}, steps={steps!r}: give a positive rate and a number of steps >= 0"
        )
    a, b = starts[:, :d].copy(), starts[:, d:].copy()
    # a rate too large for the curvature makes the descent diverge: the losses are then inf or
    # nan, which is the answer (the overflow on the way is not an error)
    with np.errstate(over="ignore", invalid="ignore"):
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
