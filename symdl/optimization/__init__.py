r"""Optimization: SGD, step-size schedules and series tests, stability bounds, landscapes,
generalization, thresholding.

Its modules:

:mod:`~symdl.optimization.local_entropy`
    Flat minima and Entropy-SGD: the local entropy of a quadratic loss, in closed form.
:mod:`~symdl.optimization.activation_maximization`
    Activation maximization: the input of norm at most r that maximizes one unit.
:mod:`~symdl.optimization.information_bottleneck`
    The information bottleneck on a toy problem: exact mutual informations of a quantized layer.
:mod:`~symdl.optimization.learning_rules`
    The learning rules of a linear neuron: Hebb's, Oja's and the delta rule (LMS), exactly.
:mod:`~symdl.optimization.perceptron_learning`
    Rosenblatt's perceptron rule in exact arithmetic, and Novikoff's bound on its mistakes.
:mod:`~symdl.optimization.schedules`
    Learning-rate schedules and the Robbins–Monro conditions.
:mod:`~symdl.optimization.series`
    Convergence of positive series: the tests that decide :math:`\sum_t a_t`, and the sums.
:mod:`~symdl.optimization.stochastic_gradient`
    Stochastic gradient descent, as in Goodfellow, Bengio and Courville's Algorithm 8.1.
:mod:`~symdl.optimization.logistic`
    Logistic regression: the convex, smooth, Lipschitz problem of the stability experiment.
:mod:`~symdl.optimization.stability`
    Hardt, Recht and Singer's stability bounds for SGD, and the experiment that measures them.
:mod:`~symdl.optimization.landscape`
    Facts about the loss landscape: positive homogeneity and linear networks (Baldi–Hornik).
:mod:`~symdl.optimization.thresholding`
    Soft thresholding: the proximal operator of the :math:`\ell_1` norm, written with ReLUs.
:mod:`~symdl.optimization.generalization`
    The generalization error of least squares with Gaussian data, exactly and by simulation.

The names are imported from their modules on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from symdl import _lazy

if TYPE_CHECKING:
    from symdl.optimization.activation_maximization import (
        MAX_ASCENT_INPUTS,
        MAX_ASCENT_STEPS,
        AscentRun,
        UnitMaximum,
        activation_ascent,
        activation_ascent_figure,
        maximizing_input,
    )
    from symdl.optimization.generalization import (
        GapSimulation,
        ols_expected_test_error,
        ols_expected_training_error,
        ols_generalization_gap,
        simulate_ols_gap,
    )
    from symdl.optimization.information_bottleneck import (
        MAX_BOTTLENECK_OUTCOMES,
        DataProcessingCertificate,
        InformationPlanePoint,
        InformationUnit,
        conditional_mutual_information,
        data_processing_certificate,
        entropy,
        exact_log_sign,
        grouped_joint,
        hidden_layer_labels,
        information_plane_figure,
        information_plane_point,
        mutual_information,
        quantize,
    )
    from symdl.optimization.landscape import (
        AutoencoderModel,
        CriticalKind,
        CriticalPoint,
        CriticalSet,
        autoencoder_critical_points,
        autoencoder_descent,
        classify_critical_point,
        factor_positive_scale,
        homogeneity_degree,
        rank_one_autoencoder,
        scale_weights,
    )
    from symdl.optimization.learning_rules import (
        MAX_DIMENSION,
        OjaFixedPoint,
        lms_iterates,
        lms_limit,
        lms_threshold,
        oja_field,
        oja_fixed_points,
    )
    from symdl.optimization.local_entropy import (
        MAX_LOCAL_ENTROPY_DIMENSION,
        LocalEntropy,
        quadratic_local_entropy,
    )
    from symdl.optimization.logistic import (
        LogisticData,
        logistic_data,
        logistic_gradient,
        logistic_loss,
        logistic_losses,
    )
    from symdl.optimization.perceptron_learning import (
        MAX_EXAMPLES,
        MAX_SUPPORT_SETS,
        MarginCertificate,
        NovikoffBound,
        PerceptronRun,
        max_margin,
        novikoff_bound,
        perceptron,
    )
    from symdl.optimization.schedules import (
        Constant,
        ExpressionSchedule,
        InversePower,
        InverseTime,
        RobbinsMonroResult,
        Schedule,
        StepDecay,
        as_schedule,
        partial_sums_figure,
        robbins_monro,
        t,
    )
    from symdl.optimization.series import (
        STEP_SECONDS,
        SeriesVerdict,
        p_series,
        plain_text,
        positive_at_every_step,
        series_verdict,
        term_range,
    )
    from symdl.optimization.stability import (
        StabilityConfig,
        StabilityReport,
        check_convex_loss,
        hardt_bound,
        hardt_bound_nonconvex,
        stability_experiment,
        stability_figure,
    )
    from symdl.optimization.stochastic_gradient import (
        SGDRun,
        network_gradient,
        sample_path,
        sgd,
        sgd_network,
    )
    from symdl.optimization.thresholding import (
        REGIONS,
        holds_in_every_region,
        nonnegative_soft_threshold,
        proximal_objective,
        soft_threshold,
        soft_threshold_numpy,
        soft_threshold_relu,
    )

__getattr__, __dir__, __all__ = _lazy.attach(__name__, __file__)
