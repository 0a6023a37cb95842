"""The local entropy of a quadratic loss, checked against quadrature.

Oracles: mpmath quadrature of the defining integral (one dimension), the trapezoidal rule on a
fine grid in NumPy (two and three dimensions: for a smooth, rapidly decaying integrand it
converges exponentially fast), central differences for the gradient, and values worked out by
hand.
"""

from __future__ import annotations

import itertools

import mpmath
import numpy as np
import pytest
import sympy as sp

from symdl.optimization.local_entropy import (
    MAX_LOCAL_ENTROPY_DIMENSION,
    quadratic_local_entropy,
)

x = sp.Symbol("x", real=True)
x1, x2, x3 = sp.symbols("x_1 x_2 x_3", real=True)
R = sp.Rational


def _quad_1d(f: sp.Expr, x0: float, gamma: float, beta: float, moment: int = 0) -> mpmath.mpf:
    loss = sp.lambdify(x, f, "mpmath")
    with mpmath.workdps(20):
        return mpmath.quad(
            lambda u: u**moment * mpmath.exp(-beta * loss(u) - beta * gamma * (x0 - u) ** 2 / 2),
            [-mpmath.inf, 0, mpmath.inf],
        )


@pytest.mark.parametrize(
    ("f", "gamma", "beta"),
    [
        (R(3, 2) * x**2 / 2 - x + R(1, 4), 2, 1),
        (R(3, 2) * x**2 / 2 - x + R(1, 4), R(1, 2), 3),
        (5 * x**2 + 2 * x, 1, R(1, 2)),
        (-(x**2) / 2 + x, 2, 1),  # concave, yet A + γ = 1 > 0: the integral converges
        (3 * x - 1, 1, 1),  # linear: A = 0
    ],
)
def test_the_value_mean_and_gradient_agree_with_quadrature_in_one_dimension(
    f: sp.Expr, gamma: object, beta: object
) -> None:
    entropy = quadratic_local_entropy(f, x, gamma=gamma, inverse_temperature=beta)
    g, b = float(sp.sympify(gamma)), float(sp.sympify(beta))
    for x0 in (-1.3, 0.7, 2.5):
        mass = _quad_1d(f, x0, g, b)
        value = float(entropy.value.subs(x, x0))
        assert value == pytest.approx(float(mpmath.log(mass)), rel=1e-12, abs=1e-12)
        mean = float(_quad_1d(f, x0, g, b, moment=1) / mass)
        assert float(entropy.gibbs_mean[0].subs(x, x0)) == pytest.approx(mean, rel=1e-10, abs=1e-12)
        h = 1e-4
        slope = (mpmath.log(_quad_1d(f, x0 + h, g, b)) - mpmath.log(_quad_1d(f, x0 - h, g, b))) / (
            2 * h
        )
        assert float(entropy.gradient[0].subs(x, x0)) == pytest.approx(float(slope), rel=1e-6)
        # the Entropy-SGD direction is βγ(x - <x'>)
        assert float(entropy.step_direction[0].subs(x, x0)) == pytest.approx(
            b * g * (x0 - mean), rel=1e-9, abs=1e-12
        )


def _trapezoid(
    f: sp.Expr, variables: tuple[sp.Symbol, ...], x0: np.ndarray, gamma: float, half: float, n: int
) -> tuple[float, np.ndarray]:
    """log of the integral and the Gibbs mean, on a grid of n points per axis."""
    loss = sp.lambdify(variables, f, "numpy")
    axis = np.linspace(-half, half, n)
    grids = np.meshgrid(*([axis] * len(variables)), indexing="ij")
    exponent = -loss(*grids) - gamma / 2 * sum((g - c) ** 2 for g, c in zip(grids, x0, strict=True))
    weight = np.exp(exponent)
    cell = (axis[1] - axis[0]) ** len(variables)
    mass = weight.sum() * cell
    mean = np.array([(g * weight).sum() * cell / mass for g in grids])
    return float(np.log(mass)), mean


@pytest.mark.parametrize(
    ("f", "variables", "gamma", "n"),
    [
        (x1**2 + x1 * x2 + 2 * x2**2 - x1 + R(1, 3), (x1, x2), 1, 301),
        (x1**2 / 2 - x1 * x2 + x2**2 + 3 * x2, (x1, x2), R(1, 2), 301),
        ((3 * x1**2 + 2 * x2**2 + x3**2) / 2 + x1 * x3 - x2 + 2 * x3, (x1, x2, x3), 2, 81),
    ],
)
def test_the_value_and_mean_agree_with_the_trapezoidal_rule(
    f: sp.Expr, variables: tuple[sp.Symbol, ...], gamma: object, n: int
) -> None:
    entropy = quadratic_local_entropy(f, list(variables), gamma=gamma)
    x0 = np.array([0.4, -0.9, 0.25][: len(variables)])
    at = dict(zip(variables, x0, strict=True))
    log_mass, mean = _trapezoid(f, variables, x0, float(sp.sympify(gamma)), 14.0, n)
    assert float(entropy.value.subs(at)) == pytest.approx(log_mass, rel=1e-8)
    got = np.array([float(v.subs(at)) for v in entropy.gibbs_mean], dtype=float)
    assert np.allclose(got, mean, rtol=1e-8, atol=1e-9)


def test_a_well_worked_by_hand() -> None:
    # f = x², γ = 2: A + γ = 4, <x'> = γx/4 = x/2, M = f(x/2) + (x/2)² = x²/2,
    # F = ½ log(2π/4) - x²/2
    entropy = quadratic_local_entropy(x**2, x, gamma=2)
    assert entropy.gibbs_mean == sp.Matrix([x / 2])
    assert entropy.proximal_point == sp.Matrix([x / 2])
    assert sp.expand(entropy.moreau_envelope - x**2 / 2) == 0
    assert sp.simplify(entropy.value - (sp.log(sp.pi / 2) / 2 - x**2 / 2)) == 0
    assert entropy.gradient == sp.Matrix([-x])  # βγ(x/2 - x)
    assert entropy.step_direction == sp.Matrix([x])
    assert entropy.hessian == sp.Matrix([[2]])
    point = entropy.at([3])
    assert point.moreau_envelope == R(9, 2)
    assert point.gibbs_mean == sp.Matrix([R(3, 2)])
    assert sp.simplify(point.value - sp.log(sp.pi / 2) / 2 + R(9, 2)) == 0


def test_a_symbolic_well_worked_by_hand() -> None:
    # f = a x²/2 + c at inverse temperature β: K = a + γ, M = aγx²/(2(a + γ)) + c,
    # F = ½ log(2π/(β(a + γ))) - βM
    a, gamma, beta = sp.symbols("a gamma beta", positive=True)
    c = sp.Symbol("c", real=True)
    entropy = quadratic_local_entropy(a * x**2 / 2 + c, x, gamma=gamma, inverse_temperature=beta)
    envelope = a * gamma * x**2 / (2 * (a + gamma)) + c
    assert sp.cancel(entropy.moreau_envelope - envelope) == 0
    expected = sp.log(2 * sp.pi / (beta * (a + gamma))) / 2 - beta * envelope
    assert sp.simplify(sp.expand_log(entropy.value - expected, force=True)) == 0
    assert sp.cancel(entropy.gradient[0] + beta * a * gamma * x / (a + gamma)) == 0


def test_the_envelope_is_the_minimum_of_the_proximal_objective() -> None:
    # an independent check of the minimum: the objective sampled on a grid never goes below
    # the envelope, and reaches it at the proximal point
    f = x1**2 / 2 - x1 * x2 + x2**2 + 3 * x2
    entropy = quadratic_local_entropy(f, [x1, x2], gamma=R(1, 2))
    x0 = (R(1, 3), R(-2))
    at = dict(zip((x1, x2), x0, strict=True))
    envelope = entropy.moreau_envelope.subs(at)
    prox = entropy.proximal_point.subs(at)

    def objective(u1: sp.Expr, u2: sp.Expr) -> sp.Expr:
        return f.subs({x1: u1, x2: u2}) + R(1, 4) * ((u1 - x0[0]) ** 2 + (u2 - x0[1]) ** 2)

    assert objective(prox[0], prox[1]) == envelope
    for du, dv in itertools.product((R(-1), R(-1, 10), 0, R(1, 100), R(1)), repeat=2):
        assert objective(prox[0] + du, prox[1] + dv) >= envelope


def test_every_value_is_exact() -> None:
    entropy = quadratic_local_entropy(R(1, 3) * x**2 + x, x, gamma=R(2, 3))
    assert not entropy.value.has(sp.Float)
    assert all(v.is_Rational for v in entropy.at([R(1, 7)]).gibbs_mean)


@pytest.mark.parametrize(
    ("f", "variables", "error", "match"),
    [
        (x**3, x, ValueError, "not a polynomial of degree at most 2"),
        (sp.sin(x), x, ValueError, "not a polynomial of degree at most 2"),
        ("x**2", x, TypeError, "not a SymPy expression"),
        (0.5 * x**2, x, TypeError, "float"),
        (x**2, [x, x], ValueError, "repeats"),
        (x**2, "x", TypeError, "variables"),
        (x**2, [1], TypeError, "Symbol"),
        (
            x**2,
            sp.symbols(f"y_1:{MAX_LOCAL_ENTROPY_DIMENSION + 2}"),
            ValueError,
            "MAX_LOCAL_ENTROPY_DIMENSION",
        ),
    ],
)
def test_bad_losses_are_refused(f: object, variables: object, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        quadratic_local_entropy(f, variables, gamma=1)  # type: ignore[arg-type]


def test_a_diverging_integral_is_refused() -> None:
    with pytest.raises(ValueError, match=r"not positive definite.*diverges"):
        quadratic_local_entropy(-(x**2), x, gamma=1)  # A + γ = -1
    with pytest.raises(ValueError, match=r"not positive definite"):
        quadratic_local_entropy(x1**2 / 2 + 2 * x1 * x2 + x2**2 / 2, [x1, x2], gamma=1)
    a = sp.Symbol("a", real=True)  # A + γ = a + 1 of unknown sign
    with pytest.raises(ValueError, match="not known to be positive definite"):
        quadratic_local_entropy(a * x**2, x, gamma=1)


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(ValueError, match="gamma=0 must be positive"):
        quadratic_local_entropy(x**2, x, gamma=0)
    with pytest.raises(ValueError, match="inverse_temperature=-1 must be positive"):
        quadratic_local_entropy(x**2, x, gamma=1, inverse_temperature=-1)
    with pytest.raises(TypeError, match="float"):
        quadratic_local_entropy(x**2, x, gamma=0.5)
    with pytest.raises(ValueError, match="one per variable"):
        quadratic_local_entropy(x**2, x, gamma=1).at([1, 2])
