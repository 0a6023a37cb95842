r"""Baldi–Hornik: a linear network with one hidden layer has no spurious local minima.

For the autoencoder :math:`x \mapsto b a^T x` with one hidden unit, on data of covariance
:math:`\Sigma = \operatorname{diag}(3, 2, 1)`, the squared loss

.. math::

    E(a, b) = \operatorname{tr}\bigl((I - b a^T)\, \Sigma\, (I - b a^T)^T\bigr)

has exactly these critical points: the origin (:math:`E = 6`) and, for each eigenvector
:math:`e_i` of :math:`\Sigma` with eigenvalue :math:`\lambda_i`, the curve
:math:`a = e_i/t`, :math:`b = t e_i` (:math:`t \ne 0`), on which
:math:`E = 6 - \lambda_i`, that is 3, 4 and 5.  The curve of the top eigenvector is the global
minimum (:math:`E = 3`, the Eckart–Young value :math:`\operatorname{tr} \Sigma - 3`); every
other critical point is a saddle, its Hessian having a negative eigenvalue.  Gradient descent
from many random starts ends at :math:`E = 3`.

References: P. Baldi and K. Hornik, "Neural networks and principal component analysis:
learning from examples without local minima", Neural Networks 2 (1989), 53–58; R. Vidal,
J. Bruna, R. Giryes, S. Soatto, "Mathematics of deep learning", arXiv:1712.04741 (2017),
section 3.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from symdl.core.derivation import Derivation
from symdl.optimization.landscape import (
    CriticalKind,
    autoencoder_critical_points,
    autoencoder_descent,
    rank_one_autoencoder,
)

SIGMA = sp.diag(3, 2, 1)


def _points() -> list:
    return autoencoder_critical_points(rank_one_autoencoder(SIGMA))


def lemma_gradient_formulas() -> None:
    model = rank_one_autoencoder(SIGMA)
    a, b = sp.Matrix(model.a), sp.Matrix(model.b)
    grad_a = 2 * SIGMA * ((b.T * b)[0] * a - b)
    grad_b = 2 * ((a.T * SIGMA * a)[0] * b - SIGMA * a)
    assert (model.gradient() - sp.Matrix.vstack(grad_a, grad_b)).expand() == sp.zeros(6, 1)


def lemma_all_critical_points() -> None:
    points = _points()
    # the origin and ±e_i for i = 1, 2, 3 (balanced representatives of the curves)
    assert len(points) == 7
    values = sorted(p.value for p in points)
    assert values == [3, 3, 4, 4, 5, 5, 6]
    model = rank_one_autoencoder(SIGMA)
    lam = sp.Symbol("lambda", nonzero=True, real=True)
    for i in range(3):  # every point of each curve is critical, with the same value
        e = [sp.Integer(int(k == i)) for k in range(3)]
        point = dict(zip(model.variables, [v / lam for v in e] + [lam * v for v in e], strict=True))
        assert sp.simplify(model.gradient().subs(point)) == sp.zeros(6, 1)
        assert sp.simplify(model.loss.subs(point)) == 6 - SIGMA[i, i]


def lemma_classification_by_hessian() -> None:
    kinds = {}
    for point in _points():
        kinds.setdefault(point.value, set()).add(point.kind)
        negative = [e for e in point.eigenvalues if e.is_negative]
        if point.value == 3:
            assert not negative
            assert point.eigenvalues.get(sp.Integer(0)) == 1  # only the rescaling direction
        else:
            assert negative
    assert kinds == {
        3: {CriticalKind.GLOBAL_MINIMUM},
        4: {CriticalKind.SADDLE},
        5: {CriticalKind.SADDLE},
        6: {CriticalKind.SADDLE},
    }
    assert not any(p.kind is CriticalKind.LOCAL_MINIMUM for p in _points())


def lemma_hessian_eigenvalues_at_the_minimum() -> None:
    (point,) = [p for p in _points() if p.value == 3 and p.point[sp.Symbol("a1", real=True)] == 1]
    expected = {
        sp.Integer(0): 1,
        sp.Integer(12): 1,
        5 - sp.sqrt(17): 1,
        5 + sp.sqrt(17): 1,
        4 - 2 * sp.sqrt(2): 1,
        4 + 2 * sp.sqrt(2): 1,
    }
    assert point.eigenvalues == expected
    numeric = np.linalg.eigvalsh(
        np.array(rank_one_autoencoder(SIGMA).hessian().subs(point.point), dtype=float)
    )
    assert np.allclose(sorted(numeric), sorted(float(e) for e in expected))


def lemma_gradient_descent_finds_the_global_minimum() -> None:
    starts = np.random.default_rng(11).normal(size=(60, 6))
    losses = autoencoder_descent(np.diag([3.0, 2.0, 1.0]), starts, rate=0.02, steps=4000)
    assert np.allclose(losses, 3.0, atol=1e-6)


def derivation() -> Derivation:
    """All critical points of the one-unit linear autoencoder, and their classification."""
    model = rank_one_autoencoder(SIGMA)
    d = Derivation(
        "No spurious local minima in a linear autoencoder with one hidden unit",
        statement=(
            "For $\\Sigma = \\mathrm{diag}(3, 2, 1)$ and $E(a, b) = \\mathrm{tr}((I - b a^T) "
            "\\Sigma (I - b a^T)^T)$, every critical point is the global minimum or a saddle."
        ),
    )
    d.add("E(a, b)", model.loss, "expand the trace")
    d.add(
        r"\nabla_a E",
        r"2 \Sigma \left( (b^T b)\, a - b \right)",
        "differentiate; zero iff $b = (b^T b)\\, a$ since $\\Sigma$ is invertible",
    )
    d.add(r"\nabla_b E", r"2 \left( (a^T \Sigma a)\, b - \Sigma a \right)", "differentiate")
    d.remark(
        "If $b = 0$ then $\\Sigma a = 0$, so $a = 0$: the origin, with $E = 6$. Otherwise "
        "$a = b / \\|b\\|^2$; with $b = \\lambda u$, $\\|u\\| = 1$, the second equation "
        "becomes $\\Sigma u = (u^T \\Sigma u)\\, u$: $u = \\pm e_i$, and $E = 6 - \\lambda_i$."
    )
    for point in sorted(_points(), key=lambda p: (p.value, str(p.point))):
        coordinates = [point.point[v] for v in model.a]
        if any(value < 0 for value in coordinates):
            continue  # -e_i lies on the same curve as e_i
        i = coordinates.index(1) + 1 if any(coordinates) else 0
        where = f"e_{{{i}}}, e_{{{i}}}" if i else "0, 0"
        smallest = min(point.eigenvalues, key=lambda e: float(e))
        d.add(
            f"E({where})",
            point.value,
            f"{point.kind.value}; smallest Hessian eigenvalue ${sp.latex(smallest)}$",
        )
    return d
