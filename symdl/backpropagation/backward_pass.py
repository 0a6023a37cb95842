r"""What a backward pass records: the symbols and definitions that the written derivation
(:mod:`~symdl.backpropagation.steps`) and the verification
(:mod:`~symdl.backpropagation.verification`) read.

:class:`~symdl.backpropagation.reverse_mode.Backpropagation` is the one implementation; the
derivation and the verification see it through this protocol, so they sit below it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import sympy as sp

from symdl.backpropagation.straight_line import StraightLineProgram
from symdl.core.network import Network

__all__ = ["BackwardPass", "error_symbols"]


class BackwardPass(Protocol):
    r"""A network's backward pass as symbols: layers :math:`1, …, L`, neurons from 1.

    ``z[l][j - 1][p]`` is :math:`z^{(l)}_j` (piece ``p + 1`` of a maxout layer),
    ``errors[l][j - 1][p]`` likewise :math:`\delta^{(l)}_j`; ``program`` holds every definition
    in order and the gradient as its outputs.
    """

    network: Network
    loss: sp.Expr
    loss_name: str
    outputs: tuple[sp.Symbol, ...]
    parameters: tuple[sp.Symbol, ...]
    z: list[list[list[sp.Symbol]]]
    errors: list[list[list[sp.Symbol]]]
    gradient: dict[sp.Symbol, sp.Expr]
    program: StraightLineProgram

    @property
    def definitions(self) -> Mapping[sp.Symbol, sp.Expr]:
        """Every definition :math:`z := …`, :math:`a := …`, :math:`\\delta := …`, in order."""
        ...

    def conventions(self) -> tuple[str, ...]:
        """The conventions used where a derivative does not exist, in words."""
        ...


def error_symbols(bp: BackwardPass) -> set[sp.Symbol]:
    r"""Every :math:`\delta^{(l)}_j` symbol of ``bp``."""
    return {s for layer in bp.errors for row in layer for s in row}
