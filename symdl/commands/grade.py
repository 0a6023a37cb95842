"""``symdl grade``: grade a class's answers to one gradient problem.

``symdl grade PROBLEM.toml ANSWERS.csv --out report.csv [--json] [--workers N]``: the answers
file has a header with the columns ``id`` and ``answer``; the report has one row per answer
(correct, outcome, reason, counterexample, …); a cell that a spreadsheet would run as a
formula (``=…``, ``-3/2``) is written with a leading ``'``.  A summary (how many are
correct, the most common mistakes) is printed, as JSON with ``--json``.  Runs on every core;
a progress bar is drawn on stderr when it is a terminal (or with ``--progress``).
Exit status: 0 when the batch was graded (whatever the answers), 2 for bad input.
"""

from __future__ import annotations

import argparse
import json
import sys

from symdl.grading import grade, read_answers
from symdl.lexing import AnswerSyntaxError
from symdl.problem_file import load_problem

NAME = "grade"
HELP = "grade a CSV of answers (id, answer) to a gradient problem file; write a CSV report"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("problem", help="the problem file (.toml)")
    parser.add_argument("answers", help="the answers (CSV with columns id, answer)")
    parser.add_argument("--out", required=True, help="where to write the report (CSV)")
    parser.add_argument(
        "--json", action="store_true", help="print the summary and every verdict as JSON"
    )
    parser.add_argument(
        "--workers", type=int, default=None, help="worker processes (default: one per core)"
    )
    parser.add_argument(
        "--progress",
        action="store_true",
        help="draw a progress bar on stderr even when it is not a terminal",
    )


def run(args: argparse.Namespace) -> int:
    try:
        problem, options = load_problem(args.problem)
        answers = read_answers(args.answers)
        stream = sys.stderr if args.progress or sys.stderr.isatty() else None
        report = grade(problem, answers, options=options, workers=args.workers, progress=stream)
        report.write_csv(args.out)
    except (ValueError, TypeError, OSError, AnswerSyntaxError) as error:
        print(f"symdl grade: {error}")
        return 2
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(report.summary())
        print(f"report written to {args.out}")
    return 0
