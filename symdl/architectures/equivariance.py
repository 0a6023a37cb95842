r"""Shift equivariance of convolution and the shift invariance that pooling adds, exactly.

A shift by :math:`t` moves every channel of a signal :math:`t` positions along each spatial
axis, :math:`(S_t x)_{c,i} = x_{c,i-t}`: around the end for a *circular* shift (as
:func:`numpy.roll`), with zeros coming in for a *zero-filled* one.  A map :math:`f` is

- *equivariant* to the shift when :math:`f(S_t x) = S_u f(x)` for every input (and every
  weight), with :math:`u = t/s` for a stride :math:`s`: shifting first or last gives the
  same;
- *invariant* when :math:`f(S_t x) = f(x)`.

With circular padding and stride 1 a convolution is equivariant to every shift (parameter
sharing: the same kernel at every position), in 1-D and 2-D.  With zero padding the identity
fails at the border, where the padding does not move with the input.  With stride :math:`s`
(and :math:`s` dividing the length) only shifts by multiples of :math:`s` commute, and the
output moves by :math:`t/s`.  Global average or max pooling over a circularly padded
convolution is invariant.  A local max pooling with windows of size :math:`k` (stride
:math:`k`) keeps window :math:`j`'s output exactly when the window's maximum value is still in
the window after the shift and no larger value has come in (:func:`max_pool_shift`); that the
maximal position stays in its window is the usual sufficient condition, and it is not
sufficient alone.

:func:`check_shift_equivariance` and :func:`check_shift_invariance` decide these identities
for any :class:`~symdl.core.graph.GraphNetwork` (or one operation) with symbolic input and
weights: the two sides are compared expression by expression; where they differ, an exact
counterexample (input and weights) is searched for and checked, and otherwise
:class:`~symdl.referee.equivalence.Referee` decides.

References
----------
I. Goodfellow, Y. Bengio, A. Courville, *Deep Learning*, MIT Press (2016), section 9.2
(equivariance to translation from parameter sharing) and section 9.3 (pooling and
invariance to small translations, figure 9.8).
"""

from __future__ import annotations

import enum
import itertools
import math
import numbers
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sympy as sp

from symdl.core.exact import exact_number
from symdl.core.graph import GraphNetwork, Node
from symdl.core.graph_operations import Operation
from symdl.core.notation import plain_expr
from symdl.referee.equivalence import CheckOptions, Referee
from symdl.referee.verdict import DecisionMethod, Outcome

__all__ = [
    "MAX_SHIFT_CANDIDATES",
    "Boundary",
    "MaxPoolShift",
    "ShiftCheck",
    "ShiftCounterexample",
    "ShiftProperty",
    "WindowShift",
    "check_shift_equivariance",
    "check_shift_invariance",
    "max_pool_shift",
    "shift",
]

#: The most output shifts tried when the input shift is not a multiple of the stride.
MAX_SHIFT_CANDIDATES = 4096
#: Random integer points tried for a counterexample after the readable ones.
_RANDOM_POINTS = 12
#: The most units :func:`max_pool_shift` pools.
_MAX_POOLED_UNITS = 65536
#: Digits to which two values are compared before they are simplified.
_COMPARE_DIGITS = 50
#: Unit-vector inputs tried: all of them up to this many units, else the first and last half.
_UNIT_VECTORS = 32


class Boundary(enum.Enum):
    """What comes in at the border when a signal is shifted."""

    CIRCULAR = "circular"  #: what leaves at one end comes in at the other (numpy.roll)
    ZEROS = "zeros"  #: zeros come in, what leaves is lost


class ShiftProperty(enum.Enum):
    """Which identity a :class:`ShiftCheck` decides."""

    EQUIVARIANCE = "equivariance"  #: f(shift x) = shift f(x)
    INVARIANCE = "invariance"  #: f(shift x) = f(x)


def _boundary(value: object) -> Boundary:
    if isinstance(value, Boundary):
        return value
    if isinstance(value, str) and value in {b.value for b in Boundary}:
        return Boundary(value)
    raise ValueError(
        f"boundary={value!r} is not a boundary; give Boundary.CIRCULAR or Boundary.ZEROS "
        "('circular' or 'zeros')"
    )


def _seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed={seed!r} is not an int; give an int (it seeds the random points)")
    return int(seed)


def _spatial_shape(shape: object, name: str) -> tuple[int, ...]:
    if (
        not isinstance(shape, (tuple, list))
        or len(shape) not in (2, 3)
        or not all(isinstance(n, numbers.Integral) and not isinstance(n, bool) for n in shape)
        or not all(int(n) >= 1 for n in shape)
    ):
        raise ValueError(
            f"{name}={shape!r} is not a shape (C, N) or (C, H, W) of positive ints; a shift "
            "moves the positions of a signal or an image, channel by channel"
        )
    return tuple(int(n) for n in shape)


def _offset(offset: object, axes: int, name: str = "offset") -> tuple[int, ...]:
    entries: Sequence[Any] = offset if isinstance(offset, (tuple, list)) else (offset,) * axes
    if len(entries) != axes or not all(
        isinstance(t, numbers.Integral) and not isinstance(t, bool) for t in entries
    ):
        raise ValueError(
            f"{name}={offset!r} is not a shift of {axes} spatial axes; give an int (the same "
            f"on every axis) or a tuple of {axes} ints"
        )
    return tuple(int(t) for t in entries)


def shift(
    values: Sequence[Any],
    shape: Sequence[int],
    offset: int | Sequence[int],
    *,
    boundary: Boundary | str = Boundary.CIRCULAR,
) -> list[Any]:
    r"""The signal shifted by ``offset`` along its spatial axes: :math:`y_{c,i} = x_{c,i-t}`.

    Parameters
    ----------
    values : list
        The flat values in row-major order (as :func:`numpy.reshape` orders them): numbers or
        SymPy expressions.
    shape : tuple of int
        (C, N) or (C, H, W), channels first; every channel is shifted alike.
    offset : int or tuple of int
        :math:`t`, per spatial axis (an int: the same on each); positive moves forward.
    boundary : Boundary
        ``CIRCULAR`` wraps around (:func:`numpy.roll`); ``ZEROS`` brings in zeros.

    Returns
    -------
    list
        The shifted flat values.

    Examples
    --------
    >>> shift([1, 2, 3, 4], (1, 4), 1)
    [4, 1, 2, 3]
    >>> shift([1, 2, 3, 4], (1, 4), 1, boundary=Boundary.ZEROS)
    [0, 1, 2, 3]
    >>> shift([1, 2, 3, 4], (1, 2, 2), (0, 1))  # a 2×2 image: each row moves right
    [2, 1, 4, 3]
    """
    dims = _spatial_shape(shape, "shape")
    mode = _boundary(boundary)
    t = _offset(offset, len(dims) - 1)
    items = list(values)
    if len(items) != math.prod(dims):
        raise ValueError(
            f"{len(items)} values do not fill the shape {dims} ({math.prod(dims)} units); give "
            "the flat values of the whole signal"
        )
    zero = sp.S.Zero if any(isinstance(v, sp.Basic) for v in items) else 0
    out = []
    for index in itertools.product(*(range(n) for n in dims)):
        source = [i - s for i, s in zip(index[1:], t, strict=True)]
        if mode is Boundary.CIRCULAR:
            source = [i % n for i, n in zip(source, dims[1:], strict=True)]
        elif not all(0 <= i < n for i, n in zip(source, dims[1:], strict=True)):
            out.append(zero)
            continue
        out.append(items[_ravel((index[0], *source), dims)])
    return out


def _ravel(index: Sequence[int], shape: Sequence[int]) -> int:
    unit = 0
    for i, n in zip(index, shape, strict=True):
        unit = unit * n + i
    return unit


# --- deciding the identities -------------------------------------------------------------------


@dataclass(frozen=True)
class ShiftCounterexample:
    """An exact point where the two sides differ.

    Attributes
    ----------
    inputs : tuple of sympy.Expr
        The input (flat, row-major; every example of the batch in turn).
    parameters : Mapping[sympy.Symbol, sympy.Expr]
        The value of every free parameter.
    unit : int
        The flat output unit (0-based) where the two sides differ.
    shifted_first : sympy.Expr
        :math:`f(S_t x)` at that unit.
    shifted_last : sympy.Expr
        :math:`(S_u f(x))` at that unit (:math:`f(x)` for invariance).
    """

    inputs: tuple[sp.Expr, ...]
    parameters: Mapping[sp.Symbol, sp.Expr]
    unit: int
    shifted_first: sp.Expr
    shifted_last: sp.Expr

    def __str__(self) -> str:
        values = ", ".join(plain_expr(v) for v in self.inputs)
        if not self.parameters:
            where = ""
        elif all(v == 1 for v in self.parameters.values()):
            where = ", every parameter 1"
        else:
            where = ", " + ", ".join(
                f"{plain_expr(s)} = {plain_expr(v)}" for s, v in self.parameters.items()
            )
        return (
            f"at output unit {self.unit + 1}: shifting first gives "
            f"{plain_expr(self.shifted_first)}, shifting last {plain_expr(self.shifted_last)}, "
            f"for the input ({values}){where}"
        )


@dataclass(frozen=True)
class ShiftCheck:
    """Whether a network commutes with a shift (equivariance) or ignores it (invariance).

    Attributes
    ----------
    property : ShiftProperty
    offset : tuple of int
        The input's shift :math:`t`, per spatial axis.
    output_offset : tuple of int or None
        The output's shift :math:`u` the identity holds with, or was refuted with (the
        nominal :math:`t/J` when no candidate holds; ``()`` for invariance).
    boundary : Boundary
    holds : bool
        The identity holds for every input and parameter.
    proved : bool
        Decided exactly: the two sides are the same expressions (or the Referee's symbolic
        steps showed it), or an exact counterexample refutes it.  False when the Referee
        decided by sampling, or could not decide (then ``holds`` is False).
    differing_units : tuple of int
        The output units (0-based, flat) whose two sides are not the same expression, for
        ``output_offset``; empty when the identity holds as written.
    counterexample : ShiftCounterexample or None
        When it fails: where, with every value exact.
    method : str
        How it was decided.
    candidates : int
        The output shifts tried (more than 1 when the input shift is not a multiple of the
        stride: the counterexample then refutes every one of them at once).
    """

    property: ShiftProperty
    offset: tuple[int, ...]
    output_offset: tuple[int, ...] | None
    boundary: Boundary
    holds: bool
    proved: bool
    differing_units: tuple[int, ...]
    counterexample: ShiftCounterexample | None
    method: str
    candidates: int = 1

    def __str__(self) -> str:
        t = _tuple_text(self.offset)
        if self.property is ShiftProperty.INVARIANCE:
            identity = f"f(S_{t} x) = f(x)"
        elif self.candidates > 1 and not self.holds:
            identity = f"f(S_{t} x) = S_u f(x) for some u"
        else:
            u = "?" if self.output_offset is None else _tuple_text(self.output_offset)
            identity = f"f(S_{t} x) = S_{u} f(x)"
        wrap = "circular" if self.boundary is Boundary.CIRCULAR else "zero-filled"
        if not self.holds and not self.proved and self.counterexample is None:
            return f"{identity} ({wrap} shift) undecided: {self.method}"
        verdict = "holds" if self.holds else "fails"
        how = "proved" if self.proved else "not proved"
        text = f"{identity} ({wrap} shift) {verdict}: {how}, by {self.method}"
        if self.counterexample is not None:
            text += f"\n  {self.counterexample}"
        return text


def _tuple_text(values: tuple[int, ...]) -> str:
    text = ",".join(str(v).replace("-", "−") for v in values)
    return text if len(values) == 1 else f"({text})"


def _graph_of(network: GraphNetwork | Operation, input_shape: Sequence[int] | None) -> GraphNetwork:
    if isinstance(network, GraphNetwork):
        if input_shape is not None:
            raise ValueError(
                "input_shape is given by the graph's input; give input_shape only with an operation"
            )
        return network
    if isinstance(network, Operation):
        if input_shape is None:
            raise ValueError(
                f"a {type(network).__name__} operation needs input_shape=(C, N) or (C, H, W)"
            )
        shape = _spatial_shape(input_shape, "input_shape")
        name = network.kind.replace("_", "")
        return GraphNetwork({"x": shape}, [Node(name, network, ("x",))])
    raise TypeError(
        f"{network!r} is not a GraphNetwork or an Operation; give a graph with one input, or "
        "an operation (Conv, MaxPool, …) with input_shape"
    )


def _same(left: sp.Expr, right: sp.Expr) -> bool:
    """The two are the same expression, as built or after expansion (a maximum's arguments
    taken in a canonical order: max is symmetric)."""
    if left == right:
        return True
    left, right = _symmetric_max(left), _symmetric_max(right)
    return bool(left == right or sp.expand(left - right) == 0)


def _symmetric_max(expr: sp.Expr) -> sp.Expr:
    """Every ``Max`` flattened (a maximum of maxima is one maximum) with its arguments sorted,
    left unevaluated (no pairwise comparisons): equal maxima become the same expression."""

    def flat(args: tuple[sp.Basic, ...]) -> set[sp.Basic]:
        found: set[sp.Basic] = set()
        for a in args:
            found |= flat(a.args) if isinstance(a, sp.Max) else {a}
        return found

    return expr.replace(
        lambda e: isinstance(e, sp.Max),
        lambda e: sp.Max(*sorted(flat(e.args), key=sp.default_sort_key), evaluate=False),
    )


def _points(
    inputs: list[sp.Symbol], parameters: list[sp.Symbol], seed: int
) -> list[dict[sp.Symbol, sp.Expr]]:
    """Exact points, the readable first: every parameter 1 and a unit-vector input; a ramp;
    then random small integers."""
    one = dict.fromkeys(parameters, sp.S.One)
    n = len(inputs)
    picked = (
        list(range(n))
        if n <= _UNIT_VECTORS
        else [*range(_UNIT_VECTORS // 2), *range(n - _UNIT_VECTORS // 2, n)]
    )
    points = []
    for j in picked:
        point = {x: sp.S.One if i == j else sp.S.Zero for i, x in enumerate(inputs)}
        points.append({**point, **one})
    points.append({**{x: sp.Integer(i + 1) for i, x in enumerate(inputs)}, **one})
    rng = random.Random(seed)
    for _ in range(_RANDOM_POINTS):
        points.append({s: sp.Integer(rng.randint(-4, 4)) for s in [*inputs, *parameters]})
    return points


def _value(expr: sp.Expr, point: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr:
    return (
        sp.nsimplify(expr.xreplace(dict(point)))
        if expr.has(sp.Float)
        else expr.xreplace(dict(point))
    )


def _differ(a: sp.Expr, b: sp.Expr) -> bool:
    """Two exact values differ (radicals simplified first)."""
    difference = sp.radsimp(a - b)
    return bool(difference.is_zero is False)


def _decide(
    graph: GraphNetwork,
    offset: int | Sequence[int],
    boundary: Boundary | str,
    prop: ShiftProperty,
    output_offset: int | Sequence[int] | None,
    seed: int,
) -> ShiftCheck:
    if len(graph.inputs) != 1:
        raise ValueError(
            f"the graph has {len(graph.inputs)} inputs; a shift check needs a graph with one input"
        )
    ((name, in_shape),) = graph.inputs.items()
    dims = _spatial_shape(in_shape, "the graph's input shape")
    mode = _boundary(boundary)
    t = _offset(offset, len(dims) - 1)
    out_shape = graph.shapes[graph.output]
    xs = graph.input_symbols(name)
    forward = graph.forward()
    mapping: dict[sp.Basic, Any] = {}
    for example in xs:
        mapping.update(zip(example, shift(example, dims, t, boundary=mode), strict=True))
    left = [[f.xreplace(mapping) for f in row] for row in forward]

    if prop is ShiftProperty.INVARIANCE:
        if output_offset is not None:
            raise ValueError("output_offset is for equivariance; an invariance has none")
        candidates: list[tuple[int, ...]] = [()]
    else:
        if len(out_shape) != len(dims):
            raise ValueError(
                f"the output has shape {tuple(out_shape)} and the input {dims}: equivariance "
                "compares signals with the same number of spatial axes (for an output without "
                "them, check_shift_invariance decides whether the shift is ignored)"
            )
        out_dims = _spatial_shape(out_shape, "the graph's output shape")
        candidates = _candidates(dims, out_dims, t, output_offset)

    def right_side(u: tuple[int, ...], rows: list[list[sp.Expr]]) -> list[list[sp.Expr]]:
        if prop is ShiftProperty.INVARIANCE:
            return rows
        return [shift(row, out_shape, u, boundary=mode) for row in rows]

    width = len(forward[0])
    every_unit = [(b, k) for b in range(len(forward)) for k in range(width)]
    differing: dict[tuple[int, ...], tuple[int, ...]] = {}
    for u in candidates:
        right = right_side(u, forward)
        if u != candidates[0]:
            # only the nominal candidate's differing units are reported: stop at the first
            if any(not _same(left[b][k], right[b][k]) for b, k in every_unit):
                continue
            return ShiftCheck(
                prop, t, u, mode, True, True, (), None, "identical expressions", len(candidates)
            )
        units = tuple(b * width + k for b, k in every_unit if not _same(left[b][k], right[b][k]))
        if not units:
            return ShiftCheck(
                prop, t, u, mode, True, True, (), None, "identical expressions", len(candidates)
            )
        differing[u] = units
    nominal = candidates[0]

    inputs = [x for row in xs for x in row]
    parameters = list(graph.parameters)
    for point in _points(inputs, parameters, seed):
        left_values = [[_value(f, point) for f in row] for row in left]
        values = [[_value(f, point) for f in row] for row in forward]
        found = None
        for u in candidates:
            right = right_side(u, values)
            unit = next(
                (
                    b * width + k
                    for b in range(len(values))
                    for k in range(width)
                    if _differ(left_values[b][k], right[b][k])
                ),
                None,
            )
            if unit is None:
                break
            if u == nominal:
                b, k = divmod(unit, width)
                found = _counterexample(point, inputs, unit, left_values[b][k], right[b][k])
        else:
            return ShiftCheck(
                prop,
                t,
                nominal,
                mode,
                False,
                True,
                differing[nominal],
                found,
                "an exact counterexample",
                len(candidates),
            )

    # no readable counterexample: the Referee decides the nominal candidate
    right = right_side(nominal, forward)
    units = differing[nominal]
    truth = sp.Matrix([right[u // width][u % width] for u in units])
    answer = sp.Matrix([left[u // width][u % width] for u in units])
    variables = sorted(
        truth.free_symbols | answer.free_symbols | set(inputs) | set(parameters), key=str
    )
    verdict = Referee(truth, variables, options=CheckOptions(seed=seed)).judge(answer)
    if verdict.outcome is Outcome.EQUIVALENT:
        exact = verdict.method in (DecisionMethod.SYMBOLIC, DecisionMethod.SYMBOLIC_REGIONS)
        method = verdict.method.value if verdict.method else "the referee"
        return ShiftCheck(prop, t, nominal, mode, True, exact, (), None, method, len(candidates))
    if verdict.outcome is Outcome.DIFFERENT and verdict.counterexample is not None:
        given = dict(verdict.counterexample)
        point = {v: given.get(v, sp.S.Zero) for v in variables}
        for k, unit in enumerate(units):
            a, b = _value(answer[k], point), _value(truth[k], point)
            if _differ(a, b):
                return ShiftCheck(
                    prop,
                    t,
                    nominal,
                    mode,
                    False,
                    len(candidates) == 1,  # refutes the nominal output shift only
                    units,
                    _counterexample(point, inputs, unit, a, b),
                    "an exact counterexample",
                    len(candidates),
                )
    return ShiftCheck(
        prop, t, nominal, mode, False, False, units, None, f"undecided: {verdict.reason}",
        len(candidates),
    )  # fmt: skip


def _counterexample(
    point: Mapping[sp.Symbol, sp.Expr],
    inputs: list[sp.Symbol],
    unit: int,
    first: sp.Expr,
    last: sp.Expr,
) -> ShiftCounterexample:
    given = set(inputs)
    return ShiftCounterexample(
        tuple(point.get(x, sp.S.Zero) for x in inputs),
        {s: v for s, v in point.items() if s not in given},
        unit,
        first,
        last,
    )


def _candidates(
    dims: tuple[int, ...],
    out_dims: tuple[int, ...],
    t: tuple[int, ...],
    output_offset: int | Sequence[int] | None,
) -> list[tuple[int, ...]]:
    """The output shifts to try: the one given, else :math:`t/J` (J the ratio of the input's
    length to the output's), else every shift of the output (the nominal one first)."""
    axes = len(dims) - 1
    if output_offset is not None:
        return [_offset(output_offset, axes, "output_offset")]
    nominal, exact = [], True
    for n, m, s in zip(dims[1:], out_dims[1:], t, strict=True):
        jump, rest = divmod(n, m)
        if rest == 0 and s % jump == 0:
            nominal.append(s // jump)
        else:
            exact = False
            nominal.append(s * m // n)
    if exact:
        return [tuple(nominal)]
    count = math.prod(out_dims[1:])
    if count > MAX_SHIFT_CANDIDATES:
        raise ValueError(
            f"the shift {t} is not a multiple of the stride, and the output has {count} "
            f"shifts to try (more than MAX_SHIFT_CANDIDATES = {MAX_SHIFT_CANDIDATES}); give "
            "output_offset"
        )
    rest_candidates = [
        u for u in itertools.product(*(range(m) for m in out_dims[1:])) if u != tuple(nominal)
    ]
    return [tuple(nominal), *rest_candidates]


def check_shift_equivariance(
    network: GraphNetwork | Operation,
    *,
    offset: int | Sequence[int] = 1,
    input_shape: Sequence[int] | None = None,
    boundary: Boundary | str = Boundary.CIRCULAR,
    output_offset: int | Sequence[int] | None = None,
    seed: int = 0,
) -> ShiftCheck:
    r"""Decide :math:`f(S_t x) = S_u f(x)` for every input and every parameter.

    Parameters
    ----------
    network : GraphNetwork or Operation
        A graph with one input of shape (C, N) or (C, H, W) and an output of the same number
        of spatial axes; or one operation (Conv, MaxPool, AvgPool, …) with ``input_shape``.
    offset : int or tuple of int
        The input's shift :math:`t` (per spatial axis).
    input_shape : tuple of int
        (C, N) or (C, H, W); only with an operation.
    boundary : Boundary
        The shift of both sides: ``CIRCULAR`` (default) or ``ZEROS``.
    output_offset : int or tuple of int or None
        :math:`u`; by default :math:`t/J` with :math:`J` the input's length over the
        output's, and when :math:`J` does not divide :math:`t` every output shift is tried
        (the identity holds if one works).
    seed : int
        For the random points of the counterexample search (after the readable ones).

    Returns
    -------
    ShiftCheck

    Examples
    --------
    >>> from symdl.core.graph_operations import Conv
    >>> circular = Conv(1, 3, padding=1, padding_mode="circular")
    >>> check = check_shift_equivariance(circular, input_shape=(1, 5), offset=2)
    >>> check.holds, check.proved, check.output_offset
    (True, True, (2,))
    >>> zeros = check_shift_equivariance(Conv(1, 3, padding=1), input_shape=(1, 5))
    >>> zeros.holds, zeros.differing_units  # at the border only (units from 0)
    (False, (0, 1, 4))
    >>> print(zeros.counterexample)  # doctest: +ELLIPSIS
    at output unit 1: shifting first gives ...

    References
    ----------
    Goodfellow, Bengio & Courville, *Deep Learning* (2016), section 9.2.
    """
    graph = _graph_of(network, input_shape)
    return _decide(graph, offset, boundary, ShiftProperty.EQUIVARIANCE, output_offset, _seed(seed))


def check_shift_invariance(
    network: GraphNetwork | Operation,
    *,
    offset: int | Sequence[int] = 1,
    input_shape: Sequence[int] | None = None,
    boundary: Boundary | str = Boundary.CIRCULAR,
    seed: int = 0,
) -> ShiftCheck:
    r"""Decide :math:`f(S_t x) = f(x)` for every input and every parameter.

    The parameters are those of :func:`check_shift_equivariance`; the output may have any
    shape (a global pooling's output has one position per channel).

    Examples
    --------
    >>> from symdl.core.graph import GraphNetwork, Node
    >>> from symdl.core.graph_operations import AvgPool, Conv
    >>> graph = GraphNetwork(
    ...     {"x": (1, 4)},
    ...     [Node("c", Conv(1, 3, padding=1, padding_mode="circular"), "x"),
    ...      Node("g", AvgPool(4), "c")],
    ... )
    >>> check_shift_invariance(graph, offset=1).holds
    True
    >>> check_shift_invariance(AvgPool(2), input_shape=(1, 4)).holds  # local: not invariant
    False

    References
    ----------
    Goodfellow, Bengio & Courville, *Deep Learning* (2016), section 9.3.
    """
    graph = _graph_of(network, input_shape)
    return _decide(graph, offset, boundary, ShiftProperty.INVARIANCE, None, _seed(seed))


# --- local max pooling at a given input --------------------------------------------------------


@dataclass(frozen=True)
class WindowShift:
    """One pooling window, before and after the shift of its input.

    Attributes
    ----------
    unit : tuple of int
        The pooled output's index (channel, then position; 0-based).
    before, after : sympy.Expr
        The window's maximum for the input and for the shifted input.
    maximum_kept : bool
        The value ``before`` is still in the window after the shift (at any position).
    larger_entered : bool
        A value larger than ``before`` has come into the window.
    maximizer_stays : bool
        A position that held the maximum is moved to a position of the same window.
    """

    unit: tuple[int, ...]
    before: sp.Expr
    after: sp.Expr
    maximum_kept: bool
    larger_entered: bool
    maximizer_stays: bool

    @property
    def unchanged(self) -> bool:
        """The pooled value is the same (exactly when the maximum is kept and nothing larger
        came in)."""
        return _compare(self.before, self.after) == 0


@dataclass(frozen=True)
class MaxPoolShift:
    """The effect of a shift on every window of a max pooling, at one input.

    Attributes
    ----------
    shape : tuple of int
    size, stride, offset : tuple of int
    boundary : Boundary
    windows : tuple of WindowShift
    """

    shape: tuple[int, ...]
    size: tuple[int, ...]
    stride: tuple[int, ...]
    offset: tuple[int, ...]
    boundary: Boundary
    windows: tuple[WindowShift, ...]

    @property
    def invariant(self) -> bool:
        """Every pooled value is unchanged."""
        return all(w.unchanged for w in self.windows)

    @property
    def changed(self) -> tuple[WindowShift, ...]:
        """The windows whose pooled value changed."""
        return tuple(w for w in self.windows if not w.unchanged)


def max_pool_shift(
    values: Sequence[Any],
    shape: Sequence[int],
    size: int | Sequence[int],
    offset: int | Sequence[int],
    *,
    stride: int | Sequence[int] | None = None,
    boundary: Boundary | str = Boundary.CIRCULAR,
) -> MaxPoolShift:
    r"""What a shift of the input does to each window of a max pooling, at this input.

    Window :math:`W` (its positions) pools :math:`m = \max_{i \in W} x_i`; after the shift it
    pools :math:`\max_{i \in W} x_{i-t}`, the maximum over the positions :math:`W - t`.  So
    its value is unchanged exactly when

    - the value :math:`m` is still in the window (``maximum_kept``), and
    - no value larger than :math:`m` came in (``larger_entered`` is False).

    The usual statement, "the maximum stays in its window" (``maximizer_stays``), gives the
    first; it is not enough alone: a larger value from the window before can come in.

    Parameters
    ----------
    values : list
        The flat input, row-major: exact numbers.
    shape : tuple of int
        (C, N) or (C, H, W).
    size : int or tuple of int
        The pooling windows.
    offset : int or tuple of int
        The shift :math:`t`.
    stride : int or tuple of int or None
        Default: ``size`` (windows side by side).
    boundary : Boundary

    Examples
    --------
    >>> moved = max_pool_shift([0, 1, 0, 0], (1, 4), 2, 1)  # the 1 leaves window 1
    >>> moved.invariant, [(w.before, w.after) for w in moved.windows]
    (False, [(1, 0), (0, 1)])
    >>> entered = max_pool_shift([5, 5, 1, 0], (1, 4), 2, 1)  # 5 stays, but 5 enters window 2
    >>> [(w.maximizer_stays, w.larger_entered, w.unchanged) for w in entered.windows]
    [(True, False, True), (True, True, False)]

    References
    ----------
    Goodfellow, Bengio & Courville, *Deep Learning* (2016), section 9.3 and figure 9.8.
    """
    dims = _spatial_shape(shape, "shape")
    axes = len(dims) - 1
    window = _offset(size, axes, "size")
    step = window if stride is None else _offset(stride, axes, "stride")
    if any(k < 1 for k in (*window, *step)):
        raise ValueError(f"size={size!r} and stride={stride!r} must be ≥ 1 on every axis")
    t = _offset(offset, axes)
    mode = _boundary(boundary)
    if math.prod(dims) > _MAX_POOLED_UNITS:
        raise ValueError(
            f"shape={dims} has {math.prod(dims)} units, more than {_MAX_POOLED_UNITS}; give a "
            "smaller input"
        )
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise TypeError(f"values={values!r} is not a sequence; give the flat values, row-major")
    if len(values) != math.prod(dims):
        raise ValueError(
            f"{len(values)} values do not fill the shape {dims} ({math.prod(dims)} units); give "
            "the flat values of the whole signal"
        )
    items = [exact_number(v, name=f"values[{i}]") for i, v in enumerate(values)]
    if not all(v.is_comparable for v in items):
        raise ValueError("the values must be exact real numbers, so that maxima are decided")
    shifted = shift(items, dims, t, boundary=mode)
    counts = []
    for n, k, s in zip(dims[1:], window, step, strict=True):
        if n < k:
            raise ValueError(f"a window of {k} does not fit in a length of {n}")
        counts.append((n - k) // s + 1)
    result = []
    for channel in range(dims[0]):
        for place in itertools.product(*(range(c) for c in counts)):
            positions = list(
                itertools.product(
                    *(range(p * s, p * s + k) for p, s, k in zip(place, step, window, strict=True))
                )
            )
            before_values = [items[_ravel((channel, *q), dims)] for q in positions]
            after_values = [shifted[_ravel((channel, *q), dims)] for q in positions]
            before, after = _maximum(before_values), _maximum(after_values)
            inside = set(positions)
            stays = any(
                _compare(before_values[i], before) == 0 and _moved(q, t, dims, mode) in inside
                for i, q in enumerate(positions)
            )
            result.append(
                WindowShift(
                    (channel, *place),
                    sp.sympify(before),
                    sp.sympify(after),
                    any(_compare(v, before) == 0 for v in after_values),
                    any(_compare(v, before) > 0 for v in after_values),
                    stays,
                )
            )
    return MaxPoolShift(dims, window, step, t, mode, tuple(result))


def _compare(a: sp.Expr, b: sp.Expr) -> int:
    r"""The sign of ``a - b`` for exact real numbers, decided exactly (equal values written
    differently, such as :math:`(\sqrt 2 + \sqrt 3)^2` and :math:`5 + 2\sqrt 6`, compare
    equal); a ValueError when it cannot be decided."""
    difference = sp.sympify(a) - sp.sympify(b)
    if difference.is_Rational:
        return int(sp.sign(difference))
    if difference.is_zero is True:
        return 0
    value = difference.evalf(_COMPARE_DIGITS)
    if value.is_Number and abs(value) > sp.Float(10) ** (5 - _COMPARE_DIGITS):
        return 1 if value > 0 else -1
    if sp.simplify(sp.expand(difference)) == 0 or difference.equals(0) is True:
        return 0
    raise ValueError(
        f"cannot decide whether {plain_expr(sp.sympify(a))} and {plain_expr(sp.sympify(b))} "
        "are equal (they agree to "
        f"{_COMPARE_DIGITS} digits); give the values in a simpler exact form"
    )


def _maximum(values: Sequence[sp.Expr]) -> sp.Expr:
    """The first maximal value, compared exactly."""
    best = values[0]
    for v in values[1:]:
        if _compare(v, best) > 0:
            best = v
    return best


def _moved(
    position: tuple[int, ...], t: tuple[int, ...], dims: tuple[int, ...], mode: Boundary
) -> tuple[int, ...] | None:
    """Where the shift takes a position (None: out of the signal, for a zero-filled shift)."""
    moved = [q + s for q, s in zip(position, t, strict=True)]
    if mode is Boundary.CIRCULAR:
        return tuple(q % n for q, n in zip(moved, dims[1:], strict=True))
    if all(0 <= q < n for q, n in zip(moved, dims[1:], strict=True)):
        return tuple(moved)
    return None
