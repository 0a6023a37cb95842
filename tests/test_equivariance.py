"""Shift equivariance and invariance: the symbolic verdicts against hand-written shift loops with
numpy.roll and a convolution written here with numpy.pad; max pooling by brute force."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
import sympy as sp

from symdl.architectures import equivariance
from symdl.architectures.equivariance import (
    Boundary,
    ShiftCheck,
    ShiftProperty,
    check_shift_equivariance,
    check_shift_invariance,
    max_pool_shift,
    shift,
)
from symdl.core.graph import GraphNetwork, Node
from symdl.core.graph_operations import AvgPool, Conv, Dense, MaxPool

# --- an independent convolution -----------------------------------------------------------------


def conv_numpy(
    x: np.ndarray, W: np.ndarray, b: np.ndarray, *, stride: int = 1,
    padding: int | tuple[int, ...] = 0, circular: bool = False,
) -> np.ndarray:  # fmt: skip
    """Cross-correlation of x (C, N) or (C, H, W) with W (O, C, K...), by loops over windows."""
    spatial = x.ndim - 1
    pads = (padding,) * spatial if isinstance(padding, int) else padding
    pad = [(0, 0)] + [(p, p) for p in pads]
    xp = np.pad(x, pad, mode="wrap" if circular else "constant")
    kernel = W.shape[2:]
    out_len = [(xp.shape[1 + a] - kernel[a]) // stride + 1 for a in range(spatial)]
    out = np.zeros((W.shape[0], *out_len), dtype=object)
    for o in range(W.shape[0]):
        for pos in itertools.product(*(range(m) for m in out_len)):
            window = tuple(
                slice(p * stride, p * stride + k) for p, k in zip(pos, kernel, strict=True)
            )
            out[(o, *pos)] = b[o] + (W[o] * xp[(slice(None), *window)]).sum()
    return out


def _params(graph: GraphNetwork, values: dict) -> tuple[np.ndarray, np.ndarray]:
    (node,) = graph.nodes
    W = np.array(node.parameters["W"].tolist(), dtype=object)
    b = np.array(node.parameters["b"].tolist(), dtype=object)
    sub = np.vectorize(lambda e: sp.sympify(e).xreplace(values))
    return sub(W), sub(b)


# --- shift ---------------------------------------------------------------------------------------


def test_circular_shift_is_numpy_roll() -> None:
    rng = np.random.default_rng(3)
    for shape in [(1, 5), (3, 4), (2, 3, 4), (1, 5, 2)]:
        x = rng.integers(-9, 9, size=shape)
        axes = tuple(range(1, len(shape)))
        for offset in itertools.product(range(-6, 7), repeat=len(axes)):
            rolled = np.roll(x, offset, axis=axes)
            assert shift(list(x.ravel()), shape, offset) == list(rolled.ravel())


def test_zero_filled_shift_by_hand() -> None:
    x = [1, 2, 3, 4, 5, 6]
    assert shift(x, (1, 6), 2, boundary=Boundary.ZEROS) == [0, 0, 1, 2, 3, 4]
    assert shift(x, (1, 6), -1, boundary="zeros") == [2, 3, 4, 5, 6, 0]
    assert shift(x, (2, 3), 7, boundary=Boundary.ZEROS) == [0] * 6
    # a 2×3 image, down one row and left one column
    assert shift(x, (1, 2, 3), (1, -1), boundary=Boundary.ZEROS) == [0, 0, 0, 2, 3, 0]
    s = sp.symbols("s0:4")
    assert shift(list(s), (1, 4), 1, boundary=Boundary.ZEROS)[0] is sp.S.Zero


def test_shift_refuses_bad_arguments() -> None:
    with pytest.raises(ValueError, match="do not fill"):
        shift([1, 2, 3], (1, 4), 1)
    with pytest.raises(ValueError, match=r"shape=\(4,\)"):
        shift([1, 2, 3, 4], (4,), 1)
    with pytest.raises(ValueError, match="2 spatial axes"):
        shift([1, 2, 3, 4], (1, 2, 2), (1, 1, 1))
    with pytest.raises(ValueError, match=r"Boundary\.CIRCULAR"):
        shift([1, 2], (1, 2), 1, boundary="wrap")


# --- convolution --------------------------------------------------------------------------------


def _confirm_numerically(check: ShiftCheck, graph: GraphNetwork, rng: random.Random) -> None:
    """At random integer points, f(roll x) against roll f(x) with numpy and conv_numpy."""
    (node,) = graph.nodes
    op = node.operation
    assert isinstance(op, Conv)
    shape = graph.inputs["x"]
    axes = tuple(range(1, len(shape)))
    stride = op.stride if isinstance(op.stride, int) else op.stride[0]
    padding = op.padding
    circular = op.padding_mode.value == "circular"
    for _ in range(5):
        values = {p: sp.Integer(rng.randint(-5, 5)) for p in graph.parameters}
        W, b = _params(graph, values)
        x = np.array([rng.randint(-5, 5) for _ in range(int(np.prod(shape)))]).reshape(shape)
        first = conv_numpy(np.roll(x, check.offset, axis=axes), W, b, stride=stride,
                           padding=padding, circular=circular)  # fmt: skip
        out = conv_numpy(x, W, b, stride=stride, padding=padding, circular=circular)
        last = np.roll(out, check.output_offset, axis=axes)
        assert (first == last).all()


def test_circular_convolution_commutes_with_every_shift_in_1d() -> None:
    rng = random.Random(1)
    op = Conv(2, 3, padding=1, padding_mode="circular")
    graph = GraphNetwork({"x": (1, 5)}, [Node("c", op, "x")])
    for t in range(-5, 6):
        check = check_shift_equivariance(graph, offset=t)
        assert check.holds, t
        assert check.proved, t
        assert check.output_offset == (t,)
        assert check.differing_units == ()
        assert check.counterexample is None
        _confirm_numerically(check, graph, rng)


def test_circular_convolution_commutes_with_shifts_in_2d() -> None:
    rng = random.Random(2)
    square = Conv(2, 3, padding=1, padding_mode="circular")
    tall = Conv(2, (3, 1), padding=(1, 0), padding_mode="circular")  # a 3×1 kernel
    for op in (square, tall):
        graph = GraphNetwork({"x": (2, 4, 5)}, [Node("c", op, "x")])
        for offset in [(1, 0), (0, 1), (2, 3), (-1, 2)]:
            check = check_shift_equivariance(graph, offset=offset)
            assert check.holds, offset
            assert check.proved, offset
            assert check.output_offset == offset
            _confirm_numerically(check, graph, rng)


def test_zero_padding_breaks_equivariance_at_the_border_only() -> None:
    # z_i = w1 x_{i-1} + w2 x_i + w3 x_{i+1} + b with x_{-1} = x_5 = 0.  After a circular shift
    # by 1, output 0 sees (0, x4, x0) instead of z_4's (x3, x4, 0), output 1 sees x4 where z_0
    # had the padding, output 4 the padding where z_3 had x4: units 0, 1, 4 differ (by hand),
    # 2 and 3 agree.
    graph = GraphNetwork({"x": (1, 5)}, [Node("c", Conv(1, 3, padding=1), "x")])
    check = check_shift_equivariance(graph, offset=1)
    assert not check.holds
    assert check.proved
    assert check.differing_units == (0, 1, 4)
    example = check.counterexample
    assert example is not None
    # confirm the counterexample with the independent convolution
    W, b = _params(graph, dict(example.parameters))
    x = np.array(example.inputs, dtype=object).reshape(1, 5)
    first = conv_numpy(np.roll(x, 1, axis=1), W, b, padding=1).ravel()
    last = np.roll(conv_numpy(x, W, b, padding=1), 1, axis=1).ravel()
    assert first[example.unit] == example.shifted_first
    assert last[example.unit] == example.shifted_last
    assert first[example.unit] != last[example.unit]
    assert "at output unit" in str(example)
    assert "**" not in str(check)


def test_zero_padding_with_a_zero_filled_shift_also_fails_at_the_border() -> None:
    # shifting in zeros: output 0 becomes w3 x0 + b, but the shifted output has 0 there
    graph = GraphNetwork({"x": (1, 6)}, [Node("c", Conv(1, 3, padding=1), "x")])
    check = check_shift_equivariance(graph, offset=1, boundary=Boundary.ZEROS)
    assert not check.holds
    assert check.differing_units == (0, 5)  # interior units 1..4 agree (hand: both see x)
    valid = GraphNetwork({"x": (1, 6)}, [Node("c", Conv(1, 3), "x")])
    # without padding the output (4 units) is not the input's length: no u = t/J exists and
    # every output shift is tried
    check = check_shift_equivariance(valid, offset=1)
    assert not check.holds
    assert check.candidates == 4


def test_stride_two_commutes_with_even_shifts_only() -> None:
    # N = 6, K = 3, p = 1 circular, stride 2: 3 outputs, z_i reads positions 2i − 1, 2i, 2i + 1
    graph = GraphNetwork(
        {"x": (1, 6)}, [Node("c", Conv(1, 3, stride=2, padding=1, padding_mode="circular"), "x")]
    )
    rng = random.Random(3)
    for t in (2, 4, -2):
        check = check_shift_equivariance(graph, offset=t)
        assert check.holds
        assert check.proved
        assert check.output_offset == ((t // 2) % 3 if t > 0 else t // 2,)
        _confirm_numerically(check, graph, rng)
    for t in (1, 3, 5):
        check = check_shift_equivariance(graph, offset=t)
        assert not check.holds
        assert check.proved
        assert check.candidates == 3
        example = check.counterexample
        assert example is not None
        # no output shift u matches at the counterexample (numpy, independently)
        W, b = _params(graph, dict(example.parameters))
        x = np.array(example.inputs, dtype=object).reshape(1, 6)
        first = conv_numpy(np.roll(x, t, axis=1), W, b, stride=2, padding=1, circular=True)
        out = conv_numpy(x, W, b, stride=2, padding=1, circular=True)
        assert all((first != np.roll(out, u, axis=1)).any() for u in range(3))


def test_an_explicit_output_offset_is_used() -> None:
    op = Conv(1, 3, padding=1, padding_mode="circular")
    wrong = check_shift_equivariance(op, input_shape=(1, 5), offset=1, output_offset=2)
    assert not wrong.holds
    assert wrong.output_offset == (2,)
    right = check_shift_equivariance(op, input_shape=(1, 5), offset=1, output_offset=1)
    assert right.holds


# --- pooling -------------------------------------------------------------------------------------


def _conv_then(pool: object, length: int = 5) -> GraphNetwork:
    return GraphNetwork(
        {"x": (1, length)},
        [
            Node("c", Conv(1, 3, padding=1, padding_mode="circular", activation="relu"), "x"),
            Node("g", pool, "c"),  # type: ignore[arg-type]
        ],
    )


def test_global_pooling_over_a_circular_convolution_is_invariant() -> None:
    for pool in (AvgPool(5), MaxPool(5)):
        graph = _conv_then(pool)
        for t in range(1, 5):
            check = check_shift_invariance(graph, offset=t)
            assert check.holds, (pool, t)
            assert check.proved, (pool, t)
            assert check.property is ShiftProperty.INVARIANCE
    # numerically: the mean and the max of a circular convolution ignore np.roll
    rng = np.random.default_rng(0)
    W, b = rng.integers(-3, 4, size=(1, 1, 3)), np.array([1])
    x = rng.integers(-5, 6, size=(1, 5))
    for t in range(5):
        z = np.maximum(conv_numpy(np.roll(x, t, axis=1), W, b, padding=1, circular=True), 0)
        z0 = np.maximum(conv_numpy(x, W, b, padding=1, circular=True), 0)
        assert z.sum() == z0.sum()
        assert z.max() == z0.max()


def test_global_pooling_over_a_zero_padded_convolution_is_not_invariant() -> None:
    conv = Node("c", Conv(1, 3, padding=1), "x")
    graph = GraphNetwork({"x": (1, 5)}, [conv, Node("g", AvgPool(5), "c")])
    check = check_shift_invariance(graph, offset=1)
    assert not check.holds
    assert check.proved
    example = check.counterexample
    assert example is not None
    W, b = _params(GraphNetwork({"x": (1, 5)}, [conv]), dict(example.parameters))
    x = np.array(example.inputs, dtype=object).reshape(1, 5)
    shifted = conv_numpy(np.roll(x, 1, axis=1), W, b, padding=1).mean()
    plain = conv_numpy(x, W, b, padding=1).mean()
    assert shifted == example.shifted_first
    assert plain == example.shifted_last
    assert shifted != plain


def test_local_pooling_is_not_invariant_but_equivariant_to_whole_windows() -> None:
    check = check_shift_invariance(MaxPool(2), input_shape=(1, 4), offset=1)
    assert not check.holds
    assert check.proved
    example = check.counterexample
    assert example is not None
    x = np.array(example.inputs, dtype=object)
    before = x.reshape(2, 2).max(axis=1)
    after = np.roll(x, 1).reshape(2, 2).max(axis=1)
    assert before[example.unit] == example.shifted_last
    assert after[example.unit] == example.shifted_first != example.shifted_last
    # a shift by the window moves the pooled outputs by one: equivariance with u = t/k
    whole = check_shift_equivariance(MaxPool(2), input_shape=(1, 6), offset=2)
    assert whole.holds
    assert whole.output_offset == (1,)
    average = check_shift_equivariance(AvgPool((2, 2)), input_shape=(1, 4, 4), offset=(2, 0))
    assert average.holds
    assert average.output_offset == (1, 0)


def _pooled(x: np.ndarray, k: int) -> np.ndarray:
    return x.reshape(x.shape[0], -1, k).max(axis=2)


def test_max_pool_shift_against_brute_force() -> None:
    # every input in {0, 1}^6 with windows of 2 and 3, and in {0, 1, 2}^4 with windows of 2;
    # shifts 1 and 2, both boundaries
    not_sufficient = not_necessary = 0
    cases = [(v, k) for v in itertools.product(range(2), repeat=6) for k in (2, 3)]
    cases += [(v, 2) for v in itertools.product(range(3), repeat=4)]
    for values, k in cases:
        n = len(values)
        x = np.array(values).reshape(1, n)
        for t, boundary in itertools.product((1, 2), Boundary):
            if boundary is Boundary.CIRCULAR:
                moved = np.roll(x, t, axis=1)
            else:
                moved = np.concatenate([np.zeros((1, t), dtype=int), x[:, :-t]], axis=1)
            report = max_pool_shift(list(values), (1, n), k, t, boundary=boundary)
            before, after = _pooled(x, k).ravel(), _pooled(moved, k).ravel()
            assert [w.before for w in report.windows] == list(before)
            assert [w.after for w in report.windows] == list(after)
            assert report.invariant == bool((before == after).all())
            for j, w in enumerate(report.windows):
                window = moved[0, j * k : (j + 1) * k]
                kept = before[j] in window
                larger = bool((window > before[j]).any())
                assert (w.maximum_kept, w.larger_entered) == (kept, larger)
                # the precise statement: unchanged exactly when kept and nothing larger came in
                assert w.unchanged == (kept and not larger)
                # the maximal position stays: some q in the window with x_q = max and q + t in it
                stays = any(
                    x[0, q] == before[j] and j * k <= q + t < (j + 1) * k
                    for q in range(j * k, (j + 1) * k)
                )
                if boundary is Boundary.CIRCULAR:
                    stays = any(
                        x[0, q] == before[j] and j * k <= (q + t) % n < (j + 1) * k
                        for q in range(j * k, (j + 1) * k)
                    )
                assert w.maximizer_stays == stays
                not_sufficient += stays and not w.unchanged
                not_necessary += w.unchanged and not stays
    # the textbook condition alone is neither sufficient nor necessary
    assert not_sufficient > 0
    assert not_necessary > 0


def test_max_pool_shift_examples_by_hand() -> None:
    # the 1 leaves its window; 5 stays in window 1 but another 5 enters window 2
    left = max_pool_shift([0, 1, 0, 0], (1, 4), 2, 1)
    assert [(w.before, w.after) for w in left.windows] == [(1, 0), (0, 1)]
    assert not left.invariant
    assert len(left.changed) == 2
    entered = max_pool_shift([5, 5, 1, 0], (1, 4), 2, 1)
    second = entered.windows[1]
    assert second.maximizer_stays
    assert second.larger_entered
    assert not second.unchanged
    # (0, 5, 0, 5) → (5, 0, 5, 0): each window's 5 leaves, another 5 comes in: unchanged
    swapped = max_pool_shift([0, 5, 0, 5], (1, 4), 2, 1)
    assert swapped.invariant
    assert not any(w.maximizer_stays for w in swapped.windows)
    # 2-D, two channels: the 3 of channel 2 moves down a row and stays in its 2×2 window
    image = [0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0]
    report = max_pool_shift(image, (2, 2, 4), 2, (1, 0), boundary=Boundary.ZEROS)
    assert report.invariant
    assert report.windows[2].unit == (1, 0, 0)
    assert report.windows[2].maximizer_stays
    moved = max_pool_shift(image, (2, 2, 4), 2, (0, 2), boundary=Boundary.ZEROS)
    assert [w.unit for w in moved.changed] == [(1, 0, 0), (1, 0, 1)]


def test_max_pool_shift_refuses_inexact_values() -> None:
    with pytest.raises(TypeError, match="values"):
        max_pool_shift([0.5, 1, 0, 0], (1, 4), 2, 1)
    with pytest.raises(ValueError, match="does not fit"):
        max_pool_shift([0, 1], (1, 2), 3, 1)


# --- the referee decides when no readable point does ------------------------------------------


def test_the_referee_decides_when_the_readable_points_do_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(equivariance, "_points", lambda *args: [])
    zeros = check_shift_equivariance(Conv(1, 3, padding=1), input_shape=(1, 5))
    assert not zeros.holds
    assert zeros.proved
    example = zeros.counterexample
    assert example is not None
    graph = GraphNetwork({"x": (1, 5)}, [Node("conv", Conv(1, 3, padding=1), "x")])
    W, b = _params(graph, dict(example.parameters))
    x = np.array(example.inputs, dtype=object).reshape(1, 5)
    first = conv_numpy(np.roll(x, 1, axis=1), W, b, padding=1).ravel()[example.unit]
    last = np.roll(conv_numpy(x, W, b, padding=1), 1, axis=1).ravel()[example.unit]
    assert (first, last) == (example.shifted_first, example.shifted_last)
    assert first != last
    # two sides that are equal but not written alike: the referee's symbolic step proves it
    monkeypatch.setattr(equivariance, "_same", lambda a, b: False)
    circular = check_shift_equivariance(
        Conv(1, 3, padding=1, padding_mode="circular"), input_shape=(1, 5)
    )
    assert circular.holds
    assert circular.proved
    assert "symbolic" in circular.method


# --- errors ---------------------------------------------------------------------------------------


def test_bad_networks_are_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match="input_shape"):
        check_shift_equivariance(Conv(1, 3))
    graph = GraphNetwork({"x": (1, 4)}, [Node("c", Conv(1, 3), "x")])
    with pytest.raises(ValueError, match="only with an operation"):
        check_shift_equivariance(graph, input_shape=(1, 4))
    two = GraphNetwork({"x": 3, "u": 3}, [Node("d", Dense(2), "x"), Node("e", Dense(2), "u")])
    with pytest.raises(ValueError, match="one input"):
        check_shift_invariance(two)
    dense = GraphNetwork({"x": (1, 4)}, [Node("d", Dense(2), "x")])
    with pytest.raises(ValueError, match="spatial axes"):
        check_shift_equivariance(dense)
    with pytest.raises(TypeError, match="GraphNetwork or an Operation"):
        check_shift_invariance("conv")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="is for equivariance"):
        equivariance._decide(graph, 1, Boundary.CIRCULAR, ShiftProperty.INVARIANCE, 1, 0)


def test_a_maximum_of_maxima_is_the_same_maximum() -> None:
    # substituting a shift re-evaluates Max(Max(0, a), Max(0, b)) into Max(0, a, b): both sides
    # are one maximum, and the check must see it whatever the order SymPy stored
    from symdl.architectures.equivariance import _same

    a, b, c = sp.symbols("a b c", real=True)
    nested = sp.Max(sp.Max(0, a, evaluate=False), sp.Max(0, b, evaluate=False), evaluate=False)
    assert _same(nested, sp.Max(b, 0, a))
    assert not _same(nested, sp.Max(0, a, c))
