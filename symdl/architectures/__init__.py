r"""Architectures: what convolution, pooling, batch norm, dropout and random weights do.

The facts of the lectures about architectures beyond the dense chain, each exact: receptive
fields of stacked convolutions (the VGG argument), shift equivariance of convolution and the
invariance pooling adds, the expected loss under dropout, the exact backward pass of batch
normalization, and random Gaussian ReLU layers (the arc-cosine kernel and the angle map).
The layers themselves are in :mod:`symdl.core.graph_operations`; their backward pass in
:mod:`symdl.backpropagation.graph_mode`.

:mod:`~symdl.architectures.receptive_fields`
    Receptive fields of stacked convolutions and poolings, and the VGG comparison.
:mod:`~symdl.architectures.equivariance`
    Shift equivariance of convolution and the invariance pooling adds, decided exactly.
:mod:`~symdl.architectures.dropout`
    The exact expected loss under dropout masks, and Wager et al.'s quadratic regulariser.
:mod:`~symdl.architectures.random_weights`
    Random Gaussian ReLU layers: the norm they keep, the arc-cosine kernel, the angle map.
:mod:`~symdl.architectures.batch_norm`
    The exact backward pass of batch normalization (Ioffe & Szegedy), proved.

The names are imported from their modules on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from symdl import _lazy

if TYPE_CHECKING:
    from symdl.architectures.batch_norm import (
        BETA,
        EPSILON,
        GAMMA,
        MAX_VERIFIED_BATCH,
        BatchNormBackward,
        BatchNormCheck,
        BatchNormForward,
        batch_norm_backward,
        batch_norm_forward,
        batch_norm_input_gradient,
        upstream_symbols,
        verify_batch_norm_backward,
        verify_graph_batch_norm,
    )
    from symdl.architectures.dropout import (
        KEEP_PROBABILITY,
        MAX_ENUMERATED_MASKS,
        MAX_LINEAR_INPUTS,
        MAX_MOMENT_PRODUCTS,
        MAX_MONTE_CARLO_SAMPLES,
        ExpectationMethod,
        GapScaling,
        GLMLoss,
        LinearDropoutModel,
        MonteCarloCheck,
        QuadraticApproximation,
        SymbolicLinearDropout,
        dropout_expectation,
        dropout_inputs,
        dropout_penalty,
        glm_dropout_loss,
        glm_loss,
        linear_dropout_any_n,
        linear_dropout_model,
        mask_symbols,
        monte_carlo_expectation,
        quadratic_approximation,
        quadratic_dropout_regulariser,
        taylor_gap_orders,
    )
    from symdl.architectures.equivariance import (
        MAX_SHIFT_CANDIDATES,
        Boundary,
        MaxPoolShift,
        ShiftCheck,
        ShiftCounterexample,
        ShiftProperty,
        WindowShift,
        check_shift_equivariance,
        check_shift_invariance,
        max_pool_shift,
        shift,
    )
    from symdl.architectures.random_weights import (
        MAX_ANGLE_DIGITS,
        MAX_ANGLE_LAYERS,
        MAX_GAUSSIAN_DRAWS,
        MAX_KERNEL_DEGREE,
        MAX_SERIES_ORDER,
        AngleSimulation,
        MonteCarloEstimate,
        angle_map_series,
        arc_cosine_derivation,
        arc_cosine_kernel,
        expected_relu_layer_distance,
        expected_relu_layer_norm,
        iterate_angle_map,
        kernel_of_angle,
        relu_angle_cosine,
        relu_angle_map,
        relu_second_moment,
        simulate_arc_cosine_kernel,
        simulate_network_angles,
        simulate_relu_layer_norm,
        vector_angle,
    )
    from symdl.architectures.receptive_fields import (
        CHANNELS,
        MAX_INPUT_UNITS,
        MAX_LAYERS,
        LayerWindow,
        ReceptiveField,
        StackComparison,
        input_units,
        layer_windows,
        receptive_field,
        stacked_versus_single,
    )

__getattr__, __dir__, __all__ = _lazy.attach(__name__, __file__)
