"""``symdl telgarsky --k 12``: the sawtooth m^k built from its ReLU network and checked exactly."""

from __future__ import annotations

import argparse
import json
import time
from fractions import Fraction
from typing import Any

import numpy as np

from symdl.depth.depth_separation import shallow_experiment
from symdl.depth.piecewise import PiecewiseLinear
from symdl.depth.telgarsky import (
    MAX_K,
    TentForm,
    check_sawtooth,
    classification_error,
    network_size,
    piece_bound,
    sawtooth_network,
    shallow_error_bound,
    width_limit,
)

NAME = "telgarsky"
HELP = (
    "build Telgarsky's sawtooth network for m^k, count its pieces exactly, check the "
    "breakpoints j/2^k and values i mod 2, and print Theorem 1.1's shallow bound"
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--k", type=int, default=12, help="the number of compositions (default 12)")
    parser.add_argument(
        "--form",
        choices=[form.value for form in TentForm],
        default=TentForm.TELGARSKY.value,
        help="which network computes the tent map (default: telgarsky, exact on all of R)",
    )
    parser.add_argument(
        "--layers",
        type=int,
        default=2,
        help="the depth l of the shallow networks in the bound (default 2)",
    )
    parser.add_argument(
        "--experiment",
        type=int,
        default=0,
        metavar="N",
        help="also measure N random and one trained network of --layers layers at the width "
        "limit: exact pieces and error on the points (default 0: none)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")


def report(k: int, form: TentForm, layers: int) -> dict[str, Any]:
    """Everything the command prints, as a JSON-ready dictionary."""
    start = time.perf_counter()
    net = sawtooth_network(k, form=form)
    built = time.perf_counter()
    f = PiecewiseLinear.from_network(net)
    counted = time.perf_counter()
    check = check_sawtooth(f, k, whole_line=form is not TentForm.TWO_RELU)
    deep_error = classification_error(f, k)
    checked = time.perf_counter()
    inside = f.breakpoints_in(-1, 2)
    size = network_size(k, form=form)
    width = width_limit(k, layers)
    return {
        "k": k,
        "form": form.value,
        "network": {
            "layers": size.layers,
            "relus": size.relus,
            "affine_outputs": size.affine_outputs,
            "neurons": size.neurons,
            "exact_on": size.exact_on,
        },
        "pieces": check.pieces,
        "pieces_on_R": f.num_pieces(),
        "breakpoints": {
            "count": len(inside),
            "first": [str(b) for b in inside[:3].to_fractions()],
            "last": str(inside.item(len(inside) - 1)) if len(inside) else None,
            "all_j_over_2^k": check.breakpoints_dyadic,
            "values_i_mod_2": check.values_alternate,
            "slopes_plus_minus_2^k": check.slopes_alternate,
        },
        "holds": check.holds,
        "deep_error": str(deep_error),
        "shallow_bound": {
            "layers": layers,
            "width_limit": width,
            "piece_bound": piece_bound(width, layers) if width else None,
            "error_bound": str(shallow_error_bound(k, layers, width)) if width else None,
            "at_least_one_sixth": bool(width)
            and shallow_error_bound(k, layers, width) >= Fraction(1, 6),
        },
        "timings": {
            "build_network": built - start,
            "exact_function": counted - built,
            "check": checked - counted,
            "total": checked - start,
        },
    }


def experiment(k: int, layers: int, trials: int) -> list[dict[str, Any]]:
    """Random and trained shallow networks at the width limit, measured exactly."""
    results = shallow_experiment(
        k, layers, rng=np.random.default_rng(k), random_trials=trials, trained_trials=1
    )
    return [
        {
            "kind": r.kind,
            "width": r.width,
            "pieces": r.pieces,
            "pieces_on_unit_interval": r.pieces_on_unit_interval,
            "piece_bound": r.piece_bound,
            "error": str(r.error),
            "error_bound": str(r.error_bound),
            "respects_bounds": r.respects_bounds,
        }
        for r in results
    ]


_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _power(base: str, k: int) -> str:
    """``base`` to the power ``k`` in the lecture's Unicode: m¹², 2¹²."""
    return base + str(k).translate(_SUPERSCRIPTS)


def _yes(flag: bool) -> str:
    return "yes" if flag else "NO"


def _text(result: dict[str, Any]) -> str:
    """The results in words and the lecture's notation (m^k as mᵏ, ≤, ≥, ℝ)."""
    net, bp, bound = result["network"], result["breakpoints"], result["shallow_bound"]
    k = result["k"]
    m_k, two_k = _power("m", k), _power("2", k)
    exact_on = "ℝ" if net["exact_on"] == "R" else net["exact_on"]
    output = "an affine output" if net["affine_outputs"] else "no affine output"
    lines = [
        f"{m_k}, the sawtooth, from the {result['form']} network: {net['layers']} layers, "
        f"{net['relus']} ReLUs and {output} (exact on {exact_on})",
        f"pieces on [0, 1]: {result['pieces']} = {two_k}; on ℝ: {result['pieces_on_R']}",
        f"{bp['count']} breakpoints {', '.join(bp['first'])}, …, {bp['last']}: each j/{two_k}: "
        f"{_yes(bp['all_j_over_2^k'])}; values alternate 0, 1 (i mod 2): "
        f"{_yes(bp['values_i_mod_2'])}; slopes ±{two_k}: {_yes(bp['slopes_plus_minus_2^k'])}",
        f"error of the deep network on the {2**k} points i/{two_k}: {result['deep_error']}",
    ]
    if bound["width_limit"]:
        lines.append(
            f"any network of {bound['layers']} layers of width ≤ {bound['width_limit']} has "
            f"≤ {bound['piece_bound']} pieces and error ≥ {bound['error_bound']}"
            + (" ≥ 1/6" if bound["error_bound"] != "1/6" else "")
            + " (Telgarsky 2016, Theorem 1.1)"
        )
    else:
        lines.append(f"no width satisfies Theorem 1.1's limit for l = {bound['layers']}, k = {k}")
    for row in result.get("experiment", []):
        lines.append(
            f"{row['kind']} network of width {row['width']}: {row['pieces']} pieces "
            f"(≤ {row['piece_bound']}), error {row['error']} (≥ {row['error_bound']}); "
            f"within the bounds: {_yes(row['respects_bounds'])}"
        )
    lines.append(f"holds: {_yes(result['holds'])} ({result['timings']['total']:.3f} s)")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    if args.k < 1 or args.layers < 1:
        print(f"symdl telgarsky: --k ({args.k}) and --layers ({args.layers}) must be >= 1")
        return 2
    if args.experiment < 0:
        print(f"symdl telgarsky: --experiment {args.experiment} must be >= 0")
        return 2
    if args.k > MAX_K:
        print(
            f"symdl telgarsky: --k {args.k} is too large to build piece by piece (at most {MAX_K})"
        )
        return 2
    result = report(args.k, TentForm(args.form), args.layers)
    if args.experiment:
        if not result["shallow_bound"]["width_limit"]:
            print(f"symdl telgarsky: no width fits the limit for k = {args.k}, l = {args.layers}")
            return 2
        result["experiment"] = experiment(args.k, args.layers, args.experiment)
    print(json.dumps(result, indent=2) if args.json else _text(result))
    bounds = all(row["respects_bounds"] for row in result.get("experiment", []))
    return 0 if result["holds"] and result["deep_error"] == "0" and bounds else 1
