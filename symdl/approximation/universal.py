"""Universal approximation made constructive: Cybenko sums, Bernstein polynomials, unit counts.

- Cybenko (1989): sums :math:`G(x) = \\sum_i \\alpha_i \\sigma(w_i x + b_i)` with a continuous
  sigmoidal σ are dense in :math:`C[0, 1]`.  The proof (Hahn–Banach, Riesz) builds nothing;
  :func:`cybenko_sum` builds the classical 1-D construction, a staircase of steep sigmoids,
  and the same with ReLU (a piecewise-linear interpolant; Leshno, Lin, Pinkus & Schocken
  1993: any non-polynomial activation works).
- Stone–Weierstrass, constructively: Bernstein polynomials (Bernstein 1912),
  :math:`B_n f(x) = \\sum_{k=0}^n f(k/n) \\binom{n}{k} x^k (1-x)^{n-k}`, with Popoviciu's bound
  :math:`\\|B_n f - f\\|_\\infty \\le \\tfrac32\\,\\omega(f, n^{-1/2})` and, for
  :math:`f \\in C^2`, :math:`\\|B_n f - f\\|_\\infty \\le \\|f''\\|_\\infty / (8n)`.
- Mhaskar, Liao & Poggio (2016): units needed for accuracy ε, shallow vs deep.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import sympy as sp

from symdl.core.activations import SIGMOID, Activation, get_activation, relu
from symdl.core.exact import exact_number

if TYPE_CHECKING:  # matplotlib is imported only when a figure is drawn
    from matplotlib.figure import Figure

__all__ = [
    "OneHiddenLayerSum",
    "UnitCounts",
    "bernstein_polynomial",
    "cybenko_error_bound",
    "cybenko_sum",
    "modulus_of_continuity",
    "plot_bernstein",
    "plot_cybenko",
    "popoviciu_bound",
    "second_derivative_bound",
    "sup_error",
    "unit_counts",
]

_GRID = 20_001  # points of the grid on [0, 1] for sup norms and moduli of continuity


def _function(f: object, x: object) -> tuple[sp.Expr, sp.Symbol]:
    if not isinstance(x, sp.Symbol):
        raise TypeError(f"x={x!r} is not a SymPy Symbol")
    if not isinstance(f, sp.Expr):
        raise TypeError(f"f={f!r} is not a SymPy expression of {x}")
    extra = f.free_symbols - {x}
    if extra:
        raise ValueError(
            f"f = {f} depends on {', '.join(sorted(map(str, extra)))} as well as {x}; "
            "substitute numbers for the other symbols"
        )
    return f, x


def _numpy(f: sp.Expr, x: sp.Symbol) -> Callable[[np.ndarray], np.ndarray]:
    fn = sp.lambdify(x, f, modules="numpy")

    def evaluate(t: np.ndarray) -> np.ndarray:
        values = np.broadcast_to(np.asarray(fn(t), dtype=float), t.shape)
        if not np.all(np.isfinite(values)):
            raise ValueError(f"f = {f} is not finite on all of [0, 1]; pass a continuous f")
        return values

    return evaluate


def _units(value: object, name: str = "units") -> int:
    if isinstance(value, bool) or not isinstance(value, (int, sp.Integer)) or int(value) < 1:
        raise ValueError(f"{name}={value!r} must be an integer ≥ 1")
    return int(value)


def _quantity(name: str, value: object) -> sp.Expr:
    """An exact number or a SymPy expression (:func:`symdl.core.exact.exact_number`)."""
    return exact_number(value, name=name)


# --- Cybenko sums -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OneHiddenLayerSum:
    """:math:`G(x) = c + \\sum_i \\alpha_i\\,\\sigma(w_i x + b_i)` with exact coefficients."""

    activation: Activation
    offset: sp.Expr
    alphas: tuple[sp.Expr, ...]
    weights: tuple[sp.Expr, ...]
    biases: tuple[sp.Expr, ...]

    @property
    def units(self) -> int:
        """The number of hidden units."""
        return len(self.alphas)

    def expression(self, x: sp.Symbol) -> sp.Expr:
        """G as an exact SymPy expression of ``x``."""
        return self.offset + sp.Add(
            *(
                a * self.activation(w * x + b)
                for a, w, b in zip(self.alphas, self.weights, self.biases, strict=True)
            )
        )

    def numpy(self, t: np.ndarray) -> np.ndarray:
        """G at the points ``t``, with the activation's NumPy form."""
        alphas, weights, biases = (
            np.array([float(v) for v in values], dtype=float)
            for values in (self.alphas, self.weights, self.biases)
        )
        hidden = self.activation.numpy(np.outer(t, weights) + biases)
        return float(self.offset) + hidden @ alphas


def cybenko_sum(
    f: sp.Expr,
    x: sp.Symbol,
    *,
    units: int,
    activation: str | Activation = "sigmoid",
    steepness: int | None = None,
) -> OneHiddenLayerSum:
    """A one-hidden-layer sum approximating the continuous ``f`` on [0, 1], built explicitly.

    With :math:`t_i = i/N`, :math:`m_i = (t_{i-1} + t_i)/2` and
    :math:`\\Delta_i = f(t_i) - f(t_{i-1})`:

    - ``"sigmoid"``: the staircase :math:`f(0) + \\sum_{i=1}^N \\Delta_i \\sigma(w(x - m_i))`,
      steepness :math:`w = 10N` by default (see :func:`cybenko_error_bound`);
    - ``"relu"``: the piecewise-linear interpolant
      :math:`f(0) + \\sum_{i=0}^{N-1} (s_i - s_{i-1}) \\max(0, x - t_i)` with slopes
      :math:`s_i = N\\Delta_{i+1}`, :math:`s_{-1} = 0`; its error is at most
      :math:`\\omega(f, 1/N)`, and :math:`\\|f''\\|_\\infty/(8N^2)` for :math:`f \\in C^2`.

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> G = cybenko_sum(x**2, x, units=2, activation="relu")
    >>> G.expression(x)
    Max(0, x)/2 + Max(0, x - 1/2)
    >>> G = cybenko_sum(x**2, x, units=2)
    >>> G.alphas, G.weights, G.biases
    ((1/4, 3/4), (20, 20), (-5, -15))

    References
    ----------
    G. Cybenko, "Approximation by superpositions of a sigmoidal function", Math. Control
    Signals Systems 2:303–314, 1989 (Theorem 2; the staircase is the 1-D idea behind it).
    M. Leshno, V. Lin, A. Pinkus, S. Schocken, "Multilayer feedforward networks with a
    nonpolynomial activation function can approximate any function", Neural Networks 6, 1993.
    """
    f, x = _function(f, x)
    n = _units(units)
    act = get_activation(activation) if isinstance(activation, str) else activation
    if not isinstance(act, Activation):
        raise TypeError(
            f"activation={activation!r} is not an activation; pass a name such as 'sigmoid' "
            "or 'relu', or an Activation"
        )
    nodes = [sp.Rational(i, n) for i in range(n + 1)]
    values = [f.subs(x, t) for t in nodes]
    if not all(v.is_finite for v in values):
        raise ValueError(f"f = {f} is not finite at the nodes i/{n}; pass a continuous f")
    if act.piecewise_linear and act.name == "relu":
        slopes = [n * (values[i + 1] - values[i]) for i in range(n)]
        alphas = tuple(s - p for s, p in zip(slopes, [0, *slopes[:-1]], strict=True))
        return OneHiddenLayerSum(
            act, values[0], alphas, (sp.S.One,) * n, tuple(-t for t in nodes[:-1])
        )
    if act.name not in ("sigmoid", "tanh", "step"):
        raise ValueError(
            f"activation {act.name!r}: the staircase needs a sigmoidal activation (sigmoid, "
            "tanh, step) and the interpolant needs relu; pass one of those"
        )
    w = sp.Integer(10 * n if steepness is None else _units(steepness, "steepness"))
    deltas = tuple(values[i] - values[i - 1] for i in range(1, n + 1))
    midpoints = [(nodes[i - 1] + nodes[i]) / 2 for i in range(1, n + 1)]
    if act.name == "tanh":  # tanh(z) = 2σ(2z) − 1: half the jump, half the slope
        return OneHiddenLayerSum(
            act,
            values[0] + sum(deltas) / 2,
            tuple(d / 2 for d in deltas),
            (w / 2,) * n,
            tuple(-w * m / 2 for m in midpoints),
        )
    return OneHiddenLayerSum(act, values[0], deltas, (w,) * n, tuple(-w * m for m in midpoints))


def cybenko_error_bound(omega: float, *, units: int, steepness: float) -> float:
    """A bound on :math:`\\|f - G\\|_\\infty` for the sigmoid staircase of :func:`cybenko_sum`.

    With :math:`h = 1/N`, S the step function equal to :math:`f(t_j)` between the midpoints
    around :math:`t_j`, and :math:`\\sigma(-z) \\le e^{-z}`:

    .. math::

        \\|f - G\\|_\\infty \\le \\omega(f, h)\\Big(\\frac32 + e^{-wh/2}
        + \\frac{2 e^{-wh}}{1 - e^{-wh}}\\Big),

    since :math:`|f - S| \\le \\omega(f, h/2)`, the two sigmoids nearest x contribute at most
    :math:`\\tfrac12 + \\sigma(-wh/2)` jumps and the k-th farther ones :math:`2\\sigma(-wkh)`.

    Examples
    --------
    >>> round(cybenko_error_bound(0.1, units=10, steepness=100), 6)
    0.150683

    References
    ----------
    G. Cybenko (1989), Theorem 2 and the remark after it (a one-dimensional staircase of
    steep sigmoids); the estimate is the standard telescoping of the jumps
    :math:`|f(t_i) - f(t_{i-1})| \\le \\omega(f, h)`.
    """
    h = 1 / _units(units)
    for name, value in (("omega", omega), ("steepness", steepness)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"{name}={value!r} is not a number")
    if not (omega >= 0 and steepness > 0):
        raise ValueError(
            f"omega={omega!r} must be ≥ 0 and steepness={steepness!r} positive: pass a modulus "
            "of continuity and the slope w of the sigmoids"
        )
    decay = math.exp(-steepness * h)
    return omega * (1.5 + math.exp(-steepness * h / 2) + 2 * decay / (1 - decay))


# --- sup norms and moduli of continuity ----------------------------------------------------------


def sup_error(f: sp.Expr, g: sp.Expr | Callable[[np.ndarray], np.ndarray], x: sp.Symbol) -> float:
    """:math:`\\sup_{[0,1]} |f - g|`: exact (critical points by ``real_roots``) when both are
    polynomials, else the maximum on a grid of 20001 points.

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> sup_error(x**2, x**2 + x * (1 - x) / 4, x)
    0.0625
    """
    f, x = _function(f, x)
    if not (isinstance(g, sp.Expr) or callable(g)):
        raise TypeError(f"g={g!r} is neither a SymPy expression nor a function of an array")
    if isinstance(g, sp.Expr) and f.is_polynomial(x) and g.is_polynomial(x):
        difference = sp.Poly(sp.expand(f - g), x)
        candidates = [sp.S.Zero, sp.S.One]
        if difference.degree() > 1:
            candidates += [r for r in sp.real_roots(difference.diff(x)) if 0 <= r <= 1]
        return float(max(abs(difference.as_expr().subs(x, c)) for c in candidates))
    grid = np.linspace(0.0, 1.0, _GRID)
    other = _numpy(g, x)(grid) if isinstance(g, sp.Expr) else np.asarray(g(grid), dtype=float)
    return float(np.max(np.abs(_numpy(f, x)(grid) - other)))


def modulus_of_continuity(f: sp.Expr, x: sp.Symbol, delta: float) -> float:
    """The modulus of continuity on [0, 1], on a grid of 4001 points (a lower estimate):

    .. math::

        \\omega(f, \\delta) = \\sup\\{|f(s) - f(t)| : s, t \\in [0,1],\\ |s - t| \\le \\delta\\}.


    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> round(modulus_of_continuity(abs(x - sp.S.Half), x, 0.25), 12)
    0.25
    """
    f, x = _function(f, x)
    if isinstance(delta, bool) or not isinstance(delta, (int, float)):
        raise TypeError(f"delta={delta!r} is not a number; pass a float in (0, 1]")
    if not delta > 0:
        raise ValueError(f"delta={delta!r} must be positive")
    points = 4001
    values = _numpy(f, x)(np.linspace(0.0, 1.0, points))
    width = min(math.floor(delta * (points - 1) + 1e-9), points - 1)
    best = 0.0
    for shift in range(1, width + 1):
        best = max(best, float(np.max(np.abs(values[shift:] - values[:-shift]))))
    return best


# --- Bernstein polynomials -----------------------------------------------------------------------


def bernstein_polynomial(f: sp.Expr, x: sp.Symbol, n: int) -> sp.Expr:
    """:math:`B_n f(x) = \\sum_{k=0}^n f(k/n)\\binom{n}{k} x^k (1-x)^{n-k}`, exactly.

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> sp.expand(bernstein_polynomial(x**2, x, 3))
    2*x**2/3 + x/3

    References
    ----------
    S. Bernstein, "Démonstration du théorème de Weierstrass fondée sur le calcul des
    probabilités", Comm. Soc. Math. Kharkov 13, 1912.
    """
    f, x = _function(f, x)
    degree = _units(n, "n")
    return sp.Add(
        *(
            f.subs(x, sp.Rational(k, degree))
            * sp.binomial(degree, k)
            * x**k
            * (1 - x) ** (degree - k)
            for k in range(degree + 1)
        )
    )


def popoviciu_bound(f: sp.Expr, x: sp.Symbol, n: int) -> float:
    """Popoviciu's bound :math:`\\tfrac32\\,\\omega(f, n^{-1/2})` on the sup error of
    :math:`B_n f`.

    References
    ----------
    T. Popoviciu, "Sur l'approximation des fonctions convexes d'ordre supérieur", Mathematica
    (Cluj) 10, 1935; see G. G. Lorentz, *Bernstein Polynomials*, 1953, Theorem 1.6.1.

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> popoviciu_bound(abs(x - sp.S.Half), x, 4)  # ω(f, 1/2) = 1/2 for this f
    0.75
    """
    return 1.5 * modulus_of_continuity(f, x, 1 / math.sqrt(_units(n, "n")))


def second_derivative_bound(f: sp.Expr, x: sp.Symbol, n: int) -> sp.Expr:
    """:math:`\\|f''\\|_\\infty / (8n)`, exact when SymPy finds the maximum of :math:`|f''|`.

    For :math:`f \\in C^2`, :math:`B_n f - f = \\tfrac{x(1-x)}{2n} f''(\\xi)`-type estimates give
    :math:`\\|B_n f - f\\|_\\infty \\le \\|f''\\|_\\infty/(8n)` (Lorentz 1953, Section 1.6).

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> second_derivative_bound(x**2, x, 4)
    1/16

    References
    ----------
    G. G. Lorentz, *Bernstein Polynomials*, 1953, Section 1.6 (Voronovskaya's asymptotic and
    the estimate for :math:`f \\in C^2`).
    """
    f, x = _function(f, x)
    degree = _units(n, "n")
    second = sp.diff(f, x, 2)
    try:
        interval = sp.Interval(0, 1)
        peak = sp.Max(
            sp.Abs(sp.maximum(second, x, interval)), sp.Abs(sp.minimum(second, x, interval))
        )
    except (NotImplementedError, ValueError, TypeError):
        peak = None
    if peak is None or not peak.is_finite or peak.has(sp.Max, sp.Min):
        grid = np.linspace(0.0, 1.0, _GRID)
        peak = sp.Float(float(np.max(np.abs(_numpy(second, x)(grid)))))
    return peak / (8 * degree)


# --- Mhaskar–Liao–Poggio unit counts --------------------------------------------------------------


@dataclass(frozen=True)
class UnitCounts:
    """Units needed for accuracy ε: shallow :math:`\\epsilon^{-n/m}`, deep binary tree
    :math:`(n-1)\\epsilon^{-2/m}` (orders of magnitude, constants dropped)."""

    shallow: sp.Expr
    deep: sp.Expr

    @property
    def ratio(self) -> sp.Expr:
        """shallow / deep."""
        return sp.simplify(self.shallow / self.deep)


def unit_counts(
    *, variables: int | sp.Expr, smoothness: int | sp.Expr, accuracy: sp.Expr | float
) -> UnitCounts:
    """Mhaskar–Liao–Poggio: a function of n variables with smoothness m needs
    :math:`O(\\epsilon^{-n/m})` units in a shallow network; a compositional binary-tree function
    of 2-variable constituents needs :math:`O((n-1)\\epsilon^{-2/m})` in a deep network of the
    same tree shape.  The lecture's :math:`O(\\epsilon^{-d})` vs :math:`O(d\\epsilon^{-2})` is
    m = 1 (with n − 1 ≈ d).

    Examples
    --------
    >>> c = unit_counts(variables=8, smoothness=1, accuracy=sp.Rational(1, 10))
    >>> c.shallow, c.deep
    (100000000, 700)
    >>> n, m, eps = sp.symbols("n m epsilon", positive=True)
    >>> unit_counts(variables=n, smoothness=m, accuracy=eps).deep
    (n - 1)/epsilon**(2/m)

    References
    ----------
    H. Mhaskar, Q. Liao, T. Poggio, "Learning functions: when is deep better than shallow",
    arXiv:1603.00988, 2016, Theorems 1 and 2.
    """
    n, m, eps = (
        _quantity(name, value)
        for name, value in (
            ("variables", variables),
            ("smoothness", smoothness),
            ("accuracy", accuracy),
        )
    )
    if n.is_number and not (n.is_integer and n >= 2):
        raise ValueError(f"variables={variables!r} must be an integer ≥ 2 (a binary tree)")
    if m.is_number and not m.is_positive:
        raise ValueError(f"smoothness={smoothness!r} must be positive")
    if eps.is_number and not (0 < eps < 1):
        raise ValueError(f"accuracy={accuracy!r} must be in (0, 1)")
    return UnitCounts(eps ** (-n / m), (n - 1) * eps ** (-2 / m))


# --- figures --------------------------------------------------------------------------------------


def plot_bernstein(f: sp.Expr, x: sp.Symbol, degrees: Sequence[int] = (2, 3, 6, 20)) -> Figure:
    """f and its Bernstein polynomials of the given degrees on [0, 1] (the lecture's 2, 3, 6,
    20 by default)."""
    f, x = _function(f, x)
    t = np.linspace(0.0, 1.0, 801)
    from matplotlib.figure import Figure

    figure = Figure(figsize=(5.5, 4))
    ax = figure.add_subplot()
    ax.plot(t, _numpy(f, x)(t), "k", lw=2, label=f"$f = {sp.latex(f)}$")
    for n in degrees:
        ax.plot(t, _numpy(bernstein_polynomial(f, x, n), x)(t), label=f"$B_{{{n}}} f$")
    ax.set_xlabel("$x$")
    ax.set_title("Bernstein polynomials (Stone–Weierstrass)")
    ax.legend()
    figure.tight_layout()
    return figure


def plot_cybenko(f: sp.Expr, x: sp.Symbol, units: Sequence[int] = (4, 8, 16)) -> Figure:
    """Sigmoid staircases and ReLU interpolants of f on [0, 1] with N units."""
    f, x = _function(f, x)
    t = np.linspace(0.0, 1.0, 801)
    from matplotlib.figure import Figure

    figure = Figure(figsize=(9, 3.8))
    for column, act in enumerate((SIGMOID, relu())):
        ax = figure.add_subplot(1, 2, column + 1)
        ax.plot(t, _numpy(f, x)(t), "k", lw=2, label=f"$f = {sp.latex(f)}$")
        for n in units:
            ax.plot(t, cybenko_sum(f, x, units=n, activation=act).numpy(t), label=f"N = {n}")
        ax.set_title(f"{act.name} units")
        ax.set_xlabel("$x$")
        ax.legend()
    figure.tight_layout()
    return figure
