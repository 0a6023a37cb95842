r"""Optimization: SGD, step-size schedules and series tests, stability bounds, landscapes,
generalization, thresholding.

Its modules:

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
    from symdl.optimization.generalization import (
        GapSimulation,
        ols_expected_test_error,
        ols_expected_training_error,
        ols_generalization_gap,
        simulate_ols_gap,
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
