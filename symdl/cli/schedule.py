"""``symdl schedule "c/t**p"``: the Robbins–Monro verdict on a learning-rate schedule."""

from __future__ import annotations

import argparse
import json

import sympy as sp

from symdl.core.exceptions import NotSupportedError
from symdl.core.limits import TimeLimitExceededError, deadline
from symdl.grading.lexing import AnswerSyntaxError
from symdl.grading.parsing import parse_expression
from symdl.optimization.schedules import ExpressionSchedule, robbins_monro, t

NAME = "schedule"
HELP = (
    "decide the Robbins–Monro conditions (sum of steps infinite, sum of squares finite) for "
    "a schedule in t, e.g. 'c/t**p'"
)

# The names a schedule may use besides t: positive constants.
CONSTANTS = ("c", "p", "q", "k", "a", "tau", "gamma", "alpha", "beta", "eta")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "formula",
        help=f"the step size eta_t in t and the positive constants {', '.join(CONSTANTS)}, "
        "e.g. '1/t', 'c/t**p', 'c/(1 + t/tau)', '1/(t*log(t))'",
    )
    parser.add_argument(
        "--start", type=int, default=1, help="the first step (default 1; e.g. 2 for 1/(t log t))"
    )
    parser.add_argument("--json", action="store_true", help="print the verdict as JSON")
    parser.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="stop the symbolic tests after this many seconds (default 60)",
    )


def run(args: argparse.Namespace) -> int:
    symbols = [t, *(sp.Symbol(name, positive=True) for name in CONSTANTS)]
    if not args.timeout > 0:
        print(f"symdl schedule: --timeout {args.timeout}: give a positive number of seconds")
        return 2
    try:
        with deadline(args.timeout):
            formula = parse_expression(args.formula, symbols=symbols)
            result = robbins_monro(ExpressionSchedule(formula, start=args.start))
    except (AnswerSyntaxError, ValueError, TypeError, NotSupportedError) as error:
        print(f"symdl schedule: {error}")
        return 2
    except TimeLimitExceededError:
        print(
            f"symdl schedule: no verdict within {args.timeout:g} s (SymPy's series tests "
            f"did not finish); raise --timeout or simplify the schedule"
        )
        return 2
    if args.json:
        payload = {
            "schedule": str(result.schedule.expr()),
            "start": result.schedule.start,
            "sum": str(result.steps.value),
            "sum_of_squares": str(result.squares.value),
            "sum_diverges": str(result.sum_diverges),
            "squares_converge": str(result.squares_converge),
            "holds": str(result.holds),
        }
        print(json.dumps(payload, indent=2))
    else:
        print(result.report())
    return 0
