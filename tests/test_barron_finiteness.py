"""Deciding whether C_f is finite: smoothness, the decay of the transform, integrable
derivatives.  Oracles: transforms worked by hand (e^{-|x|} ↦ 2/(1+ω²), 1/(1+x²) ↦ π e^{-|ω|})."""

from __future__ import annotations

import sympy as sp

from symdl.approximation.finiteness import (
    decay_verdict,
    integrable_images,
    smooth_radial_profile,
    smoothness_defect,
)

x = sp.Symbol("x", real=True)
r = sp.Symbol("r", positive=True)


def test_decay_route_agrees_with_the_smoothness_route() -> None:
    # the second, independent argument: ∫^∞ ω|f̂| converges iff f̂ decays fast enough
    w = sp.Symbol("w", positive=True)
    laplace = 2 / (sp.pi * (1 + w**2))  # |f̂(w)| + |f̂(-w)| for e^{-|x|}: diverges
    assert decay_verdict(laplace, w, sp.S.One) is False
    assert decay_verdict(sp.exp(-w), w, sp.S.One) is True  # for 1/(1+x²): converges
    assert decay_verdict(w**-3, w, sp.S.One) is True
    assert decay_verdict(w**-2 / sp.log(w) ** 2, w, sp.S.One) is None  # undecided, honestly


def test_derivative_route_to_a_finite_constant() -> None:
    # used when SymPy cannot take the limits: smooth f with integrable derivatives ⇒ C_f < ∞
    assert integrable_images(1 / (1 + x**2), x, lambda g: sp.diff(g, x), 3, 1)
    assert not integrable_images(sp.Abs(x) * sp.exp(-(x**2)), x, lambda g: sp.diff(g, x), 3, 1)
    assert not integrable_images(sp.exp(-x), x, lambda g: sp.diff(g, x), 3, 1)  # grows at -∞
    assert smooth_radial_profile(1 / (1 + r**2) ** 2, r, sp.Integer(2))
    assert smooth_radial_profile(sp.exp(-(r**2)), r, sp.Integer(5))
    assert not smooth_radial_profile(sp.exp(-r), r, sp.Integer(2))  # a cone at the origin


def test_smoothness_defect_distinguishes_c1_from_kinks() -> None:
    assert smoothness_defect(sp.Abs(x) ** 3 * sp.exp(-(x**2)), x) is None
    assert smoothness_defect(sp.exp(-(x**2)), x) is None
    assert smoothness_defect(sp.Abs(x) * sp.exp(-(x**2)), x) is not None


def test_hidden_kinks_are_found_by_one_sided_limits() -> None:
    from symdl.approximation.finiteness import smoothness_report

    # √(1 - cos x) ≈ |x|/√2 near 0, √(x² + x⁴) ≈ |x|: f' jumps by √2 and by 2
    report = smoothness_report(sp.sqrt(1 - sp.cos(x)) * sp.exp(-(x**2)), x)
    assert report.defect == "f' jumps at x = 0 (from -0.7 to 0.7)"
    report = smoothness_report(sp.sqrt(x**2 + x**4) * sp.exp(-(x**2)), x)
    assert report.defect == "f' jumps at x = 0 (from -1.0 to 1.0)"
    # removable: sin x / x is smooth at 0, and √(x⁴) = x² has no kink
    assert smoothness_report(sp.sin(x) / x, x).defect is None
    assert smoothness_report(sp.sqrt(x**4) * sp.exp(-(x**2)), x).defect is None
    # f' unbounded (∛x) and f' without a limit (x² sin(1/x)) are defects too
    assert "has no limit" in str(
        smoothness_report(x**2 * sp.sin(1 / x) * sp.exp(-(x**2)), x).defect
    )


def test_third_derivative_decay_proves_finiteness_piece_by_piece() -> None:
    from symdl.approximation.finiteness import third_derivative_decay

    bump = sp.Piecewise((sp.exp(-1 / (1 - x**2)), sp.Abs(x) < 1), (0, True))
    assert third_derivative_decay(bump, x) is not None  # C^∞, compact support
    assert third_derivative_decay(x * sp.Abs(x) * sp.exp(-(x**2)), x) is not None  # f'' jumps
    quartic = sp.Piecewise(((1 - x**2) ** 2, sp.Abs(x) < 1), (0, True))
    assert third_derivative_decay(quartic, x) is not None
    # not C¹: the box and the tent; a kink of f itself: |x| e^{-x²}
    assert third_derivative_decay(sp.Piecewise((1, sp.Abs(x) < 1), (0, True)), x) is None
    assert third_derivative_decay(sp.Max(0, 1 - sp.Abs(x)), x) is None
    assert third_derivative_decay(sp.Abs(x) * sp.exp(-(x**2)), x) is None
    # C¹ but f''' is not integrable near 0 (|x|^{5/2}): no proof, no claim
    assert third_derivative_decay(sp.Abs(x) ** sp.Rational(5, 2) * sp.exp(-(x**2)), x) is None
