"""The answer checker against an independent, hand-written corpus (tests/referee_corpus.py).

Each case's expected outcome was derived by hand; the checker must reach it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from referee_corpus import CASES, PROBLEMS, Case, Category, problem

from symdl.grading.answers import Isolation, check_gradient
from symdl.referee.equivalence import CheckOptions
from symdl.referee.verdict import Outcome, Verdict

NUMERIC_ONLY = CheckOptions(symbolic_seconds=0)


def judge(case: Case) -> Verdict:
    """Check ``case.answer`` as a user would: ``check_gradient`` on the problem's arguments."""
    p = problem(case.problem)
    extra: dict[str, Any] = {}
    if p.constraint is not None:
        extra["constraints"] = p.constraints()
    return check_gradient(
        p.f,
        case.answer,
        wrt=p.wrt,
        loss=p.loss,
        domains=p.domains,
        options=None if case.symbolic else NUMERIC_ONLY,
        isolation=Isolation.NONE,
        **extra,
    )


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_corpus_case_gets_its_hand_derived_verdict(case: Case) -> None:
    verdict = judge(case)
    assert verdict.outcome is case.expected, (
        f"{case.id}: {case.answer!r} should be {case.expected.name} ({case.why})\n{verdict}"
    )
    if case.conditional is not None:
        conditions = verdict.conditions
        assert bool(conditions) is case.conditional, (
            f"{case.id}: conditions {conditions!r}; expected "
            f"{'some' if case.conditional else 'none'} ({case.why})"
        )


def test_corpus_is_large_and_covers_every_category() -> None:
    assert len(CASES) >= 150
    ids = [case.id for case in CASES]
    assert len(set(ids)) == len(ids), [i for i, n in Counter(ids).items() if n > 1]
    assert {case.problem for case in CASES} <= set(PROBLEMS)
    assert set(PROBLEMS) <= {case.problem for case in CASES}, "a problem without answers"
    categories = Counter(case.category for case in CASES)
    assert set(categories) == set(Category)
    assert all(count >= 5 for count in categories.values()), categories
    assert {case.expected for case in CASES} == {
        Outcome.EQUIVALENT,
        Outcome.DIFFERENT,
        Outcome.NOT_COMPARABLE,
    }
    assert sum(not case.symbolic for case in CASES) >= 20
    assert sum(case.conditional is not None for case in CASES) >= 5
    for outcome in (Outcome.EQUIVALENT, Outcome.DIFFERENT):
        numeric = [c for c in CASES if not c.symbolic and c.expected is outcome]
        assert len(numeric) >= 5, f"too few {outcome.name} cases for the numeric stages"
