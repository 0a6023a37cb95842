r"""Receptive fields of stacked convolutions and poolings

A stack of :math:`L` convolution or pooling layers, layer :math:`l` with kernel :math:`k_l`,
stride :math:`s_l` and padding :math:`p_l` on an axis (dilation 1), gives output position
:math:`u` the window of input positions from :math:`uJ + a` to :math:`uJ + a + r - 1`, where

.. math::

    r = 1 + \sum_{l=1}^{L} (k_l - 1) \prod_{i=1}^{l-1} s_i, \qquad
    J = \prod_{l=1}^{L} s_l, \qquad
    a = -\sum_{l=1}^{L} p_l \prod_{i=1}^{l-1} s_i.

Proved by induction on :math:`L`: the window of a window is a window, with the update
:math:`r \mapsto r + (k - 1)J`, :math:`a \mapsto a - pJ`, :math:`J \mapsto sJ` (symbolic), and
the closed forms agree with the update and with the recurrence
:math:`r_{l-1} = s_l r_l + k_l - s_l`, :math:`r_L = 1`, for symbolic kernels, strides and
paddings of up to 8 layers.  When every :math:`k_l \ge s_l` and no window reaches the
padding, an output depends on every input position of its window and on no other: the free
symbols of the symbolic output of a graph network are exactly the window, for random stacks of
convolutions and poolings with strides, in 1-D and 2-D; with padding, or a stride above its
kernel, they are the positions found by following the indices through the layers.

AlexNet's first convolution (11×11, stride 4) and max pooling (3×3, stride 2) see 19×19 pixels,
195×195 after its fifth pooling; VGG-16 sees 212×212.  Three stacked 3×3 convolutions of
stride 1 see 7×7 with :math:`3 \cdot 3^2 C^2 = 27C^2` weights for :math:`C` channels in and
out, against :math:`7^2 C^2 = 49C^2` for one 7×7 convolution; two see 5×5 with :math:`18C^2`
against :math:`25C^2`.

References: A. Araujo, W. Norris, J. Sim, "Computing receptive fields of convolutional neural
networks", Distill (2019), section "Single-path networks"; K. Simonyan, A. Zisserman, "Very
deep convolutional networks for large-scale image recognition", ICLR 2015, section 2.3;
A. Krizhevsky, I. Sutskever, G. E. Hinton, "ImageNet classification with deep convolutional
neural networks", NeurIPS 2012, section 3.4.
"""

from __future__ import annotations

import random

import sympy as sp

from symdl.architectures.receptive_fields import (
    input_units,
    receptive_field,
    stacked_versus_single,
)
from symdl.core.graph import GraphNetwork, Node
from symdl.core.graph_operations import AvgPool, Conv, MaxPool

u, k, s, p = sp.symbols("u k s p", integer=True)
J, a, r = sp.symbols("J a r", integer=True)


def lemma_the_window_of_a_window_is_a_window() -> None:
    """Induction step: a layer (k, s, p) on top of a stack with window [vJ + a, vJ + a + r − 1].

    Output u of the new layer reads positions v = us − p, …, us − p + k − 1 of the stack's
    output; their windows cover [(us − p)J + a, (us − p + k − 1)J + a + r − 1] (consecutive
    windows overlap or touch when r ≥ J), which is [u(sJ) + (a − pJ), … + (r + (k − 1)J) − 1].
    """
    first, last = (u * s - p) * J + a, (u * s - p + k - 1) * J + a + r - 1
    new_jump, new_start, new_size = s * J, a - p * J, r + (k - 1) * J
    assert sp.expand(first - (u * new_jump + new_start)) == 0
    assert sp.expand(last - (u * new_jump + new_start + new_size - 1)) == 0
    # consecutive windows of the stack leave no gap: r ≥ J whenever every k_l ≥ s_l (by
    # induction: r + (k − 1)J ≥ J + (s − 1)J = sJ)
    assert sp.expand((r + (k - 1) * J) - s * J - ((r - J) + (k - s) * J)) == 0


def lemma_closed_form_solves_the_update_and_the_recurrence() -> None:
    """For L = 1, …, 8 with symbolic k_l, s_l, p_l: exact polynomial identities."""
    ks = sp.symbols("k1:9", integer=True, positive=True)
    ss = sp.symbols("s1:9", integer=True, positive=True)
    ps = sp.symbols("p1:9", integer=True, nonnegative=True)
    for L in range(1, 9):
        size, jump, start = sp.Integer(1), sp.Integer(1), sp.Integer(0)
        for l in range(L):  # the update, from the input up
            size, start, jump = size + (ks[l] - 1) * jump, start - ps[l] * jump, jump * ss[l]
        closed_size = 1 + sum((ks[l] - 1) * sp.prod(ss[:l]) for l in range(L))
        closed_start = -sum(ps[l] * sp.prod(ss[:l]) for l in range(L))
        assert sp.expand(size - closed_size) == 0
        assert sp.expand(start - closed_start) == 0
        assert sp.expand(jump - sp.prod(ss[:L])) == 0
        top_down = sp.Integer(1)  # r_L = 1, r_{l-1} = s_l r_l + k_l − s_l
        for l in reversed(range(L)):
            top_down = ss[l] * top_down + ks[l] - ss[l]
        assert sp.expand(top_down - closed_size) == 0


def lemma_receptive_field_agrees_with_the_closed_form() -> None:
    """receptive_field on random concrete stacks, against the closed form evaluated here."""
    rng = random.Random(2019)
    for _ in range(100):
        layers = [
            (rng.randint(1, 7), rng.randint(1, 4), rng.randint(0, 3))
            for _ in range(rng.randint(1, 6))
        ]
        rf = receptive_field(layers)
        product = 1
        size, start = 1, 0
        for kernel, stride, padding in layers:
            size += (kernel - 1) * product
            start -= padding * product
            product *= stride
        assert (rf.size, rf.jump, rf.start) == ((size,), (product,), (start,))


def lemma_alexnet_and_vgg() -> None:
    """AlexNet: 11 then 19 (3×3 pooling of stride 2 at jump 4), …, 195; VGG-16: 212."""
    alexnet = [
        Conv(96, 11, stride=4),
        MaxPool(3, stride=2),
        Conv(256, 5, padding=2),
        MaxPool(3, stride=2),
        Conv(384, 3, padding=1),
        Conv(384, 3, padding=1),
        Conv(256, 3, padding=1),
        MaxPool(3, stride=2),
    ]
    assert receptive_field(alexnet[:2], axes=2).size == (19, 19)
    assert receptive_field(alexnet, axes=2).size == (195, 195)
    vgg16: list[object] = []
    for convs in (2, 2, 3, 3, 3):
        vgg16 += [Conv(64, 3, padding=1)] * convs + [MaxPool(2)]
    assert receptive_field(vgg16, axes=2).size == (212, 212)
    assert receptive_field(vgg16).jump == (32,)


def lemma_vgg_stacked_small_kernels() -> None:
    """Three 3×3 see 7×7 with 27C² weights against 49C²; two see 5×5 with 18C² against 25C²."""
    C = sp.Symbol("C", positive=True, integer=True)
    three, two = stacked_versus_single(3, 3, channels=C), stacked_versus_single(2, 3, channels=C)
    assert (three.receptive_field, two.receptive_field) == (7, 5)
    assert sp.expand(three.stacked_weights - 3 * 3**2 * C**2) == 0
    assert sp.expand(three.single_weights - 49 * C**2) == 0
    assert sp.expand(two.stacked_weights - 18 * C**2) == 0
    assert sp.expand(two.single_weights - 25 * C**2) == 0
    # in general n layers of k×k see 1 + n(k − 1) and save weights whenever n ≥ 2, k ≥ 2
    n, kk = sp.symbols("n kk", integer=True, positive=True)
    saving = (1 + n * (kk - 1)) ** 2 - n * kk**2
    for layers in range(2, 6):
        for kernel in range(2, 8):
            assert saving.subs({n: layers, kk: kernel}) > 0
            comparison = stacked_versus_single(layers, kernel, channels=C)
            assert comparison.ratio > 1


def _free_inputs(graph: GraphNetwork) -> list[frozenset[int]]:
    """For each output unit, the input units whose symbols occur in its symbolic value."""
    (name,) = graph.inputs
    position = {x: j for j, x in enumerate(graph.input_symbols(name)[0])}
    return [
        frozenset(position[x] for x in value.free_symbols if x in position)
        for value in graph.forward()[0]
    ]


def _stack(shape: tuple[int, ...], operations: list[object]) -> GraphNetwork:
    nodes, previous = [], "x"
    for index, operation in enumerate(operations):
        nodes.append(Node(f"n{index}", operation, previous))  # type: ignore[arg-type]
        previous = f"n{index}"
    return GraphNetwork({"x": shape}, nodes)


def lemma_free_symbols_are_the_window() -> None:
    """Random stacks (k ≥ s, no padding), 1-D and 2-D: the output's free symbols = the window."""
    rng = random.Random(1989)
    kinds: set[str] = set()
    for trial in range(10):
        two_d = trial % 3 == 2
        length = rng.randint(6, 9) if two_d else rng.randint(8, 16)
        operations: list[object] = []
        n = length
        for _ in range(rng.randint(1, 3)):
            kernel = rng.randint(1, 3)
            stride = rng.randint(1, kernel)
            if n < kernel:
                break
            # SymPy compares the arguments of a max pairwise: max pooling only on the input
            maker = rng.choice([Conv, MaxPool, AvgPool] if not operations else [Conv, AvgPool])
            operations.append(
                Conv(1, kernel, stride=stride) if maker is Conv else maker(kernel, stride=stride)
            )
            n = (n - kernel) // stride + 1
        if not operations:
            continue
        shape = (1, length, length) if two_d else (1, length)
        graph = _stack(shape, operations)
        kinds |= {node.operation.kind for node in graph.nodes}
        rf = receptive_field(graph)
        out_len = graph.shapes[graph.output][1:]
        free = _free_inputs(graph)
        for unit in range(len(free)):
            place = divmod(unit, out_len[1]) if two_d else (unit,)
            spans = [range(lo, hi + 1) for lo, hi in rf.window(place)]
            window = (
                frozenset(length * i + j for i in spans[0] for j in spans[1])
                if two_d
                else frozenset(spans[0])
            )
            assert free[unit] == window
            assert input_units(graph, unit) == window
    assert kinds == {"conv", "max_pool", "avg_pool"}


def lemma_padding_and_holes_follow_the_indices() -> None:
    """With padding, circular padding, or a stride above its kernel: free symbols = the units
    found by following the indices, inside the window (wrapped around for circular)."""
    rng = random.Random(7)
    for _ in range(8):
        length = rng.randint(5, 10)
        operations: list[object] = []
        n = length
        for _ in range(rng.randint(1, 3)):
            kernel, stride = rng.randint(1, 3), rng.randint(1, 3)
            padding = rng.randint(0, kernel // 2)
            if (n + 2 * padding - kernel) // stride + 1 < 1:
                break
            mode = rng.choice(["zeros", "circular"])
            operations.append(Conv(1, kernel, stride=stride, padding=padding, padding_mode=mode))
            n = (n + 2 * padding - kernel) // stride + 1
        if not operations:
            continue
        graph = _stack((1, length), operations)
        rf = receptive_field(graph)
        free = _free_inputs(graph)
        for unit in range(n):
            ((lo, hi),) = rf.window(unit)
            wrapped = frozenset(q % length for q in range(lo, hi + 1))
            found = input_units(graph, unit)
            assert free[unit] == found
            assert found <= wrapped
    # the hole: a 1×1 kernel of stride 2 under a 3-window sees 0, 2, 4 of the window 0..4
    holes = _stack((1, 7), [Conv(1, 1, stride=2), AvgPool(3, stride=1)])
    assert receptive_field(holes).window(0) == ((0, 4),)
    assert _free_inputs(holes)[0] == frozenset({0, 2, 4})
