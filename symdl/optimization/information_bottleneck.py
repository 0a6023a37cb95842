r"""The information bottleneck on a toy problem: exact mutual informations of a quantized layer.

Tishby, Pereira and Bialek (1999) ask of a representation :math:`T` of an input :math:`X`
that it keep what :math:`X` says about a label :math:`Y` while forgetting the rest of
:math:`X`: small :math:`I(X;T)`, large :math:`I(T;Y)`.  Shwartz-Ziv and Tishby (2017) follow a
network's hidden layers in this *information plane*, with :math:`T` the layer's activations
quantized into equal bins, a deterministic function :math:`T = \varphi(X)`.

For a discrete :math:`(X, Y)` with rational probabilities :math:`p(x, y)` every quantity is a
finite sum of rational multiples of logarithms of rationals, kept exact here:

.. math::

    I(X;Y) = \sum_{x, y} p(x, y) \log \frac{p(x, y)}{p(x)\, p(y)}, \qquad
    I(X;T) = H(T) = -\sum_t p(t) \log p(t), \qquad
    p(t, y) = \sum_{x:\ \varphi(x) = t} p(x, y) .

**The data-processing inequality** :math:`I(X;Y) \ge I(T;Y)`, by grouping the sum: since
:math:`T` is a function of :math:`X`, :math:`p(x, t, y) = p(x, y)` for :math:`t = \varphi(x)`,
and the chain rule gives

.. math::

    I(X;Y) - I(T;Y) = I(X;Y \mid T)
        = \sum_{t} \sum_{x:\ \varphi(x) = t} p(x)\,
          D\bigl(p(\cdot \mid x) \,\big\|\, p(\cdot \mid t)\bigr) \ge 0,

each relative entropy :math:`D` being :math:`\ge 0` (Gibbs' inequality; the log-sum
inequality applied group by group).  :func:`data_processing_certificate` checks the identity
exactly and decides the sign of every term exactly.

**Exact decisions.**  A sum :math:`\sum_q c_q \log q` with rational :math:`c_q` and :math:`q`
is rewritten on the primes, :math:`\sum_p e_p \log p`; by unique factorization it is zero
exactly when every :math:`e_p` is, and its sign is that of
:math:`\prod_{e_p > 0} p^{N e_p} - \prod_{e_p < 0} p^{-N e_p}` for a common denominator
:math:`N` of the :math:`e_p`, integers compared exactly (:func:`exact_log_sign`).

References
----------
N. Tishby, F. C. Pereira and W. Bialek, "The information bottleneck method", Proc. 37th
Allerton Conference on Communication, Control and Computing, 1999.

R. Shwartz-Ziv and N. Tishby, "Opening the black box of deep neural networks via
information", arXiv:1703.00810, 2017 (the information plane; the binning of the
activations).

T. M. Cover and J. A. Thomas, *Elements of Information Theory*, 2nd ed., Wiley 2006,
Theorem 2.8.1 (data processing) and Theorem 2.7.1 (the log-sum inequality).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sympy as sp
from mpmath.ctx_iv import MPIntervalContext

from symdl.core.exact import exact_number, exact_rational, positive_integer
from symdl.core.exceptions import NotSupportedError
from symdl.core.network import Network

if TYPE_CHECKING:  # matplotlib is imported only when a figure is drawn
    from matplotlib.figure import Figure

__all__ = [
    "MAX_BOTTLENECK_OUTCOMES",
    "DataProcessingCertificate",
    "InformationPlanePoint",
    "InformationUnit",
    "conditional_mutual_information",
    "data_processing_certificate",
    "entropy",
    "exact_log_sign",
    "grouped_joint",
    "hidden_layer_labels",
    "information_plane_figure",
    "information_plane_point",
    "mutual_information",
    "quantize",
]

#: The most outcomes of :math:`X` (and of :math:`Y`) a joint distribution may have.
MAX_BOTTLENECK_OUTCOMES = 256

# beyond this many bits the integers of an exact sign decision are not formed: the sign is
# decided by interval arithmetic instead (also exact: the sum is known to be nonzero)
_MAX_POWER_BITS = 10**7


class InformationUnit(enum.Enum):
    """The unit of an entropy or mutual information: natural logarithms or base 2."""

    NATS = "nats"
    BITS = "bits"


# --- exact sums of logarithms -------------------------------------------------------------

_LogForm = dict[int, sp.Rational]
"""A sum :math:`\\sum_p e_p \\log p` over primes :math:`p`, as ``{p: e_p}`` (nats)."""


def _log_of(q: sp.Rational) -> _LogForm:
    form: _LogForm = {}
    for prime, power in sp.factorint(q.p).items():
        form[prime] = form.get(prime, sp.S.Zero) + power
    for prime, power in sp.factorint(q.q).items():
        form[prime] = form.get(prime, sp.S.Zero) - power
    return form


def _add(form: _LogForm, other: _LogForm, scale: sp.Rational) -> None:
    for prime, power in other.items():
        value = form.get(prime, sp.S.Zero) + scale * power
        if value == 0:
            form.pop(prime, None)
        else:
            form[prime] = value


def _expression(form: _LogForm, unit: InformationUnit) -> sp.Expr:
    if unit is InformationUnit.NATS:
        return sp.Add(*(power * sp.log(prime) for prime, power in sorted(form.items())))
    return sp.Add(
        *(
            power if prime == 2 else power * sp.log(prime) / sp.log(2)
            for prime, power in sorted(form.items())
        )
    )


def _parse(expr: sp.Expr) -> _LogForm:
    """The prime form of an expression written in nats (``c log q``) or in bits (``c log q /
    log 2`` and rational constants)."""
    expression = sp.expand(sp.sympify(expr, strict=True))
    terms = sp.Add.make_args(expression)
    inverse_log2 = 1 / sp.log(2)
    bits = any(t.has(inverse_log2) for t in terms) or (expression.is_Rational and expression != 0)
    form: _LogForm = {}
    for term in terms:
        if term == 0:
            continue
        coefficient, rest = term.as_coeff_Mul()
        if not isinstance(coefficient, sp.Rational):
            raise TypeError(f"{expr} has the term {term} with a coefficient that is not rational")
        factors = sp.Mul.make_args(rest)
        logs = [f for f in factors if isinstance(f, sp.log)]
        others = [f for f in factors if not isinstance(f, sp.log)]
        if bits:
            if rest == 1:
                _add(form, {2: sp.S.One}, coefficient)  # c bits = c log 2 / log 2
                continue
            if others != [inverse_log2] or len(logs) != 1:
                raise ValueError(
                    f"{expr}: the term {term} is not a rational multiple of log(q)/log(2); an "
                    "expression in bits is a sum of such terms and rationals"
                )
        elif others or len(logs) != 1:
            raise ValueError(
                f"{expr}: the term {term} is not a rational multiple of log(q) with q rational"
            )
        argument = logs[0].args[0]
        if not (isinstance(argument, sp.Rational) and argument > 0):
            raise ValueError(f"{expr}: log({argument}) is not the logarithm of a positive rational")
        _add(form, _log_of(argument), coefficient)
    return form


def _sign(form: _LogForm) -> int:
    if not form:
        return 0
    common = math.lcm(*(int(power.q) for power in form.values()))
    exponents = {prime: int(power * common) for prime, power in form.items()}
    size = sum(abs(e) * prime.bit_length() for prime, e in exponents.items())
    if size <= _MAX_POWER_BITS:
        above = math.prod(prime**e for prime, e in exponents.items() if e > 0)
        below = math.prod(prime ** (-e) for prime, e in exponents.items() if e < 0)
        return (above > below) - (above < below)
    # nonzero by unique factorization: interval arithmetic at rising precision decides it
    ctx = MPIntervalContext()
    ctx.prec = 64
    while True:
        total = ctx.mpf(0)
        for prime, power in form.items():
            total += ctx.mpf(int(power.p)) / int(power.q) * ctx.log(prime)
        if total.a > 0:
            return 1
        if total.b < 0:
            return -1
        ctx.prec *= 2


def exact_log_sign(expr: sp.Expr) -> int:
    r"""The exact sign (-1, 0 or 1) of a sum of rational multiples of logarithms of positive
    rationals, in nats (:math:`\sum_q c_q \log q`) or in bits (each log divided by
    :math:`\log 2`, rationals allowed), such as the entropies and mutual informations of this
    module or their differences.

    Examples
    --------
    :math:`\tfrac34 \log_2 3 - 1 > 0` (that is :math:`3^3 > 2^4`), and
    :math:`\log 6 - \log 2 - \log 3 = 0`:

    >>> exact_log_sign(sp.Rational(3, 4) * sp.log(3) / sp.log(2) - 1)
    1
    >>> exact_log_sign(sp.log(6) - sp.log(2) - sp.log(3))
    0
    """
    if not isinstance(expr, (sp.Expr, int)):
        raise TypeError(f"expr={expr!r} must be a SymPy expression")
    return _sign(_parse(sp.sympify(expr)))


# --- distributions ------------------------------------------------------------------------


def _joint(joint: Any) -> list[list[sp.Rational]]:
    if isinstance(joint, sp.MatrixBase):
        rows = joint.tolist()
    elif isinstance(joint, Sequence) and not isinstance(joint, (str, bytes)):
        rows = [list(row) if isinstance(row, Sequence) else None for row in joint]
    else:
        rows = None
    if not rows or any(row is None for row in rows):
        raise TypeError(
            f"joint={joint!r}: give the joint distribution as rows p(x, y), one row per x, "
            "e.g. [[Fraction(1, 4), 0], [Fraction(1, 4), Fraction(1, 2)]]"
        )
    widths = {len(row) for row in rows if row is not None}
    if len(widths) != 1:
        raise ValueError(f"joint: the rows have different lengths {sorted(widths)}")
    (width,) = widths
    if not 1 <= len(rows) <= MAX_BOTTLENECK_OUTCOMES or not 1 <= width <= MAX_BOTTLENECK_OUTCOMES:
        raise ValueError(
            f"joint is {len(rows)} by {width}: 1 to {MAX_BOTTLENECK_OUTCOMES} outcomes of X and "
            "of Y (symdl.optimization.information_bottleneck.MAX_BOTTLENECK_OUTCOMES)"
        )
    values = [
        [exact_rational(v, name=f"joint[{i}][{j}]") for j, v in enumerate(row or [])]
        for i, row in enumerate(rows)
    ]
    negative = [(i, j) for i, row in enumerate(values) for j, v in enumerate(row) if v < 0]
    if negative:
        i, j = negative[0]
        raise ValueError(f"joint[{i}][{j}] = {values[i][j]} is negative; probabilities are ≥ 0")
    total = sum(sum(row) for row in values)
    if total != 1:
        raise ValueError(f"the probabilities of joint sum to {total}, not 1; normalize them")
    return values


def _entropy_form(probabilities: Sequence[sp.Rational]) -> _LogForm:
    form: _LogForm = {}
    for p in probabilities:
        if p:
            _add(form, _log_of(p), -p)
    return form


def _information_form(values: list[list[sp.Rational]]) -> _LogForm:
    px = [sum(row) for row in values]
    py = [sum(column) for column in zip(*values, strict=True)]
    form: _LogForm = {}
    for i, row in enumerate(values):
        for j, p in enumerate(row):
            if p:
                _add(form, _log_of(p / (px[i] * py[j])), p)
    return form


def _unit(unit: Any) -> InformationUnit:
    if not isinstance(unit, InformationUnit):
        raise TypeError(f"unit={unit!r}: give InformationUnit.BITS or InformationUnit.NATS")
    return unit


def entropy(
    probabilities: Sequence[Any], *, unit: InformationUnit = InformationUnit.BITS
) -> sp.Expr:
    r"""The entropy :math:`H = -\sum_i p_i \log p_i` of a distribution with rational
    probabilities, exactly.

    >>> entropy([sp.Rational(1, 2), sp.Rational(1, 4), sp.Rational(1, 4)])
    3/2
    >>> entropy([sp.Rational(1, 3)] * 3, unit=InformationUnit.NATS)
    log(3)
    """
    if isinstance(probabilities, (str, bytes)) or not isinstance(probabilities, Sequence):
        raise TypeError(
            f"probabilities={probabilities!r}: give a list of exact probabilities, e.g. "
            "[Fraction(1, 2), Fraction(1, 2)]"
        )
    if not 1 <= len(probabilities) <= MAX_BOTTLENECK_OUTCOMES:
        raise ValueError(
            f"{len(probabilities)} probabilities: 1 to {MAX_BOTTLENECK_OUTCOMES} "
            "(symdl.optimization.information_bottleneck.MAX_BOTTLENECK_OUTCOMES)"
        )
    values = [exact_rational(p, name=f"probabilities[{i}]") for i, p in enumerate(probabilities)]
    for i, p in enumerate(values):
        if p < 0:
            raise ValueError(f"probabilities[{i}] = {p} is negative; probabilities are ≥ 0")
    if sum(values) != 1:
        raise ValueError(f"the probabilities sum to {sum(values)}, not 1; normalize them")
    return _expression(_entropy_form(values), _unit(unit))


def mutual_information(joint: Any, *, unit: InformationUnit = InformationUnit.BITS) -> sp.Expr:
    r""":math:`I(X;Y) = \sum_{x,y} p(x,y) \log \frac{p(x,y)}{p(x)p(y)}`, exactly, for the joint
    distribution ``joint`` (rows :math:`x`, columns :math:`y`, rational entries summing to 1).

    Examples
    --------
    A uniform bit sent through a binary symmetric channel that flips it with probability
    :math:`1/4`: :math:`I = 1 - h(1/4) = \tfrac34 \log_2 3 - 1` bits.

    >>> q = sp.Rational(1, 8)
    >>> mutual_information([[3 * q, q], [q, 3 * q]])
    -1 + 3*log(3)/(4*log(2))
    """
    return _expression(_information_form(_joint(joint)), _unit(unit))


def _labels(labels: Any, count: int) -> tuple[Hashable, ...]:
    if isinstance(labels, (str, bytes)) or not isinstance(labels, Sequence):
        raise TypeError(
            f"labels={labels!r}: give one label t = φ(x) per outcome x, e.g. [0, 0, 1, 1]"
        )
    if len(labels) != count:
        raise ValueError(
            f"{len(labels)} labels for {count} outcomes of X: give one label per row of joint"
        )
    try:
        for label in labels:
            hash(label)
    except TypeError as error:
        raise TypeError(f"labels must be hashable (numbers, strings, tuples): {error}") from None
    return tuple(labels)


def _grouped(
    values: list[list[sp.Rational]], labels: tuple[Hashable, ...]
) -> tuple[tuple[Hashable, ...], list[list[sp.Rational]]]:
    order: dict[Hashable, int] = {}
    for label in labels:
        order.setdefault(label, len(order))
    rows = [[sp.S.Zero] * len(values[0]) for _ in order]
    for label, row in zip(labels, values, strict=True):
        target = rows[order[label]]
        for j, p in enumerate(row):
            target[j] += p
    return tuple(order), rows


def grouped_joint(joint: Any, labels: Sequence[Hashable]) -> tuple[tuple[Hashable, ...], sp.Matrix]:
    r"""The joint distribution of :math:`(T, Y)` for :math:`T = \varphi(X)` given by
    ``labels[x]``: :math:`p(t, y) = \sum_{x:\ \varphi(x) = t} p(x, y)`, one row per value of
    :math:`T` in the order of first appearance.

    >>> q = sp.Rational(1, 8)
    >>> grouped_joint([[q, q], [q, q], [0, 2 * q], [2 * q, 0]], ["a", "a", "b", "b"])
    (('a', 'b'), Matrix([
    [1/4, 1/4],
    [1/4, 1/4]]))
    """
    values = _joint(joint)
    names, rows = _grouped(values, _labels(labels, len(values)))
    return names, sp.Matrix(rows)


def _conditional_terms(
    values: list[list[sp.Rational]], labels: tuple[Hashable, ...]
) -> list[tuple[Hashable, int, _LogForm]]:
    """For each x: ``p(x) D(p(.|x) || p(.|t))`` with ``t = labels[x]``, as a prime form."""
    names, rows = _grouped(values, labels)
    index = {name: k for k, name in enumerate(names)}
    terms = []
    for x, row in enumerate(values):
        t = labels[x]
        px, group = sum(row), rows[index[t]]
        pt = sum(group)
        form: _LogForm = {}
        for p, q in zip(row, group, strict=True):
            if p:  # p(x) p(y|x) log(p(y|x)/p(y|t))
                _add(form, _log_of((p / px) / (q / pt)), p)
        terms.append((t, x, form))
    return terms


def conditional_mutual_information(
    joint: Any, labels: Sequence[Hashable], *, unit: InformationUnit = InformationUnit.BITS
) -> sp.Expr:
    r""":math:`I(X;Y \mid T) = \sum_x p(x)\, D(p(\cdot \mid x) \,\|\, p(\cdot \mid t))` for
    :math:`T = \varphi(X)` given by ``labels``: what the quantization loses about :math:`Y`.

    >>> q = sp.Rational(1, 8)
    >>> conditional_mutual_information([[q, q], [q, q], [0, 2 * q], [2 * q, 0]], [0, 0, 1, 1])
    1/2
    """
    values = _joint(joint)
    form: _LogForm = {}
    for _, _, term in _conditional_terms(values, _labels(labels, len(values))):
        _add(form, term, sp.S.One)
    return _expression(form, _unit(unit))


@dataclass(frozen=True)
class InformationPlanePoint:
    r"""One representation :math:`T = \varphi(X)` in the information plane, exactly.

    Attributes
    ----------
    labels
        :math:`\varphi(x)` for each outcome :math:`x`.
    i_xt, i_ty, i_xy
        :math:`I(X;T)`, :math:`I(T;Y)` and :math:`I(X;Y)`.
    unit
        Their unit.
    """

    labels: tuple[Hashable, ...]
    i_xt: sp.Expr
    i_ty: sp.Expr
    i_xy: sp.Expr
    unit: InformationUnit

    def lagrangian(self, beta: Any) -> sp.Expr:
        r"""Tishby, Pereira and Bialek's functional
        :math:`I(X;T) - \beta\, I(T;Y)`, to be minimized."""
        return self.i_xt - exact_number(beta, name="beta") * self.i_ty


def information_plane_point(
    joint: Any, labels: Sequence[Hashable], *, unit: InformationUnit = InformationUnit.BITS
) -> InformationPlanePoint:
    r""":math:`I(X;T)` and :math:`I(T;Y)` for the representation :math:`T = \varphi(X)` given by
    ``labels``, beside :math:`I(X;Y)`.

    Examples
    --------
    :math:`X` uniform on four outcomes, :math:`Y` a noisy function of it; merging the first two
    outcomes costs one bit of :math:`I(X;T)` and half a bit of :math:`I(T;Y)`:

    >>> q = sp.Rational(1, 8)
    >>> point = information_plane_point([[q, q], [q, q], [0, 2 * q], [2 * q, 0]], [0, 0, 1, 2])
    >>> point.i_xt, point.i_ty, point.i_xy
    (3/2, 1/2, 1/2)
    """
    values = _joint(joint)
    chosen = _labels(labels, len(values))
    names, rows = _grouped(values, chosen)
    px = [sum(row) for row in values]
    # the joint of (X, T): p(x, t) = p(x) when t = φ(x)
    xt = [[px[x] if chosen[x] == name else sp.S.Zero for name in names] for x in range(len(px))]
    u = _unit(unit)
    return InformationPlanePoint(
        chosen,
        _expression(_information_form(xt), u),
        _expression(_information_form(rows), u),
        _expression(_information_form(values), u),
        u,
    )


@dataclass(frozen=True)
class DataProcessingCertificate:
    r"""The exact proof of :math:`I(X;Y) \ge I(T;Y)` for :math:`T = \varphi(X)`.

    Attributes
    ----------
    i_xy, i_ty
        :math:`I(X;Y)` and :math:`I(T;Y)`.
    gap
        :math:`I(X;Y \mid T)`, the sum of ``terms``.
    terms
        ``(t, x, term)``: :math:`p(x)\, D(p(\cdot \mid x) \,\|\, p(\cdot \mid t))`, one per
        outcome :math:`x` (each :math:`\ge 0`).
    identity
        Whether :math:`I(X;Y) - I(T;Y) = I(X;Y \mid T)` holds exactly (it must).
    term_signs
        The exact sign of each term.
    holds
        Whether the identity holds and no term is negative: :math:`I(X;Y) \ge I(T;Y)`.
    lossless
        Whether :math:`I(X;Y) = I(T;Y)` (:math:`T` is a sufficient statistic of :math:`X` for
        :math:`Y`).
    unit
        The unit of every expression.
    """

    i_xy: sp.Expr
    i_ty: sp.Expr
    gap: sp.Expr
    terms: tuple[tuple[Hashable, int, sp.Expr], ...]
    identity: bool
    term_signs: tuple[int, ...]
    holds: bool
    lossless: bool
    unit: InformationUnit


def data_processing_certificate(
    joint: Any, labels: Sequence[Hashable], *, unit: InformationUnit = InformationUnit.BITS
) -> DataProcessingCertificate:
    r"""The data-processing inequality :math:`I(X;Y) \ge I(T;Y)` for :math:`T = \varphi(X)`,
    proved exactly by grouping the sum: :math:`I(X;Y) - I(T;Y) = I(X;Y \mid T)`, a sum of
    relative entropies, each of sign decided exactly.

    Examples
    --------
    >>> q = sp.Rational(1, 8)
    >>> proof = data_processing_certificate([[q, q], [q, q], [0, 2 * q], [2 * q, 0]], [0, 0, 1, 1])
    >>> proof.identity, proof.holds, proof.gap, proof.term_signs
    (True, True, 1/2, (0, 0, 1, 1))
    """
    values = _joint(joint)
    chosen = _labels(labels, len(values))
    u = _unit(unit)
    _, rows = _grouped(values, chosen)
    xy, ty = _information_form(values), _information_form(rows)
    terms = _conditional_terms(values, chosen)
    gap: _LogForm = {}
    for _, _, term in terms:
        _add(gap, term, sp.S.One)
    difference = dict(xy)
    _add(difference, ty, sp.S.NegativeOne)
    _add(difference, gap, sp.S.NegativeOne)
    identity = not difference  # zero on the primes: zero, by unique factorization
    signs = tuple(_sign(term) for _, _, term in terms)
    return DataProcessingCertificate(
        _expression(xy, u),
        _expression(ty, u),
        _expression(gap, u),
        tuple((t, x, _expression(term, u)) for t, x, term in terms),
        identity,
        signs,
        identity and min(signs) >= 0,
        _sign(gap) == 0,
        u,
    )


# --- a quantized hidden layer ---------------------------------------------------------------


def quantize(values: Sequence[Any], *, bins: int, low: Any, high: Any) -> tuple[int, ...]:
    r"""The bin of each value among ``bins`` equal intervals of :math:`[\text{low},
    \text{high}]` (numbered from 0; the top value falls in the last bin), as Shwartz-Ziv and
    Tishby bin a layer's activations.

    >>> quantize([0, sp.Rational(1, 2), sp.Rational(3, 4), 1], bins=2, low=0, high=1)
    (0, 1, 1, 1)
    """
    count = int(positive_integer(bins, name="bins"))
    if count > MAX_BOTTLENECK_OUTCOMES:
        raise ValueError(
            f"bins={count}: at most {MAX_BOTTLENECK_OUTCOMES} (MAX_BOTTLENECK_OUTCOMES)"
        )
    lo, hi = exact_number(low, name="low"), exact_number(high, name="high")
    if not bool(lo < hi):
        raise ValueError(f"low={lo} must be below high={hi}")
    result = []
    for value in values:
        v = exact_number(value, name="value")
        if not (bool(v >= lo) and bool(v <= hi)):
            raise ValueError(
                f"the value {v} is outside [low, high] = [{lo}, {hi}]; widen the range so that "
                "it holds every activation"
            )
        index = sp.floor((v - lo) * count / (hi - lo))
        if not index.is_Integer:
            raise NotSupportedError(f"symdl cannot decide the bin of {v}")
        result.append(min(int(index), count - 1))
    return tuple(result)


def hidden_layer_labels(
    network: Network,
    inputs: Sequence[Sequence[Any]],
    *,
    layer: int = 1,
    bins: int,
    low: Any,
    high: Any,
) -> tuple[tuple[int, ...], ...]:
    r"""The quantized activations :math:`T = \varphi(x)` of layer ``layer`` (1-based) of an
    exact network at each input: for each input, the bin of each unit (:func:`quantize`).

    >>> net = Network.mlp([1, 2], "relu", weights=[[[1], [-1]]], biases=[[0, 1]])
    >>> hidden_layer_labels(net, [[0], [sp.Rational(1, 2)], [1]], bins=2, low=0, high=1)
    ((0, 1), (1, 1), (1, 0))
    """
    if not isinstance(network, Network):
        raise TypeError(f"network={network!r} is not a Network (symdl.core.network.Network)")
    if not network.is_exact:
        raise ValueError(
            "the network has free parameters: give every weight and bias a value "
            "(Network.substitute)"
        )
    depth = int(positive_integer(layer, name="layer"))
    if depth > network.depth:
        raise ValueError(f"layer={depth}: the network has layers 1 to {network.depth}")
    if isinstance(inputs, (str, bytes)) or not isinstance(inputs, Sequence) or not inputs:
        raise TypeError("inputs must be a non-empty list of input points (lists of numbers)")
    if len(inputs) > MAX_BOTTLENECK_OUTCOMES:
        raise ValueError(
            f"{len(inputs)} inputs: at most {MAX_BOTTLENECK_OUTCOMES} (MAX_BOTTLENECK_OUTCOMES)"
        )
    activations = [list(network.trace(x).a[depth]) for x in inputs]
    flat = quantize([v for row in activations for v in row], bins=bins, low=low, high=high)
    width = len(activations[0])
    return tuple(tuple(flat[k * width : (k + 1) * width]) for k in range(len(inputs)))


def information_plane_figure(
    points: Sequence[InformationPlanePoint], *, names: Sequence[str] | None = None
) -> Figure:
    r"""The information plane: :math:`I(T;Y)` against :math:`I(X;T)` for each representation,
    joined in the order given (the trade-off curve), under the ceiling :math:`I(X;Y)` of the
    data-processing inequality and the diagonal :math:`I(T;Y) \le I(X;T)`.

    Examples
    --------
    >>> q = sp.Rational(1, 8)
    >>> joint = [[q, q], [q, q], [0, 2 * q], [2 * q, 0]]
    >>> points = [information_plane_point(joint, labels) for labels in ([0] * 4, [0, 0, 1, 2])]
    >>> figure = information_plane_figure(points, names=["T constant", "x₁, x₂ merged"])
    >>> figure.axes[0].lines[0].get_xydata().tolist()  # (I(X;T), I(T;Y)) in bits
    [[0.0, 0.0], [1.5, 0.5]]
    """
    chosen = list(points) if isinstance(points, Sequence) else None
    if not chosen or not all(isinstance(p, InformationPlanePoint) for p in chosen):
        raise TypeError(
            f"points={points!r}: give a non-empty list of InformationPlanePoint (from "
            "information_plane_point)"
        )
    if len({p.unit for p in chosen}) != 1 or len({p.i_xy for p in chosen}) != 1:
        raise ValueError(
            "the points have different units or different joint distributions; give points of "
            "one problem in one unit"
        )
    if names is not None and (isinstance(names, str) or len(names) != len(chosen)):
        raise ValueError(f"names: give one name per point ({len(chosen)})")
    from matplotlib.figure import Figure

    unit = chosen[0].unit.value
    xs = [float(p.i_xt) for p in chosen]
    ys = [float(p.i_ty) for p in chosen]
    ceiling = float(chosen[0].i_xy)
    figure = Figure(figsize=(5.6, 4.2), layout="constrained")
    axes = figure.subplots()
    axes.plot(xs, ys, "o-", color="tab:blue", label="$(I(X;T),\\ I(T;Y))$")
    axes.axhline(ceiling, color="tab:red", linestyle="--", label="$I(X;Y)$")
    top = max(xs) if max(xs) > 0 else 1.0
    axes.plot([0, top], [0, top], color="gray", linestyle=":", label="$I(T;Y) = I(X;T)$")
    for k, (x, y) in enumerate(zip(xs, ys, strict=True)):
        if names is not None:
            axes.annotate(names[k], (x, y), textcoords="offset points", xytext=(4, -12))
    axes.set_xlim(-0.05 * top, 1.15 * top)
    axes.set_ylim(-0.05 * ceiling - 0.01, 1.15 * ceiling + 0.01)
    axes.set_xlabel(f"$I(X;T)$ ({unit})")
    axes.set_ylabel(f"$I(T;Y)$ ({unit})")
    axes.set_title("the information plane of a quantized layer")
    axes.legend(fontsize="small", loc="lower right")
    return figure
