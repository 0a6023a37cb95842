r"""Backpropagation: symbolic reverse mode, its verification neuron by neuron, the matrix and index
forms, the numeric gradient check.

Its modules:

:mod:`~symdl.backpropagation.reverse_mode`
    Symbolic backpropagation: the error of every neuron, by the backward recursion.
:mod:`~symdl.backpropagation.layer_rules`
    The local rules of backpropagation, one per kind of layer: forward definitions and errors.
:mod:`~symdl.backpropagation.verification`
    The homework, checked: every error of backpropagation is the true partial derivative.
:mod:`~symdl.backpropagation.backward_pass`
    What a backward pass records, as the derivation and the verification read it.
:mod:`~symdl.backpropagation.graph_forward`
    The forward pass of a graph network as a straight-line program: one symbol per value.
:mod:`~symdl.backpropagation.graph_mode`
    Symbolic backpropagation on graph networks: δ on every node, by reverse topological order.
:mod:`~symdl.backpropagation.graph_verification`
    The homework on graphs: every node's δ is the true partial derivative; the numeric check.
:mod:`~symdl.backpropagation.graph_steps`
    Backpropagation on a graph written out, node by node.
:mod:`~symdl.backpropagation.steps`
    Backpropagation written out: the forward definitions, then BP1–BP4 step by step.
:mod:`~symdl.backpropagation.straight_line`
    Straight-line programs: ordered definitions sharing subexpressions, and their cost.
:mod:`~symdl.backpropagation.matrix_form`
    Backpropagation in matrix form, for weight matrices of symbolic size.
:mod:`~symdl.backpropagation.index_sums`
    Sums over symbolic index ranges: Kronecker deltas collapsed, and a normal form to compare.
:mod:`~symdl.backpropagation.numeric_check`
    Checking gradients three ways: symbolic, numeric backward pass, finite differences.

The names are imported from their modules on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from symdl import _lazy

if TYPE_CHECKING:
    from symdl.backpropagation.backward_pass import (
        BackwardPass,
        error_symbols,
    )
    from symdl.backpropagation.graph_forward import (
        PRE_ACTIVATION_KINDS,
        GraphForwardPass,
        graph_symbol,
        graph_symbols,
        graph_target_symbols,
        is_identity,
    )
    from symdl.backpropagation.graph_mode import GraphBackpropagation, graph_backprop
    from symdl.backpropagation.graph_steps import DETAIL_LIMIT, graph_derivation
    from symdl.backpropagation.graph_verification import (
        GraphBackwardPass,
        GraphCrossCheck,
        GraphDeltaCheck,
        GraphDeltaVerification,
        cross_check_graph,
        downstream_nodes,
        true_partials,
        verify_graph_deltas,
    )
    from symdl.backpropagation.index_sums import (
        assume_indices_in_range,
        same_entries,
    )
    from symdl.backpropagation.layer_rules import (
        TiesToFirst,
        activation_derivative,
        affine_pieces,
        first_maximum,
        forward_definitions,
        local_errors,
        maxout_pieces,
    )
    from symdl.backpropagation.matrix_form import (
        MatrixLayer,
        agree_at_sizes,
        bp1,
        bp2,
        bp3,
        bp4,
        elementwise,
        entry_gradient,
        linearised_loss,
        matrix_layer,
        quadratic_cost,
        sympy_gradient,
        textbook_form,
    )
    from symdl.backpropagation.numeric_check import (
        GradientComparison,
        check_gradients,
        cross_check_gradients,
    )
    from symdl.backpropagation.reverse_mode import (
        SOFTMAX_LOSSES,
        Backpropagation,
        activation_symbol,
        applies_softmax,
        backprop,
        error_symbol,
        pre_activation_symbol,
        refuse_softmax_twice,
        target_symbols,
        weight_decay,
    )
    from symdl.backpropagation.steps import (
        ActivationDerivative,
        backprop_derivation,
    )
    from symdl.backpropagation.straight_line import (
        StraightLineProgram,
    )
    from symdl.backpropagation.verification import (
        DeltaCheck,
        DeltaVerification,
        ErrorCheck,
        ErrorVerification,
        Method,
        verify_deltas,
        verify_errors,
    )

__getattr__, __dir__, __all__ = _lazy.attach(__name__, __file__)
