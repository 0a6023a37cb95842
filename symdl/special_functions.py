r"""The activations that SymPy lacks, as named SymPy functions: σ, softplus and ELU.

Named functions keep expressions small and readable (:math:`\sigma(z)` rather than
:math:`1/(1 + e^{-z})`), carry their exact derivatives (``fdiff``), evaluate exactly at numbers,
print as a lecturer writes them, and lambdify to numerically stable NumPy code.  Their
elementary forms are one ``rewrite`` away.
"""

from __future__ import annotations

from typing import Any

import sympy as sp

__all__ = ["ELU", "Sigmoid", "Softplus"]


class Sigmoid(sp.Function):
    r"""The logistic sigmoid :math:`\sigma(z) = 1/(1 + e^{-z})` as a SymPy function.

    Kept as a named function so that expressions stay small and print as :math:`\sigma(z)`;
    its derivative is :math:`\sigma(z)(1 - \sigma(z))`, and ``rewrite(sp.exp)`` gives the
    elementary form.

    Examples
    --------
    >>> import sympy as sp
    >>> z = sp.Symbol("z", real=True)
    >>> Sigmoid(z).diff(z)
    (1 - Sigmoid(z))*Sigmoid(z)
    >>> Sigmoid(0)
    1/2
    """

    is_real = True

    @classmethod
    def eval(cls, arg: sp.Expr) -> sp.Expr | None:
        if arg.is_zero:
            return sp.S.Half
        if arg is sp.oo:
            return sp.S.One
        if arg is sp.S.NegativeInfinity:
            return sp.S.Zero
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return Sigmoid(self.args[0]) * (1 - Sigmoid(self.args[0]))

    def _eval_rewrite_as_exp(self, arg: sp.Expr, **kwargs: Any) -> sp.Expr:
        return 1 / (1 + sp.exp(-arg))

    def _eval_evalf(self, prec: int) -> sp.Expr:
        return (1 / (1 + sp.exp(-self.args[0])))._eval_evalf(prec)

    def _eval_is_positive(self) -> bool | None:
        return True if self.args[0].is_real else None

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        name = r"\sigma" if exp is None else rf"\sigma^{{{exp}}}"
        return rf"{name}\left({printer._print(self.args[0])}\right)"

    def _numpycode(self, printer: Any) -> str:
        # the lambdified form: σ(z) = exp(-log(1 + e^{-z})), stable for every z
        return f"numpy.exp(-numpy.logaddexp(0, -({printer._print(self.args[0])})))"


class Softplus(sp.Function):
    r"""The softplus :math:`\log(1 + e^{z})` as a SymPy function; its derivative is
    :math:`\sigma(z)` (Dugas et al. 2001).

    Examples
    --------
    >>> import sympy as sp
    >>> z = sp.Symbol("z", real=True)
    >>> Softplus(z).diff(z), Softplus(0)
    (Sigmoid(z), log(2))
    """

    is_real = True

    @classmethod
    def eval(cls, arg: sp.Expr) -> sp.Expr | None:
        if arg.is_zero:
            return sp.log(2)
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return Sigmoid(self.args[0])

    def _eval_rewrite_as_exp(self, arg: sp.Expr, **kwargs: Any) -> sp.Expr:
        return sp.log(1 + sp.exp(arg))

    def _eval_rewrite_as_log(self, arg: sp.Expr, **kwargs: Any) -> sp.Expr:
        return sp.log(1 + sp.exp(arg))

    def _eval_evalf(self, prec: int) -> sp.Expr:
        return sp.log(1 + sp.exp(self.args[0]))._eval_evalf(prec)

    def _eval_is_positive(self) -> bool | None:
        return True if self.args[0].is_real else None

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        name = (
            r"\operatorname{softplus}" if exp is None else rf"\operatorname{{softplus}}^{{{exp}}}"
        )
        return rf"{name}\left({printer._print(self.args[0])}\right)"

    def _numpycode(self, printer: Any) -> str:
        # the lambdified form: log(1 + e^z) = logaddexp(0, z), stable for every z
        return f"numpy.logaddexp(0, {printer._print(self.args[0])})"


class ELU(sp.Function):
    r"""The exponential linear unit :math:`\operatorname{ELU}_\alpha(z)`: :math:`z` for
    :math:`z \ge 0`, :math:`\alpha(e^z - 1)` for :math:`z < 0` (Clevert, Unterthiner,
    Hochreiter 2016, eq. (15)).

    A named function rather than a ``Piecewise``, so that compositions stay readable and no
    ``Piecewise`` ends up inside another one's condition.

    Examples
    --------
    >>> import sympy as sp
    >>> ELU(sp.Integer(-1), sp.Integer(1)), ELU(sp.Rational(3, 2), sp.Integer(1))
    (-1 + exp(-1), 3/2)
    """

    nargs = 2
    is_real = True

    @classmethod
    def eval(cls, z: sp.Expr, alpha: sp.Expr) -> sp.Expr | None:
        if z.is_extended_nonnegative:
            return z
        if z.is_extended_negative:
            return alpha * (sp.exp(z) - 1)
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        z, alpha = self.args
        if argindex == 1:
            return sp.Piecewise((sp.S.One, z >= 0), (alpha * sp.exp(z), True))
        return sp.Piecewise((sp.S.Zero, z >= 0), (sp.exp(z) - 1, True))

    def _eval_rewrite_as_Piecewise(self, z: sp.Expr, alpha: sp.Expr, **kwargs: Any) -> sp.Expr:
        return sp.Piecewise((z, z >= 0), (alpha * (sp.exp(z) - 1), True))

    def _eval_evalf(self, prec: int) -> sp.Expr:
        return self.rewrite(sp.Piecewise)._eval_evalf(prec)

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        z, alpha = (printer._print(a) for a in self.args)
        name = r"\operatorname{ELU}" if self.args[1] == 1 else rf"\operatorname{{ELU}}_{{{alpha}}}"
        if exp is not None:
            name = rf"{name}^{{{exp}}}"
        return rf"{name}\left({z}\right)"

    def _numpycode(self, printer: Any) -> str:
        z, alpha = (printer._print(a) for a in self.args)
        return f"numpy.where(({z}) >= 0, {z}, ({alpha}) * numpy.expm1(numpy.minimum({z}, 0)))"
