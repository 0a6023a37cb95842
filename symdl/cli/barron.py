"""``symdl barron``: the Fourier transform, Barron's constant C_f and Barron's bound of f.

``symdl barron "exp(-x^2/2)"`` works on the line (variable ``x``); ``--dim 3`` works in R^3 with
variables ``x1 … x3``, and ``r`` standing for ``|x|`` (``symdl barron "exp(-r^2/2)" --dim 3``);
``--dim d`` keeps the dimension symbolic (f in ``r`` only).
The text is read by symdl's safe parser (:func:`symdl.grading.parsing.parse_expression`), never by
``sympify``.  Exit status: 0 (C_f found, finite or ∞), 1 (a mathematical failure: symdl cannot
do this function yet, f has no Fourier transform, or the time limit ``--time-limit`` passed),
2 (bad input: text that does not parse, a bad option).  A failure is explained on standard
error.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

import sympy as sp

from symdl.approximation.barron import BarronConstant, barron_constant, barron_constant_radial
from symdl.approximation.bound import barron_bound
from symdl.cli.options import failure, time_limit
from symdl.core.limits import deadline
from symdl.grading.parsing import parse_expression
from symdl.optimization.series import plain_text

NAME = "barron"
HELP = "Barron's constant C_f of a function and the bound (2 r C_f)^2/n: symdl barron 'exp(-x^2/2)'"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "function", help="f in x (or in x1 … xd and r = |x| with --dim d), e.g. 'exp(-x^2/2)'"
    )
    parser.add_argument(
        "--dim",
        default="1",
        metavar="D",
        help="dimension: an integer (default 1), or the letter d for a symbolic dimension "
        "(then f must be written in r = |x|)",
    )
    parser.add_argument(
        "--radius", type=float, default=1.0, metavar="R", help="radius r of the ball (default 1)"
    )
    parser.add_argument(
        "--neurons", type=int, default=1, metavar="N", help="number n of neurons (default 1)"
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="stop and exit with status 1 after this long (default 60)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")


def _dimension(text: str) -> int | sp.Symbol:
    if text == "d":
        return sp.Symbol("d", positive=True, integer=True)
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"--dim {text}: write an integer ≥ 1, or d for a symbolic dimension")
    return int(text)


def _function(text: str, dim: int | sp.Symbol) -> tuple[sp.Expr, list[sp.Symbol]]:
    """f and its variables; in R^d (d ≥ 2) the name r stands for |x|."""
    r = sp.Symbol("r", positive=True)
    if isinstance(dim, sp.Symbol):
        return parse_expression(text, symbols={"r": r}), [r]
    if dim == 1:
        x = sp.Symbol("x", real=True)
        return parse_expression(text, symbols={"x": x}), [x]
    variables = [sp.Symbol(f"x{i}", real=True) for i in range(1, dim + 1)]
    f = parse_expression(text, symbols={**{str(v): v for v in variables}, "r": r})
    return f.subs(r, sp.sqrt(sum(v**2 for v in variables))), variables


def _payload(c: BarronConstant, bound: sp.Expr, radius: float, neurons: int) -> dict[str, Any]:
    symbolic = not c.dim.is_Integer
    transform = c.transform
    frequency = "ω" if c.dim == 1 else "ρ = |ω|"
    return {
        "function": sp.sstr(c.function),
        "variables": [str(v) for v in c.variables],
        "dim": str(c.dim) if symbolic else int(c.dim),
        "transform": None if transform is None else sp.sstr(transform.expr),
        "transform_latex": None if transform is None else sp.latex(transform.expr),
        "transform_variable": frequency,
        "transform_source": None if transform is None else transform.source,
        "constant_exact": None if c.exact is None else sp.sstr(c.exact),
        "constant_numeric": "inf" if c.numeric == math.inf else c.numeric,
        "checks": [{"dim": n, "exact": e, "quadrature": q} for n, e, q in c.checks],
        "constant_error": c.error,
        "reason": c.reason,
        "radius": radius,
        "neurons": neurons,
        "bound_exact": sp.sstr(bound),
        "bound_numeric": None if symbolic else ("inf" if bound is sp.oo else float(bound)),
    }


def _text(p: dict[str, Any], c: BarronConstant, bound: sp.Expr) -> str:
    """The results for people: the payload, its expressions in plain notation."""
    shown = {
        **p,
        "function": plain_text(c.function),
        "transform": None if c.transform is None else plain_text(c.transform.expr),
        "constant_exact": None if c.exact is None else plain_text(c.exact),
        "bound_exact": plain_text(bound),
    }
    return plain_text(_lines(shown))


def _lines(p: dict[str, Any]) -> str:
    lines = [f"f = {p['function']}  on R^{p['dim']}"]
    if p["transform"] is not None:
        lines.append(
            f"f̂({p['transform_variable']}) = {p['transform']}   "
            f"[Barron's convention (2π)^-d ∫ e^(-iω·x) f dx; {p['transform_source']}]"
        )
    numeric = p["constant_numeric"]
    exact = p["constant_exact"] if p["constant_exact"] is not None else "(no closed form)"
    if numeric == "inf":
        lines.append(f"C_f = ∞   ({p['reason']})")
    elif numeric is None:
        lines.append(f"C_f = {exact}")
        lines.extend(
            f"      d = {c['dim']}: {c['exact']:.15g} (quadrature {c['quadrature']:.15g})"
            for c in p["checks"]
        )
    else:
        value = f"{numeric:.15g}"
        shown = f"{exact} = {value}" if exact != value else value
        lines.append(f"C_f = {shown}  (± {p['constant_error']:.1e})")
        lines.append(f"      {p['reason']}")
    lines.append(
        f"bound (2 r C_f)^2 / n with r = {p['radius']:g}, n = {p['neurons']}: "
        f"{p['bound_exact']}"
        + ("" if p["bound_numeric"] in ("inf", None) else f" = {p['bound_numeric']:.6g}")
    )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    try:  # the input: its text and the options (exit 2 when bad)
        seconds = time_limit(args.time_limit)
        dim = _dimension(args.dim)
        f, variables = _function(args.function, dim)
        if not args.radius > 0 or not math.isfinite(args.radius):
            raise ValueError(f"--radius {args.radius}: the radius must be a positive number")
        if args.neurons < 1:
            raise ValueError(f"--neurons {args.neurons}: the number of neurons must be ≥ 1")
    except (ValueError, TypeError) as error:
        print(f"symdl {NAME}: {plain_text(error)}", file=sys.stderr)
        return 2
    try:  # the mathematics (exit 1 when it fails, whatever the reason)
        with deadline(seconds):
            if isinstance(dim, sp.Symbol):
                constant = barron_constant_radial(f, variables[0], dim=dim, seconds=seconds)
            else:
                constant = barron_constant(f, variables, seconds=seconds)
            bound = barron_bound(constant, sp.nsimplify(args.radius), args.neurons)
            payload = _payload(constant, bound, args.radius, args.neurons)
    except Exception as error:  # every outcome but a value is reported, none escapes
        print(failure(NAME, error, seconds=seconds), file=sys.stderr)
        return 1
    print(json.dumps(payload, indent=2) if args.json else _text(payload, constant, bound))
    return 0
