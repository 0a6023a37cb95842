r"""The foundation: exact numbers, activations and losses, layers and networks, the independent
NumPy evaluator, notation, derivations and time limits.

Its modules:

:mod:`~symdl.core.exact`
    Exact numbers: the one converter of user values to exact numbers, and its narrowings.
:mod:`~symdl.core.exceptions`
    The exceptions symdl raises.
:mod:`~symdl.core.activations`
    Activation functions: one definition each, registered once with every form.
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
:mod:`~symdl.core.graph_operations`
    The operations of a graph network: dense, convolution, pooling, batch norm, sums,
    concatenations.
:mod:`~symdl.core.graph`
    Networks as graphs: residual blocks, branches, convolutional networks, exact expressions.
:mod:`~symdl.core.graph_description`
    Graph networks written as text (TOML) or a dict, read strictly, and written back.
:mod:`~symdl.core.numeric`
    The independent numeric evaluator: NumPy (batched, float64) and mpmath (50 digits).
:mod:`~symdl.core.numeric_graph`
    The independent numeric evaluator of graph networks: NumPy by hand, and mpmath.
:mod:`~symdl.core.notation`
    The notation of a lecture on deep learning, as a SymPy LaTeX printer.
:mod:`~symdl.core.derivation`
    Derivations: ordered steps (left side, right side, reason) rendered as a lecturer writes
    them.
:mod:`~symdl.core.registration`
    Whether a worker process knows the activations and losses its parent registered.
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
        RESERVED_PARSER_NAMES,
        Activation,
        Kink,
        PiecewiseLinearForm,
        Sigmoid,
        Softplus,
        activation_applied,
        activation_of_function,
        elu,
        get_activation,
        leaky_relu,
        parser_activations,
        pin_heaviside,
        register_activation,
        registered_activation,
        relu,
        softmax,
        unregister_activation,
    )
    from symdl.core.derivation import (
        Derivation,
        Layout,
        Reason,
        Relation,
        Remark,
        Step,
        lecture_factors,
        lecture_terms,
        math_width,
        text_width,
    )
    from symdl.core.exact import (
        FloatConversion,
        TextLimits,
        exact_fraction,
        exact_from_text,
        exact_matrix,
        exact_number,
        exact_rational,
        in_interval,
        nonnegative,
        positive,
        positive_integer,
        to_rational,
    )
    from symdl.core.exceptions import (
        NotSupportedError,
        SymdlError,
        did_you_mean,
        shown,
    )
    from symdl.core.graph import (
        MAX_BATCH,
        MAX_GRAPH_NODES,
        MAX_GRAPH_PARAMETERS,
        MAX_GRAPH_TERMS,
        MAX_GRAPH_UNITS,
        GraphNetwork,
        GraphNode,
        Node,
    )
    from symdl.core.graph_description import MAX_DESCRIPTION_CHARS, describe_graph, read_graph
    from symdl.core.graph_operations import (  # its Dense and Activation: by module path
        BATCH_NORM_EPS,
        KINDS,
        Add,
        AvgPool,
        BatchNorm,
        Concat,
        Conv,
        Flatten,
        MaxPool,
        Operation,
        PaddingMode,
        Shape,
        Softmax,
        Window,
        beta_symbol,
        conv_weight_symbol,
        gamma_symbol,
        operation_class,
        shape_text,
        unit_index,
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
        register_loss,
        registered_loss,
        unregister_loss,
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
        read_layer_activations,
        read_layer_sizes,
        refuse_softmax_twice,
    )
    from symdl.core.notation import (
        LecturePrinter,
        PlainPrinter,
        latex_expr,
        math_html,
        math_text,
        math_to_latex,
        mathjax_text,
        plain_expr,
        plain_math,
        prose_to_latex,
        safe_latex,
        statement_latex,
        statement_text,
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
    from symdl.core.numeric_graph import (
        GraphGradient,
        graph_backward,
        graph_forward,
        graph_forward_mp,
        graph_node_values,
    )
    from symdl.core.registration import (
        RegistrationMismatchError,
        registrations,
        require_registrations,
    )
    from symdl.core.special_functions import (
        LogSoftmaxEntry,
        SoftmaxEntry,
        exact_max,
        exact_sign,
    )
    from symdl.core.targets import (
        VectorLike,
        random_targets,
        validate,
        validate_batch,
        validate_targets,
    )

__getattr__, __dir__, __all__ = _lazy.attach(__name__, __file__)
