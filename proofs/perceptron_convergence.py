r"""Novikoff's theorem: the perceptron rule makes at most (R/γ)² mistakes on separable data.

Rosenblatt's rule, started at :math:`w = 0`, visits the examples :math:`(x_i, y_i)`,
:math:`y_i \in \{-1, +1\}`, in order and updates :math:`w \leftarrow w + y_i x_i` whenever
:math:`y_i\, w \cdot x_i \le 0` (the bias is the weight of a constant input :math:`+1`).  If a
unit vector :math:`u` separates the data with margin :math:`\gamma`,
:math:`y_i\, u \cdot x_i \ge \gamma > 0`, and :math:`\|x_i\| \le R` for every :math:`i`, then
after :math:`k` mistakes :math:`u \cdot w \ge k\gamma` and :math:`\|w\|^2 \le k R^2`, so

.. math::

    k \gamma \le u \cdot w \le \|w\| \le \sqrt{k}\, R
    \quad\Longrightarrow\quad k \le \left(\frac{R}{\gamma}\right)^2 .

Checked exactly on separable data sets, with the largest margin :math:`\gamma^*` computed
exactly and certified optimal by its Karush–Kuhn–Tucker conditions.  The bound is attained: on
:math:`d` orthogonal examples of equal length the rule makes exactly :math:`d = (R/\gamma^*)^2`
mistakes.  On XOR no hyperplane separates the data, and the weights at the start of an epoch
repeat: the rule cycles forever.

References: A. B. J. Novikoff, "On convergence proofs on perceptrons" (1962); F. Rosenblatt,
"The perceptron" (1958); H. D. Block and S. A. Levin, Proc. AMS 26(2), 1970 (the weights of the
rule stay bounded).
"""

from __future__ import annotations

from fractions import Fraction

import sympy as sp

from symdl.optimization.perceptron_learning import max_margin, novikoff_bound, perceptron

SQUARE = [(0, 0), (0, 1), (1, 0), (1, 1)]
#: Boolean functions on the square as labels, and separable integer data in the plane.
SEPARABLE = {
    "AND": (SQUARE, [-1, -1, -1, 1]),
    "OR": (SQUARE, [-1, 1, 1, 1]),
    "NAND": (SQUARE, [1, 1, 1, -1]),
    "a narrow gap": ([(3, 1), (4, 2), (1, -1), (2, -2), (5, 1)], [1, 1, -1, -1, 1]),
    "three clusters": ([(-2, 3), (-1, 4), (2, -3), (3, -1), (0, 1)], [1, 1, -1, -1, 1]),
}


def _signed(points: list[tuple[int, ...]], labels: list[int]) -> list[tuple[Fraction, ...]]:
    return [tuple(Fraction(y * v) for v in (*p, 1)) for p, y in zip(points, labels, strict=True)]


def lemma_the_largest_margin_is_certified_by_its_kkt_conditions() -> None:
    for points, labels in SEPARABLE.values():
        certificate = max_margin(points, labels)
        assert certificate is not None
        u, signed = certificate.direction, _signed(points, labels)
        margins = [sum(a * b for a, b in zip(u, z, strict=True)) for z in signed]
        assert min(margins) == 1  # feasible, with the active constraints on the margin
        assert all(margins[i] == 1 for i in certificate.support)
        assert certificate.margin_squared == 1 / sum(a * a for a in u)
        # stationarity: u = Σ_S α_i y_i x_i with α ≥ 0 over the support (KKT, hence optimal)
        Z = sp.Matrix(
            [
                [sp.Rational(v.numerator, v.denominator) for v in signed[i]]
                for i in certificate.support
            ]
        )
        alpha = sp.symbols(f"alpha_1:{len(certificate.support) + 1}")
        target = sp.Matrix([sp.Rational(v.numerator, v.denominator) for v in u])
        (solution,) = sp.linsolve(list(Z.T * sp.Matrix(alpha) - target), alpha)
        assert all(a.is_number and a >= 0 for a in solution)


def lemma_novikoffs_bound_holds() -> None:
    for points, labels in SEPARABLE.values():
        run = perceptron(points, labels)
        bound = novikoff_bound(points, labels)
        assert run.converged
        assert bound is not None
        assert run.mistakes <= bound.bound
        # the final weights classify every example
        for z in _signed(points, labels):
            assert sum(a * b for a, b in zip(run.weights, z, strict=True)) > 0


def lemma_the_bound_is_attained_by_orthogonal_examples() -> None:
    # d examples c e_i, all labelled +1, no bias: each is a mistake once (w · e_i = 0 before
    # its update), then u = (1, …, 1)/√d has margin c/√d and R = c, so (R/γ*)² = d
    for d in range(1, 6):
        points = [tuple(3 if j == i else 0 for j in range(d)) for i in range(d)]
        labels = [1] * d
        run = perceptron(points, labels, bias=False)
        bound = novikoff_bound(points, labels, bias=False)
        assert bound is not None
        assert bound.bound == d
        assert run.mistakes == d


def lemma_xor_is_not_separable_and_the_rule_cycles() -> None:
    labels = [-1, 1, 1, -1]
    assert max_margin(SQUARE, labels) is None
    run = perceptron(SQUARE, labels)
    assert not run.converged
    assert run.cycle == 1  # after one epoch the weights are 0 again
    assert run.weights == (0, 0, 0)
