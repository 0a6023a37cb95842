"""Tests of Hardt, Recht and Singer's bounds and of the stability experiment."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from symdl.core.exceptions import NotSupportedError
from symdl.core.limits import TimeLimitExceededError
from symdl.optimization.schedules import Constant, InversePower, StepDecay, t
from symdl.optimization.stability import (
    StabilityConfig,
    check_convex_loss,
    hardt_bound,
    hardt_bound_nonconvex,
    stability_experiment,
    stability_figure,
)

u = sp.Symbol("u", real=True)


def test_reference_oracle() -> None:
    # Hardt, Recht, Singer (2016), Theorem 3.8: L = 1, c = 1, n = 100, T = 10 gives 7381/126000.
    assert hardt_bound(1, 100, InversePower(1, 1), 10, beta=2) == sp.Rational(7381, 126000)
    assert hardt_bound(1, 100, 1 / t, 10, beta=1) == sp.Rational(7381, 126000)


def test_harmonic_closed_form() -> None:
    T = sp.Symbol("T", integer=True, positive=True)
    L, c, n = 3, sp.Rational(1, 2), 40
    bound = hardt_bound(L, n, InversePower(c, 1), T, beta=4)
    assert sp.simplify(bound - 2 * L**2 * c * sp.harmonic(T) / n) == 0
    for T0 in (1, 7, 50):
        direct = sum(sp.Rational(2 * L**2, n) * c / k for k in range(1, T0 + 1))
        assert bound.subs(T, T0) == direct


def test_constant_and_step_decay_sums() -> None:
    assert hardt_bound(2, 10, Constant(sp.Rational(1, 4)), 8, beta=8) == sp.Rational(8, 5)
    # 1, 1, 1/2, 1/2, 1/4: sum 13/4.
    assert hardt_bound(1, 2, StepDecay(1, sp.S.Half, 2), 5, beta=2) == sp.Rational(13, 4)


def test_step_size_above_two_over_beta_is_refused() -> None:
    with pytest.raises(ValueError, match="2/beta = ⅔"):
        hardt_bound(1, 100, InversePower(1, 1), 10, beta=3)
    # The largest step of an increasing schedule is its last.
    with pytest.raises(ValueError, match="reaches 5"):
        hardt_bound(1, 100, t, 5, beta=1)
    assert hardt_bound(1, 100, t, 2, beta=1) == sp.Rational(3, 50)
    with pytest.raises(ValueError, match="reaches 4 > 2/beta = 2"):
        hardt_bound(1, 100, InversePower(1, -1), 4, beta=1)  # c/t^p with p < 0 increases


def test_bad_constants_refused() -> None:
    with pytest.raises(ValueError, match="L=-1 must be positive"):
        hardt_bound(-1, 100, 1 / t, 10, beta=1)
    with pytest.raises(ValueError, match="T=0"):
        hardt_bound(1, 100, 1 / t, 0, beta=1)
    with pytest.raises(TypeError, match="float"):
        hardt_bound(1.0, 100, 1 / t, 3, beta=1)
    with pytest.raises(ValueError, match=r"n=201/2 is the number of training examples"):
        hardt_bound(1, sp.Rational(201, 2), 1 / t, 3, beta=1)
    with pytest.raises(ValueError, match=r"n=0 must be positive"):
        hardt_bound_nonconvex(1, 0, 1, 3, beta=1)


def test_convex_loss_accepted_and_nonconvex_refused() -> None:
    logistic = sp.log(1 + sp.exp(-u))
    check_convex_loss(logistic, lipschitz=1, smoothness=sp.Rational(1, 4))
    assert hardt_bound(1, 100, 1 / t, 10, beta=2, loss=logistic) == sp.Rational(7381, 126000)
    with pytest.raises(ValueError, match="not convex"):
        hardt_bound(1, 100, 1 / t, 10, beta=2, loss=1 / (1 + sp.exp(u)))
    with pytest.raises(ValueError, match="not 1/8-smooth"):
        check_convex_loss(logistic, smoothness=sp.Rational(1, 8))
    with pytest.raises(ValueError, match="not 1/2-Lipschitz"):
        check_convex_loss(logistic, lipschitz=sp.S.Half)
    with pytest.raises(ValueError, match="not convex"):
        check_convex_loss(-(u**2))


def test_convexity_unprovable_is_not_supported() -> None:
    # Convex (ℓ'' = 2 + sin u ≥ 1) but SymPy cannot show it: no witness, no proof.
    with pytest.raises(NotSupportedError, match="cannot prove"):
        check_convex_loss(u**2 - sp.sin(u))


def test_nonconvex_bound() -> None:
    # βc = 1: (2/(n−1)) (2L²)^{1/2} T^{1/2}.
    assert hardt_bound_nonconvex(1, 101, 1, 8, beta=1) == sp.Rational(2, 25)
    L, n, c, beta, T = 2, 11, sp.Rational(1, 2), 4, 27
    q = beta * c
    expected = (1 + sp.Rational(1, q)) / (n - 1) * (2 * c * L**2) ** sp.Rational(1, q + 1)
    expected *= sp.Integer(T) ** sp.Rational(q, q + 1)
    assert sp.simplify(hardt_bound_nonconvex(L, n, c, T, beta=beta) - expected) == 0
    assert float(expected) == pytest.approx((1 + 1 / 2) / 10 * 4 ** (1 / 3) * 27 ** (2 / 3))
    with pytest.raises(ValueError, match="n - 1"):
        hardt_bound_nonconvex(1, 1, 1, 8, beta=1)


def test_experiment_measures_stay_below_bound() -> None:
    report = stability_experiment(StabilityConfig(steps=120, runs=30, held_out=4000, seed=3))
    bound = np.array([float(b) for b in report.bound])
    assert report.per_path_holds
    assert (report.divergence <= report.divergence_bound).all()
    assert (report.loss_difference <= bound).all()
    assert (report.gap <= bound).all()
    assert report.divergence[-1] > 0  # the two runs did separate
    # and the comparison is not vacuous: the measurement is within a factor 10 of the bound
    # (about 0.031 against 0.107 here), so a measurement stuck near 0 would be caught
    assert report.divergence[-1] > report.divergence_bound[-1] / 10
    assert report.gap[-1] > 0  # the training risk underestimates the held-out risk
    assert report.steps[0] == 1
    assert report.steps[-1] == 120
    assert report.bound[-1] == sp.Rational(2, 100) * sp.harmonic(120)
    assert "bound" in report.table()
    figure = stability_figure(report)
    assert len(figure.axes[0].lines) == 3


def test_experiment_is_reproducible() -> None:
    config = StabilityConfig(steps=20, runs=4, held_out=200, seed=9)
    first, second = stability_experiment(config), stability_experiment(config)
    assert (first.divergence == second.divergence).all()
    assert (first.gap == second.gap).all()


def test_config_validation() -> None:
    with pytest.raises(ValueError, match="runs=0"):
        StabilityConfig(runs=0)


def test_nonconvex_bound_checks_its_step_sizes() -> None:
    assert hardt_bound_nonconvex(1, 101, 1, 8, beta=1, schedule=InversePower(1, 1)) == (
        sp.Rational(2, 25)
    )
    assert hardt_bound_nonconvex(1, 101, 1, 8, beta=1, schedule=InversePower(1, 2)) == (
        sp.Rational(2, 25)
    )
    with pytest.raises(ValueError, match="at t = 3 is ½ > c/t = ⅓"):
        hardt_bound_nonconvex(1, 101, 1, 8, beta=1, schedule=Constant(sp.S.Half))
    with pytest.raises(ValueError, match="nonincreasing"):
        hardt_bound_nonconvex(1, 101, 1, 8, beta=1, schedule=t / 100)


def test_symbolic_constants_with_a_loss() -> None:
    L = sp.Symbol("L", positive=True)
    bound = hardt_bound(L, 10, InversePower(1, 1), 2, beta=1, loss=sp.log(1 + sp.exp(-u)))
    assert bound == L**2 * sp.Rational(3, 10)


# --- time limits and the outcomes at the edges --------------------------------------------------


def test_many_steps_keep_the_harmonic_number_unevaluated() -> None:
    # 2 L² c H_T / n at T = 10⁹: H_T ≈ ln T + γ + 1/(2T) (Euler–Maclaurin), far from 10⁹ terms
    bound = hardt_bound(1, 100, InversePower(1, 1), 10**9, beta=2, seconds=20)
    assert bound == sp.harmonic(10**9, evaluate=False) / 50
    expected = (np.log(1e9) + np.euler_gamma + 0.5e-9) / 50
    assert float(sp.N(bound, 20)) == pytest.approx(expected, rel=1e-12)
    # 2000 steps of 1/(10 t²), n = 2: H^(2)_2000 / 10, against the sum of the 2000 rationals
    bound = hardt_bound(1, 2, InversePower(sp.Rational(1, 10), 2), 2000, beta=2)
    assert bound == sp.harmonic(2000, 2, evaluate=False) / 10
    direct = sum(sp.Rational(1, 10 * k**2) for k in range(1, 2001))
    assert abs(sp.N(bound - direct, 50)) < sp.Float("1e-45")
    # at most 1000 steps: the exact number
    assert hardt_bound(1, 2, InversePower(1, 2), 3, beta=1) == sp.Rational(49, 36)


def test_undecidable_assumptions_are_not_supported() -> None:
    c = sp.Symbol("c", positive=True)
    with pytest.raises(NotSupportedError, match="cannot decide whether the largest step size c"):
        hardt_bound(1, 100, InversePower(c, 1), 10, beta=2)
    with pytest.raises(NotSupportedError, match="not known to be nonincreasing"):
        hardt_bound(1, 100, (2 + sp.sin(t)) / t, 10**5, beta=1)
    with pytest.raises(NotSupportedError, match="cannot decide whether the step size at t = 1"):
        hardt_bound_nonconvex(1, 101, 1, 8, beta=1, schedule=c / t)


def test_losses_undefined_somewhere_are_refused() -> None:
    with pytest.raises(ValueError, match="undefined at u = 0"):
        check_convex_loss(1 / u)
    with pytest.raises(ValueError, match="undefined at u = 0"):
        check_convex_loss(sp.log(u))  # ℓ'' = -1/u²
    with pytest.raises(ValueError, match=r"ℓ''\(-40\) = .* is not a finite real number"):
        check_convex_loss(sp.sqrt(u))  # ℓ'' = -1/(4 u^(3/2)) is not real for u < 0
    check_convex_loss(3 * u)  # a linear loss: ℓ'' = 0, convex
    with pytest.raises(ValueError, match="grid=0"):
        check_convex_loss(u**2, grid=0)


def test_config_refuses_step_sizes_beyond_two_over_beta() -> None:
    with pytest.raises(ValueError, match="reaches 9 > 2/beta = 8"):
        StabilityConfig(c=9)
    assert StabilityConfig(c=8).c == 8
    with pytest.raises(TypeError, match="float"):
        StabilityConfig(c=0.5)
    with pytest.raises(ValueError, match="seed=-1"):
        StabilityConfig(seed=-1)


def test_experiment_and_bounds_stop_at_their_time_limit() -> None:
    config = StabilityConfig(steps=10**6, runs=1, held_out=10)
    with pytest.raises(TimeLimitExceededError, match=r"time limit of 0\.3 s"):
        stability_experiment(config, seconds=0.3)
    with pytest.raises(TypeError, match="not a StabilityConfig"):
        stability_experiment("small")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not a StabilityReport"):
        stability_figure(None)  # type: ignore[arg-type]
