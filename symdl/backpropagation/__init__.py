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
    )
    from symdl.backpropagation.steps import (
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

_NAMES = {
    "BackwardPass": "symdl.backpropagation.backward_pass",
    "error_symbols": "symdl.backpropagation.backward_pass",
    "SOFTMAX_LOSSES": "symdl.backpropagation.reverse_mode",
    "Backpropagation": "symdl.backpropagation.reverse_mode",
    "activation_symbol": "symdl.backpropagation.reverse_mode",
    "applies_softmax": "symdl.backpropagation.reverse_mode",
    "backprop": "symdl.backpropagation.reverse_mode",
    "error_symbol": "symdl.backpropagation.reverse_mode",
    "pre_activation_symbol": "symdl.backpropagation.reverse_mode",
    "refuse_softmax_twice": "symdl.backpropagation.reverse_mode",
    "target_symbols": "symdl.backpropagation.reverse_mode",
    "TiesToFirst": "symdl.backpropagation.layer_rules",
    "activation_derivative": "symdl.backpropagation.layer_rules",
    "affine_pieces": "symdl.backpropagation.layer_rules",
    "first_maximum": "symdl.backpropagation.layer_rules",
    "forward_definitions": "symdl.backpropagation.layer_rules",
    "local_errors": "symdl.backpropagation.layer_rules",
    "maxout_pieces": "symdl.backpropagation.layer_rules",
    "DeltaCheck": "symdl.backpropagation.verification",
    "DeltaVerification": "symdl.backpropagation.verification",
    "ErrorCheck": "symdl.backpropagation.verification",
    "ErrorVerification": "symdl.backpropagation.verification",
    "Method": "symdl.backpropagation.verification",
    "verify_deltas": "symdl.backpropagation.verification",
    "verify_errors": "symdl.backpropagation.verification",
    "backprop_derivation": "symdl.backpropagation.steps",
    "StraightLineProgram": "symdl.backpropagation.straight_line",
    "MatrixLayer": "symdl.backpropagation.matrix_form",
    "agree_at_sizes": "symdl.backpropagation.matrix_form",
    "bp1": "symdl.backpropagation.matrix_form",
    "bp2": "symdl.backpropagation.matrix_form",
    "bp3": "symdl.backpropagation.matrix_form",
    "bp4": "symdl.backpropagation.matrix_form",
    "elementwise": "symdl.backpropagation.matrix_form",
    "entry_gradient": "symdl.backpropagation.matrix_form",
    "linearised_loss": "symdl.backpropagation.matrix_form",
    "matrix_layer": "symdl.backpropagation.matrix_form",
    "quadratic_cost": "symdl.backpropagation.matrix_form",
    "sympy_gradient": "symdl.backpropagation.matrix_form",
    "textbook_form": "symdl.backpropagation.matrix_form",
    "assume_indices_in_range": "symdl.backpropagation.index_sums",
    "same_entries": "symdl.backpropagation.index_sums",
    "GradientComparison": "symdl.backpropagation.numeric_check",
    "check_gradients": "symdl.backpropagation.numeric_check",
    "cross_check_gradients": "symdl.backpropagation.numeric_check",
}
__getattr__, __dir__ = _lazy.exports(__name__, _NAMES)

__all__ = [
    "SOFTMAX_LOSSES",
    "Backpropagation",
    "BackwardPass",
    "DeltaCheck",
    "DeltaVerification",
    "ErrorCheck",
    "ErrorVerification",
    "GradientComparison",
    "MatrixLayer",
    "Method",
    "StraightLineProgram",
    "TiesToFirst",
    "activation_derivative",
    "activation_symbol",
    "affine_pieces",
    "agree_at_sizes",
    "applies_softmax",
    "assume_indices_in_range",
    "backprop",
    "backprop_derivation",
    "bp1",
    "bp2",
    "bp3",
    "bp4",
    "check_gradients",
    "cross_check_gradients",
    "elementwise",
    "entry_gradient",
    "error_symbol",
    "error_symbols",
    "first_maximum",
    "forward_definitions",
    "linearised_loss",
    "local_errors",
    "matrix_layer",
    "maxout_pieces",
    "pre_activation_symbol",
    "quadratic_cost",
    "refuse_softmax_twice",
    "same_entries",
    "sympy_gradient",
    "target_symbols",
    "textbook_form",
    "verify_deltas",
    "verify_errors",
]
