r"""The referee: sample points, exact and high-precision evaluation, and the one decision procedure
"are these equal?" that every caller uses.

Its modules:

:mod:`~symdl.referee.sampling`
    Random exact points in per-variable domains, for comparing two functions by evaluation.
:mod:`~symdl.referee.constants`
    Numeric constants: cheap values with error bounds, their magnitude and their order.
:mod:`~symdl.referee.pointwise`
    Evaluating an expression at a point: exactly in the rationals, or to 50 digits.
:mod:`~symdl.referee.intervals`
    Rigorous enclosures of an expression's value at an exact point (interval arithmetic).
:mod:`~symdl.referee.kinks`
    Deciding an identity of piecewise functions symbolically, region by region of its kinks.
:mod:`~symdl.referee.equivalence`
    Deciding whether a submitted gradient equals the true one, and explaining why not.
:mod:`~symdl.referee.diagnosis`
    Naming what is wrong with a different answer, from its values: a factor, a sign, an offset.
:mod:`~symdl.referee.verdict`
    The verdict on a hand-derived gradient: outcome, reason, counterexample, feedback.

The names are imported from their modules on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from symdl import _lazy

if TYPE_CHECKING:
    from symdl.referee.constants import (
        MAX_CONSTANT_DIGITS,
        Numbers,
        UncertainError,
        UnevaluableError,
        compare_constants,
        constant_digits,
        count_nodes,
        maybe_real,
        shown,
    )
    from symdl.referee.diagnosis import (
        common_rational,
        constant_relation,
        reason,
    )
    from symdl.referee.equivalence import (
        CheckOptions,
        Referee,
    )
    from symdl.referee.intervals import (
        interval_value,
    )
    from symdl.referee.kinks import (
        KINKS,
        nonzero_regions,
        points_in_region,
        vanishes_on_regions,
    )
    from symdl.referee.pointwise import (
        MAX_ARGUMENT,
        MAX_DPS,
        PointValues,
        SingularPointError,
        UnrepresentableError,
        as_sympy,
        evaluate_at,
        exact_value,
        mp_value,
        to_mpf,
    )
    from symdl.referee.sampling import (
        Constraint,
        OneHot,
        SamplingInterval,
        Simplex,
        check_constraints,
        default_interval,
        sample_points,
    )
    from symdl.referee.verdict import (
        DecisionMethod,
        EntryVerdict,
        Mistake,
        Outcome,
        Verdict,
    )

_NAMES = {
    "Constraint": "symdl.referee.sampling",
    "check_constraints": "symdl.referee.sampling",
    "OneHot": "symdl.referee.sampling",
    "SamplingInterval": "symdl.referee.sampling",
    "Simplex": "symdl.referee.sampling",
    "default_interval": "symdl.referee.sampling",
    "sample_points": "symdl.referee.sampling",
    "MAX_CONSTANT_DIGITS": "symdl.referee.constants",
    "Numbers": "symdl.referee.constants",
    "UncertainError": "symdl.referee.constants",
    "UnevaluableError": "symdl.referee.constants",
    "compare_constants": "symdl.referee.constants",
    "constant_digits": "symdl.referee.constants",
    "count_nodes": "symdl.referee.constants",
    "maybe_real": "symdl.referee.constants",
    "shown": "symdl.referee.constants",
    "MAX_ARGUMENT": "symdl.referee.pointwise",
    "MAX_DPS": "symdl.referee.pointwise",
    "PointValues": "symdl.referee.pointwise",
    "SingularPointError": "symdl.referee.pointwise",
    "UnrepresentableError": "symdl.referee.pointwise",
    "as_sympy": "symdl.referee.pointwise",
    "evaluate_at": "symdl.referee.pointwise",
    "exact_value": "symdl.referee.pointwise",
    "mp_value": "symdl.referee.pointwise",
    "to_mpf": "symdl.referee.pointwise",
    "interval_value": "symdl.referee.intervals",
    "KINKS": "symdl.referee.kinks",
    "nonzero_regions": "symdl.referee.kinks",
    "points_in_region": "symdl.referee.kinks",
    "vanishes_on_regions": "symdl.referee.kinks",
    "CheckOptions": "symdl.referee.equivalence",
    "Referee": "symdl.referee.equivalence",
    "common_rational": "symdl.referee.diagnosis",
    "constant_relation": "symdl.referee.diagnosis",
    "reason": "symdl.referee.diagnosis",
    "DecisionMethod": "symdl.referee.verdict",
    "EntryVerdict": "symdl.referee.verdict",
    "Mistake": "symdl.referee.verdict",
    "Outcome": "symdl.referee.verdict",
    "Verdict": "symdl.referee.verdict",
}
__getattr__, __dir__ = _lazy.exports(__name__, _NAMES)

__all__ = [
    "KINKS",
    "MAX_ARGUMENT",
    "MAX_CONSTANT_DIGITS",
    "MAX_DPS",
    "CheckOptions",
    "Constraint",
    "DecisionMethod",
    "EntryVerdict",
    "Mistake",
    "Numbers",
    "OneHot",
    "Outcome",
    "PointValues",
    "Referee",
    "SamplingInterval",
    "Simplex",
    "SingularPointError",
    "UncertainError",
    "UnevaluableError",
    "UnrepresentableError",
    "Verdict",
    "as_sympy",
    "check_constraints",
    "common_rational",
    "compare_constants",
    "constant_digits",
    "constant_relation",
    "count_nodes",
    "default_interval",
    "evaluate_at",
    "exact_value",
    "interval_value",
    "maybe_real",
    "mp_value",
    "nonzero_regions",
    "points_in_region",
    "reason",
    "sample_points",
    "shown",
    "to_mpf",
    "vanishes_on_regions",
]
