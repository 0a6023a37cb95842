r"""Loss functions: the twelve classification losses of Janocha & Czarnecki, MSE and BCE.

Every :class:`Loss` is defined once, by two forms written independently of each other:

- an exact SymPy form ``loss(o, y)`` of an output vector :math:`o` and a target :math:`y`
  (SymPy column matrices), with the softmax written exactly with ``exp``;
- a NumPy form ``loss.numpy(O, Y)`` over a batch (arrays of shape ``(batch, n)``, one sample
  per row) returning one value per sample, written by hand and numerically stable: it works on
  the logits relative to the true class, so that no ``exp`` overflows for :math:`|o| = 1000`
  and small losses keep their relative accuracy.

Notation (Janocha & Czarnecki 2017, Table 1): :math:`o` is the last layer's output,
:math:`y` a one-hot target, :math:`\hat y = 2y - 1` its :math:`\pm 1` encoding and
:math:`\sigma(o)_j = e^{o_j} / \sum_k e^{o_k}` the softmax.

==========================  ==========================================================
key                         loss
==========================  ==========================================================
l1                          :math:`\sum_j |y_j - o_j|`
l2                          :math:`\sum_j (y_j - o_j)^2`
expectation                 :math:`\sum_j |y_j - \sigma(o)_j|`
regularised_expectation     :math:`\sum_j (y_j - \sigma(o)_j)^2`
chebyshev                   :math:`\max_j |\sigma(o)_j - y_j|`
hinge                       :math:`\sum_j \max(0, m - \hat y_j o_j)`, :math:`m = 1/2`
squared_hinge               :math:`\sum_j \max(0, m - \hat y_j o_j)^2`
cubed_hinge                 :math:`\sum_j \max(0, m - \hat y_j o_j)^3`
log                         :math:`-\sum_j y_j \log \sigma(o)_j`
squared_log                 :math:`\sum_j (y_j \log \sigma(o)_j)^2`
tanimoto                    :math:`-\langle \sigma(o), y\rangle / (\|\sigma(o)\|^2 + \|y\|^2
                            - \langle \sigma(o), y\rangle)`
cauchy_schwarz              :math:`-\log(\langle \sigma(o), y\rangle / (\|\sigma(o)\|\,\|y\|))`
mse                         :math:`\frac1n \sum_j (o_j - y_j)^2` (any real target)
bce                         :math:`-\sum_j [y_j \log o_j + (1 - y_j)\log(1 - o_j)]`,
                            :math:`o_j \in (0, 1)` a probability, :math:`y_j \in [0, 1]`
==========================  ==========================================================

The hinge margin :math:`m` is a parameter (``get_loss("hinge", margin=1)``); :math:`1/2` is
the value of the paper's table, 1 the usual SVM margin.  The twelve losses of the table need a
one-hot target (:attr:`Loss.needs_one_hot`); ``mse`` takes any real target; ``bce`` takes a
target in :math:`[0, 1]` and an output that is already a probability (the sigmoid is not part
of the loss).  Both forms check their input first (:mod:`symdl.core.targets`): a target
that is not one-hot, a shape mismatch or a float where exact values are required is refused
with a message naming the value.

Large logits.  The NumPy forms work on relative logits and never overflow; the exact forms
decide their maxima exactly (:func:`~symdl.core.special_functions.exact_max`), also where two
candidates differ by :math:`e^{-300}`; and every loss that applies the softmax carries its
gradient in the logits written for float64 (:meth:`Loss.logit_gradient`), which symbolic
backpropagation compiles: accurate for logits of any size, where the derivative of
:math:`e^{o_j} / \sum_k e^{o_k}` overflows beyond :math:`|o| \approx 355`.

Ranges.  Tanimoto lies in :math:`[-1, 0)`: the value :math:`-1` is taken exactly when
:math:`\sigma(o) = y`, which no finite :math:`o` attains (every softmax entry is positive), so
for finite :math:`o` the loss lies in :math:`(-1, 0)` and tends to :math:`-1` as the true
logit grows.  Cauchy–Schwarz is :math:`\ge 0` by the Cauchy–Schwarz inequality, with equality
iff :math:`\sigma(o) \propto y`; for a one-hot :math:`y` that too happens only in the limit.

References
----------
K. Janocha, W. M. Czarnecki, "On loss functions for deep neural networks in classification",
Schedae Informaticae 25 (2016) 49–59; arXiv:1702.05659 (2017), Table 1.

Examples
--------
>>> import sympy as sp
>>> o, y = sp.Matrix([0, 1, 2]), sp.Matrix([0, 0, 1])
>>> LOSSES["hinge"](o, y), LOSSES["cubed_hinge"](o, y), get_loss("hinge", margin=1)(o, y)
(2, 7/2, 3)
>>> LOSSES["log"](o, y)
-2 + log(1 + E + exp(2))
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import numpy as np
import sympy as sp
from numpy.typing import ArrayLike, NDArray

from symdl.core.activations import _rational, softmax
from symdl.core.exceptions import NotSupportedError, did_you_mean
from symdl.core.special_functions import LogSoftmaxEntry, SoftmaxEntry, exact_max
from symdl.core.targets import Target, VectorLike, validate, validate_batch

__all__ = [
    "LOSSES",
    "Loss",
    "Target",
    "get_loss",
    "register_loss",
    "registered_loss",
    "softmax",
    "unregister_loss",
]

FloatArray = NDArray[np.float64]
Entries = list[sp.Expr]
LogitGradient = Callable[[Entries, Entries, Entries, int], Entries]
"""``(P, L, Q, t) -> [∂C/∂o_1, …]``: a softmax loss's gradient for the true class ``t`` (from
0), in the softmax entries ``P``, their logarithms ``L`` and complements ``Q = 1 - P``."""


@dataclass(frozen=True)
class Loss:
    r"""A loss function, exact (SymPy) and batched (NumPy).

    Parameters
    ----------
    name
        The registry key (``"squared_hinge"``).
    title
        Its human name (``"squared hinge loss"``).
    latex
        A LaTeX formula of the loss in :math:`o` and :math:`y` (no math delimiters).
    target
        The kind of target accepted, a :class:`~symdl.core.targets.Target`.
    sympy_form
        The exact loss of two validated SymPy column vectors ``(o, y)``.
    numpy_form
        The independently written NumPy loss of validated arrays ``(O, Y)`` of shape
        ``(batch, n)``, returning shape ``(batch,)``.
    params
        The parameters the loss was built with (``{"margin": 1/2}`` for the hinge losses).
    logit_gradient_form
        For a loss that applies the softmax: its gradient in the logits for each true class,
        written for float64 (see :meth:`logit_gradient`); ``None`` for the other losses.
    numpy_gradient_form
        The gradient :math:`\partial C/\partial o` of validated arrays ``(O, Y)``, one row per
        sample, written by hand for float64 (the numeric backward pass of a registered loss
        uses it); ``None`` when not given.

    Examples
    --------
    >>> import numpy as np, sympy as sp
    >>> loss = get_loss("squared_hinge")
    >>> loss.needs_one_hot, loss.params["margin"]
    (True, 1/2)
    >>> loss(sp.Matrix([0, 1, 2]), sp.Matrix([0, 0, 1]))
    5/2
    >>> loss.numpy(np.array([[0.0, 1.0, 2.0]]), np.array([[0.0, 0.0, 1.0]]))
    array([2.5])
    """

    name: str
    title: str
    latex: str
    target: Target
    sympy_form: Callable[[sp.Matrix, sp.Matrix], sp.Expr] = field(repr=False, compare=False)
    numpy_form: Callable[[FloatArray, FloatArray], FloatArray] = field(repr=False, compare=False)
    params: Mapping[str, sp.Expr] = field(default_factory=dict, hash=False)
    logit_gradient_form: LogitGradient | None = field(default=None, repr=False, compare=False)
    numpy_gradient_form: Callable[[FloatArray, FloatArray], FloatArray] | None = field(
        default=None, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))
        if not isinstance(self.target, Target):
            raise TypeError(
                f"loss {self.name!r}: target={self.target!r} must be a Target "
                f"({', '.join(f'Target.{t.name}' for t in Target)})"
            )

    @property
    def needs_one_hot(self) -> bool:
        """Whether the target must be one-hot (true for the twelve classification losses)."""
        return self.target is Target.ONE_HOT

    def __call__(self, o: VectorLike, y: VectorLike) -> sp.Expr:
        """The exact loss of an output vector ``o`` and a target ``y`` (validated first)."""
        return self.sympy_form(*validate(o, y, target=self.target))

    def numpy(self, O: ArrayLike, Y: ArrayLike) -> FloatArray:
        """The loss of each row of a batch: ``O`` and ``Y`` of shape ``(batch, n)``."""
        return self.numpy_form(*validate_batch(O, Y, target=self.target))

    def logit_gradient(
        self,
        o: VectorLike,
        y: VectorLike,
        *,
        entries: tuple[Sequence[sp.Expr], Sequence[sp.Expr], Sequence[sp.Expr]] | None = None,
    ) -> sp.Matrix:
        r"""The gradient :math:`\partial C/\partial o` of a loss that applies the softmax,
        written so that float64 evaluates it accurately.

        The gradient is written in the named functions
        :class:`~symdl.core.special_functions.SoftmaxEntry` (:math:`p_j`) and
        :class:`~symdl.core.special_functions.LogSoftmaxEntry` (:math:`\log p_j`) of the logits
        :math:`o`, as sums and products of positive terms wherever the gradient is not a
        genuine difference: :math:`1 - p_t` is :math:`\sum_{j \ne t} p_j`.  Compiled to
        NumPy it does not overflow, and every entry keeps its relative accuracy down to the
        smallest normal float64, for logits of any size.  Backpropagation's float64 program
        (:meth:`symdl.backpropagation.reverse_mode.Backpropagation.numpy_gradient`) is compiled
        with it.

        For a numeric one-hot ``y`` of class :math:`t` this is the gradient
        :math:`g^{(t)}`; for a symbolic ``y`` it is :math:`\sum_t y_t\, g^{(t)}`, equal to
        the gradient for every one-hot ``y`` (the only targets the loss accepts).

        Parameters
        ----------
        o, y
            The logits and the target.
        entries
            Expressions ``(P, L, Q)`` to write the gradient in instead of :math:`p_j`,
            :math:`\log p_j` and :math:`1 - p_j` (symbols of a straight-line program that
            computes each once, say); default: ``SoftmaxEntry(j, *o)``,
            ``LogSoftmaxEntry(j, *o)`` and :math:`\sum_{m \ne j}` ``SoftmaxEntry(m, *o)``.

        Raises
        ------
        NotSupportedError
            For a loss that does not apply the softmax (it has no such form).

        Examples
        --------
        >>> import sympy as sp
        >>> a, b = sp.symbols("a b", real=True)
        >>> LOSSES["log"].logit_gradient([a, b], [1, 0])
        Matrix([
        [-SoftmaxEntry(2, a, b)],
        [ SoftmaxEntry(2, a, b)]])
        """
        if self.logit_gradient_form is None:
            raise NotSupportedError(
                f"the loss {self.name!r} does not apply the softmax, so it has no logit-space "
                f"gradient; differentiate the loss itself (sympy.diff of loss(o, y))"
            )
        o_vec, y_vec = validate(o, y, target=self.target)
        logits = tuple(o_vec)
        n = len(logits)
        if entries is None:
            P = [SoftmaxEntry(j, *logits) for j in range(1, n + 1)]
            L = [LogSoftmaxEntry(j, *logits) for j in range(1, n + 1)]
            Q = [sp.Add(*[p for m, p in enumerate(P) if m != j]) for j in range(n)]
        else:
            P, L, Q = (list(part) for part in entries)
            if not len(P) == len(L) == len(Q) == n:
                raise ValueError(
                    f"entries give {len(P)}, {len(L)} and {len(Q)} expressions for {n} logits; "
                    f"give (P, L, Q) with one expression per logit in each"
                )
        if all(entry.is_number for entry in y_vec):
            return sp.Matrix(self.logit_gradient_form(P, L, Q, list(y_vec).index(1)))
        per_class = [self.logit_gradient_form(P, L, Q, t) for t in range(n)]
        return sp.Matrix(
            [sp.Add(*[y_vec[t] * per_class[t][k] for t in range(n)]) for k in range(n)]
        )


# --- exact (SymPy) forms ----------------------------------------------------------------------


def _log_softmax(o: sp.Matrix) -> sp.Matrix:
    # log σ(o)_j = o_j - log Σ_k e^{o_k} for real o: the same function as log(σ(o)_j),
    # written so that SymPy simplifies it at numbers (log(e^2/S) = 2 - log S).
    log_partition = sp.log(sum(o.applyfunc(sp.exp)))
    return o.applyfunc(lambda entry: entry - log_partition)


def _sum_over(term: Callable[[sp.Expr, sp.Expr], sp.Expr], u: sp.Matrix, v: sp.Matrix) -> sp.Expr:
    """Σ_j term(u_j, v_j) over two vectors of the same length."""
    return sp.Add(*[term(a, b) for a, b in zip(u, v, strict=True)])


def _dot(u: sp.Matrix, v: sp.Matrix) -> sp.Expr:
    return _sum_over(lambda a, b: a * b, u, v)


def _tanimoto(o: sp.Matrix, y: sp.Matrix) -> sp.Expr:
    r"""Tanimoto loss :math:`-\langle p, y\rangle/(\|p\|^2 + \|y\|^2 - \langle p, y\rangle)`.

    Here :math:`p = \sigma(o)`.  Its range is :math:`[-1, 0)`: the value :math:`-1` is taken
    exactly at :math:`p = y`, which is nonattainable for finite :math:`o` because every
    softmax entry is positive; the infimum is approached as the true class's logit grows.
    """
    p = softmax(o)
    inner = _dot(p, y)
    return -inner / (_dot(p, p) + _dot(y, y) - inner)


def _cauchy_schwarz(o: sp.Matrix, y: sp.Matrix) -> sp.Expr:
    r"""Cauchy–Schwarz divergence :math:`-\log(\langle p, y\rangle / (\|p\|\,\|y\|))`.

    Here :math:`p = \sigma(o)`.  It is :math:`\ge 0` by the Cauchy–Schwarz inequality, and 0
    iff :math:`p \propto y` (for a one-hot :math:`y`, only in the limit of a large true logit).
    """
    p = softmax(o)
    return -sp.log(_dot(p, y) / (sp.sqrt(_dot(p, p)) * sp.sqrt(_dot(y, y))))


def _squared_log(o: sp.Matrix, y: sp.Matrix) -> sp.Expr:
    r"""Squared log loss :math:`\sum_j (y_j \log \sigma(o)_j)^2`, the non-negative form.

    Some printings (the lecture notes among them) write it with a leading minus,
    :math:`-\sum_j (y_j \log \sigma(o)_j)^2`.  That is a misprint: the expression is
    :math:`\le 0`, and since :math:`(\log \sigma(o)_t)^2` grows without bound as the true
    class's probability :math:`\sigma(o)_t \to 0`, minimising it would drive the true class's
    probability to 0, the opposite of learning.  Without the minus the loss is
    :math:`\ge 0` and vanishes only in the limit :math:`\sigma(o)_t \to 1`, like the log loss.
    """
    return _sum_over(lambda y_j, log_p: (y_j * log_p) ** 2, y, _log_softmax(o))


def _hinge_form(margin: sp.Expr, power: int) -> Callable[[sp.Matrix, sp.Matrix], sp.Expr]:
    # Σ_j max(0, m - ŷ_j o_j)^power with the ±1 encoding ŷ = 2y - 1 (Table 1).
    def form(o: sp.Matrix, y: sp.Matrix) -> sp.Expr:
        return _sum_over(lambda o_j, y_j: exact_max(0, margin - (2 * y_j - 1) * o_j) ** power, o, y)

    return form


# --- the gradients in the logits, for float64 ---------------------------------------------------
#
# For the true class t, p = softmax(o), log p = log-softmax(o) and q = 1 - p (Σ_{m≠j} p_m, a sum
# of positive terms, accurate even where p_j rounds to 1): with the Jacobian
# ∂p_j/∂o_k = p_j (1[j = k] - p_k), no entry is a difference of nearly equal terms unless the
# gradient itself is one.  Each is checked against the derivative of the exact form.


def _squares_off(P: Entries, t: int) -> sp.Expr:
    """Σ_{j≠t} p_j²."""
    return sp.Add(*[p**2 for m, p in enumerate(P) if m != t])


def _log_gradient(P: Entries, L: Entries, Q: Entries, t: int) -> Entries:
    # -log p_t: g = p - y, g_t = -(1 - p_t)
    return [-Q[t] if k == t else P[k] for k in range(len(P))]


def _squared_log_gradient(P: Entries, L: Entries, Q: Entries, t: int) -> Entries:
    # (log p_t)²: g = 2 log p_t (y - p)
    return [2 * L[t] * Q[t] if k == t else -2 * L[t] * P[k] for k in range(len(P))]


def _expectation_gradient(P: Entries, L: Entries, Q: Entries, t: int) -> Entries:
    # Σ_j |y_j - p_j| = 2(1 - p_t): g = -2 ∂p_t/∂o
    return [-2 * P[t] * Q[t] if k == t else 2 * P[t] * P[k] for k in range(len(P))]


def _chebyshev_gradient(P: Entries, L: Entries, Q: Entries, t: int) -> Entries:
    # max_j |p_j - y_j| = 1 - p_t, since 1 - p_t = Σ_{j≠t} p_j >= p_k: g = -∂p_t/∂o
    return [-P[t] * Q[t] if k == t else P[t] * P[k] for k in range(len(P))]


def _regularised_gradient(P: Entries, L: Entries, Q: Entries, t: int) -> Entries:
    # Σ_j (y_j - p_j)²: g_k = -2 p_k (r_k - Σ_j r_j p_j) with r = y - p.  For k = t the bracket
    # is (1 - p_t)² + Σ_{j≠t} p_j²; for k ≠ t it is -p_k - p_t + ‖p‖², which with 1 = Σ_j p_j
    # is -(2 p_t p_k + Σ_{j≠t,k} p_j (p_k + p_t - p_j)): no cancellation where p_k or p_t ≈ 1
    n = len(P)

    def entry(k: int) -> sp.Expr:
        if k == t:
            return -2 * P[t] * (Q[t] ** 2 + _squares_off(P, t))
        rest = sp.Add(*[P[j] * (P[k] + P[t] - P[j]) for j in range(n) if j not in (t, k)])
        return 2 * P[k] * (2 * P[t] * P[k] + rest)

    return [entry(k) for k in range(n)]


def _tanimoto_gradient(P: Entries, L: Entries, Q: Entries, t: int) -> Entries:
    # C = -p_t / D with D = ‖p‖² + 1 - p_t; with A = Σ_{j≠t} p_j²,
    # g_t = -p_t (q_t A + q_t² (1 + p_t) + 2 p_t A) / D² and, for k ≠ t,
    # g_k = p_k p_t (2 p_k + Σ_{j≠t} p_j (p_t + q_j)) / D², q = 1 - p: sums of positive terms
    n = len(P)
    A = _squares_off(P, t)
    D = A + P[t] ** 2 + Q[t]
    spread = sp.Add(*[P[j] * (P[t] + Q[j]) for j in range(n) if j != t])

    def entry(k: int) -> sp.Expr:
        if k == t:
            return -P[t] * (Q[t] * A + Q[t] ** 2 * (1 + P[t]) + 2 * P[t] * A) / D**2
        return P[k] * P[t] * (2 * P[k] + spread) / D**2

    return [entry(k) for k in range(n)]


def _cauchy_schwarz_gradient(P: Entries, L: Entries, Q: Entries, t: int) -> Entries:
    # -log p_t + ½ log ‖p‖²: g = softmax(2o) - y, softmax(2o)_k = p_k² / ‖p‖²
    norm2 = sp.Add(*[p**2 for p in P])
    return [-_squares_off(P, t) / norm2 if k == t else P[k] ** 2 / norm2 for k in range(len(P))]


# --- independent NumPy forms (by hand, numerically stable) ------------------------------------


def _log1p_sum_exp(A: FloatArray) -> FloatArray:
    """Row-wise log(1 + Σ_k e^{A_k}) without overflow and with relative accuracy near 0."""
    M = np.maximum(A.max(axis=1), 0.0)
    # with M > 0 the sum below holds a term e^0 = 1, so t = e^{-M} + (the rest) ≥ 0
    t = np.expm1(-M) + np.exp(A - M[:, None]).sum(axis=1)
    return M + np.log1p(t)


def _relative_logits(O: FloatArray, Y: FloatArray) -> FloatArray:
    """A_k = o_k - o_t for the true class t of a one-hot row, and A_t = -inf."""
    true = Y.argmax(axis=1)
    rows = np.arange(O.shape[0])
    A = O - O[rows, true][:, None]
    A[rows, true] = -np.inf
    return A


def _cross_entropy(O: FloatArray, Y: FloatArray) -> FloatArray:
    # -log σ(o)_t = log Σ_k e^{o_k - o_t} = log(1 + Σ_{k≠t} e^{A_k})
    return _log1p_sum_exp(_relative_logits(O, Y))


def _softmax_distance(O: FloatArray, Y: FloatArray) -> FloatArray:
    """|σ(o)_j - y_j| for one-hot rows: σ(o)_j off the true class, 1 - σ(o)_t on it."""
    A = _relative_logits(O, Y)
    nll = _log1p_sum_exp(A)
    off_true = np.exp(A - nll[:, None])  # σ(o)_k = e^{A_k} σ(o)_t, 0 at t
    return off_true - np.expm1(-nll)[:, None] * Y  # 1 - σ(o)_t = -expm1(log σ(o)_t)


def _np_tanimoto(O: FloatArray, Y: FloatArray) -> FloatArray:
    A = _relative_logits(O, Y)
    nll = _log1p_sum_exp(A)
    p_true = np.exp(-nll)
    norm2 = p_true**2 + (np.exp(A - nll[:, None]) ** 2).sum(axis=1)
    return -p_true / (norm2 + 1.0 - p_true)  # ‖y‖² = 1, ⟨σ(o), y⟩ = σ(o)_t


def _np_cauchy_schwarz(O: FloatArray, Y: FloatArray) -> FloatArray:
    # -log(σ_t/‖σ‖) = ½ log(Σ_k σ_k²/σ_t²) = ½ log(1 + Σ_{k≠t} e^{2 A_k})
    return 0.5 * _log1p_sum_exp(2.0 * _relative_logits(O, Y))


def _np_hinge(margin: float, power: int) -> Callable[[FloatArray, FloatArray], FloatArray]:
    def form(O: FloatArray, Y: FloatArray) -> FloatArray:
        pieces = np.maximum(0.0, margin - (2.0 * Y - 1.0) * O)
        return (pieces**power).sum(axis=1)

    return form


def _np_bce(O: FloatArray, Y: FloatArray) -> FloatArray:
    return -(Y * np.log(O) + (1.0 - Y) * np.log1p(-O)).sum(axis=1)


# --- the registry -----------------------------------------------------------------------------

_SIGMA = r"\sigma(o)"
_HINGE_TITLES = {1: "hinge loss", 2: "squared hinge loss", 3: "cubed hinge loss"}
_HINGE_NAMES = {1: "hinge", 2: "squared_hinge", 3: "cubed_hinge"}


def _exact_margin(margin: object) -> sp.Rational:
    value = _rational("margin", margin)
    if value < 0:
        raise ValueError(f"margin={value} is negative; accepted: a rational margin >= 0")
    return value


def _hinge_family(power: int) -> Callable[..., Loss]:
    def factory(*, margin: sp.Rational | int | Fraction = sp.S.Half) -> Loss:
        m = _exact_margin(margin)
        exponent = "" if power == 1 else f"^{power}"
        return Loss(
            name=_HINGE_NAMES[power],
            title=_HINGE_TITLES[power],
            latex=rf"\sum_j \max\left(0, {sp.latex(m)} - \hat y_j o_j\right){exponent}",
            target=Target.ONE_HOT,
            sympy_form=_hinge_form(m, power),
            numpy_form=_np_hinge(float(m), power),
            params={"margin": m},
        )

    factory.__doc__ = (
        f"The {_HINGE_TITLES[power]} with margin ``margin`` (default 1/2, Table 1), "
        f"with the ±1 target encoding 2y - 1."
    )
    return factory


_FACTORIES: dict[str, Callable[..., Loss]] = {
    _HINGE_NAMES[power]: _hinge_family(power) for power in (1, 2, 3)
}


def _classification(
    name: str,
    title: str,
    latex: str,
    sympy_form: Callable[[sp.Matrix, sp.Matrix], sp.Expr],
    numpy_form: Callable[[FloatArray, FloatArray], FloatArray],
    logit_gradient: LogitGradient | None = None,
) -> Loss:
    return Loss(name, title, latex, Target.ONE_HOT, sympy_form, numpy_form, {}, logit_gradient)


_REGISTERED = (
    _classification(
        "l1",
        "L1 loss",
        r"\sum_j \left| y_j - o_j \right|",
        lambda o, y: _sum_over(lambda o_j, y_j: sp.Abs(y_j - o_j), o, y),
        lambda O, Y: np.abs(Y - O).sum(axis=1),
    ),
    _classification(
        "l2",
        "L2 loss",
        r"\sum_j \left( y_j - o_j \right)^2",
        lambda o, y: _sum_over(lambda o_j, y_j: (y_j - o_j) ** 2, o, y),
        lambda O, Y: ((Y - O) ** 2).sum(axis=1),
    ),
    _classification(
        "expectation",
        "expectation loss",
        rf"\sum_j \left| y_j - {_SIGMA}_j \right|",
        lambda o, y: _sum_over(lambda p_j, y_j: sp.Abs(y_j - p_j), softmax(o), y),
        lambda O, Y: _softmax_distance(O, Y).sum(axis=1),
        _expectation_gradient,
    ),
    _classification(
        "regularised_expectation",
        "regularised expectation loss",
        rf"\sum_j \left( y_j - {_SIGMA}_j \right)^2",
        lambda o, y: _sum_over(lambda p_j, y_j: (y_j - p_j) ** 2, softmax(o), y),
        lambda O, Y: (_softmax_distance(O, Y) ** 2).sum(axis=1),
        _regularised_gradient,
    ),
    _classification(
        "chebyshev",
        "Chebyshev loss",
        rf"\max_j \left| {_SIGMA}_j - y_j \right|",
        lambda o, y: exact_max(
            *[sp.Abs(p_j - y_j) for p_j, y_j in zip(softmax(o), y, strict=True)]
        ),
        lambda O, Y: _softmax_distance(O, Y).max(axis=1),
        _chebyshev_gradient,
    ),
    *(factory() for factory in list(_FACTORIES.values())),
    _classification(
        "log",
        "log loss (cross-entropy)",
        rf"-\sum_j y_j \log {_SIGMA}_j",
        lambda o, y: -_dot(y, _log_softmax(o)),
        _cross_entropy,
        _log_gradient,
    ),
    _classification(
        "squared_log",
        "squared log loss",
        rf"\sum_j \left( y_j \log {_SIGMA}_j \right)^2",
        _squared_log,
        lambda O, Y: _cross_entropy(O, Y) ** 2,
        _squared_log_gradient,
    ),
    _classification(
        "tanimoto",
        "Tanimoto loss",
        rf"-\frac{{\sum_j {_SIGMA}_j y_j}}{{\lVert {_SIGMA} \rVert_2^2 + \lVert y \rVert_2^2"
        rf" - \sum_j {_SIGMA}_j y_j}}",
        _tanimoto,
        _np_tanimoto,
        _tanimoto_gradient,
    ),
    _classification(
        "cauchy_schwarz",
        "Cauchy–Schwarz divergence",
        rf"-\log \frac{{\sum_j {_SIGMA}_j y_j}}{{\lVert {_SIGMA} \rVert_2 \lVert y \rVert_2}}",
        _cauchy_schwarz,
        _np_cauchy_schwarz,
        _cauchy_schwarz_gradient,
    ),
    Loss(
        "mse",
        "mean squared error",
        r"\frac{1}{n} \sum_{j=1}^{n} \left( o_j - y_j \right)^2",
        Target.REAL,
        lambda o, y: _sum_over(lambda o_j, y_j: (o_j - y_j) ** 2, o, y) / len(o),
        lambda O, Y: ((O - Y) ** 2).mean(axis=1),
    ),
    Loss(
        "bce",
        "binary cross-entropy",
        r"-\sum_j \left[ y_j \log o_j + (1 - y_j) \log (1 - o_j) \right]",
        Target.PROBABILITY,
        lambda o, y: (
            -_sum_over(lambda o_j, y_j: y_j * sp.log(o_j) + (1 - y_j) * sp.log(1 - o_j), o, y)
        ),
        _np_bce,
    ),
)

_REGISTRY: dict[str, Loss] = {loss.name: loss for loss in _REGISTERED}
_BUILT_IN = frozenset(_REGISTRY)
_HINGE_FACTORIES = frozenset(_FACTORIES)

LOSSES: Mapping[str, Loss] = MappingProxyType(_REGISTRY)
"""The loss registry, name → :class:`Loss` with default parameters (a read-only view, which
shows what :func:`register_loss` adds)."""


def get_loss(loss: str | Loss, **params: Any) -> Loss:
    r"""Look up a loss by name, optionally with parameters.

    Parameters
    ----------
    loss
        A registry name (see :data:`LOSSES`) or a :class:`Loss` (returned as is).
    **params
        ``margin`` for ``hinge``, ``squared_hinge`` and ``cubed_hinge`` (an exact rational
        ``>= 0``, default 1/2).  The other losses take no parameters.

    Raises
    ------
    ValueError
        For an unknown name or parameter (the message lists what is accepted).
    TypeError
        For a float margin (use ``sympy.Rational``) or a name that is not a string.

    Examples
    --------
    >>> print(get_loss("hinge", margin=1).latex)
    \sum_j \max\left(0, 1 - \hat y_j o_j\right)
    >>> get_loss("hinge", margn=1)
    Traceback (most recent call last):
    ...
    ValueError: unknown parameter(s) ['margn'] for loss 'hinge'; accepted: margin

    References
    ----------
    Janocha and Czarnecki (2017), Table 1 (the twelve losses and the hinge margin 1/2).
    """
    if isinstance(loss, Loss):
        if params:
            raise ValueError(
                f"parameters {sorted(params)} given with a Loss object; pass its name instead"
            )
        return loss
    if not isinstance(loss, str):
        raise TypeError(f"loss {loss!r} must be a name or a Loss; names: {', '.join(LOSSES)}")
    if loss not in LOSSES:
        raise ValueError(
            f"unknown loss {loss!r}{did_you_mean(loss, LOSSES)}; accepted: {', '.join(LOSSES)}"
        )
    if not params:
        return LOSSES[loss]
    if loss not in _FACTORIES:
        raise ValueError(
            f"loss {loss!r} takes no parameters, got {sorted(params)}; parametrised losses: "
            f"{', '.join(_described(name) for name in _FACTORIES)}"
        )
    accepted = _parameters(loss)
    unknown = sorted(set(params) - set(accepted))
    if unknown:
        raise ValueError(
            f"unknown parameter(s) {unknown} for loss {loss!r}; accepted: {', '.join(accepted)}"
        )
    return _FACTORIES[loss](**params)


def _described(name: str) -> str:
    return f"{name} ({', '.join(_parameters(name))})"


def _parameters(name: str) -> tuple[str, ...]:
    code = _FACTORIES[name].__code__
    return tuple(code.co_varnames[code.co_argcount : code.co_argcount + code.co_kwonlyargcount])


# --- registering a course's own loss ----------------------------------------------------------


def _samples(target: Target) -> list[tuple[list[sp.Rational], list[sp.Rational]]]:
    r = sp.Rational
    if target is Target.PROBABILITY:
        return [([r(1, 3), r(1, 2), r(5, 6)], [r(1, 4), r(1, 2), 1]), ([r(1, 7)] * 3, [0, 1, 0])]
    if target is Target.REAL:
        return [([r(1, 2), r(-1), r(3, 2)], [r(1, 3), r(2), r(-5, 4)])]
    return [([r(1, 2), r(-1), r(3, 2)], [0, 1, 0]), ([r(-2, 3), r(1, 5), r(7, 4)], [1, 0, 0])]


def _check_forms(loss: Loss) -> None:
    """The NumPy form and gradient of ``loss`` against its SymPy form at exact samples."""

    def fail(what: str, o: list[sp.Rational], y: list[Any], got: object, expected: object) -> None:
        raise ValueError(
            f"loss {loss.name!r}: its {what} gives {got} at o = {[str(v) for v in o]}, y = "
            f"{[str(v) for v in y]}, where its SymPy form gives {expected}; the forms of one "
            f"loss must be the same function"
        )

    def close(got: float, expected: float) -> bool:
        return math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-12)

    for o, y in _samples(loss.target):
        symbols = sp.symbols(f"o1:{len(o) + 1}", real=True)
        exact = loss(sp.Matrix(symbols), sp.Matrix(y))
        at = dict(zip(symbols, o, strict=True))
        expected = float(sp.N(exact.subs(at), 20))
        O = np.array([[float(v) for v in o]])
        Y = np.array([[float(v) for v in y]])
        got = float(loss.numpy(O, Y)[0])
        if not close(got, expected):
            fail("NumPy form", o, y, got, expected)
        if loss.numpy_gradient_form is not None:
            gradient = loss.numpy_gradient_form(O, Y)[0]
            for k, symbol in enumerate(symbols):
                slope = float(sp.N(sp.diff(exact, symbol).subs(at), 20))
                if not close(float(gradient[k]), slope):
                    fail(f"NumPy gradient (entry {k})", o, y, gradient[k], slope)


def register_loss(loss: Loss, *, factory: Callable[..., Loss] | None = None) -> Loss:
    r"""Add a loss to the registry, after checking that its forms agree.

    From then on ``get_loss("name")`` and :data:`LOSSES` know it, and with it backpropagation,
    the gradient checker and the problem files.

    Parameters
    ----------
    loss
        The :class:`Loss`.  Its NumPy form (and NumPy gradient, if given) are compared with
        its SymPy form at exact sample outputs and targets of its kind of target.
    factory
        A function of keyword-only parameters that builds the loss with other parameters.

    Raises
    ------
    ValueError
        If the name is taken or two forms disagree (the message names the form and the
        sample).

    Examples
    --------
    >>> import numpy as np, sympy as sp
    >>> quartic = Loss("quartic", "quartic loss", r"\sum_j (o_j - y_j)^4", Target.REAL,
    ...                lambda o, y: sum((a - b) ** 4 for a, b in zip(o, y)),
    ...                lambda O, Y: ((O - Y) ** 4).sum(axis=1),
    ...                numpy_gradient_form=lambda O, Y: 4 * (O - Y) ** 3)
    >>> with registered_loss(quartic):
    ...     get_loss("quartic")(sp.Matrix([1, 2]), sp.Matrix([0, 0]))
    17
    >>> "quartic" in LOSSES
    False
    """
    if not isinstance(loss, Loss):
        raise TypeError(
            f"register_loss takes a Loss, got {type(loss).__name__}; build one with "
            f"Loss(name, title, latex, target, sympy_form, numpy_form)"
        )
    if not isinstance(loss.name, str) or not loss.name.isidentifier():
        raise ValueError(f"loss name {loss.name!r} must be a word (letters, digits, _)")
    if loss.name in _REGISTRY:
        raise ValueError(
            f"a loss named {loss.name!r} is registered already; choose another name, or "
            f"unregister_loss({loss.name!r}) first"
        )
    if factory is not None and not callable(factory):
        raise TypeError(f"factory={factory!r} must be callable (or None)")
    _check_forms(loss)
    _REGISTRY[loss.name] = loss
    if factory is not None:
        _FACTORIES[loss.name] = factory
    return loss


def unregister_loss(name: str) -> Loss:
    """Remove a loss that :func:`register_loss` added; returns it.

    Raises
    ------
    ValueError
        For a built-in loss or a name that is not registered.
    """
    if name in _BUILT_IN:
        raise ValueError(f"{name!r} is a built-in loss, which cannot be unregistered")
    if name not in _REGISTRY:
        raise ValueError(f"no loss {name!r} is registered; registered: {', '.join(_REGISTRY)}")
    if name not in _HINGE_FACTORIES:
        _FACTORIES.pop(name, None)
    return _REGISTRY.pop(name)


@contextlib.contextmanager
def registered_loss(loss: Loss, *, factory: Callable[..., Loss] | None = None) -> Iterator[Loss]:
    """Register a loss for the duration of a ``with`` block."""
    register_loss(loss, factory=factory)
    try:
        yield loss
    finally:
        if _REGISTRY.get(loss.name) is loss:
            unregister_loss(loss.name)
