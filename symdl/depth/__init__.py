r"""Depth: exact piecewise-linear functions, linear regions and their bounds, Telgarsky's
separation.

Its modules:

:mod:`~symdl.depth.piecewise`
    Exact continuous piecewise-linear functions on the real line.
:mod:`~symdl.depth.piecewise_display`
    How a :class:`~symdl.depth.piecewise.PiecewiseLinear` function shows itself in a notebook.
:mod:`~symdl.depth.piecewise_sympy`
    Conversions of :class:`~symdl.depth.piecewise.PiecewiseLinear` functions: SymPy and
    networks.
:mod:`~symdl.depth.rational_arrays`
    Exact arrays of rational numbers, vectorised with NumPy.
:mod:`~symdl.depth.telgarsky`
    Telgarsky's sawtooth: the tent map, its ReLU networks, and depth separation.
:mod:`~symdl.depth.separation_bounds`
    Theorem 1.1 of Telgarsky (2015) in numbers: the alternating points, the classification
:mod:`~symdl.depth.depth_separation`
    The experiment behind Telgarsky's Theorem 1.1, and where float64 gives up.
:mod:`~symdl.depth.regions`
    Exact linear regions of ReLU networks with one or two inputs.
:mod:`~symdl.depth.polygons`
    Exact convex polygons in the plane, cut by lines, inside a square that may be infinite.
:mod:`~symdl.depth.region_bounds`
    Linear regions from both sides: Montúfar's lower bound, Serra's upper bound, exact counts.
:mod:`~symdl.depth.montufar`
    Bounds on the number of linear regions, and networks that attain them.

The names are imported from their modules on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from symdl import _lazy

if TYPE_CHECKING:
    from symdl.depth.depth_separation import (
        CollapsePoint,
        ShallowResult,
        first_float_failure,
        float_collapse,
        measure,
        plot_depth_separation,
        random_shallow_network,
        shallow_experiment,
        train_shallow_network,
    )
    from symdl.depth.montufar import (
        folding_network,
        general_position_network,
        montufar_lower_bound,
        serra_one_input_maximum,
        serra_upper_bound,
        zaslavsky_bound,
        zigzag_fold,
        zigzag_network,
    )
    from symdl.depth.piecewise import (
        PiecewiseLinear,
        exact_fraction,
        to_rational,
    )
    from symdl.depth.piecewise_display import (
        cases_latex,
        plot_html,
        plot_png,
    )
    from symdl.depth.piecewise_sympy import (
        ACCEPTED_ACTIVATIONS,
        affine_images,
        exact_entry,
        from_network,
        from_sympy,
        layer_functions,
        piecewise_linear_activations,
        splice,
        to_sympy,
    )
    from symdl.depth.polygons import (
        Cell,
        Far,
        Line,
        SignRecord,
        split,
        square,
    )
    from symdl.depth.rational_arrays import (
        RationalArray,
        Scalar,
    )
    from symdl.depth.region_bounds import (
        DEFAULT_CASES,
        RegionCounts,
        region_count_table,
    )
    from symdl.depth.regions import (
        Region,
        activation_regions_1d,
        pieces_1d,
        plot_regions,
        plot_regions_1d,
        region_boundaries_1d,
        regions_2d,
        regions_in_window,
        sample_patterns_1d,
        sample_patterns_2d,
    )
    from symdl.depth.separation_bounds import (
        require_count,
    )
    from symdl.depth.telgarsky import (
        MAX_K,
        NetworkSize,
        SawtoothCheck,
        TentForm,
        alternating_points,
        build_and_check_sawtooth,
        check_sawtooth,
        classification_error,
        error_lower_bound,
        network_size,
        piece_bound,
        plot_sawtooth,
        sawtooth,
        sawtooth_induction,
        sawtooth_network,
        shallow_error_bound,
        tent_map,
        verify_sawtooth,
        width_limit,
    )

__getattr__, __dir__, __all__ = _lazy.attach(__name__, __file__)
