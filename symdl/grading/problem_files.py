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
    activations = ["sigmoid", "sigmoid"]  # a layer may list one per neuron: [["relu", "tanh"], …]
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

The tables, flattened, are the fields that :func:`problem_from_fields` reads: the one reader
of a problem written as text, which ``symdl check "d/dx of …"`` and the ``symdl-gradcheck``
directive call too, so that a field means the same and a bad field gets the same error
(:class:`ProblemFieldError`, naming the field) wherever it is written.

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
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import sympy as sp

from symdl.core.exceptions import shown as _shown

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from symdl.core.exact import exact_from_text, exact_rational
from symdl.core.limits import TimeLimitExceededError, deadline
from symdl.grading.answers import GradientProblem, Quantity
from symdl.grading.lexing import AnswerSyntaxError, UnknownNameError
from symdl.grading.parsing import parse_expression
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
    "ProblemFieldError",
    "building",
    "check_seconds",
    "check_variable_names",
    "load_problem",
    "load_problem_text",
    "network_names",
    "problem_from_fields",
    "read_constraint_groups",
    "read_constraints",
    "read_names",
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
_COMMON = {"domains", "constraints", "check", "title"}
_INTERVAL = re.compile(r"^\s*(?P<name>[^=\s]+)\s*=\s*\[(?P<low>[^,\]]+),(?P<high>[^,\]]+)\]\s*$")
_GROUP = re.compile(r"^\s*(?P<kind>[A-Za-z_-]+)\s*\((?P<names>[^()]*)\)\s*$")
_CONSTRAINT_KINDS = {"simplex": "simplex", "one-hot": "one_hot", "one_hot": "one_hot"}
_LAYER = re.compile(r"[Wb][1-9][0-9]{0,3}")


def _keys(table: Any, accepted: set[str], where: str) -> None:
    if not isinstance(table, Mapping):
        raise ValueError(f"{where} = {_shown(table)}: expected a table of keys")
    unknown = set(table) - accepted
    if unknown:
        raise ValueError(
            f"unknown key(s) {sorted(unknown)} in {where}; accepted: {', '.join(sorted(accepted))}"
        )


def _parse(text: Any, key: str, symbols: Mapping[str, sp.Symbol] | None = None) -> sp.Expr:
    """``text`` read by the safe parser; an error names the field."""
    if not isinstance(text, str):
        raise ProblemFieldError(key, f"{key} = {_shown(text)}: give text (a TOML string)")
    try:
        return parse_expression(text, symbols=symbols or {})
    except UnknownNameError as error:
        raise ProblemFieldError(
            key, f"{key} = {_shown(text)}: {error}", unknown=error.name
        ) from None
    except AnswerSyntaxError as error:
        raise ProblemFieldError(key, f"{key} = {_shown(text)}: {error}") from None


def _exact(value: Any, key: str) -> sp.Rational:
    """An exact rational number: an integer, or text such as ``"1/10"`` (never a float)."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ProblemFieldError(
            key.split()[0],
            f"{key} = {value!r}: give an integer or an exact number as text, "
            'e.g. "1/10" (floats are not exact)',
        )
    try:
        if isinstance(value, int):
            return exact_rational(value, name=key)
        return exact_rational(exact_from_text(value, name=key), name=key)
    except (TypeError, ValueError) as error:
        raise ProblemFieldError(key.split()[0], str(error)) from None


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


class ProblemFieldError(ValueError):
    """A field of a problem that cannot be read; the message names the field and the value.

    Every entry point that reads a problem from text (a problem file, the question of
    ``symdl check``, the ``symdl-gradcheck`` directive) raises the same message for the same
    bad field; an entry point may add a hint in its own syntax.

    Attributes
    ----------
    field : str
        The field, as a problem file names it: ``function``, ``wrt``, ``sizes``, ...
    unknown : str or None
        The name that the field uses and the problem does not have, when that is the fault.
    """

    def __init__(self, field: str, message: str, *, unknown: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.unknown = unknown

    def __reduce__(self) -> tuple[Any, ...]:
        return (_field_error, (self.field, str(self), self.unknown))


def _field_error(field: str, message: str, unknown: str | None) -> ProblemFieldError:
    return ProblemFieldError(field, message, unknown=unknown)


@contextmanager
def _field(name: str) -> Iterator[None]:
    """Any ValueError or TypeError raised while reading the field ``name`` names that field."""
    try:
        yield
    except ProblemFieldError:
        raise
    except (ValueError, TypeError) as error:
        message = str(error)
        named = message.startswith((f"{name} ", f"{name}:"))
        raise ProblemFieldError(name, message if named else f"{name}: {message}") from None


_OPENING, _CLOSING = "{([", "})]"
#: The longest text of a list of names (a hundred names of forty characters, and separators).
_MAX_NAMES_TEXT = 5000


def _split_names(text: str, key: str) -> list[str]:
    """Names separated by commas or spaces, outside braces and brackets (``w_{1,2}`` is one)."""
    if len(text) > _MAX_NAMES_TEXT:
        raise ProblemFieldError(
            key, f"{key}: {len(text):,} characters; a list of names has at most {_MAX_NAMES_TEXT:,}"
        )
    names, current, depth = [], "", 0
    for character in text:
        depth += (character in _OPENING) - (character in _CLOSING and depth > 0)
        if depth == 0 and (character == "," or character.isspace()):
            names.append(current)
            current = ""
        else:
            current += character
    return [name for name in [*names, current] if name]


def _names(value: Any, key: str, *, limit: int | None = None) -> list[str]:
    """A name, a list of names, or text of names separated by commas or spaces.

    At most ``limit`` of them (and at most MAX_VARIABLES); repeated names are kept once.
    """
    if isinstance(value, str):
        names = _split_names(value, key)
    elif isinstance(value, (list, tuple)) and all(isinstance(n, str) for n in value):
        names = list(value)
    else:
        names = []
    if not names:
        raise ProblemFieldError(
            key,
            f"{key} = {_shown(value)}: give a name, a list of names, or names separated by "
            "commas (e.g. x, y)",
        )
    names = list(dict.fromkeys(names))
    if limit is not None and len(names) > limit:
        raise ProblemFieldError(
            key, f"{key} lists {len(names)} names; the problem has only {limit}"
        )
    if len(names) > MAX_VARIABLES:
        raise ProblemFieldError(
            key,
            f"{key} lists {len(names)} names; a problem has at most {MAX_VARIABLES} variables "
            f"({_raise_it('MAX_VARIABLES')})",
        )
    return names


def read_names(value: str | Sequence[str], *, key: str = "names") -> list[str]:
    """Names written as a problem's fields write them: a name, a list, or text.

    Text holds names separated by commas or spaces, outside braces (``w_{1,2}`` is one name);
    a repeated name is kept once, and at most :data:`MAX_VARIABLES` are read.  ``key`` names
    the field in errors.

    Examples
    --------
    >>> read_names("x, w_{1,2} alpha")
    ['x', 'w_{1,2}', 'alpha']
    """
    return _names(value, key)


def _listed(names: list[str], most: int = 8) -> str:
    """Names for a message: the first few, then how many more."""
    shown = ", ".join(names[:most])
    return shown if len(names) <= most else f"{shown}, … ({len(names) - most} more)"


def _symbol(
    text: str, key: str, symbols: Mapping[str, sp.Symbol], what: str, advice: str = ""
) -> sp.Symbol:
    """The one of ``symbols`` that ``text`` names, read as an answer would write it."""
    listed = _listed(list(symbols))
    try:
        symbol = parse_expression(text, symbols=symbols)
    except UnknownNameError:
        raise ProblemFieldError(
            key, f"{key}: {_shown(text)} is not {what} ({listed}){advice}", unknown=text
        ) from None
    except AnswerSyntaxError as error:
        raise ProblemFieldError(key, f"{key} = {_shown(text)}: {error}") from None
    if not isinstance(symbol, sp.Symbol) or symbol not in symbols.values():
        raise ProblemFieldError(key, f"{key}: {_shown(text)} is not a name; name {what} ({listed})")
    return symbol


def _wrt(value: Any, symbols: Mapping[str, sp.Symbol], what: str, advice: str = "") -> Any:
    """``wrt``: one name (a scalar gradient), or several, or a list (a gradient vector)."""
    names = _names(value, "wrt", limit=len(symbols))
    chosen = [_symbol(name, "wrt", symbols, what, advice) for name in names]
    return chosen[0] if isinstance(value, str) and len(chosen) == 1 else chosen


def _needs(fields: Mapping[str, Any], keys: tuple[str, ...], source: str, kind: str) -> None:
    missing = [key for key in keys if key not in fields]
    if missing:
        raise ValueError(
            f"{source} has no {', '.join(missing)}; a problem given as {kind} needs "
            f"{', '.join(keys)}"
        )


def _expression_problem(
    fields: Mapping[str, Any], source: str
) -> tuple[GradientProblem, dict[str, sp.Symbol]]:
    _needs(fields, ("function", "variables", "wrt"), source, "a function")
    variables = _names(fields["variables"], "variables")
    positive = _names(fields["positive"], "positive") if "positive" in fields else []
    for name in positive:
        if name not in variables:
            raise ProblemFieldError(
                "positive",
                f"positive: {_shown(name)} is not one of the variables ({_listed(variables)}); "
                "list it among the variables too",
                unknown=name,
            )
    with _field("variables"):
        names = {
            **check_variable_names([n for n in variables if n not in positive]),
            **check_variable_names(positive, key="positive", positive=True),
        }
    names = {n: names[n] for n in variables}
    f = _parse(fields["function"], "function", names)
    wrt = _wrt(fields["wrt"], names, "one of the variables", "; list it among the variables")
    with _field("constraints"):
        constraints = read_constraints(fields.get("constraints"), names, where="constraints")
    problem = GradientProblem.from_expression(
        f, wrt, variables=list(names.values()), constraints=constraints
    )
    return problem, names


def _activations(value: Any, sizes: list[int]) -> list[str | list[str]]:
    """One activation name per layer after the input (one name stands for every layer); a
    layer may list one name per neuron (``"relu, tanh; identity"`` or
    ``[["relu", "tanh"], "identity"]``, see :func:`~symdl.core.network.read_layer_activations`).
    """
    from symdl.core.network import read_layer_activations

    with _field("activations"):
        names = read_layer_activations(value, name="activations")
    layers = len(sizes) - 1
    if len(names) == 1 and isinstance(names[0], str):
        names = names * layers
    if len(names) != layers:
        raise ProblemFieldError(
            "activations",
            f"activations = {_shown(value)}: the sizes {', '.join(map(str, sizes))} give "
            f"{layers} layer(s) after the input, so give {layers} activation name(s), or one "
            "for all",
        )
    return names


def _network_problem(fields: Mapping[str, Any], source: str) -> GradientProblem:
    from symdl.core.losses import get_loss
    from symdl.core.network import Network, read_layer_sizes

    _needs(fields, ("sizes", "activations", "loss", "wrt"), source, "a network")
    with _field("sizes"):
        sizes = read_layer_sizes(fields["sizes"], name="sizes")
    activations = _activations(fields["activations"], sizes)
    try:
        net = Network.mlp(sizes, activations)
    except (ValueError, TypeError) as error:
        shown = _shown(fields["activations"])
        raise ProblemFieldError("activations", f"activations = {shown}: {error}") from None
    name = fields["loss"]
    if not isinstance(name, str) or not name.strip():
        raise ProblemFieldError("loss", f"loss = {_shown(name)}: give the name of a loss, e.g. mse")
    with _field("loss"):
        try:
            loss = get_loss(name.strip())
        except (KeyError, ValueError) as error:
            raise ValueError(f"loss = {_shown(name)}: {str(error).strip(chr(34))}") from None
    wrt: Any = fields["wrt"]
    if isinstance(wrt, str) and _LAYER.fullmatch(wrt.strip()):
        layer = int(wrt.strip()[1:])
        if layer > len(net.layers):
            raise ProblemFieldError(
                "wrt",
                f"wrt: {_shown(wrt)} is not a layer; the network's layers are W1 to "
                f"W{len(net.layers)} and b1 to b{len(net.layers)}",
                unknown=wrt,
            )
        wrt = wrt.strip()
    else:
        parameters = {s.name: s for s in net.parameters}
        wrt = _wrt(wrt, parameters, "a layer (W1, b1, …) or a parameter of the network")
    chosen = _names(fields.get("quantities", [q.value for q in Quantity]), "quantities")
    known = {q.value: q for q in Quantity}
    if set(chosen) - set(known):
        raise ProblemFieldError(
            "quantities",
            f"quantities = {_shown(fields['quantities'])}: accepted are {sorted(known)}",
        )
    constraints = None  # the loss's own: one-hot targets for a classification loss
    if "constraints" in fields:
        with _field("constraints"):
            constraints = read_constraints(
                fields["constraints"], network_names(net, loss), where="constraints"
            )
    return GradientProblem.from_network(
        net, loss, wrt, quantities=[known[n] for n in chosen], constraints=constraints
    )


def _domain_text(text: str) -> dict[str, list[str]]:
    """``y = [1/10, 3]; z = [0, 1]``: sampling intervals written in one line of text."""
    intervals: dict[str, list[str]] = {}
    for part in text.split(";"):
        match = _INTERVAL.match(part)
        if match is None:
            raise ProblemFieldError(
                "domains",
                f"domains: {part.strip()!r} is not an interval such as 'y = [1/10, 3]'; "
                "separate intervals with ';'",
            )
        intervals[match.group("name")] = [match.group("low").strip(), match.group("high").strip()]
    return intervals


def _domains(value: Any, problem: GradientProblem) -> dict[sp.Symbol, SamplingInterval]:
    """The ``domains`` field: a sampling interval by variable, with exact ends."""
    table = _domain_text(value) if isinstance(value, str) else value
    if not isinstance(table, Mapping):
        raise ProblemFieldError(
            "domains", f"domains = {_shown(value)}: give intervals by variable, e.g. y = [0, 1]"
        )
    if len(table) > MAX_VARIABLES:
        raise ProblemFieldError(
            "domains",
            f"domains: {len(table)} intervals; a problem has at most {MAX_VARIABLES} variables "
            f"({_raise_it('MAX_VARIABLES')})",
        )
    domains = {}
    for name, bounds in table.items():
        symbol = _symbol(name, "domains", problem.names, "a variable of the problem")
        key = f"domains {name}"
        if not isinstance(bounds, (list, tuple)) or len(bounds) != 2:
            raise ProblemFieldError(
                "domains", f"{key} = {_shown(bounds)}: give [low, high], e.g. [0, 1]"
            )
        low, high = _exact(bounds[0], key), _exact(bounds[1], key)
        if not low < high:
            raise ProblemFieldError(
                "domains",
                f"{key} = [{bounds[0]}, {bounds[1]}]: the low end must be below the high end",
            )
        domains[symbol] = SamplingInterval(low, high)
    return domains


def problem_from_fields(
    fields: Mapping[str, str | int | Sequence[Any] | Mapping[str, Any]], *, source: str
) -> tuple[GradientProblem, CheckOptions]:
    r"""A gradient problem, and its check options, from the fields of its text.

    The one reader of a problem written as text: a problem file, the question of
    ``symdl check`` and the ``symdl-gradcheck`` directive all come here, so that the same
    field gives the same problem and the same error.  ``fields`` has the keys of a problem
    file (its tables flattened):

    ``function``, ``variables``, ``positive``, ``wrt``
        A function of named variables (read with :mod:`symdl.grading.parsing`).
    ``sizes``, ``activations``, ``loss``, ``wrt``, ``quantities``
        Or a network and a loss; ``wrt`` is a layer (``W1``, ``b2``) or parameter names.
    ``domains``, ``constraints``, ``check``, ``title``
        For either: sampling intervals, constraints on groups of variables, the options of
        :class:`symdl.referee.equivalence.CheckOptions`, and the statement shown.

    A list of names may be a list or text (``"x, y"``: names separated by commas or spaces);
    ``wrt`` given as one name asks for a scalar, as several names for a gradient vector.
    ``constraints`` may be written as text, ``simplex(y_1, y_2); one-hot(t_1, t_2)``
    (:func:`read_constraint_groups`), and ``domains`` as ``y = [1/10, 3]; z = [0, 1]``.
    Everything is bounded as in a problem file (see the module's constants) and built
    within :data:`BUILD_SECONDS`.

    Parameters
    ----------
    fields : Mapping[str, str | int | Sequence | Mapping]
        Text, a list of names or numbers, or a table (``domains``, ``constraints``, ``check``).
    source : str
        What the fields were read from (``"the problem file"``), named in the errors about
        the problem as a whole: a field missing, or the two kinds of problem mixed.

    Raises
    ------
    ProblemFieldError
        A field cannot be read; the message names the field and its value, and is the same
        whichever entry point read it.
    ValueError
        The fields do not make one problem (a field missing, an unknown field, both kinds),
        or the problem takes longer than :data:`BUILD_SECONDS` to build.

    Examples
    --------
    >>> problem, options = problem_from_fields(
    ...     {"function": "x^2 y", "variables": "x, y", "wrt": "x"}, source="the question"
    ... )
    >>> problem.truth
    2*x*y
    >>> problem_from_fields({"function": "x^2", "variables": "x", "wrt": "z"}, source="a")
    Traceback (most recent call last):
    ...
    symdl.grading.problem_files.ProblemFieldError: wrt: 'z' is not one of the variables (x); ...
    """
    if not isinstance(fields, Mapping):
        raise TypeError(f"{source}: the fields must be a mapping, not {type(fields).__name__}")
    unknown = set(fields) - _EXPRESSION - _NETWORK - _COMMON
    if unknown:
        accepted = ", ".join(sorted(_EXPRESSION | _NETWORK | _COMMON))
        raise ValueError(f"{source}: unknown field(s) {sorted(unknown)}; accepted: {accepted}")
    expression, network = set(fields) & (_EXPRESSION - {"wrt"}), set(fields) & (_NETWORK - {"wrt"})
    if bool(expression) == bool(network):
        mixed = f" (it has {', '.join(sorted(expression | network))})" if expression else ""
        raise ValueError(
            f"{source}: give the problem either as a function (function, variables, wrt) or "
            f"as a network (sizes, activations, loss, wrt), not both{mixed}"
        )
    options = _check_options(fields.get("check", {}))
    title = fields.get("title")
    if title is not None and (not isinstance(title, str) or len(title) > MAX_TITLE_CHARS):
        raise ProblemFieldError(
            "title",
            f"title = {_shown(title)}: give text of at most {MAX_TITLE_CHARS:,} characters "
            f"({_raise_it('MAX_TITLE_CHARS')})",
        )
    with building():
        if expression:
            problem, _ = _expression_problem(fields, source)
        else:
            problem = _network_problem(fields, source)
        # those the loss implies (targets in [0, 1]), then the fields'
        domains = {**problem.domains, **_domains(fields.get("domains", {}), problem)}
    statement = problem.statement if title is None else title
    return dataclasses.replace(problem, domains=domains, statement=statement), options


def read_constraint_groups(text: str) -> dict[str, list[list[str]]]:
    """Constraints written in one line: groups ``kind(name, name, …)``, separated by ``;``.

    ``simplex(y_1, y_2)``: a probability vector (entries at least 0, summing to 1);
    ``one-hot(y_1, y_2)`` (or ``one_hot``): one entry 1, the others 0.  Returns the groups by
    kind, as a problem file's ``[constraints]`` table holds them.

    Examples
    --------
    >>> read_constraint_groups("simplex(y1, y2); one-hot(t_1, t_2)")
    {'simplex': [['y1', 'y2']], 'one_hot': [['t_1', 't_2']]}
    """
    if not isinstance(text, str):
        raise TypeError(f"constraints = {_shown(text)}: give text such as 'simplex(y_1, y_2)'")
    if len(text) > _MAX_NAMES_TEXT:
        raise ProblemFieldError(
            "constraints",
            f"constraints: {len(text):,} characters; at most {_MAX_NAMES_TEXT:,} are read",
        )
    groups: dict[str, list[list[str]]] = {}
    for part in text.split(";"):
        match = _GROUP.match(part)
        kind = _CONSTRAINT_KINDS.get(match.group("kind").lower()) if match else None
        names = [n.strip() for n in match.group("names").split(",")] if match else []
        if match is None or kind is None or not all(names):
            raise ProblemFieldError(
                "constraints",
                f"constraints: {part.strip()!r} is not a group such as 'simplex(y_1, y_2)' or "
                "'one-hot(y_1, y_2)'; separate groups with ';'",
            )
        groups.setdefault(kind, []).append(names)
    return groups


def read_constraints(
    groups: Mapping[str, Any] | str | None,
    names: Mapping[str, sp.Symbol],
    *,
    where: str = "[constraints]",
) -> list[Constraint]:
    """Constraints on groups of variables, named as in a problem file's ``[constraints]``.

    ``groups`` maps ``"simplex"`` and ``"one_hot"`` to lists of groups of names (``{"simplex":
    [["y_1", "y_2"]]}``), or is text that :func:`read_constraint_groups` reads
    (``"simplex(y_1, y_2)"``); each name is read as an answer would write it and must be one
    of ``names``.  Returns :class:`symdl.referee.sampling.Simplex` and
    :class:`symdl.referee.sampling.OneHot` constraints, in the order given.  ``where`` names
    the field in errors.

    Examples
    --------
    >>> y1, y2 = sp.symbols("y_1 y_2", real=True)
    >>> read_constraints({"simplex": [["y_1", "y_2"]]}, {"y_1": y1, "y_2": y2})
    [Simplex(symbols=(y_1, y_2))]
    >>> read_constraints("one-hot(y_1, y_2)", {"y_1": y1, "y_2": y2})
    [OneHot(symbols=(y_1, y_2))]
    """
    if isinstance(groups, str):
        groups = read_constraint_groups(groups)
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
            if isinstance(group, list) and len(group) < 2:
                raise ValueError(
                    f"{where} {kind}: the group {_shown(group)} has {len(group)} name(s); a "
                    f"group has at least two, e.g. {example}"
                )
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
    :data:`BUILD_SECONDS`.  The tables are checked key by key, then read by
    :func:`problem_from_fields`.
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
    kind = "expression" if "expression" in data else "network"
    _keys(data[kind], _EXPRESSION if kind == "expression" else _NETWORK, f"[{kind}]")
    if "domains" in data and not isinstance(data["domains"], Mapping):
        raise ValueError(
            f"[domains] = {_shown(data['domains'])}: expected a table, e.g. y = [0, 1]"
        )
    fields = {**data[kind], **{key: data[key] for key in _COMMON if key in data}}
    return problem_from_fields(fields, source="the problem file")


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
