"""``symdl stability``: SGD's measured stability on logistic regression beside Hardt's bound."""

from __future__ import annotations

import argparse

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


def run(args: argparse.Namespace) -> int:
    try:
        config = StabilityConfig(
            n=args.n, dim=args.dim, steps=args.steps, runs=args.runs, c=args.c, seed=args.seed
        )
        report = stability_experiment(config)
    except ValueError as error:
        print(f"symdl stability: {error}")
        return 2
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
    if args.figure:
        stability_figure(report).savefig(args.figure)
        print(f"figure written to {args.figure}")
    return 0 if report.per_path_holds else 1
