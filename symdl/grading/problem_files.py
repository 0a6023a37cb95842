r"""Gradient problems written in a small TOML file, for ``symdl check`` and ``symdl grade``.

Two kinds of problem, one table each; every key is checked (a misspelt key is an error):

.. code-block:: toml

    title = "d/dx of x^2 sin(y)"
    [expression]
    function = "x^2 \\sin(y)"      # read with the safe parser (symdl.grading.parsing)
    variables = ["x", "y"]          # real symbols; list positive ones under `positive`
    wrt = "x"                       # a name, or a list of names (a gradient vector)
    [domains]
    y = ["1/10", 3]                 # sampling interval per variable (exact numbers)
    [check]
    points = 6                      # any field of symdl.referee.equivalence.CheckOptions
    time_limit = 10

.. code-block:: toml

    [network]
    sizes = [2, 2, 1]
    activations = ["sigmoid", "sigmoid"]
    loss = "mse"
    wrt = "W2"                      # W1, b1, W2, ... a parameter, or a list of parameters
    quantities = ["z", "a"]         # names an answer may use (default also "delta")

Either kind may constrain groups of its variables (:mod:`symdl.referee.sampling`): a probability
vector (entries at least 0, summing to 1) or a one-hot vector.  A network's targets are
``y_1, y_2, …``; without the table they are what the loss implies (one-hot for a
classification loss), and an empty table samples them freely.

.. code-block:: toml

    [constraints]
    simplex = [["y_1", "y_2"]]      # groups of names, each a probability vector
    one_hot = [["t_1", "t_2", "t_3"]]

A file is text from outside, so everything in it is bounded, and the error names the bound:
the file's size (:data:`MAX_FILE_BYTES`), the number of variables (:data:`MAX_VARIABLES`),
``points``, ``dps``, the time limits and ``symbolic_size`` (:data:`MAX_POINTS`,
:data:`MAX_DPS`, :data:`MAX_SECONDS`, :data:`MAX_SYMBOLIC_SIZE`), the network's widths, depth
and parameters (:func:`symdl.core.network.read_layer_sizes`), and the time to build the problem
(:data:`BUILD_SECONDS`).  To raise one, set it in Python before reading the file
(``symdl.grading.problem_files.MAX_POINTS = 200``).

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
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import sympy as sp

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from symdl.core.limits import TimeLimitExceededError, deadline
from symdl.grading.answers import GradientProblem, Quantity
from symdl.grading.parsing import AnswerSyntaxError, parse_expression
from symdl.referee.equivalence import CheckOptions, SamplingInterval
from symdl.referee.sampling import Constraint

if TYPE_CHECKING:
    from symdl.core.losses import Loss
    from symdl.core.network import Network

__all__ = [
    "BUILD_SECONDS",
    "MAX_DPS",
    "MAX_FILE_BYTES",
    "MAX_POINTS",
    "MAX_SECONDS",
    "MAX_SYMBOLIC_SIZE",
    "MAX_TITLE_CHARS",
    "MAX_VARIABLES",
    "building",
    "check_seconds",
    "check_variable_names",
    "load_problem",
    "load_problem_text",
    "network_names",
    "read_constraints",
]

# Bounds on what a problem file may ask for: a file is text from outside, and grading runs it
# once per answer.  Each is named in the error that it causes; to raise one, set it in Python
# (``symdl.grading.problem_files.MAX_POINTS = 200``) before the file is read.

#: The largest problem file, in bytes.
MAX_FILE_BYTES = 1_000_000
#: The most sample points per entry (``[check] points``).
MAX_POINTS = 100
#: The most significant digits of the high-precision comparison (``[check] dps``).
MAX_DPS = 1000
#: The longest time limits, in seconds (``[check] time_limit``, ``symbolic_seconds``).
MAX_SECONDS = 600.0
#: The largest expression that the checks simplify (``[check] symbolic_size``).
MAX_SYMBOLIC_SIZE = 10_000
#: The most variables of a problem.
MAX_VARIABLES = 100
#: The longest title, in characters.
MAX_TITLE_CHARS = 1000
#: Seconds to build the problem from the file (its true gradient and the modelled mistakes).
BUILD_SECONDS = 60.0

_T = TypeVar("_T")


def _raise_it(name: str) -> str:
    return (
        f"symdl.grading.problem_files.{name}; to raise it, set it in Python before reading the file"
    )


_TOP = {"title", "expression", "network", "domains", "check", "constraints"}
_EXPRESSION = {"function", "variables", "positive", "wrt"}
_NETWORK = {"sizes", "activations", "loss", "wrt", "quantities"}
_LAYER = re.compile(r"[Wb][1-9][0-9]{0,3}")


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:76] + "..." + text[-1]


def _keys(table: Any, accepted: set[str], where: str) -> None:
    if not isinstance(table, Mapping):
        raise ValueError(f"{where} = {_shown(table)}: expected a table of keys")
    unknown = set(table) - accepted
    if unknown:
        raise ValueError(
            f"unknown key(s) {sorted(unknown)} in {where}; accepted: {', '.join(sorted(accepted))}"
        )


def _names(value: Any, key: str, *, limit: int | None = None) -> list[str]:
    """A name or a list of names; at most ``limit`` of them (default: MAX_VARIABLES)."""
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise ValueError(f"{key} = {_shown(value)}: give a name or a list of names")
    if limit is not None and len(names) > limit:
        raise ValueError(f"{key} lists {len(names)} names; the problem has only {limit}")
    if len(names) > MAX_VARIABLES:
        raise ValueError(
            f"{key} lists {len(names)} names; a problem has at most {MAX_VARIABLES} variables "
            f"({_raise_it('MAX_VARIABLES')})"
        )
    return names


def _parse(text: str, key: str, symbols: Mapping[str, sp.Symbol] | None = None) -> sp.Expr:
    """``text`` read by the safe parser; an error names the key of the problem file."""
    if not isinstance(text, str):
        raise ValueError(f"{key} = {_shown(text)}: give text (a TOML string)")
    try:
        return parse_expression(text, symbols=symbols or {})
    except AnswerSyntaxError as error:
        raise ValueError(f"{key} = {_shown(text)}: {error}") from None


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


def check_variable_names(
    names: list[str], *, key: str = "variables", **assumptions: Any
) -> dict[str, sp.Symbol]:
    r"""Real symbols for ``names``, each a name that an answer can write.

    A name is a letter or a word, optionally with a subscript (``x``, ``x_1``, ``w_{12}``,
    ``alpha``): what :func:`symdl.grading.parsing.parse_expression` reads back as that very symbol.
    Anything else (LaTeX commands, spaces, operators) is refused, so that a name shown in
    LaTeX or in a web page is never more than a name.  ``assumptions`` are given to every
    symbol (``positive=True``).

    Examples
    --------
    >>> check_variable_names(["x", "w_1"])
    {'x': x, 'w_1': w_1}
    >>> check_variable_names([r"\input{secret}"])
    Traceback (most recent call last):
    ...
    ValueError: variables: '\\input{secret}' cannot be written in an answer; name a variable ...
    """
    if len(names) > MAX_VARIABLES:
        raise ValueError(
            f"{key} lists {len(names)} names; a problem has at most {MAX_VARIABLES} variables "
            f"({_raise_it('MAX_VARIABLES')})"
        )
    symbols = {n: sp.Symbol(n, real=True, **assumptions) for n in names}
    for name, symbol in symbols.items():
        try:
            readable = len(name) <= 40 and parse_expression(name, symbols=symbols) == symbol
        except AnswerSyntaxError:
            readable = False
        if not readable:
            raise ValueError(
                f"{key}: {_shown(name)} cannot be written in an answer; name a variable by a "
                "letter or a word, optionally with a subscript (x, x_1, w_{12}, alpha)"
            )
    return symbols


def _expression_problem(
    table: Mapping[str, Any], constraints: Mapping[str, Any] | None
) -> tuple[GradientProblem, dict[str, sp.Symbol]]:
    _keys(table, _EXPRESSION, "[expression]")
    for key in ("function", "variables", "wrt"):
        if key not in table:
            raise ValueError(f"[expression] needs {key!r}")
    positive = set(_names(table["positive"], "positive")) if "positive" in table else set()
    variables = _names(table["variables"], "variables")
    if positive - set(variables):
        raise ValueError(f"positive names {sorted(positive - set(variables))} are not variables")
    names = {
        **check_variable_names([n for n in variables if n not in positive]),
        **check_variable_names([n for n in variables if n in positive], positive=True),
    }
    names = {n: names[n] for n in variables}
    f = _parse(table["function"], "function", names)
    wrt_names = table["wrt"]
    resolved = [_parse(n, "wrt", names) for n in _names(wrt_names, "wrt")]
    wrt: Any = resolved[0] if isinstance(wrt_names, str) else resolved
    with building():
        problem = GradientProblem.from_expression(
            f,
            wrt,
            variables=list(names.values()),
            constraints=read_constraints(constraints, names),
        )
    return problem, names


def _network_problem(
    table: Mapping[str, Any], constraints: Mapping[str, Any] | None
) -> GradientProblem:
    from symdl.core.losses import get_loss
    from symdl.core.network import Network, read_layer_sizes

    _keys(table, _NETWORK, "[network]")
    for key in _NETWORK - {"quantities"}:
        if key not in table:
            raise ValueError(f"[network] needs {key!r}")
    sizes = read_layer_sizes(table["sizes"], name="[network] sizes")
    activations = table["activations"]
    if not isinstance(activations, (str, list)) or not all(
        isinstance(a, str) for a in ([activations] if isinstance(activations, str) else activations)
    ):
        raise ValueError(
            f"activations = {_shown(activations)}: give an activation name, or a list of "
            "one name per layer"
        )
    if not isinstance(table["loss"], str):
        raise ValueError(f"loss = {_shown(table['loss'])}: give the name of a loss, e.g. 'mse'")
    net = Network.mlp(sizes, activations)
    loss = get_loss(table["loss"])
    wrt: Any = table["wrt"]
    parameters = {s.name: s for s in net.parameters}
    if isinstance(wrt, list):
        wrt = [_parse(n, "wrt", parameters) for n in _names(wrt, "wrt", limit=len(parameters))]
    elif isinstance(wrt, str) and not _LAYER.fullmatch(wrt):
        wrt = _parse(wrt, "wrt", parameters)
    elif not isinstance(wrt, str):
        raise ValueError(f"wrt = {_shown(wrt)}: give a layer (W1, b2) or parameter names")
    chosen = _names(table.get("quantities", [q.value for q in Quantity]), "quantities")
    known = {q.value: q for q in Quantity}
    if set(chosen) - set(known):
        raise ValueError(f"quantities = {chosen!r}: accepted are {sorted(known)}")
    quantities = [known[n] for n in chosen]
    with building():
        chosen_constraints = None  # the loss's own: one-hot targets for a classification loss
        if constraints is not None:
            chosen_constraints = read_constraints(constraints, network_names(net, loss))
        return GradientProblem.from_network(
            net, loss, wrt, quantities=quantities, constraints=chosen_constraints
        )


def read_constraints(
    groups: Mapping[str, Any] | None,
    names: Mapping[str, sp.Symbol],
    *,
    where: str = "[constraints]",
) -> list[Constraint]:
    """Constraints on groups of variables, named as in a problem file's ``[constraints]``.

    ``groups`` maps ``"simplex"`` and ``"one_hot"`` to lists of groups of names (``{"simplex":
    [["y_1", "y_2"]]}``); each name is read as an answer would write it and must be one of
    ``names``.  Returns :class:`symdl.referee.sampling.Simplex` and
    :class:`symdl.referee.sampling.OneHot`
    constraints, in the order given.

    Examples
    --------
    >>> y1, y2 = sp.symbols("y_1 y_2", real=True)
    >>> read_constraints({"simplex": [["y_1", "y_2"]]}, {"y_1": y1, "y_2": y2})
    [Simplex(symbols=(y_1, y_2))]
    """
    if not groups:
        return []
    from symdl.referee.sampling import OneHot, Simplex

    kinds: dict[str, Callable[[list[sp.Symbol]], Constraint]] = {
        "simplex": Simplex,
        "one_hot": OneHot,
    }
    _keys(groups, set(kinds), where)
    chosen: list[Constraint] = []
    for kind, lists in groups.items():
        example = f'{kind} = [["y_1", "y_2"]]'
        if not isinstance(lists, list) or not all(isinstance(g, list) for g in lists):
            raise ValueError(
                f"{where} {kind} = {_shown(lists)}: give a list of groups of variable names, "
                f"e.g. {example}"
            )
        if len(lists) > MAX_VARIABLES:
            raise ValueError(
                f"{where} {kind}: {len(lists)} groups; at most {MAX_VARIABLES} "
                f"({_raise_it('MAX_VARIABLES')})"
            )
        for group in lists:
            members = [_parse(n, f"{where} {kind}", names) for n in _names(group, kind)]
            if not all(isinstance(m, sp.Symbol) for m in members):
                raise ValueError(
                    f"{where} {kind} = {_shown(lists)}: name variables of the problem, "
                    f"e.g. {example}"
                )
            try:
                chosen.append(kinds[kind](members))
            except (TypeError, ValueError) as error:
                raise ValueError(f"{where} {kind}: {error}") from None
    return chosen


def network_names(net: Network, loss: Loss) -> dict[str, sp.Symbol]:
    """The names of a network's inputs, parameters and targets (for a loss), by name."""
    from symdl.backpropagation.reverse_mode import backprop

    symbols = (*net.inputs, *net.parameters, *backprop(net, loss).targets)
    return {s.name: s for s in symbols}


@contextmanager
def building(what: str = "the problem") -> Iterator[None]:
    """Stop the building of a problem that takes longer than :data:`BUILD_SECONDS`.

    A problem read from text (its network, its function) is built under this limit, so that
    no file or option can keep a grading run or a documentation build busy for hours; the
    error names the limit.
    """
    try:
        with deadline(BUILD_SECONDS):
            yield
    except TimeLimitExceededError:
        raise ValueError(
            f"building {what} took longer than {BUILD_SECONDS:g} s (the true gradient and the "
            f"modelled mistakes); make it smaller, or raise the limit "
            f"({_raise_it('BUILD_SECONDS')})"
        ) from None


def check_seconds(value: Any, *, name: str) -> float:
    """A time limit from text: a number of seconds, positive, finite, at most MAX_SECONDS.

    Examples
    --------
    >>> check_seconds(5, name="time_limit")
    5.0
    >>> check_seconds(float("inf"), name="--time-limit")
    Traceback (most recent call last):
    ...
    ValueError: --time-limit = inf: give a number of seconds above 0 and at most 600 ...
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} = {_shown(value)}: expected a number of seconds, e.g. 10")
    seconds = float(value)
    if not (0 < seconds <= MAX_SECONDS):  # also refuses nan and inf
        raise ValueError(
            f"{name} = {value!r}: give a number of seconds above 0 and at most "
            f"{MAX_SECONDS:g} ({_raise_it('MAX_SECONDS')})"
        )
    return seconds


def _check_options(table: Any) -> CheckOptions:
    """The ``[check]`` table as :class:`CheckOptions`, every number within its bound."""
    _keys(table, {f.name for f in dataclasses.fields(CheckOptions)}, "[check]")
    values = dict(table)
    bounds = {
        "points": (2, "MAX_POINTS"),
        "dps": (20, "MAX_DPS"),
        "symbolic_size": (0, "MAX_SYMBOLIC_SIZE"),
    }
    for key, (low, limit) in bounds.items():
        if key not in values:
            continue
        value, high = values[key], globals()[limit]
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"[check] {key} = {_shown(value)}: expected an integer")
        if not low <= value <= high:
            raise ValueError(
                f"[check] {key} = {value!r}: give an integer from {low} to {high:,} "
                f"({_raise_it(limit)})"
            )
    if "time_limit" in values:
        values["time_limit"] = check_seconds(values["time_limit"], name="[check] time_limit")
    if "symbolic_seconds" in values:
        seconds = values["symbolic_seconds"]
        if seconds != 0:  # 0: no simplification
            values["symbolic_seconds"] = check_seconds(seconds, name="[check] symbolic_seconds")
    return CheckOptions(**values)


def _guarded(read: Callable[[], _T], what: str) -> _T:
    try:
        return read()
    except RecursionError:
        raise ValueError(
            f"{what} is nested too deeply (arrays or tables inside one another); a problem "
            "file needs at most two levels"
        ) from None


def load_problem_text(text: str) -> tuple[GradientProblem, CheckOptions]:
    """Read a problem from TOML text; returns the problem and its check options.

    Everything in the text is bounded (the sizes of a network, the number of variables and
    of points, the time limits: see the module's constants), and the problem is built within
    :data:`BUILD_SECONDS`.
    """
    if not isinstance(text, str):
        raise TypeError(f"the problem text must be a string, not {type(text).__name__}")
    if len(text) > MAX_FILE_BYTES:
        raise ValueError(
            f"the problem file has {len(text):,} characters; at most {MAX_FILE_BYTES:,} are "
            f"read ({_raise_it('MAX_FILE_BYTES')})"
        )
    data = _guarded(lambda: tomllib.loads(text), "the problem file")
    _keys(data, _TOP, "the problem file")
    if ("expression" in data) == ("network" in data):
        raise ValueError("a problem file has exactly one of the tables [expression], [network]")
    options = _check_options(data.get("check", {}))
    title = data.get("title")
    if title is not None and (not isinstance(title, str) or len(title) > MAX_TITLE_CHARS):
        raise ValueError(
            f"title = {_shown(title)}: give text of at most {MAX_TITLE_CHARS:,} characters "
            f"({_raise_it('MAX_TITLE_CHARS')})"
        )
    constraints = data.get("constraints")
    if "expression" in data:
        problem, _ = _expression_problem(data["expression"], constraints)
    else:
        problem = _network_problem(data["network"], constraints)
    domains = dict(problem.domains)  # those the loss implies (targets in [0, 1]), then the file's
    table = data.get("domains", {})
    if not isinstance(table, Mapping):
        raise ValueError(f"[domains] = {_shown(table)}: expected a table, e.g. y = [0, 1]")
    for name, bounds in table.items():
        symbol = _parse(name, "[domains] variable", problem.names)
        if not isinstance(symbol, sp.Symbol) or not isinstance(bounds, list) or len(bounds) != 2:
            raise ValueError(f"[domains] {name} = {bounds!r}: give a variable and [low, high]")
        domains[symbol] = SamplingInterval(_exact(bounds[0], name), _exact(bounds[1], name))
    statement = problem.statement if title is None else title
    return dataclasses.replace(problem, domains=domains, statement=statement), options


def load_problem(path: str | Path) -> tuple[GradientProblem, CheckOptions]:
    """Read a problem file (TOML, see the module's description)."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ValueError(
            f"{path}: {size:,} bytes; a problem file has at most {MAX_FILE_BYTES:,} "
            f"({_raise_it('MAX_FILE_BYTES')})"
        )
    with path.open("rb") as file:
        raw = file.read(MAX_FILE_BYTES + 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    return load_problem_text(text)
