r"""The foundation: exact numbers, activations and losses, layers and networks, the independent
NumPy evaluator, notation, derivations and time limits.

Its modules:

:mod:`~symdl.core.exact`
    Exact numbers: converting user values (ints, fractions, floats on request) to SymPy.
:mod:`~symdl.core.exceptions`
    The exceptions symdl raises.
:mod:`~symdl.core.activations`
    Activation functions: one definition each, with its derivative and kink convention.
:mod:`~symdl.core.special_functions`
    The functions that SymPy lacks, as named SymPy functions: σ, softplus, ELU, the softmax.
:mod:`~symdl.core.losses`
    Loss functions: the twelve classification losses of Janocha & Czarnecki, MSE and BCE.
:mod:`~symdl.core.targets`
    Outputs and targets of a loss: the kinds of target, and the checks of bad input.
:mod:`~symdl.core.layers`
    The layers of a feed-forward network and the symbols of their parameters.
:mod:`~symdl.core.network`
    Feed-forward networks as exact SymPy expressions.
:mod:`~symdl.core.numeric`
    The independent numeric evaluator: NumPy (batched, float64) and mpmath (50 digits).
:mod:`~symdl.core.notation`
    The notation of a lecture on deep learning, as a SymPy LaTeX printer.
:mod:`~symdl.core.derivation`
    Derivations: ordered steps (left side, right side, reason) rendered as a lecturer writes
    them.
:mod:`~symdl.core.limits`
    Real limits on a check: an interrupting timer, and a worker process with time and memory
    limits.

The names are imported from their modules on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from symdl import _lazy

if TYPE_CHECKING:
    from symdl.core.activations import (
        ACTIVATIONS,
        ELU,
        Activation,
        Kink,
        Sigmoid,
        Softplus,
        elu,
        get_activation,
        leaky_relu,
        pin_heaviside,
        relu,
        softmax,
    )
    from symdl.core.derivation import (
        Derivation,
        Reason,
        Relation,
        Remark,
        Step,
    )
    from symdl.core.exact import (
        FloatConversion,
        exact_matrix,
        exact_number,
    )
    from symdl.core.exceptions import (
        NotSupportedError,
        SymdlError,
    )
    from symdl.core.layers import (
        Dense,
        Layer,
        Maxout,
        SoftmaxLayer,
        bias_symbol,
        input_symbols,
        symbolic_bias,
        symbolic_matrix,
        weight_symbol,
    )
    from symdl.core.limits import (
        MEMORY_LIMIT,
        MemoryLimitExceededError,
        TimeLimitExceededError,
        UnguardedMainError,
        WorkerError,
        WorkerStartError,
        can_interrupt,
        deadline,
        limit_memory,
        process_context,
        run_isolated,
        unguarded_main,
    )
    from symdl.core.losses import (
        LOSSES,
        Loss,
        Target,
        get_loss,
    )
    from symdl.core.network import (
        MAX_TEXT_DEPTH,
        MAX_TEXT_PARAMETERS,
        MAX_TEXT_WIDTH,
        SOFTMAX_LOSSES,
        Network,
        Trace,
        applies_softmax,
        mlp_parameter_count,
        read_layer_sizes,
        refuse_softmax_twice,
    )
    from symdl.core.notation import (
        LecturePrinter,
        PlainPrinter,
        latex_expr,
        math_html,
        math_to_latex,
        mathjax_text,
        plain_expr,
        plain_math,
        prose_to_latex,
        safe_latex,
    )
    from symdl.core.numeric import (
        backward,
        backward_arrays,
        directional_difference,
        forward,
        forward_mp,
        forward_trace,
        layer_arrays,
        loss_gradient,
        mean_loss,
        parameter_gradient,
    )
    from symdl.core.special_functions import (
        LogSoftmaxEntry,
        SoftmaxEntry,
        exact_max,
        exact_sign,
    )
    from symdl.core.targets import (
        VectorLike,
        validate,
        validate_batch,
        validate_targets,
    )

_NAMES = {
    "FloatConversion": "symdl.core.exact",
    "exact_matrix": "symdl.core.exact",
    "exact_number": "symdl.core.exact",
    "NotSupportedError": "symdl.core.exceptions",
    "SymdlError": "symdl.core.exceptions",
    "ACTIVATIONS": "symdl.core.activations",
    "ELU": "symdl.core.activations",
    "Activation": "symdl.core.activations",
    "Kink": "symdl.core.activations",
    "Sigmoid": "symdl.core.activations",
    "Softplus": "symdl.core.activations",
    "elu": "symdl.core.activations",
    "get_activation": "symdl.core.activations",
    "leaky_relu": "symdl.core.activations",
    "pin_heaviside": "symdl.core.activations",
    "relu": "symdl.core.activations",
    "softmax": "symdl.core.activations",
    "LogSoftmaxEntry": "symdl.core.special_functions",
    "SoftmaxEntry": "symdl.core.special_functions",
    "exact_max": "symdl.core.special_functions",
    "exact_sign": "symdl.core.special_functions",
    "LOSSES": "symdl.core.losses",
    "Loss": "symdl.core.losses",
    "Target": "symdl.core.losses",
    "get_loss": "symdl.core.losses",
    "VectorLike": "symdl.core.targets",
    "validate": "symdl.core.targets",
    "validate_batch": "symdl.core.targets",
    "validate_targets": "symdl.core.targets",
    "Dense": "symdl.core.layers",
    "Layer": "symdl.core.layers",
    "Maxout": "symdl.core.layers",
    "SoftmaxLayer": "symdl.core.layers",
    "bias_symbol": "symdl.core.layers",
    "input_symbols": "symdl.core.layers",
    "symbolic_bias": "symdl.core.layers",
    "symbolic_matrix": "symdl.core.layers",
    "weight_symbol": "symdl.core.layers",
    "MAX_TEXT_DEPTH": "symdl.core.network",
    "MAX_TEXT_PARAMETERS": "symdl.core.network",
    "MAX_TEXT_WIDTH": "symdl.core.network",
    "SOFTMAX_LOSSES": "symdl.core.network",
    "Network": "symdl.core.network",
    "Trace": "symdl.core.network",
    "applies_softmax": "symdl.core.network",
    "mlp_parameter_count": "symdl.core.network",
    "read_layer_sizes": "symdl.core.network",
    "refuse_softmax_twice": "symdl.core.network",
    "backward": "symdl.core.numeric",
    "backward_arrays": "symdl.core.numeric",
    "directional_difference": "symdl.core.numeric",
    "forward": "symdl.core.numeric",
    "forward_mp": "symdl.core.numeric",
    "forward_trace": "symdl.core.numeric",
    "layer_arrays": "symdl.core.numeric",
    "loss_gradient": "symdl.core.numeric",
    "mean_loss": "symdl.core.numeric",
    "parameter_gradient": "symdl.core.numeric",
    "LecturePrinter": "symdl.core.notation",
    "PlainPrinter": "symdl.core.notation",
    "latex_expr": "symdl.core.notation",
    "math_html": "symdl.core.notation",
    "math_to_latex": "symdl.core.notation",
    "mathjax_text": "symdl.core.notation",
    "plain_expr": "symdl.core.notation",
    "plain_math": "symdl.core.notation",
    "prose_to_latex": "symdl.core.notation",
    "safe_latex": "symdl.core.notation",
    "Derivation": "symdl.core.derivation",
    "Reason": "symdl.core.derivation",
    "Relation": "symdl.core.derivation",
    "Remark": "symdl.core.derivation",
    "Step": "symdl.core.derivation",
    "MEMORY_LIMIT": "symdl.core.limits",
    "MemoryLimitExceededError": "symdl.core.limits",
    "TimeLimitExceededError": "symdl.core.limits",
    "UnguardedMainError": "symdl.core.limits",
    "WorkerError": "symdl.core.limits",
    "WorkerStartError": "symdl.core.limits",
    "can_interrupt": "symdl.core.limits",
    "deadline": "symdl.core.limits",
    "limit_memory": "symdl.core.limits",
    "process_context": "symdl.core.limits",
    "run_isolated": "symdl.core.limits",
    "unguarded_main": "symdl.core.limits",
}
__getattr__, __dir__ = _lazy.exports(__name__, _NAMES)

__all__ = [
    "ACTIVATIONS",
    "ELU",
    "LOSSES",
    "MAX_TEXT_DEPTH",
    "MAX_TEXT_PARAMETERS",
    "MAX_TEXT_WIDTH",
    "MEMORY_LIMIT",
    "SOFTMAX_LOSSES",
    "Activation",
    "Dense",
    "Derivation",
    "FloatConversion",
    "Kink",
    "Layer",
    "LecturePrinter",
    "LogSoftmaxEntry",
    "Loss",
    "Maxout",
    "MemoryLimitExceededError",
    "Network",
    "NotSupportedError",
    "PlainPrinter",
    "Reason",
    "Relation",
    "Remark",
    "Sigmoid",
    "SoftmaxEntry",
    "SoftmaxLayer",
    "Softplus",
    "Step",
    "SymdlError",
    "Target",
    "TimeLimitExceededError",
    "Trace",
    "UnguardedMainError",
    "VectorLike",
    "WorkerError",
    "WorkerStartError",
    "applies_softmax",
    "backward",
    "backward_arrays",
    "bias_symbol",
    "can_interrupt",
    "deadline",
    "directional_difference",
    "elu",
    "exact_matrix",
    "exact_max",
    "exact_number",
    "exact_sign",
    "forward",
    "forward_mp",
    "forward_trace",
    "get_activation",
    "get_loss",
    "input_symbols",
    "latex_expr",
    "layer_arrays",
    "leaky_relu",
    "limit_memory",
    "loss_gradient",
    "math_html",
    "math_to_latex",
    "mathjax_text",
    "mean_loss",
    "mlp_parameter_count",
    "parameter_gradient",
    "pin_heaviside",
    "plain_expr",
    "plain_math",
    "process_context",
    "prose_to_latex",
    "read_layer_sizes",
    "refuse_softmax_twice",
    "relu",
    "run_isolated",
    "safe_latex",
    "softmax",
    "symbolic_bias",
    "symbolic_matrix",
    "unguarded_main",
    "validate",
    "validate_batch",
    "validate_targets",
    "weight_symbol",
]
