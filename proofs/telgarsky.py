r"""Telgarsky's depth separation: the sawtooth, and why shallow networks cannot follow it.

The tent map

.. math::

    m(x) = \begin{cases}
    2x & 0 \le x \le \tfrac12, \\
    2(1 - x) & \tfrac12 < x \le 1, \\
    0 & \text{otherwise}
    \end{cases}

equals :math:`\sigma\bigl(2\sigma(x) - 4\sigma(x - \tfrac12)\bigr)` on all of
:math:`\mathbb{R}` (:math:`\sigma` the ReLU), and also
:math:`2\bigl(\sigma(x) - 2\sigma(x - \tfrac12) + \sigma(x - 1)\bigr)` on all of
:math:`\mathbb{R}` and :math:`2\sigma(x) - 4\sigma(x - \tfrac12)` on :math:`[0, 1]`.  Its
:math:`k`-fold composition :math:`m^k` has exactly :math:`2^k` affine pieces on
:math:`[0, 1]`, breakpoints :math:`j/2^k`, slopes :math:`\pm 2^k`, and
:math:`m^k(i/2^k) = i \bmod 2`: verified by exact computation for every :math:`k \le 20`
(:math:`2^{20}` pieces) and by a symbolic induction step valid for every :math:`k`.

Telgarsky's Theorem 1.1: on the :math:`n = 2^k` points :math:`(i/2^k, i \bmod 2)`, the deep
network (2 ReLUs in each of :math:`2k` layers, :math:`3k` ReLUs in all; or the lecture's
:math:`3k + 1` neurons of the width-3 form) classifies every point correctly with
:math:`\mathbf{1}[f(x) \ge \tfrac12]`, while a network with :math:`l` layers of width
:math:`m \le 2^{(k-3)/l - 1}` has at most :math:`t = (2m)^l \le 2^k/8` pieces and errs on at
least a fraction :math:`(n - 4t)/(3n) \ge \tfrac16` of the points: checked on the bound itself
and on random and trained shallow networks made exact.  In float64 the evaluation of
:math:`m^k` at :math:`i/2^k` breaks down at :math:`k = 54`, when :math:`i` no longer fits the
53-bit mantissa; the exact computation does not.  Where the lecture's statement of the shallow
bound differs, see the proof ``lecture_telgarsky``.

References: M. Telgarsky, "Representation benefits of deep feedforward networks",
arXiv:1509.08101 (2015), Theorem 1.1 and its proof; M. Telgarsky, "Benefits of depth in neural
networks", COLT 2016.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp

from symdl import (
    Derivation,
    PiecewiseLinear,
    Reason,
    TentForm,
    classification_error,
    first_float_failure,
    float_collapse,
    network_size,
    piece_bound,
    sawtooth,
    sawtooth_induction,
    sawtooth_network,
    shallow_error_bound,
    shallow_experiment,
    tent_map,
    verify_sawtooth,
    width_limit,
)

F = Fraction


def lemma_tent_map_networks() -> None:
    m = tent_map()
    x = sp.Symbol("x", real=True)
    # m as the SymPy expression of the lecture, read back exactly
    relu = sp.Max(0, x)
    telgarsky = sp.Max(0, 2 * relu - 4 * sp.Max(0, x - sp.S.Half))
    width3 = 2 * (relu - 2 * sp.Max(0, x - sp.S.Half) + sp.Max(0, x - 1))
    assert PiecewiseLinear.from_sympy(telgarsky, x) == m
    assert PiecewiseLinear.from_sympy(width3, x) == m
    two = PiecewiseLinear.from_sympy(2 * relu - 4 * sp.Max(0, x - sp.S.Half), x)
    assert two.equals_on(m, 0, 1)
    assert not two.equals_on(m, 0, 2)  # only on [0, 1]
    for form in TentForm:
        f = PiecewiseLinear.from_network(sawtooth_network(1, form=form))
        assert f.equals_on(m, 0, 1)
        assert (f == m) is (form is not TentForm.TWO_RELU)


def lemma_sawtooth_exact_for_every_k_up_to_20() -> None:
    for k in range(1, 21):
        check = verify_sawtooth(k)
        assert check.holds, check
        assert check.pieces == 2**k


def lemma_sawtooth_induction_for_all_k() -> None:
    for name, expression in sawtooth_induction().items():
        assert sp.simplify(expression) == 0, name


def lemma_networks_compute_the_sawtooth() -> None:
    for form in TentForm:
        for k in range(1, 7):
            f = PiecewiseLinear.from_network(sawtooth_network(k, form=form))
            assert f.equals_on(sawtooth(k), 0, 1)
    assert network_size(10, form=TentForm.WIDTH3).neurons == 31  # 3k + 1
    assert network_size(10, form=TentForm.TELGARSKY).relus == 30  # 3k in 2k layers
    assert network_size(10, form=TentForm.TELGARSKY).layers == 20
    assert network_size(10, form=TentForm.TWO_RELU).relus == 20  # 2k on [0, 1]


def lemma_deep_network_error_zero() -> None:
    # the function each network computes, read exactly from its weights
    for form in TentForm:
        for k in range(1, 13):
            f = PiecewiseLinear.from_network(sawtooth_network(k, form=form))
            assert classification_error(f, k) == 0


def lemma_shallow_bounds() -> None:
    for k in range(4, 41):
        for layers in range(1, 6):
            m = width_limit(k, layers)
            if m:
                assert piece_bound(m, layers) <= 2**k // 8
                assert shallow_error_bound(k, layers, m) >= F(1, 6)


def lemma_shallow_networks_within_the_limit_err() -> None:
    rng = np.random.default_rng(2015)
    for k, layers in ((8, 1), (10, 2), (12, 3)):
        for result in shallow_experiment(
            k, layers, rng=rng, random_trials=3, trained_trials=1, steps=1000
        ):
            assert result.respects_bounds, result


def lemma_float64_collapses_exact_does_not() -> None:
    assert first_float_failure(k_max=60, samples=32) == 54  # 53-bit mantissa + 1
    points = {p.k: p for p in float_collapse([40, 53, 54, 60], samples=100)}
    assert all(p.exact_wrong == 0 for p in points.values())
    assert points[40].float_wrong == points[53].float_wrong == 0
    assert points[54].float_wrong > 0
    assert points[60].float_wrong > 0


def figures() -> dict[str, object]:
    """m, m^2, m^3, m^4; the deep network against a trained shallow one."""
    from symdl.depth.depth_separation import plot_depth_separation
    from symdl.depth.telgarsky import plot_sawtooth

    return {
        "telgarsky_sawtooth": plot_sawtooth((1, 2, 3, 4)),
        "telgarsky_deep_vs_shallow": plot_depth_separation(5),
    }


def derivation() -> Derivation:
    """The induction step m^k -> m^(k+1) on one piece, written out."""
    k = sp.Symbol("k", integer=True, positive=True)
    j = sp.Symbol("j", integer=True, nonnegative=True)
    x = sp.Symbol("x", real=True)
    d = Derivation(
        "The sawtooth $m^k$: induction on $k$",
        statement=(
            "On the piece $[j/2^k, (j+1)/2^k]$ of $[0, 1]$, $m^k(x) = 2^k x - j$ for even $j$ "
            "and $m^k(x) = j + 1 - 2^k x$ for odd $j$; so $m^k$ has $2^k$ pieces, slopes "
            "$\\pm 2^k$ and $m^k(i/2^k) = i \\bmod 2$."
        ),
    )
    d.remark("Base case $k = 1$: $m(x) = 2x$ on $[0, \\frac12]$ and $2 - 2x$ on $[\\frac12, 1]$.")
    d.remark(
        "Step, even $j$: $m^k$ rises from 0 to 1 on the piece, and $m(y) = 2y$ for "
        "$y \\le \\frac12$, $2 - 2y$ for $y \\ge \\frac12$."
    )
    rising = 2**k * x - j
    d.add(
        "m^k\\left(\\tfrac{2j+1}{2^{k+1}}\\right)",
        sp.simplify(rising.subs(x, (2 * j + 1) / 2 ** (k + 1))),
        Reason.SUBSTITUTION,
    )
    d.add(
        "m^{k+1}(x)",
        sp.Mul(2, rising, evaluate=False),
        "$x$ left of the split, $m^k(x) \\le \\frac12$",
    )
    d.add("", sp.powsimp(sp.expand(2 * rising)), "piece $2j$ of $m^{k+1}$ (even form)")
    d.add(
        "m^{k+1}(x)",
        sp.Add(2, sp.Mul(-2, rising, evaluate=False), evaluate=False),
        "$x$ right of the split, $m^k(x) \\ge \\frac12$",
    )
    d.add(
        "",
        sp.powsimp(sp.expand(2 - 2 * rising)),
        "piece $2j+1$ of $m^{k+1}$ (odd form $(2j+1) + 1 - 2^{k+1}x$)",
    )
    d.remark(
        "Odd $j$ is the mirror image: $m^k$ falls from 1 to 0, the left half becomes the even "
        "piece $2j$ and the right half the odd piece $2j+1$.  Each of the $2^k$ pieces splits "
        "in two, so $m^{k+1}$ has $2^{k+1}$ pieces; every identity here is checked by "
        "sawtooth_induction() and the exact computation up to $k = 20$."
    )
    return d
