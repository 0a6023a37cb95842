"""Telgarsky's sawtooth: the tent map's networks, m^k exactly, the theorem's bounds."""

from __future__ import annotations

import io
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from symdl.core import numeric
from symdl.core.network import Dense
from symdl.depth.piecewise import PiecewiseLinear
from symdl.depth.telgarsky import (
    TentForm,
    check_sawtooth,
    classification_error,
    error_lower_bound,
    network_size,
    piece_bound,
    plot_sawtooth,
    sawtooth,
    sawtooth_induction,
    sawtooth_network,
    shallow_error_bound,
    tent_map,
    verify_sawtooth,
    width_limit,
)

F = Fraction


def direct_tent_power(x: Fraction, k: int) -> Fraction:
    for _ in range(k):
        x = 2 * x if 0 <= x <= F(1, 2) else 2 - 2 * x if F(1, 2) < x <= 1 else F(0)
    return x


@pytest.mark.parametrize("k", range(1, 15))
def test_sawtooth_exact_up_to_14(k: int) -> None:
    check = verify_sawtooth(k)
    assert check.holds
    assert check.pieces == 2**k


@pytest.mark.slow
def test_sawtooth_exact_at_20_within_30_seconds() -> None:
    check = verify_sawtooth(20)
    assert check.holds
    assert check.pieces == 2**20
    assert check.seconds < 30


@pytest.mark.parametrize("k", range(1, 11))
def test_reference_oracle_pieces_breakpoints_values_slopes(k: int) -> None:
    """Telgarsky (2015), read off the function itself (not through check_sawtooth)."""
    f = sawtooth(k)
    n = 2**k
    # breakpoints: exactly j/2^k on [0, 1], and the two where m^k meets the zero line outside
    assert f.breakpoints == tuple(F(j, n) for j in range(n + 1))
    assert f.num_pieces(on=(0, 1)) == n
    assert f.num_pieces() == n + 2  # plus the constant pieces on (-inf, 0] and [1, inf)
    assert [f(F(i, n)) for i in range(n + 1)] == [i % 2 for i in range(n + 1)]
    assert f.slopes == (0, *((n, -n) * (n // 2)), 0)


def test_checker_accepts_only_the_reference_shape() -> None:
    # a hand-written m^2 passes; the same with a bump between two of its breakpoints fails
    m2 = PiecewiseLinear(
        [0, F(1, 4), F(1, 2), F(3, 4), 1], [0, 4, -4, 4, -4, 0], [0, 0, 2, -2, 4, 0]
    )
    assert check_sawtooth(m2, 2).holds
    assert m2 == sawtooth(2)
    relu = PiecewiseLinear.relu()

    def shifted(a: Fraction) -> PiecewiseLinear:
        return relu.compose(PiecewiseLinear.affine(1, -a))

    # a bump on [1/4, 1/2]: same values at every j/4, one breakpoint (3/8) too many
    bump = shifted(F(1, 4)) - shifted(F(3, 8)) * 2 + shifted(F(1, 2))
    bent = m2 + bump
    assert [bent(F(i, 4)) for i in range(5)] == [0, 1, 0, 1, 0]
    assert not check_sawtooth(bent, 2).holds


def test_sawtooth_values_against_direct_iteration(rng: np.random.Generator) -> None:
    f = sawtooth(9)
    for i in rng.integers(0, 2**9, size=40):
        x = F(int(i), 2**9)
        assert f(x) == direct_tent_power(x, 9) == int(i) % 2
    for x in [F(int(v), 1001) for v in rng.integers(-500, 1500, size=40)]:
        assert f(x) == direct_tent_power(x, 9)


def test_checker_rejects_wrong_functions() -> None:
    f = sawtooth(5)
    shifted = f.compose(PiecewiseLinear.affine(1, F(1, 64)))
    assert not check_sawtooth(shifted, 5).holds
    halved = check_sawtooth(f * F(1, 2), 5)
    assert halved.breakpoints_dyadic
    assert not halved.values_alternate
    assert not halved.holds
    assert not check_sawtooth(f, 4).holds
    assert not check_sawtooth(
        f + PiecewiseLinear.relu().compose(PiecewiseLinear.affine(1, -2)), 5
    ).holds


@pytest.mark.parametrize("form", list(TentForm))
def test_each_form_computes_the_sawtooth(form: TentForm, rng: np.random.Generator) -> None:
    for k in range(1, 6):
        net = sawtooth_network(k, form=form)
        f = PiecewiseLinear.from_network(net)
        assert f.equals_on(sawtooth(k), 0, 1)
        if form is not TentForm.TWO_RELU:
            assert f == sawtooth(k)  # on all of R
        xs = rng.uniform(-0.5, 1.5, size=200)
        np.testing.assert_allclose(
            numeric.forward(net, xs[:, None])[:, 0],
            [float(direct_tent_power(F(x), k)) for x in xs]
            if form is not TentForm.TWO_RELU
            else f.evaluate(xs),
            atol=1e-12,
        )


def test_two_relu_form_is_not_the_tent_map_outside_unit_interval() -> None:
    f = PiecewiseLinear.from_network(sawtooth_network(1, form=TentForm.TWO_RELU))
    assert f(2) == -2
    assert tent_map()(2) == 0
    assert not f.equals_on(tent_map(), 0, 2)


@pytest.mark.parametrize("form", list(TentForm))
def test_reported_sizes_match_the_networks(form: TentForm) -> None:
    for k in (1, 3, 7):
        net, size = sawtooth_network(k, form=form), network_size(k, form=form)
        relus = sum(
            l.n_out for l in net.layers if isinstance(l, Dense) and l.activation.name == "relu"
        )
        affine = sum(
            l.n_out for l in net.layers if isinstance(l, Dense) and l.activation.name == "identity"
        )
        assert (net.depth, relus, affine) == (size.layers, size.relus, size.affine_outputs)
        assert net.sizes[1:] == size.widths
    assert network_size(5, form=TentForm.WIDTH3).neurons == 3 * 5 + 1  # the lecture's count
    assert network_size(5, form=TentForm.TELGARSKY).relus == 15
    assert network_size(5, form=TentForm.TWO_RELU).relus == 10


def test_symbolic_induction_holds_and_matches_exact_pieces() -> None:
    identities = sawtooth_induction()
    assert len(identities) == 12
    assert all(sp.simplify(e) == 0 for e in identities.values())
    # numeric cross-check of the piece formulas that the induction is about
    k = 4
    f = sawtooth(k)
    for j in range(2**k):
        x = F(3 * j + 1, 3 * 2**k)
        formula = 2**k * x - j if j % 2 == 0 else j + 1 - 2**k * x
        assert f(x) == formula


def test_deep_error_is_zero_and_bad_functions_err() -> None:
    for k in range(1, 11):
        assert classification_error(sawtooth(k), k) == 0
    assert classification_error(PiecewiseLinear.affine(0, 0), 6) == F(1, 2)
    assert classification_error(sawtooth(3), 6) > 0


def test_width_limit_is_the_largest_allowed_width() -> None:
    for k in range(4, 30):
        for l in range(1, 5):
            m = width_limit(k, l)
            # m <= 2^((k-3)/l - 1)  <=>  m^l <= 2^(k-3-l), checked with SymPy powers
            bound = sp.Integer(2) ** (sp.Rational(k - 3, l) - 1)
            assert m == 0 or sp.Integer(m) <= bound
            assert sp.Integer(m + 1) > bound
            if m:
                assert piece_bound(m, l) <= 2 ** (k - 3)
                assert shallow_error_bound(k, l, m) >= F(1, 6)


def test_error_bound_formula() -> None:
    assert error_lower_bound(2, 64) == F(64 - 8, 192)
    assert shallow_error_bound(10, 1, 64) == F(1024 - 4 * 128, 3 * 1024) == F(1, 6)
    assert shallow_error_bound(10, 1, 65) < F(1, 6)  # one past the limit breaks the bound


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="k=0"):
        sawtooth(0)
    with pytest.raises(ValueError, match="2\\^40 pieces"):
        sawtooth(40)
    with pytest.raises(TypeError, match="TentForm"):
        sawtooth_network(2, form="width3")  # type: ignore[arg-type]


def test_sawtooth_figure_has_one_panel_per_power() -> None:
    figure = plot_sawtooth((1, 2, 3, 4))
    assert len(figure.axes) == 4
    xs = figure.axes[3].lines[0].get_xdata()
    assert len(xs) == 2**4 + 1
    figure.savefig(io.BytesIO(), format="png")  # renders (labels parse)


def test_cli_telgarsky_json(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from symdl.cli import main

    assert main(["telgarsky", "--k", "10", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["pieces"] == 1024
    assert result["deep_error"] == "0"
    assert result["breakpoints"]["count"] == 1025
    assert result["breakpoints"]["first"] == ["0", "1/1024", "1/512"]
    assert result["shallow_bound"]["width_limit"] == width_limit(10, 2) == 5
    assert result["shallow_bound"]["error_bound"] == str(shallow_error_bound(10, 2, 5))
    assert result["network"]["relus"] == 30
    assert set(result["timings"]) >= {"total"}


def test_cli_telgarsky_text_and_forms(capsys: pytest.CaptureFixture[str]) -> None:
    from symdl.cli import main

    assert main(["telgarsky", "--k", "4", "--form", "two_relu"]) == 0
    out = capsys.readouterr().out
    assert "pieces on [0, 1]: 16" in out
    assert "exact on [0, 1]" in out
    assert main(["telgarsky", "--k", "0"]) == 2
    assert "must be >= 1" in capsys.readouterr().out
    assert main(["telgarsky", "--k", "30"]) == 2
    assert "at most 24" in capsys.readouterr().out
    assert main(["telgarsky", "--k", "4", "--experiment", "-1"]) == 2
    with pytest.raises(SystemExit):
        main(["telgarsky", "--form", "width4"])
    assert "invalid choice: 'width4'" in capsys.readouterr().err


def test_cli_telgarsky_experiment(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from symdl.cli import main

    assert main(["telgarsky", "--k", "9", "--layers", "1", "--experiment", "2", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["experiment"]
    assert [row["kind"] for row in rows] == ["random", "random", "trained"]
    for row in rows:
        assert row["width"] == width_limit(9, 1) == 32
        assert row["pieces"] <= row["piece_bound"] == 64
        assert Fraction(row["error"]) >= Fraction(row["error_bound"]) >= Fraction(1, 6)
    assert main(["telgarsky", "--k", "4", "--layers", "2", "--experiment", "1"]) == 2


def test_bounds_refuse_meaningless_counts() -> None:
    with pytest.raises(ValueError, match="n=0"):
        error_lower_bound(1, 0)
    with pytest.raises(ValueError, match="pieces=0"):
        error_lower_bound(0, 64)
    with pytest.raises(ValueError, match="width=-1"):
        piece_bound(-1, 2)
    with pytest.raises(ValueError, match="layers=0"):
        piece_bound(3, 0)
    with pytest.raises(ValueError, match="width=0"):
        shallow_error_bound(10, 2, 0)  # no network has width 0; width_limit returns 0 for none
    with pytest.raises(ValueError, match=r"k=2\.5"):
        sawtooth_network(2.5)  # type: ignore[arg-type]


def test_checker_bad_input() -> None:
    with pytest.raises(ValueError, match="k=0"):
        check_sawtooth(sawtooth(2), 0)
    with pytest.raises(TypeError, match="from_network"):
        check_sawtooth(sawtooth_network(2), 2)  # type: ignore[arg-type]


def test_cli_telgarsky_text_is_in_the_lectures_notation(capsys: pytest.CaptureFixture[str]) -> None:
    from symdl.cli import main

    assert main(["telgarsky", "--k", "12", "--experiment", "1"]) == 0
    out = capsys.readouterr().out
    assert "m¹², the sawtooth" in out
    assert "pieces on [0, 1]: 4096 = 2¹²; on ℝ: 4098" in out
    assert "4097 breakpoints 0, 1/4096" in out
    # width limit 2^((k - 3)/l - 1) = 2^3.5 ≈ 11.3; (2·11)^2 = 484 pieces (Lemma 2.1)
    assert "width ≤ 11 has ≤ 484 pieces and error ≥ 45/256 ≥ 1/6" in out
    for ascii_maths in ("^", "<=", ">=", "True", "False", " R;", "**"):
        assert ascii_maths not in out, ascii_maths
