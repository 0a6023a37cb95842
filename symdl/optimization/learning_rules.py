r"""The learning rules of a single linear neuron :math:`y = w \cdot x`: Hebb's, Oja's and the
delta rule (LMS), exactly.

**Hebb** (1949): :math:`w \leftarrow w + \eta\, y\, x`.  Averaged over inputs of covariance
:math:`C = \mathbb{E}[x x^T]`, :math:`\dot w = C w`, so :math:`w(t) = e^{C t} w(0)` grows without
bound along the leading eigenvector of :math:`C`.

**Oja** (1982): :math:`w \leftarrow w + \eta\, y\, (x - y\, w)`, averaged

.. math::

    \dot w = C w - (w^T C w)\, w .

Its fixed points other than 0 are the unit eigenvectors :math:`e_k` of :math:`C` (then
:math:`C e_k = \lambda_k e_k` and :math:`w^T C w = \lambda_k`).  The Jacobian there,
:math:`J = C - \lambda_k I - 2 \lambda_k e_k e_k^T`, has the eigenvalues
:math:`\lambda_j - \lambda_k` (:math:`j \ne k`) and :math:`-2 \lambda_k`: with distinct positive
eigenvalues only the leading eigenvector is stable (:func:`oja_fixed_points`).

**Delta rule** (Widrow and Hoff 1960), batch gradient descent on
:math:`E(w) = \tfrac12 \|y - X w\|^2` with rows :math:`x_i^T` of :math:`X`:

.. math::

    w_{t+1} = w_t - \eta\, X^T (X w_t - y) .

With :math:`A = X^T X` positive definite the error :math:`w_t - w^*` is multiplied by
:math:`I - \eta A` each step, so the iterates converge to the normal-equation solution
:math:`w^* = A^{-1} X^T y` from every start exactly when :math:`|1 - \eta \lambda_i| < 1` for
every eigenvalue, that is :math:`0 < \eta < 2/\lambda_{\max}(A)` (:func:`lms_threshold`).
With the mean :math:`\tfrac1n \sum_i` instead of the sum the threshold is :math:`n` times
larger; the convention here is the sum with the factor :math:`\tfrac12`.

References
----------
- D. O. Hebb, *The Organization of Behavior* (1949).
- E. Oja, "Simplified neuron model as a principal component analyzer", J. Math. Biology 15,
  1982.
- B. Widrow and M. E. Hoff, "Adaptive switching circuits", IRE WESCON Convention Record, 1960.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sympy as sp

from symdl.core.exact import exact_matrix, positive_integer
from symdl.core.exceptions import NotSupportedError, SymdlError
from symdl.core.limits import deadline

__all__ = [
    "MAX_DIMENSION",
    "OjaFixedPoint",
    "lms_iterates",
    "lms_limit",
    "lms_threshold",
    "oja_field",
    "oja_fixed_points",
]

#: The largest number of inputs these exact computations accept.
MAX_DIMENSION = 6


@dataclass(frozen=True)
class OjaFixedPoint:
    """A nonzero fixed point of Oja's averaged rule: a unit eigenvector ``w`` of ``C`` with its
    ``eigenvalue``, the Jacobian's eigenvalues there, and whether it is stable (all negative)."""

    w: sp.Matrix
    eigenvalue: sp.Expr
    jacobian_eigenvalues: tuple[sp.Expr, ...]
    stable: bool


def _square(matrix: Any, name: str) -> sp.Matrix:
    if isinstance(matrix, sp.MatrixBase):
        rows = matrix.rows
    elif isinstance(matrix, Sequence) and matrix and isinstance(matrix[0], Sequence):
        rows = len(matrix)
    else:
        raise TypeError(f"{name} must be a square matrix: nested lists or a SymPy Matrix")
    if not 1 <= rows <= MAX_DIMENSION:
        raise ValueError(
            f"{name} has {rows} rows: 1 to {MAX_DIMENSION} "
            "(symdl.optimization.learning_rules.MAX_DIMENSION) are computed exactly"
        )
    return exact_matrix(matrix, (rows, rows), name=name)


def _covariance(C: Any) -> sp.Matrix:
    matrix = _square(C, "C")
    if matrix != matrix.T:
        raise ValueError(f"C = {matrix.tolist()} is not symmetric; a covariance is")
    return matrix


def oja_field(C: Any, w: sp.Matrix) -> sp.Matrix:
    r"""The averaged Oja update :math:`C w - (w^T C w)\, w`."""
    matrix = _covariance(C)
    return matrix * w - (w.T * matrix * w)[0, 0] * w


def oja_fixed_points(C: Any, *, seconds: float = 60.0) -> list[OjaFixedPoint]:
    r"""The nonzero fixed points of Oja's averaged rule for the covariance ``C`` (exact,
    symmetric, rational entries), each with the exact eigenvalues of the Jacobian of
    :func:`oja_field` there; both signs :math:`\pm e_k` of each unit eigenvector.

    Examples
    --------
    SymPy's eigenvectors run under a time limit of ``seconds``
    (:class:`~symdl.core.limits.TimeLimitExceededError` past it).

    :math:`C = \begin{pmatrix} 2 & 1 \\ 1 & 2 \end{pmatrix}` has eigenvalues 3 and 1:

    >>> points = oja_fixed_points([[2, 1], [1, 2]])
    >>> [(p.eigenvalue, p.stable) for p in points]
    [(3, True), (3, True), (1, False), (1, False)]
    """
    matrix = _covariance(C)
    with deadline(seconds):  # a 6 × 6 covariance can keep SymPy busy
        return _oja_points(matrix)


def _oja_points(matrix: sp.Matrix) -> list[OjaFixedPoint]:
    """:func:`oja_fixed_points` of a checked covariance."""
    n = matrix.rows
    eigen = matrix.eigenvects()
    if any(multiplicity > 1 for _, multiplicity, _ in eigen):
        raise ValueError(
            "C has a repeated eigenvalue: its unit eigenvectors form spheres, not isolated "
            "fixed points; give a covariance with distinct eigenvalues"
        )
    if any(value.has(sp.I) for value, _, _ in eigen):
        raise NotSupportedError(
            "the eigenvalues of C are roots of a cubic written with complex radicals (the "
            "irreducible case): symdl does not decide their signs exactly; give a covariance "
            "whose eigenvalues are rational or real radicals"
        )
    w = sp.Matrix(sp.symbols(f"w_1:{n + 1}", real=True))
    jacobian = oja_field(matrix, w).jacobian(w)
    units = [
        (sp.simplify(value), sp.simplify(v / sp.sqrt((v.T * v)[0, 0])))
        for value, _, (v,) in sorted(eigen, key=lambda e: -sp.N(e[0], 30))
    ]
    points = []
    for value, unit in units:
        for sign in (1, -1):
            at = sign * unit
            local = jacobian.subs(dict(zip(w, at, strict=True)))
            # the eigenvectors of C are those of J: J e_j = (λ_j - λ_k) e_j, J e_k = -2λ_k e_k,
            # each checked exactly rather than read off a characteristic polynomial
            values = []
            for other, e in units:
                mu = -2 * value if e == unit else sp.simplify(other - value)
                if sp.simplify(local * e - mu * e) != sp.zeros(n, 1):
                    raise SymdlError(f"the Jacobian at {at.T} is not as derived; please report")
                values.append(mu)
            signs = [v.is_negative for v in values]
            if None in signs:
                raise NotSupportedError(f"the sign of a Jacobian eigenvalue at {at.T} is undecided")
            stable = all(signs)
            points.append(OjaFixedPoint(at, value, tuple(values), stable))
    return points


def _design(X: Any, y: Any) -> tuple[sp.Matrix, sp.Matrix]:
    if not isinstance(X, (Sequence, sp.MatrixBase)) or not len(X):
        raise TypeError("X must be a non-empty list of rows (the inputs x_i) or a SymPy Matrix")
    rows = X.rows if isinstance(X, sp.MatrixBase) else len(X)
    first = X.row(0) if isinstance(X, sp.MatrixBase) else X[0]
    cols = len(first)
    if not 1 <= cols <= MAX_DIMENSION:
        raise ValueError(
            f"X has {cols} columns: 1 to {MAX_DIMENSION} "
            "(symdl.optimization.learning_rules.MAX_DIMENSION) inputs are computed exactly"
        )
    design = exact_matrix(X, (rows, cols), name="X")
    targets = exact_matrix(y, (rows, 1), name="y")
    if (design.T * design).det() == 0:
        raise ValueError(
            "XᵀX is singular (the inputs do not span every direction): the minimiser of the "
            "squared error is not unique; give inputs of full column rank"
        )
    return design, targets


def lms_limit(X: Any, y: Any) -> sp.Matrix:
    r"""The normal-equation solution :math:`w^* = (X^T X)^{-1} X^T y`, exactly.

    >>> lms_limit([[1, 0], [0, 1], [1, 1]], [1, 2, 4])
    Matrix([
    [4/3],
    [7/3]])
    """
    design, targets = _design(X, y)
    return (design.T * design).LUsolve(design.T * targets)


def lms_threshold(X: Any, *, seconds: float = 60.0) -> sp.Expr:
    r""":math:`2/\lambda_{\max}(X^T X)`: batch gradient descent on
    :math:`\tfrac12 \|y - X w\|^2` converges from every start exactly for
    :math:`0 < \eta <` this value.

    >>> lms_threshold([[1, 0], [0, 1], [1, 1]])  # XᵀX has eigenvalues 3 and 1
    2/3
    """
    design, _ = _design(X, [0] * (X.rows if isinstance(X, sp.MatrixBase) else len(X)))
    with deadline(seconds):
        largest = max((design.T * design).eigenvals(), key=lambda v: sp.N(v, 30))
    return sp.nsimplify(2 / largest) if largest.is_Rational else sp.radsimp(2 / largest)


def lms_iterates(X: Any, y: Any, eta: Any, steps: int, *, start: Any = None) -> list[sp.Matrix]:
    r"""The exact iterates :math:`w_0, \dots, w_{\text{steps}}` of the delta rule with step
    ``eta`` (an exact number), from ``start`` (default 0)."""
    design, targets = _design(X, y)
    rate = exact_matrix([[eta]], (1, 1), name="eta")[0, 0]
    count = int(positive_integer(steps, name="steps"))
    if count > 10_000:
        raise ValueError(f"steps = {count}: at most 10000 exact iterations")
    w = (
        sp.zeros(design.cols, 1)
        if start is None
        else exact_matrix(start, (design.cols, 1), name="start")
    )
    iterates = [w]
    for _ in range(count):
        w = w - rate * design.T * (design * w - targets)
        iterates.append(w)
    return iterates
