"""Straight-line programs: expansion, exact evaluation, operation counts, NumPy code."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from symdl.backpropagation.straight_line import StraightLineProgram
from symdl.core.activations import Sigmoid

x, y, u, v, w = sp.symbols("x y u v w", real=True)
PROGRAM = StraightLineProgram(((u, x * y), (v, u + x), (w, v * v)), (w - u, v))


def test_expand_substitutes_in_order_and_can_keep_symbols() -> None:
    assert sp.expand(PROGRAM.expand(PROGRAM.outputs[0])) == sp.expand((x * y + x) ** 2 - x * y)
    assert PROGRAM.expand(PROGRAM.outputs[0], keep=frozenset({u})) == (u + x) ** 2 - u


def test_evaluate_is_exact() -> None:
    # x = 1/3, y = 3: u = 1, v = 4/3, w = 16/9
    assert PROGRAM.evaluate({x: sp.Rational(1, 3), y: sp.Integer(3)}) == (
        sp.Rational(7, 9),
        sp.Rational(4, 3),
    )


def test_operation_count_counts_shared_definitions_once() -> None:
    # u: 1 mul, v: 1 add, w: 1 pow, outputs: w - u is 1 op; v is 0
    assert PROGRAM.operation_count() == 4
    tree = StraightLineProgram((), tuple(PROGRAM.expand(out) for out in PROGRAM.outputs))
    assert tree.operation_count() > PROGRAM.operation_count()


def test_numpy_function_means_over_the_batch() -> None:
    f = PROGRAM.numpy_function([x, y])
    X, Y = np.array([1.0, 2.0]), np.array([3.0, -1.0])
    U = X * Y
    V = U + X
    np.testing.assert_allclose(f(X, Y), [np.mean(V**2 - U), np.mean(V)])


def test_numpy_function_prints_sigmoid_and_heaviside_conventions() -> None:
    program = StraightLineProgram(
        ((u, Sigmoid(x)),), (u, sp.Heaviside(x, 0), sp.Heaviside(x, 1), sp.Heaviside(x))
    )
    f = program.numpy_function([sp.Symbol("x^{(0)}_{1}", real=True), x])
    values = f(0.0, np.array([0.0]))
    np.testing.assert_allclose(values, [0.5, 0.0, 1.0, 0.5])
    big = f(0.0, np.array([-800.0, 800.0]))  # no overflow warning (warnings are errors)
    assert big[0] == pytest.approx(0.5)


def test_a_program_out_of_order_or_defining_a_symbol_twice_is_refused() -> None:
    with pytest.raises(ValueError, match=r"definition of v uses \['w'\] before they are defined"):
        StraightLineProgram(((v, w + x), (w, x * y)), (v,))
    with pytest.raises(ValueError, match=r"definition of u uses \['u'\]"):
        StraightLineProgram(((u, u + x),), (u,))
    with pytest.raises(ValueError, match=r"symbols \[u\] are defined more than once"):
        StraightLineProgram(((u, x), (u, y)), (u,))
