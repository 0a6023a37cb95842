"""Barron's bound in practice: n-neuron sigmoid networks built by the relaxed greedy algorithm.

Barron (1993, Theorem 1) shows that :math:`\\bar f = f - f(0)` lies, in :math:`L^2(\\mu)` for
any probability measure :math:`\\mu` on the ball :math:`B_r`, in the closed convex hull of

.. math::

    G = \\{\\gamma\\,\\sigma(a\\cdot x + b) : |\\gamma| \\le 2 r C_f\\},

and Jones's lemma (Barron 1993, Lemma 1; Jones 1992) turns that into a rate.  The relaxed
greedy step with :math:`\\alpha_k = 1/k`,

.. math::

    f_k = (1 - \\alpha_k) f_{k-1} + \\alpha_k g_k, \\qquad
    g_k = \\arg\\min_{g \\in G} \\|\\bar f - (1 - \\alpha_k) f_{k-1} - \\alpha_k g\\|,

satisfies :math:`e_k^2 \\le (1-\\alpha_k)^2 e_{k-1}^2 + \\alpha_k^2 (2 r C_f)^2` (average the
square over a measure on :math:`G` representing :math:`\\bar f`: the minimum is below the
average), hence :math:`e_k^2 \\le (2 r C_f)^2 / k` by induction.  Here :math:`G` is searched
over a finite dictionary (directions × slopes × offsets), and after :math:`g_k` is chosen the
pair :math:`(\\alpha, \\alpha\\gamma)` is re-optimised within the constraints, which can only
lower the error.  Because the dictionary is finite, the measured error is *compared* with the
bound, not assumed below it.

The measure :math:`\\mu` is uniform on :math:`B_r` (:func:`ball_quadrature`).  The algorithm
runs on one quadrature rule (itself a probability measure on :math:`B_r`, so the theorem
applies to it) and the error is measured on a finer, independent rule; the difference from a
third rule is reported as the quadrature error.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import sympy as sp

from symdl.approximation.barron import barron_constant
from symdl.approximation.bound import barron_bound
from symdl.approximation.fourier import validate_function
from symdl.core.activations import SIGMOID
from symdl.core.exceptions import NotSupportedError
from symdl.core.network import FloatConversion, Network

if TYPE_CHECKING:  # matplotlib is imported only when a figure is drawn
    from matplotlib.figure import Figure

__all__ = [
    "BallQuadrature",
    "GreedyNetwork",
    "GreedyRun",
    "ball_quadrature",
    "greedy_approximation",
    "plot_greedy",
]


_sigmoid = SIGMOID.numpy  # the logistic sigmoid, in its overflow-safe NumPy form


@dataclass(frozen=True)
class BallQuadrature:
    """A quadrature rule for the uniform probability measure on the ball of ``radius`` in
    :math:`\\mathbb{R}^{d}`: ``nodes`` (N × d) in the ball, positive ``weights`` summing to 1."""

    radius: float
    dim: int
    nodes: np.ndarray
    weights: np.ndarray

    def integrate(self, values: np.ndarray) -> float:
        """:math:`\\int g\\,d\\mu` for the values of g at the nodes."""
        return float(self.weights @ values)


def _composite_gauss(a: float, b: float, order: int, panels: int) -> tuple[np.ndarray, ...]:
    """Nodes and weights of Gauss–Legendre with ``order`` points on each of ``panels`` equal
    pieces of [a, b] (the weights sum to b − a)."""
    t, w = np.polynomial.legendre.leggauss(order)
    edges = np.linspace(a, b, panels + 1)
    half = (edges[1:] - edges[:-1])[:, None] / 2
    nodes = (edges[:-1, None] + edges[1:, None]) / 2 + half * t
    return nodes.ravel(), (half * w).ravel()


def _check_radius(radius: object) -> None:
    if isinstance(radius, bool) or not isinstance(radius, (int, float)):
        raise TypeError(f"radius={radius!r} is not a number; pass a positive float, e.g. 1.0")
    if not (radius > 0 and math.isfinite(radius)):
        raise ValueError(f"radius={radius!r} must be a positive, finite number")


def ball_quadrature(radius: float, dim: int, *, order: int, panels: int = 1) -> BallQuadrature:
    """Gauss rules for the uniform measure on the ball :math:`B_r \\subset \\mathbb{R}^d`.

    d = 1: Gauss–Legendre with ``order`` nodes on each of ``panels`` pieces of
    :math:`[-r, r]`.  d = 2: polar coordinates, the same rule in the radius (weight ρ) times
    ``2·order·panels`` equally spaced angles (exact for trigonometric polynomials of lower
    degree).

    Examples
    --------
    >>> q = ball_quadrature(2.0, 2, order=8)
    >>> round(q.integrate((q.nodes**2).sum(axis=1)), 12)  # E|x|² = r²/2
    2.0
    """
    _check_radius(radius)
    for name, value in (("order", order), ("panels", panels)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name}={value!r} must be an integer ≥ 1")
    if dim == 1:
        nodes, weights = _composite_gauss(-radius, radius, order, panels)
        return BallQuadrature(float(radius), 1, nodes[:, None], weights / (2 * radius))
    if dim == 2:
        rho, w = _composite_gauss(0.0, radius, order, panels)
        count = 2 * order * panels
        angles = 2 * np.pi * np.arange(count) / count
        rr, aa = np.meshgrid(rho, angles, indexing="ij")
        nodes = np.stack([rr * np.cos(aa), rr * np.sin(aa)], axis=-1).reshape(-1, 2)
        weights = np.repeat(w * rho, count) * (2 * np.pi / count) / (np.pi * radius**2)
        return BallQuadrature(float(radius), 2, nodes, weights)
    raise NotSupportedError(f"dim={dim!r}: symdl's ball quadrature covers d = 1 and d = 2")


@dataclass(frozen=True)
class GreedyNetwork:
    """:math:`f_n(x) = c_0 + \\sum_k c_k\\,\\sigma(a_k\\cdot x + b_k)` (σ the logistic sigmoid)."""

    offset: float
    outer: np.ndarray
    inner: np.ndarray
    bias: np.ndarray

    @property
    def neurons(self) -> int:
        """The number n of hidden sigmoid units."""
        return int(self.outer.shape[0])

    def __call__(self, X: np.ndarray) -> np.ndarray:
        """The network's values at the rows of ``X`` (N × d)."""
        return self.offset + _sigmoid(X @ self.inner.T + self.bias) @ self.outer

    def to_network(self) -> Network:
        """The same network as a :class:`symdl.core.network.Network` (sigmoid hidden layer,
        identity output), each float weight taken at its exact binary value."""
        dim = self.inner.shape[1]
        return Network.mlp(
            [dim, self.neurons, 1],
            ["sigmoid", "identity"],
            weights=[self.inner, self.outer[None, :]],
            biases=[self.bias, np.array([self.offset])],
            floats=FloatConversion.BINARY,
        )


@dataclass(frozen=True)
class GreedyRun:
    """The greedy construction for k = 1 … n: errors :math:`\\int (f - f_k)^2 d\\mu` on the
    training rule and on the measuring rule, the quadrature error of the latter, and Barron's
    bound :math:`(2 r C_f)^2 / k`."""

    function: sp.Expr
    radius: float
    constant: float
    network: GreedyNetwork
    training_errors: np.ndarray
    errors: np.ndarray
    quadrature_errors: np.ndarray
    bounds: np.ndarray

    @property
    def below_bound(self) -> bool:
        """Is every measured error, plus its quadrature error, below the bound?"""
        return bool(np.all(self.errors + self.quadrature_errors < self.bounds))


def _dictionary(radius: float, dim: int) -> tuple[np.ndarray, np.ndarray]:
    """Inner weights a (M × d) and biases b (M): directions × slopes × offsets in [-r, r]."""
    if dim == 1:
        directions = np.array([[1.0], [-1.0]])
    else:
        angles = 2 * np.pi * np.arange(32) / 32
        directions = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    slopes = np.array([0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0]) / radius
    offsets = np.linspace(-radius, radius, 41 if dim == 1 else 25)
    a = (slopes[None, :, None, None] * directions[:, None, None, :]) * np.ones(
        (1, 1, offsets.size, 1)
    )
    b = -(slopes[None, :, None] * offsets[None, None, :]) * np.ones((directions.shape[0], 1, 1))
    return a.reshape(-1, dim), b.reshape(-1)


def _refit(
    e: np.ndarray,
    g: np.ndarray,
    h: np.ndarray,
    w: np.ndarray,
    limit: float,
    alpha: float,
    beta: float,
) -> tuple[float, float]:
    """Minimise ‖e + α g − β h‖² over α ∈ [0, 1], |β| ≤ α·limit; keep (alpha, beta) unless
    the unconstrained minimiser is feasible and better."""
    gram = np.array([[w @ (g * g), -(w @ (g * h))], [-(w @ (g * h)), w @ (h * h)]])
    rhs = -np.array([w @ (e * g), -(w @ (e * h))])
    try:
        a_new, b_new = np.linalg.solve(gram, rhs)
    except np.linalg.LinAlgError:
        return alpha, beta
    if 0 <= a_new <= 1 and abs(b_new) <= a_new * limit:

        def loss(a: float, b: float) -> float:
            r = e + a * g - b * h
            return float(w @ (r * r))

        if loss(a_new, b_new) < loss(alpha, beta):
            return float(a_new), float(b_new)
    return alpha, beta


def greedy_approximation(
    f: sp.Expr,
    variables: sp.Symbol | Sequence[sp.Symbol],
    *,
    radius: float,
    neurons: int,
    constant: float | sp.Expr | None = None,
) -> GreedyRun:
    """Build :math:`f_1, \\dots, f_n` by the relaxed greedy algorithm and measure
    :math:`\\int_{B_r} (f - f_k)^2\\,d\\mu` (μ uniform) against Barron's bound.

    ``constant`` is :math:`C_f` (computed by :func:`symdl.approximation.barron.barron_constant`
    when omitted).

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> run = greedy_approximation(sp.exp(-x**2 / 2), x, radius=2.0, neurons=4)
    >>> run.below_bound, run.network.neurons
    (True, 4)

    References
    ----------
    Barron (1993), Theorem 1 and Lemma 1 (with its iterative proof, Section VIII);
    L. K. Jones, "A simple lemma on greedy approximation in Hilbert space and convergence rates
    for projection pursuit regression and neural network training", Ann. Statist. 20, 1992.
    """
    variables = (variables,) if isinstance(variables, sp.Symbol) else tuple(variables)
    f = validate_function(f, variables)
    dim = len(variables)
    _check_radius(radius)
    if isinstance(neurons, bool) or not isinstance(neurons, int) or neurons < 1:
        raise ValueError(f"neurons={neurons!r} must be an integer ≥ 1")
    if constant is None:
        constant = barron_constant(f, variables).numeric
    if isinstance(constant, sp.Expr) and constant.is_number:
        constant = math.inf if constant is sp.oo else float(constant)
    if isinstance(constant, bool) or not isinstance(constant, (int, float, type(None))):
        raise TypeError(f"constant={constant!r} is not a number; pass C_f as a float")
    if constant is None or not math.isfinite(constant):
        raise ValueError(f"C_f = {constant} is not finite: Barron's bound does not apply to {f}")
    if constant < 0:
        raise ValueError(f"constant={constant!r} is negative; Barron's constant C_f is ≥ 0")
    train = ball_quadrature(radius, dim, order=48 if dim == 1 else 20)
    measure = ball_quadrature(radius, dim, order=20, panels=60 if dim == 1 else 8)
    second = ball_quadrature(radius, dim, order=16, panels=45 if dim == 1 else 7)
    fn = sp.lambdify(variables, f, modules="numpy")
    offset = float(f.subs(dict.fromkeys(variables, 0)))

    def target(q: BallQuadrature) -> np.ndarray:
        values = fn(*q.nodes.T)
        return np.broadcast_to(np.asarray(values, dtype=float), q.weights.shape) - offset

    a, b = _dictionary(radius, dim)
    H = _sigmoid(train.nodes @ a.T + b).T  # M × N
    w = train.weights
    limit = 2 * radius * constant
    fbar = {id(q): target(q) for q in (train, measure, second)}
    g = {id(q): np.zeros_like(q.weights) for q in (train, measure, second)}
    norms = (H * H) @ w
    outer: list[float] = []
    picked: list[int] = []
    training, measured, quad_err = [], [], []
    for k in range(1, neurons + 1):
        alpha = 1.0 / k
        rho = fbar[id(train)] - (1 - alpha) * g[id(train)]
        beta = np.clip((H @ (w * rho)) / norms, -alpha * limit, alpha * limit)
        j = int(np.argmax(2 * beta * (H @ (w * rho)) - beta**2 * norms))
        e = fbar[id(train)] - g[id(train)]
        alpha, step = _refit(e, g[id(train)], H[j], w, limit, alpha, float(beta[j]))
        outer = [c * (1 - alpha) for c in outer] + [step]
        picked.append(j)
        for q in (train, measure, second):
            unit = _sigmoid(q.nodes @ a[j] + b[j])
            g[id(q)] = (1 - alpha) * g[id(q)] + step * unit
        errs = [q.integrate((fbar[id(q)] - g[id(q)]) ** 2) for q in (train, measure, second)]
        training.append(errs[0])
        measured.append(errs[1])
        quad_err.append(abs(errs[1] - errs[2]))
    network = GreedyNetwork(offset, np.array(outer), a[picked], b[picked])
    ks = np.arange(1, neurons + 1)
    bounds = np.array(
        [float(barron_bound(constant, radius, int(k), floats=FloatConversion.BINARY)) for k in ks]
    )
    return GreedyRun(
        f,
        float(radius),
        float(constant),
        network,
        np.array(training),
        np.array(measured),
        np.array(quad_err),
        bounds,
    )


def plot_greedy(run: GreedyRun) -> Figure:
    """Log-log plot of :math:`\\int (f - f_n)^2 d\\mu` against n, with Barron's bound."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(5.5, 4))
    ax = figure.add_subplot()
    ks = np.arange(1, run.errors.size + 1)
    ax.loglog(ks, run.bounds, "k--", label=r"bound $(2 r C_f)^2/n$")
    ax.loglog(ks, run.errors, "o-", ms=3, label=r"greedy $\int (f-f_n)^2\,d\mu$")
    ax.set_xlabel("neurons n")
    ax.set_ylabel("mean squared error on the ball")
    ax.set_title(f"${sp.latex(run.function)}$, r = {run.radius:g}")
    ax.legend()
    figure.tight_layout()
    return figure
