"""``symdl stability``: SGD's measured stability on logistic regression beside Hardt's bound.

Exit status: 0 (the measurements obey the bound), 1 (a path broke the pathwise bound, or a
mathematical failure: the time limit ``--time-limit`` passed), 2 (bad input: an option out of
range, a figure path that cannot be written).  A failure is explained on standard error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from symdl.cli.options import failure, time_limit
from symdl.optimization.series import plain_text
from symdl.optimization.stability import StabilityConfig, stability_experiment, stability_figure

NAME = "stability"
HELP = (
    "run SGD on logistic regression with two training sets differing in one example and "
    "print the measured divergence and generalization gap beside Hardt et al.'s bound"
)


def configure(parser: argparse.ArgumentParser) -> None:
    defaults = StabilityConfig()
    parser.add_argument("--n", type=int, default=defaults.n, help="training-set size")
    parser.add_argument("--dim", type=int, default=defaults.dim, help="input dimension")
    parser.add_argument("--steps", type=int, default=defaults.steps, help="SGD steps T")
    parser.add_argument("--runs", type=int, default=defaults.runs, help="sample paths averaged")
    parser.add_argument("--c", type=int, default=1, help="step sizes c/t (integer c ≤ 8)")
    parser.add_argument("--seed", type=int, default=defaults.seed, help="random seed")
    parser.add_argument("--figure", metavar="PATH", help="also save the plot (PNG, PDF, SVG)")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="stop and exit with status 1 after this long (default 300)",
    )


def _figure_path(text: str) -> Path:
    """The ``--figure`` path, refused before the experiment runs if it cannot be written."""
    from matplotlib.backend_bases import FigureCanvasBase

    path = Path(text)
    formats = FigureCanvasBase.get_supported_filetypes()
    if path.suffix.lstrip(".").lower() not in formats:
        raise ValueError(
            f"--figure {text}: give a file name ending in one of "
            f"{', '.join('.' + f for f in sorted(formats))} (e.g. stability.png)"
        )
    if not path.parent.is_dir():
        raise ValueError(f"--figure {text}: the folder {path.parent} does not exist")
    return path


def run(args: argparse.Namespace) -> int:
    try:  # the options (exit 2 when bad)
        seconds = time_limit(args.time_limit)
        config = StabilityConfig(
            n=args.n, dim=args.dim, steps=args.steps, runs=args.runs, c=args.c, seed=args.seed
        )
        figure = None if args.figure is None else _figure_path(args.figure)
    except (ValueError, TypeError) as error:
        print(f"symdl {NAME}: {plain_text(error)}", file=sys.stderr)
        return 2
    try:  # the experiment (exit 1 when it fails, whatever the reason)
        report = stability_experiment(config, seconds=seconds)
    except Exception as error:  # every outcome but a report is reported, none escapes
        print(failure(NAME, error, seconds=seconds), file=sys.stderr)
        return 1
    print(
        f"logistic regression, n = {config.n}, d = {config.dim}, step sizes {config.c}/t, "
        f"{config.runs} sample paths; L = 1, beta = 1/4"
    )
    print(
        "bound: eps_stab <= (2 L^2 / n) * sum_{t<=T} alpha_t  (Hardt, Recht, Singer 2016, Thm 3.8)"
    )
    print(report.table())
    verdict = "holds" if report.per_path_holds else "FAILS"
    print(
        "pathwise bound |w_T - w'_T| <= 2L * (sum of alpha_t over the draws of the changed "
        f"example): {verdict}"
    )
    if figure is not None:
        try:
            stability_figure(report).savefig(figure)
        except (OSError, ValueError) as error:
            print(f"symdl {NAME}: cannot write --figure {figure}: {error}", file=sys.stderr)
            return 2
        print(f"figure written to {figure}")
    if not report.per_path_holds:
        print(
            f"symdl {NAME}: a sample path broke the pathwise bound of Hardt et al.'s § 3.1",
            file=sys.stderr,
        )
        return 1
    return 0
