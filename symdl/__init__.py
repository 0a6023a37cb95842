"""symdl: the mathematics of deep learning, exactly.

A neural network is an exact SymPy expression.  symdl derives its gradients symbolically
(backpropagation, neuron by neuron), verifies the classical theorems of the field with exact
arithmetic, and cross-checks every symbolic result against an independent NumPy evaluator.

The public API is listed here, grouped by topic; each name is documented in its module.
"""

from __future__ import annotations

__version__ = "0.1.0"

# The imports are grouped by topic, like the documentation; isort would merge the groups.
# isort: off
# --- errors ---------------------------------------------------------------------------------
from symdl.exceptions import NotSupportedError, SymdlError

# --- proofs ---------------------------------------------------------------------------------
from symdl.proving import ProofResult, discover_proofs, run_proof

# --- activations, losses, networks, the numeric evaluator (foundation) ----------------------
from symdl import numeric
from symdl.activations import ACTIVATIONS, Activation, Kink, Sigmoid, get_activation
from symdl.losses import LOSSES, Loss, get_loss
from symdl.network import (
    Dense,
    FloatConversion,
    Maxout,
    Network,
    SoftmaxLayer,
    Trace,
    exact_matrix,
)

# --- backpropagation and derivations --------------------------------------------------------
from symdl.backprop import Backpropagation, backprop
from symdl.backprop_check import ErrorVerification
from symdl.derivation import Derivation, Reason, Relation, Remark, Step
from symdl.matrix_calculus import MatrixLayer, matrix_layer
from symdl.notation import LecturePrinter, latex_expr
from symdl.testing import GradientComparison, check_gradients

# --- checking hand-derived gradients --------------------------------------------------------
from symdl.equivalence import CheckOptions, Referee, SamplingInterval
from symdl.gradcheck import GradientProblem, Isolation, Quantity, check_answer, check_gradient
from symdl.grading import GradeReport, grade
from symdl.lexing import AmbiguousAnswerError, AnswerSyntaxError, ParseLimits
from symdl.parsing import parse_answer, parse_expression
from symdl.problem_file import load_problem
from symdl.verdict import DecisionMethod, Mistake, Outcome, Verdict

# --- depth: piecewise-linear functions, Telgarsky, linear regions ---------------------------
from symdl.depth_separation import (
    ShallowResult,
    first_float_failure,
    float_collapse,
    shallow_experiment,
)
from symdl.montufar import (
    folding_network,
    general_position_network,
    montufar_lower_bound,
    serra_one_input_maximum,
    zaslavsky_bound,
    zigzag_network,
)
from symdl.piecewise import PiecewiseLinear
from symdl.regions import (
    Region,
    activation_regions_1d,
    pieces_1d,
    region_boundaries_1d,
    regions_2d,
    regions_in_window,
    sample_patterns_1d,
    sample_patterns_2d,
)
from symdl.telgarsky import (
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

# --- approximation: Barron, Cybenko, Stone–Weierstrass --------------------------------------
from symdl.approximation import (
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
from symdl.barron import (
    BarronConstant,
    barron_constant,
    barron_constant_radial,
    check_gradient_bound,
    max_gradient_norm,
    radial_profile,
    smoothness_defect,
)
from symdl.barron_bound import EstimationTradeoff, barron_bound, estimation_tradeoff
from symdl.fourier import (
    FourierConvention,
    FourierTransform,
    FrequencyCheck,
    TransformMethod,
    convert_transform,
    fourier_transform,
    numeric_transform,
    verify_transform,
)
from symdl.greedy import (
    BallQuadrature,
    GreedyNetwork,
    GreedyRun,
    ball_quadrature,
    greedy_approximation,
    plot_greedy,
)
from symdl.hankel import RadialFourierTransform, radial_fourier_transform

# --- optimization and generalization --------------------------------------------------------
from symdl.generalization import ols_generalization_gap, simulate_ols_gap
from symdl.landscape import (
    CriticalKind,
    autoencoder_critical_points,
    factor_positive_scale,
    homogeneity_degree,
    rank_one_autoencoder,
    scale_weights,
)
from symdl.optim import SGDRun, network_gradient, sample_path, sgd, sgd_network
from symdl.schedules import (
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
from symdl.stability import (
    StabilityConfig,
    StabilityReport,
    hardt_bound,
    hardt_bound_nonconvex,
    stability_experiment,
)
from symdl.thresholding import soft_threshold, soft_threshold_relu

# isort: on

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
