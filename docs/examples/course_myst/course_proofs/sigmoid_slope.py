r"""The slope of the sigmoid.

For every real :math:`z`, the logistic sigmoid
:math:`\sigma(z) = 1/(1 + e^{-z})` satisfies

.. math::

   \sigma'(z) = \sigma(z)\,\bigl(1 - \sigma(z)\bigr) \le \frac{1}{4},

with equality at :math:`z = 0` alone.  Backpropagation through a sigmoid
neuron therefore needs no new exponential once :math:`a = \sigma(z)` is
known, and it shrinks the error by a factor of at least 4.
"""

import sympy as sp

z = sp.Symbol("z", real=True)
s = sp.Symbol("s", real=True)
sigma = 1 / (1 + sp.exp(-z))


def lemma_the_slope_is_a_times_one_minus_a():
    assert sp.simplify(sp.diff(sigma, z) - sigma * (1 - sigma)) == 0


def lemma_the_slope_is_at_most_a_quarter():
    # s (1 - s) = 1/4 - (s - 1/2)^2, and sigma(0) = 1/2
    quarter, half = sp.Rational(1, 4), sp.Rational(1, 2)
    assert sp.expand(s * (1 - s) - (quarter - (s - half) ** 2)) == 0
    assert sigma.subs(z, 0) == half
    assert sp.diff(sigma, z).subs(z, 0) == quarter
