r"""Models of the usual mistakes in a hand-derived gradient: the gradient a student would get.

A wrong answer is more useful to a student with a name.  Besides the mistakes recognised from
the values alone (a constant factor, a sign, a transposed matrix: :mod:`symdl.referee.equivalence`),
two are mistakes *in the chain rule*, and are recognised by recomputing the gradient the way
the student did and comparing the answer with that:

- ``Mistake.DERIVATIVE_AS_FUNCTION``: an activation's derivative
  written as the activation itself, :math:`\sigma'(z) \to \sigma(z)` (likewise for tanh, relu
  and every registered activation whose mistakes are modelled);
- ``Mistake.MISSING_DERIVATIVE``: an activation's derivative left out,
  :math:`\sigma'(z) \to 1`.

The wrong gradient is computed by differentiating the function with the activations replaced
by stand-ins whose derivative follows the wrong rule, then putting the activations back; the
mistake is modelled everywhere at once and in one layer (one depth of nesting) at a time.

Examples
--------
>>> import sympy as sp
>>> from symdl.core.activations import Sigmoid
>>> w, x = sp.symbols("w x", real=True)
>>> for mistake, gradient in wrong_gradients(Sigmoid(w * x)**2, w):
...     print(mistake.name, gradient)
DERIVATIVE_AS_FUNCTION 2*x*Sigmoid(w*x)**2
MISSING_DERIVATIVE 2*x*Sigmoid(w*x)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sympy as sp

from symdl.core.activations import ACTIVATIONS, Activation, activation_applied
from symdl.referee.verdict import Mistake

__all__ = ["wrong_gradients"]


def _modelled(activation: Activation) -> bool:
    return activation.model_mistakes


def _activation(node: sp.Basic) -> tuple[str, sp.Expr] | None:
    """``(name, argument)`` when ``node`` is a registered activation whose mistakes are
    modelled (σ(u), tanh(u), max(0, u), and those a course registers)."""
    found = activation_applied(node, among=_modelled)
    return None if found is None else (found[0].name, found[1])


def _stand_in(kind: str, rule: Mistake) -> type[sp.Function]:
    """A one-argument function that stands for activation ``kind``, with the wrong derivative."""

    def fdiff(self: sp.Function, argindex: int = 1) -> sp.Expr:
        if rule is Mistake.DERIVATIVE_AS_FUNCTION:
            return self.func(*self.args)
        return sp.S.One

    return type(f"{kind.capitalize()}Stand", (sp.Function,), {"fdiff": fdiff, "nargs": 1})


def _levels(f: sp.Expr) -> list[set[sp.Expr]]:
    """The activations applied in ``f``, grouped by nesting depth (for a network: by layer)."""
    levels: dict[int, set[sp.Expr]] = {}
    seen: set[tuple[sp.Basic, int]] = set()

    def visit(node: sp.Basic, depth: int) -> None:
        if (node, depth) in seen:
            return
        seen.add((node, depth))
        if _activation(node) is not None:
            levels.setdefault(depth, set()).add(node)
            depth += 1
        for arg in node.args:
            visit(arg, depth)

    visit(f, 0)
    return [levels[d] for d in sorted(levels)]


def _differentiate(f: sp.Expr, wrt: Any, rule: Mistake, chosen: set[sp.Expr]) -> Any:
    """The derivative of ``f`` with the wrong rule for the activations in ``chosen``."""
    names = sorted({found[0] for found in map(_activation, chosen) if found is not None})
    stand_ins = {kind: _stand_in(kind, rule) for kind in names}
    kinds = {stand: kind for kind, stand in stand_ins.items()}

    def patch(node: sp.Basic) -> sp.Basic:
        found = _activation(node)
        assert found is not None
        return stand_ins[found[0]](found[1])

    patched = f.replace(lambda e: e in chosen, patch)
    back: Callable[[Any], Any] = lambda e: e.replace(  # noqa: E731
        lambda u: type(u) in kinds, lambda u: ACTIVATIONS[kinds[type(u)]](u.args[0])
    )
    if isinstance(wrt, sp.MatrixBase):
        return sp.ImmutableMatrix(wrt.shape[0], wrt.shape[1],
                                  [back(sp.diff(patched, s)) for s in wrt])  # fmt: skip
    return back(sp.diff(patched, wrt))


def wrong_gradients(f: sp.Expr, wrt: Any) -> list[tuple[Mistake, Any]]:
    """The gradients of ``f`` with respect to ``wrt`` as each chain-rule mistake makes them.

    ``wrt`` is a symbol or a matrix of symbols.  Each mistake is made everywhere, and, when
    activations are nested (a network's layers), in one layer at a time.  A mistake that does
    not change the gradient (``f`` has no σ, tanh nor relu, nor a registered activation whose
    mistakes are modelled: ``Activation.model_mistakes``) is left
    out.
    """
    levels = _levels(f)
    if not levels:
        return []
    choices = [set().union(*levels), *(levels if len(levels) > 1 else [])]
    wrong = []
    for rule in (Mistake.DERIVATIVE_AS_FUNCTION, Mistake.MISSING_DERIVATIVE):
        wrong += [(rule, _differentiate(f, wrt, rule, chosen)) for chosen in choices]
    return wrong
