"""symdl's functions (σ, softplus, ELU, the softmax entries) print for every SymPy printer and
lambdify module: a network's gradient lambdified with each installed module agrees with the
NumPy result, and its C code compiles with the system's C compiler and computes the same."""

from __future__ import annotations

import functools
import importlib.util
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
from sympy.utilities.codegen import codegen

from symdl.backpropagation.reverse_mode import backprop
from symdl.core.losses import LOSSES
from symdl.core.network import Network
from symdl.core.special_functions import ELU, LogSoftmaxEntry, Sigmoid, SoftmaxEntry, Softplus

# the lambdify modules SymPy knows that are installed here (jax, torch, … where present)
MODULES = [
    m
    for m in ("math", "mpmath", "scipy", "jax", "torch", "tensorflow", "cupy")
    if m == "math" or importlib.util.find_spec(m) is not None
]
NETWORKS = [
    (["sigmoid", "softplus"], "mse"),
    (["tanh", "elu"], "mse"),
    (["relu", "sigmoid"], "bce"),
    (["softplus", "softmax"], "l2"),
    (["elu", "identity"], "log"),  # the log loss applies the softmax itself
]


@functools.cache
def _gradient(activations: tuple[str, ...], loss: str) -> tuple[list[sp.Symbol], list[sp.Expr]]:
    net = Network.mlp([2, 2, 2], list(activations))
    bp = backprop(net, LOSSES[loss])
    grads = [bp.partial(p, expanded=True) for p in net.parameters]
    return [*net.inputs, *bp.targets, *net.parameters], grads


def _values(n: int) -> list[float]:
    return [0.3, -0.7, 0.2, 0.9, *np.linspace(-1.1, 1.3, n - 4)]


@functools.cache
def _reference(activations: tuple[str, ...], loss: str) -> np.ndarray:
    """The NumPy values of the gradient, checked once against SymPy at 30 digits."""
    args, grads = _gradient(activations, loss)
    values = _values(len(args))
    reference = np.array(sp.lambdify(args, grads, "numpy")(*values), dtype=float)
    exact = {a: sp.Float(v, 30) for a, v in zip(args, values, strict=True)}
    assert np.allclose(reference, [float(g.subs(exact).evalf(30)) for g in grads], atol=1e-13)
    return reference


def _as_floats(values: object) -> np.ndarray:
    return np.array([complex(v).real for v in values], dtype=float)  # type: ignore[union-attr]


@pytest.mark.parametrize(("activations", "loss"), NETWORKS)
@pytest.mark.parametrize("module", MODULES)
def test_a_gradient_lambdifies_with_every_installed_module(
    module: str, activations: list[str], loss: str
) -> None:
    args, grads = _gradient(tuple(activations), loss)
    values = _values(len(args))
    reference = _reference(tuple(activations), loss)
    got = _as_floats(sp.lambdify(args, grads, module)(*values))
    assert np.allclose(got, reference, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("printer", [sp.pycode, sp.ccode, lambda e: sp.fcode(e, standard=95)])
def test_every_function_prints_as_code_without_symdls_names(printer: object) -> None:
    x, y = sp.symbols("x y", real=True)
    for expr in (
        Sigmoid(x),
        Softplus(x),
        ELU(x, sp.Rational(1, 2)),
        SoftmaxEntry(1, x, y),
        LogSoftmaxEntry(2, x, y),
    ):
        code = printer(expr)  # type: ignore[operator]
        for name in ("Sigmoid", "Softplus", "ELU", "Softmax"):
            assert name not in code


def test_the_code_forms_do_not_overflow_in_python_floats() -> None:
    x, y = sp.symbols("x y", real=True)
    sigma = sp.lambdify(x, Sigmoid(x), "math")
    softplus = sp.lambdify(x, Softplus(x), "math")
    entry = sp.lambdify([x, y], SoftmaxEntry(1, x, y), "math")
    assert (sigma(-1000.0), sigma(1000.0)) == (0.0, 1.0)
    assert (softplus(-1000.0), softplus(1000.0)) == (0.0, 1000.0)
    assert entry(1000.0, 0.0) == 1.0
    assert entry(0.0, 1000.0) == 0.0


@pytest.mark.skipif(shutil.which("gcc") is None, reason="no C compiler (CI installs gcc)")
def test_the_c_code_of_a_gradient_compiles_and_computes_the_same(tmp_path: Path) -> None:
    args, grads = _gradient(("softplus", "softmax"), "l2")
    names = [sp.Symbol(f"v{i}", real=True) for i in range(len(args))]
    renamed = [g.xreplace(dict(zip(args, names, strict=True))) for g in grads]
    routines = [(f"g{k}", g) for k, g in enumerate(renamed)]
    [(c_name, c_code), (h_name, h_code)] = codegen(
        routines, "C99", "gradient", header=False, empty=False, argument_sequence=names
    )
    (tmp_path / c_name).write_text(c_code)
    (tmp_path / h_name).write_text(h_code)
    values = _values(len(args))
    calls = "\n".join(
        f'    printf("%.17g\\n", g{k}({", ".join(repr(float(v)) for v in values)}));'
        for k in range(len(grads))
    )
    main = (
        f'#include <stdio.h>\n#include "{h_name}"\nint main(void) {{\n{calls}\n    return 0;\n}}\n'
    )
    (tmp_path / "main.c").write_text(main)
    binary = tmp_path / "gradient"
    subprocess.run(
        ["gcc", "-std=c99", "-O1", "-o", str(binary), "main.c", c_name, "-lm"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
    )
    printed = subprocess.run([str(binary)], check=True, capture_output=True, text=True).stdout
    reference = _reference(("softplus", "softmax"), "l2")
    assert np.allclose([float(v) for v in printed.split()], reference, rtol=1e-12, atol=1e-14)
