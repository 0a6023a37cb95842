r"""The layers of a feed-forward network and the symbols of their parameters.

Layer :math:`l` maps :math:`a^{(l-1)}` to :math:`z^{(l)} = W^{(l)} a^{(l-1)} + b^{(l)}` and
:math:`a^{(l)} = \sigma_l(z^{(l)})` (Nielsen, *Neural Networks and Deep Learning*, ch. 2).
Three layer types: :class:`Dense` (an affine map and an elementwise activation),
:class:`Maxout` (the maximum of :math:`k` affine pieces, Goodfellow et al. 2013) and
:class:`SoftmaxLayer` (an affine map followed by the softmax).  Parameters are real symbols
named as a lecturer writes them (:math:`w^{(l)}_{jk}`, :math:`b^{(l)}_j`) or exact numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Union

import sympy as sp

from symdl.core.activations import Activation, softmax
from symdl.core.exceptions import NotSupportedError

__all__ = [
    "Dense",
    "Layer",
    "Maxout",
    "SoftmaxLayer",
    "bias_symbol",
    "input_symbols",
    "symbolic_bias",
    "symbolic_matrix",
    "weight_symbol",
]


# --- symbols -------------------------------------------------------------------------------


def _index(*indices: int) -> str:
    # w_{jk} for one-digit indices, w_{j,k} as soon as one index has two digits.
    parts = [str(i) for i in indices]
    return "".join(parts) if all(len(p) == 1 for p in parts) else ",".join(parts)


def weight_symbol(layer: int | str, j: int, k: int, *, piece: int | None = None) -> sp.Symbol:
    r"""The real symbol :math:`w^{(l)}_{jk}` (1-based indices), or :math:`w^{(l,p)}_{jk}`.

    :math:`w^{(l)}_{jk}` multiplies unit :math:`k` of layer :math:`l - 1` in unit :math:`j` of
    layer :math:`l` (Nielsen, ch. 2); ``piece`` numbers the pieces of a maxout layer.  In a
    graph network (:mod:`symdl.core.graph`) ``layer`` is the node's name.

    Examples
    --------
    >>> weight_symbol(2, 1, 3), weight_symbol(1, 1, 12), weight_symbol(1, 2, 1, piece=3)
    (w^{(2)}_{13}, w^{(1)}_{1,12}, w^{(1,3)}_{21})
    >>> weight_symbol("h1", 2, 1)
    w^{(h1)}_{21}
    """
    superscript = f"({layer})" if piece is None else f"({layer},{piece})"
    return sp.Symbol(f"w^{{{superscript}}}_{{{_index(j, k)}}}", real=True)


def bias_symbol(layer: int | str, j: int, *, piece: int | None = None) -> sp.Symbol:
    r"""The real symbol :math:`b^{(l)}_j` (1-based index), or :math:`b^{(l,p)}_j`.

    ``layer`` is the layer's number, or in a graph network the node's name.

    Examples
    --------
    >>> bias_symbol(2, 1), bias_symbol(2, 1).is_real, bias_symbol("f1", 3)
    (b^{(2)}_{1}, True, b^{(f1)}_{3})
    """
    superscript = f"({layer})" if piece is None else f"({layer},{piece})"
    return sp.Symbol(f"b^{{{superscript}}}_{{{j}}}", real=True)


def input_symbols(n: int) -> tuple[sp.Symbol, ...]:
    """The real input symbols :math:`x_1, …, x_n`.

    Examples
    --------
    >>> input_symbols(2)
    (x_{1}, x_{2})
    """
    return tuple(sp.Symbol(f"x_{{{i}}}", real=True) for i in range(1, n + 1))


def symbolic_matrix(rows: int, cols: int, layer: int, *, piece: int | None = None) -> sp.Matrix:
    """The weight matrix of a layer with one symbol per entry."""
    return sp.Matrix(rows, cols, lambda j, k: weight_symbol(layer, j + 1, k + 1, piece=piece))


def symbolic_bias(rows: int, layer: int, *, piece: int | None = None) -> sp.Matrix:
    """The bias vector of a layer with one symbol per entry."""
    return sp.Matrix(rows, 1, lambda j, _: bias_symbol(layer, j + 1, piece=piece))


# --- layers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Affine:
    """The affine part :math:`z = W a_{\\text{prev}} + b` shared by dense and softmax layers."""

    W: sp.Matrix
    b: sp.Matrix

    def __post_init__(self) -> None:
        _check_affine(self.W, self.b)

    @property
    def n_in(self) -> int:
        return int(self.W.shape[1])

    @property
    def n_out(self) -> int:
        return int(self.W.shape[0])

    @property
    def parameters(self) -> tuple[sp.Symbol, ...]:
        return _ordered_symbols([self.W, self.b])

    def pre_activation(self, a_prev: sp.Matrix) -> sp.Matrix:
        """:math:`z = W a_{\\text{prev}} + b`."""
        return self.W * a_prev + self.b


@dataclass(frozen=True, init=False)
class Dense(_Affine):
    r"""A dense layer :math:`a_j = \sigma_j\bigl((W a_{\text{prev}} + b)_j\bigr)`.

    Usually every neuron has the same activation :math:`\sigma` (``Dense(W, b, relu)``);
    a layer may also give each neuron :math:`j` its own :math:`\sigma_j` (``Dense(W, b,
    [relu, tanh])`` or ``Dense(W, b, activations=[relu, tanh])``, one per neuron).

    Parameters
    ----------
    W, b
        The weight matrix (:math:`n_{\text{out}} \times n_{\text{in}}`) and the bias column.
    activation
        The :class:`~symdl.core.activations.Activation` of every neuron, or a sequence of
        :math:`n_{\text{out}}` of them, one per neuron.
    activations
        The same sequence, by keyword (give ``activation`` or ``activations``, not both).

    Attributes
    ----------
    activations
        One activation per neuron (for a shared activation, that one repeated); the property
        ``activation`` gives the shared one.

    Examples
    --------
    >>> from symdl.core.activations import get_activation
    >>> layer = Dense(sp.Matrix([[1, -1]]), sp.Matrix([2]), get_activation("relu"))
    >>> layer.n_in, layer.n_out, layer.activate(layer.pre_activation(sp.Matrix([1, 5])))
    (2, 1, Matrix([[0]]))
    >>> relu, identity = get_activation("relu"), get_activation("identity")
    >>> mixed = Dense(sp.eye(2), sp.zeros(2, 1), [relu, identity])
    >>> mixed.is_mixed, mixed.activate(sp.Matrix([-3, -3])).T
    (True, Matrix([[0, -3]]))

    References
    ----------
    M. Nielsen, *Neural Networks and Deep Learning* (2015), ch. 2 (the matrix form).
    """

    activations: tuple[Activation, ...]

    kind = "dense"

    def __init__(
        self,
        W: sp.Matrix,
        b: sp.Matrix,
        activation: Activation | Sequence[Activation] | None = None,
        *,
        activations: Sequence[Activation] | None = None,
    ) -> None:
        object.__setattr__(self, "W", W)
        object.__setattr__(self, "b", b)
        _check_affine(W, b)
        n_out = int(W.shape[0])
        if activation is not None and activations is not None:
            raise TypeError(
                "Dense got both activation and activations; give one: a single Activation for "
                "every neuron, or a sequence with one Activation per neuron"
            )
        given = activations if activations is not None else activation
        if isinstance(given, Activation):
            acts: tuple[Activation, ...] = (given,) * n_out
        elif isinstance(given, Sequence) and not isinstance(given, (str, bytes)):
            acts = tuple(given)
            if len(acts) != n_out:
                raise ValueError(
                    f"activations has {len(acts)} entries for a layer of {n_out} neurons; give "
                    f"one Activation per neuron ({n_out}), or a single Activation for all"
                )
            for j, act in enumerate(acts):
                if not isinstance(act, Activation):
                    raise TypeError(
                        f"activations[{j}]={act!r} is not an Activation; get one by name with "
                        "symdl.core.activations.get_activation('relu')"
                    )
        else:
            raise TypeError(
                f"activation={given!r} is not an Activation; get one by name with "
                "symdl.core.activations.get_activation('relu'), or give a sequence of them, "
                "one per neuron"
            )
        object.__setattr__(self, "activations", acts)

    @property
    def is_mixed(self) -> bool:
        """Whether the neurons do not all share one activation."""
        return any(act != self.activations[0] for act in self.activations[1:])

    @property
    def activation(self) -> Activation:
        """The activation shared by every neuron.

        Raises
        ------
        NotSupportedError
            The layer gives its neurons different activations (read :attr:`activations`).
        """
        if self.is_mixed:
            names = ", ".join(
                f"neuron {j} {act.name}" for j, act in enumerate(self.activations, start=1)
            )
            raise NotSupportedError(
                f"this dense layer gives its neurons different activations ({names}), so it "
                "has no single activation; read .activations (one per neuron) instead"
            )
        return self.activations[0]

    def activate(self, z: sp.Matrix) -> sp.Matrix:
        """Each neuron's activation applied to its pre-activation (row :math:`j` of ``z``
        through :math:`\\sigma_j`; with a shared activation, every entry through it)."""
        if not self.is_mixed:
            return z.applyfunc(self.activations[0])
        if z.rows != self.n_out:
            raise ValueError(
                f"a pre-activation with {z.rows} rows does not fit a layer of {self.n_out} "
                f"neurons; give one row per neuron"
            )
        return sp.Matrix(z.rows, z.cols, lambda j, k: self.activations[j](z[j, k]))

    def subs(self, mapping: Mapping[sp.Symbol, sp.Expr]) -> Dense:
        return Dense(
            self.W.xreplace(mapping), self.b.xreplace(mapping), activations=self.activations
        )


@dataclass(frozen=True)
class SoftmaxLayer(_Affine):
    r"""An affine map followed by the softmax: :math:`a = \operatorname{softmax}(W a + b)`.

    Examples
    --------
    >>> layer = SoftmaxLayer(sp.Matrix([[1], [0]]), sp.Matrix([0, 0]))
    >>> layer.activate(layer.pre_activation(sp.Matrix([sp.log(3)])))
    Matrix([
    [3/4],
    [1/4]])

    References
    ----------
    I. Goodfellow, Y. Bengio and A. Courville, *Deep Learning* (2016), § 6.2.2.3.
    """

    kind = "softmax"

    def activate(self, z: sp.Matrix) -> sp.Matrix:
        return softmax(z)

    def subs(self, mapping: Mapping[sp.Symbol, sp.Expr]) -> SoftmaxLayer:
        return SoftmaxLayer(self.W.xreplace(mapping), self.b.xreplace(mapping))


@dataclass(frozen=True)
class Maxout:
    r"""A maxout layer: :math:`a_j = \max_p \bigl(W_p a_{\text{prev}} + b_p\bigr)_j`.

    Its pre-activation is the :math:`n_{\text{out}} \times k` matrix of the pieces' values
    (column :math:`p` is piece :math:`p`).

    Examples
    --------
    >>> pieces = (sp.Matrix([[1]]), sp.Matrix([[-1]]))  # max(x, -x) = |x|
    >>> layer = Maxout(pieces, (sp.Matrix([0]), sp.Matrix([0])))
    >>> layer.activate(layer.pre_activation(sp.Matrix([-3])))
    Matrix([[3]])

    References
    ----------
    I. Goodfellow, D. Warde-Farley, M. Mirza, A. Courville and Y. Bengio, "Maxout networks",
    ICML 2013, eq. (1).
    """

    Ws: tuple[sp.Matrix, ...]
    bs: tuple[sp.Matrix, ...]

    kind = "maxout"

    def __post_init__(self) -> None:
        if len(self.Ws) < 2 or len(self.Ws) != len(self.bs):
            raise ValueError(
                f"a maxout layer needs k >= 2 pieces, each a weight matrix and a bias; got "
                f"{len(self.Ws)} weight matrices and {len(self.bs)} biases"
            )
        for W, b in zip(self.Ws, self.bs, strict=True):
            _check_affine(W, b)
            if W.shape != self.Ws[0].shape:
                raise ValueError(
                    f"maxout pieces must have equal shapes; got {W.shape} and {self.Ws[0].shape}"
                )

    @property
    def k(self) -> int:
        return len(self.Ws)

    @property
    def n_in(self) -> int:
        return int(self.Ws[0].shape[1])

    @property
    def n_out(self) -> int:
        return int(self.Ws[0].shape[0])

    @property
    def parameters(self) -> tuple[sp.Symbol, ...]:
        return _ordered_symbols([*self.Ws, *self.bs])

    def pre_activation(self, a_prev: sp.Matrix) -> sp.Matrix:
        return sp.Matrix.hstack(*[W * a_prev + b for W, b in zip(self.Ws, self.bs, strict=True)])

    def activate(self, z: sp.Matrix) -> sp.Matrix:
        return sp.Matrix([sp.Max(*z.row(j)) for j in range(z.rows)])

    def subs(self, mapping: Mapping[sp.Symbol, sp.Expr]) -> Maxout:
        return Maxout(
            tuple(W.xreplace(mapping) for W in self.Ws),
            tuple(b.xreplace(mapping) for b in self.bs),
        )


Layer = Union[Dense, Maxout, SoftmaxLayer]  # noqa: UP007 (a runtime alias on Python 3.10)


def _check_affine(W: sp.Matrix, b: sp.Matrix) -> None:
    if not isinstance(W, sp.MatrixBase) or not isinstance(b, sp.MatrixBase):
        raise TypeError("W and b must be SymPy matrices (use exact_matrix to build them)")
    if b.shape != (W.shape[0], 1):
        raise ValueError(f"bias of shape {b.shape} does not fit weights of shape {W.shape}")


def _ordered_symbols(matrices: Iterable[sp.Matrix]) -> tuple[sp.Symbol, ...]:
    seen: dict[sp.Symbol, None] = {}
    for matrix in matrices:
        for entry in matrix:
            for symbol in sorted(entry.free_symbols, key=str):
                seen.setdefault(symbol, None)
    return tuple(seen)
