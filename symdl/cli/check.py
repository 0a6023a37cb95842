"""``symdl check``: is a hand-derived gradient right?  One answer, with a verdict.

Either a quick question, ``symdl check "d/dw of (3w-1)^2" --answer "6(3w-1)"`` (the variables
are those after ``d/d``, plus ``--variables``; the question is read as the fields ``function``,
``wrt`` and ``variables`` of a problem file, by the same reader), or a problem file,
``symdl check problem.toml --answer "…"`` (see :mod:`symdl.grading.problem_files`).
Exit status: 0 correct, 1 not correct (different, not comparable), 2 bad usage, 3 undecided
(UNKNOWN: out of time or memory, or a worker that died; the reason is printed).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
from pathlib import Path

from symdl.grading.answers import GradientProblem, Isolation, check_gradient
from symdl.grading.lexing import AnswerSyntaxError
from symdl.grading.problem_files import (
    ProblemFieldError,
    check_seconds,
    load_problem,
    problem_from_fields,
)
from symdl.referee.equivalence import CheckOptions
from symdl.referee.verdict import Outcome

NAME = "check"
HELP = 'check one hand-derived gradient: symdl check "d/dx of x^2 sin(x)" --answer "…"'

_QUESTION = re.compile(r"^\s*d\s*/\s*d\s*(?P<wrt>\(.*?\)|\[.*?\]|\S+)\s+of\s+(?P<f>.+)$", re.S)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "problem", help="'d/dx of EXPRESSION', 'd/d(x, y) of …', or a .toml problem file"
    )
    parser.add_argument("--answer", required=True, help="the answer (Python-like or LaTeX)")
    parser.add_argument(
        "--variables",
        default="",
        help="other variables of the expression, separated by spaces or commas (e.g. 'a y')",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=None,
        metavar="SECONDS",
        help="stop and answer UNKNOWN after this long (default 10)",
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the verdict as JSON")
    output.add_argument("--latex", action="store_true", help="print the verdict as LaTeX")


def question_fields(text: str, variables: str = "") -> dict[str, str]:
    """The fields of a problem (:func:`symdl.grading.problem_files.problem_from_fields`) that
    a question ``d/dx of EXPRESSION`` asks, with ``variables`` (the ``--variables`` option).

    ``d/d(x, y) of …`` asks for the gradient vector in ``x`` and ``y``.

    Examples
    --------
    >>> question_fields("d/dw of (3w-1)^2 a", "a")
    {'function': '(3w-1)^2 a', 'wrt': 'w', 'variables': 'w, a'}
    """
    match = _QUESTION.match(text)
    if match is None:
        raise ValueError(
            f"{text!r}: write 'd/dx of EXPRESSION' (or 'd/d(x, y) of …'), or give "
            "a .toml problem file"
        )
    wrt = match.group("wrt").strip("()[]").strip()
    names = ", ".join(part for part in (wrt, variables.strip()) if part)
    return {"function": match.group("f"), "wrt": wrt, "variables": names}


def _question(text: str, extra: str) -> tuple[GradientProblem, CheckOptions]:
    fields = question_fields(text, extra)
    try:
        return problem_from_fields(fields, source="the question")
    except ProblemFieldError as error:
        if error.field != "function" or error.unknown is None:
            raise
        raise ValueError(
            f"{error}\n(a variable of the expression other than {fields['wrt']}? "
            f"name it with --variables '{error.unknown}')"
        ) from None


def _is_file(text: str) -> bool:
    """Whether ``text`` names an existing file (a question is never taken for one)."""
    if text.endswith(".toml"):
        return True
    if _QUESTION.match(text) or len(text) > 1024 or "\0" in text:
        return False
    try:
        return Path(text).is_file()
    except (OSError, ValueError):  # a name the system cannot even look up is no file
        return False


def run(args: argparse.Namespace) -> int:
    try:
        if _is_file(args.problem):
            problem, options = load_problem(args.problem)
        else:
            problem, options = _question(args.problem, args.variables)
        if args.time_limit is not None:
            seconds = check_seconds(args.time_limit, name="--time-limit")
            options = dataclasses.replace(options, time_limit=seconds)
    except (ValueError, TypeError, OSError, AnswerSyntaxError) as error:
        print(f"symdl check: {error}")
        return 2
    verdict = check_gradient(problem, args.answer, options=options, isolation=Isolation.PROCESS)
    if args.json:
        print(json.dumps({"problem": problem.statement, **verdict.to_dict()}, indent=2))
    elif args.latex:
        print(verdict.latex())
    else:
        print(f"{problem.statement}\n{verdict}")
    if verdict.outcome is Outcome.UNKNOWN:
        return 3
    return 0 if verdict.correct else 1
