r"""Architectures: what convolution, pooling, batch norm, dropout and random weights do.

The facts of the lectures about architectures beyond the dense chain, each exact: receptive
fields of stacked convolutions (the VGG argument), shift equivariance of convolution and the
invariance pooling adds, the expected loss under dropout, the exact backward pass of batch
normalization, and random Gaussian ReLU layers (the arc-cosine kernel and the angle map).
The layers themselves are in :mod:`symdl.core.graph_operations`; their backward pass in
:mod:`symdl.backpropagation.graph_mode`.

The names are imported from their modules on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from symdl import _lazy

if TYPE_CHECKING:
    pass

__getattr__, __dir__, __all__ = _lazy.attach(__name__, __file__)
