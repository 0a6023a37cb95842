r"""Optimization: SGD, step-size schedules and series tests, stability bounds, landscapes,
generalization, thresholding.

Its modules:

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
        autoencoder_critical_points,
        autoencoder_descent,
        classify_critical_point,
        factor_positive_scale,
        homogeneity_degree,
        rank_one_autoencoder,
        scale_weights,
    )
    from symdl.optimization.logistic import (
        LogisticData,
        logistic_data,
        logistic_gradient,
        logistic_loss,
        logistic_losses,
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
        SeriesVerdict,
        p_series,
        series_verdict,
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

_NAMES = {
    "Constant": "symdl.optimization.schedules",
    "ExpressionSchedule": "symdl.optimization.schedules",
    "InversePower": "symdl.optimization.schedules",
    "InverseTime": "symdl.optimization.schedules",
    "RobbinsMonroResult": "symdl.optimization.schedules",
    "Schedule": "symdl.optimization.schedules",
    "StepDecay": "symdl.optimization.schedules",
    "as_schedule": "symdl.optimization.schedules",
    "partial_sums_figure": "symdl.optimization.schedules",
    "robbins_monro": "symdl.optimization.schedules",
    "t": "symdl.optimization.schedules",
    "SeriesVerdict": "symdl.optimization.series",
    "p_series": "symdl.optimization.series",
    "series_verdict": "symdl.optimization.series",
    "SGDRun": "symdl.optimization.stochastic_gradient",
    "network_gradient": "symdl.optimization.stochastic_gradient",
    "sample_path": "symdl.optimization.stochastic_gradient",
    "sgd": "symdl.optimization.stochastic_gradient",
    "sgd_network": "symdl.optimization.stochastic_gradient",
    "LogisticData": "symdl.optimization.logistic",
    "logistic_data": "symdl.optimization.logistic",
    "logistic_gradient": "symdl.optimization.logistic",
    "logistic_loss": "symdl.optimization.logistic",
    "logistic_losses": "symdl.optimization.logistic",
    "StabilityConfig": "symdl.optimization.stability",
    "StabilityReport": "symdl.optimization.stability",
    "check_convex_loss": "symdl.optimization.stability",
    "hardt_bound": "symdl.optimization.stability",
    "hardt_bound_nonconvex": "symdl.optimization.stability",
    "stability_experiment": "symdl.optimization.stability",
    "stability_figure": "symdl.optimization.stability",
    "AutoencoderModel": "symdl.optimization.landscape",
    "CriticalKind": "symdl.optimization.landscape",
    "CriticalPoint": "symdl.optimization.landscape",
    "autoencoder_critical_points": "symdl.optimization.landscape",
    "autoencoder_descent": "symdl.optimization.landscape",
    "classify_critical_point": "symdl.optimization.landscape",
    "factor_positive_scale": "symdl.optimization.landscape",
    "homogeneity_degree": "symdl.optimization.landscape",
    "rank_one_autoencoder": "symdl.optimization.landscape",
    "scale_weights": "symdl.optimization.landscape",
    "REGIONS": "symdl.optimization.thresholding",
    "holds_in_every_region": "symdl.optimization.thresholding",
    "nonnegative_soft_threshold": "symdl.optimization.thresholding",
    "proximal_objective": "symdl.optimization.thresholding",
    "soft_threshold": "symdl.optimization.thresholding",
    "soft_threshold_numpy": "symdl.optimization.thresholding",
    "soft_threshold_relu": "symdl.optimization.thresholding",
    "GapSimulation": "symdl.optimization.generalization",
    "ols_expected_test_error": "symdl.optimization.generalization",
    "ols_expected_training_error": "symdl.optimization.generalization",
    "ols_generalization_gap": "symdl.optimization.generalization",
    "simulate_ols_gap": "symdl.optimization.generalization",
}
__getattr__, __dir__ = _lazy.exports(__name__, _NAMES)

__all__ = [
    "REGIONS",
    "AutoencoderModel",
    "Constant",
    "CriticalKind",
    "CriticalPoint",
    "ExpressionSchedule",
    "GapSimulation",
    "InversePower",
    "InverseTime",
    "LogisticData",
    "RobbinsMonroResult",
    "SGDRun",
    "Schedule",
    "SeriesVerdict",
    "StabilityConfig",
    "StabilityReport",
    "StepDecay",
    "as_schedule",
    "autoencoder_critical_points",
    "autoencoder_descent",
    "check_convex_loss",
    "classify_critical_point",
    "factor_positive_scale",
    "hardt_bound",
    "hardt_bound_nonconvex",
    "holds_in_every_region",
    "homogeneity_degree",
    "logistic_data",
    "logistic_gradient",
    "logistic_loss",
    "logistic_losses",
    "network_gradient",
    "nonnegative_soft_threshold",
    "ols_expected_test_error",
    "ols_expected_training_error",
    "ols_generalization_gap",
    "p_series",
    "partial_sums_figure",
    "proximal_objective",
    "rank_one_autoencoder",
    "robbins_monro",
    "sample_path",
    "scale_weights",
    "series_verdict",
    "sgd",
    "sgd_network",
    "simulate_ols_gap",
    "soft_threshold",
    "soft_threshold_numpy",
    "soft_threshold_relu",
    "stability_experiment",
    "stability_figure",
    "t",
]
