r"""Flat minima and Entropy-SGD: the local entropy of a quadratic loss, in closed form.

Chaudhari et al. (2017) replace the loss :math:`f` by its **local entropy**

.. math::

    F_\beta(x; \gamma) = \log \int_{\mathbb R^d}
        \exp\Bigl(-\beta f(x') - \frac{\beta\gamma}{2} \|x - x'\|^2\Bigr)\, dx' ,

(their definition is :math:`\beta = 1`; :math:`1/\beta` is a temperature), which is large where
a wide neighbourhood of :math:`x` has a low loss: a flat minimum.  Its gradient is

.. math::

    \nabla_x F_\beta(x; \gamma) = \beta\gamma \bigl(\langle x' \rangle - x\bigr),

with :math:`\langle x' \rangle` the mean of :math:`x'` under the Gibbs density proportional to
the integrand; Entropy-SGD descends on :math:`-F`, in the direction of
:math:`-\nabla F = \beta\gamma (x - \langle x' \rangle)`, estimating
:math:`\langle x' \rangle` by Langevin dynamics.

**Quadratic loss.**  For :math:`f(x) = \tfrac12 x^T A x + b^T x + c` with a symmetric
:math:`A` such that :math:`K = A + \gamma I` is positive definite (every positive semidefinite
:math:`A`; a Hessian with eigenvalues above :math:`-\gamma` too) the integrand is a Gaussian in
:math:`x'` of covariance :math:`(\beta K)^{-1}` and mean
:math:`\langle x' \rangle = K^{-1}(\gamma x - b)`, so, completing the square,

.. math::

    F_\beta(x; \gamma) = \frac12 \log \frac{(2\pi/\beta)^d}{\det(A + \gamma I)}
        - \beta\, M_{f/\gamma}(x),
    \qquad
    M_{f/\gamma}(x) = \min_{u} \Bigl( f(u) + \frac{\gamma}{2}\|u - x\|^2 \Bigr),

where :math:`M_{f/\gamma}` is the **Moreau envelope** of :math:`f` with parameter
:math:`1/\gamma` (Moreau 1965; Parikh and Boyd 2014, § 3.1), attained at the **proximal point**
:math:`\operatorname{prox}_{f/\gamma}(x) = K^{-1}(\gamma x - b)`.  So for a quadratic loss
:math:`-F_\beta` *is* the Moreau envelope, scaled by :math:`\beta` and shifted by a constant,
and the Gibbs mean *is* the proximal point, at every temperature; the Entropy-SGD direction
:math:`\gamma(x - \langle x'\rangle)` is the gradient of the envelope (for :math:`\beta = 1`),
the step of the proximal-point method.  The envelope's Hessian is
:math:`\gamma A (A + \gamma I)^{-1}`, of eigenvalues :math:`\lambda\gamma/(\lambda + \gamma)`
below both :math:`\lambda` and :math:`\gamma`: the smoothing flattens every well, the sharp ones
most.  At the bottom of a well of depth :math:`c` and curvature :math:`a` (1-D),
:math:`F_1 = \tfrac12 \log(2\pi/(a + \gamma)) - c`: of two wells of equal depth the flatter
has the larger local entropy.

:func:`quadratic_local_entropy` computes all of these exactly, with symbolic or numeric
:math:`A, b, c, \gamma, \beta`.

References
----------
P. Chaudhari, A. Choromanska, S. Soatto, Y. LeCun, C. Baldassi, C. Borgs, J. Chayes,
L. Sagun and R. Zecchina, "Entropy-SGD: biasing gradient descent into wide valleys",
ICLR 2017, § 3 (the local entropy) and § 4 (its gradient, Entropy-SGD).

J.-J. Moreau, "Proximité et dualité dans un espace hilbertien", Bull. Soc. Math. France 93
(1965).

N. Parikh and S. Boyd, "Proximal algorithms", Found. Trends Optim. 1 (2014), § 3.1 (the
Moreau envelope, or Moreau–Yosida regularization) and § 6.1.1 (the proximal operator of a
quadratic).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sympy as sp

from symdl.core.exact import exact_number, positive

__all__ = [
    "MAX_LOCAL_ENTROPY_DIMENSION",
    "LocalEntropy",
    "quadratic_local_entropy",
]

#: The largest number of variables :func:`quadratic_local_entropy` accepts.
MAX_LOCAL_ENTROPY_DIMENSION = 6


@dataclass(frozen=True)
class LocalEntropy:
    r"""The local entropy of a quadratic loss and its links to the Moreau envelope, exactly.

    Every expression is in the loss's own variables :math:`x`.

    Attributes
    ----------
    variables
        :math:`x = (x_1, \dots, x_d)`.
    gamma, inverse_temperature
        :math:`\gamma` (the coupling) and :math:`\beta`.
    hessian
        :math:`A`, the Hessian of :math:`f`.
    value
        :math:`F_\beta(x; \gamma)`.
    gibbs_mean
        :math:`\langle x' \rangle`, the mean of the Gibbs density (a column).
    gradient
        :math:`\nabla_x F_\beta = \beta\gamma(\langle x' \rangle - x)`.
    moreau_envelope
        :math:`M_{f/\gamma}(x) = \min_u f(u) + \tfrac\gamma2 \|u - x\|^2`.
    proximal_point
        :math:`\operatorname{prox}_{f/\gamma}(x)`, the minimiser (a column), solved from the
        stationarity condition :math:`\nabla f(u) + \gamma (u - x) = 0`.
    constant
        :math:`F_\beta + \beta M_{f/\gamma}
        = \tfrac12 \log\bigl((2\pi/\beta)^d / \det(A + \gamma I)\bigr)`, free of :math:`x`.
    """

    variables: tuple[sp.Symbol, ...]
    gamma: sp.Expr
    inverse_temperature: sp.Expr
    hessian: sp.Matrix
    value: sp.Expr
    gibbs_mean: sp.Matrix
    gradient: sp.Matrix
    moreau_envelope: sp.Expr
    proximal_point: sp.Matrix
    constant: sp.Expr

    @property
    def step_direction(self) -> sp.Matrix:
        r"""The Entropy-SGD direction :math:`-\nabla F_\beta = \beta\gamma(x - \langle x' \rangle)`
        (a step is :math:`x \leftarrow x - \eta\, \beta\gamma (x - \langle x' \rangle)`)."""
        return -self.gradient

    def at(self, point: Sequence[Any]) -> LocalEntropy:
        """Every expression at the point ``point`` (one exact number per variable)."""
        if len(point) != len(self.variables):
            raise ValueError(
                f"point={list(point)!r} has {len(point)} coordinates; give one per variable "
                f"{', '.join(map(str, self.variables))}"
            )
        values = {
            v: exact_number(p, name=str(v)) for v, p in zip(self.variables, point, strict=True)
        }
        return LocalEntropy(
            self.variables,
            self.gamma,
            self.inverse_temperature,
            self.hessian,
            sp.simplify(self.value.subs(values)),
            self.gibbs_mean.subs(values),
            self.gradient.subs(values),
            sp.simplify(self.moreau_envelope.subs(values)),
            self.proximal_point.subs(values),
            self.constant,
        )


def _variables(variables: Any) -> tuple[sp.Symbol, ...]:
    if isinstance(variables, sp.Symbol):
        variables = (variables,)
    if isinstance(variables, (str, bytes)) or not isinstance(variables, Sequence):
        raise TypeError(
            f"variables={variables!r}: give the loss's variables as a SymPy Symbol or a list of "
            "them, e.g. sympy.symbols('x_1 x_2', real=True)"
        )
    found = tuple(variables)
    if not all(isinstance(v, sp.Symbol) for v in found):
        raise TypeError(f"variables={found!r}: every variable must be a SymPy Symbol")
    if len(set(found)) != len(found):
        raise ValueError(f"variables={found!r} repeats a variable; give each once")
    if not 1 <= len(found) <= MAX_LOCAL_ENTROPY_DIMENSION:
        raise ValueError(
            f"{len(found)} variables: 1 to {MAX_LOCAL_ENTROPY_DIMENSION} "
            "(symdl.optimization.local_entropy.MAX_LOCAL_ENTROPY_DIMENSION) are computed exactly"
        )
    return found


def _quadratic(f: Any, x: tuple[sp.Symbol, ...]) -> tuple[sp.Matrix, sp.Matrix]:
    """``A`` and ``b`` with ``f = x^T A x / 2 + b^T x + c``."""
    if not isinstance(f, sp.Expr):
        raise TypeError(
            f"f={f!r} is not a SymPy expression; give the loss as one, e.g. "
            "(x_1**2 + 3*x_2**2)/2 with x_1, x_2 = sympy.symbols('x_1 x_2', real=True)"
        )
    if f.has(sp.Float):
        raise TypeError(f"f = {f} has a float; write its coefficients with sympy.Rational")
    try:
        degree = sp.Poly(f, *x).total_degree()
    except sp.PolynomialError:
        degree = None
    if degree is None or degree > 2:
        raise ValueError(
            f"f = {f} is not a polynomial of degree at most 2 in {', '.join(map(str, x))}: the "
            "local entropy has this closed form for a quadratic loss only"
        )
    zero = dict.fromkeys(x, sp.S.Zero)
    A = sp.hessian(f, x)
    b = sp.Matrix([sp.diff(f, v).subs(zero) for v in x])
    return A, b


def _positive_definite(K: sp.Matrix, gamma: sp.Expr) -> None:
    """Sylvester's criterion: every leading principal minor of ``K`` is positive."""
    for k in range(1, K.rows + 1):
        minor = sp.factor(K[:k, :k].det())
        if minor.is_positive is not True:
            verb = "is not" if minor.is_positive is False else "is not known to be"
            raise ValueError(
                f"A + γI = {K.tolist()} (γ = {gamma}) {verb} positive definite (its leading "
                f"minor of order {k} is {minor}): the integral of the local entropy diverges; "
                "give a Hessian A whose eigenvalues exceed -γ (numbers, or symbols with "
                "positive=True)"
            )


def quadratic_local_entropy(
    f: sp.Expr, variables: Any, *, gamma: Any, inverse_temperature: Any = 1
) -> LocalEntropy:
    r"""The local entropy of the quadratic loss ``f``, its gradient, and the Moreau envelope.

    Parameters
    ----------
    f
        A SymPy polynomial of degree at most 2 in ``variables``,
        :math:`\tfrac12 x^T A x + b^T x + c`; its coefficients may be symbols.
    variables
        The variables :math:`x_1, \dots, x_d` of ``f`` (a Symbol or a list), at most
        :data:`MAX_LOCAL_ENTROPY_DIMENSION`.
    gamma
        The coupling :math:`\gamma > 0` (an exact number or a positive Symbol).
    inverse_temperature
        :math:`\beta > 0` (default 1, Chaudhari et al.'s definition).

    Returns
    -------
    LocalEntropy

    Raises
    ------
    TypeError
        If ``f`` is not a SymPy expression or has a float.
    ValueError
        If ``f`` is not quadratic, or :math:`A + \gamma I` is not positive definite (the
        integral diverges).

    Examples
    --------
    The well :math:`f(x) = \tfrac a2 x^2` of curvature :math:`a`: the envelope has the curvature
    :math:`a\gamma/(a + \gamma)`, and the Gibbs mean pulls :math:`x` toward the minimum.

    >>> x = sp.Symbol("x", real=True)
    >>> a, gamma = sp.symbols("a gamma", positive=True)
    >>> entropy = quadratic_local_entropy(a * x**2 / 2, x, gamma=gamma)
    >>> entropy.moreau_envelope
    a*gamma*x**2/(2*(a + gamma))
    >>> entropy.constant
    log(2*pi/(a + gamma))/2
    >>> entropy.gibbs_mean, entropy.step_direction
    (Matrix([[gamma*x/(a + gamma)]]), Matrix([[a*gamma*x/(a + gamma)]]))
    """
    x = _variables(variables)
    A, b = _quadratic(f, x)
    g = positive(gamma, name="gamma", reason="the coupling of the local entropy")
    beta = positive(inverse_temperature, name="inverse_temperature", reason="β = 1/temperature")
    d = len(x)
    X = sp.Matrix(x)
    K = A + g * sp.eye(d)
    _positive_definite(K, g)
    # the Gibbs density is Gaussian: exponent -β(x'^T K x'/2 - (γx - b)^T x' + c + γ|x|²/2)
    h = g * X - b
    mean = K.LUsolve(h).applyfunc(sp.factor)
    # the Moreau envelope, from its minimiser: ∇f(u) + γ(u - x) = A u + b + γ(u - x) = 0
    u = sp.Matrix(sp.symbols(f"u_1:{d + 1}", real=True))
    objective = (
        f.subs(dict(zip(x, u, strict=True)), simultaneous=True)
        + g / 2 * ((u - X).T * (u - X))[0, 0]
    )
    stationary = [sp.diff(objective, v) for v in u]
    solution = sp.solve(stationary, list(u), dict=True)
    if len(solution) != 1:
        raise ValueError(f"f + γ|u - x|²/2 = {objective} has no unique minimiser")
    prox = u.subs(solution[0]).applyfunc(sp.factor)
    envelope = sp.factor(sp.cancel(objective.subs(solution[0])))
    constant = sp.log(sp.factor((2 * sp.pi / beta) ** d / K.det())) / 2
    value = constant - beta * envelope
    gradient = sp.Matrix([sp.factor(sp.diff(value, v)) for v in x])
    return LocalEntropy(x, g, beta, A, value, mean, gradient, envelope, prox, constant)
