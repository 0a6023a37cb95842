"""Receptive fields: the closed form against hand counts from the literature, a top-down
recurrence, index following, and the free symbols of symbolic graph networks."""

from __future__ import annotations

import random

import pytest
import sympy as sp

from symdl.architectures.receptive_fields import (
    LayerWindow,
    input_units,
    layer_windows,
    receptive_field,
    stacked_versus_single,
)
from symdl.core.graph import GraphNetwork, Node
from symdl.core.graph_operations import (
    Activation,
    Add,
    AvgPool,
    Conv,
    Dense,
    MaxPool,
    PaddingMode,
)

# --- the closed form against counts by hand ----------------------------------------------------


def test_alexnet_first_layers_see_19_pixels() -> None:
    # conv1: 11×11, stride 4 → r = 11, jump 4; then 3×3 max pooling of stride 2:
    # r = 11 + (3 − 1)·4 = 19, jump 4·2 = 8 (counted by hand)
    rf = receptive_field([Conv(96, 11, stride=4), MaxPool(3, stride=2)], axes=2)
    assert rf.size == (19, 19)
    assert rf.jump == (8, 8)
    assert rf.start == (0, 0)
    assert str(rf) == "receptive field 19×19, jump 8×8, start 0×0"
    assert rf.latex() == r"r = 1 + 10 \cdot 1 + 2 \cdot 4 = 19"


def test_alexnet_whole_feature_extractor() -> None:
    # Each layer adds (k − 1)·(jump so far), by hand:
    # conv1 11/s4: 1+10 = 11 (jump 4); pool 3/s2: 11+2·4 = 19 (jump 8); conv2 5: 19+4·8 = 51;
    # pool: 51+2·8 = 67 (jump 16); conv3, conv4, conv5 3×3: 67+32 = 99, 131, 163;
    # pool5: 163+2·16 = 195 (jump 32)
    layers = [
        Conv(96, 11, stride=4),
        MaxPool(3, stride=2),
        Conv(256, 5, padding=2),
        MaxPool(3, stride=2),
        Conv(384, 3, padding=1),
        Conv(384, 3, padding=1),
        Conv(256, 3, padding=1),
        MaxPool(3, stride=2),
    ]
    sizes = [receptive_field(layers[:n]).size[0] for n in range(1, len(layers) + 1)]
    assert sizes == [11, 19, 51, 67, 99, 131, 163, 195]
    rf = receptive_field(layers)
    assert rf.jump == (32,)
    # padding 2 at jump 8, then 1 at jump 16, three times: −(16 + 48) = −64
    assert rf.start == (-64,)


def test_vgg16_receptive_field_is_212() -> None:
    # five blocks of 3×3 convolutions (2, 2, 3, 3, 3 of them, padding 1), each followed by a
    # 2×2 max pooling; by hand: 5, 6, 14, 16, 40, 44, 92, 100, 196, 212
    layers: list[object] = []
    expected = []
    for convs in (2, 2, 3, 3, 3):
        layers.extend([Conv(64, 3, padding=1)] * convs)
        expected.append(len(layers))
        layers.append(MaxPool(2))
        expected.append(len(layers))
    sizes = [receptive_field(layers[:n]).size[0] for n in expected]
    assert sizes == [5, 6, 14, 16, 40, 44, 92, 100, 196, 212]
    assert receptive_field(layers).jump == (32,)


def _recurrence(pairs: list[tuple[int, int]]) -> int:
    """The top-down recurrence r_{l-1} = s_l r_l + (k_l − s_l), r_L = 1."""
    r = 1
    for k, s in reversed(pairs):
        r = s * r + (k - s)
    return r


def test_closed_form_matches_the_recurrence_on_random_stacks() -> None:
    rng = random.Random(17)
    for _ in range(200):
        pairs = [(rng.randint(1, 7), rng.randint(1, 4)) for _ in range(rng.randint(1, 8))]
        rf = receptive_field(pairs)
        assert rf.size == (_recurrence(pairs),)
        jump = 1
        for _, s in pairs:
            jump *= s
        assert rf.jump == (jump,)


def test_per_axis_kernels_and_strides() -> None:
    # axis 1: k = 3 then 2 (stride 2 first): 1 + 2 + 1·2 = 5; axis 2: k = 5, 1: 1 + 4 + 0 = 5
    rf = receptive_field([((3, 5), (2, 1)), ((2, 1), (1, 1))])
    assert rf.size == (5, 5)
    assert rf.jump == (2, 1)
    assert receptive_field([Conv(1, (3, 1), stride=(1, 2)), AvgPool((2, 2))]).size == (4, 3)


def test_window_of_an_output_position() -> None:
    # Conv(3, padding 1), MaxPool(2), Conv(3, padding 1): r = 1 + 2 + 1 + 2·2 = 8, jump 2,
    # start −(1 + 1·2) = −3; output 4 sees [4·2 − 3, 4·2 − 3 + 7] = [5, 12]
    rf = receptive_field([Conv(4, 3, padding=1), MaxPool(2), Conv(4, 3, padding=1)])
    assert (rf.size, rf.jump, rf.start) == ((8,), (2,), (-3,))
    assert rf.window(4) == ((5, 12),)
    assert rf.window(0) == ((-3, 4),)


# --- the VGG argument ---------------------------------------------------------------------------


def test_vgg_stacks_against_one_large_kernel() -> None:
    C = sp.Symbol("C", positive=True, integer=True)
    three = stacked_versus_single(3, 3, channels=C)
    assert three.receptive_field == 7
    assert sp.expand(three.stacked_weights - 27 * C**2) == 0  # 3·(3²C²)
    assert sp.expand(three.single_weights - 49 * C**2) == 0  # 7²C²
    assert three.ratio == sp.Rational(49, 27)
    assert round(float(three.ratio - 1) * 100) == 81  # "81% more" (section 2.3)
    assert three.nonlinearities == (3, 1)
    two = stacked_versus_single(2, 3, channels=C)
    assert two.receptive_field == 5
    assert sp.expand(two.stacked_weights - 18 * C**2) == 0
    assert sp.expand(two.single_weights - 25 * C**2) == 0
    assert str(three) == (
        "3 stacked 3×3 convolutions see 7×7 with 27C² weights; one 7×7 convolution has 49C²"
    )
    assert "**" not in str(three)


def test_vgg_weight_counts_match_the_graph_parameters() -> None:
    # C = 2 channels on a 1×9×9 image lifted to 2 channels first by a 1×1 convolution that is
    # left out of the count: 3 convolutions of 2·2·3·3 = 36 weights and 2 biases each
    C = 2
    layers = [Node("lift", Conv(C, 1), "x")]
    previous = "lift"
    for k in range(1, 4):
        layers.append(Node(f"c{k}", Conv(C, 3), previous))
        previous = f"c{k}"
    stack = GraphNetwork({"x": (1, 9, 9)}, layers)
    lift = 1 * C * 1 + C
    assert stack.parameter_count - lift == 3 * (36 + C)
    assert stacked_versus_single(3, 3, channels=C).stacked_weights == 3 * 36
    single = GraphNetwork({"x": (C, 9, 9)}, [Node("big", Conv(C, 7), "x")])
    assert single.parameter_count == 7 * 7 * C * C + C
    assert stacked_versus_single(3, 3, channels=C).single_weights == 7 * 7 * C * C


# --- the dependency set: index following, free symbols, the formula -----------------------------


def _dependencies(graph: GraphNetwork, unit: int) -> frozenset[int]:
    """The input units whose symbols occur in the symbolic output unit."""
    (name,) = graph.inputs
    position = {s: k for k, s in enumerate(graph.input_symbols(name)[0])}
    free = graph.forward()[0][unit].free_symbols
    return frozenset(position[s] for s in free if s in position)


def _random_stack(rng: random.Random, length: int) -> list[tuple[str, object]]:
    """Convolutions and poolings with k ≥ s (no holes) that fit a 1-D input of ``length``."""
    ops: list[tuple[str, object]] = []
    n = length
    for index in range(rng.randint(1, 3)):
        kind = rng.choice(["conv", "max", "avg"])
        k = rng.randint(1, 3)
        s = rng.randint(1, k)
        if n < k:
            break
        if kind == "conv":
            op: object = Conv(1, k, stride=s)
        elif kind == "max":
            op = MaxPool(k, stride=s)
        else:
            op = AvgPool(k, stride=s)
        ops.append((f"n{index}", op))
        n = (n - k) // s + 1
    return ops


def _graph(shape: tuple[int, ...], ops: list[tuple[str, object]]) -> GraphNetwork:
    nodes, previous = [], "x"
    for name, op in ops:
        nodes.append(Node(name, op, previous))  # type: ignore[arg-type]
        previous = name
    return GraphNetwork({"x": shape}, nodes)


def test_free_symbols_equal_the_window_on_random_stacks() -> None:
    rng = random.Random(2019)
    checked = 0
    for _ in range(12):
        length = rng.randint(6, 14)
        ops = _random_stack(rng, length)
        if not ops:
            continue
        graph = _graph((1, length), ops)
        rf = receptive_field(graph)
        outputs = len(graph.forward()[0])
        for unit in range(outputs):
            ((first, last),) = rf.window(unit)
            window = frozenset(range(first, last + 1))
            assert window <= frozenset(range(length))  # no padding: inside the input
            assert _dependencies(graph, unit) == window, (ops, unit)
            assert input_units(graph, unit) == window
            checked += 1
    assert checked > 20


def test_free_symbols_equal_the_window_in_2d_with_strides() -> None:
    # 8×8 image: 2×2 max pooling (4×4), then a 2×2 convolution of stride 2 (2×2):
    # r = 1 + 1·1 + 1·2 = 4, jump 2·2 = 4; output (i, j) sees rows and columns 4i … 4i + 3
    graph = _graph((1, 8, 8), [("p", MaxPool(2)), ("c", Conv(1, 2, stride=2))])
    rf = receptive_field(graph)
    assert (rf.size, rf.jump) == ((4, 4), (4, 4))
    for unit, (i, j) in enumerate([(0, 0), (0, 1), (1, 0), (1, 1)]):
        expected = frozenset(
            8 * a + b for a in range(4 * i, 4 * i + 4) for b in range(4 * j, 4 * j + 4)
        )
        assert _dependencies(graph, unit) == expected
        assert input_units(graph, unit) == expected
    # and a 3×3 convolution of stride 2 on a 7×7 image (3×3): r = 3, jump 2
    conv = _graph((1, 7, 7), [("c", Conv(1, 3, stride=2))])
    assert _dependencies(conv, 4) == frozenset(7 * a + b for a in (2, 3, 4) for b in (2, 3, 4))
    assert input_units(conv, 4) == _dependencies(conv, 4)


def test_a_convolution_reads_every_channel_and_a_pooling_its_own() -> None:
    pooled = _graph((2, 6), [("p", AvgPool(3))])
    # output unit 2 is channel 1 (0-based), window 0: units 6, 7, 8 of the flat input
    assert _dependencies(pooled, 2) == input_units(pooled, 2) == frozenset({6, 7, 8})
    mixed = _graph((2, 6), [("c", Conv(3, 2, stride=2))])
    # output unit 4 = channel 1, position 1: positions 2, 3 of both input channels
    assert _dependencies(mixed, 4) == input_units(mixed, 4) == frozenset({2, 3, 8, 9})


def test_padding_keeps_only_the_input_positions_and_circular_wraps() -> None:
    zeros = _graph((1, 6), [("c", Conv(1, 3, padding=1))])
    assert receptive_field(zeros).window(0) == ((-1, 1),)
    assert _dependencies(zeros, 0) == input_units(zeros, 0) == frozenset({0, 1})
    circular = _graph((1, 6), [("c", Conv(1, 3, padding=1, padding_mode="circular"))])
    assert _dependencies(circular, 0) == input_units(circular, 0) == frozenset({5, 0, 1})
    assert layer_windows(circular)[0].padding_mode is PaddingMode.CIRCULAR


def test_padding_and_unread_positions_shrink_the_dependency_set() -> None:
    # conv 3 stride 2 on 10 positions reads 0..8 (position 9 never); a 3-conv with padding 1
    # above it: output 3 has the window [3·2 − 2, 3·2 − 2 + 6] = [4, 10], but depends on 4..8
    graph = _graph((1, 10), [("a", Conv(1, 3, stride=2)), ("b", Conv(1, 3, padding=1))])
    assert receptive_field(graph).window(3) == ((4, 10),)
    assert _dependencies(graph, 3) == input_units(graph, 3) == frozenset(range(4, 9))


def test_a_stride_larger_than_the_kernel_leaves_holes() -> None:
    # 1×1 kernel of stride 2, then a 3-window: the window [0, 4] but only 0, 2, 4 are read
    graph = _graph((1, 7), [("a", Conv(1, 1, stride=2)), ("b", AvgPool(3, stride=1))])
    assert receptive_field(graph).window(0) == ((0, 4),)
    assert _dependencies(graph, 0) == input_units(graph, 0) == frozenset({0, 2, 4})


def test_random_stacks_with_padding_against_free_symbols() -> None:
    rng = random.Random(5)
    for _ in range(8):
        length = rng.randint(5, 10)
        ops: list[tuple[str, object]] = []
        n = length
        for index in range(rng.randint(1, 3)):
            k, s = rng.randint(1, 3), rng.randint(1, 3)
            p = rng.randint(0, k // 2)
            mode = rng.choice(["zeros", "circular"])
            if (n + 2 * p - k) // s + 1 < 1:
                break
            ops.append((f"c{index}", Conv(1, k, stride=s, padding=p, padding_mode=mode)))
            n = (n + 2 * p - k) // s + 1
        if not ops:
            continue
        graph = _graph((1, length), ops)
        for unit in range(len(graph.forward()[0])):
            assert _dependencies(graph, unit) == input_units(graph, unit), (ops, unit)


def test_activations_keep_the_window() -> None:
    graph = GraphNetwork(
        {"x": (1, 8)},
        [
            Node("c", Conv(1, 3, activation="relu"), "x"),
            Node("r", Activation("tanh"), "c"),
            Node("p", MaxPool(2), "r"),
        ],
    )
    assert receptive_field(graph).size == (4,)
    assert _dependencies(graph, 1) == input_units(graph, 1) == frozenset(range(2, 6))


# --- errors -------------------------------------------------------------------------------------


def test_layers_without_a_window_are_refused_with_the_reason() -> None:
    dense = GraphNetwork({"x": (1, 4)}, [Node("d", Dense(2), "x")])
    with pytest.raises(ValueError, match="mixes every position"):
        receptive_field(dense)
    with pytest.raises(ValueError, match="no window"):
        receptive_field([Dense(3)])
    branches = GraphNetwork(
        {"x": (1, 6)},
        [Node("a", Conv(1, 3, padding=1), "x"), Node("s", Add(), ("x", "a"))],
    )
    with pytest.raises(ValueError, match="single path"):
        receptive_field(branches)


def test_bad_layers_are_named() -> None:
    with pytest.raises(TypeError, match="layer 2"):
        receptive_field([(3, 1), "3x3"])
    with pytest.raises(ValueError, match="kernel=0"):
        receptive_field([(0, 1)])
    with pytest.raises(ValueError, match="disagree"):
        receptive_field([((3, 3), 1), ((3, 3, 3), 1)])
    with pytest.raises(TypeError, match="not an integer"):
        receptive_field([(3.0, 1)])
    with pytest.raises(ValueError, match="output_unit=8"):
        input_units([(3, 1)], 8, input_shape=(1, 10))
    with pytest.raises(ValueError, match="input_shape"):
        input_units([(3, 1)], 0)
    with pytest.raises(ValueError, match="shorter than the kernel"):
        input_units([LayerWindow((5,), (1,))], 0, input_shape=(1, 3))
