"""symdl: the mathematics of deep learning, exactly.

A neural network is an exact SymPy expression.  symdl derives its gradients symbolically
(backpropagation, neuron by neuron), verifies the classical theorems of the field with exact
arithmetic, and cross-checks every symbolic result against an independent NumPy evaluator.

The public API is listed here, grouped by topic; each name is documented in its module.
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING

from symdl import _lazy, _legacy

_legacy.install()  # the module paths before the subpackages, for one release (deprecated)

# The public names, grouped by topic like the documentation.  They are imported lazily, on
# first use (PEP 562): importing symdl loads neither matplotlib nor Sphinx nor the parser.
if TYPE_CHECKING:
    # --- errors ---------------------------------------------------------------------------------
    from symdl.approximation.barron import (
        BarronConstant,
        barron_constant,
        barron_constant_radial,
        check_barron_gradient_bound,
        check_gradient_bound,
        max_gradient_norm,
        radial_profile,
        smoothness_defect,
    )
    from symdl.approximation.bound import EstimationTradeoff, barron_bound, estimation_tradeoff
    from symdl.approximation.fourier import (
        FourierConvention,
        FourierTransform,
        FrequencyCheck,
        TransformMethod,
        convert_transform,
        fourier_transform,
        numeric_transform,
        verify_transform,
    )
    from symdl.approximation.greedy import (
        BallQuadrature,
        GreedyNetwork,
        GreedyRun,
        ball_quadrature,
        greedy_approximation,
        plot_greedy,
    )
    from symdl.approximation.hankel import RadialFourierTransform, radial_fourier_transform

    # --- approximation: Barron, Cybenko, Stone–Weierstrass --------------------------------------
    from symdl.approximation.universal import (
        OneHiddenLayerSum,
        UnitCounts,
        bernstein_polynomial,
        cybenko_error_bound,
        cybenko_sum,
        modulus_of_continuity,
        plot_bernstein,
        plot_cybenko,
        popoviciu_bound,
        second_derivative_bound,
        sup_error,
        unit_counts,
    )

    # --- architectures: convolution, pooling, batch norm, dropout -------------------------------
    from symdl.architectures.batch_norm import verify_batch_norm_backward
    from symdl.architectures.dropout import dropout_expectation, linear_dropout_model
    from symdl.architectures.equivariance import check_shift_equivariance, check_shift_invariance
    from symdl.architectures.random_weights import arc_cosine_kernel, relu_angle_map
    from symdl.architectures.receptive_fields import receptive_field, stacked_versus_single
    from symdl.backpropagation.graph_mode import GraphBackpropagation
    from symdl.backpropagation.matrix_form import MatrixLayer, matrix_layer
    from symdl.backpropagation.numeric_check import (
        GradientComparison,
        check_gradients,
        cross_check_gradients,
    )

    # --- backpropagation and derivations --------------------------------------------------------
    from symdl.backpropagation.reverse_mode import Backpropagation, backprop
    from symdl.backpropagation.verification import DeltaVerification, ErrorVerification

    # --- activations, losses, networks, the numeric evaluator (foundation) ----------------------
    from symdl.core import numeric
    from symdl.core.activations import ACTIVATIONS, Activation, Kink, Sigmoid, get_activation
    from symdl.core.derivation import Derivation, Reason, Relation, Remark, Step
    from symdl.core.exceptions import NotSupportedError, SymdlError
    from symdl.core.graph import GraphNetwork, Node
    from symdl.core.graph_description import describe_graph, read_graph
    from symdl.core.losses import LOSSES, Loss, get_loss
    from symdl.core.network import (
        Dense,
        FloatConversion,
        Maxout,
        Network,
        SoftmaxLayer,
        Trace,
        exact_matrix,
    )
    from symdl.core.notation import LecturePrinter, latex_expr

    # --- depth: piecewise-linear functions, Telgarsky, linear regions ---------------------------
    from symdl.depth.depth_separation import (
        ShallowResult,
        first_float_failure,
        float_collapse,
        shallow_experiment,
    )
    from symdl.depth.montufar import (
        folding_network,
        general_position_network,
        montufar_lower_bound,
        serra_one_input_maximum,
        zaslavsky_bound,
        zigzag_network,
    )
    from symdl.depth.piecewise import PiecewiseLinear
    from symdl.depth.regions import (
        Region,
        activation_regions_1d,
        pieces_1d,
        region_boundaries_1d,
        regions_2d,
        regions_in_window,
        sample_patterns_1d,
        sample_patterns_2d,
    )
    from symdl.depth.telgarsky import (
        TentForm,
        alternating_points,
        build_and_check_sawtooth,
        check_sawtooth,
        classification_error,
        error_lower_bound,
        network_size,
        piece_bound,
        sawtooth,
        sawtooth_induction,
        sawtooth_network,
        shallow_error_bound,
        tent_map,
        verify_sawtooth,
        width_limit,
    )
    from symdl.grading.answers import (
        GradientProblem,
        Isolation,
        Quantity,
        check_answer,
        check_gradient,
    )
    from symdl.grading.batch import GradeReport, grade
    from symdl.grading.lexing import AmbiguousAnswerError, AnswerSyntaxError, ParseLimits
    from symdl.grading.notebooks import assert_gradient
    from symdl.grading.parsing import parse_answer, parse_expression
    from symdl.grading.problem_files import load_problem

    # --- optimization and generalization --------------------------------------------------------
    from symdl.optimization.generalization import ols_generalization_gap, simulate_ols_gap
    from symdl.optimization.landscape import (
        CriticalKind,
        autoencoder_critical_points,
        factor_positive_scale,
        homogeneity_degree,
        rank_one_autoencoder,
        scale_weights,
    )
    from symdl.optimization.schedules import (
        Constant,
        ExpressionSchedule,
        InversePower,
        InverseTime,
        RobbinsMonroResult,
        Schedule,
        StepDecay,
        partial_sums_figure,
        robbins_monro,
    )
    from symdl.optimization.stability import (
        StabilityConfig,
        StabilityReport,
        hardt_bound,
        hardt_bound_nonconvex,
        stability_experiment,
    )
    from symdl.optimization.stochastic_gradient import (
        SGDRun,
        network_gradient,
        sample_path,
        sgd,
        sgd_network,
    )
    from symdl.optimization.thresholding import soft_threshold, soft_threshold_relu

    # --- proofs ---------------------------------------------------------------------------------
    from symdl.publish.proving import ProofResult, discover_proofs, run_proof

    # --- checking hand-derived gradients --------------------------------------------------------
    from symdl.referee.equivalence import CheckOptions, Referee, SamplingInterval
    from symdl.referee.sampling import OneHot, Simplex
    from symdl.referee.verdict import DecisionMethod, Mistake, Outcome, Verdict


__getattr__, __dir__, _public = _lazy.attach(__name__, __file__)
__all__ = ["__version__", *_public]
del _public
