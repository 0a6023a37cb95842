"""Exact mutual informations of a quantized representation, and the data-processing inequality.

Oracles: values worked out by hand, the same sums evaluated here in floating point with NumPy,
and mpmath at high precision for the signs.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp

from symdl.core.network import Network
from symdl.optimization.information_bottleneck import (
    MAX_BOTTLENECK_OUTCOMES,
    InformationUnit,
    conditional_mutual_information,
    data_processing_certificate,
    entropy,
    exact_log_sign,
    grouped_joint,
    hidden_layer_labels,
    information_plane_figure,
    information_plane_point,
    mutual_information,
    quantize,
)

R = sp.Rational
BITS, NATS = InformationUnit.BITS, InformationUnit.NATS
log2 = sp.log(2)


def random_joint(rng: np.random.Generator, rows: int, columns: int) -> list[list[sp.Rational]]:
    weights = rng.integers(0, 7, size=(rows, columns))
    weights[0, 0] += 1  # never all zero
    total = int(weights.sum())
    return [[R(int(w), total) for w in row] for row in weights]


def float_information(joint: list[list[sp.Rational]]) -> float:
    p = np.array(joint, dtype=float)
    px, py = p.sum(axis=1, keepdims=True), p.sum(axis=0, keepdims=True)
    mask = p > 0
    return float((p[mask] * np.log(p[mask] / (px @ py)[mask])).sum())


def float_grouped(joint: list[list[sp.Rational]], labels: list[int]) -> list[list[float]]:
    names = list(dict.fromkeys(labels))
    rows = [[0.0] * len(joint[0]) for _ in names]
    for label, row in zip(labels, joint, strict=True):
        for j, p in enumerate(row):
            rows[names.index(label)][j] += float(p)
    return rows


# --- values by hand ---------------------------------------------------------------------------


def test_values_by_hand() -> None:
    q = R(1, 8)
    # a uniform bit through a channel flipping it with probability 1/4: 1 - h(1/4)
    # = 1 + 1/4 log₂(1/4) + 3/4 log₂(3/4) = 3/4 log₂ 3 - 1
    bsc = mutual_information([[3 * q, q], [q, 3 * q]])
    assert sp.simplify(bsc - (R(3, 4) * sp.log(3) / log2 - 1)) == 0
    assert mutual_information([[R(1, 2), 0], [0, R(1, 2)]]) == 1  # Y = X, one bit
    assert mutual_information([[R(1, 2), 0], [0, R(1, 2)]], unit=NATS) == log2
    assert mutual_information([[R(1, 6), R(1, 3)], [R(1, 6), R(1, 3)]]) == 0  # independent
    assert entropy([R(1, 2), R(1, 4), R(1, 4)]) == R(3, 2)
    assert entropy([R(1, 3)] * 3, unit=NATS) == sp.log(3)
    assert entropy([1, 0]) == 0
    assert entropy([Fraction(1, 4)] * 4) == 2


def test_a_quantization_by_hand() -> None:
    q = R(1, 8)
    joint = [[q, q], [q, q], [0, 2 * q], [2 * q, 0]]
    names, rows = grouped_joint(joint, ["a", "a", "b", "c"])
    assert names == ("a", "b", "c")
    assert rows == sp.Matrix([[R(1, 4), R(1, 4)], [0, R(1, 4)], [R(1, 4), 0]])
    point = information_plane_point(joint, ["a", "a", "b", "c"])
    # H(T) = H(1/2, 1/4, 1/4) = 3/2; I(T;Y) = H(Y) - H(Y|T) = 1 - 1/2; I(X;Y) = 1 - 1/2
    assert (point.i_xt, point.i_ty, point.i_xy) == (R(3, 2), R(1, 2), R(1, 2))
    assert point.unit is BITS
    assert point.lagrangian(2) == R(1, 2)  # 3/2 - 2 · 1/2
    # merging the two deterministic outcomes loses their half bit
    assert conditional_mutual_information(joint, [0, 0, 1, 1]) == R(1, 2)
    assert conditional_mutual_information(joint, [0, 0, 1, 2]) == 0


@pytest.mark.parametrize("seed", range(6))
def test_mutual_information_agrees_with_floating_point(seed: int) -> None:
    rng = np.random.default_rng(seed)
    rows, columns = int(rng.integers(2, 7)), int(rng.integers(2, 5))
    joint = random_joint(rng, rows, columns)
    nats = mutual_information(joint, unit=NATS)
    assert float(nats) == pytest.approx(float_information(joint), rel=1e-12, abs=1e-14)
    assert float(mutual_information(joint)) == pytest.approx(float(nats) / np.log(2), abs=1e-13)
    labels = [int(v) for v in rng.integers(0, 3, size=rows)]
    point = information_plane_point(joint, labels, unit=NATS)
    grouped = float_grouped(joint, labels)
    assert float(point.i_ty) == pytest.approx(float_information(grouped), abs=1e-13)
    p_t = np.array(grouped).sum(axis=1)
    p_t = p_t[p_t > 0]
    assert float(point.i_xt) == pytest.approx(float(-(p_t * np.log(p_t)).sum()), abs=1e-13)
    # I(X;Y|T) = Σ p(x, y) log(p(y|x)/p(y|t))
    p = np.array(joint, dtype=float)
    names = list(dict.fromkeys(labels))
    gap = 0.0
    for x, row in enumerate(p):
        group = np.array(grouped[names.index(labels[x])])
        for j, value in enumerate(row):
            if value > 0:
                gap += value * np.log((value / row.sum()) / (group[j] / group.sum()))
    assert float(conditional_mutual_information(joint, labels, unit=NATS)) == pytest.approx(
        gap, abs=1e-13
    )


# --- the data-processing inequality ---------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_the_certificate_holds_and_its_terms_are_the_relative_entropies(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    joint = random_joint(rng, 6, 3)
    labels = [int(v) for v in rng.integers(0, 3, size=6)]
    proof = data_processing_certificate(joint, labels, unit=NATS)
    assert proof.identity
    assert proof.holds
    assert float(proof.i_xy) - float(proof.i_ty) == pytest.approx(float(proof.gap), abs=1e-13)
    assert float(proof.i_xy) >= float(proof.i_ty) - 1e-13
    grouped = float_grouped(joint, labels)
    names = list(dict.fromkeys(labels))
    for (t, x, term), sign in zip(proof.terms, proof.term_signs, strict=True):
        row = np.array(joint[x], dtype=float)
        group = np.array(grouped[names.index(t)])
        mask = row > 0
        divergence = (
            row[mask] * np.log((row[mask] / row.sum()) / (group / group.sum())[mask])
        ).sum()
        assert float(term) == pytest.approx(divergence, abs=1e-13)
        assert sign == (0 if abs(divergence) < 1e-12 else 1)


def test_a_sufficient_statistic_loses_nothing() -> None:
    # x₁ and x₂ have the same p(y|x) = (1/3, 2/3): merging them keeps all of I(X;Y)
    joint = [[R(1, 12), R(1, 6)], [R(1, 6), R(1, 3)], [R(1, 4), 0]]
    proof = data_processing_certificate(joint, [0, 0, 1])
    assert proof.lossless
    assert proof.term_signs == (0, 0, 0)
    assert exact_log_sign(proof.i_xy - proof.i_ty) == 0
    lossy = data_processing_certificate(joint, [0, 1, 1])
    assert not lossy.lossless
    assert lossy.holds
    assert lossy.term_signs == (0, 1, 1)


def test_exact_signs_agree_with_high_precision() -> None:
    cases = [
        (R(3, 4) * sp.log(3) / log2 - 1, 1),  # 3³ = 27 > 2⁴ = 16
        (10 * sp.log(2) - sp.log(1000), 1),  # 1024 > 1000
        (sp.log(1000) - 10 * sp.log(2), -1),
        (sp.log(6) - sp.log(2) - sp.log(3), 0),
        (12 * sp.log(3) - 19 * sp.log(2), 1),  # 531441 > 524288
        (sp.log(R(3, 4)) + sp.log(R(4, 3)), 0),
        (R(1, 2) - sp.log(3) / log2 / 3, -1),  # 2^{3/2} < 3
        (sp.Integer(0), 0),
    ]
    for expr, sign in cases:
        assert exact_log_sign(expr) == sign, expr
        value = sp.N(expr, 50)  # the oracle: 50 digits, zero below 10^-40
        assert (0 if abs(value) < 1e-40 else (1 if value > 0 else -1)) == sign


def test_a_sign_with_huge_exponents() -> None:
    # 10⁷ log 3 - 15849625 log 2 ≈ 0.0049 (10⁷ log₂ 3 = 15849625.007...): the integers would
    # have some 4·10⁷ bits, so the sign is decided with interval arithmetic
    expr = 10**7 * sp.log(3) - 15849625 * sp.log(2)
    with mpmath.workdps(40):
        assert 10**7 * mpmath.log(3) - 15849625 * mpmath.log(2) > 0
    assert exact_log_sign(expr) == 1
    assert exact_log_sign(-expr) == -1


def test_exact_signs_refuse_other_expressions() -> None:
    with pytest.raises(ValueError, match="not a rational multiple of log"):
        exact_log_sign(sp.sqrt(2) + sp.log(3))
    with pytest.raises(ValueError, match="not a rational multiple of log"):
        exact_log_sign(sp.log(3) / log2 + sp.log(3))  # bits and nats mixed
    with pytest.raises(ValueError, match="positive rational"):
        exact_log_sign(sp.log(sp.pi))
    with pytest.raises(ValueError, match="not a rational multiple of log"):
        exact_log_sign(sp.sqrt(2) * sp.log(3))
    with pytest.raises(TypeError, match="not rational"):
        exact_log_sign(sp.Float(0.5) * sp.log(3))
    with pytest.raises(TypeError, match="SymPy expression"):
        exact_log_sign("log(2)")  # type: ignore[arg-type]


# --- a quantized layer ------------------------------------------------------------------------


def test_quantize_by_hand() -> None:
    # bins of [0, 3/2] of width 1/2: [0, 1/2), [1/2, 1), [1, 3/2]
    values = [0, R(1, 4), R(1, 2), R(99, 100), 1, R(3, 2)]
    assert quantize(values, bins=3, low=0, high=R(3, 2)) == (0, 0, 1, 1, 2, 2)
    assert quantize(values, bins=1, low=0, high=R(3, 2)) == (0,) * 6
    # tanh(1/2) ≈ 0.4621 lies in the bin [0, 1/2) of [-1, 1] in four bins: bin 2
    assert quantize([sp.tanh(R(1, 2)), -1, sp.tanh(-3)], bins=4, low=-1, high=1) == (2, 0, 0)
    with pytest.raises(ValueError, match="outside"):
        quantize([2], bins=2, low=0, high=1)
    with pytest.raises(ValueError, match="below"):
        quantize([0], bins=2, low=1, high=1)
    with pytest.raises(ValueError, match="bins=0"):
        quantize([0], bins=0, low=0, high=1)
    with pytest.raises(ValueError, match="MAX_BOTTLENECK_OUTCOMES"):
        quantize([0], bins=MAX_BOTTLENECK_OUTCOMES + 1, low=0, high=1)


def test_hidden_layer_labels_by_hand() -> None:
    # h(x) = (ReLU(2x - 1/2), ReLU(3/2 - 2x)) at x = 0, 1/4, 1/2, 3/4:
    # (0, 3/2), (0, 1), (1/2, 1/2), (1, 0); in two bins of [0, 3/2] (edge 3/4)
    net = Network.mlp([1, 2], "relu", weights=[[[2], [-2]]], biases=[[R(-1, 2), R(3, 2)]])
    inputs = [[0], [R(1, 4)], [R(1, 2)], [R(3, 4)]]
    labels = hidden_layer_labels(net, inputs, bins=2, low=0, high=R(3, 2))
    assert labels == ((0, 1), (0, 1), (0, 0), (1, 0))
    deep = Network.mlp([1, 2, 1], ["relu", "identity"], weights=[[[2], [-2]], [[1, -1]]],
                       biases=[[R(-1, 2), R(3, 2)], [0]])  # fmt: skip
    # the output h₁ - h₂ = -3/2, -1, 0, 1 in three bins of [-3/2, 3/2] (edges -1/2, 1/2)
    assert hidden_layer_labels(deep, inputs, layer=2, bins=3, low=R(-3, 2), high=R(3, 2)) == (
        (0,), (0,), (1,), (2,),
    )  # fmt: skip
    with pytest.raises(ValueError, match="free parameters"):
        hidden_layer_labels(Network.mlp([1, 1], "relu"), inputs, bins=2, low=0, high=1)
    with pytest.raises(ValueError, match="layers 1 to 1"):
        hidden_layer_labels(net, inputs, layer=2, bins=2, low=0, high=2)
    with pytest.raises(TypeError, match="non-empty list"):
        hidden_layer_labels(net, [], bins=2, low=0, high=2)


def test_a_finer_quantization_of_a_layer_keeps_more() -> None:
    # the toy problem: X uniform on k/8, P(Y = 1 | x) rising from 0 to 1
    label_one = [0, R(1, 8), R(1, 8), R(1, 4), R(3, 4), R(7, 8), R(7, 8), 1]
    joint = [[R(1, 8) * (1 - q), R(1, 8) * q] for q in label_one]
    net = Network.mlp([1, 2], "relu", weights=[[[2], [-2]]], biases=[[R(-1, 2), R(3, 2)]])
    inputs = [[R(k, 8)] for k in range(8)]
    points = [
        information_plane_point(
            joint, hidden_layer_labels(net, inputs, bins=b, low=0, high=R(3, 2))
        )
        for b in (1, 2, 4, 12)
    ]
    i_xy = float_information(joint) / np.log(2)
    previous = -1.0
    for point in points:
        assert float(point.i_ty) <= i_xy + 1e-12
        assert float(point.i_ty) >= previous - 1e-12
        previous = float(point.i_ty)
    assert float(points[-1].i_ty) == pytest.approx(i_xy, abs=1e-13)
    assert points[-1].i_xt == 3  # the twelve bins separate the eight inputs


def test_the_information_plane_figure() -> None:
    q = R(1, 8)
    joint = [[q, q], [q, q], [0, 2 * q], [2 * q, 0]]
    points = [
        information_plane_point(joint, labels) for labels in ([0] * 4, [0, 0, 1, 2], [0, 1, 2, 3])
    ]
    figure = information_plane_figure(points, names=["1", "3", "4"])
    axes = figure.axes[0]
    assert axes.lines[0].get_xydata().tolist() == [[0.0, 0.0], [1.5, 0.5], [2.0, 0.5]]
    assert axes.lines[1].get_ydata()[0] == 0.5  # the ceiling I(X;Y)
    assert [text.get_text() for text in axes.texts] == ["1", "3", "4"]
    assert axes.get_xlabel() == "$I(X;T)$ (bits)"
    with pytest.raises(TypeError, match="InformationPlanePoint"):
        information_plane_figure([])
    with pytest.raises(ValueError, match="one name per point"):
        information_plane_figure(points, names=["1"])
    other = information_plane_point([[R(1, 2), 0], [0, R(1, 2)]], [0, 1])
    with pytest.raises(ValueError, match="different"):
        information_plane_figure([points[0], other])


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("joint", "error", "match"),
    [
        ([[R(1, 2), R(1, 2)], [R(1, 2), 0]], ValueError, "sum to 3/2"),
        ([[R(3, 2), R(-1, 2)]], ValueError, "negative"),
        ([[0.5, 0.5]], TypeError, "float"),
        ([[R(1, 2)], [R(1, 4), R(1, 4)]], ValueError, "different lengths"),
        ("p", TypeError, "rows p"),
        ([1, 2], TypeError, "rows p"),
        ([[R(1, 257)]] * 257, ValueError, "MAX_BOTTLENECK_OUTCOMES"),
        ([[sp.sqrt(2) / 2, 1 - sp.sqrt(2) / 2]], ValueError, "not a rational"),
    ],
)
def test_bad_joint_distributions_are_refused(joint: object, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        mutual_information(joint)


def test_bad_distributions_for_the_entropy_are_refused() -> None:
    with pytest.raises(ValueError, match="sum to 3/4"):
        entropy([R(1, 2), R(1, 4)])
    with pytest.raises(ValueError, match=r"probabilities\[1\] = -1/2 is negative"):
        entropy([R(3, 2), R(-1, 2)])
    with pytest.raises(TypeError, match="list of exact probabilities"):
        entropy("0.5")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="float"):
        entropy([0.5, 0.5])


def test_bad_labels_and_units_are_refused() -> None:
    joint = [[R(1, 4), R(1, 4)], [R(1, 4), R(1, 4)]]
    with pytest.raises(ValueError, match="one label per row"):
        information_plane_point(joint, [0])
    with pytest.raises(TypeError, match="hashable"):
        information_plane_point(joint, [[0], [1]])
    with pytest.raises(TypeError, match="one label"):
        information_plane_point(joint, "ab")
    with pytest.raises(TypeError, match="InformationUnit"):
        mutual_information(joint, unit="bits")  # type: ignore[arg-type]


def test_every_partition_of_four_outcomes_obeys_data_processing() -> None:
    # all 15 partitions of four outcomes (restricted growth strings), one joint distribution
    joint = [[R(1, 10), R(1, 5)], [R(1, 20), R(1, 20)], [R(3, 10), 0], [R(1, 10), R(1, 5)]]
    exact = float_information(joint)
    count = 0
    for labels in itertools.product(range(4), repeat=4):
        if labels[0] != 0 or any(labels[k] > max(labels[:k]) + 1 for k in range(1, 4)):
            continue
        count += 1
        proof = data_processing_certificate(joint, list(labels))
        assert proof.identity
        assert proof.holds
        assert float(proof.i_ty) * np.log(2) <= exact + 1e-13
        # outcomes 0 and 3 have the same p(y|x): a partition that only merges them is lossless
        merged = {frozenset(k for k in range(4) if labels[k] == t) for t in set(labels)}
        assert proof.lossless == all(len(block) == 1 or block == {0, 3} for block in merged)
    assert count == 15
