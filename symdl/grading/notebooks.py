r"""Gradients checked in a notebook's autograder test cell (nbgrader, Otter-Grader), and the
plain-text explanation of a verdict that every autograder adapter shows.

nbgrader and Otter-Grader grade a notebook by running its test cells: a test passes when its
cell runs without an exception, and fails with the exception's message.  :func:`assert_gradient`
is such a test: it decides a student's gradient with
:func:`~symdl.grading.answers.check_gradient` and raises :class:`AssertionError` whose message
is the verdict's explanation (the named mistake and a point where the answer is wrong, in the
lecture's notation); it returns the :class:`~symdl.referee.verdict.Verdict` when the answer is
right.

:func:`explanation` is that text, written once for every autograder: a failed assertion here,
a Gradescope test's output (:mod:`symdl.grading.gradescope`) and PrairieLearn's feedback
(:mod:`symdl.grading.prairielearn`).  How much it tells is a :class:`Feedback`: by default
the reason and the counterexample, not the difference ``submitted − true``, from which a
student could read off the true gradient before the deadline.

References
----------
nbgrader, *Autograder tests*: a test cell fails when it raises, and its traceback is the
feedback (https://nbgrader.readthedocs.io/en/stable/user_guide/creating_and_grading_assignments.html).
Otter-Grader, *Otter Assign notebook format*: test cells between ``# BEGIN TESTS`` and
``# END TESTS``; an OK-format test passes when the cell prints what it printed in the master
notebook (https://otter-grader.readthedocs.io/en/latest/otter_assign/notebook_format.html).

Examples
--------
>>> import sympy as sp
>>> w, x = sp.symbols("w x", real=True)
>>> assert_gradient("x sech^2(w x)", sp.tanh(w * x), w).correct
True
>>> assert_gradient("2 x sech^2(w x)", sp.tanh(w * x), w)
Traceback (most recent call last):
...
AssertionError: DIFFERENT: the answer is 2 times the gradient (a constant factor)
  at w = ..., x = ...: true value ..., submitted ...
  your answer, as read: 2 x sech²(w x)
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import sympy as sp

from symdl.core.exact import FloatConversion, exact_number
from symdl.grading.answers import GradientProblem, Isolation, check_gradient
from symdl.referee.equivalence import CheckOptions, SamplingInterval
from symdl.referee.sampling import Constraint
from symdl.referee.verdict import Outcome, Verdict

__all__ = ["Feedback", "assert_gradient", "explanation"]

#: The longest echo of an answer "as read" in an explanation (characters).
MAX_ECHO = 2000


class Feedback(enum.Enum):
    """How much an explanation tells a student about a wrong answer."""

    #: the reason (the named mistake), the counterexample point with the true and the
    #: submitted values there, and the difference submitted − true (which gives the true
    #: gradient away: for feedback after the deadline)
    FULL = "full"
    #: the reason and the counterexample point with the two values (the default)
    POINT = "point"
    #: the reason only
    REASON = "reason"


def explanation(verdict: Verdict, *, feedback: Feedback = Feedback.POINT) -> str:
    """The verdict as plain text for a student, in the lecture's notation (``x²``, never ``**``).

    The first line is the outcome and the reason (which names a recognised mistake); then,
    as ``feedback`` allows, the point where the answer is wrong with the true and the
    submitted values there, and the difference; last, the answer as symdl read it.  Never
    raises for a verdict: one whose values cannot be written out is explained by its
    reason.

    Parameters
    ----------
    verdict : Verdict
        From :func:`~symdl.grading.answers.check_gradient` (or any check).
    feedback : Feedback
        How much to tell: :attr:`Feedback.POINT` (default), :attr:`Feedback.FULL` or
        :attr:`Feedback.REASON`.

    Examples
    --------
    >>> import sympy as sp
    >>> from symdl.referee.verdict import Mistake, Outcome, Verdict
    >>> x = sp.Symbol("x", real=True)
    >>> v = Verdict(Outcome.DIFFERENT, "wrong sign", counterexample={x: sp.Integer(1)},
    ...             true_value=sp.Integer(2), submitted_value=sp.Integer(-2),
    ...             difference=-4 * x**2, mistakes=(Mistake.SIGN,), answer="-2 x")
    >>> print(explanation(v))
    DIFFERENT: wrong sign
      at x = 1: true value 2, submitted -2
      your answer, as read: -2 x
    >>> print(explanation(v, feedback=Feedback.FULL))
    DIFFERENT: wrong sign
      at x = 1: true value 2, submitted -2
      submitted − true = −4 x²
      your answer, as read: -2 x
    """
    if not isinstance(verdict, Verdict):
        raise TypeError(f"verdict = {verdict!r:.80}: give a symdl.referee.verdict.Verdict")
    if not isinstance(feedback, Feedback):
        raise TypeError(
            f"feedback = {feedback!r}: give Feedback.FULL, Feedback.POINT or Feedback.REASON"
        )
    shown = verdict
    if feedback is not Feedback.FULL:
        shown = dataclasses.replace(shown, difference=None)
    if feedback is Feedback.REASON:
        shown = dataclasses.replace(
            shown, counterexample=None, true_value=None, submitted_value=None, worst_entry=None
        )
    try:
        text = str(shown)
    except Exception:  # a value too large to write out: the reason still says what is wrong
        text = f"{verdict.outcome.name}: {verdict.reason}"
    if verdict.answer:
        echo = verdict.answer
        if len(echo) > MAX_ECHO:
            echo = f"{echo[:MAX_ECHO]}… ({len(echo)} characters)"
        text += f"\n  your answer, as read: {echo}"
    return text


def _exact_floats(answer: sp.Expr | sp.MatrixBase) -> sp.Expr | sp.MatrixBase:
    """``answer`` with each SymPy ``Float`` read as the decimal it shows (``0.5`` as 1/2).

    A student who writes ``0.5 * x`` in a notebook means one half; the check decides exact
    expressions, so the decimals are made exact before it, as the text parser does.
    """
    floats = answer.atoms(sp.Float)
    if not floats:
        return answer
    return answer.xreplace(
        {
            f: exact_number(
                f, name="a decimal number of the answer", floats=FloatConversion.DECIMAL
            )
            for f in floats
        }
    )


def _answer(answer: object) -> str | sp.Expr | sp.MatrixBase:
    """A student's answer as check_gradient takes it; anything else fails the assertion."""
    if isinstance(answer, str):
        return answer
    if isinstance(answer, (sp.Expr, sp.MatrixBase)):
        return _exact_floats(answer)
    if isinstance(answer, int) and not isinstance(answer, bool):
        return sp.Integer(answer)
    if isinstance(answer, Fraction):
        return sp.Rational(answer.numerator, answer.denominator)
    if isinstance(answer, (list, tuple)) and answer:
        if all(isinstance(entry, str) for entry in answer):
            return "[" + ", ".join(answer) + "]"
        entries = [_answer(entry) for entry in answer]
        if all(isinstance(entry, sp.Expr) for entry in entries):
            return sp.Matrix(entries)
    if answer is Ellipsis:
        raise AssertionError("no answer yet: replace ... by your gradient")
    raise AssertionError(
        f"the answer is {type(answer).__name__} {answer!r:.80}: write the gradient as text "
        "('2 x sech^2(w x)') or a SymPy expression (a list of them for a gradient vector)"
    )


def assert_gradient(
    answer: str | sp.Expr | sp.MatrixBase | int | Fraction | Sequence[sp.Expr],
    f: GradientProblem | sp.Expr | Any,
    wrt: sp.Symbol | Sequence[sp.Symbol] | sp.MatrixBase | str | None = None,
    *,
    loss: Any = None,
    domains: Mapping[sp.Symbol, SamplingInterval] | None = None,
    constraints: Sequence[Constraint] | None = None,
    options: CheckOptions | None = None,
    isolation: Isolation = Isolation.PROCESS,
    feedback: Feedback = Feedback.POINT,
) -> Verdict:
    r"""Assert that ``answer`` is the gradient of ``f`` with respect to ``wrt``: a test cell.

    In an nbgrader or Otter-Grader autograder test cell, a wrong answer fails the test with
    the verdict's :func:`explanation` as the message; a right one passes.  Any outcome but
    EQUIVALENT fails: a different answer, one that cannot be read, and one that could not be
    decided within the time limit (the message says which).

    Parameters
    ----------
    answer : str, sympy.Expr, sympy.Matrix, int, fractions.Fraction or list
        The student's gradient: text (read by the safe parser, Python-like or LaTeX), a
        SymPy expression or matrix, an exact number, or a list of expressions (a gradient
        vector).  A decimal inside a SymPy expression (``0.5 * x``) is read as the decimal
        it shows (``x/2``), as in text.  Anything else (``...`` left in place, a float)
        fails the assertion.
    f : sympy.Expr, Network or GradientProblem
        What to differentiate, as :func:`~symdl.grading.answers.check_gradient` takes it (a
        network needs ``loss``).
    wrt : sympy.Symbol, list of sympy.Symbol, sympy.Matrix or str
        The variable(s); a layer name (``"W1"``) for a network; ``None`` for a problem.
    loss, domains, constraints, options, isolation
        As for :func:`~symdl.grading.answers.check_gradient`.  Under Otter-Grader or nbgrader
        the check runs in a worker process killed at ``options.time_limit``
        (``Isolation.PROCESS``, the default), so no answer can stall the grading.
    feedback : Feedback
        How much the failure message tells (default: the mistake and the counterexample,
        not the difference, which would give the true gradient away).

    Returns
    -------
    Verdict
        The verdict on a right answer (EQUIVALENT).

    Raises
    ------
    AssertionError
        For any answer that is not the gradient; the message explains why, in plain text.
    TypeError, ValueError
        For a wrong ``f``, ``wrt``, ``loss`` or option: the test is wrong, not the answer.

    Examples
    --------
    An autograder test cell (nbgrader: a cell with "Autograder tests"; Otter: a test cell
    between ``# BEGIN TESTS`` and ``# END TESTS``), assigning the verdict so that the cell
    prints nothing:

    >>> import sympy as sp
    >>> w, x = sp.symbols("w x", real=True)
    >>> answer = x * (1 - sp.tanh(w * x)**2)      # the student's cell
    >>> verdict = assert_gradient(answer, sp.tanh(w * x), w)
    >>> assert_gradient(..., sp.tanh(w * x), w)
    Traceback (most recent call last):
    ...
    AssertionError: no answer yet: replace ... by your gradient
    """
    if not isinstance(feedback, Feedback):
        raise TypeError(
            f"feedback = {feedback!r}: give Feedback.FULL, Feedback.POINT or Feedback.REASON"
        )
    submitted = _answer(answer)
    verdict = check_gradient(
        f,
        submitted,
        wrt=wrt,
        loss=loss,
        domains=domains,
        constraints=constraints,
        options=options,
        isolation=isolation,
    )
    if verdict.outcome is not Outcome.EQUIVALENT:
        raise AssertionError(explanation(verdict, feedback=feedback))
    return verdict
