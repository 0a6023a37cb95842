"""Dropout: exact expectations over the Bernoulli masks, the linear model's closed form, Wager
et al.'s quadratic approximation, and the Monte Carlo check.

The oracles are independent of the code under test: expectations worked out by hand, SymPy's
own probability module (``sympy.stats``), a Monte Carlo average written here in NumPy, and the
expected logistic loss summed here with mpmath.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp
from sympy import stats

from symdl.architectures.dropout import (
    KEEP_PROBABILITY,
    MAX_ENUMERATED_MASKS,
    ExpectationMethod,
    GLMLoss,
    MonteCarloCheck,
    dropout_expectation,
    dropout_inputs,
    dropout_penalty,
    glm_dropout_loss,
    glm_loss,
    linear_dropout_any_n,
    linear_dropout_model,
    mask_symbols,
    monte_carlo_expectation,
    quadratic_approximation,
    quadratic_dropout_regulariser,
    taylor_gap_orders,
)

p = KEEP_PROBABILITY
R = sp.Rational
METHODS = (ExpectationMethod.ENUMERATION, ExpectationMethod.MOMENTS, ExpectationMethod.AUTO)


# --- expectations over the masks --------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_moments_of_one_mask_and_of_independent_masks(method: ExpectationMethod) -> None:
    m = mask_symbols(3)
    # E[m] = E[m^3] = p (m is 0 or 1); E[m1 m2] = p^2 (independence); E[m1^2 m2 m3^5] = p^3
    assert dropout_expectation(m[0], m, method=method) == p
    assert sp.expand(dropout_expectation(m[0] ** 3, m, method=method) - p) == 0
    assert sp.expand(dropout_expectation(m[0] * m[1], m, method=method) - p**2) == 0
    assert sp.expand(dropout_expectation(m[0] ** 2 * m[1] * m[2] ** 5, m, method=method)) == p**3
    # a constant and a symbol that is not a mask are their own expectation
    y = sp.Symbol("y", real=True)
    assert dropout_expectation(3 * y, m, method=method) == 3 * y


def test_expectations_agree_with_sympy_stats() -> None:
    m = mask_symbols(2)
    B1, B2 = stats.Bernoulli("B1", p), stats.Bernoulli("B2", p)
    for f in (
        lambda a, b: (3 - 2 * a - 4 * b) ** 2,
        lambda a, b: a * (1 - b) + 5 * a * b**2,
        lambda a, b: (a + b - 1) ** 3,
    ):
        truth = stats.E(f(B1, B2))
        for method in METHODS:
            assert sp.expand(dropout_expectation(f(*m), m, method=method) - truth) == 0


def test_an_expression_that_is_not_a_polynomial_is_enumerated() -> None:
    m = mask_symbols(2)
    # by hand: (1-p)^2 · 1 + 2 p (1-p) · 1/2 + p^2 · 1/3 = 1 - p + p^2/3
    expected = 1 - p + p**2 / 3
    assert sp.expand(dropout_expectation(1 / (1 + m[0] + m[1]), m) - expected) == 0
    with pytest.raises(ValueError, match="not a polynomial in the masks"):
        dropout_expectation(1 / (1 + m[0]), m, method=ExpectationMethod.MOMENTS)


def test_exact_probabilities_and_p_equal_to_one() -> None:
    m = mask_symbols(2)
    # E[(m1 + m2)^2] = 2p + 2p^2 = 8/9 at p = 1/3
    assert dropout_expectation((m[0] + m[1]) ** 2, m, p=R(1, 3)) == R(8, 9)
    assert dropout_expectation((m[0] + m[1]) ** 2, m, p=1) == 4  # nothing is dropped
    assert dropout_expectation(sp.exp(m[0]), m, p=1) == sp.E


def test_the_moment_method_scales_to_many_masks() -> None:
    n = 60
    m = mask_symbols(n)
    expr = sp.Add(*(j * mj for j, mj in enumerate(m, start=1))) ** 2
    # E[(Σ j m_j)^2] = Var + mean^2 = p(1-p) Σ j^2 + p^2 (Σ j)^2
    squares, total = sum(j * j for j in range(1, n + 1)), n * (n + 1) // 2
    expected = p * (1 - p) * squares + p**2 * total**2
    assert sp.expand(dropout_expectation(expr, m) - expected) == 0
    with pytest.raises(ValueError, match="MAX_ENUMERATED_MASKS"):
        dropout_expectation(expr, m, method=ExpectationMethod.ENUMERATION)


def test_too_many_masks_to_enumerate_names_the_bound() -> None:
    m = mask_symbols(MAX_ENUMERATED_MASKS + 1)
    with pytest.raises(ValueError, match=rf"MAX_ENUMERATED_MASKS = {MAX_ENUMERATED_MASKS}"):
        dropout_expectation(sp.exp(sp.Add(*m)), m)
    # masks that do not occur are not enumerated
    assert dropout_expectation(sp.exp(m[0]), m) == p * sp.E + 1 - p


@pytest.mark.parametrize(
    ("bad", "error", "match"),
    [
        (0, ValueError, r"p=0 is not in \(0, 1\]"),
        (R(3, 2), ValueError, r"p=3/2 is not in \(0, 1\]"),
        (-1, ValueError, r"p=-1 is not in"),
        (0.5, TypeError, "float"),
        (sp.Symbol("q", negative=True), ValueError, "outside"),
    ],
)
def test_a_keep_probability_outside_the_unit_interval_is_refused(
    bad: object, error: type[Exception], match: str
) -> None:
    m = mask_symbols(1)
    with pytest.raises(error, match=match):
        dropout_expectation(m[0], m, p=bad)


def test_bad_expressions_and_masks_are_refused() -> None:
    m = mask_symbols(2)
    with pytest.raises(TypeError, match="Float"):
        dropout_expectation(0.5 * m[0], m)
    with pytest.raises(ValueError, match="more than once"):
        dropout_expectation(m[0], [m[0], m[0]])
    with pytest.raises(TypeError, match="not a SymPy Symbol"):
        dropout_expectation(m[0], [m[0], 2])
    with pytest.raises(TypeError, match="ExpectationMethod"):
        dropout_expectation(m[0], m, method="moments")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="integer ≥ 1"):
        mask_symbols(0)


def test_inverted_dropout_keeps_the_mean() -> None:
    x = sp.symbols("x_1:4", real=True)
    m = mask_symbols(3)
    kept = dropout_inputs(x, m, p=R(2, 5))
    assert kept[1] == R(5, 2) * m[1] * x[1]
    assert [dropout_expectation(k, m, p=R(2, 5)) for k in kept] == list(x)
    with pytest.raises(ValueError, match="lengths differ"):
        dropout_inputs(x, m[:2])


# --- the linear model -------------------------------------------------------------------------


def _hand_closed_form(n: int) -> tuple[sp.Expr, object]:
    model = linear_dropout_model(n)
    w, x, y = model.weights, model.inputs, model.target
    fit = sum(wj * xj for wj, xj in zip(w, x, strict=True))
    penalty = (1 - p) / p * sum(wj**2 * xj**2 for wj, xj in zip(w, x, strict=True))
    return (y - fit) ** 2 + penalty, model


@pytest.mark.parametrize("n", [1, 2, 3, 4])
@pytest.mark.parametrize("method", METHODS)
def test_the_expected_squared_loss_has_the_closed_form(n: int, method: ExpectationMethod) -> None:
    expected, model = _hand_closed_form(n)
    assert sp.cancel(model.expectation(method=method) - expected) == 0
    assert model.verify(method=method)


def test_one_input_by_hand() -> None:
    model = linear_dropout_model(1)
    (w,), (x,), y = model.weights, model.inputs, model.target
    # kept with probability p: (y - w x / p)^2; dropped: y^2
    by_hand = p * (y - w * x / p) ** 2 + (1 - p) * y**2
    assert sp.cancel(model.expectation() - by_hand) == 0
    assert sp.cancel(model.closed_form - by_hand) == 0


def test_a_wrong_penalty_is_detected() -> None:
    model = linear_dropout_model(3)
    expectation = model.expectation()
    w, x, y = model.weights, model.inputs, model.target
    fit = sum(wj * xj for wj, xj in zip(w, x, strict=True))
    squares = sum(wj**2 * xj**2 for wj, xj in zip(w, x, strict=True))
    for wrong in (
        (y - fit) ** 2,  # no penalty
        (y - fit) ** 2 + p * (1 - p) * squares,  # the penalty without inverted scaling
        (y - fit) ** 2 + (1 - p) / p * sum(w_**2 for w_ in w),  # plain L2
    ):
        assert sp.cancel(expectation - wrong) != 0


def test_many_inputs_by_moments() -> None:
    expected, model = _hand_closed_form(20)
    assert sp.cancel(model.expectation(method=ExpectationMethod.MOMENTS) - expected) == 0


def test_the_penalty_with_numbers() -> None:
    # (1 - 1/4)/(1/4) (1·9 + 4·1) = 3 · 13
    assert dropout_penalty([1, 2], [3, -1], p=R(1, 4)) == 39
    assert dropout_penalty([1, 2], [3, -1], p=1) == 0


def test_the_closed_form_against_a_numpy_monte_carlo(rng: np.random.Generator) -> None:
    w, x, y, keep = np.array([0.5, -1.0, 2.0]), np.array([1.0, 2.0, -0.5]), 0.25, 0.7
    masks = rng.random((200_000, 3)) < keep
    losses = (y - (masks * x / keep) @ w) ** 2
    mean, error = losses.mean(), losses.std(ddof=1) / math.sqrt(len(losses))
    model = linear_dropout_model(3, p=R(7, 10))
    numbers = dict(zip(model.weights, [R(1, 2), -1, 2], strict=True))
    numbers.update(zip(model.inputs, [1, 2, R(-1, 2)], strict=True))
    numbers[model.target] = R(1, 4)
    exact = float(model.closed_form.subs(numbers))
    assert abs(mean - exact) < 4 * error


def test_the_closed_form_for_a_symbolic_number_of_inputs() -> None:
    proof = linear_dropout_any_n()
    assert proof.holds
    n = proof.n
    j = sp.Symbol("j", integer=True, positive=True)
    w, x = sp.IndexedBase("w"), sp.IndexedBase("x")
    # the pieces, independently: E[m] and Var(m) of a Bernoulli(p) from sympy.stats
    B = stats.Bernoulli("B", p)
    assert sp.simplify(stats.E(B) - p) == 0
    assert sp.simplify(stats.variance(B) - p * (1 - p)) == 0
    # the variance is Σ_j w_j^2 x_j^2 Var(m_j)/p^2
    variance = proof.variance.subs(n, 3).doit()
    hand = sum(w[i] ** 2 * x[i] ** 2 * p * (1 - p) / p**2 for i in range(1, 4))
    assert sp.cancel(variance - hand) == 0
    assert sp.cancel(proof.mean.subs(n, 3).doit() - sum(w[i] * x[i] for i in range(1, 4))) == 0
    # ... and at n = 4 the symbolic closed form is the concrete one
    closed = proof.closed_form.subs(n, 4).doit()
    model = linear_dropout_model(4)
    renamed = {w[i + 1]: model.weights[i] for i in range(4)}
    renamed.update({x[i + 1]: model.inputs[i] for i in range(4)})
    assert sp.cancel(closed.xreplace(renamed) - model.expectation()) == 0
    # a wrong variance is not accepted
    wrong = dataclasses.replace(proof, closed_form=proof.closed_form + sp.Sum(w[j] ** 2, (j, 1, n)))
    assert not wrong.holds


def test_linear_model_sizes_are_bounded() -> None:
    with pytest.raises(ValueError, match="integer ≥ 1"):
        linear_dropout_model(0)
    with pytest.raises(ValueError, match="MAX_LINEAR_INPUTS"):
        linear_dropout_model(10_000)


# --- generalized linear models ----------------------------------------------------------------


def test_glm_losses_by_hand() -> None:
    assert glm_loss(0, 1) == sp.log(2)
    assert glm_loss(3, 1, loss=GLMLoss.QUADRATIC) == R(3, 2)  # ½(1-3)² - ½·1²
    m = mask_symbols(1)
    assert glm_dropout_loss([1], [1], 0, m, p=R(1, 2)) == sp.log(1 + sp.exp(2 * m[0]))
    with pytest.raises(TypeError, match="GLMLoss"):
        glm_loss(0, 1, loss="logistic")  # type: ignore[arg-type]


def test_the_quadratic_approximation_is_exact_for_the_quadratic_loss() -> None:
    n = 3
    w = sp.symbols(f"w_1:{n + 1}", real=True)
    x = sp.symbols(f"x_1:{n + 1}", real=True)
    y, b = sp.symbols("y b", real=True)
    m = mask_symbols(n)
    random_loss = glm_dropout_loss(w, x, y, m, bias=b, loss=GLMLoss.QUADRATIC)
    expectation = dropout_expectation(random_loss, m)
    u = b + sum(wj * xj for wj, xj in zip(w, x, strict=True))
    # by hand: A = u²/2, A'' = 1, so E = u²/2 - y u + ½ (1-p)/p Σ w_j² x_j²
    hand = (
        u**2 / 2
        - y * u
        + (1 - p) / (2 * p) * sum(wj**2 * xj**2 for wj, xj in zip(w, x, strict=True))
    )
    assert sp.cancel(expectation - hand) == 0
    approximation = glm_loss(u, y, loss=GLMLoss.QUADRATIC) + quadratic_dropout_regulariser(
        w, x, bias=b, loss=GLMLoss.QUADRATIC
    )
    assert sp.cancel(expectation - approximation) == 0
    result = quadratic_approximation([R(1, 2), 2], [3, -1], 1, p=R(2, 3), loss=GLMLoss.QUADRATIC)
    assert result.exact
    assert result.gap == 0
    assert "exact" in str(result)


def test_the_logistic_curvature_and_its_third_derivative_bound() -> None:
    # A''(0) = 1/4, so R^q = ½ · 1 · (1/4) · 4 at w = 1, x = 2, p = 1/2, u = 0
    assert quadratic_dropout_regulariser([1], [2], p=R(1, 2), bias=-2) == R(1, 2)
    # sup |A'''| on a fine grid, A''' = s(1-s)(1-2s), s = σ(u)
    s = 1 / (1 + np.exp(-np.linspace(-20, 20, 400_001)))
    grid_max = np.abs(s * (1 - s) * (1 - 2 * s)).max()
    assert abs(float(GLMLoss.LOGISTIC.third_derivative_bound) - grid_max) < 1e-9
    assert GLMLoss.QUADRATIC.third_derivative_bound == 0


def _mp_logistic_gap(w: list, x: list, bias: mpmath.mpf, keep: mpmath.mpf) -> mpmath.mpf:
    """E[A(u + Δ)] - A(u) - ½ A''(u) E[Δ²] by a direct sum over the masks, at 50 digits."""
    n = len(w)
    u = bias + mpmath.fsum(wj * xj for wj, xj in zip(w, x, strict=True))
    sig = 1 / (1 + mpmath.exp(-u))
    expectation, second = mpmath.mpf(0), mpmath.mpf(0)
    for bits in itertools.product((0, 1), repeat=n):
        weight = mpmath.fprod(keep if b else 1 - keep for b in bits)
        delta = mpmath.fsum(wj * xj * (b / keep - 1) for wj, xj, b in zip(w, x, bits, strict=True))
        expectation += weight * mpmath.log(1 + mpmath.exp(u + delta))
        second += weight * delta**2
    return expectation - mpmath.log(1 + mpmath.exp(u)) - sig * (1 - sig) * second / 2


def test_the_logistic_gap_is_not_zero_and_within_the_taylor_bound() -> None:
    w, x, bias, keep = [R(1, 2), R(-3, 4), R(1, 3)], [1, 2, -1], R(1, 5), R(3, 5)
    result = quadratic_approximation(w, x, 1, p=keep, bias=bias)
    with mpmath.workdps(50):
        oracle = _mp_logistic_gap(
            [mpmath.mpf(v.p) / v.q for v in w],
            [mpmath.mpf(v) for v in x],
            mpmath.mpf(1) / 5,
            mpmath.mpf(3) / 5,
        )
        assert abs(mpmath.mpf(str(result.gap_value)) - oracle) < mpmath.mpf(10) ** -40
    assert not result.exact
    assert abs(result.gap_value) > sp.Rational(1, 10**6)
    assert abs(result.gap_value) <= result.bound.evalf(30)
    text = str(result)
    assert "not exact" in text
    assert "Taylor" in text
    assert "**" not in text


def test_the_gap_is_third_order_in_the_weights() -> None:
    # gap(t) / t³ → (1/6) A'''(b) E[Δ₁³], E[Δ₁³] = Σ a_j³ (1 - p)(1 - 2p)/p²  (by hand)
    w, x, bias, keep = [1, -1], [1, 2], 1, R(3, 4)
    scaling = taylor_gap_orders(w, x, 0, p=keep, bias=bias, scales=[R(1, 16), R(1, 32), R(1, 64)])
    assert all(abs(order - 3) < 0.05 for order in scaling.orders)
    s = 1 / (1 + math.exp(-1))
    third = s * (1 - s) * (1 - 2 * s)
    cubes = sum((wj * xj) ** 3 for wj, xj in zip(w, x, strict=True))
    q = 0.75
    limit = third / 6 * cubes * (1 - q) * (1 - 2 * q) / q**2
    assert abs(float(scaling.gaps[-1]) / (1 / 64) ** 3 - limit) < 0.02 * abs(limit)
    assert "measured, not proved" in str(scaling)


def test_at_one_half_the_third_moment_vanishes_and_the_gap_is_fourth_order() -> None:
    scaling = taylor_gap_orders(
        [1, -1], [1, 2], 0, p=R(1, 2), bias=1, scales=[R(1, 16), R(1, 32), R(1, 64), R(1, 128)]
    )
    # 4 + O(t): 4.14, 4.07, 4.04
    assert all(abs(order - 4) < 0.15 for order in scaling.orders)
    assert abs(scaling.orders[-1] - 4) < 0.05


def test_gap_options_are_checked() -> None:
    with pytest.raises(ValueError, match="symbolic"):
        quadratic_approximation([sp.Symbol("w")], [1], 1, p=R(1, 2))
    with pytest.raises(ValueError, match="decrease strictly"):
        taylor_gap_orders([1], [1], 0, p=R(1, 2), scales=[R(1, 4), R(1, 2)])
    with pytest.raises(ValueError, match="gap is 0"):
        taylor_gap_orders([1], [1], 0, p=R(1, 2), loss=GLMLoss.QUADRATIC)
    with pytest.raises(ValueError, match="dps"):
        quadratic_approximation([1], [1], 1, p=R(1, 2), dps=5)


# --- Monte Carlo ------------------------------------------------------------------------------


def test_a_monte_carlo_estimate_agrees_and_says_it_is_evidence() -> None:
    m = mask_symbols(3)
    expr = (1 - 2 * m[0] + 3 * m[1] * m[2]) ** 2
    check = monte_carlo_expectation(expr, m, p=R(3, 5), seed=7, samples=50_000)
    # by hand: 1 + 4a² + 9b²c² - 4a + 6bc - 12abc, with m² = m: E = 1 + 15q² - 12q³
    q = R(3, 5)
    hand = 1 + 15 * q**2 - 12 * q**3
    assert check.exact == hand
    assert check.agrees
    assert check.interval[0] < check.estimate < check.interval[1]
    assert "evidence, not proof" in str(check)
    again = monte_carlo_expectation(expr, m, p=R(3, 5), seed=7, samples=50_000)
    assert again.estimate == check.estimate  # the seed fixes the draws


def test_the_standard_error_is_that_of_a_bernoulli_mean() -> None:
    m = mask_symbols(1)
    check = monte_carlo_expectation(m[0], m, p=R(1, 2), seed=3, samples=40_000)
    assert abs(check.standard_error - 0.5 / math.sqrt(40_000)) < 1e-4
    z = 2.5758293035489  # the 99.5% normal quantile
    assert abs((check.interval[1] - check.interval[0]) / 2 - z * check.standard_error) < 1e-12


def test_a_disagreement_is_reported_as_such() -> None:
    m = mask_symbols(1)
    check = monte_carlo_expectation(m[0], m, p=R(1, 2), seed=3, samples=10_000)
    wrong = dataclasses.replace(check, exact=R(3, 5))
    assert not wrong.agrees
    assert "outside" in str(wrong)
    assert "another seed" in str(wrong)
    assert isinstance(wrong, MonteCarloCheck)


def test_monte_carlo_options_are_checked() -> None:
    m = mask_symbols(1)
    y = sp.Symbol("y", real=True)
    with pytest.raises(ValueError, match="other than the masks"):
        monte_carlo_expectation(y * m[0], m, p=R(1, 2), seed=0)
    with pytest.raises(ValueError, match="symbolic"):
        monte_carlo_expectation(m[0], m, p=p, seed=0)
    with pytest.raises(ValueError, match="MAX_MONTE_CARLO_SAMPLES"):
        monte_carlo_expectation(m[0], m, p=R(1, 2), seed=0, samples=1)
    with pytest.raises(ValueError, match="confidence"):
        monte_carlo_expectation(m[0], m, p=R(1, 2), seed=0, confidence=1)
    with pytest.raises(TypeError, match="seed"):
        monte_carlo_expectation(m[0], m, p=R(1, 2), seed=1.5)  # type: ignore[arg-type]
    assert monte_carlo_expectation(m[0], m, p=1, seed=0, samples=10).estimate == 1.0
    assert Fraction(99, 100) == monte_carlo_expectation(m[0], m, p=R(1, 2), seed=0).confidence


def test_the_approximation_does_not_improve_as_p_tends_to_one() -> None:
    # to first order in δ = 1 - p exactly one input is dropped (Δ = -a_j), so by hand
    # gap/δ → Σ_j [A(u - a_j) - A(u) + a_j A'(u)] - ½ A''(u) Σ_j a_j², here with u = 0,
    # a = (1, -2): A(0) = log 2, A'(0) = 1/2, A''(0) = 1/4
    w, x, bias = [1, -1], [1, 2], 1
    log2 = math.log(2)
    limit = math.log(1 + math.exp(-1)) - log2 + 1 / 2 + math.log(1 + math.exp(2)) - log2 - 1 - 5 / 8
    keep = R(999, 1000)
    result = quadratic_approximation(w, x, 1, p=keep, bias=bias)
    assert abs(float(result.gap_value) / float(1 - keep) - limit) < 5e-4
    # ... so the gap stays a fixed fraction of the regulariser, which also shrinks as δ
    for keep in (R(9, 10), R(999, 1000)):
        gap = quadratic_approximation(w, x, 1, p=keep, bias=bias).gap_value
        regulariser = quadratic_dropout_regulariser(w, x, p=keep, bias=bias)
        assert 0.1 < abs(float(gap / regulariser)) < 0.13


def test_the_expansion_in_the_masks_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from symdl.architectures import dropout

    monkeypatch.setattr(dropout, "MAX_MOMENT_PRODUCTS", 100)
    m = mask_symbols(20)
    with pytest.raises(ValueError, match="MAX_MOMENT_PRODUCTS = 100"):
        dropout_expectation(sp.Add(*m) ** 2, m, method=ExpectationMethod.MOMENTS)
    # 10 by 10 monomials is within the bound: E[(Σ m_j)²] = n p + n (n - 1) p²
    assert sp.expand(dropout_expectation(sp.Add(*m[:10]) ** 2, m) - (10 * p + 90 * p**2)) == 0
