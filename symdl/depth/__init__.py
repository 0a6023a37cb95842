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

_NAMES = {
    "PiecewiseLinear": "symdl.depth.piecewise",
    "exact_fraction": "symdl.depth.piecewise",
    "to_rational": "symdl.depth.piecewise",
    "cases_latex": "symdl.depth.piecewise_display",
    "plot_png": "symdl.depth.piecewise_display",
    "ACCEPTED_ACTIVATIONS": "symdl.depth.piecewise_sympy",
    "affine_images": "symdl.depth.piecewise_sympy",
    "exact_entry": "symdl.depth.piecewise_sympy",
    "from_network": "symdl.depth.piecewise_sympy",
    "from_sympy": "symdl.depth.piecewise_sympy",
    "layer_functions": "symdl.depth.piecewise_sympy",
    "piecewise_linear_activations": "symdl.depth.piecewise_sympy",
    "splice": "symdl.depth.piecewise_sympy",
    "to_sympy": "symdl.depth.piecewise_sympy",
    "RationalArray": "symdl.depth.rational_arrays",
    "Scalar": "symdl.depth.rational_arrays",
    "MAX_K": "symdl.depth.telgarsky",
    "NetworkSize": "symdl.depth.telgarsky",
    "SawtoothCheck": "symdl.depth.telgarsky",
    "TentForm": "symdl.depth.telgarsky",
    "alternating_points": "symdl.depth.telgarsky",
    "build_and_check_sawtooth": "symdl.depth.telgarsky",
    "check_sawtooth": "symdl.depth.telgarsky",
    "classification_error": "symdl.depth.telgarsky",
    "error_lower_bound": "symdl.depth.telgarsky",
    "network_size": "symdl.depth.telgarsky",
    "piece_bound": "symdl.depth.telgarsky",
    "plot_sawtooth": "symdl.depth.telgarsky",
    "sawtooth": "symdl.depth.telgarsky",
    "sawtooth_induction": "symdl.depth.telgarsky",
    "sawtooth_network": "symdl.depth.telgarsky",
    "shallow_error_bound": "symdl.depth.telgarsky",
    "tent_map": "symdl.depth.telgarsky",
    "verify_sawtooth": "symdl.depth.telgarsky",
    "width_limit": "symdl.depth.telgarsky",
    "require_count": "symdl.depth.separation_bounds",
    "CollapsePoint": "symdl.depth.depth_separation",
    "ShallowResult": "symdl.depth.depth_separation",
    "first_float_failure": "symdl.depth.depth_separation",
    "float_collapse": "symdl.depth.depth_separation",
    "measure": "symdl.depth.depth_separation",
    "plot_depth_separation": "symdl.depth.depth_separation",
    "random_shallow_network": "symdl.depth.depth_separation",
    "shallow_experiment": "symdl.depth.depth_separation",
    "train_shallow_network": "symdl.depth.depth_separation",
    "Region": "symdl.depth.regions",
    "activation_regions_1d": "symdl.depth.regions",
    "pieces_1d": "symdl.depth.regions",
    "plot_regions": "symdl.depth.regions",
    "plot_regions_1d": "symdl.depth.regions",
    "region_boundaries_1d": "symdl.depth.regions",
    "regions_2d": "symdl.depth.regions",
    "regions_in_window": "symdl.depth.regions",
    "sample_patterns_1d": "symdl.depth.regions",
    "sample_patterns_2d": "symdl.depth.regions",
    "Cell": "symdl.depth.polygons",
    "Far": "symdl.depth.polygons",
    "Line": "symdl.depth.polygons",
    "SignRecord": "symdl.depth.polygons",
    "split": "symdl.depth.polygons",
    "square": "symdl.depth.polygons",
    "folding_network": "symdl.depth.montufar",
    "general_position_network": "symdl.depth.montufar",
    "montufar_lower_bound": "symdl.depth.montufar",
    "serra_one_input_maximum": "symdl.depth.montufar",
    "zaslavsky_bound": "symdl.depth.montufar",
    "zigzag_fold": "symdl.depth.montufar",
    "zigzag_network": "symdl.depth.montufar",
}
__getattr__, __dir__ = _lazy.exports(__name__, _NAMES)

__all__ = [
    "ACCEPTED_ACTIVATIONS",
    "MAX_K",
    "Cell",
    "CollapsePoint",
    "Far",
    "Line",
    "NetworkSize",
    "PiecewiseLinear",
    "RationalArray",
    "Region",
    "SawtoothCheck",
    "Scalar",
    "ShallowResult",
    "SignRecord",
    "TentForm",
    "activation_regions_1d",
    "affine_images",
    "alternating_points",
    "build_and_check_sawtooth",
    "cases_latex",
    "check_sawtooth",
    "classification_error",
    "error_lower_bound",
    "exact_entry",
    "exact_fraction",
    "first_float_failure",
    "float_collapse",
    "folding_network",
    "from_network",
    "from_sympy",
    "general_position_network",
    "layer_functions",
    "measure",
    "montufar_lower_bound",
    "network_size",
    "piece_bound",
    "pieces_1d",
    "piecewise_linear_activations",
    "plot_depth_separation",
    "plot_png",
    "plot_regions",
    "plot_regions_1d",
    "plot_sawtooth",
    "random_shallow_network",
    "region_boundaries_1d",
    "regions_2d",
    "regions_in_window",
    "require_count",
    "sample_patterns_1d",
    "sample_patterns_2d",
    "sawtooth",
    "sawtooth_induction",
    "sawtooth_network",
    "serra_one_input_maximum",
    "shallow_error_bound",
    "shallow_experiment",
    "splice",
    "split",
    "square",
    "tent_map",
    "to_rational",
    "to_sympy",
    "train_shallow_network",
    "verify_sawtooth",
    "width_limit",
    "zaslavsky_bound",
    "zigzag_fold",
    "zigzag_network",
]
