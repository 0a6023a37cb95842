r"""Convolution commutes with shifts; global pooling then ignores them

Write :math:`(S_t x)_{c,i} = x_{c,\, (i - t) \bmod N}` for the circular shift of a signal of
length :math:`N` by :math:`t` positions (on each axis of an image).  A convolution with
circular padding :math:`p`, kernel :math:`w_0, \dots, w_{K-1}` and stride :math:`s`,
:math:`z_i = b + \sum_{r} w_r\, x_{(is + r - p) \bmod N}` for :math:`i = 0, \dots, M - 1` on
an input of length :math:`N = sM`, is equivariant to the shifts by multiples of the stride:

.. math::

    \operatorname{conv}(S_{ms}\, x) = S_m \operatorname{conv}(x)
    \quad \text{for every integer } m,

proved for symbolic :math:`N`, :math:`t`, :math:`p`, :math:`r` and stride (index arithmetic
modulo :math:`N`), and exactly, with symbolic inputs and weights, for 1-D and 2-D layers of
several sizes and channels.  A shift that is not a multiple of the stride commutes with no
shift of the output: an exact input and kernel refute every candidate at once.  With zero
padding the identity fails at the border: for :math:`N = 5`, :math:`K = 3`, :math:`p = 1`,
a shift by one, every weight and the bias 1, and :math:`x = (1, 0, 0, 0, 0)`, the first output
is 2 when the input is shifted first and 1 when the output is shifted last; only the outputs
1, 2 and 5 differ.

Global average or max pooling over a circularly padded convolution is invariant to every
shift.  A local max pooling of windows of size :math:`k` (stride :math:`k`) is not: window
:math:`W` keeps its output :math:`m = \max_{i \in W} x_i` under a shift exactly when the value
:math:`m` is still in the window after the shift and no larger value has come in (checked
against a brute force over every input in :math:`\{0, 1, 2\}^4`).  "The maximum stays in its
window" is neither necessary nor sufficient alone: for :math:`x = (5, 5, 1, 0)`, :math:`k = 2`
and a shift by one, the second window's maximum stays, yet a 5 comes in.  A shift by a whole
window moves the pooled outputs by one.

References: I. Goodfellow, Y. Bengio, A. Courville, *Deep Learning*, MIT Press (2016),
section 9.2 (equivariance from parameter sharing) and section 9.3 (pooling, invariance to
small translations).
"""

from __future__ import annotations

import itertools
import random

import numpy as np
import sympy as sp

from symdl.architectures.equivariance import (
    Boundary,
    check_shift_equivariance,
    check_shift_invariance,
    max_pool_shift,
)
from symdl.core.graph import GraphNetwork, Node
from symdl.core.graph_operations import AvgPool, Conv, MaxPool

N, M, stride = sp.symbols("N M stride", integer=True, positive=True)
i, r, p, t, m = sp.symbols("i r p t m", integer=True)
x = sp.IndexedBase("x")


def lemma_circular_index_arithmetic_for_every_length() -> None:
    """Tap r of output i after a shift by t reads the input that tap r of output i − t reads.

    conv(S_t x)_i reads (S_t x) at (i + r − p) mod N, that is x at ((i + r − p) mod N − t)
    mod N; (S_t conv x)_i = conv(x) at (i − t) mod N reads x at ((i − t) mod N + r − p) mod N.
    """
    shifted_first = x[sp.Mod(sp.Mod(i + r - p, N) - t, N)]
    shifted_last = x[sp.Mod(sp.Mod(i - t, N) + r - p, N)]
    assert shifted_first == shifted_last


def lemma_strided_index_arithmetic_for_every_length() -> None:
    """Stride s, N = sM outputs' input: shifting by ms moves the output by m, for every M, s."""
    n = M * stride
    shifted_first = sp.Mod(i * stride + r - p - m * stride, n)
    q = sp.floor((i - m) / M)  # (i − m) mod M = i − m − Mq
    shifted_last = sp.Mod((i - m - M * q) * stride + r - p, n)
    assert sp.simplify(shifted_first - shifted_last) == 0


def _graph(shape: tuple[int, ...], operation: object) -> GraphNetwork:
    return GraphNetwork({"x": shape}, [Node("c", operation, "x")])  # type: ignore[arg-type]


def lemma_circular_convolution_is_equivariant_in_1d_and_2d() -> None:
    """Exactly, with symbolic inputs, kernels and biases; every shift."""
    one_d = _graph((2, 6), Conv(2, 3, padding=1, padding_mode="circular"))
    for shift_by in range(-6, 7):
        check = check_shift_equivariance(one_d, offset=shift_by)
        assert check.holds
        assert check.proved
        assert check.output_offset == (shift_by,)
    two_d = _graph((1, 4, 5), Conv(2, (3, 3), padding=1, padding_mode="circular"))
    for offset in itertools.product(range(4), range(5)):
        check = check_shift_equivariance(two_d, offset=offset)
        assert check.holds
        assert check.proved


def lemma_zero_padding_fails_at_the_border() -> None:
    """N = 5, K = 3, p = 1, a shift by 1: outputs 1, 2, 5 differ (from 1), 3 and 4 agree."""
    check = check_shift_equivariance(_graph((1, 5), Conv(1, 3, padding=1)), offset=1)
    assert not check.holds
    assert check.proved
    assert check.differing_units == (0, 1, 4)
    example = check.counterexample
    assert example is not None
    assert example.inputs == (1, 0, 0, 0, 0)
    assert set(example.parameters.values()) == {1}
    assert (example.unit, example.shifted_first, example.shifted_last) == (0, 2, 1)
    # by hand: z = 1 + (x_{i-1} + x_i + x_{i+1}) = (2, 2, 1, 1, 1) for x = e_1; shifting it
    # gives (1, 2, 2, 1, 1); the shifted input e_2 gives (2, 2, 2, 1, 1)
    z = [1 + sum(([0, 1, 0, 0, 0, 0, 0])[j : j + 3]) for j in range(5)]
    assert z == [2, 2, 1, 1, 1]
    assert np.roll(z, 1).tolist()[0] == 1


def lemma_stride_commutes_with_multiples_of_the_stride_only() -> None:
    """N = 6, K = 3, p = 1, stride 2 (3 outputs): shifts 2, 4 move the output by 1, 2; odd
    shifts commute with no output shift."""
    graph = _graph((1, 6), Conv(1, 3, stride=2, padding=1, padding_mode="circular"))
    for shift_by in (2, 4, 6):
        check = check_shift_equivariance(graph, offset=shift_by)
        assert check.holds
        assert check.output_offset == (shift_by // 2,)
    for shift_by in (1, 3, 5):
        check = check_shift_equivariance(graph, offset=shift_by)
        assert not check.holds
        assert check.proved
        assert check.candidates == 3
    two_d = _graph((1, 4, 4), Conv(1, 3, stride=2, padding=1, padding_mode="circular"))
    assert check_shift_equivariance(two_d, offset=(2, 0)).output_offset == (1, 0)
    assert not check_shift_equivariance(two_d, offset=(1, 2)).holds


def lemma_global_pooling_is_invariant() -> None:
    """Global average and max pooling over a circular ReLU convolution: every shift."""
    for pool in (AvgPool(5), MaxPool(5)):
        graph = GraphNetwork(
            {"x": (1, 5)},
            [
                Node("c", Conv(1, 3, padding=1, padding_mode="circular", activation="relu"), "x"),
                Node("g", pool, "c"),
            ],
        )
        for shift_by in range(5):
            check = check_shift_invariance(graph, offset=shift_by)
            assert check.holds
            assert check.proved
    # over zero padding it is not
    zeros = GraphNetwork(
        {"x": (1, 5)}, [Node("c", Conv(1, 3, padding=1), "x"), Node("g", AvgPool(5), "c")]
    )
    assert not check_shift_invariance(zeros, offset=1).holds


def lemma_local_pooling_is_equivariant_to_whole_windows_only() -> None:
    for pool in (MaxPool(2), AvgPool(2)):
        assert not check_shift_invariance(pool, input_shape=(1, 6), offset=1).holds
        whole = check_shift_equivariance(pool, input_shape=(1, 6), offset=2)
        assert whole.holds
        assert whole.output_offset == (1,)


def lemma_max_pooling_keeps_a_window_exactly_when() -> None:
    """Unchanged ⇔ the maximum value is still in the window and nothing larger came in."""
    stays_not_enough = unchanged_without_staying = 0
    for values in itertools.product(range(3), repeat=4):
        for shift_by, boundary in itertools.product((1, 2, 3), Boundary):
            report = max_pool_shift(list(values), (1, 4), 2, shift_by, boundary=boundary)
            if boundary is Boundary.CIRCULAR:
                moved = np.roll(values, shift_by)
            else:
                moved = np.concatenate([[0] * shift_by, values[: 4 - shift_by]])
            for j, window in enumerate(report.windows):
                entries = list(moved[2 * j : 2 * j + 2])
                assert window.after == max(entries)
                assert window.before == max(values[2 * j : 2 * j + 2])
                assert window.unchanged == (window.maximum_kept and not window.larger_entered)
                stays_not_enough += window.maximizer_stays and not window.unchanged
                unchanged_without_staying += window.unchanged and not window.maximizer_stays
    assert stays_not_enough > 0
    assert unchanged_without_staying > 0
    example = max_pool_shift([5, 5, 1, 0], (1, 4), 2, 1).windows[1]
    assert example.maximizer_stays
    assert example.larger_entered
    assert (example.before, example.after) == (1, 5)


def lemma_numeric_cross_check_with_numpy_roll() -> None:
    """conv(roll x) = roll conv(x) at random integer points, by a NumPy convolution written
    here (circular padding by np.pad 'wrap'); and it fails for zero padding."""
    rng = random.Random(9)
    for _ in range(20):
        n, kernel = rng.randint(4, 9), rng.choice([1, 3, 5])
        padding = kernel // 2  # "same" padding: n outputs
        w = np.array([rng.randint(-3, 3) for _ in range(kernel)])
        signal = np.array([rng.randint(-5, 5) for _ in range(n)])

        def conv(v: np.ndarray, mode: str, w: np.ndarray = w, padding: int = padding) -> np.ndarray:
            padded = np.pad(v, padding, mode=mode)  # type: ignore[call-overload]
            width = len(w)
            return np.array([padded[j : j + width] @ w for j in range(len(padded) - width + 1)])

        shift_by = rng.randint(1, n - 1)
        rolled_first = conv(np.roll(signal, shift_by), "wrap")
        assert (rolled_first == np.roll(conv(signal, "wrap"), shift_by)).all()
    edge = np.array([1, 0, 0, 0, 0])
    ones = np.ones(3, dtype=int)
    padded = np.pad(np.roll(edge, 1), 1)
    first = [padded[j : j + 3] @ ones for j in range(5)]
    padded = np.pad(edge, 1)
    last = np.roll([padded[j : j + 3] @ ones for j in range(5)], 1)
    assert first != last.tolist()
