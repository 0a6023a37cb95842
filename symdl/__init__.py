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
    from symdl.backpropagation.matrix_form import MatrixLayer, matrix_layer
    from symdl.backpropagation.numeric_check import GradientComparison, check_gradients

    # --- backpropagation and derivations --------------------------------------------------------
    from symdl.backpropagation.reverse_mode import Backpropagation, backprop
    from symdl.backpropagation.verification import ErrorVerification

    # --- activations, losses, networks, the numeric evaluator (foundation) ----------------------
    from symdl.core import numeric
    from symdl.core.activations import ACTIVATIONS, Activation, Kink, Sigmoid, get_activation
    from symdl.core.derivation import Derivation, Reason, Relation, Remark, Step
    from symdl.core.exceptions import NotSupportedError, SymdlError
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

_NAMES = {
    "NotSupportedError": "symdl.core.exceptions",
    "SymdlError": "symdl.core.exceptions",
    "ProofResult": "symdl.publish.proving",
    "discover_proofs": "symdl.publish.proving",
    "run_proof": "symdl.publish.proving",
    "numeric": "symdl.core.numeric:",
    "ACTIVATIONS": "symdl.core.activations",
    "Activation": "symdl.core.activations",
    "Kink": "symdl.core.activations",
    "Sigmoid": "symdl.core.activations",
    "get_activation": "symdl.core.activations",
    "LOSSES": "symdl.core.losses",
    "Loss": "symdl.core.losses",
    "get_loss": "symdl.core.losses",
    "Dense": "symdl.core.network",
    "FloatConversion": "symdl.core.network",
    "Maxout": "symdl.core.network",
    "Network": "symdl.core.network",
    "SoftmaxLayer": "symdl.core.network",
    "Trace": "symdl.core.network",
    "exact_matrix": "symdl.core.network",
    "Backpropagation": "symdl.backpropagation.reverse_mode",
    "backprop": "symdl.backpropagation.reverse_mode",
    "ErrorVerification": "symdl.backpropagation.verification",
    "Derivation": "symdl.core.derivation",
    "Reason": "symdl.core.derivation",
    "Relation": "symdl.core.derivation",
    "Remark": "symdl.core.derivation",
    "Step": "symdl.core.derivation",
    "MatrixLayer": "symdl.backpropagation.matrix_form",
    "matrix_layer": "symdl.backpropagation.matrix_form",
    "LecturePrinter": "symdl.core.notation",
    "latex_expr": "symdl.core.notation",
    "GradientComparison": "symdl.backpropagation.numeric_check",
    "check_gradients": "symdl.backpropagation.numeric_check",
    "CheckOptions": "symdl.referee.equivalence",
    "Referee": "symdl.referee.equivalence",
    "SamplingInterval": "symdl.referee.equivalence",
    "GradientProblem": "symdl.grading.answers",
    "Isolation": "symdl.grading.answers",
    "Quantity": "symdl.grading.answers",
    "check_answer": "symdl.grading.answers",
    "check_gradient": "symdl.grading.answers",
    "GradeReport": "symdl.grading.batch",
    "grade": "symdl.grading.batch",
    "AmbiguousAnswerError": "symdl.grading.lexing",
    "AnswerSyntaxError": "symdl.grading.lexing",
    "ParseLimits": "symdl.grading.lexing",
    "parse_answer": "symdl.grading.parsing",
    "parse_expression": "symdl.grading.parsing",
    "load_problem": "symdl.grading.problem_files",
    "OneHot": "symdl.referee.sampling",
    "Simplex": "symdl.referee.sampling",
    "DecisionMethod": "symdl.referee.verdict",
    "Mistake": "symdl.referee.verdict",
    "Outcome": "symdl.referee.verdict",
    "Verdict": "symdl.referee.verdict",
    "ShallowResult": "symdl.depth.depth_separation",
    "first_float_failure": "symdl.depth.depth_separation",
    "float_collapse": "symdl.depth.depth_separation",
    "shallow_experiment": "symdl.depth.depth_separation",
    "folding_network": "symdl.depth.montufar",
    "general_position_network": "symdl.depth.montufar",
    "montufar_lower_bound": "symdl.depth.montufar",
    "serra_one_input_maximum": "symdl.depth.montufar",
    "zaslavsky_bound": "symdl.depth.montufar",
    "zigzag_network": "symdl.depth.montufar",
    "PiecewiseLinear": "symdl.depth.piecewise",
    "Region": "symdl.depth.regions",
    "activation_regions_1d": "symdl.depth.regions",
    "pieces_1d": "symdl.depth.regions",
    "region_boundaries_1d": "symdl.depth.regions",
    "regions_2d": "symdl.depth.regions",
    "regions_in_window": "symdl.depth.regions",
    "sample_patterns_1d": "symdl.depth.regions",
    "sample_patterns_2d": "symdl.depth.regions",
    "TentForm": "symdl.depth.telgarsky",
    "alternating_points": "symdl.depth.telgarsky",
    "check_sawtooth": "symdl.depth.telgarsky",
    "classification_error": "symdl.depth.telgarsky",
    "error_lower_bound": "symdl.depth.telgarsky",
    "network_size": "symdl.depth.telgarsky",
    "piece_bound": "symdl.depth.telgarsky",
    "sawtooth": "symdl.depth.telgarsky",
    "sawtooth_induction": "symdl.depth.telgarsky",
    "sawtooth_network": "symdl.depth.telgarsky",
    "shallow_error_bound": "symdl.depth.telgarsky",
    "tent_map": "symdl.depth.telgarsky",
    "verify_sawtooth": "symdl.depth.telgarsky",
    "width_limit": "symdl.depth.telgarsky",
    "OneHiddenLayerSum": "symdl.approximation.universal",
    "UnitCounts": "symdl.approximation.universal",
    "bernstein_polynomial": "symdl.approximation.universal",
    "cybenko_error_bound": "symdl.approximation.universal",
    "cybenko_sum": "symdl.approximation.universal",
    "modulus_of_continuity": "symdl.approximation.universal",
    "plot_bernstein": "symdl.approximation.universal",
    "plot_cybenko": "symdl.approximation.universal",
    "popoviciu_bound": "symdl.approximation.universal",
    "second_derivative_bound": "symdl.approximation.universal",
    "sup_error": "symdl.approximation.universal",
    "unit_counts": "symdl.approximation.universal",
    "BarronConstant": "symdl.approximation.barron",
    "barron_constant": "symdl.approximation.barron",
    "barron_constant_radial": "symdl.approximation.barron",
    "check_gradient_bound": "symdl.approximation.barron",
    "max_gradient_norm": "symdl.approximation.barron",
    "radial_profile": "symdl.approximation.barron",
    "smoothness_defect": "symdl.approximation.barron",
    "EstimationTradeoff": "symdl.approximation.bound",
    "barron_bound": "symdl.approximation.bound",
    "estimation_tradeoff": "symdl.approximation.bound",
    "FourierConvention": "symdl.approximation.fourier",
    "FourierTransform": "symdl.approximation.fourier",
    "FrequencyCheck": "symdl.approximation.fourier",
    "TransformMethod": "symdl.approximation.fourier",
    "convert_transform": "symdl.approximation.fourier",
    "fourier_transform": "symdl.approximation.fourier",
    "numeric_transform": "symdl.approximation.fourier",
    "verify_transform": "symdl.approximation.fourier",
    "BallQuadrature": "symdl.approximation.greedy",
    "GreedyNetwork": "symdl.approximation.greedy",
    "GreedyRun": "symdl.approximation.greedy",
    "ball_quadrature": "symdl.approximation.greedy",
    "greedy_approximation": "symdl.approximation.greedy",
    "plot_greedy": "symdl.approximation.greedy",
    "RadialFourierTransform": "symdl.approximation.hankel",
    "radial_fourier_transform": "symdl.approximation.hankel",
    "ols_generalization_gap": "symdl.optimization.generalization",
    "simulate_ols_gap": "symdl.optimization.generalization",
    "CriticalKind": "symdl.optimization.landscape",
    "autoencoder_critical_points": "symdl.optimization.landscape",
    "factor_positive_scale": "symdl.optimization.landscape",
    "homogeneity_degree": "symdl.optimization.landscape",
    "rank_one_autoencoder": "symdl.optimization.landscape",
    "scale_weights": "symdl.optimization.landscape",
    "SGDRun": "symdl.optimization.stochastic_gradient",
    "network_gradient": "symdl.optimization.stochastic_gradient",
    "sample_path": "symdl.optimization.stochastic_gradient",
    "sgd": "symdl.optimization.stochastic_gradient",
    "sgd_network": "symdl.optimization.stochastic_gradient",
    "Constant": "symdl.optimization.schedules",
    "ExpressionSchedule": "symdl.optimization.schedules",
    "InversePower": "symdl.optimization.schedules",
    "InverseTime": "symdl.optimization.schedules",
    "RobbinsMonroResult": "symdl.optimization.schedules",
    "Schedule": "symdl.optimization.schedules",
    "StepDecay": "symdl.optimization.schedules",
    "partial_sums_figure": "symdl.optimization.schedules",
    "robbins_monro": "symdl.optimization.schedules",
    "StabilityConfig": "symdl.optimization.stability",
    "StabilityReport": "symdl.optimization.stability",
    "hardt_bound": "symdl.optimization.stability",
    "hardt_bound_nonconvex": "symdl.optimization.stability",
    "stability_experiment": "symdl.optimization.stability",
    "soft_threshold": "symdl.optimization.thresholding",
    "soft_threshold_relu": "symdl.optimization.thresholding",
}

__getattr__, __dir__ = _lazy.exports(__name__, _NAMES)

__all__ = [
    # approximation: Barron, Cybenko, Stone–Weierstrass
    "BallQuadrature",
    "BarronConstant",
    "EstimationTradeoff",
    "FourierConvention",
    "FourierTransform",
    "FrequencyCheck",
    "GreedyNetwork",
    "GreedyRun",
    "OneHiddenLayerSum",
    "RadialFourierTransform",
    "TransformMethod",
    "UnitCounts",
    "ball_quadrature",
    "barron_bound",
    "barron_constant",
    "barron_constant_radial",
    "bernstein_polynomial",
    "check_gradient_bound",
    "convert_transform",
    "cybenko_error_bound",
    "cybenko_sum",
    "estimation_tradeoff",
    "fourier_transform",
    "greedy_approximation",
    "max_gradient_norm",
    "modulus_of_continuity",
    "numeric_transform",
    "plot_bernstein",
    "plot_cybenko",
    "plot_greedy",
    "popoviciu_bound",
    "radial_fourier_transform",
    "radial_profile",
    "second_derivative_bound",
    "smoothness_defect",
    "sup_error",
    "unit_counts",
    "verify_transform",
    # depth: piecewise-linear functions, Telgarsky, linear regions
    "PiecewiseLinear",
    "Region",
    "ShallowResult",
    "TentForm",
    "activation_regions_1d",
    "alternating_points",
    "check_sawtooth",
    "classification_error",
    "error_lower_bound",
    "first_float_failure",
    "float_collapse",
    "folding_network",
    "general_position_network",
    "montufar_lower_bound",
    "network_size",
    "piece_bound",
    "pieces_1d",
    "region_boundaries_1d",
    "regions_2d",
    "regions_in_window",
    "sample_patterns_1d",
    "sample_patterns_2d",
    "sawtooth",
    "sawtooth_induction",
    "sawtooth_network",
    "serra_one_input_maximum",
    "shallow_error_bound",
    "shallow_experiment",
    "tent_map",
    "verify_sawtooth",
    "width_limit",
    "zaslavsky_bound",
    "zigzag_network",
    # optimization and generalization
    "Constant",
    "ExpressionSchedule",
    "InversePower",
    "InverseTime",
    "RobbinsMonroResult",
    "SGDRun",
    "Schedule",
    "StabilityConfig",
    "StabilityReport",
    "StepDecay",
    "hardt_bound",
    "hardt_bound_nonconvex",
    "robbins_monro",
    "sample_path",
    "sgd",
    "sgd_network",
    "partial_sums_figure",
    "stability_experiment",
    "CriticalKind",
    "autoencoder_critical_points",
    "factor_positive_scale",
    "homogeneity_degree",
    "network_gradient",
    "ols_generalization_gap",
    "rank_one_autoencoder",
    "scale_weights",
    "simulate_ols_gap",
    "soft_threshold",
    "soft_threshold_relu",
    "NotSupportedError",
    "ProofResult",
    "SymdlError",
    "__version__",
    "discover_proofs",
    "run_proof",
    # foundation
    "ACTIVATIONS",
    "Activation",
    "Dense",
    "FloatConversion",
    "Kink",
    "Maxout",
    "Network",
    "Sigmoid",
    "SoftmaxLayer",
    "Trace",
    "exact_matrix",
    "get_activation",
    "numeric",
    # losses
    "LOSSES",
    "Loss",
    "get_loss",
    # backpropagation
    "Backpropagation",
    "ErrorVerification",
    "GradientComparison",
    "backprop",
    "check_gradients",
    # derivations
    "Derivation",
    "LecturePrinter",
    "Reason",
    "Relation",
    "Remark",
    "Step",
    "latex_expr",
    # backpropagation in matrix form
    "MatrixLayer",
    "matrix_layer",
    # checking hand-derived gradients
    "AmbiguousAnswerError",
    "AnswerSyntaxError",
    "CheckOptions",
    "DecisionMethod",
    "OneHot",
    "Simplex",
    "GradeReport",
    "GradientProblem",
    "Isolation",
    "Mistake",
    "Outcome",
    "ParseLimits",
    "Quantity",
    "Referee",
    "SamplingInterval",
    "Verdict",
    "check_answer",
    "check_gradient",
    "grade",
    "load_problem",
    "parse_answer",
    "parse_expression",
]
