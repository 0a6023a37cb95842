r"""Straight-line programs: ordered definitions sharing subexpressions, and their cost.

A straight-line program is a list of assignments :math:`v_i := e_i(v_1, \dots, v_{i-1}, x)`
evaluated in order, followed by output expressions in the :math:`v_i` and the inputs
:math:`x`.  It is the form in which reverse-mode differentiation keeps a gradient small: every
intermediate value (a pre-activation :math:`z^l_j`, an activation :math:`a^l_j`, an error
:math:`\delta^l_j`) is one symbol, used as often as needed but defined once.  Baur and
Strassen (1983) prove that the gradient of a program of :math:`L` operations is computable by a
program of at most about :math:`3L` operations; Griewank and Walther (2008, ch. 4) give the
3–5 bound that the operation count of :class:`StraightLineProgram` measures.

The program is expanded into a single expression tree only on request
(:meth:`StraightLineProgram.expand`); it is evaluated exactly in order
(:meth:`StraightLineProgram.evaluate`) and compiled to a NumPy function by printing one line of code
per definition (:meth:`StraightLineProgram.numpy_function`), never by building the tree.

References
----------
W. Baur and V. Strassen, "The complexity of partial derivatives", Theoretical Computer Science
22 (1983), 317–330, Theorem 1.

A. Griewank and A. Walther, *Evaluating Derivatives*, 2nd ed., SIAM (2008), section 4.6.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp
from numpy.typing import NDArray
from sympy.printing.numpy import NumPyPrinter

from symdl.core.activations import Sigmoid

__all__ = ["StraightLineProgram"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class StraightLineProgram:
    r"""Ordered definitions :math:`v_i := e_i` and output expressions in them.

    Parameters
    ----------
    definitions
        Pairs ``(symbol, expression)`` in evaluation order: each expression uses only inputs
        and symbols defined before it.
    outputs
        The expressions the program computes, in the defined symbols and the inputs.

    Examples
    --------
    >>> import sympy as sp
    >>> x, v, w = sp.symbols("x v w", real=True)
    >>> program = StraightLineProgram(((v, x + 1), (w, v * v)), (w * v,))
    >>> program.expand(program.outputs[0])
    (x + 1)**3
    >>> program.evaluate({x: sp.Integer(2)})
    (27,)
    >>> program.operation_count()
    3

    References
    ----------
    A. Griewank and A. Walther, *Evaluating Derivatives*, 2nd ed., SIAM (2008), section 2.2
    (evaluation procedures: the straight-line form of a computation).
    """

    definitions: tuple[tuple[sp.Symbol, sp.Expr], ...]
    outputs: tuple[sp.Expr, ...]
    _index: dict[sp.Symbol, sp.Expr] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = dict(self.definitions)
        if len(index) != len(self.definitions):
            symbols = [s for s, _ in self.definitions]
            twice = sorted({s for s in symbols if symbols.count(s) > 1}, key=str)
            raise ValueError(
                f"the symbols {twice} are defined more than once; a straight-line program "
                f"defines each symbol once (rename the second definition)"
            )
        defined: set[sp.Symbol] = set()
        for symbol, rhs in self.definitions:
            # a definition may use the inputs and the symbols defined before it, nothing later
            early = {s for s in sp.sympify(rhs).free_symbols if s in index and s not in defined}
            if early:
                raise ValueError(
                    f"the definition of {symbol} uses {sorted(map(str, early))} before they "
                    f"are defined; order the definitions so each uses only earlier ones"
                )
            defined.add(symbol)
        object.__setattr__(self, "_index", index)

    @property
    def defined(self) -> Mapping[sp.Symbol, sp.Expr]:
        """The definitions as a mapping from symbol to its defining expression."""
        return self._index

    def operation_count(self) -> int:
        """Arithmetic operations of the whole program, each definition counted once.

        Uses :func:`sympy.count_ops` (an :math:`n`-term sum is :math:`n - 1` additions).
        """
        total = sum(int(sp.count_ops(rhs)) for _, rhs in self.definitions)
        return total + sum(int(sp.count_ops(out)) for out in self.outputs)

    def expand(self, expr: sp.Expr, *, keep: frozenset[sp.Symbol] = frozenset()) -> sp.Expr:
        """Substitute the definitions into ``expr`` until only inputs (and ``keep``) remain."""
        return self.expand_many([expr], keep=keep)[0]

    def expand_many(
        self, exprs: Sequence[sp.Expr], *, keep: frozenset[sp.Symbol] = frozenset()
    ) -> list[sp.Expr]:
        """:meth:`expand` for several expressions, sharing the expansions of the symbols.

        The symbols in ``keep`` are left as they are, with their definitions unused.
        """
        cache: dict[sp.Symbol, sp.Expr] = {s: s for s in keep}
        return [self._expand(sp.sympify(e), cache) for e in exprs]

    def _expand(self, expr: sp.Expr, cache: dict[sp.Symbol, sp.Expr]) -> sp.Expr:
        needed = [s for s in expr.free_symbols if s in self._index or s in cache]
        if not needed:
            return expr
        for symbol in needed:
            if symbol not in cache:
                cache[symbol] = self._expand(self._index[symbol], cache)
        return expr.xreplace({s: cache[s] for s in needed})

    def evaluate(self, values: Mapping[sp.Symbol, sp.Expr]) -> tuple[sp.Expr, ...]:
        """The outputs, exactly, with every input given a value; definitions in order."""
        known: dict[sp.Symbol, sp.Expr] = {k: sp.sympify(v) for k, v in values.items()}
        for symbol, rhs in self.definitions:
            known[symbol] = rhs.xreplace(known)
        return tuple(out.xreplace(known) for out in self.outputs)

    def numpy_function(self, args: Sequence[sp.Symbol]) -> Callable[..., FloatArray]:
        """Compile to a NumPy function of ``args``, one line of code per definition.

        The function takes one array (or float) per argument; arrays broadcast against each
        other along a batch.  It returns a float array with one entry per output: the mean of
        that output over the batch.

        The code is printed from the definitions in order, so its length is proportional to
        :meth:`operation_count` and no expression tree is ever built.
        """
        names = _safe_names([*args, *(s for s, _ in self.definitions)])
        code = _Code(names)
        lines = [f"def _program({', '.join(names[a] for a in args)}):"]
        for symbol, rhs in self.definitions:
            lines.append(f"    {names[symbol]} = {code(rhs)}")
        lines.append(f"    _out = numpy.empty({len(self.outputs)})")
        for i, out in enumerate(self.outputs):
            lines.append(f"    _out[{i}] = numpy.mean({code(out)})")
        lines.append("    return _out")
        namespace: dict[str, Any] = {"numpy": np, "functools": __import__("functools")}
        exec(compile("\n".join(lines), "<symdl straight-line program>", "exec"), namespace)
        function: Callable[..., FloatArray] = namespace["_program"]
        return function


class _ArrayPrinter(NumPyPrinter):
    """NumPy printer that knows :class:`symdl.core.activations.Sigmoid` and prints Heaviside
    fast."""

    def _print_Sigmoid(self, expr: Sigmoid) -> str:
        # σ(x) = (1 + tanh(x/2))/2: the same function, and it never overflows.
        return f"(0.5 + 0.5*numpy.tanh(0.5*({self._print(expr.args[0])})))"

    def _print_Heaviside(self, expr: sp.Heaviside) -> str:
        # numpy.heaviside(x, h0) is h0 at 0: the convention is kept, and nothing is simplified
        # (SymPy's default goes through Piecewise and simplify_logic, slow on large arguments)
        at_zero = expr.args[1] if len(expr.args) > 1 else sp.S.Half
        return f"numpy.heaviside({self._print(expr.args[0])}, {self._print(at_zero)})"


class _Code:
    """Python code of an expression: sums and products of symbols printed directly (fast),
    anything else by :class:`_ArrayPrinter`."""

    def __init__(self, names: Mapping[sp.Symbol, str]) -> None:
        self.names = names
        self.rename = {s: sp.Symbol(name) for s, name in names.items()}
        self.printer = _ArrayPrinter({"fully_qualified_modules": True, "strict": True})

    def __call__(self, expr: sp.Expr) -> str:
        if expr.is_Symbol and expr in self.names:
            return self.names[expr]
        if expr.is_Integer:
            return f"({int(expr)})"
        if expr.is_Rational:
            return f"({expr.p}/{expr.q})"
        if expr.is_Add:
            return "(" + " + ".join(self(arg) for arg in expr.args) + ")"
        if expr.is_Mul:
            return "(" + "*".join(self(arg) for arg in expr.args) + ")"
        if expr.is_Pow and expr.exp.is_Integer:
            return f"({self(expr.base)}**{int(expr.exp)})"
        return str(self.printer.doprint(expr.xreplace(self.rename)))


def _safe_names(symbols: Sequence[sp.Symbol]) -> dict[sp.Symbol, str]:
    """A distinct Python identifier for every symbol (``w^{(1)}_{12}`` → ``w_1_12``)."""
    names: dict[sp.Symbol, str] = {}
    used: set[str] = set()
    for symbol in symbols:
        if symbol in names:
            continue
        base = re.sub(r"\W+", "_", symbol.name.replace("\\", "")).strip("_") or "v"
        if base[0].isdigit() or keyword.iskeyword(base):
            base = f"v_{base}"
        name, suffix = base, 1
        while name in used or name in {"numpy", "functools", "_out", "_program"}:
            suffix += 1
            name = f"{base}__{suffix}"
        used.add(name)
        names[symbol] = name
    return names
