"""A false claim.

The derivative of :math:`w^3` is :math:`2w`.
"""

import sympy as sp

w = sp.Symbol("w", real=True)


def lemma_power_rule():
    assert sp.diff(w**3, w) == 2 * w, "d/dw w^3 is not 2w"
