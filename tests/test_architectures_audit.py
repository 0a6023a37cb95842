"""Held-out cases for the architecture facts: each one found a bug, fixed in the module."""

from __future__ import annotations

import pytest
import sympy as sp

from symdl.architectures import dropout, equivariance, random_weights, receptive_fields
from symdl.core.graph_operations import Conv

# --- receptive fields --------------------------------------------------------------------------


def test_vgg_text_with_numeric_channels() -> None:
    # 3 * 3**2 * 7**2 = 1323 and 7**2 * 7**2 = 2401 (a trailing "1" was appended)
    text = str(receptive_fields.stacked_versus_single(3, 3, channels=7))
    assert "with 1323 weights" in text
    assert text.endswith("has 2401")


def test_vgg_text_with_compound_channels() -> None:
    c = sp.Symbol("c", positive=True)
    text = str(receptive_fields.stacked_versus_single(3, 3, channels=c + 1))
    assert "27 (c + 1)²" in text
    assert "49 (c + 1)²" in text


def test_vgg_axes_bounded() -> None:
    with pytest.raises(ValueError, match="axes=1000000"):
        receptive_fields.stacked_versus_single(3, 3, axes=10**6)


def test_terms_axis_out_of_range() -> None:
    rf = receptive_fields.receptive_field([(3, 1)])
    with pytest.raises(ValueError, match="axis=5"):
        rf.terms(5)
    with pytest.raises(ValueError, match="axis=1"):
        rf.latex(1)


def test_input_units_bounds_intermediate_layers() -> None:
    # 10^7 channels of 4 positions: refused at once (it ran for more than a minute)
    with pytest.raises(ValueError, match="MAX_INPUT_UNITS"):
        receptive_fields.input_units([Conv(10**7, 1), Conv(1, 1)], 0, input_shape=(1, 4))


def test_input_units_many_channels_fast() -> None:
    # each convolution reads all 300 channels of one position: every input channel, position 0
    units = receptive_fields.input_units([Conv(300, 1)] * 4, 0, input_shape=(2, 4))
    assert units == frozenset({0, 4})


# --- shift equivariance and pooling ------------------------------------------------------------


def test_max_pool_equal_values_written_differently() -> None:
    a = (sp.sqrt(2) + sp.sqrt(3)) ** 2
    b = 5 + 2 * sp.sqrt(6)  # the same number
    moved = equivariance.max_pool_shift([a, 0, b, 0], (1, 4), 2, 2)
    # window 1 pools a before and b after: the same value, so unchanged
    assert moved.invariant
    assert all(w.maximum_kept and not w.larger_entered for w in moved.windows)


def test_valid_convolution_long_signal_fast() -> None:
    # a valid convolution: 198 output shifts are tried; it used to run for minutes
    check = equivariance.check_shift_equivariance(Conv(1, 3), input_shape=(1, 200))
    assert not check.holds
    assert check.candidates == 198


def test_seed_must_be_int() -> None:
    with pytest.raises(TypeError, match="seed='a'"):
        equivariance.check_shift_equivariance(Conv(1, 3), input_shape=(1, 5), seed="a")
    with pytest.raises(TypeError, match=r"seed=1\.5"):
        equivariance.check_shift_invariance(Conv(1, 3), input_shape=(1, 5), seed=1.5)


def test_max_pool_shift_size_bound() -> None:
    with pytest.raises(ValueError, match="1000000 units"):
        equivariance.max_pool_shift([0] * 10**6, (1, 10**6), 2, 1)


def test_undecided_is_not_reported_as_fails() -> None:
    check = equivariance.ShiftCheck(
        equivariance.ShiftProperty.INVARIANCE,
        (1,),
        (),
        equivariance.Boundary.CIRCULAR,
        holds=False,
        proved=False,
        differing_units=(0,),
        counterexample=None,
        method="undecided: no verdict",
    )
    text = str(check)
    assert "undecided" in text
    assert "fails" not in text


# --- dropout -----------------------------------------------------------------------------------


def test_expectation_undefined_at_a_mask() -> None:
    m = dropout.mask_symbols(2)
    half = sp.Rational(1, 2)
    for expr in (1 / m[0], 1 / (m[0] - m[1]), sp.log(m[0])):
        with pytest.raises(ValueError, match="undefined or infinite"):
            dropout.dropout_expectation(expr, m, p=half)


def test_expectation_at_p_one_ignores_impossible_masks() -> None:
    m = dropout.mask_symbols(1)
    # with p = 1 every mask is 1: E[1/m] = 1
    assert dropout.dropout_expectation(1 / m[0], m, p=1) == 1


def test_huge_power_of_a_mask() -> None:
    m = dropout.mask_symbols(1)
    p = sp.Rational(1, 3)
    assert dropout.dropout_expectation(m[0] ** (10**9), m, p=p) == p


def test_huge_power_of_a_sum_refused() -> None:
    m = dropout.mask_symbols(3)
    with pytest.raises(ValueError, match="more than 1000"):
        dropout.dropout_expectation((m[0] + m[1] + m[2] + 1) ** (10**6), m)


def test_power_by_squaring_matches_enumeration() -> None:
    m = dropout.mask_symbols(2)
    p = sp.Rational(2, 7)
    expr = (m[0] + 2 * m[1] - 1) ** 13
    # by hand over the four masks: values (-1)^13, 0, 1, 2^13
    want = (1 - p) ** 2 * (-1) + p * (1 - p) * 0 + (1 - p) * p * 1 + p**2 * 2**13
    assert dropout.dropout_expectation(expr, m, p=p) == want


def test_mask_symbols_bounded() -> None:
    with pytest.raises(ValueError, match="n=1000000000"):
        dropout.mask_symbols(10**9)


# --- random weights ----------------------------------------------------------------------------


def test_arc_cosine_rejects_complex_and_unknown_symbols() -> None:
    with pytest.raises(ValueError, match=r"x\[0\]=I"):
        random_weights.arc_cosine_kernel([sp.I, 0], [1, 2])
    with pytest.raises(ValueError, match=r"x\[0\]=a"):
        random_weights.arc_cosine_kernel([sp.Symbol("a"), 0], [1, 2])


def test_arc_cosine_dimension_bounded() -> None:
    with pytest.raises(ValueError, match="1,000,000 entries"):
        random_weights.arc_cosine_kernel([1] * 10**6, [1] * 10**6)


def test_angle_known_outside_range() -> None:
    negative = sp.Symbol("a", negative=True)
    with pytest.raises(ValueError, match="theta=a"):
        random_weights.kernel_of_angle(negative)
    with pytest.raises(ValueError, match="outside"):
        random_weights.relu_angle_map(sp.pi + sp.Symbol("b", positive=True))


def test_iterate_angle_map_work_bounded() -> None:
    with pytest.raises(ValueError, match="layers=100000 at digits=1000"):
        random_weights.iterate_angle_map(1, layers=10**5, digits=1000)
