r"""Approximation: Fourier transforms and their conventions, Barron's constant and bound, universal
approximation, greedy networks.

Its modules:

:mod:`~symdl.approximation.fourier`
    Fourier transforms in Barron's convention, checked by quadrature.
:mod:`~symdl.approximation.fourier_quadrature`
    The Fourier integral by quadrature: the referee of every closed-form transform.
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
:mod:`~symdl.approximation.bound`
    Barron's bound :math:`(2 r C_f)^2 / n` and the approximation–estimation trade-off.
:mod:`~symdl.approximation.finiteness`
    Deciding whether Barron's constant is finite, without trusting a truncated integral.
:mod:`~symdl.approximation.gradient_bound`
    The necessary condition :math:`\sup|\nabla f| \le C_f`: a sanity check of every constant.
:mod:`~symdl.approximation.greedy`
    Barron's bound in practice: n-neuron sigmoid networks built by the relaxed greedy algorithm.
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
    from symdl.approximation.bound import (
        EstimationTradeoff,
        barron_bound,
        estimation_tradeoff,
    )
    from symdl.approximation.finiteness import (
        decay_verdict,
        integrable_images,
        smooth_radial_profile,
    )
    from symdl.approximation.fourier import (
        FourierConvention,
        FourierTransform,
        FrequencyCheck,
        TransformMethod,
        break_points,
        convert_transform,
        fourier_transform,
        numeric_transform,
        verify_transform,
    )
    from symdl.approximation.fourier_quadrature import (
        mp_function,
        parity,
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
        RadialFourierTransform,
        hankel_numeric,
        radial_fourier_transform,
        radial_profile,
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

_NAMES = {
    "FourierConvention": "symdl.approximation.fourier",
    "FourierTransform": "symdl.approximation.fourier",
    "FrequencyCheck": "symdl.approximation.fourier",
    "TransformMethod": "symdl.approximation.fourier",
    "break_points": "symdl.approximation.fourier",
    "convert_transform": "symdl.approximation.fourier",
    "fourier_transform": "symdl.approximation.fourier",
    "numeric_transform": "symdl.approximation.fourier",
    "verify_transform": "symdl.approximation.fourier",
    "mp_function": "symdl.approximation.fourier_quadrature",
    "parity": "symdl.approximation.fourier_quadrature",
    "tail_form": "symdl.approximation.fourier_quadrature",
    "TRANSFORM_TABLE": "symdl.approximation.fourier_table",
    "radial_table_transform": "symdl.approximation.fourier_table",
    "table_transform": "symdl.approximation.fourier_table",
    "RadialFourierTransform": "symdl.approximation.hankel",
    "hankel_numeric": "symdl.approximation.hankel",
    "radial_fourier_transform": "symdl.approximation.hankel",
    "radial_profile": "symdl.approximation.hankel",
    "BarronConstant": "symdl.approximation.barron",
    "barron_constant": "symdl.approximation.barron",
    "barron_constant_radial": "symdl.approximation.barron",
    "check_barron_gradient_bound": "symdl.approximation.barron",
    "check_gradient_bound": "symdl.approximation.barron",
    "max_gradient_norm": "symdl.approximation.barron",
    "smoothness_defect": "symdl.approximation.barron",
    "EstimationTradeoff": "symdl.approximation.bound",
    "barron_bound": "symdl.approximation.bound",
    "estimation_tradeoff": "symdl.approximation.bound",
    "decay_verdict": "symdl.approximation.finiteness",
    "integrable_images": "symdl.approximation.finiteness",
    "smooth_radial_profile": "symdl.approximation.finiteness",
    "BallQuadrature": "symdl.approximation.greedy",
    "GreedyNetwork": "symdl.approximation.greedy",
    "GreedyRun": "symdl.approximation.greedy",
    "ball_quadrature": "symdl.approximation.greedy",
    "greedy_approximation": "symdl.approximation.greedy",
    "plot_greedy": "symdl.approximation.greedy",
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
}
__getattr__, __dir__ = _lazy.exports(__name__, _NAMES)

__all__ = [
    "TRANSFORM_TABLE",
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
    "break_points",
    "check_barron_gradient_bound",
    "check_gradient_bound",
    "convert_transform",
    "cybenko_error_bound",
    "cybenko_sum",
    "decay_verdict",
    "estimation_tradeoff",
    "fourier_transform",
    "greedy_approximation",
    "hankel_numeric",
    "integrable_images",
    "max_gradient_norm",
    "modulus_of_continuity",
    "mp_function",
    "numeric_transform",
    "parity",
    "plot_bernstein",
    "plot_cybenko",
    "plot_greedy",
    "popoviciu_bound",
    "radial_fourier_transform",
    "radial_profile",
    "radial_table_transform",
    "second_derivative_bound",
    "smooth_radial_profile",
    "smoothness_defect",
    "sup_error",
    "table_transform",
    "tail_form",
    "unit_counts",
    "verify_transform",
]
