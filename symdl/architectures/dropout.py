r"""Dropout, exactly: expectations over the Bernoulli masks, and the penalty dropout adds.

Inverted dropout (Srivastava et al. 2014, as the libraries implement it) keeps input
:math:`j` with probability :math:`p`: a mask :math:`m_j \sim \operatorname{Bernoulli}(p)`,
independent across inputs, and

.. math::

    \tilde x_j = \frac{m_j\, x_j}{p}, \qquad \mathbb{E}[\tilde x_j] = x_j .

The expectation of any expression over the masks is computed exactly, with :math:`p` a symbol
or an exact number in :math:`(0, 1]`, in two ways that are checked against each other:

- *enumeration* (:attr:`ExpectationMethod.ENUMERATION`): the sum over the :math:`2^n` masks
  with their weights :math:`p^{|m|} (1 - p)^{n - |m|}`, for any expression (a logistic loss
  included) of at most :data:`MAX_ENUMERATED_MASKS` masks;
- *moments* (:attr:`ExpectationMethod.MOMENTS`): for an expression polynomial in the masks,
  each monomial :math:`\prod_j m_j^{k_j}` has expectation :math:`p^{\#\{j : k_j \ge 1\}}`
  (independence, and :math:`\mathbb{E}[m_j^k] = p` for :math:`k \ge 1` since
  :math:`m_j^k = m_j`); this scales to any :math:`n`.

For the linear model with squared loss the expectation has a closed form (Srivastava et al.
2014, section 9.1, in the inverted form):

.. math::

    \mathbb{E}\bigl[(y - w \cdot \tilde x)^2\bigr]
    = (y - w \cdot x)^2 + \frac{1 - p}{p} \sum_{j=1}^{n} w_j^2 x_j^2 ,

checked for concrete :math:`n` (:class:`LinearDropoutModel`) and derived for a symbolic
:math:`n` from the variance of a sum of independent terms (:func:`linear_dropout_any_n`).
For a generalized linear model with log-partition :math:`A` (Wager, Wang & Liang 2013), the
expected loss is approximated by the loss plus the quadratic regulariser

.. math::

    R^q(w) = \frac12\, \frac{1 - p}{p}\, A''(w \cdot x) \sum_{j} w_j^2 x_j^2 ,

which is exact for the quadratic loss (:math:`A''' = 0`) and a second-order Taylor
approximation otherwise (:func:`quadratic_approximation`, :func:`taylor_gap_orders`).  A Monte
Carlo estimate with a confidence interval (:func:`monte_carlo_expectation`) is a further check:
agreement is evidence, not proof.

References
----------
N. Srivastava, G. Hinton, A. Krizhevsky, I. Sutskever, R. Salakhutdinov, "Dropout: a simple
way to prevent neural networks from overfitting", JMLR 15 (2014), 1929–1958, section 9.1
(marginalizing dropout in linear regression).
S. Wager, S. Wang, P. Liang, "Dropout training as adaptive regularization", NIPS 2013,
section 2 (the noising regulariser and its quadratic approximation, for dropout noise).
"""

from __future__ import annotations

import enum
import itertools
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from symdl.backpropagation.index_sums import assume_indices_in_range, same_entries
from symdl.core.exact import exact_number, in_interval
from symdl.core.layers import input_symbols
from symdl.core.notation import plain_expr

__all__ = [
    "KEEP_PROBABILITY",
    "MAX_ENUMERATED_MASKS",
    "MAX_LINEAR_INPUTS",
    "MAX_MOMENT_PRODUCTS",
    "MAX_MONTE_CARLO_SAMPLES",
    "ExpectationMethod",
    "GLMLoss",
    "GapScaling",
    "LinearDropoutModel",
    "MonteCarloCheck",
    "QuadraticApproximation",
    "SymbolicLinearDropout",
    "dropout_expectation",
    "dropout_inputs",
    "dropout_penalty",
    "glm_dropout_loss",
    "glm_loss",
    "linear_dropout_any_n",
    "linear_dropout_model",
    "mask_symbols",
    "monte_carlo_expectation",
    "quadratic_approximation",
    "quadratic_dropout_regulariser",
    "taylor_gap_orders",
]

KEEP_PROBABILITY = sp.Symbol("p", positive=True)
"""The symbolic probability :math:`p` of keeping an input (the default everywhere)."""

MAX_ENUMERATED_MASKS = 12
"""The most masks whose :math:`2^n` values are enumerated (4096 terms)."""

MAX_LINEAR_INPUTS = 200
"""The most inputs of a :class:`LinearDropoutModel` (its loss has about :math:`n^2/2` terms)."""

MAX_MOMENT_PRODUCTS = 10_000_000
"""The most products of monomials formed when an expression is expanded in the masks."""

MAX_MONTE_CARLO_SAMPLES = 10_000_000
"""The most samples a Monte Carlo check draws."""

_MAX_MASKS = 100_000  # mask symbols made at once
_MAX_EXPANDED_EXPONENT = 1000  # a power of a sum of masks expanded term by term
_CHUNK = 100_000  # samples evaluated at once by the Monte Carlo check


class ExpectationMethod(enum.Enum):
    """How :func:`dropout_expectation` computes an expectation over the masks."""

    ENUMERATION = "enumeration"
    """Sum over the :math:`2^n` masks with exact weights (any expression, bounded :math:`n`)."""
    MOMENTS = "moments"
    r"""Expand in the masks and use :math:`\mathbb{E}[\prod_j m_j^{k_j}] = p^{\#\{k_j \ge 1\}}`
    (polynomials in the masks, any :math:`n`)."""
    AUTO = "auto"
    """Moments for a polynomial in the masks, enumeration otherwise."""


# --- validation -------------------------------------------------------------------------------


def _keep_probability(p: Any) -> sp.Expr:
    """``p`` as an exact number in (0, 1] or a symbolic expression not known to lie outside."""
    reason = "the probability of keeping an input; p = 0 would drop every input"
    value = exact_number(p, name="p")
    if value.free_symbols:
        if value.is_positive is False or (value - 1).is_positive is True:
            raise ValueError(
                f"p={value} is known to lie outside (0, 1] ({reason}); give an exact number in "
                f"(0, 1] or a Symbol with positive=True"
            )
        return value
    return in_interval(value, sp.Interval.Lopen(0, 1), name="p", reason=reason)


def _masks(masks: Sequence[sp.Symbol]) -> tuple[sp.Symbol, ...]:
    if isinstance(masks, sp.Basic) or not isinstance(masks, Sequence):
        raise TypeError(
            f"masks={masks!r} must be a sequence of SymPy Symbols (e.g. mask_symbols(3)), one "
            f"per input"
        )
    result = tuple(masks)
    for j, mask in enumerate(result):
        if not isinstance(mask, sp.Symbol):
            raise TypeError(
                f"masks[{j}]={mask!r} is not a SymPy Symbol; give the mask variables as "
                f"Symbols (mask_symbols(n) makes m_1, …, m_n)"
            )
    if len(set(result)) != len(result):
        repeated = sorted({str(m) for m in result if result.count(m) > 1})
        raise ValueError(
            f"masks: {', '.join(repeated)} given more than once; each input has its own "
            f"independent mask"
        )
    return result


def _expression(expr: Any, name: str = "expr") -> sp.Expr:
    return exact_number(expr, name=name)


def _vector(values: Sequence[Any], name: str) -> tuple[sp.Expr, ...]:
    if isinstance(values, (str, bytes, sp.Basic)) or not isinstance(values, Sequence):
        raise TypeError(
            f"{name}={values!r} must be a sequence of exact numbers or SymPy expressions"
        )
    return tuple(exact_number(v, name=f"{name}[{j}]") for j, v in enumerate(values))


def _same_length(**vectors: Sequence[Any]) -> int:
    lengths = {name: len(v) for name, v in vectors.items()}
    if len(set(lengths.values())) != 1:
        shown = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ValueError(f"the lengths differ ({shown}); give one entry per input")
    (n,) = set(lengths.values())
    if n < 1:
        raise ValueError("no inputs: give at least one weight, input and mask")
    return n


# --- masks and expectations -------------------------------------------------------------------


def mask_symbols(n: int) -> tuple[sp.Symbol, ...]:
    r"""The mask variables :math:`m_1, \dots, m_n` (integer, nonnegative: each is 0 or 1).

    Examples
    --------
    >>> mask_symbols(3)
    (m_{1}, m_{2}, m_{3})

    References
    ----------
    Srivastava et al. (2014), section 4, equation for :math:`r^{(l)}_j \sim
    \operatorname{Bernoulli}(p)`.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n={n!r} must be an integer ≥ 1 (the number of inputs)")
    if n > _MAX_MASKS:
        raise ValueError(f"n={n} masks is more than {_MAX_MASKS:,}; give fewer inputs")
    return tuple(
        sp.Symbol(f"m_{{{j}}}", integer=True, nonnegative=True) for j in range(1, int(n) + 1)
    )


def dropout_inputs(
    inputs: Sequence[Any], masks: Sequence[sp.Symbol], *, p: Any = KEEP_PROBABILITY
) -> list[sp.Expr]:
    r"""The inputs after inverted dropout, :math:`\tilde x_j = m_j x_j / p`.

    Examples
    --------
    >>> x = sp.symbols("x_1 x_2", real=True)
    >>> dropout_inputs(x, mask_symbols(2), p=sp.Rational(1, 2))
    [2*m_{1}*x_1, 2*m_{2}*x_2]

    References
    ----------
    Srivastava et al. (2014), section 4 and Figure 2: there the weights are scaled by
    :math:`p` at test time; inverted dropout scales the kept units by :math:`1/p` at training
    time instead, which has the same expectation.
    """
    p = _keep_probability(p)
    xs, ms = _vector(inputs, "inputs"), _masks(masks)
    _same_length(inputs=xs, masks=ms)
    return [m * x / p for m, x in zip(ms, xs, strict=True)]


_Multilinear = dict[frozenset[sp.Symbol], sp.Expr]


def _accumulate(into: _Multilinear, key: frozenset[sp.Symbol], coefficient: sp.Expr) -> None:
    into[key] = into[key] + coefficient if key in into else coefficient


def _product(a: _Multilinear, b: _Multilinear) -> _Multilinear:
    if len(a) * len(b) > MAX_MOMENT_PRODUCTS:
        raise ValueError(
            f"expanding the expression in the masks multiplies {len(a):,} by {len(b):,} "
            f"monomials, beyond MAX_MOMENT_PRODUCTS = {MAX_MOMENT_PRODUCTS:,}; estimate the "
            f"expectation with monte_carlo_expectation instead"
        )
    out: _Multilinear = {}
    for ka, ca in a.items():
        for kb, cb in b.items():
            _accumulate(out, ka | kb, ca * cb)
    return out


def _multilinear(expr: sp.Expr, masks: frozenset[sp.Symbol]) -> _Multilinear | None:
    """``expr`` as a sum of coefficients times products of distinct masks, with every power
    of a mask reduced to the mask itself (:math:`m^k = m` for a 0/1 variable); ``None`` when
    ``expr`` is not a polynomial in the masks."""
    if not expr.free_symbols & masks:
        return {frozenset(): expr}
    if expr in masks:
        return {frozenset([expr]): sp.S.One}
    if isinstance(expr, sp.Add):
        total: _Multilinear = {}
        for term in expr.args:
            part = _multilinear(term, masks)
            if part is None:
                return None
            for key, coefficient in part.items():
                _accumulate(total, key, coefficient)
        return total
    if isinstance(expr, sp.Mul):
        product: _Multilinear = {frozenset(): sp.S.One}
        for factor in expr.args:
            part = _multilinear(factor, masks)
            if part is None:
                return None
            product = _product(product, part)
        return product
    if isinstance(expr, sp.Pow) and expr.exp.is_Integer and expr.exp > 0:
        base = _multilinear(expr.base, masks)
        if base is None:
            return None
        # by repeated squaring: a huge exponent of a few masks takes a few products
        power: _Multilinear = {frozenset(): sp.S.One}
        exponent = int(expr.exp)
        if exponent > _MAX_EXPANDED_EXPONENT and not (
            len(base) == 1 and next(iter(base.values())) == 1
        ):
            raise ValueError(
                f"expanding ({plain_expr(expr.base)})^{exponent} in the masks: the exponent is "
                f"more than {_MAX_EXPANDED_EXPONENT}; estimate the expectation with "
                "monte_carlo_expectation instead"
            )
        while True:
            if exponent & 1:
                power = _product(power, base)
            exponent >>= 1
            if not exponent:
                return power
            base = _product(base, base)
    return None


def _by_moments(terms: _Multilinear, p: sp.Expr) -> sp.Expr:
    # E[prod_{j in S} m_j] = p^|S|: the masks are independent with E[m_j] = p
    return sp.Add(*(coefficient * p ** len(key) for key, coefficient in terms.items()))


def _by_enumeration(expr: sp.Expr, masks: Sequence[sp.Symbol], p: sp.Expr) -> sp.Expr:
    n = len(masks)
    if n > MAX_ENUMERATED_MASKS:
        raise ValueError(
            f"the expression depends on {n} masks; enumerating their 2^{n} values is beyond "
            f"MAX_ENUMERATED_MASKS = {MAX_ENUMERATED_MASKS}; for an expression polynomial in "
            f"the masks use method=ExpectationMethod.MOMENTS, which scales to any number, or "
            f"estimate it with monte_carlo_expectation"
        )
    by_count: dict[int, list[sp.Expr]] = {}
    for bits in itertools.product((sp.S.Zero, sp.S.One), repeat=n):
        kept = sum(1 for b in bits if b)
        if (p == 1 and kept < n) or (p == 0 and kept > 0):
            continue  # a mask of probability 0
        value = expr.xreplace(dict(zip(masks, bits, strict=True)))
        if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            shown = ", ".join(f"{m} = {b}" for m, b in zip(masks, bits, strict=True))
            raise ValueError(
                f"expr={plain_expr(expr)} is undefined or infinite at the mask {shown}, which "
                f"has probability {plain_expr(p**kept * (1 - p) ** (n - kept))} > 0: its "
                "expectation is not a finite number; give an expression defined at every mask"
            )
        by_count.setdefault(kept, []).append(value)
    return sp.Add(
        *(p**k * (1 - p) ** (n - k) * sp.Add(*values) for k, values in sorted(by_count.items()))
    )


def dropout_expectation(
    expr: sp.Expr,
    masks: Sequence[sp.Symbol],
    *,
    p: Any = KEEP_PROBABILITY,
    method: ExpectationMethod = ExpectationMethod.AUTO,
) -> sp.Expr:
    r"""The exact expectation of ``expr`` over independent masks :math:`m_j \sim
    \operatorname{Bernoulli}(p)`.

    .. math::

        \mathbb{E}[f(m)] = \sum_{m \in \{0, 1\}^n} p^{|m|} (1 - p)^{n - |m|} f(m)
        \quad\text{(enumeration)}, \qquad
        \mathbb{E}\Bigl[\prod_j m_j^{k_j}\Bigr] = p^{\#\{j : k_j \ge 1\}}
        \quad\text{(moments)}.

    Only the masks that occur in ``expr`` are enumerated (the others sum out).

    Parameters
    ----------
    expr
        A SymPy expression in the masks and any other symbols; exact (no floats).
    masks
        The mask variables (:func:`mask_symbols`), distinct Symbols.
    p
        The probability of keeping an input: an exact number in :math:`(0, 1]` or a symbol
        (default :data:`KEEP_PROBABILITY`).
    method
        :class:`ExpectationMethod`; ``MOMENTS`` refuses an expression that is not a
        polynomial in the masks, ``ENUMERATION`` more than :data:`MAX_ENUMERATED_MASKS` masks.

    Raises
    ------
    ValueError
        For ``p`` outside :math:`(0, 1]`, too many masks to enumerate, or ``MOMENTS`` on an
        expression that is not polynomial in the masks.
    TypeError
        For floats, or masks that are not Symbols.

    Examples
    --------
    >>> m = mask_symbols(2)
    >>> p = KEEP_PROBABILITY
    >>> dropout_expectation(m[0] * m[1] + m[0] ** 3, m)
    p**2 + p
    >>> sp.factor(dropout_expectation(1 / (1 + m[0] + m[1]), m, p=p))
    (p**2 - 3*p + 3)/3
    >>> dropout_expectation(m[0], m, p=sp.Rational(3, 2))
    Traceback (most recent call last):
    ...
    ValueError: p=3/2 is not in (0, 1] (the probability of keeping an input; ...

    References
    ----------
    Srivastava et al. (2014), section 9 (marginalizing dropout).
    """
    if not isinstance(method, ExpectationMethod):
        raise TypeError(
            f"method={method!r} must be an ExpectationMethod (ENUMERATION, MOMENTS or AUTO)"
        )
    expr = _expression(expr)
    p = _keep_probability(p)
    present = [m for m in _masks(masks) if m in expr.free_symbols]
    if not present:
        return expr
    if method is ExpectationMethod.ENUMERATION:
        return _by_enumeration(expr, present, p)
    terms = _multilinear(expr, frozenset(present))
    if terms is not None:
        return _by_moments(terms, p)
    if method is ExpectationMethod.MOMENTS:
        raise ValueError(
            f"expr={plain_expr(expr)} is not a polynomial in the masks, so its expectation is "
            f"not a combination of their moments; use method=ExpectationMethod.ENUMERATION (at "
            f"most {MAX_ENUMERATED_MASKS} masks) or ExpectationMethod.AUTO"
        )
    return _by_enumeration(expr, present, p)


# --- the linear model -------------------------------------------------------------------------


def dropout_penalty(
    weights: Sequence[Any], inputs: Sequence[Any], *, p: Any = KEEP_PROBABILITY
) -> sp.Expr:
    r"""The penalty dropout adds to the squared loss of a linear model,
    :math:`\frac{1 - p}{p} \sum_j w_j^2 x_j^2`.

    It is the variance of :math:`w \cdot \tilde x` (each term :math:`w_j x_j m_j / p` has
    variance :math:`w_j^2 x_j^2 (1 - p)/p`): an :math:`L_2` penalty on :math:`w` scaled by each
    input's square.

    Examples
    --------
    >>> dropout_penalty([1, 2], [3, -1], p=sp.Rational(1, 2))
    13

    References
    ----------
    Srivastava et al. (2014), section 9.1 (there :math:`p(1 - p)\|\Gamma w\|^2` with the
    weights scaled by :math:`p`).
    """
    p = _keep_probability(p)
    ws, xs = _vector(weights, "weights"), _vector(inputs, "inputs")
    _same_length(weights=ws, inputs=xs)
    return (1 - p) / p * sp.Add(*(w**2 * x**2 for w, x in zip(ws, xs, strict=True)))


@dataclass(frozen=True)
class LinearDropoutModel:
    r"""The linear model :math:`\hat y = w \cdot \tilde x` with squared loss, under inverted
    dropout of its :math:`n` inputs (build it with :func:`linear_dropout_model`)."""

    n: int
    """The number of inputs."""
    p: sp.Expr
    """The probability of keeping an input."""
    target: sp.Symbol
    """The target :math:`y`."""
    weights: tuple[sp.Symbol, ...]
    """The weights :math:`w_1, \\dots, w_n`."""
    inputs: tuple[sp.Symbol, ...]
    """The inputs :math:`x_1, \\dots, x_n`."""
    masks: tuple[sp.Symbol, ...]
    """The masks :math:`m_1, \\dots, m_n`."""

    @property
    def loss(self) -> sp.Expr:
        r"""The random loss :math:`(y - \sum_j w_j m_j x_j / p)^2`."""
        kept = dropout_inputs(self.inputs, self.masks, p=self.p)
        return (
            self.target - sp.Add(*(w * x for w, x in zip(self.weights, kept, strict=True)))
        ) ** 2

    @property
    def penalty(self) -> sp.Expr:
        r""":math:`\frac{1 - p}{p} \sum_j w_j^2 x_j^2` (:func:`dropout_penalty`)."""
        return dropout_penalty(self.weights, self.inputs, p=self.p)

    @property
    def closed_form(self) -> sp.Expr:
        r"""The expected loss in closed form,
        :math:`(y - w \cdot x)^2 + \frac{1 - p}{p} \sum_j w_j^2 x_j^2`."""
        fit = sp.Add(*(w * x for w, x in zip(self.weights, self.inputs, strict=True)))
        return (self.target - fit) ** 2 + self.penalty

    def expectation(self, *, method: ExpectationMethod = ExpectationMethod.AUTO) -> sp.Expr:
        """The expected loss computed from the masks (:func:`dropout_expectation`)."""
        return dropout_expectation(self.loss, self.masks, p=self.p, method=method)

    def verify(self, *, method: ExpectationMethod = ExpectationMethod.AUTO) -> bool:
        """Whether the expected loss equals :attr:`closed_form` (an exact rational identity)."""
        return sp.cancel(sp.expand(self.expectation(method=method) - self.closed_form)) == 0


def linear_dropout_model(n: int, *, p: Any = KEEP_PROBABILITY) -> LinearDropoutModel:
    r"""The linear model with squared loss and :math:`n` dropped-out inputs, in symbols.

    Examples
    --------
    >>> model = linear_dropout_model(2)
    >>> model.closed_form
    (-w_{1}*x_{1} - w_{2}*x_{2} + y)**2 + (1 - p)*(w_{1}**2*x_{1}**2 + w_{2}**2*x_{2}**2)/p
    >>> model.verify(), model.verify(method=ExpectationMethod.ENUMERATION)
    (True, True)

    References
    ----------
    Srivastava et al. (2014), section 9.1.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n={n!r} must be an integer ≥ 1 (the number of inputs)")
    if n > _MAX_MASKS:
        raise ValueError(f"n={n} masks is more than {_MAX_MASKS:,}; give fewer inputs")
    if n > MAX_LINEAR_INPUTS:
        raise ValueError(
            f"n={n} inputs is beyond MAX_LINEAR_INPUTS = {MAX_LINEAR_INPUTS} (the expanded "
            f"loss has about n²/2 terms); for any n see linear_dropout_any_n"
        )
    n = int(n)
    return LinearDropoutModel(
        n=n,
        p=_keep_probability(p),
        target=sp.Symbol("y", real=True),
        weights=tuple(sp.Symbol(f"w_{{{j}}}", real=True) for j in range(1, n + 1)),
        inputs=input_symbols(n),
        masks=mask_symbols(n),
    )


@dataclass(frozen=True)
class SymbolicLinearDropout:
    r"""The expected squared loss of the linear model for a symbolic number of inputs
    :math:`n`, from the mean and the variance of :math:`S = \sum_j w_j x_j m_j / p`."""

    n: sp.Symbol
    """The number of inputs (a positive integer symbol)."""
    p: sp.Expr
    """The probability of keeping an input."""
    target: sp.Symbol
    """The target :math:`y`."""
    mean: sp.Expr
    r""":math:`\mathbb{E}[S] = \sum_j w_j x_j \mathbb{E}[m_j]/p`."""
    variance: sp.Expr
    r""":math:`\operatorname{Var}(S) = \sum_j \sum_k w_j x_j w_k x_k
    \operatorname{Cov}(m_j, m_k)/p^2`, the double sum collapsed by independence."""
    expected_loss: sp.Expr
    r""":math:`(y - \mathbb{E}[S])^2 + \operatorname{Var}(S)`."""
    closed_form: sp.Expr
    r""":math:`(y - \sum_j w_j x_j)^2 + \frac{1 - p}{p} \sum_j w_j^2 x_j^2`."""

    @property
    def holds(self) -> bool:
        """Whether :attr:`expected_loss` and :attr:`closed_form` have one normal form."""
        return same_entries(self.expected_loss, self.closed_form)


def linear_dropout_any_n(*, p: Any = KEEP_PROBABILITY) -> SymbolicLinearDropout:
    r"""The closed form of the expected squared loss for any number :math:`n` of inputs.

    With :math:`S = \sum_{j=1}^{n} w_j x_j m_j / p`, the loss is :math:`(y - S)^2`, and for any
    random variable :math:`\mathbb{E}[(y - S)^2] = (y - \mathbb{E}[S])^2 + \operatorname{Var}(S)`.
    From the moments :math:`\mathbb{E}[m_j] = \mathbb{E}[m_j^2] = p`:
    :math:`\mathbb{E}[S] = \sum_j w_j x_j`, and since the masks are independent,
    :math:`\operatorname{Cov}(m_j, m_k) = (p - p^2)\,\delta_{jk}`, so the variance of the sum is
    the sum of the variances, :math:`\frac{1 - p}{p} \sum_j w_j^2 x_j^2`.  The sums are SymPy
    sums over a symbolic range; the Kronecker delta is collapsed with its index in range.

    Examples
    --------
    >>> proof = linear_dropout_any_n()
    >>> proof.variance
    Sum((-p**2 + p)*w[j]**2*x[j]**2/p**2, (j, 1, n))
    >>> proof.holds
    True

    References
    ----------
    Srivastava et al. (2014), section 9.1; the variance of a sum of independent random
    variables is the sum of their variances (Bienaymé).
    """
    p = _keep_probability(p)
    n = sp.Symbol("n", integer=True, positive=True)
    j, k = sp.symbols("j k", integer=True, positive=True)
    w, x = sp.IndexedBase("w"), sp.IndexedBase("x")
    y = sp.Symbol("y", real=True)
    first = second = p  # E[m] and E[m^2] (m^2 = m)
    mean = sp.Sum(w[j] * x[j] * first / p, (j, 1, n))
    covariance = (second - first**2) * sp.KroneckerDelta(j, k)  # 0 for j != k: independence
    double = sp.Sum(sp.Sum(w[j] * x[j] * w[k] * x[k] * covariance / p**2, (k, 1, n)), (j, 1, n))
    variance = assume_indices_in_range(double.doit(), {j: n, k: n})
    closed = (y - sp.Sum(w[j] * x[j], (j, 1, n))) ** 2 + (1 - p) / p * sp.Sum(
        w[j] ** 2 * x[j] ** 2, (j, 1, n)
    )
    return SymbolicLinearDropout(
        n=n,
        p=p,
        target=y,
        mean=mean,
        variance=variance,
        expected_loss=(y - mean) ** 2 + variance,
        closed_form=closed,
    )


# --- generalized linear models (Wager, Wang & Liang 2013) -------------------------------------


class GLMLoss(enum.Enum):
    r"""A generalized linear model's loss :math:`A(u) - y u` by its log-partition :math:`A`."""

    QUADRATIC = "quadratic"
    r""":math:`A(u) = u^2/2` (linear regression: :math:`\frac12 (y - u)^2` up to a term in
    :math:`y` alone)."""
    LOGISTIC = "logistic"
    r""":math:`A(u) = \log(1 + e^{u})` (logistic regression, :math:`y \in \{0, 1\}`)."""

    def log_partition(self, u: sp.Expr) -> sp.Expr:
        """:math:`A(u)`."""
        if self is GLMLoss.QUADRATIC:
            return u**2 / 2
        return sp.log(1 + sp.exp(u))

    @property
    def third_derivative_bound(self) -> sp.Expr:
        r""":math:`\sup_u |A'''(u)|`: 0 for the quadratic loss; :math:`\sqrt3/18` for the
        logistic loss (:math:`A''' = s(1 - s)(1 - 2s)` with :math:`s = \sigma(u)`, largest at
        :math:`s = (3 \mp \sqrt3)/6`)."""
        return sp.S.Zero if self is GLMLoss.QUADRATIC else sp.sqrt(3) / 18


def _glm(loss: Any) -> GLMLoss:
    if not isinstance(loss, GLMLoss):
        raise TypeError(f"loss={loss!r} must be a GLMLoss (QUADRATIC or LOGISTIC)")
    return loss


def glm_loss(u: Any, target: Any, *, loss: GLMLoss = GLMLoss.LOGISTIC) -> sp.Expr:
    r"""The negative log-likelihood :math:`A(u) - y\,u` of a generalized linear model at the
    linear predictor :math:`u`.

    Examples
    --------
    >>> glm_loss(0, 1)
    log(2)
    >>> glm_loss(3, 1, loss=GLMLoss.QUADRATIC)  # ½(1 − 3)² − ½
    3/2

    References
    ----------
    Wager, Wang & Liang (2013), section 2 (the GLM loss).
    """
    loss = _glm(loss)
    u = _expression(u, "u")
    return loss.log_partition(u) - _expression(target, "target") * u


def glm_dropout_loss(
    weights: Sequence[Any],
    inputs: Sequence[Any],
    target: Any,
    masks: Sequence[sp.Symbol],
    *,
    p: Any = KEEP_PROBABILITY,
    bias: Any = 0,
    loss: GLMLoss = GLMLoss.LOGISTIC,
) -> sp.Expr:
    r"""The GLM loss at the dropped-out inputs, :math:`A(b + w \cdot \tilde x) - y (b + w
    \cdot \tilde x)` (the bias :math:`b` is not dropped).

    Examples
    --------
    >>> m = mask_symbols(1)
    >>> glm_dropout_loss([1], [1], 0, m, p=sp.Rational(1, 2))
    log(exp(2*m_{1}) + 1)

    References
    ----------
    Wager, Wang & Liang (2013), section 2 (the noised features :math:`\tilde x`).
    """
    loss = _glm(loss)
    ws, xs = _vector(weights, "weights"), _vector(inputs, "inputs")
    _same_length(weights=ws, inputs=xs, masks=tuple(masks))
    kept = dropout_inputs(xs, masks, p=p)
    u = _expression(bias, "bias") + sp.Add(*(w * x for w, x in zip(ws, kept, strict=True)))
    return glm_loss(u, target, loss=loss)


def quadratic_dropout_regulariser(
    weights: Sequence[Any],
    inputs: Sequence[Any],
    *,
    p: Any = KEEP_PROBABILITY,
    bias: Any = 0,
    loss: GLMLoss = GLMLoss.LOGISTIC,
) -> sp.Expr:
    r"""Wager, Wang & Liang's quadratic regulariser for dropout,
    :math:`R^q = \frac12\, \frac{1 - p}{p}\, A''(u) \sum_j w_j^2 x_j^2` with
    :math:`u = b + w \cdot x`.

    It is :math:`\frac12 A''(u) \operatorname{Var}(w \cdot \tilde x)`, the second-order term of
    the Taylor expansion of :math:`\mathbb{E}[A(b + w \cdot \tilde x)]` about :math:`u`: exact
    for the quadratic loss, an approximation otherwise (see :func:`quadratic_approximation`).

    Examples
    --------
    >>> quadratic_dropout_regulariser([1, 2], [3, -1], p=sp.Rational(1, 2), loss=GLMLoss.QUADRATIC)
    13/2
    >>> quadratic_dropout_regulariser([1], [2], p=sp.Rational(1, 2), bias=-2)  # A''(0) = 1/4
    1/2

    References
    ----------
    Wager, Wang & Liang (2013), section 2: the quadratic approximation :math:`R^q` of the
    noising regulariser, with the dropout variance :math:`\frac{\delta}{1 - \delta} x_j^2`
    (:math:`\delta = 1 - p`).
    """
    loss = _glm(loss)
    ws, xs = _vector(weights, "weights"), _vector(inputs, "inputs")
    u = _expression(bias, "bias") + sp.Add(*(w * x for w, x in zip(ws, xs, strict=True)))
    v = sp.Dummy("u", real=True)
    curvature = sp.diff(loss.log_partition(v), v, 2).subs(v, u)
    return sp.S.Half * curvature * dropout_penalty(ws, xs, p=p)


@dataclass(frozen=True)
class QuadraticApproximation:
    """The exact expected GLM loss under dropout against loss + :math:`R^q`
    (:func:`quadratic_approximation`)."""

    loss: GLMLoss
    """The GLM."""
    p: sp.Expr
    """The probability of keeping an input."""
    expectation: sp.Expr
    r"""The exact expected loss, a finite sum over the masks,
    :math:`\mathbb{E}[A(b + w\cdot\tilde x) - y(b + w\cdot\tilde x)]`."""
    approximation: sp.Expr
    r"""The loss at the mean input plus :math:`R^q`."""
    gap: sp.Expr
    """``expectation - approximation``, exact."""
    gap_value: sp.Float
    """The gap to ``dps`` significant digits."""
    bound: sp.Expr
    r"""The Taylor remainder bound :math:`\frac16 \sup|A'''|\, \mathbb{E}|\Delta|^3`, with
    :math:`\Delta = w \cdot \tilde x - w \cdot x`, exact."""

    @property
    def exact(self) -> bool:
        """True only where the approximation is proved exact (the quadratic loss, gap 0)."""
        return self.loss is GLMLoss.QUADRATIC and self.gap == 0

    def __str__(self) -> str:
        if self.exact:
            return (
                f"E[loss] = loss + R^q = {plain_expr(self.expectation)}: exact for the quadratic "
                f"loss (A''' = 0)"
            )
        return (
            f"E[loss] − (loss + R^q) = {sp.Float(self.gap_value, 6)} (to 6 digits): R^q is a "
            f"second-order Taylor approximation, not exact; |gap| ≤ (1/6) sup|A'''| E|Δ|³ = "
            f"{sp.Float(self.bound.evalf(15), 6)}"
        )


def quadratic_approximation(
    weights: Sequence[Any],
    inputs: Sequence[Any],
    target: Any,
    *,
    p: Any,
    bias: Any = 0,
    loss: GLMLoss = GLMLoss.LOGISTIC,
    dps: int = 50,
) -> QuadraticApproximation:
    r"""The exact expected loss of a GLM under dropout, compared with loss + :math:`R^q`.

    The expectation is the exact sum over the :math:`2^n` masks; with
    :math:`\Delta = w \cdot \tilde x - w \cdot x` (mean 0) Taylor's theorem with Lagrange's
    remainder gives

    .. math::

        \Bigl|\mathbb{E}[A(u + \Delta)] - A(u) - \tfrac12 A''(u)\, \mathbb{E}[\Delta^2]\Bigr|
        \le \tfrac16 \sup |A'''|\; \mathbb{E}|\Delta|^3 ,

    so the gap is :math:`O(\mathbb{E}|\Delta|^3)`: zero for the quadratic loss, third order in
    the weights' scale otherwise (:func:`taylor_gap_orders`).  Numbers only: ``weights``,
    ``inputs``, ``target``, ``bias`` and ``p`` exact, at most :data:`MAX_ENUMERATED_MASKS`
    inputs.

    Examples
    --------
    >>> half = sp.Rational(1, 2)
    >>> result = quadratic_approximation([half, -half], [1, 2], 1, p=sp.Rational(3, 4))
    >>> result.exact, bool(0 < abs(result.gap_value) <= result.bound)
    (False, True)
    >>> quadratic_approximation([half], [1], 1, p=half, loss=GLMLoss.QUADRATIC).exact
    True

    References
    ----------
    Wager, Wang & Liang (2013), section 2 (the second-order Taylor expansion that defines
    :math:`R^q`).
    """
    loss = _glm(loss)
    p = _keep_probability(p)
    ws, xs = _vector(weights, "weights"), _vector(inputs, "inputs")
    numbers = {"p": p, "target": _expression(target, "target"), "bias": _expression(bias, "bias")}
    numbers.update({f"weights[{j}]": w for j, w in enumerate(ws)})
    numbers.update({f"inputs[{j}]": x for j, x in enumerate(xs)})
    for name, value in numbers.items():
        if value.free_symbols:
            raise ValueError(
                f"{name}={value} is symbolic; quadratic_approximation evaluates the gap and "
                f"needs exact numbers (for symbols use dropout_expectation and "
                f"quadratic_dropout_regulariser)"
            )
    if isinstance(dps, bool) or not isinstance(dps, int) or not 15 <= dps <= 1000:
        raise ValueError(f"dps={dps!r} must be an integer from 15 to 1000 (decimal digits)")
    n = _same_length(weights=ws, inputs=xs)
    masks = mask_symbols(n)
    random_loss = glm_dropout_loss(
        ws, xs, numbers["target"], masks, p=p, bias=numbers["bias"], loss=loss
    )
    expectation = dropout_expectation(random_loss, masks, p=p, method=ExpectationMethod.ENUMERATION)
    u = numbers["bias"] + sp.Add(*(w * x for w, x in zip(ws, xs, strict=True)))
    approximation = glm_loss(u, numbers["target"], loss=loss) + quadratic_dropout_regulariser(
        ws, xs, p=p, bias=numbers["bias"], loss=loss
    )
    kept = dropout_inputs(xs, masks, p=p)
    deviation = sp.Add(*(w * (k - x) for w, k, x in zip(ws, kept, xs, strict=True)))
    third = dropout_expectation(
        sp.Abs(deviation) ** 3, masks, p=p, method=ExpectationMethod.ENUMERATION
    )
    gap = expectation - approximation  # a rational number for the quadratic loss
    return QuadraticApproximation(
        loss=loss,
        p=p,
        expectation=expectation,
        approximation=approximation,
        gap=gap,
        gap_value=sp.Float(sp.N(gap, dps), dps),
        bound=loss.third_derivative_bound / 6 * third,
    )


@dataclass(frozen=True)
class GapScaling:
    """The gap of the quadratic approximation at weights :math:`t w` for decreasing
    :math:`t` (:func:`taylor_gap_orders`)."""

    scales: tuple[sp.Rational, ...]
    """The scales :math:`t`."""
    gaps: tuple[sp.Float, ...]
    """The gap at each scale."""
    orders: tuple[float, ...]
    r"""The observed order between consecutive scales,
    :math:`\log(g_i/g_{i+1}) / \log(t_i/t_{i+1})`."""

    def __str__(self) -> str:
        shown = ", ".join(f"{order:.3f}" for order in self.orders)
        return (
            f"observed orders of the gap as the weights shrink: {shown}; a gap of order 3 is "
            f"the remainder of a second-order Taylor approximation (measured, not proved)"
        )


def taylor_gap_orders(
    weights: Sequence[Any],
    inputs: Sequence[Any],
    target: Any,
    *,
    p: Any,
    bias: Any = 0,
    loss: GLMLoss = GLMLoss.LOGISTIC,
    scales: Sequence[Any] = (Fraction(1, 4), Fraction(1, 8), Fraction(1, 16), Fraction(1, 32)),
    dps: int = 50,
) -> GapScaling:
    r"""The order of the gap of :math:`R^q` as the weights shrink: the gap at :math:`t w` for
    each scale :math:`t`, and the observed exponents.

    With the bias :math:`b` fixed, :math:`\Delta` scales with :math:`t` and the gap is
    :math:`\frac{t^3}{6} A'''(b)\, \mathbb{E}[\Delta_1^3] + O(t^4)`: the observed order tends
    to 3 (to 4 where :math:`A'''(b) = 0` or :math:`\mathbb{E}[\Delta_1^3] = 0`, e.g. at
    :math:`p = 1/2`).

    Examples
    --------
    >>> result = taylor_gap_orders([1, -1], [1, 2], 0, p=sp.Rational(3, 4), bias=1)
    >>> [round(order, 1) for order in result.orders]
    [3.0, 3.0, 3.0]

    References
    ----------
    Wager, Wang & Liang (2013), section 2 (the second-order expansion).
    """
    ts = _vector(scales, "scales")
    if len(ts) < 2 or any(not (t.is_positive and t.is_rational) for t in ts):
        raise ValueError(
            f"scales={list(scales)!r}: give at least two positive exact rationals (t for the "
            f"weights t·w)"
        )
    if any(a <= b for a, b in itertools.pairwise(ts)):
        raise ValueError(f"scales={list(scales)!r} must decrease strictly (t → 0)")
    ws = _vector(weights, "weights")
    gaps = tuple(
        quadratic_approximation(
            [t * w for w in ws], inputs, target, p=p, bias=bias, loss=loss, dps=dps
        ).gap_value
        for t in ts
    )
    if any(g.is_zero for g in gaps):
        raise ValueError(
            "the gap is 0 at some scale (the quadratic loss, or weights that are all 0): "
            "there is no order to measure"
        )
    orders = tuple(
        float(sp.log(abs(g1) / abs(g2)) / sp.log(t1 / t2))
        for (g1, g2), (t1, t2) in zip(itertools.pairwise(gaps), itertools.pairwise(ts), strict=True)
    )
    return GapScaling(scales=tuple(ts), gaps=gaps, orders=orders)


# --- Monte Carlo ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonteCarloCheck:
    """A Monte Carlo estimate of an expectation over the masks, against its exact value."""

    exact: sp.Expr
    """The exact expectation (:func:`dropout_expectation`)."""
    estimate: float
    """The sample mean."""
    standard_error: float
    """The sample standard deviation over the square root of the number of samples."""
    interval: tuple[float, float]
    """The confidence interval (normal approximation)."""
    confidence: Fraction
    """The confidence level of the interval."""
    samples: int
    """The number of samples."""
    seed: int
    """The seed of :func:`numpy.random.default_rng`."""

    @property
    def agrees(self) -> bool:
        """Whether the exact value lies in the confidence interval."""
        value = float(self.exact)
        return self.interval[0] <= value <= self.interval[1]

    def __str__(self) -> str:
        level = f"{float(self.confidence) * 100:g}%"
        low, high = self.interval
        where = f"the {level} confidence interval [{low:.6g}, {high:.6g}]"
        drawn = f"{self.samples:,} samples, seed {self.seed}"
        if self.agrees:
            return (
                f"the exact expectation {plain_expr(self.exact)} ≈ {float(self.exact):.6g} lies "
                f"in {where} of {drawn}: agreement is evidence, not proof"
            )
        return (
            f"the exact expectation {plain_expr(self.exact)} ≈ {float(self.exact):.6g} lies "
            f"outside {where} of {drawn}: either the expectation is wrong or an event of "
            f"probability about {1 - float(self.confidence):g} occurred; draw again with "
            f"another seed"
        )


def monte_carlo_expectation(
    expr: sp.Expr,
    masks: Sequence[sp.Symbol],
    *,
    p: Any,
    seed: int,
    samples: int = 100_000,
    confidence: Any = Fraction(99, 100),
) -> MonteCarloCheck:
    r"""A Monte Carlo estimate of :math:`\mathbb{E}[f(m)]` over Bernoulli(:math:`p`) masks,
    with a confidence interval, against the exact expectation.

    The masks are drawn with ``numpy.random.default_rng(seed)``; ``expr`` (with every symbol
    other than the masks already replaced by an exact number) is evaluated by NumPy at the
    samples; the interval is :math:`\bar f \pm z\, s/\sqrt N` with :math:`z` the normal
    quantile of the confidence level.  The exact value lying inside is evidence that the
    exact expectation is right, not a proof.

    Examples
    --------
    >>> m = mask_symbols(2)
    >>> check = monte_carlo_expectation((3 - 2 * m[0] - 4 * m[1]) ** 2, m, p=sp.Rational(1, 2),
    ...                                 seed=0, samples=20_000)
    >>> check.exact, check.agrees
    (5, True)

    References
    ----------
    Srivastava et al. (2014), section 4 (the Bernoulli masks).
    """
    expr = _expression(expr)
    p = _keep_probability(p)
    if p.free_symbols:
        raise ValueError(f"p={p} is symbolic; a Monte Carlo check needs an exact number")
    ms = _masks(masks)
    others = expr.free_symbols - set(ms)
    if others:
        names = ", ".join(sorted(str(s) for s in others))
        raise ValueError(
            f"expr has symbols other than the masks ({names}); substitute exact numbers for "
            f"them first (expr.subs({{symbol: value}}))"
        )
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed={seed!r} must be an int (the seed of numpy.random.default_rng)")
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)):
        raise TypeError(f"samples={samples!r} must be an int")
    if not 2 <= samples <= MAX_MONTE_CARLO_SAMPLES:
        raise ValueError(
            f"samples={samples} must be from 2 to MAX_MONTE_CARLO_SAMPLES = "
            f"{MAX_MONTE_CARLO_SAMPLES:,}"
        )
    level = in_interval(confidence, sp.Interval.open(0, 1), name="confidence")
    exact = dropout_expectation(expr, ms, p=p)
    function = sp.lambdify(ms, expr, modules="numpy")
    rng = np.random.default_rng(int(seed))
    count, mean, squares = 0, 0.0, 0.0  # running mean and sum of squared deviations (Chan)
    keep = float(p)
    while count < samples:
        size = min(samples - count, _CHUNK)
        draws = (rng.random((size, len(ms))) < keep).astype(np.float64)
        values = np.broadcast_to(np.asarray(function(*draws.T), dtype=np.float64), (size,))
        chunk_mean = float(values.mean())
        chunk_squares = float(((values - chunk_mean) ** 2).sum())
        delta = chunk_mean - mean
        total = count + size
        mean += delta * size / total
        squares += chunk_squares + delta * delta * count * size / total
        count = total
    error = math.sqrt(squares / (samples - 1) / samples)
    z = statistics.NormalDist().inv_cdf((1 + float(level)) / 2)
    return MonteCarloCheck(
        exact=exact,
        estimate=mean,
        standard_error=error,
        interval=(mean - z * error, mean + z * error),
        confidence=Fraction(int(sp.Rational(level).p), int(sp.Rational(level).q)),
        samples=int(samples),
        seed=int(seed),
    )
