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

__getattr__, __dir__, __all__ = _lazy.attach(__name__, __file__)
