"""Exact linear regions against the bounds of Zaslavsky (1975), Montúfar et al. (2014, Th. 4)
and Serra et al. (2018), and against sampling."""

from __future__ import annotations

import io
import itertools
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from symdl.core.activations import get_activation
from symdl.core.exceptions import NotSupportedError
from symdl.core.network import Dense, Network
from symdl.depth.montufar import (
    folding_network,
    general_position_network,
    montufar_lower_bound,
    serra_one_input_maximum,
    zaslavsky_bound,
    zigzag_network,
)
from symdl.depth.regions import (
    activation_regions_1d,
    pieces_1d,
    plot_regions,
    regions_2d,
    regions_in_window,
    sample_patterns_1d,
    sample_patterns_2d,
)

F = Fraction


def random_network(rng: np.random.Generator, sizes: list[int], act: str = "relu") -> Network:
    weights = [
        [[F(int(v), 4) for v in row] for row in rng.integers(-8, 9, size=(b, a))]
        for a, b in itertools.pairwise(sizes)
    ]
    biases = [[F(int(v), 4) for v in rng.integers(-8, 9, size=b)] for b in sizes[1:]]
    acts = [act] * (len(sizes) - 2) + ["identity"]
    return Network.mlp(sizes, acts, weights=weights, biases=biases)


# --- the reference values -------------------------------------------------------------------


def test_bounds_reference_values() -> None:
    assert zaslavsky_bound(4, 2) == 11
    assert montufar_lower_bound([4, 4], 2) == 44
    assert montufar_lower_bound([3, 3], 1) == 12
    assert serra_one_input_maximum([3, 3]) == 16
    assert zaslavsky_bound(5, 3) == 1 + 5 + 10 + 10


def test_one_layer_of_four_in_general_position_has_eleven_regions() -> None:
    regions = regions_2d(general_position_network(4))
    assert len(regions) == 11 == zaslavsky_bound(4, 2)
    for n in (1, 2, 3, 5, 6):
        assert len(regions_2d(general_position_network(n))) == zaslavsky_bound(n, 2)


def test_concurrent_lines_have_fewer_regions() -> None:
    # x1 = 0, x2 = 0, x1 + x2 = 0 and x1 - x2 = 1: three lines through the origin
    W = sp.Matrix([[1, 0], [0, 1], [1, 1], [1, -1]])
    b = sp.Matrix([0, 0, 0, -1])
    net = Network([Dense(W, b, get_activation("relu"))])
    assert len(regions_2d(net)) == 10 < zaslavsky_bound(4, 2)


def test_folding_network_attains_montufar_lower_bound() -> None:
    assert len(regions_2d(folding_network([4, 4]))) >= montufar_lower_bound([4, 4], 2)
    assert len(regions_2d(folding_network([4]))) == montufar_lower_bound([4], 2) == 11
    for widths in ([4, 4], [5, 3], [4, 2, 3]):
        regions = regions_2d(folding_network(widths))
        inside = regions_in_window(regions, (0, 1, 0, 1))
        assert len(inside) == montufar_lower_bound(widths, 2)
        assert sum(r.area() for r in inside) == 1  # the clipped regions tile the square


def test_zigzag_network_attains_serra_maximum_for_one_input() -> None:
    assert activation_regions_1d(zigzag_network([3, 3])) == serra_one_input_maximum([3, 3]) == 16
    assert activation_regions_1d(zigzag_network([3, 3, 3])) == 64
    assert pieces_1d(zigzag_network([3, 3])) == 16
    for widths in ([4], [5, 3], [4, 4], [3, 6, 3]):
        expected = serra_one_input_maximum(widths)
        assert activation_regions_1d(zigzag_network(widths)) == expected
    with pytest.raises(ValueError, match="at least 3"):
        zigzag_network([3, 2])
    # a second layer whose breakpoints leave the folded interval loses regions
    net = zigzag_network([3, 3])
    second = net.layers[1]
    assert isinstance(second, Dense)
    shifted = Dense(second.W, second.b + sp.Matrix([10, 10, 10]), second.activation)
    broken = Network([net.layers[0], shifted, net.layers[2]])
    assert activation_regions_1d(broken) < 16


# --- one input ------------------------------------------------------------------------------


def test_one_input_counts_respect_serra_and_agree_with_sampling(
    rng: np.random.Generator,
) -> None:
    xs = np.linspace(-40, 40, 400_001)
    for _ in range(6):
        net = random_network(rng, [1, 4, 3, 1])
        exact = activation_regions_1d(net)
        assert pieces_1d(net) <= exact <= 5 * 4
        assert sample_patterns_1d(net, xs) <= exact


def test_one_input_sampling_finds_all_well_separated_regions() -> None:
    net = zigzag_network([3, 3])
    assert sample_patterns_1d(net, np.linspace(-5, 5, 200_001)) == 16


# --- two inputs -----------------------------------------------------------------------------


def test_regions_partition_the_box(rng: np.random.Generator) -> None:
    net = random_network(rng, [2, 5, 4, 1])
    regions = regions_2d(net, box=20)
    assert sum(r.area() for r in regions) == 40 * 40
    assert all(r.area() > 0 for r in regions)
    patterns = [r.pattern for r in regions]
    assert len(set(patterns)) == len(patterns)  # one convex region per pattern


def test_regions_agree_with_the_network(rng: np.random.Generator) -> None:
    net = random_network(rng, [2, 4, 3, 1])
    for region in regions_2d(net, box=10):
        x = tuple(sum(v[i] for v in region.vertices) / len(region.vertices) for i in range(2))
        p, q, r = region.output[0]
        assert net.forward(list(x))[0] == sp.Rational(str(p * x[0] + q * x[1] + r))


def test_sampling_never_exceeds_exact_and_matches_when_separated(
    rng: np.random.Generator,
) -> None:
    for sizes in ([2, 4, 1], [2, 4, 4, 1], [2, 3, 3, 1]):
        net = random_network(rng, sizes)
        exact = len(regions_2d(net, box=12))
        assert sample_patterns_2d(net, box=12.0, resolution=300) <= exact
    net = general_position_network(4)
    assert sample_patterns_2d(net, box=40.0, resolution=400) == 11


def test_leaky_relu_regions_equal_relu_regions(rng: np.random.Generator) -> None:
    relu = random_network(rng, [2, 3, 3, 1])
    leaky = Network(
        [
            Dense(layer.W, layer.b, get_activation("leaky_relu"))
            if layer.activation.name == "relu"
            else layer
            for layer in relu.layers
            if isinstance(layer, Dense)
        ]
    )
    # the first layer's lines are the same; later lines may bend differently
    assert sum(r.area() for r in regions_2d(leaky, box=8)) == 16 * 16
    one = Network([relu.layers[0]])
    one_leaky = Network([leaky.layers[0]])
    assert len(regions_2d(one, box=8)) == len(regions_2d(one_leaky, box=8))


def test_bad_input() -> None:
    three = Network.mlp(
        [3, 2, 1],
        ["relu", "identity"],
        weights=[[[1, 0, 0], [0, 1, 0]], [[1, 1]]],
        biases=[[0, 0], [0]],
    )
    with pytest.raises(ValueError, match="3 inputs"):
        regions_2d(three)
    sig = Network.mlp(
        [2, 2, 1],
        ["sigmoid", "identity"],
        weights=[[[1, 0], [0, 1]], [[1, 1]]],
        biases=[[0, 0], [0]],
    )
    with pytest.raises(NotSupportedError, match="sigmoid"):
        regions_2d(sig)
    floats = Network(
        [Dense(sp.Matrix([[sp.Float(0.5), 1]]), sp.zeros(1, 1), get_activation("relu"))]
    )
    with pytest.raises(TypeError, match="FloatConversion"):
        regions_2d(floats)
    with pytest.raises(ValueError, match="positive"):
        regions_2d(general_position_network(2), box=-1)
    with pytest.raises(ValueError, match="widths >= 3"):
        serra_one_input_maximum([2, 3])
    with pytest.raises(ValueError, match="at least 2"):
        montufar_lower_bound([1, 4], 2)
    with pytest.raises(ValueError, match="empty"):
        regions_in_window(regions_2d(general_position_network(2)), (1, 0, 0, 1))
    with pytest.raises(ValueError, match=r"box=0\.0 must be positive"):
        sample_patterns_2d(general_position_network(2), box=0.0, resolution=10)
    with pytest.raises(TypeError, match=r"resolution=10\.5"):
        sample_patterns_2d(general_position_network(2), box=1.0, resolution=10.5)  # type: ignore[arg-type]


def test_region_figure_has_one_patch_per_region() -> None:
    regions = regions_2d(general_position_network(4))
    figure = plot_regions(regions)
    assert len(figure.axes[0].patches) == 11
    with pytest.raises(ValueError, match="no regions to draw"):
        plot_regions([])
    figure.savefig(io.BytesIO(), format="png")


def test_cli_regions_json_npz_and_floats(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from symdl.cli import main

    folder = tmp_path
    spec = {
        "weights": [[[1, 1], [1, 2], [1, 3], [1, 4]], [[1, 1, 1, 1]]],
        "biases": [[-1, -4, "-9", "-32/2"], [0]],
    }
    (folder / "net.json").write_text(json.dumps(spec))
    assert (
        main(["regions", str(folder / "net.json"), "--json", "--plot", str(folder / "r.png")]) == 0
    )
    result = json.loads(capsys.readouterr().out)
    assert result["regions"] == 11 == result["zaslavsky_bound"]
    assert (folder / "r.png").stat().st_size > 0
    np.savez(
        folder / "net.npz",
        W1=np.array([[1], [1], [-1]]),
        b1=np.array([0, -1, 2]),
        W2=np.array([[1, 1, 1]]),
        b2=np.array([0]),
    )
    assert main(["regions", str(folder / "net.npz"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["regions"] == 4
    np.savez(
        folder / "f.npz",
        W1=np.array([[0.5], [1.0]]),
        b1=np.array([0.0, -1.0]),
        W2=np.array([[1.0, 1.0]]),
        b2=np.array([0.0]),
    )
    assert main(["regions", str(folder / "f.npz")]) == 2
    assert "--floats decimal" in capsys.readouterr().out
    assert main(["regions", str(folder / "f.npz"), "--floats", "decimal", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["regions"] == 3
    (folder / "bad.json").write_text(json.dumps({"weights": [[["x"]]], "biases": [[0]]}))
    assert main(["regions", str(folder / "bad.json")]) == 2
    assert "not a number" in capsys.readouterr().out


def test_sampling_finds_exactly_the_regions_holding_a_grid_point(
    rng: np.random.Generator,
) -> None:
    """The float count equals the number of exact regions that contain a grid point."""
    box, resolution = 6, 120
    step = 2 * box / resolution
    axis = -box + step * (np.arange(resolution) + 0.5)
    g1, g2 = np.meshgrid(axis, axis)
    points = np.column_stack([g1.ravel(), g2.ravel()])
    for sizes in ([2, 4, 3, 1], [2, 5, 5, 1]):
        net = random_network(rng, sizes)
        # biases in sevenths (not integers) keep the boundary lines off the grid (twentieths)
        first = net.layers[0]
        assert isinstance(first, Dense)
        shifted = first.b + sp.Matrix([sp.Rational(1, 7)] * first.n_out)
        net = Network([Dense(first.W, shifted, first.activation), *net.layers[1:]])
        regions = regions_2d(net, box=box)
        holding = 0
        for region in regions:
            v = np.array([[float(a), float(b)] for a, b in region.vertices])
            edges = np.roll(v, -1, axis=0) - v
            # counter-clockwise polygon: inside when every edge has the point on its left
            cross = edges[:, 0, None] * (points[None, :, 1] - v[:, 1, None]) - edges[:, 1, None] * (
                points[None, :, 0] - v[:, 0, None]
            )
            inside = np.all(cross > 1e-9, axis=0)
            outside = np.any(cross < -1e-9, axis=0)
            assert np.all(inside | outside)  # no grid point on the region's boundary
            holding += bool(np.any(inside))
        assert sample_patterns_2d(net, box=float(box), resolution=resolution) == holding
        assert holding <= len(regions)


def test_one_input_figure_shades_each_region() -> None:
    from symdl.depth.regions import plot_regions_1d

    figure = plot_regions_1d(zigzag_network([3, 3]))
    assert len(figure.axes[0].patches) == 16  # one span per region
    assert figure.axes[0].get_title().startswith("16 linear regions")
    figure.savefig(io.BytesIO(), format="png")


def test_whole_plane_counts_find_far_away_regions(rng: np.random.Generator) -> None:
    # the second layer's only line is x1 = 1000, far from the first layer's crossing at 0
    far = Network.mlp(
        [2, 2, 1, 1],
        ["relu", "relu", "identity"],
        weights=[[[1, 0], [0, 1]], [[1, 0]], [[1]]],
        biases=[[0, 0], [-1000], [0]],
    )
    assert len(regions_2d(far)) == 6
    assert len(regions_2d(far, box=100)) == 4  # a finite window misses it
    # the plane's count is the count in the returned square, and in any larger one
    for sizes in ([2, 3, 3, 1], [2, 4, 2, 2, 1]):
        net = random_network(rng, sizes)
        regions = regions_2d(net)
        size = max(max(abs(x), abs(y)) for r in regions for x, y in r.vertices)
        assert regions_2d(net, box=size) == regions
        assert len(regions_2d(net, box=10 * size)) == len(regions)


def test_cli_regions_bad_input_names_what_is_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from symdl.cli import main

    three = {"weights": [[[1, 0, 0], [0, 1, 1]], [[1, 1]]], "biases": [[0, 0], [0]]}
    (tmp_path / "three.json").write_text(json.dumps(three))
    assert main(["regions", str(tmp_path / "three.json")]) == 2
    assert "3 inputs" in capsys.readouterr().out
    two = {"weights": [[[1, 0], [0, 1]], [[1, 1]]], "biases": [[0, 0], [0]]}
    (tmp_path / "two.json").write_text(json.dumps(two))
    assert main(["regions", str(tmp_path / "two.json"), "--box", "ten"]) == 2
    assert "--box='ten' is not a number" in capsys.readouterr().out
    assert main(["regions", str(tmp_path / "two.json"), "--box", "-1"]) == 2
    assert "must be positive" in capsys.readouterr().out
    sig = {**two, "activations": ["sigmoid", "identity"]}
    (tmp_path / "sig.json").write_text(json.dumps(sig))
    assert main(["regions", str(tmp_path / "sig.json")]) == 2
    assert "identity, relu, leaky_relu" in capsys.readouterr().out
    assert main(["regions", str(tmp_path / "two.json"), "--box", "5/2", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["regions"] == 4
    (tmp_path / "net.txt").write_text("")
    assert main(["regions", str(tmp_path / "net.txt")]) == 2
    assert "accepted: .json, .npz" in capsys.readouterr().out


def test_maxout_layers_are_counted_in_pieces_but_not_yet_in_regions() -> None:
    from symdl.core.network import Maxout

    identity = get_activation("identity")
    one = Network(
        [
            Maxout((sp.Matrix([[1]]), sp.Matrix([[-1]])), (sp.Matrix([0]), sp.Matrix([0]))),
            Dense(sp.Matrix([[1]]), sp.Matrix([0]), identity),
        ]
    )
    assert pieces_1d(one) == 2  # |x|
    with pytest.raises(NotSupportedError, match=r"Maxout.*Dense"):
        activation_regions_1d(one)
    two = Network(
        [
            Maxout((sp.Matrix([[1, 0]]), sp.Matrix([[0, 1]])), (sp.Matrix([0]), sp.Matrix([0]))),
            Dense(sp.Matrix([[1]]), sp.Matrix([0]), identity),
        ]
    )
    with pytest.raises(NotSupportedError, match=r"Maxout.*Dense"):
        regions_2d(two)


def test_random_single_layers_respect_zaslavsky(rng: np.random.Generator) -> None:
    for n in (2, 3, 5, 7):
        net = random_network(rng, [2, n, 1])
        assert len(regions_2d(net)) <= zaslavsky_bound(n, 2)
        assert activation_regions_1d(random_network(rng, [1, n, 1])) <= zaslavsky_bound(n, 1)
    # and the bound is tight only in general position: two equal rows make one line
    twice = Network.mlp(
        [2, 2, 1], ["relu", "identity"], weights=[[[1, 2], [1, 2]], [[1, 1]]], biases=[[1, 1], [0]]
    )
    assert len(regions_2d(twice)) == 2 < zaslavsky_bound(2, 2)


def test_cli_regions_text_is_in_the_lectures_notation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from symdl.cli import main

    # four lines in general position through or near the origin: x = 0, y = 0, x + y = 1,
    # x = y; regions of the plane: 1 + 4 + C(4, 2) = 11 minus one for the three concurrent
    # lines x = 0, y = 0, x = y (they meet at the origin): 10
    net = {
        "weights": [[[1, 0], [0, 1], [1, 1], [1, -1]], [[1, 1, 1, 1]]],
        "biases": [[0, 0, -1, 0], [0]],
    }
    (tmp_path / "net.json").write_text(json.dumps(net))
    assert main(["regions", str(tmp_path / "net.json")]) == 0
    out = capsys.readouterr().out
    assert "10 linear regions in the whole plane" in out
    assert "at most 1 + 4 + 6 = 11 regions" in out
    line = {"weights": [[[1], [-1], [2]], [[1, 1, -1]]], "biases": [[0, 1, "1/2"], [0]]}
    (tmp_path / "line.json").write_text(json.dumps(line))
    assert main(["regions", str(tmp_path / "line.json")]) == 0
    out += capsys.readouterr().out
    # kinks at 0, 1 and -1/4: four pieces, and one layer of 3 ReLUs allows 3 + 1
    assert "4 linear pieces on ℝ" in out
    assert "at most ∏ₗ (nₗ + 1) = 4 regions" in out
    for ascii_maths in ("^2", "_bound", "counted_in", "[-", "**"):
        assert ascii_maths not in out, ascii_maths
