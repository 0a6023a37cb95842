r"""Backpropagation in matrix form, for weight matrices of symbolic size.

The four equations of backpropagation in the form a textbook writes them (Nielsen, ch. 2),

.. math::

    \delta^L = \nabla_a C \odot \sigma'(z^L), \qquad
    \delta^l = \bigl((W^{l+1})^T \delta^{l+1}\bigr) \odot \sigma'(z^l), \qquad
    \frac{\partial C}{\partial b^l} = \delta^l, \qquad
    \frac{\partial C}{\partial W^l} = \delta^l (a^{l-1})^T,

built from SymPy ``MatrixSymbol`` objects whose sizes are symbols :math:`n_{l-1}, n_l,
n_{l+1}` (:func:`bp1`, :func:`bp2`, :func:`bp3`, :func:`bp4`).

Each is checked against the element-wise result, the derivative of the scalar loss with
respect to one entry, which SymPy computes for symbolic sizes as a sum with Kronecker deltas
(:func:`entry_gradient`): the entries agree for a symbolic index and a symbolic size
(:func:`symdl.backpropagation.index_sums.same_entries`), and for concrete sizes entry by entry
(:func:`agree_at_sizes`).

BP2, BP3 and BP4 are first-order statements about the *linearised loss*
:math:`\ell = (\delta^{l+1})^T z^{l+1}` with :math:`\delta^{l+1}` held fixed: by the chain rule
:math:`\partial C / \partial z^l_j = \sum_k \delta^{l+1}_k \partial z^{l+1}_k / \partial z^l_j
= \partial \ell / \partial z^l_j` (:func:`linearised_loss`).

SymPy's own matrix calculus answers with ``DiagMatrix(W.T*delta)*f'(z)`` for BP2 and with an
array expression ``PermuteDims(ArrayTensorProduct(delta, a), ...)`` of shape
:math:`(n_l, n_{l-1}, 1, 1)` for BP4; :func:`sympy_gradient` returns that answer, and
:func:`textbook_form` rewrites it in the textbook form, :math:`\operatorname{diag}(v)\,u = v
\odot u` and :math:`\delta \otimes a = \delta a^T`.

For BP1 with the quadratic cost SymPy answers with
``ArrayAdd(PermuteDims(ArrayDiagonal(...)), ...)``, which SymPy 1.14 can neither make explicit
nor index; :func:`textbook_form` refuses it (:class:`~symdl.core.exceptions.NotSupportedError`),
and BP1 is checked against the element-wise derivative alone.

References
----------
M. Nielsen, *Neural Networks and Deep Learning* (2015), ch. 2, equations (BP1)–(BP4).

K. B. Petersen, M. S. Pedersen, *The Matrix Cookbook* (2012), section 2.4 (derivatives of
linear forms: :math:`\partial (a^T X b) / \partial X = a b^T`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.diagonal import DiagMatrix
from sympy.tensor.array.expressions import (
    ArrayTensorProduct,
    PermuteDims,
)

from symdl.core.exact import positive_integer
from symdl.core.exceptions import NotSupportedError

__all__ = [
    "MatrixLayer",
    "agree_at_sizes",
    "bp1",
    "bp2",
    "bp3",
    "bp4",
    "elementwise",
    "entry_gradient",
    "linearised_loss",
    "matrix_layer",
    "quadratic_cost",
    "sympy_gradient",
    "textbook_form",
]

Derivative1 = Callable[[sp.Expr], sp.Expr]
"""An activation's derivative, as a function of one SymPy expression."""


@dataclass(frozen=True)
class MatrixLayer:
    r"""The matrices of layers :math:`l` and :math:`l+1` with sizes :math:`n_{l-1}, n_l, n_{l+1}`.

    ``W`` (:math:`n_l \times n_{l-1}`), ``b``, ``z``, ``delta`` belong to layer :math:`l`;
    ``a_prev`` is :math:`a^{l-1}`; ``W_next``, ``b_next``, ``delta_next`` belong to layer
    :math:`l+1`; ``y`` is a target of layer :math:`l`'s size (for BP1, layer :math:`l = L`).
    """

    sizes: tuple[sp.Expr, sp.Expr, sp.Expr]
    W: sp.MatrixSymbol
    b: sp.MatrixSymbol
    a_prev: sp.MatrixSymbol
    z: sp.MatrixSymbol
    delta: sp.MatrixSymbol
    W_next: sp.MatrixSymbol
    b_next: sp.MatrixSymbol
    delta_next: sp.MatrixSymbol
    y: sp.MatrixSymbol


def _size(value: object, name: str) -> sp.Expr:
    """A layer size: an integer ≥ 1 or an integer Symbol (one converter: positive_integer)."""
    if isinstance(value, sp.Symbol) and not (value.is_integer and value.is_positive):
        raise ValueError(
            f"size {name}={value!r} must be a positive integer; for a symbolic size use "
            f"sympy.Symbol({str(value)!r}, integer=True, positive=True)"
        )
    return positive_integer(value, name=f"size {name}")


def matrix_layer(sizes: tuple[Any, Any, Any] | None = None) -> MatrixLayer:
    r"""The matrix symbols of layers :math:`l, l+1`; symbolic sizes unless ``sizes`` is given.

    Examples
    --------
    >>> layer = matrix_layer()
    >>> layer.W.shape, layer.W_next.shape
    ((n_l, n_{l-1}), (n_{l+1}, n_l))
    >>> matrix_layer((2, 3, 1)).z.shape
    (3, 1)
    """
    if sizes is None:
        sizes = tuple(
            sp.Symbol(name, integer=True, positive=True) for name in ("n_{l-1}", "n_l", "n_{l+1}")
        )
    if not isinstance(sizes, tuple) or len(sizes) != 3:
        raise ValueError(f"sizes={sizes!r} must be a tuple (n_{{l-1}}, n_l, n_{{l+1}})")
    k, n, m = (
        _size(value, name) for value, name in zip(sizes, ("n_{l-1}", "n_l", "n_{l+1}"), strict=True)
    )
    return MatrixLayer(
        sizes=(k, n, m),
        W=sp.MatrixSymbol("W^{l}", n, k),
        b=sp.MatrixSymbol("b^{l}", n, 1),
        a_prev=sp.MatrixSymbol("a^{l-1}", k, 1),
        z=sp.MatrixSymbol("z^{l}", n, 1),
        delta=sp.MatrixSymbol(r"\delta^{l}", n, 1),
        W_next=sp.MatrixSymbol("W^{l+1}", m, n),
        b_next=sp.MatrixSymbol("b^{l+1}", m, 1),
        delta_next=sp.MatrixSymbol(r"\delta^{l+1}", m, 1),
        y=sp.MatrixSymbol("y", n, 1),
    )


# --- the textbook form ------------------------------------------------------------------------


_ENTRY = sp.Symbol("entry", real=True)
"""The variable of every entry-wise function, so that equal functions compare equal."""


def elementwise(function: Derivative1, X: sp.MatrixExpr) -> sp.MatrixExpr:
    r"""The function applied to every entry of ``X`` (SymPy's ``ElementwiseApplyFunction``)."""
    return ElementwiseApplyFunction(sp.Lambda(_ENTRY, function(_ENTRY)), X)


def _canonical_elementwise(expr: sp.MatrixExpr) -> sp.MatrixExpr:
    def rebuild(applied: ElementwiseApplyFunction) -> sp.MatrixExpr:
        lam = applied.function
        (variable,) = lam.variables
        return elementwise(lambda x: lam.expr.xreplace({variable: x}), applied.expr)

    return expr.replace(lambda e: isinstance(e, ElementwiseApplyFunction), rebuild)


def bp1(grad_a: sp.MatrixExpr, z: sp.MatrixExpr, derivative: Derivative1) -> sp.MatrixExpr:
    r"""BP1: :math:`\delta^L = \nabla_a C \odot \sigma'(z^L)`.

    Examples
    --------
    >>> import sympy as sp
    >>> layer = matrix_layer((1, 2, 1))
    >>> grad = bp1(elementwise(sp.tanh, layer.z) - layer.y, layer.z, lambda x: 1 - sp.tanh(x) ** 2)
    >>> z0, y0 = layer.z[0, 0], layer.y[0, 0]
    >>> grad.as_explicit()[0, 0] == (sp.tanh(z0) - y0) * (1 - sp.tanh(z0) ** 2)
    True
    """
    return sp.HadamardProduct(grad_a, elementwise(derivative, z))


def bp2(layer: MatrixLayer, derivative: Derivative1) -> sp.MatrixExpr:
    r"""BP2: :math:`\delta^l = ((W^{l+1})^T \delta^{l+1}) \odot \sigma'(z^l)`.

    Examples
    --------
    >>> from symdl.core.activations import Sigmoid
    >>> layer = matrix_layer((1, 2, 1))
    >>> bp2(layer, lambda x: Sigmoid(x) * (1 - Sigmoid(x))).as_explicit()[1, 0]
    (1 - Sigmoid(z^{l}[1, 0]))*Sigmoid(z^{l}[1, 0])*W^{l+1}[0, 1]*\delta^{l+1}[0, 0]
    """
    return sp.HadamardProduct(layer.W_next.T * layer.delta_next, elementwise(derivative, layer.z))


def bp3(layer: MatrixLayer) -> sp.MatrixExpr:
    r"""BP3: :math:`\partial C / \partial b^l = \delta^l`.

    Examples
    --------
    >>> bp3(matrix_layer()).shape
    (n_l, 1)
    """
    return layer.delta


def bp4(layer: MatrixLayer) -> sp.MatrixExpr:
    r"""BP4: :math:`\partial C / \partial W^l = \delta^l (a^{l-1})^T`.

    Examples
    --------
    >>> layer = matrix_layer()
    >>> bp4(layer), bp4(layer).shape == layer.W.shape
    (\delta^{l}*a^{l-1}.T, True)
    """
    return layer.delta * layer.a_prev.T


# --- the losses whose gradients BP1–BP4 are -------------------------------------------------


def quadratic_cost(layer: MatrixLayer, activation: Derivative1) -> sp.MatrixExpr:
    r"""The quadratic cost :math:`C = \tfrac12 (a^L - y)^T (a^L - y)`, :math:`a^L = \sigma(z^L)`.

    Its gradient is BP1 with :math:`\nabla_a C = a^L - y`.

    Examples
    --------
    >>> import sympy as sp
    >>> layer = matrix_layer((1, 2, 1))
    >>> cost = quadratic_cost(layer, sp.tanh).as_explicit()[0, 0]
    >>> halves = sum((sp.tanh(layer.z[r, 0]) - layer.y[r, 0]) ** 2 / 2 for r in range(2))
    >>> sp.expand(cost - halves)
    0
    """
    residual = elementwise(activation, layer.z) - layer.y
    return sp.S.Half * residual.T * residual


def linearised_loss(layer: MatrixLayer, activation: Derivative1 | None = None) -> sp.MatrixExpr:
    r"""The first-order part of the loss that BP2–BP4 differentiate.

    With ``activation`` σ: :math:`\ell = (\delta^{l+1})^T (W^{l+1} \sigma(z^l) + b^{l+1})`,
    whose gradient in :math:`z^l` is :math:`\delta^l` (BP2).  Without: :math:`\ell =
    (\delta^l)^T (W^l a^{l-1} + b^l)`, whose gradients in :math:`b^l, W^l` are BP3, BP4.
    Both hold because :math:`dC = (\delta^{l})^T dz^{l}` (chain rule).

    Examples
    --------
    >>> linearised_loss(matrix_layer())
    \delta^{l}.T*(W^{l}*a^{l-1} + b^{l})
    """
    if activation is None:
        return layer.delta.T * (layer.W * layer.a_prev + layer.b)
    a = elementwise(activation, layer.z)
    return layer.delta_next.T * (layer.W_next * a + layer.b_next)


# --- SymPy's own matrix calculus and its textbook form --------------------------------------


def sympy_gradient(scalar: sp.MatrixExpr, X: sp.MatrixSymbol) -> Any:
    r"""SymPy's matrix derivative of a 1×1 matrix expression (a matrix or array expression).

    Examples
    --------
    >>> layer = matrix_layer()
    >>> sympy_gradient(linearised_loss(layer), layer.W)
    PermuteDims(ArrayTensorProduct(\delta^{l}, a^{l-1}), (3)(1 2))
    """
    if scalar.shape != (1, 1):
        raise ValueError(f"{scalar} has shape {scalar.shape}; a loss is a 1x1 matrix expression")
    return scalar.diff(X)


def _outer_product(expr: PermuteDims) -> sp.MatrixExpr | None:
    # PermuteDims(ArrayTensorProduct(u, v), (1 2)): entry [i, j, 0, 0] = u[i, 0] v[j, 0], i.e.
    # the derivative of a 1x1 form by a matrix, reshaped to its (rows, cols, 1, 1) array.
    inner = expr.expr
    if not isinstance(inner, ArrayTensorProduct) or len(inner.args) != 2:
        return None
    u, v = inner.args
    is_column = all(isinstance(w, sp.MatrixExpr) and w.shape[1] == 1 for w in (u, v))
    if is_column and expr.permutation.array_form == [0, 2, 1, 3]:
        return u * v.T
    return None


def textbook_form(expr: Any) -> sp.MatrixExpr:
    r"""Rewrite SymPy's matrix-calculus answer in the textbook form.

    ``DiagMatrix(v) * u`` becomes :math:`v \odot u`, and the array
    ``PermuteDims(ArrayTensorProduct(u, v), (1 2))`` becomes :math:`u v^T`.

    Examples
    --------
    >>> layer = matrix_layer()
    >>> textbook_form(sympy_gradient(linearised_loss(layer), layer.W))
    \delta^{l}*a^{l-1}.T
    """
    if isinstance(expr, PermuteDims):
        outer = _outer_product(expr)
        if outer is not None:
            return outer
    if (
        isinstance(expr, sp.MatMul)
        and len(expr.args) == 2
        and isinstance(expr.args[0], DiagMatrix)
        and expr.args[1].shape[1] == 1
    ):
        # diag(v) u = v ⊙ u for a column u
        diagonal, u = expr.args
        return _canonical_elementwise(sp.HadamardProduct(diagonal.args[0], u))
    if isinstance(expr, sp.MatrixExpr):
        return expr
    raise NotSupportedError(
        f"symdl cannot yet rewrite {type(expr).__name__} {expr} in textbook matrix form; it "
        f"handles DiagMatrix products and outer products"
    )


# --- agreement with the element-wise result ------------------------------------------------


def entry_gradient(
    scalar: sp.MatrixExpr, X: sp.MatrixSymbol, i: sp.Expr, j: sp.Expr = sp.S.Zero
) -> sp.Expr:
    r"""The element-wise result :math:`\partial \ell / \partial X_{ij}`, for symbolic sizes too.

    SymPy writes the 1×1 ``scalar`` as a sum over entries and differentiates it by the entry
    :math:`X_{ij}`: :math:`\partial X_{km} / \partial X_{ij} = [k = i][m = j]`, and the sums of
    Kronecker deltas collapse (``doit``).

    Examples
    --------
    >>> import sympy as sp
    >>> layer = matrix_layer()
    >>> j, c = sp.symbols("j c", integer=True, nonnegative=True)
    >>> entry_gradient(linearised_loss(layer), layer.W, j, c)
    \delta^{l}[j, 0]*a^{l-1}[c, 0]
    """
    return sp.expand(scalar[0, 0].diff(X[i, j]).doit())


def agree_at_sizes(
    formula: sp.MatrixExpr,
    scalar: sp.MatrixExpr,
    X: sp.MatrixSymbol,
    sizes: Mapping[sp.Symbol, int],
) -> bool:
    """At concrete sizes: every entry of ``formula`` equals the derivative of ``scalar``.

    The matrices are made explicit, the scalar is differentiated entry by entry, and every
    difference must simplify to exactly 0.

    Examples
    --------
    >>> layer = matrix_layer()
    >>> sizes = dict(zip(layer.sizes, (2, 3, 1)))
    >>> agree_at_sizes(bp4(layer), linearised_loss(layer), layer.W, sizes)
    True
    >>> agree_at_sizes(2 * bp4(layer), linearised_loss(layer), layer.W, sizes)
    False
    """
    for key in sizes:
        if not isinstance(key, sp.Symbol):
            raise TypeError(f"sizes: the key {key!r} must be the size's Symbol (layer.sizes)")
    sizes = {k: positive_integer(v, name=f"sizes[{k}]") for k, v in sizes.items()}
    matrices = formula.atoms(sp.MatrixSymbol) | scalar.atoms(sp.MatrixSymbol)
    unset = set().union(*(sp.Tuple(*matrix.shape).free_symbols for matrix in matrices))
    unset -= set(sizes)
    if unset:
        raise ValueError(
            f"sizes={dict(sizes)} leaves the sizes {sorted(map(str, unset))} symbolic; give an "
            f"int for each"
        )
    explicit = formula.subs(sizes).as_explicit()
    loss = scalar.subs(sizes).as_explicit()[0, 0]
    variable = X.subs(sizes)
    if explicit.shape != variable.shape:
        return False
    for i in range(explicit.rows):
        for j in range(explicit.cols):
            true = loss.diff(variable[i, j]).doit()
            if sp.simplify(explicit[i, j].doit() - true) != 0:
                return False
    return True
