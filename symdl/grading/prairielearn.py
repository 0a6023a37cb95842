r"""PrairieLearn questions graded by symdl: :func:`grade` and :func:`parse` for a question's
``server.py``.

A PrairieLearn question is a folder (``info.json``, ``question.html``, ``server.py``).  When a
student submits, PrairieLearn calls ``parse(data)`` and then, unless ``parse`` left format
errors, ``grade(data)`` of ``server.py``, each with one dictionary ``data`` that it changes in
place:

- ``data["submitted_answers"][NAME]``: the student's answer, as the input element read it
  (text, for ``<pl-string-input answers-name="NAME">``);
- ``data["format_errors"][NAME]``: a message that makes the submission invalid: it is not
  graded and does not use up an attempt (PrairieLearn shows it as HTML: symdl escapes
  ``<``, ``>`` and ``&`` in it);
- ``data["partial_scores"][NAME]``: ``{"score": 0..1, "weight": …, "feedback": …}``;
- ``data["score"]``: the question's score, from 0 to 1 (the weighted mean of the partial
  scores);
- ``data["feedback"][NAME]``: feedback that ``question.html`` shows as ``{{feedback.NAME}}``.

:func:`grade` decides the answer to one :class:`~symdl.grading.answers.GradientProblem` and
fills those entries: a right answer scores 1, a wrong one 0 (or the partial credit given for a
recognised mistake), each with the verdict's explanation
(:func:`symdl.grading.notebooks.explanation`: the named mistake and a point where the answer is
wrong) as feedback.  An answer that cannot be read (a syntax error, a name the problem does not
have, an ambiguous text, the wrong shape) or cannot be decided within the time limit is a
format error with the reason: the student may correct it without losing an attempt.
:func:`parse` finds the unreadable ones already when the student saves.  No answer makes
either raise: the check runs in a worker process killed at :data:`TIME_LIMIT`, well within
PrairieLearn's own limit on a ``server.py`` call.

References
----------
PrairieLearn, *Question server.py*: ``parse``, ``grade``, the ``data`` dictionary, custom
grading and feedback (https://prairielearn.readthedocs.io/en/latest/question/server/);
``set_weighted_score_data`` (the question score as the weighted mean of the partial scores),
``prairielearn.question_utils``.

Examples
--------
>>> import sympy as sp
>>> from symdl.grading.answers import GradientProblem
>>> w, x = sp.symbols("w x", real=True)
>>> problem = GradientProblem.from_expression(sp.tanh(w * x), w)
>>> data = {"submitted_answers": {"gradient": "x sech^2(w x)"}, "format_errors": {},
...         "partial_scores": {}, "score": 0.0, "feedback": {}}
>>> grade(data, problem).correct
True
>>> data["score"], data["partial_scores"]["gradient"]["score"]
(1.0, 1.0)
>>> data["submitted_answers"]["gradient"] = "x sech^2(w x"
>>> _ = grade(data, problem)
>>> data["format_errors"]["gradient"]
"expected ')' to close the '(' opened at column 9, found the end of the answer at column 13"
"""

from __future__ import annotations

import contextlib
import html
import math
from collections.abc import Mapping, MutableMapping
from fractions import Fraction
from typing import Any

from symdl.core.limits import TimeLimitExceededError, can_interrupt, deadline
from symdl.grading.answers import GradientProblem, Isolation, check_gradient
from symdl.grading.lexing import AnswerSyntaxError
from symdl.grading.notebooks import Feedback, explanation
from symdl.grading.parsing import parse_answer
from symdl.referee.equivalence import CheckOptions
from symdl.referee.verdict import Mistake, Outcome, Verdict

__all__ = ["TIME_LIMIT", "grade", "parse"]

#: Seconds to decide one answer (the default ``time_limit``).  A worker past it is killed two
#: seconds later, well within PrairieLearn's default limit of 10 s on a ``server.py`` call.
TIME_LIMIT = 4.0

_KEYS = ("submitted_answers", "format_errors", "partial_scores", "feedback")


def _entries(data: object, name: object) -> None:
    """Refuse what PrairieLearn never passes: the question's code is wrong, not the answer."""
    if not isinstance(data, MutableMapping):
        raise TypeError(f"data = {data!r:.80}: give PrairieLearn's data dictionary")
    if not isinstance(name, str) or not name:
        raise TypeError(f"name = {name!r:.80}: give the answers-name of the input element")
    for key in _KEYS:
        data.setdefault(key, {})
        if not isinstance(data[key], MutableMapping):
            raise TypeError(
                f'data["{key}"] = {data[key]!r:.80}: PrairieLearn passes a dictionary here'
            )


def _problem(problem: object) -> GradientProblem:
    if not isinstance(problem, GradientProblem):
        raise TypeError(
            f"problem = {problem!r:.80}: give a GradientProblem (GradientProblem.from_expression"
            ", .from_network, or symdl.grading.problem_files.load_problem_text)"
        )
    return problem


def _html_text(message: str) -> str:
    """``message`` as HTML that shows it as written: PrairieLearn renders a format error as
    HTML (``pl-string-input`` puts it in a popover with ``data-html``), so ``<``, ``>`` and
    ``&`` (which a message may quote from the answer) are escaped."""
    return html.escape(message, quote=False)


def _submitted(data: MutableMapping[str, Any], name: str) -> str | None:
    """The submitted text, or None after setting the format error of a missing answer."""
    answer = data["submitted_answers"].get(name)
    if not isinstance(answer, str) or not answer.strip():
        data["format_errors"][name] = (
            "No answer was submitted: write the gradient, e.g. 2 x sech^2(w x)"
        )
        return None
    return answer


def parse(
    data: MutableMapping[str, Any], problem: GradientProblem, *, name: str = "gradient"
) -> None:
    """Set ``data["format_errors"][name]`` when the submitted answer cannot be read.

    For ``server.py``'s ``parse(data)``, which PrairieLearn also calls when the student only
    saves: the text is read by the safe parser (:mod:`symdl.grading.parsing`) with the
    problem's names, and a text that cannot be read gets the parser's message (what is
    wrong, where, what is accepted).  The answer is not decided here (:func:`grade` does).
    An answer that already has a format error is left alone.

    Examples
    --------
    >>> import sympy as sp
    >>> from symdl.grading.answers import GradientProblem
    >>> x = sp.Symbol("x", real=True)
    >>> problem = GradientProblem.from_expression(x**3, x)
    >>> data = {"submitted_answers": {"gradient": "3 y^2"}, "format_errors": {}}
    >>> parse(data, problem)
    >>> data["format_errors"]["gradient"]
    "unknown name 'y'; accepted: the problem's symbols (x), the functions ..."
    """
    _entries(data, name)
    problem = _problem(problem)
    if name in data["format_errors"]:
        return
    answer = _submitted(data, name)
    if answer is None:
        return
    message = None
    try:
        # the parser bounds its own work (symdl.grading.lexing.ParseLimits); the deadline is
        # a second bound where a timer can interrupt (the main thread)
        with deadline(TIME_LIMIT) if can_interrupt() else contextlib.nullcontext():
            parse_answer(answer, symbols=problem.names)
    except AnswerSyntaxError as error:
        message = str(error).split("\n")[0]
    except TimeLimitExceededError:
        message = f"the answer could not be read within {TIME_LIMIT:g} s: write it more simply"
    except Exception:  # anything else: grade() decides it, under its limits, and says why
        message = None
    if message is not None:
        data["format_errors"][name] = _html_text(message)


def _credit(partial_credit: Mapping[Mistake, float | Fraction] | None) -> dict[Mistake, float]:
    if partial_credit is None:
        return {}
    if not isinstance(partial_credit, Mapping):
        raise TypeError(
            f"partial_credit = {partial_credit!r:.80}: give a mapping from Mistake to a score "
            "from 0 to 1, e.g. {Mistake.CONSTANT_FACTOR: 0.5}"
        )
    credit = {}
    for mistake, score in partial_credit.items():
        if not isinstance(mistake, Mistake):
            raise TypeError(f"partial_credit: {mistake!r} is not a Mistake; give e.g. Mistake.SIGN")
        number = float(score) if isinstance(score, (int, float, Fraction)) else math.nan
        if isinstance(score, bool) or not 0 <= number <= 1:
            raise ValueError(f"partial_credit[{mistake}] = {score!r}: give a score from 0 to 1")
        credit[mistake] = number
    return credit


def _weight(weight: object, existing: object) -> int:
    if weight is None:
        if isinstance(existing, Mapping):  # the input element's weight attribute
            found = existing.get("weight", 1)
            if isinstance(found, int) and not isinstance(found, bool) and found >= 0:
                return found
        return 1
    if isinstance(weight, bool) or not isinstance(weight, int) or weight < 0:
        raise ValueError(f"weight = {weight!r}: give a whole number of at least 0 (default 1)")
    return weight


def _question_score(partial_scores: Mapping[str, Any]) -> float:
    """The weighted mean of the partial scores, as PrairieLearn's set_weighted_score_data."""
    total = weights = 0.0
    for part in partial_scores.values():
        score = part.get("score") if isinstance(part, Mapping) else None
        if isinstance(score, bool) or not isinstance(score, (int, float)):
            continue
        weight = part.get("weight", 1)
        weight = weight if isinstance(weight, (int, float)) and not isinstance(weight, bool) else 1
        total += float(score) * weight
        weights += weight
    return total / weights if weights > 0 else 0.0


def grade(
    data: MutableMapping[str, Any],
    problem: GradientProblem,
    *,
    name: str = "gradient",
    options: CheckOptions | None = None,
    weight: int | None = None,
    partial_credit: Mapping[Mistake, float | Fraction] | None = None,
    feedback: Feedback = Feedback.POINT,
    isolation: Isolation = Isolation.PROCESS,
) -> Verdict:
    """Grade ``data["submitted_answers"][name]`` against ``problem``, in place.

    A decided answer sets ``data["partial_scores"][name]`` to ``{"score", "weight",
    "feedback"}`` (1 when right; 0, or the ``partial_credit`` of a recognised mistake, when
    wrong), ``data["feedback"][name]`` to the same feedback, and ``data["score"]`` to the
    weighted mean of the partial scores.  An answer that cannot be read, or not decided
    within the time limit, sets ``data["format_errors"][name]`` instead (the submission is
    then invalid: it is not graded and costs no attempt).  Never raises for a submitted
    answer, whatever its text.

    Parameters
    ----------
    data : dict
        PrairieLearn's ``data`` (``submitted_answers``, ``format_errors``, ``partial_scores``,
        ``feedback``, ``score``).
    problem : GradientProblem
        The question's problem (for a variant, built from ``data["params"]``).
    name : str
        The input element's ``answers-name`` (default ``"gradient"``).
    options : CheckOptions or None
        Points, precision and time limit; default ``CheckOptions(time_limit=TIME_LIMIT)``.
    weight : int or None
        The answer's weight in the question score (default: the one the input element set,
        else 1).
    partial_credit : Mapping[Mistake, float] or None
        A score from 0 to 1 for a wrong answer with a recognised mistake, e.g.
        ``{Mistake.CONSTANT_FACTOR: 0.5}`` (the largest applies).
    feedback : Feedback
        How much the feedback tells (default: the mistake and the counterexample point, not
        the difference, which would give the true gradient away while attempts remain).
    isolation : Isolation
        Where the check runs (default: a worker process killed at the time limit).

    Returns
    -------
    Verdict
        The decision (NOT_COMPARABLE for an answer that was missing or could not be read).

    Raises
    ------
    TypeError, ValueError
        For a wrong ``data``, ``problem``, ``name`` or option (the question's code), never
        for the student's answer.

    Examples
    --------
    >>> import sympy as sp
    >>> from symdl.grading.answers import GradientProblem
    >>> x = sp.Symbol("x", real=True)
    >>> data = {"submitted_answers": {"gradient": "6 x^2"}}
    >>> v = grade(data, GradientProblem.from_expression(x**3, x),
    ...           partial_credit={Mistake.CONSTANT_FACTOR: 0.5})
    >>> v.mistakes, data["score"]
    ((<Mistake.CONSTANT_FACTOR: 'off by a constant factor'>,), 0.5)
    >>> print(data["feedback"]["gradient"])
    DIFFERENT: the answer is 2 times the gradient (a constant factor)
      at x = ...: true value ..., submitted ...
      your answer, as read: 6 x²
    """
    _entries(data, name)
    problem = _problem(problem)
    credit = _credit(partial_credit)
    share = _weight(weight, data["partial_scores"].get(name))
    if not isinstance(feedback, Feedback):
        raise TypeError(
            f"feedback = {feedback!r}: give Feedback.FULL, Feedback.POINT or Feedback.REASON"
        )
    if not isinstance(isolation, Isolation):
        raise TypeError(f"isolation = {isolation!r}: give Isolation.PROCESS or Isolation.NONE")
    if options is None:
        options = CheckOptions(time_limit=TIME_LIMIT)
    elif not isinstance(options, CheckOptions):
        raise TypeError(
            f"options = {options!r:.80}: give a CheckOptions, e.g. CheckOptions(time_limit=4)"
        )
    answer = _submitted(data, name)
    if answer is None:
        return Verdict(
            Outcome.NOT_COMPARABLE, data["format_errors"][name], mistakes=(Mistake.SYNTAX,)
        )
    try:
        verdict = check_gradient(problem, answer, options=options, isolation=isolation)
    except Exception as error:  # nothing a student submits may end the grading
        verdict = Verdict(
            Outcome.UNKNOWN, f"could not be checked ({type(error).__name__}: {str(error)[:200]})"
        )
    if verdict.outcome is Outcome.NOT_COMPARABLE:
        data["format_errors"][name] = _html_text(verdict.reason)
    elif verdict.outcome is Outcome.UNKNOWN:
        data["format_errors"][name] = _html_text(
            f"{verdict.reason}; write the answer more simply (this submission is not graded)"
        )
    if verdict.outcome in (Outcome.NOT_COMPARABLE, Outcome.UNKNOWN):
        data["partial_scores"].pop(name, None)
        data["feedback"].pop(name, None)
        return verdict
    text = explanation(verdict, feedback=feedback)
    data["format_errors"].pop(name, None)
    score = 1.0
    if not verdict.correct:
        score = max((credit.get(m, 0.0) for m in verdict.mistakes), default=0.0)
    data["partial_scores"][name] = {"score": score, "weight": share, "feedback": text}
    data["feedback"][name] = text
    data["score"] = _question_score(data["partial_scores"])
    return verdict
