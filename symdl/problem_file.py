r"""Gradient problems written in a small TOML file, for ``symdl check`` and ``symdl grade``.

Two kinds of problem, one table each; every key is checked (a misspelt key is an error):

.. code-block:: toml

    title = "d/dx of x^2 sin(y)"
    [expression]
    function = "x^2 \\sin(y)"      # read with the safe parser (symdl.parsing)
    variables = ["x", "y"]          # real symbols; list positive ones under `positive`
    wrt = "x"                       # a name, or a list of names (a gradient vector)
    [domains]
    y = ["1/10", 3]                 # sampling interval per variable (exact numbers)
    [check]
    points = 6                      # any field of symdl.equivalence.CheckOptions
    time_limit = 10

.. code-block:: toml

    [network]
    sizes = [2, 2, 1]
    activations = ["sigmoid", "sigmoid"]
    loss = "mse"
    wrt = "W2"                      # W1, b1, W2, ... or a list of parameter names
    quantities = ["z", "a"]         # names an answer may use (default also "delta")

Examples
--------
>>> problem, options = load_problem_text('''
... [expression]
... function = "x^3"
... variables = ["x"]
... wrt = "x"
... ''')
>>> problem.truth
3*x**2
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import sympy as sp

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from symdl.equivalence import CheckOptions, SamplingInterval
from symdl.gradcheck import GradientProblem, Quantity
from symdl.parsing import AnswerSyntaxError, parse_expression

__all__ = ["load_problem", "load_problem_text"]

_TOP = {"title", "expression", "network", "domains", "check"}
_EXPRESSION = {"function", "variables", "positive", "wrt"}
_NETWORK = {"sizes", "activations", "loss", "wrt", "quantities"}


def _keys(table: Mapping[str, Any], accepted: set[str], where: str) -> None:
    unknown = set(table) - accepted
    if unknown:
        raise ValueError(
            f"unknown key(s) {sorted(unknown)} in {where}; accepted: {', '.join(sorted(accepted))}"
        )


def _names(value: Any, key: str) -> list[str]:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise ValueError(f"{key} = {value!r}: give a name or a list of names")
    return names


def _parse(text: str, key: str, symbols: Mapping[str, sp.Symbol] | None = None) -> sp.Expr:
    """``text`` read by the safe parser; an error names the key of the problem file."""
    try:
        return parse_expression(text, symbols=symbols or {})
    except AnswerSyntaxError as error:
        raise ValueError(f"{key} = {text!r}: {error}") from None


def _exact(value: Any, key: str) -> sp.Rational:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(
            f"{key} = {value!r}: give an integer or an exact number as text, "
            'e.g. "1/10" (floats are not exact)'
        )
    number = _parse(str(value), key)
    if not isinstance(number, sp.Rational):
        raise ValueError(f"{key} = {value!r} is not a rational number")
    return number


def _expression_problem(table: Mapping[str, Any]) -> tuple[GradientProblem, dict[str, sp.Symbol]]:
    _keys(table, _EXPRESSION, "[expression]")
    for key in ("function", "variables", "wrt"):
        if key not in table:
            raise ValueError(f"[expression] needs {key!r}")
    positive = set(_names(table["positive"], "positive")) if "positive" in table else set()
    names = {
        n: sp.Symbol(n, real=True, positive=(n in positive) or None)
        for n in _names(table["variables"], "variables")
    }
    if positive - set(names):
        raise ValueError(f"positive names {sorted(positive - set(names))} are not variables")
    for name, symbol in names.items():
        try:
            readable = parse_expression(name, symbols=names) == symbol
        except AnswerSyntaxError:
            readable = False
        if not readable:
            raise ValueError(
                f"variables: {name!r} cannot be written in an answer; name a variable by a "
                "letter or a word, optionally with a subscript (x, x_1, w_{12}, alpha)"
            )
    f = _parse(str(table["function"]), "function", names)
    wrt_names = table["wrt"]
    resolved = [_parse(n, "wrt", names) for n in _names(wrt_names, "wrt")]
    wrt: Any = resolved[0] if isinstance(wrt_names, str) else resolved
    problem = GradientProblem.from_expression(f, wrt, variables=list(names.values()))
    return problem, names


def _network_problem(table: Mapping[str, Any]) -> GradientProblem:
    from symdl.losses import get_loss
    from symdl.network import Network

    _keys(table, _NETWORK, "[network]")
    for key in _NETWORK - {"quantities"}:
        if key not in table:
            raise ValueError(f"[network] needs {key!r}")
    net = Network.mlp(table["sizes"], table["activations"])
    wrt: Any = table["wrt"]
    if isinstance(wrt, list):
        names = {s.name: s for s in net.parameters}
        wrt = [_parse(n, "wrt", names) for n in _names(wrt, "wrt")]
    chosen = _names(table.get("quantities", [q.value for q in Quantity]), "quantities")
    known = {q.value: q for q in Quantity}
    if set(chosen) - set(known):
        raise ValueError(f"quantities = {chosen!r}: accepted are {sorted(known)}")
    quantities = [known[n] for n in chosen]
    return GradientProblem.from_network(net, get_loss(table["loss"]), wrt, quantities=quantities)


def load_problem_text(text: str) -> tuple[GradientProblem, CheckOptions]:
    """Read a problem from TOML text; returns the problem and its check options."""
    data = tomllib.loads(text)
    _keys(data, _TOP, "the problem file")
    if ("expression" in data) == ("network" in data):
        raise ValueError("a problem file has exactly one of the tables [expression], [network]")
    if "expression" in data:
        problem, _ = _expression_problem(data["expression"])
    else:
        problem = _network_problem(data["network"])
    domains = {}
    for name, bounds in data.get("domains", {}).items():
        symbol = _parse(name, "[domains] variable", problem.names)
        if not isinstance(symbol, sp.Symbol) or not isinstance(bounds, list) or len(bounds) != 2:
            raise ValueError(f"[domains] {name} = {bounds!r}: give a variable and [low, high]")
        domains[symbol] = SamplingInterval(_exact(bounds[0], name), _exact(bounds[1], name))
    fields = {f.name for f in dataclasses.fields(CheckOptions)}
    _keys(data.get("check", {}), fields, "[check]")
    options = CheckOptions(**data.get("check", {}))
    title = data.get("title", problem.statement)
    return dataclasses.replace(problem, domains=domains, statement=str(title)), options


def load_problem(path: str | Path) -> tuple[GradientProblem, CheckOptions]:
    """Read a problem file (TOML, see the module's description)."""
    return load_problem_text(Path(path).read_text(encoding="utf-8"))
