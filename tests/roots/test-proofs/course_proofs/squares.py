"""The derivative of a square.

For every real :math:`w`, :math:`\\frac{d}{dw} w^2 = 2w` (the power rule; see
:func:`sympy.diff`).  Its slope at ``w = 3`` is 6, and σ ≤ 1 – like “quotes” – is printable.

.. math::

   \\lim_{h \\to 0} \\frac{(w + h)^2 - w^2}{h} = 2w
"""

import sympy as sp
from matplotlib.figure import Figure

from symdl.core.derivation import Derivation, Reason

w = sp.Symbol("w", real=True)
h = sp.Symbol("h", real=True)


def lemma_power_rule():
    assert sp.diff(w**2, w) == 2 * w


def lemma_at_three():
    assert sp.diff(w**2, w).subs(w, 3) == 6


def derivation():
    proof = Derivation("The power rule for $w^2$")
    proof.add(sp.Derivative(w**2, w), sp.Limit(((w + h) ** 2 - w**2) / h, h, 0), Reason.DEFINITION)
    proof.add("", sp.Limit(2 * w + h, h, 0), Reason.SIMPLIFICATION)
    proof.add("", 2 * w, "the limit $h \\to 0$")
    return proof


def figures():
    figure = Figure(figsize=(3, 2))
    axes = figure.add_subplot()
    axes.plot([-2, -1, 0, 1, 2], [4, 1, 0, 1, 4])
    axes.set_title("w squared")
    return {"parabola": figure}
