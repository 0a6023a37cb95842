r"""Learning rules of a linear neuron: Hebb grows, Oja finds the top eigenvector, LMS converges.

For a linear neuron :math:`y = w \cdot x` with input covariance :math:`C`:

- **Hebb**, averaged: :math:`\dot w = C w`, so :math:`w(t) = e^{C t} w(0)` and
  :math:`\|w(t)\| \to \infty` along the leading eigenvector.
- **Oja**, averaged: :math:`\dot w = C w - (w^T C w)\, w`.  For distinct eigenvalues
  :math:`\lambda_1 > \lambda_2 > \dots > 0` the fixed points are :math:`0` and the unit
  eigenvectors :math:`\pm e_k`; the Jacobian at :math:`\pm e_k` has the eigenvalues
  :math:`\lambda_j - \lambda_k` (:math:`j \ne k`) and :math:`-2\lambda_k`, so only
  :math:`\pm e_1` is stable.  Proved with symbolic eigenvalues for :math:`2 \times 2` and
  :math:`3 \times 3` covariances (diagonal, which is no loss: the field is equivariant under
  rotations, :math:`f_{Q C Q^T}(Q w) = Q f_C(w)`, also proved), and on non-diagonal rational
  covariances exactly.
- **Delta rule** (LMS), batch gradient descent on :math:`\tfrac12 \|y - X w\|^2`:
  :math:`w_{t+1} - w^* = (I - \eta X^T X)(w_t - w^*)`, so the iterates converge to the
  normal-equation solution :math:`w^*` from every start exactly when
  :math:`0 < \eta < 2/\lambda_{\max}(X^T X)`; shown by exact runs on both sides of the
  threshold and at it.

References: D. O. Hebb (1949); E. Oja, J. Math. Biology 15 (1982); B. Widrow and M. E. Hoff
(1960).
"""

from __future__ import annotations

import sympy as sp

from symdl.optimization.learning_rules import (
    lms_iterates,
    lms_limit,
    lms_threshold,
    oja_field,
    oja_fixed_points,
)

c, d1, d2 = sp.symbols("c d_1 d_2", positive=True)
X = [[1, 0], [0, 1], [1, 1]]  # XᵀX = [[2, 1], [1, 2]], eigenvalues 3 and 1
Y = [1, 2, 4]


def _oja_diagonal(eigenvalues: list[sp.Expr]) -> None:
    n = len(eigenvalues)
    C = sp.diag(*eigenvalues)
    w = sp.Matrix(sp.symbols(f"w_1:{n + 1}", real=True))
    field = C * w - (w.T * C * w)[0, 0] * w
    solutions = sp.solve(list(field), list(w), dict=True)
    points = {tuple(s[v] for v in w) for s in solutions}
    units = {
        tuple(sign * (1 if j == k else 0) for j in range(n)) for k in range(n) for sign in (1, -1)
    }
    assert points == units | {(0,) * n}
    jacobian = field.jacobian(w)
    for k in range(n):
        at = jacobian.subs({v: (1 if j == k else 0) for j, v in enumerate(w)})
        spectrum = sorted(sp.simplify(at[j, j]) for j in range(n))
        assert at.is_diagonal()
        expected = [eigenvalues[j] - eigenvalues[k] for j in range(n) if j != k]
        assert sp.simplify(sum(spectrum) - sum(expected) + 2 * eigenvalues[k]) == 0
        stable = all(sp.simplify(at[j, j]).is_negative for j in range(n))
        assert stable == (k == 0)  # only the leading eigenvector


def lemma_oja_2x2_only_the_leading_eigenvector_is_stable() -> None:
    _oja_diagonal([c + d1, c])  # λ₁ = c + d₁ > λ₂ = c > 0


def lemma_oja_3x3_only_the_leading_eigenvector_is_stable() -> None:
    _oja_diagonal([c + d1 + d2, c + d2, c])


def lemma_oja_field_is_equivariant_under_rotations() -> None:
    # every rotation of the plane but the half-turn, with the rational parametrisation
    # cos = (1 - u²)/(1 + u²), sin = 2u/(1 + u²): the identity is one of rational functions
    u = sp.Symbol("u", real=True)
    cos, sin = (1 - u**2) / (1 + u**2), 2 * u / (1 + u**2)
    Q = sp.Matrix([[cos, -sin], [sin, cos]])
    assert (Q.T * Q).applyfunc(sp.cancel) == sp.eye(2)
    C = sp.Matrix(2, 2, sp.symbols("c_11 c_12 c_12 c_22", real=True))
    w = sp.Matrix(sp.symbols("w_1 w_2", real=True))

    def field(matrix: sp.Matrix, v: sp.Matrix) -> sp.Matrix:  # symbolic C: the formula itself
        return matrix * v - (v.T * matrix * v)[0, 0] * v

    rotated = field(Q * C * Q.T, Q * w)
    assert (rotated - Q * field(C, w)).applyfunc(sp.cancel) == sp.zeros(2, 1)
    assert oja_field([[2, 1], [1, 2]], w) == field(sp.Matrix([[2, 1], [1, 2]]), w)


def lemma_oja_on_rational_covariances() -> None:
    for C in (
        [[2, 1], [1, 2]],
        [[3, 1, 0], [1, 3, 1], [0, 1, 3]],
        [[5, 2, 0], [2, 2, 0], [0, 0, 3]],
    ):
        points = oja_fixed_points(C)
        top = max((p.eigenvalue for p in points), key=lambda v: sp.N(v, 30))
        for p in points:
            assert sp.simplify((p.w.T * p.w)[0, 0] - 1) == 0
            assert sp.simplify(oja_field(C, p.w)) == sp.zeros(len(C), 1)
            assert p.stable == (p.eigenvalue == top)


def lemma_hebb_grows_without_bound() -> None:
    t = sp.Symbol("t", positive=True)
    C = sp.Matrix([[2, 1], [1, 2]])
    w = (C * t).exp() * sp.Matrix([1, 0])
    assert sp.simplify(w.diff(t) - C * w) == sp.zeros(2, 1)  # it solves ẇ = C w
    assert sp.limit((w.T * w)[0, 0], t, sp.oo) is sp.oo
    direction = sp.limit(w[0] / w[1], t, sp.oo)
    assert direction == 1  # along the leading eigenvector (1, 1)


def lemma_the_delta_rule_converges_exactly_below_two_over_lambda_max() -> None:
    limit, threshold = lms_limit(X, Y), lms_threshold(X)
    assert limit == sp.Matrix([sp.Rational(4, 3), sp.Rational(7, 3)])
    assert threshold == sp.Rational(2, 3)
    below = lms_iterates(X, Y, sp.Rational(1, 2), 40)  # contraction max|1 - ηλ| = 1/2
    above = lms_iterates(X, Y, 1, 40)  # |1 - 3| = 2
    at = lms_iterates(X, Y, threshold, 40)  # |1 - 2| = 1 on the leading direction
    error = [(w - limit).norm() for w in below]
    assert error[40] <= sp.Rational(1, 2) ** 40 * error[0]
    assert (above[40] - limit).norm() >= 2**39 * (above[0] - limit).norm() / 2
    leading = sp.Matrix([1, 1])
    assert ((at[40] - limit).T * leading)[0, 0] == ((at[0] - limit).T * leading)[0, 0]
