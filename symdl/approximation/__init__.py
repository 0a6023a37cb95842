r"""Approximation: Fourier transforms and their conventions, Barron's constant and bound, universal
approximation, greedy networks.

Its modules:

:mod:`~symdl.approximation.fourier`
    Fourier transforms in Barron's convention, checked by quadrature.
:mod:`~symdl.approximation.fourier_quadrature`
    The Fourier integral by quadrature: the referee of every closed-form transform.
:mod:`~symdl.approximation.fourier_numeric`
    The numeric Fourier route: two independent rules that must agree, for functions SymPy cannot
    transform.
:mod:`~symdl.approximation.fourier_table`
    Closed-form Fourier transforms: the table consulted before SymPy's integral.
:mod:`~symdl.approximation.hankel`
    Fourier transforms of radial functions on :math:`\mathbb{R}^d`, through the Hankel
    transform.
:mod:`~symdl.approximation.barron`
    Barron's constant :math:`C_f`: the entry point, dispatching by the shape of ``f``.
:mod:`~symdl.approximation.barron_value`
    The constant as a value (exact, numeric with its error, the reason) and its quadrature.
:mod:`~symdl.approximation.barron_line`
    :math:`C_f` of a function of one variable.
:mod:`~symdl.approximation.barron_radial`
    :math:`C_f` of a radial function on :math:`\mathbb{R}^d`, the dimension possibly symbolic.
:mod:`~symdl.approximation.barron_multivariate`
    :math:`C_f` of a function of several variables that is not radial: quadratic forms,
    polynomials times Gaussians, products, cubature confirmed by a second method.
:mod:`~symdl.approximation.bound`
    Barron's bound :math:`(2 r C_f)^2 / n` and the approximation–estimation trade-off.
:mod:`~symdl.approximation.finiteness`
    Deciding whether Barron's constant is finite, without trusting a truncated integral.
:mod:`~symdl.approximation.gradient_bound`
    The necessary condition :math:`\sup|\nabla f| \le C_f`: a sanity check of every constant.
:mod:`~symdl.approximation.greedy`
    Barron's bound in practice: n-neuron sigmoid networks built by the relaxed greedy algorithm.
:mod:`~symdl.approximation.curse_of_dimensionality`
    The curse of dimensionality made concrete, beside Barron's dimension-free rate.
:mod:`~symdl.approximation.universal_plane`
    Universal approximation on the square, exactly: Cybenko's sums in two variables, decision
    regions, sigmoidal functions.
:mod:`~symdl.approximation.universal`
    Universal approximation made constructive: Cybenko sums, Bernstein polynomials, unit counts.

The names are imported from their modules on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from symdl import _lazy

if TYPE_CHECKING:
    from symdl.approximation.barron import (
        BarronConstant,
        barron_constant,
        barron_constant_radial,
        check_barron_gradient_bound,
        check_gradient_bound,
        max_gradient_norm,
        smoothness_defect,
    )
    from symdl.approximation.barron_multivariate import (
        barron_constant_multivariate,
        gaussian_polynomial_transform,
        sphere_mean_norm,
    )
    from symdl.approximation.barron_radial import (
        gaussian_abs_integral,
        radial_integral,
    )
    from symdl.approximation.barron_value import (
        ConstantStatus,
        ModulusIntegral,
        modulus,
        modulus_integral,
    )
    from symdl.approximation.bound import (
        EstimationTradeoff,
        barron_bound,
        estimation_tradeoff,
    )
    from symdl.approximation.curse_of_dimensionality import (
        DimensionCounts,
        barron_units,
        grid_cells,
        unit_count_table,
    )
    from symdl.approximation.finiteness import (
        SmoothnessReport,
        decay_verdict,
        integrable_images,
        smooth_radial_profile,
        smoothness_report,
        third_derivative_decay,
    )
    from symdl.approximation.fourier import (
        FourierConvention,
        FourierTransform,
        FrequencyCheck,
        TransformMethod,
        break_points,
        check_frequencies,
        closed_form_values,
        convert_transform,
        fourier_transform,
        numeric_transform,
        stable_form,
        verify_transform,
    )
    from symdl.approximation.fourier_numeric import (
        NumericConstant,
        numeric_barron_constant,
    )
    from symdl.approximation.fourier_quadrature import (
        central_mass,
        frequency_components,
        mp_function,
        parity,
        smooth_pieces,
        tail_form,
    )
    from symdl.approximation.fourier_table import (
        TRANSFORM_TABLE,
        radial_table_transform,
        table_transform,
    )
    from symdl.approximation.greedy import (
        BallQuadrature,
        GreedyNetwork,
        GreedyRun,
        ball_quadrature,
        greedy_approximation,
        plot_greedy,
    )
    from symdl.approximation.hankel import (
        ParsevalCheck,
        RadialFourierTransform,
        hankel_numeric,
        quadratic_form_profile,
        radial_fourier_transform,
        radial_length_scale,
        radial_profile,
        radial_table,
        transform_function,
    )
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
    from symdl.approximation.universal_plane import (
        DecisionConstruction,
        DecisionNetwork,
        ExactSigmoid,
        GridError,
        PlaneApproximation,
        PlaneNetwork,
        PlanePartition,
        PlaneUnit,
        RidgeTerm,
        SigmoidalCheck,
        SigmoidalVerdict,
        bernstein_plane,
        check_sigmoidal,
        checkerboard,
        cybenko_plane,
        decision_network,
        grid_error,
        grid_partition,
        misclassified_measure,
        parity_network,
        plane_partition,
        polynomial_lipschitz_bound,
        ridge_decomposition,
        steep_ramps,
        threshold_network,
    )

__getattr__, __dir__, __all__ = _lazy.attach(__name__, __file__)
