r"""Graph networks described in text: a TOML format, read strictly and written back.

A description has the graph's inputs (name → shape), its nodes in topological order, and
optionally the batch and the output node (default: the last node)::

    batch = 1
    output = "r1"          # optional, default the last node

    [inputs]
    x = 3                  # or [1, 8, 8] for a 1-channel 8×8 image

    [[nodes]]
    name = "h1"
    op = "dense"           # dense, conv, max_pool, avg_pool, batch_norm, add, concat,
    inputs = ["x"]         # activation, flatten, softmax
    units = 3
    activation = "relu"

    [[nodes]]
    name = "f1"
    op = "dense"
    inputs = ["h1"]
    units = 3

    [[nodes]]
    name = "r1"
    op = "add"
    inputs = ["x", "f1"]

A node's options are the keyword names of its operation's constructor
(:mod:`symdl.core.graph_operations`):

============== ==========================================================================
op             options
============== ==========================================================================
``dense``      ``units`` (required), ``activation``, ``weights``, ``bias``
``conv``       ``channels``, ``kernel`` (required), ``stride``, ``padding``,
               ``padding_mode`` (``"zeros"`` or ``"circular"``), ``activation``,
               ``weights``, ``bias``
``max_pool``   ``size`` (required), ``stride``
``avg_pool``   ``size`` (required), ``stride``
``batch_norm`` ``eps``, ``gamma``, ``beta``
``activation`` ``activation`` (required)
others         none (``add``, ``concat``, ``flatten``, ``softmax``)
============== ==========================================================================

``kernel``, ``stride``, ``padding`` and ``size`` are an integer or a list with one per spatial
axis.  ``activation`` is a registry name (``"relu"``) or a table with its parameters
(``{ name = "leaky_relu", a = "1/5" }``).  Exact parameter values (``weights``, ``bias``,
``gamma``, ``beta``) and ``eps`` are numbers or nested lists of them: integers, strings such as
``"1/2"`` or ``"-0.25"``, or decimals (``0.25`` is read as the decimal it writes,
:math:`1/4`); a parameter left out is a symbol named after the node.

Everything is checked: an unknown key, operation or option is an error that names what is
accepted (and the closest name), the text is at most :data:`MAX_DESCRIPTION_CHARS`
characters, and the graph's sizes are bounded as in :mod:`symdl.core.graph`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeVar

import sympy as sp

from symdl.core.activations import ACTIVATIONS, get_activation
from symdl.core.activations import Activation as ActivationFunction
from symdl.core.exact import exact_from_text, exact_number, exact_rational
from symdl.core.exceptions import NotSupportedError, did_you_mean
from symdl.core.exceptions import shown as _shown
from symdl.core.graph import GraphNetwork, Node
from symdl.core.graph_operations import (
    KINDS,
    Operation,
    PaddingMode,
    operation_class,
)

__all__ = ["MAX_DESCRIPTION_CHARS", "describe_graph", "read_graph"]

#: The longest description read, in characters (to raise it, set it in Python before reading).
MAX_DESCRIPTION_CHARS = 1_000_000

_T = TypeVar("_T")

_TOP = ("batch", "output", "inputs", "nodes")
_NODE = ("name", "op", "inputs")
#: The options of each kind (the constructor's names), the required ones first.
_OPTIONS: dict[str, tuple[str, ...]] = {
    "dense": ("units", "activation", "weights", "bias"),
    "conv": (
        "channels",
        "kernel",
        "stride",
        "padding",
        "padding_mode",
        "activation",
        "weights",
        "bias",
    ),
    "max_pool": ("size", "stride"),
    "avg_pool": ("size", "stride"),
    "batch_norm": ("eps", "gamma", "beta"),
    "add": (),
    "concat": (),
    "activation": ("activation",),
    "flatten": (),
    "softmax": (),
}
_REQUIRED: dict[str, tuple[str, ...]] = {
    "dense": ("units",),
    "conv": ("channels", "kernel"),
    "max_pool": ("size",),
    "avg_pool": ("size",),
    "activation": ("activation",),
}
_INTEGERS = ("units", "channels")
_PER_AXIS = ("kernel", "stride", "padding", "size")
_ARRAYS = ("weights", "bias", "gamma", "beta")


def _raise_it(name: str) -> str:
    return (
        f"symdl.core.graph_description.{name}; to raise it, set it in Python before reading "
        f"the description"
    )


def _guarded(read: Callable[[], _T], what: str) -> _T:
    try:
        return read()
    except RecursionError:
        raise ValueError(
            f"{what} is nested too deeply (arrays or tables inside one another); a graph "
            f"description needs at most five levels"
        ) from None


def _check_keys(table: Mapping[str, Any], accepted: Sequence[str], where: str) -> None:
    for key in table:
        if key not in accepted:
            word = key if isinstance(key, str) else ""
            raise ValueError(
                f"{where}: unknown key {_shown(key)}{did_you_mean(word, accepted)}; accepted: "
                f"{', '.join(accepted)}"
            )


# --- reading ------------------------------------------------------------------------------------


def _parse(text: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    if len(text) > MAX_DESCRIPTION_CHARS:
        raise ValueError(
            f"the graph description has {len(text):,} characters; at most "
            f"{MAX_DESCRIPTION_CHARS:,} are read ({_raise_it('MAX_DESCRIPTION_CHARS')})"
        )

    def read() -> dict[str, Any]:
        try:
            return tomllib.loads(text, parse_float=Decimal)
        except ValueError as error:  # TOMLDecodeError, or an integer too long to read
            raise ValueError(
                f"the graph description is not valid TOML ({error}); see "
                f"symdl.core.graph_description for the format"
            ) from None

    return _guarded(read, "the graph description")


def _number(value: Any, where: str) -> sp.Rational:
    """An exact number written in a description: an int, text ``"1/2"``, or a decimal."""
    if isinstance(value, str):
        return exact_from_text(value, name=where)
    if isinstance(value, Decimal):  # a TOML float, read as the decimal it writes
        return exact_rational(value, name=where)
    if isinstance(value, (bool, int, float, Fraction, sp.Basic)):
        return exact_rational(value, name=where)
    raise TypeError(
        f"{where} = {_shown(value)} is not a number; write an integer, a string such as "
        f"'1/2', or a decimal"
    )


def _numbers(value: Any, where: str, depth: int = 0) -> Any:
    """Nested lists of numbers, each converted with :func:`_number`."""
    if isinstance(value, (list, tuple)):
        if depth > 4:
            raise ValueError(f"{where} is nested too deeply; arrays have at most 4 axes")
        return [_numbers(item, f"{where}[{i}]", depth + 1) for i, item in enumerate(value)]
    return _number(value, where)


def _integer(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{where} = {_shown(value)} is not an integer; write e.g. {where} = 3")
    return value


def _activation(value: Any, where: str) -> ActivationFunction:
    if isinstance(value, str):
        return get_activation(value)
    if isinstance(value, Mapping):
        if "name" not in value or not isinstance(value["name"], str):
            raise ValueError(
                f"{where} = {_shown(value)}: an activation table needs its name, e.g. "
                f'{{ name = "leaky_relu", a = "1/5" }}'
            )
        params = {key: _number(v, f"{where}.{key}") for key, v in value.items() if key != "name"}
        return get_activation(value["name"], **params)
    raise TypeError(
        f'{where} = {_shown(value)}: give an activation name (e.g. "relu") or a table '
        f'{{ name = "leaky_relu", a = "1/5" }}; names: {", ".join(ACTIVATIONS)}'
    )


def _option(key: str, value: Any, where: str) -> Any:
    if key in _INTEGERS:
        return _integer(value, where)
    if key in _PER_AXIS:
        if isinstance(value, list):
            return tuple(_integer(v, f"{where}[{i}]") for i, v in enumerate(value))
        return _integer(value, where)
    if key == "activation":
        return _activation(value, where)
    if key == "padding_mode":
        if not isinstance(value, str):
            raise TypeError(
                f"{where} = {_shown(value)}: write one of "
                f"{', '.join(repr(m.value) for m in PaddingMode)}"
            )
        return value
    if key == "eps":
        return _number(value, where)
    return _numbers(value, where)  # weights, bias, gamma, beta


def _node(entry: Any, index: int) -> Node:
    where = f"nodes[{index}]"
    if not isinstance(entry, Mapping):
        raise TypeError(
            f"{where} = {_shown(entry)} is not a table; write each node as a [[nodes]] table "
            f"with name, op and inputs"
        )
    for key in _NODE:
        if key not in entry:
            raise ValueError(f"{where}: the key {key!r} is missing; a node has name, op, inputs")
    name, kind = entry["name"], entry["op"]
    if isinstance(name, str):
        where = f"node {name!r}"
    if not isinstance(kind, str) or kind not in _OPTIONS:
        word = kind if isinstance(kind, str) else ""
        raise ValueError(
            f"{where}: unknown op {_shown(kind)}{did_you_mean(word, KINDS)}; accepted: "
            f"{', '.join(KINDS)}"
        )
    accepted = (*_NODE, *_OPTIONS[kind])
    try:
        _check_keys(entry, accepted, f"{where} ({kind})")
    except ValueError as error:
        key = next(key for key in entry if key not in accepted)
        others = [other for other, options in _OPTIONS.items() if key in options]
        if not others:
            raise
        raise ValueError(f"{error} ({key!r} is an option of {', '.join(others)})") from None
    for key in _REQUIRED.get(kind, ()):
        if key not in entry:
            raise ValueError(f"{where} ({kind}): the option {key!r} is missing")
    options = {
        key: _option(key, value, f"{where}.{key}")
        for key, value in entry.items()
        if key not in _NODE
    }
    cls = operation_class(kind)
    try:
        op = cls(**options)
    except (TypeError, ValueError) as error:
        raise type(error)(f"{where} ({kind}): {error}") from None
    inputs = entry["inputs"]
    if isinstance(inputs, list) and not all(isinstance(i, str) for i in inputs):
        raise TypeError(f"{where}.inputs = {_shown(inputs)}: give a list of names")
    return Node(name, op, inputs)


def read_graph(source: str | Mapping[str, Any]) -> GraphNetwork:
    """A graph network read from its description: TOML text, or the same as a mapping.

    Parameters
    ----------
    source
        The description (the format is in this module's documentation).

    Raises
    ------
    ValueError, TypeError
        For text that is not TOML or is longer than :data:`MAX_DESCRIPTION_CHARS`, an unknown
        key, operation or option (naming the closest accepted one), a value of the wrong
        type, or a graph that :class:`~symdl.core.graph.GraphNetwork` refuses.

    Examples
    --------
    >>> graph = read_graph('''
    ... [inputs]
    ... x = 2
    ... [[nodes]]
    ... name = "y"
    ... op = "dense"
    ... inputs = "x"
    ... units = 1
    ... weights = [[1, "1/2"]]
    ... bias = [0.25]
    ... ''')
    >>> graph.forward()
    [[x_{1} + x_{2}/2 + 1/4]]
    >>> read_graph({"inputs": {"x": 2}, "nodes": [
    ...     {"name": "y", "op": "dense", "inputs": "x", "units": 1, "activaton": "relu"}]})
    Traceback (most recent call last):
    ...
    ValueError: node 'y' (dense): unknown key 'activaton' (did you mean 'activation'?); ...
    """
    if isinstance(source, str):
        data: Mapping[str, Any] = _parse(source)
    elif isinstance(source, Mapping):
        data = source
    else:
        raise TypeError(
            f"source={_shown(source)}: give the description as TOML text or as a mapping"
        )
    _check_keys(data, _TOP, "the graph description")
    for key in ("inputs", "nodes"):
        if key not in data:
            raise ValueError(
                f"the graph description has no {key!r}; it needs [inputs] (name = shape) and "
                f"[[nodes]] tables"
            )
    inputs = data["inputs"]
    if not isinstance(inputs, Mapping):
        raise TypeError(f"inputs = {_shown(inputs)}: give a table, e.g. [inputs] x = 3")
    nodes = data["nodes"]
    if not isinstance(nodes, list):
        raise TypeError(f"nodes = {_shown(nodes)}: give a list of [[nodes]] tables")
    from symdl.core import graph as graph_module

    if len(nodes) > graph_module.MAX_GRAPH_NODES:
        raise ValueError(
            f"{len(nodes):,} nodes; a graph network has at most "
            f"{graph_module.MAX_GRAPH_NODES:,} (symdl.core.graph.MAX_GRAPH_NODES)"
        )
    shapes = {
        name: _integer(v, f"inputs.{name}")
        if not isinstance(v, list)
        else [_integer(n, f"inputs.{name}[{i}]") for i, n in enumerate(v)]
        for name, v in inputs.items()
    }
    batch = _integer(data.get("batch", 1), "batch")
    output = data.get("output")
    if output is not None and not isinstance(output, str):
        raise TypeError(f"output = {_shown(output)}: give a node's name")
    built = [_node(entry, i) for i, entry in enumerate(nodes)]
    return GraphNetwork(shapes, built, output=output, batch=batch)


# --- writing ------------------------------------------------------------------------------------


def _text_number(value: sp.Expr, where: str) -> str:
    if isinstance(value, sp.Integer):
        return str(int(value))
    if isinstance(value, sp.Rational):
        return f'"{value.p}/{value.q}"'
    raise NotSupportedError(
        f"{where} holds {value}, which is not a number; a description holds exact numbers "
        f"only: substitute the parameters (graph.substitute) or leave the whole array symbolic"
    )


def _text_array(value: Any, where: str, indent: str = "") -> str:
    if not isinstance(value, list):
        return _text_number(value, where)
    if value and isinstance(value[0], list) and not indent:
        rows = [f"    {_text_array(row, where, '    ')}," for row in value]
        return "[\n" + "\n".join(rows) + "\n]"
    return "[" + ", ".join(_text_array(item, where, indent or " ") for item in value) + "]"


def _text_activation(act: ActivationFunction, where: str) -> str:
    registered = ACTIVATIONS.get(act.name)
    if registered is None:
        raise NotSupportedError(
            f"{where}: the activation {act.name!r} is not registered, so a description cannot "
            f"name it; register it first (symdl.core.activations.register_activation)"
        )
    if dict(act.params) == dict(registered.params):
        return f'"{act.name}"'
    try:
        same = dict(get_activation(act.name, **act.params).params) == dict(act.params)
    except (TypeError, ValueError):
        same = False
    if not same:
        raise NotSupportedError(
            f"{where}: the activation {act.name!r} with parameters {dict(act.params)} cannot be "
            f"rebuilt from its name and parameters"
        )
    params = ", ".join(
        f"{key} = {_text_number(exact_number(v), f'{where}.{key}')}"
        for key, v in act.params.items()
    )
    return f'{{ name = "{act.name}", {params} }}'


def _text_option(value: Any, where: str) -> str:
    if isinstance(value, ActivationFunction):
        return _text_activation(value, where)
    if isinstance(value, PaddingMode):
        return f'"{value.value}"'
    if isinstance(value, bool):  # pragma: no cover - no option is a boolean
        raise NotSupportedError(f"{where}: a boolean option")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if isinstance(value, sp.NDimArray):
        return _text_array(value.tolist(), where)
    if isinstance(value, sp.Expr):
        return _text_number(value, where)
    raise NotSupportedError(f"{where} = {_shown(value)} cannot be written in a description")


def _node_text(name: str, op: Operation, inputs: Sequence[str]) -> list[str]:
    lines = [
        "[[nodes]]",
        f'name = "{name}"',
        f'op = "{op.kind}"',
        "inputs = [" + ", ".join(f'"{source}"' for source in inputs) + "]",
    ]
    defaults = {**op._defaults}
    for key, value in op.options().items():
        if key not in _OPTIONS[op.kind]:  # pragma: no cover - every option is described
            raise NotSupportedError(f"node {name!r}: the option {key!r} has no text form")
        if key in defaults and _same(value, defaults[key]):
            continue
        lines.append(f"{key} = {_text_option(value, f'node {name!r}.{key}')}")
    return lines


def _same(value: Any, default: Any) -> bool:
    if isinstance(value, ActivationFunction) and isinstance(default, ActivationFunction):
        return value.name == default.name and dict(value.params) == dict(default.params)
    if value is None or default is None:
        return value is default
    return bool(value == default)


def describe_graph(graph: GraphNetwork) -> str:
    """The TOML description of a graph network (read back by :func:`read_graph` to an equal
    graph).

    Options at their defaults are left out, and so are parameters that are symbols named
    after their node.

    Raises
    ------
    NotSupportedError
        For parameters given as symbols (not named after their node), or an activation that is
        not registered: a description holds names and exact numbers only.

    Examples
    --------
    >>> print(describe_graph(GraphNetwork.residual(3, 1)))
    batch = 1
    output = "r1"
    <BLANKLINE>
    [inputs]
    x = 3
    <BLANKLINE>
    [[nodes]]
    name = "h1"
    op = "dense"
    inputs = ["x"]
    units = 3
    activation = "relu"
    <BLANKLINE>
    [[nodes]]
    name = "f1"
    op = "dense"
    inputs = ["h1"]
    units = 3
    <BLANKLINE>
    [[nodes]]
    name = "r1"
    op = "add"
    inputs = ["x", "f1"]
    <BLANKLINE>
    """
    if not isinstance(graph, GraphNetwork):
        raise TypeError(f"graph={_shown(graph)} is not a GraphNetwork")
    blocks = [[f"batch = {graph.batch}", f'output = "{graph.output}"']]
    inputs = ["[inputs]"]
    for name, shape in graph.inputs.items():
        inputs.append(f"{name} = {shape[0] if len(shape) == 1 else list(shape)}")
    blocks.append(inputs)
    for node in graph.nodes:
        blocks.append(_node_text(node.name, node.operation, node.inputs))
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"
