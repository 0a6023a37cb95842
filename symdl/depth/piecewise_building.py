r"""Building :class:`~symdl.depth.piecewise.PiecewiseLinear` functions from SymPy expressions and
from networks, and writing them as SymPy ``Piecewise``.

The builders take the class (``kind``) or read it off their arguments, so the class can offer
them as its own methods (:meth:`~symdl.depth.piecewise.PiecewiseLinear.from_sympy`,
:meth:`~symdl.depth.piecewise.PiecewiseLinear.from_network`) while this module stays below it;
:mod:`symdl.depth.piecewise_sympy` holds the functions users call.

References
----------
Telgarsky, "Representation benefits of deep feedforward networks", arXiv:1509.08101, 2015: each
layer adds and composes piecewise-affine ("sawtooth") functions.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any

import sympy as sp

from symdl.core.activations import ACTIVATIONS, Activation
from symdl.core.exact import FloatConversion, exact_fraction, exact_rational, to_rational
from symdl.core.exceptions import NotSupportedError
from symdl.core.network import Dense, Maxout, Network

__all__ = [
    "ACCEPTED_ACTIVATIONS",
    "affine_images",
    "exact_entry",
    "network_function",
    "network_functions",
    "piecewise_linear_activations",
    "read_sympy",
    "splice",
    "to_sympy",
]

ACCEPTED_ACTIVATIONS = ("identity", "relu", "leaky_relu")
"""The built-in activations of a :class:`~symdl.core.layers.Dense` layer that
:func:`~symdl.depth.piecewise_sympy.from_network` accepts (and the
:class:`~symdl.core.layers.Maxout` layer); every
registered activation with a piecewise-linear form is accepted too
(:func:`piecewise_linear_activations`)."""


def to_sympy(f: Any, x: sp.Symbol | None = None) -> sp.Expr:
    """A SymPy ``Piecewise`` equal to ``f``: branch :math:`i` holds for :math:`x \\le b_i`.

    SymPy returns an affine function (one piece) as the plain expression.

    Examples
    --------
    >>> from symdl.depth.piecewise import PiecewiseLinear
    >>> to_sympy(PiecewiseLinear.relu(), sp.Symbol("x", real=True))
    Piecewise((0, x <= 0), (x, True))
    """
    x = sp.Symbol("x", real=True) if x is None else x
    lines = [
        to_rational(s) * x + to_rational(c) for s, c in zip(f.slopes, f.intercepts, strict=True)
    ]
    branches = [(line, x <= to_rational(b)) for line, b in zip(lines, f.breakpoints, strict=False)]
    branches.append((lines[-1], sp.true))
    return sp.Piecewise(*branches)


# --- from SymPy -----------------------------------------------------------------------------


def read_sympy(kind: Any, expr: sp.Expr, x: sp.Symbol) -> Any:
    """The exact piecewise-linear function of ``x`` that ``expr`` denotes, as an instance of
    ``kind`` (:class:`~symdl.depth.piecewise.PiecewiseLinear`); see
    :func:`symdl.depth.piecewise_sympy.from_sympy`."""
    if not isinstance(x, sp.Symbol):
        raise TypeError(f"x={x!r} must be a sympy.Symbol, the variable of the function")
    expr = _as_expression(expr)
    if expr.is_Rational:
        return kind.affine(0, _fraction(expr, expr))
    if expr == x:
        return kind.affine(1, 0)
    if isinstance(expr, sp.Add):
        total = read_sympy(kind, expr.args[0], x)
        for term in expr.args[1:]:
            total = total + read_sympy(kind, term, x)
        return total
    if isinstance(expr, sp.Mul):
        constant = [a for a in expr.args if not a.has(x)]
        varying = [a for a in expr.args if a.has(x)]
        if len(varying) != 1:
            raise ValueError(f"{expr} is a product of functions of {x}: not piecewise linear")
        return read_sympy(kind, varying[0], x) * _fraction(sp.Mul(*constant), expr)
    if isinstance(expr, (sp.Max, sp.Min)):
        parts = [read_sympy(kind, a, x) for a in expr.args]
        result = parts[0]
        for part in parts[1:]:
            result = result.maximum(part) if isinstance(expr, sp.Max) else -(-result).maximum(-part)
        return result
    if isinstance(expr, sp.Abs):
        inner = read_sympy(kind, expr.args[0], x)
        return inner.maximum(-inner)
    if isinstance(expr, sp.Piecewise):
        return _from_piecewise(kind, expr, x)
    raise ValueError(
        f"cannot read {expr} as a piecewise-linear function of {x}; accepted: rational "
        f"numbers, {x}, +, scalar *, Max, Min, Abs, Piecewise with linear branches"
    )


def _as_expression(expr: object) -> sp.Expr:
    """A SymPy expression, or an exact number made one; text is never parsed here."""
    if isinstance(expr, sp.Basic):
        return expr
    if isinstance(expr, str):
        raise TypeError(
            f"expr={expr!r:.60} is text; parse it first with "
            "symdl.grading.parsing.parse_expression "
            f"(which admits only whitelisted names), then pass the SymPy expression"
        )
    return exact_rational(expr, name="expr")


def _fraction(number: sp.Expr, context: sp.Expr) -> Fraction:
    if not number.is_Rational:
        raise ValueError(f"{number} in {context} is not a rational number; use sympy.Rational")
    return Fraction(int(number.p), int(number.q))


def _threshold(condition: sp.Basic, x: sp.Symbol) -> list[Fraction]:
    """The points where a condition x < a, x <= a, a < x, ... (or an And/Or) can change."""
    if condition in (sp.true, sp.false):
        return []
    if isinstance(condition, (sp.And, sp.Or)):
        return [t for arg in condition.args for t in _threshold(arg, x)]
    if isinstance(
        condition, (sp.StrictLessThan, sp.LessThan, sp.StrictGreaterThan, sp.GreaterThan)
    ):
        lhs, rhs = condition.lhs, condition.rhs
        side = rhs if lhs == x else lhs if rhs == x else None
        if side is not None and side.is_Rational:
            return [_fraction(side, condition)]
    raise ValueError(
        f"condition {condition} is not accepted; use comparisons of {x} with rational numbers "
        f"(x < a, x <= a, x > a, x >= a), And, Or"
    )


def _from_piecewise(kind: Any, expr: sp.Piecewise, x: sp.Symbol) -> Any:
    # Between consecutive thresholds every condition is constant, so the branch that applies
    # there is found at one interior point; the branches' functions are then joined.
    thresholds = sorted({t for _, cond in expr.args for t in _threshold(cond, x)})
    probes = (
        [thresholds[0] - 1]
        + [(u + v) / 2 for u, v in itertools.pairwise(thresholds)]
        + [thresholds[-1] + 1]
        if thresholds
        else [Fraction(0)]
    )
    return splice(thresholds, [read_sympy(kind, _branch_at(expr, x, p), x) for p in probes])


def splice(thresholds: list[Fraction], functions: list[Any]) -> Any:
    """The function equal to ``functions[i]`` between ``thresholds[i - 1]`` and ``thresholds[i]``.

    The result must be continuous at the thresholds (:class:`ValueError` otherwise).

    Examples
    --------
    >>> from symdl.depth.piecewise import PiecewiseLinear
    >>> relu = PiecewiseLinear.relu()
    >>> splice([Fraction(1)], [relu, PiecewiseLinear.affine(0, 1)]).breakpoints
    (Fraction(0, 1), Fraction(1, 1))
    """
    if len(functions) != len(thresholds) + 1:
        raise ValueError(f"{len(thresholds)} thresholds need {len(thresholds) + 1} functions")
    breakpoints: list[Fraction] = []
    slopes: list[Fraction] = []
    intercepts: list[Fraction] = []
    bounds: list[Fraction | None] = [None, *thresholds, None]
    for i, f in enumerate(functions):
        lo, hi = bounds[i], bounds[i + 1]
        points = f.breakpoints
        first = 0 if lo is None else sum(1 for b in points if b <= lo)
        last = len(points) if hi is None else sum(1 for b in points if b < hi)
        for piece in range(first, max(first, last) + 1):
            slopes.append(f.slopes[piece])
            intercepts.append(f.intercepts[piece])
            if piece < last:
                breakpoints.append(points[piece])
        if hi is not None:
            breakpoints.append(hi)
    return type(functions[0])(breakpoints, slopes, intercepts)


def _branch_at(expr: sp.Piecewise, x: sp.Symbol, point: Fraction) -> sp.Expr:
    value = to_rational(point)
    for branch, condition in expr.args:
        if bool(condition.subs(x, value)):
            return branch
    raise ValueError(f"{expr} is undefined at {x} = {point}")


# --- from networks ---------------------------------------------------------------------------


def exact_entry(value: sp.Expr, where: str, floats: FloatConversion) -> Fraction:
    """A weight or bias as a Fraction; floats only with an explicit conversion.

    Examples
    --------
    >>> exact_entry(sp.Float(0.1), "W[0,0]", FloatConversion.DECIMAL)
    Fraction(1, 10)
    """
    if value.free_symbols:
        raise ValueError(
            f"{where} = {value} is symbolic; substitute exact values first "
            f"(net.substitute({{symbol: value}}))"
        )
    return exact_fraction(value, name=where, floats=floats)


def affine_images(
    W: sp.Matrix, b: sp.Matrix, inputs: list[Any], layer: str, floats: FloatConversion
) -> list[Any]:
    """The functions :math:`z_j = \\sum_k W_{jk} a_k + b_j` of a layer, exactly.

    Examples
    --------
    >>> from symdl.depth.piecewise import PiecewiseLinear
    >>> x = PiecewiseLinear.affine(1, 0)
    >>> z = affine_images(sp.Matrix([[2], [-1]]), sp.Matrix([1, 0]), [x], "layer 1",
    ...                   FloatConversion.REJECT)
    >>> [(f.slopes, f.intercepts) for f in z]
    [((Fraction(2, 1),), (Fraction(1, 1),)), ((Fraction(-1, 1),), (Fraction(0, 1),))]
    """
    if not inputs:
        raise ValueError(f"{layer} has no inputs; a layer reads at least one function")
    kind = type(inputs[0])
    outputs = []
    for j in range(W.rows):
        total = kind.affine(0, exact_entry(b[j], f"{layer} b[{j}]", floats))
        for k, a in enumerate(inputs):
            weight = exact_entry(W[j, k], f"{layer} W[{j},{k}]", floats)
            if weight:
                total = total + a * weight
        outputs.append(total)
    return outputs


def piecewise_linear_activations() -> tuple[str, ...]:
    """The registered activations that have a piecewise-linear form (those
    :func:`~symdl.depth.piecewise_sympy.from_network`
    accepts in a :class:`~symdl.core.layers.Dense` layer).

    Examples
    --------
    >>> piecewise_linear_activations()
    ('identity', 'relu', 'leaky_relu')
    """
    return tuple(name for name, act in ACTIVATIONS.items() if act.linear_pieces is not None)


def _activate(activation: Activation, z: Any, layer: str) -> Any:
    form = activation.linear_pieces
    if form is None:
        raise NotSupportedError(
            f"{layer} uses the activation {activation.name!r}, which is not piecewise linear; "
            f"exact piece counting accepts {', '.join(piecewise_linear_activations())} (every "
            f"activation registered with a PiecewiseLinearForm) and maxout layers"
        )
    if form.is_identity:
        return z
    slope = form.negative_slope
    if slope is not None:  # max(az, z): ReLU, leaky ReLU
        return z.apply_relu(slope_negative=exact_fraction(slope))
    # c + s_0 z + Σ_k (s_{k+1} - s_k) max(0, z - b_k)
    s = [exact_fraction(v) for v in form.slopes]
    total = z * s[0] + exact_fraction(form.intercept)
    for k, b in enumerate(form.breakpoints):
        if s[k + 1] != s[k]:
            total = total + (z - exact_fraction(b)).apply_relu() * (s[k + 1] - s[k])
    return total


def network_functions(kind: Any, net: Network, floats: FloatConversion) -> list[list[Any]]:
    """The exact activations of every layer of a one-input network, as instances of ``kind``
    (:class:`~symdl.depth.piecewise.PiecewiseLinear`); see
    :func:`symdl.depth.piecewise_sympy.layer_functions`."""
    if not isinstance(net, Network):
        raise TypeError(f"expected a symdl Network, got {type(net).__name__}")
    if net.n_inputs != 1:
        raise ValueError(
            f"the network has {net.n_inputs} inputs; piecewise-linear functions on the line "
            f"need exactly one (for two inputs use symdl.depth.regions.regions_2d)"
        )
    current = [kind.affine(1, 0)]
    layers = []
    for l, layer in enumerate(net.layers, start=1):
        name = f"layer {l}"
        if isinstance(layer, Dense):
            z = affine_images(layer.W, layer.b, current, name, floats)
            current = [
                _activate(act, zj, f"{name}, neuron {j}" if layer.is_mixed else name)
                for j, (act, zj) in enumerate(zip(layer.activations, z, strict=True), start=1)
            ]
        elif isinstance(layer, Maxout):
            pieces = [
                affine_images(W, b, current, name, floats)
                for W, b in zip(layer.Ws, layer.bs, strict=True)
            ]
            current = []
            for j in range(layer.n_out):
                best = pieces[0][j]
                for other in pieces[1:]:
                    best = best.maximum(other[j])
                current.append(best)
        else:
            raise NotSupportedError(
                f"{name} is a {type(layer).__name__}, which is not piecewise linear; exact "
                f"piece counting accepts Dense layers with "
                f"{', '.join(piecewise_linear_activations())} "
                f"and Maxout layers"
            )
        layers.append(current)
    return layers


def network_function(kind: Any, net: Network, output: int, floats: FloatConversion) -> Any:
    """The exact function of output ``output`` of a one-input network, as an instance of
    ``kind``; see :func:`symdl.depth.piecewise_sympy.from_network`."""
    if isinstance(output, bool) or not isinstance(output, int):
        raise TypeError(f"output={output!r} must be the integer index of an output neuron")
    outputs = network_functions(kind, net, floats)[-1]
    if not 0 <= output < len(outputs):
        raise ValueError(
            f"output={output} is not an output of the network; it has {len(outputs)} "
            f"(0 to {len(outputs) - 1})"
        )
    return outputs[output]
