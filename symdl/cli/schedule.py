"""``symdl schedule "c/t^p"``: the Robbins–Monro verdict on a learning-rate schedule.

Exit status: 0 (a verdict, whichever it is), 1 (a mathematical failure: no test decides a
series, the schedule's positivity cannot be proved, or the time limit ``--time-limit``
passed), 2 (bad input: text that does not parse, a schedule that is not positive, a bad
option).  A failure is explained on standard error.
"""

from __future__ import annotations

import argparse
import json
import sys

import sympy as sp

from symdl.cli.options import failure, time_limit
from symdl.core.limits import deadline
from symdl.grading.parsing import parse_expression
from symdl.optimization.schedules import ExpressionSchedule, robbins_monro, t
from symdl.optimization.series import plain_text

NAME = "schedule"
HELP = (
    "decide the Robbins–Monro conditions (Σ η_t = ∞, Σ η_t² < ∞) for a schedule in t, e.g. 'c/t^p'"
)

# The names a schedule may use besides t: positive constants.
CONSTANTS = ("c", "p", "q", "k", "a", "tau", "gamma", "alpha", "beta", "eta")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "formula",
        help=f"the step size η_t in t and the positive constants {', '.join(CONSTANTS)}, "
        "e.g. '1/t', 'c/t^p', 'c/(1 + t/tau)', '1/(t log(t))', '(2 + sin(t))/t'",
    )
    parser.add_argument(
        "--start", type=int, default=1, help="the first step (default 1; e.g. 2 for 1/(t log t))"
    )
    parser.add_argument("--json", action="store_true", help="print the verdict as JSON")
    parser.add_argument(
        "--time-limit",
        "--timeout",
        dest="time_limit",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="stop and exit with status 1 after this long (default 60)",
    )


def run(args: argparse.Namespace) -> int:
    symbols = [t, *(sp.Symbol(name, positive=True) for name in CONSTANTS)]
    try:  # the input: its text, the options and the schedule's positivity (exit 2 when bad)
        seconds = time_limit(args.time_limit)
        if args.start < 1:
            raise ValueError(f"--start {args.start}: the first step is an integer ≥ 1")
        formula = parse_expression(args.formula, symbols=symbols)
    except (ValueError, TypeError) as error:
        print(f"symdl {NAME}: {plain_text(error)}", file=sys.stderr)
        return 2
    try:
        with deadline(seconds):
            schedule = ExpressionSchedule(formula, start=args.start)
    except (ValueError, TypeError) as error:  # not a positive schedule: the input is wrong
        print(f"symdl {NAME}: {plain_text(error)}", file=sys.stderr)
        return 2
    except Exception as error:  # positivity not decided (or not in time): a mathematical failure
        print(failure(NAME, error, seconds=seconds), file=sys.stderr)
        return 1
    try:  # the mathematics (exit 1 when it fails, whatever the reason)
        result = robbins_monro(schedule, seconds=seconds)
    except Exception as error:  # every outcome but a verdict is reported, none escapes
        print(failure(NAME, error, seconds=seconds), file=sys.stderr)
        return 1
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
