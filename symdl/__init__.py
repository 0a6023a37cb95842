"""symdl: the mathematics of deep learning, exactly.

A neural network is an exact SymPy expression.  symdl derives its gradients symbolically
(backpropagation, neuron by neuron), verifies the classical theorems of the field with exact
arithmetic, and cross-checks every symbolic result against an independent NumPy evaluator.

The public API is listed here, grouped by topic; each name is documented in its module.
"""

from __future__ import annotations

__version__ = "0.1.0"

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
from symdl.notation import LecturePrinter, latex_expr
from symdl.testing import GradientComparison, check_gradients

# --- checking hand-derived gradients --------------------------------------------------------

# --- depth: piecewise-linear functions, Telgarsky, linear regions ---------------------------

# --- approximation: Barron, Cybenko, Stone–Weierstrass --------------------------------------

# --- optimization and generalization --------------------------------------------------------
from symdl.optim import SGDRun, sample_path, sgd
from symdl.schedules import (
    Constant,
    ExpressionSchedule,
    InversePower,
    InverseTime,
    RobbinsMonroResult,
    Schedule,
    StepDecay,
    robbins_monro,
)
from symdl.stability import (
    StabilityConfig,
    StabilityReport,
    hardt_bound,
    hardt_bound_nonconvex,
    stability_experiment,
)

__all__ = [
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
    "stability_experiment",
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
]
