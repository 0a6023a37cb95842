r"""Flat minima: the local entropy of a quadratic loss is its Moreau envelope, rescaled and shifted.

Entropy-SGD (Chaudhari et al.) descends on minus the local entropy

.. math::

    F_\beta(x; \gamma) = \log \int
        \exp\Bigl(-\beta f(x') - \frac{\beta\gamma}{2} \|x - x'\|^2\Bigr)\, dx' ,

whose gradient is :math:`\beta\gamma(\langle x' \rangle - x)`, with :math:`\langle x' \rangle`
the mean of the Gibbs density proportional to the integrand.  For a quadratic loss
:math:`f(x) = \tfrac12 x^T A x + b^T x + c` with :math:`A + \gamma I` positive definite,

.. math::

    F_\beta(x; \gamma) = \frac12 \log\Bigl(\frac{(2\pi/\beta)^d}{\det(A + \gamma I)}\Bigr)
        - \beta \min_u \Bigl( f(u) + \frac{\gamma}{2} \|u - x\|^2 \Bigr) ,

so minus the local entropy is :math:`\beta` times the Moreau envelope of :math:`f` with
parameter :math:`1/\gamma`, up to a constant; the Gibbs mean is the proximal point at every
temperature, and the Entropy-SGD direction :math:`\gamma(x - \langle x' \rangle)` is the
envelope's gradient (:math:`\beta = 1`).  The envelope's curvatures are
:math:`\lambda\gamma/(\lambda + \gamma)`, below both :math:`\lambda` and :math:`\gamma`; of two
wells of equal depth the flatter has the larger local entropy.  Proved by completing the square
(an exact polynomial identity) and the Gaussian integral, with symbolic coefficients in one
dimension and on examples in two and three.

References: P. Chaudhari et al., "Entropy-SGD: biasing gradient descent into wide valleys",
ICLR 2017, sections 3 and 4; J.-J. Moreau, Bull. Soc. Math. France 93 (1965); N. Parikh and
S. Boyd, "Proximal algorithms", Found. Trends Optim. 1 (2014), sections 3.1 and 6.1.1.
"""

from __future__ import annotations

import functools

import sympy as sp

from symdl.optimization.local_entropy import LocalEntropy, quadratic_local_entropy

x, b, c = sp.symbols("x b c", real=True)
a, gamma, beta, delta = sp.symbols("a gamma beta delta", positive=True)
x1, x2, x3 = sp.symbols("x_1 x_2 x_3", real=True)

ONE_D = a * x**2 / 2 + b * x + c
TWO_D = x1**2 + x1 * x2 + 2 * x2**2 - x1 + sp.Rational(1, 3)  # A = [[2, 1], [1, 4]]
THREE_D = (3 * x1**2 + 2 * x2**2 + x3**2) / 2 + x1 * x3 - x2 + 2 * x3 - 5


@functools.cache
def _cases() -> list[tuple[sp.Expr, tuple[sp.Symbol, ...], LocalEntropy]]:
    return [
        (ONE_D, (x,), quadratic_local_entropy(ONE_D, x, gamma=gamma, inverse_temperature=beta)),
        (TWO_D, (x1, x2), quadratic_local_entropy(TWO_D, [x1, x2], gamma=gamma)),
        (THREE_D, (x1, x2, x3), quadratic_local_entropy(THREE_D, [x1, x2, x3], gamma=3)),
    ]


def lemma_completing_the_square_gives_the_closed_form() -> None:
    for f, variables, entropy in _cases():
        d = len(variables)
        u = sp.Matrix(sp.symbols(f"u_1:{d + 1}", real=True))
        X = sp.Matrix(variables)
        g, bt = entropy.gamma, entropy.inverse_temperature
        K = sp.hessian(f, variables) + g * sp.eye(d)
        m = entropy.gibbs_mean
        exponent = -bt * (
            f.subs(dict(zip(variables, u, strict=True))) + g / 2 * (u - X).norm() ** 2
        )
        # the exponent is a Gaussian in u of mean m and precision βK, times exp(-β M(x))
        square = -bt / 2 * ((u - m).T * K * (u - m))[0, 0] - bt * entropy.moreau_envelope
        assert sp.cancel(exponent - square) == 0
        # ∫ exp(-β (u - m)^T K (u - m)/2) du = (2π/β)^{d/2} det(K)^{-1/2}
        assert sp.cancel(sp.exp(2 * entropy.constant) - (2 * sp.pi / bt) ** d / K.det()) == 0
        assert sp.cancel(entropy.value - entropy.constant + bt * entropy.moreau_envelope) == 0


def lemma_the_gaussian_integral() -> None:
    v = sp.Symbol("v", real=True)
    k = sp.Symbol("k", positive=True)
    gaussian = sp.exp(-k * v**2 / 2)
    assert sp.integrate(gaussian, (v, -sp.oo, sp.oo)) == sp.sqrt(2 * sp.pi / k)
    assert sp.integrate(v * gaussian, (v, -sp.oo, sp.oo)) == 0  # so the mean is m
    # in two dimensions, iterated, for the precision matrix of TWO_D at γ = 1
    v1, v2 = sp.symbols("v_1 v_2", real=True)
    K = sp.Matrix([[3, 1], [1, 5]])
    form = (sp.Matrix([v1, v2]).T * K * sp.Matrix([v1, v2]))[0, 0]
    inner = sp.simplify(sp.integrate(sp.exp(-form / 2), (v1, -sp.oo, sp.oo)))
    total = sp.integrate(inner, (v2, -sp.oo, sp.oo))
    assert sp.simplify(total - 2 * sp.pi / sp.sqrt(K.det())) == 0
    entropy = quadratic_local_entropy(TWO_D, [x1, x2], gamma=1)
    assert sp.simplify(entropy.constant - sp.log(total)) == 0


def lemma_the_gibbs_mean_is_the_proximal_point() -> None:
    for f, variables, entropy in _cases():
        assert (entropy.gibbs_mean - entropy.proximal_point).applyfunc(sp.cancel).is_zero_matrix
        # the envelope is a minimum: f(u) + γ|u - x|²/2 - M(x) = (u - p)^T K (u - p)/2 ≥ 0
        d = len(variables)
        u = sp.Matrix(sp.symbols(f"u_1:{d + 1}", real=True))
        X, p, g = sp.Matrix(variables), entropy.proximal_point, entropy.gamma
        K = entropy.hessian + g * sp.eye(d)
        gap = f.subs(dict(zip(variables, u, strict=True))) + g / 2 * (u - X).norm() ** 2
        gap -= entropy.moreau_envelope
        assert sp.cancel(gap - ((u - p).T * K * (u - p))[0, 0] / 2) == 0


def lemma_the_gradient_is_the_entropy_sgd_direction() -> None:
    for _, variables, entropy in _cases():
        X = sp.Matrix(variables)
        g, bt = entropy.gamma, entropy.inverse_temperature
        direction = bt * g * (X - entropy.gibbs_mean)
        assert (entropy.step_direction - direction).applyfunc(sp.cancel).is_zero_matrix
        envelope_gradient = sp.Matrix([sp.diff(entropy.moreau_envelope, v) for v in variables])
        assert (bt * envelope_gradient - direction).applyfunc(sp.cancel).is_zero_matrix


def lemma_at_zero_temperature_minus_the_local_entropy_is_the_envelope() -> None:
    entropy = quadratic_local_entropy(ONE_D, x, gamma=gamma, inverse_temperature=beta)
    assert sp.limit(-entropy.value / beta, beta, sp.oo) == entropy.moreau_envelope


def lemma_smoothing_flattens_every_well() -> None:
    entropy = quadratic_local_entropy(a * x**2 / 2, x, gamma=gamma)
    curvature = sp.diff(entropy.moreau_envelope, x, 2)
    assert sp.cancel(curvature - a * gamma / (a + gamma)) == 0
    assert sp.factor(a - curvature).is_positive
    assert sp.factor(gamma - curvature).is_positive
    # in three dimensions the envelope's Hessian is γA(A + γI)^{-1}, of eigenvalues λγ/(λ + γ)
    entropy = quadratic_local_entropy(THREE_D, [x1, x2, x3], gamma=3)
    A = entropy.hessian
    hessian = sp.hessian(entropy.moreau_envelope, (x1, x2, x3))
    assert hessian == 3 * A * (A + 3 * sp.eye(3)).inv()
    for lam, _, vectors in A.eigenvects():
        for vector in vectors:
            assert sp.simplify(hessian * vector - lam * 3 / (lam + 3) * vector) == sp.zeros(3, 1)


def lemma_of_two_wells_of_equal_depth_the_flatter_has_more_local_entropy() -> None:
    flat = quadratic_local_entropy(a * x**2 / 2 + c, x, gamma=gamma)
    sharp = quadratic_local_entropy((a + delta) * x**2 / 2 + c, x, gamma=gamma)
    at_bottom = flat.value.subs(x, 0) - sharp.value.subs(x, 0)
    gain = sp.log((a + delta + gamma) / (a + gamma)) / 2
    assert sp.simplify(sp.expand_log(at_bottom - gain, force=True)) == 0
    assert sp.cancel((a + delta + gamma) / (a + gamma) - 1).is_positive  # so the log is > 0
    # the flat well wins even when shallower, by less than the gain
    deeper = quadratic_local_entropy((a + delta) * x**2 / 2 + c - gain / 2, x, gamma=gamma)
    assert sp.simplify(flat.value.subs(x, 0) - deeper.value.subs(x, 0) - gain / 2) == 0
