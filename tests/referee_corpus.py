r"""A hand-written corpus of answers to gradient problems, each with the verdict it must get.

Every case is a problem (a name in :data:`PROBLEMS`), an answer as a student would type it
(Python-like or LaTeX), and the expected :class:`~symdl.referee.verdict.Outcome`, derived by hand:
the true derivative by calculus, the answer's equivalence or its mistake by algebra.  The
``why`` of each case says how.  No expected outcome was produced by the checker under test.

Conventions of the expected outcomes:

- EQUIVALENT means equal wherever both sides are defined, except on a set of measure zero
  that a grader cannot see by sampling (a kink of ReLU at 0, where ReLU'(0) = 0 by convention,
  or the point 0 where ``|x|/x`` is undefined): no case is wrong at a single kink only.
- DIFFERENT means unequal on a set of positive measure of the problem's domain, however small
  the difference (``+ 10^(-45) x``) and however thin the set (a bump of width 1/500).
- The domain of a variable is the whole real line unless the problem gives a sampling
  interval; an answer right only inside [-2, 2] is DIFFERENT.
- A matrix gradient's orientation is graded (a transposed matrix is DIFFERENT), a vector
  gradient's is not (a list ``wrt`` accepts a row); a wrong number of entries is
  NOT_COMPARABLE.
- For a loss that needs one-hot targets (``LOSSES["log"]``) the targets are one-hot.

Cases with ``symbolic=False`` are checked with ``CheckOptions(symbolic_seconds=0)``: the
numeric stages must decide alone.  Cases with ``conditional`` set expect
``Verdict.conditions`` to be nonempty (True) or empty (False).
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sympy as sp

from symdl.core.losses import LOSSES
from symdl.core.network import Dense, Network
from symdl.referee.sampling import OneHot, SamplingInterval, Simplex
from symdl.referee.verdict import Outcome

__all__ = ["CASES", "PROBLEMS", "Case", "Category", "ConstraintKind", "Problem", "problem"]


class Category(enum.Enum):
    """What a case tests."""

    EQUIVALENT_FORM = "an equivalent form of the true gradient"
    MISTAKE = "a realistic mistake"
    TINY_DIFFERENCE = "a difference of relative size 1e-12 to 1e-45"
    ADVERSARIAL = "right only at integers, on a dense set, inside [-2, 2] or off a thin set"
    SOFTMAX = "softmax with cross-entropy and one-hot targets"
    NETWORK = "a network parameter's gradient"
    NOT_COMPARABLE = "unreadable text, wrong shape or unknown symbols"
    CONDITIONAL = "right only under the problem's constraints on its variables"


class ConstraintKind(enum.Enum):
    """A constraint on some of a problem's variables (see :meth:`Problem.constraints`)."""

    SIMPLEX = "nonnegative, summing to 1"
    ONE_HOT = "one-hot"


@dataclass(frozen=True)
class Problem:
    """The arguments of ``check_gradient`` other than the answer."""

    f: Any  # a SymPy expression or a Network
    wrt: Any  # a Symbol, a list of Symbols, a Matrix of Symbols or a layer name
    loss: Any = None
    domains: Mapping[sp.Symbol, SamplingInterval] | None = None
    constraint: tuple[ConstraintKind, tuple[sp.Symbol, ...]] | None = None

    def constraints(self) -> list[Simplex | OneHot]:
        """The constraint as ``symdl.referee.sampling`` objects, for ``check_gradient``."""
        if self.constraint is None:
            return []
        kind, symbols = self.constraint
        build = Simplex if kind is ConstraintKind.SIMPLEX else OneHot
        return [build(list(symbols))]


@dataclass(frozen=True)
class Case:
    """One answer to one problem, and the verdict derived by hand."""

    id: str
    problem: str  #: a key of PROBLEMS
    answer: str
    expected: Outcome
    category: Category
    why: str
    symbolic: bool = True  #: False: CheckOptions(symbolic_seconds=0)
    conditional: bool | None = None  #: expected bool(verdict.conditions), when given
    latex: str | None = None  #: the answer in LaTeX, for checkers that read only LaTeX


# --- the problems ------------------------------------------------------------------------------

x, a, y = sp.symbols("x a y", real=True)
U1, U2, U3 = sp.symbols("u_1 u_2 u_3", real=True)
Y1, Y2, Y3 = sp.symbols("y_1 y_2 y_3", real=True)
A1, A2, X1, X2 = sp.symbols("a_1 a_2 x_1 x_2", real=True)
W = sp.Matrix(2, 2, sp.symbols("w_11 w_12 w_21 w_22", real=True))
A = sp.Matrix(2, 2, sp.symbols("A_11 A_12 A_21 A_22", real=True))
POSITIVE = {x: SamplingInterval(sp.Rational(1, 10), 3)}


def _cross_entropy(classes: int) -> sp.Expr:
    """-sum_j y_j log softmax(u)_j, written with exp and log only."""
    u, t = (U1, U2, U3)[:classes], (Y1, Y2, Y3)[:classes]
    total = sum(sp.exp(v) for v in u)
    return -sum(t_j * sp.log(sp.exp(u_j) / total) for u_j, t_j in zip(u, t, strict=True))


def _layer(sizes: list[int], activations: Any, loss: str, wrt: Any) -> Problem:
    return Problem(Network.mlp(sizes, activations), wrt, LOSSES[loss])


def _softmax_b11() -> Problem:
    net = Network.mlp([2, 2], "identity")
    layer = net.layers[0]
    assert isinstance(layer, Dense)
    return Problem(net, layer.b[0], LOSSES["log"])


PROBLEMS: dict[str, Callable[[], Problem]] = {
    "square": lambda: Problem(x**2, x),
    "exp": lambda: Problem(sp.exp(x), x),
    "x2exp": lambda: Problem(x**2 * sp.exp(x), x),
    "sincos": lambda: Problem(sp.sin(x) * sp.cos(x), x),
    "rational": lambda: Problem(x / (1 + x**2), x),
    "tanh": lambda: Problem(sp.tanh(x), x),
    "logistic": lambda: Problem(1 / (1 + sp.exp(-x)), x),
    "softplus": lambda: Problem(sp.log(1 + sp.exp(x)), x),
    "log_sigmoid": lambda: Problem(-sp.log(1 + sp.exp(-x)), x),
    "swish": lambda: Problem(x / (1 + sp.exp(-x)), x),
    "tanh_from_sigmoid": lambda: Problem(2 / (1 + sp.exp(-2 * x)) - 1, x),
    "exp_sin": lambda: Problem(sp.exp(sp.sin(x)), x),
    "lse": lambda: Problem(sp.log(sp.exp(U1) + sp.exp(U2)), U1),
    "lse_vector": lambda: Problem(sp.log(sp.exp(U1) + sp.exp(U2)), [U1, U2]),
    "relu": lambda: Problem(sp.Max(0, x), x),
    "relu_squared": lambda: Problem(sp.Max(0, x) ** 2, x),
    "leaky_relu": lambda: Problem(sp.Max(x / 10, x), x),
    "abs": lambda: Problem(sp.Abs(x), x),
    "sqrt_square": lambda: Problem(sp.sqrt(x**2), x),
    "sqrt_square_positive": lambda: Problem(sp.sqrt(x**2), x, domains=POSITIVE),
    "log_square": lambda: Problem(sp.log(x**2), x),
    "log_square_positive": lambda: Problem(sp.log(x**2), x, domains=POSITIVE),
    "x_log_x": lambda: Problem(x * sp.log(x), x, domains=POSITIVE),
    "mse": lambda: Problem((a - y) ** 2, a),
    "bilinear": lambda: Problem((sp.Matrix([[A1, A2]]) * W * sp.Matrix([X1, X2]))[0], W),
    "quadratic_form": lambda: Problem(
        (sp.Matrix([[X1, X2]]) * A * sp.Matrix([X1, X2]))[0], [X1, X2]
    ),
    "cross_entropy_simplex": lambda: Problem(
        _cross_entropy(2), U1, constraint=(ConstraintKind.SIMPLEX, (Y1, Y2))
    ),
    "cross_entropy_one_hot": lambda: Problem(
        _cross_entropy(2), U1, constraint=(ConstraintKind.ONE_HOT, (Y1, Y2))
    ),
    "cross_entropy_3": lambda: Problem(
        _cross_entropy(3), U2, constraint=(ConstraintKind.SIMPLEX, (Y1, Y2, Y3))
    ),
    "cross_entropy_free": lambda: Problem(_cross_entropy(2), U1),
    "relu_net_W1": lambda: _layer([1, 1, 1], ["relu", "identity"], "mse", "W1"),
    "relu_net_b1": lambda: _layer([1, 1, 1], ["relu", "identity"], "mse", "b1"),
    "softmax_b11": _softmax_b11,
    "softmax_b1": lambda: _layer([2, 2], "identity", "log", "b1"),
    "softmax_W1": lambda: _layer([2, 2], "identity", "log", "W1"),
    "sigmoid_mse_W2": lambda: _layer([2, 2, 1], ["sigmoid", "sigmoid"], "mse", "W2"),
    "sigmoid_mse_W1": lambda: _layer([2, 2, 1], ["sigmoid", "sigmoid"], "mse", "W1"),
    "sigmoid_bce_b2": lambda: _layer([2, 2, 1], ["sigmoid", "sigmoid"], "bce", "b2"),
    "sigmoid_bce_W2": lambda: _layer([2, 2, 1], ["sigmoid", "sigmoid"], "bce", "W2"),
    "sigmoid_bce_W1": lambda: _layer([2, 2, 1], ["sigmoid", "sigmoid"], "bce", "W1"),
    "tanh_net_W1": lambda: _layer([1, 1, 1], ["tanh", "identity"], "mse", "W1"),
    "tanh_mse_W1": lambda: _layer([2, 2, 1], ["tanh", "identity"], "mse", "W1"),
}


@functools.cache
def problem(name: str) -> Problem:
    """The problem of that name, built once."""
    return PROBLEMS[name]()


# --- the answers ---------------------------------------------------------------------------------

EQ, DIFF, NC = Outcome.EQUIVALENT, Outcome.DIFFERENT, Outcome.NOT_COMPARABLE
FORM, MISTAKE, TINY = Category.EQUIVALENT_FORM, Category.MISTAKE, Category.TINY_DIFFERENCE
ADVERSARIAL, SOFTMAX, NETWORK = Category.ADVERSARIAL, Category.SOFTMAX, Category.NETWORK
UNREADABLE, CONDITIONAL = Category.NOT_COMPARABLE, Category.CONDITIONAL

#: 2·3·5·…·127, the product of the primes below 128: sin(K π x) vanishes at every x = p/q
#: whose denominator q divides K.
PRIMORIAL = 4014476939333036189094441199026045136645885247730

_EXPRESSIONS = [
    # d/dx x^2 = 2x
    Case("sq-plain", "square", "2x", EQ, FORM, "power rule"),
    Case("sq-sum", "square", "x + x", EQ, FORM, "x + x = 2x"),
    Case("sq-trig", "square", "2x(sin(x)^2+cos(x)^2)", EQ, FORM, "sin² + cos² = 1"),
    Case("sq-trig-num", "square", "2x(sin(x)^2+cos(x)^2)", EQ, FORM, "sin² + cos² = 1",
         symbolic=False),
    Case("sq-trig-latex", "square", r"2x\left(\sin^2 x + \cos^2 x\right)", EQ, FORM,
         "sin² + cos² = 1"),
    Case("sq-cosh", "square", r"2x\cosh^2 x - 2x\sinh^2 x", EQ, FORM, "cosh² − sinh² = 1"),
    Case("sq-cosh-num", "square", r"2x\cosh^2 x - 2x\sinh^2 x", EQ, FORM, "cosh² − sinh² = 1",
         symbolic=False),
    Case("sq-expanded", "square", "(x+1)^2 - x^2 - 1", EQ, FORM, "x² + 2x + 1 − x² − 1 = 2x"),
    Case("sq-expanded-num", "square", "(x+1)^2 - x^2 - 1", EQ, FORM,
         "x² + 2x + 1 − x² − 1 = 2x (a polynomial identity)", symbolic=False),
    Case("sq-cdot", "square", r"2 \cdot x", EQ, FORM, "power rule, \\cdot"),
    Case("sq-order", "square", "x*2", EQ, FORM, "factors in the other order"),
    Case("sq-frac", "square", r"\frac{4x}{2}", EQ, FORM, "4x/2 = 2x"),
    Case("sq-half", "square", "x", DIFF, MISTAKE, "the factor 2 lost: x ≠ 2x for x ≠ 0"),
    Case("sq-const", "square", "2", DIFF, MISTAKE, "the x dropped: 2 ≠ 2x for x ≠ 1"),
    Case("sq-function", "square", "x^2", DIFF, MISTAKE, "the function, not its derivative"),
    Case("sq-sign", "square", "-2x", DIFF, MISTAKE, "sign: −2x ≠ 2x for x ≠ 0"),
    Case("sq-offset", "square", "2x + 1", DIFF, MISTAKE, "off by the constant 1"),
    Case("sq-sqrt", "square", "sqrt(4x^2)", DIFF, MISTAKE, "√(4x²) = 2|x| ≠ 2x for x < 0"),
    Case("sq-abs", "square", "2|x|", DIFF, MISTAKE, "2|x| ≠ 2x for x < 0"),
    Case("sq-1e12", "square", "2x + 10^(-12)", DIFF, TINY, "off by the constant 10^-12"),
    Case("sq-1e20", "square", "2x + 10^(-20) x", DIFF, TINY, "off by 10^-20 x"),
    Case("sq-1e30", "square", "2x(1 + 10^(-30))", DIFF, TINY, "relative error 10^-30"),
    Case("sq-1e30-num", "square", "2x(1 + 10^(-30))", DIFF, TINY, "relative error 10^-30",
         symbolic=False),
    Case("sq-1e40-num", "square", "2x + 10^(-40)", DIFF, TINY, "off by the constant 10^-40",
         symbolic=False),
    Case("sq-1e45", "square", "2x + 10^(-45) x", DIFF, TINY, "off by 10^-45 x"),
    Case("sq-1e45-num", "square", "2x + 10^(-45) x", DIFF, TINY,
         "off by 10^-45 x: rational values, compared exactly", symbolic=False),
    Case("sq-integers", "square", "2x + sin(pi x)", DIFF, ADVERSARIAL,
         "sin(πx) = 0 only at integers"),
    Case("sq-integers-num", "square", "2x + sin(pi x)", DIFF, ADVERSARIAL,
         "sin(πx) = 0 only at integers", symbolic=False),
    Case("sq-integers-squared", "square", "2x + sin(pi x)^2", DIFF, ADVERSARIAL,
         "sin(πx)² ≥ 0, = 0 only at integers"),
    Case("sq-dense", "square", "2x(1 + sin(2520 pi x)^2)", DIFF, ADVERSARIAL,
         "right only where 2520x is an integer (every denominator up to 10 divides 2520)"),
    Case("sq-outside", "square", "2x + max(0, x - 3)", DIFF, ADVERSARIAL,
         "right on x ≤ 3 only: x² is differentiated on the whole line"),
    Case("sq-outside-far", "square", "2x + max(0, |x| - 5)^2", DIFF, ADVERSARIAL,
         "right on |x| ≤ 5 only"),
    # Expected to be found DIFFERENT although it is hard: the answer is wrong only on
    # (1/7 − 1/1000, 1/7 + 1/1000), an interval of width 1/500 that few samples fall in.
    Case("sq-narrow-bump", "square", "2x + max(0, 1/1000 - |x - 1/7|)", DIFF, ADVERSARIAL,
         "wrong on an interval of width 1/500 around 1/7 only"),
    # d/dx e^x = e^x
    Case("exp-plain", "exp", "e^x", EQ, FORM, "e^x is its own derivative"),
    Case("exp-latex", "exp", r"\exp(x)", EQ, FORM, "\\exp"),
    Case("exp-trig-num", "exp", "exp(x)(sin(x)^2 + cos(x)^2)", EQ, FORM, "sin² + cos² = 1",
         symbolic=False),
    Case("exp-cosh", "exp", "cosh(x) + sinh(x)", EQ, FORM, "cosh + sinh = e^x"),
    Case("exp-cosh-num", "exp", "cosh(x) + sinh(x)", EQ, FORM, "cosh + sinh = e^x",
         symbolic=False),
    Case("exp-power-rule", "exp", "x e^{x-1}", DIFF, MISTAKE,
         "the power rule applied to an exponential: x e^(x−1) ≠ e^x for x ≠ e"),
    Case("exp-1e12", "exp", "e^x(1 + 10^(-12))", DIFF, TINY, "relative error 10^-12"),
    Case("exp-1e20", "exp", "e^x + 10^(-20)", DIFF, TINY, "off by the constant 10^-20"),
    Case("exp-1e30-num", "exp", "e^x + 10^(-30) x", DIFF, TINY, "off by 10^-30 x",
         symbolic=False),
    Case("exp-1e40-num", "exp", "e^x(1 + 10^(-40))", DIFF, TINY, "relative error 10^-40",
         symbolic=False),
    Case("exp-1e45", "exp", "e^x + 10^(-45)", DIFF, TINY, "off by the constant 10^-45"),
    Case("exp-1e45-num", "exp", "e^x + 10^(-45)", DIFF, TINY, "off by the constant 10^-45",
         symbolic=False),
    Case("exp-integers", "exp", "e^x + sin(pi x)^2", DIFF, ADVERSARIAL,
         "sin(πx)² = 0 only at integers"),
    Case("exp-dense-2520", "exp", "exp(x)(1 + sin(2520 pi x)^2)", DIFF, ADVERSARIAL,
         "right only on (1/2520)ℤ"),
    Case("exp-dense-2520-num", "exp", "exp(x)(1 + sin(2520 pi x)^2)", DIFF, ADVERSARIAL,
         "right only on (1/2520)ℤ", symbolic=False),
    Case("exp-dense-720720", "exp", "exp(x)(1 + sin(720720 pi x)^2)", DIFF, ADVERSARIAL,
         "right only on (1/720720)ℤ (720720 = lcm(1, …, 16))"),
    Case("exp-dense-1e12", "exp", "exp(x)(1 + sin(10^12 pi x)^2)", DIFF, ADVERSARIAL,
         "right only on 10^-12 ℤ"),
    Case("exp-dense-primorial", "exp", f"exp(x)(1 + sin({PRIMORIAL} pi x)^2)", DIFF,
         ADVERSARIAL, "right only where x·(product of the primes below 128) is an integer"),
    Case("exp-dense-primorial-num", "exp", f"exp(x)(1 + sin({PRIMORIAL} pi x)^2)", DIFF,
         ADVERSARIAL, "right only where x·(product of the primes below 128) is an integer",
         symbolic=False),
    # d/dx x² e^x = (x² + 2x) e^x
    Case("x2e-factored", "x2exp", "(x^2 + 2x) e^x", EQ, FORM, "product rule"),
    Case("x2e-x-factored", "x2exp", "x(x+2)e^x", EQ, FORM, "x² + 2x = x(x + 2)"),
    Case("x2e-expanded", "x2exp", "e^x x^2 + 2x e^x", EQ, FORM, "expanded, other order"),
    Case("x2e-latex", "x2exp", r"\left(x^{2}+2x\right)\exp(x)", EQ, FORM, "product rule"),
    Case("x2e-order", "x2exp", "x e^x (2 + x)", EQ, FORM, "factors reordered"),
    Case("x2e-square", "x2exp", "((x+1)^2 - 1) e^x", EQ, FORM, "(x + 1)² − 1 = x² + 2x"),
    Case("x2e-square-num", "x2exp", "((x+1)^2 - 1) e^x", EQ, FORM, "(x + 1)² − 1 = x² + 2x",
         symbolic=False),
    Case("x2e-half-product", "x2exp", "2x e^x", DIFF, MISTAKE,
         "only the first term of the product rule"),
    Case("x2e-other-half", "x2exp", "x^2 e^x", DIFF, MISTAKE,
         "only the second term of the product rule"),
    Case("x2e-lost-x", "x2exp", "(x^2 + 2) e^x", DIFF, MISTAKE, "2 for 2x"),
    Case("x2e-no-exp", "x2exp", "2x e^x + x^2", DIFF, MISTAKE, "e^x dropped from one term"),
    Case("x2e-sign", "x2exp", "(x^2 - 2x) e^x", DIFF, MISTAKE, "sign of one term"),
    Case("x2e-1e20-num", "x2exp", "(x^2 + 2x) e^x + 10^(-20)", DIFF, TINY,
         "off by the constant 10^-20", symbolic=False),
    Case("x2e-1e40-num", "x2exp", "(x^2 + 2x) e^x (1 + 10^(-40))", DIFF, TINY,
         "relative error 10^-40", symbolic=False),
    # d/dx sin x cos x = cos² x − sin² x = cos 2x
    Case("sc-double", "sincos", "cos(2x)", EQ, FORM, "cos² − sin² = cos 2x"),
    Case("sc-double-num", "sincos", "cos(2x)", EQ, FORM, "cos² − sin² = cos 2x",
         symbolic=False),
    Case("sc-product", "sincos", "cos(x)^2 - sin(x)^2", EQ, FORM, "product rule"),
    Case("sc-sin", "sincos", "1 - 2 sin(x)^2", EQ, FORM, "cos² = 1 − sin²"),
    Case("sc-sin-num", "sincos", "1 - 2 sin(x)^2", EQ, FORM, "cos² = 1 − sin²",
         symbolic=False),
    Case("sc-cos", "sincos", "2cos(x)^2 - 1", EQ, FORM, "sin² = 1 − cos²"),
    Case("sc-latex", "sincos", r"\cos^2 x - \sin^2 x", EQ, FORM, "product rule"),
    Case("sc-factored", "sincos", "(cos x - sin x)(cos x + sin x)", EQ, FORM,
         "difference of squares"),
    Case("sc-plus", "sincos", "cos(x)^2 + sin(x)^2", DIFF, MISTAKE,
         "sign in the product rule: = 1"),
    Case("sc-sin2x", "sincos", "sin(2x)", DIFF, MISTAKE, "the double angle of the function"),
    Case("sc-factor", "sincos", "2cos(2x)", DIFF, MISTAKE, "a spurious factor 2"),
    Case("sc-one-term", "sincos", "cos(x)^2", DIFF, MISTAKE, "only one term of the product"),
    Case("sc-sign", "sincos", "-cos(2x)", DIFF, MISTAKE, "sign"),
    # d/dx x/(1+x²) = (1 − x²)/(1 + x²)²
    Case("rat-plain", "rational", "(1 - x^2)/(1 + x^2)^2", EQ, FORM, "quotient rule"),
    Case("rat-split", "rational", r"\frac{1}{1+x^2} - \frac{2x^2}{(1+x^2)^2}", EQ, FORM,
         "product rule on x·(1 + x²)^-1"),
    Case("rat-split-num", "rational", r"\frac{1}{1+x^2} - \frac{2x^2}{(1+x^2)^2}", EQ, FORM,
         "product rule on x·(1 + x²)^-1 (a rational identity)", symbolic=False),
    Case("rat-factored", "rational", r"\frac{(1-x)(1+x)}{(x^2+1)^2}", EQ, FORM,
         "1 − x² = (1 − x)(1 + x)"),
    Case("rat-expanded-num", "rational", "(1-x^2)/(1 + 2x^2 + x^4)", EQ, FORM,
         "(1 + x²)² = 1 + 2x² + x⁴", symbolic=False),
    Case("rat-sign", "rational", "(x^2 - 1)/(1 + x^2)^2", DIFF, MISTAKE,
         "numerator of the quotient rule in the wrong order"),
    Case("rat-numerator-only", "rational", "1/(1+x^2)", DIFF, MISTAKE,
         "the denominator's derivative forgotten"),
    Case("rat-square-lost", "rational", "(1 - x^2)/(1 + x^2)", DIFF, MISTAKE,
         "denominator not squared"),
    Case("rat-plus", "rational", "(1 + 3x^2)/(1 + x^2)^2", DIFF, MISTAKE,
         "sign in the quotient rule: (1 + x²) + 2x²"),
    Case("rat-1e30-num", "rational", "(1 - x^2)/(1 + x^2)^2 + 10^(-30)", DIFF, TINY,
         "off by the constant 10^-30", symbolic=False),
    # d/dx tanh x = 1 − tanh² x = sech² x
    Case("tanh-plain", "tanh", "1 - tanh(x)^2", EQ, FORM, "tanh' = 1 − tanh²"),
    Case("tanh-sech", "tanh", r"\operatorname{sech}^2 x", EQ, FORM, "1 − tanh² = sech²"),
    Case("tanh-sech-braced", "tanh", r"\operatorname{sech}^{2}(x)", EQ, FORM,
         "1 − tanh² = sech²"),
    Case("tanh-sech-python", "tanh", "sech(x)^2", EQ, FORM, "1 − tanh² = sech²"),
    Case("tanh-mathrm", "tanh", r"\mathrm{sech}^2(x)", EQ, FORM, "1 − tanh² = sech²"),
    Case("tanh-cosh", "tanh", "1/cosh(x)^2", EQ, FORM, "sech = 1/cosh"),
    Case("tanh-cosh-num", "tanh", "1/cosh(x)^2", EQ, FORM, "sech = 1/cosh", symbolic=False),
    Case("tanh-exp", "tanh", r"\frac{4}{(e^x + e^{-x})^2}", EQ, FORM, "cosh = (e^x + e^-x)/2"),
    Case("tanh-exp-num", "tanh", r"\frac{4}{(e^x + e^{-x})^2}", EQ, FORM,
         "cosh = (e^x + e^-x)/2", symbolic=False),
    Case("tanh-exp2", "tanh", r"\frac{4 e^{2x}}{(e^{2x}+1)^2}", EQ, FORM,
         "4/(e^x + e^-x)² with e^{2x} multiplied in"),
    Case("tanh-factored", "tanh", r"(1-\tanh x)(1+\tanh x)", EQ, FORM, "difference of squares"),
    Case("tanh-by-exp", "tanh", r"1 - \left(\frac{e^x - e^{-x}}{e^x + e^{-x}}\right)^2", EQ,
         FORM, "tanh written with exponentials"),
    Case("tanh-sigmoid", "tanh", "4σ(2x)(1 − σ(2x))", EQ, FORM,
         "tanh x = 2σ(2x) − 1, so tanh' = 4σ'(2x)"),
    Case("tanh-sigmoid-num", "tanh", "4σ(2x)(1 − σ(2x))", EQ, FORM,
         "tanh x = 2σ(2x) − 1, so tanh' = 4σ'(2x)", symbolic=False),
    Case("tanh-sigma-prime", "tanh", r"4\sigma'(2x)", EQ, FORM, "tanh x = 2σ(2x) − 1"),
    Case("tanh-sigma-prime-cmd", "tanh", r"4\sigma^{\prime}(2x)", EQ, FORM,
         "tanh x = 2σ(2x) − 1; \\sigma^{\\prime} is σ'"),
    Case("tanh-function", "tanh", "tanh(x)", DIFF, MISTAKE, "the function for its derivative"),
    Case("tanh-plus", "tanh", "1 + tanh(x)^2", DIFF, MISTAKE, "sign: 1 + tanh²"),
    Case("tanh-sech-unsquared", "tanh", "sech(x)", DIFF, MISTAKE, "square lost"),
    Case("tanh-sign", "tanh", "-sech(x)^2", DIFF, MISTAKE, "sign"),
    Case("tanh-factor", "tanh", "2 sech(x)^2", DIFF, MISTAKE, "a factor 2"),
    Case("tanh-unsquared", "tanh", "1 - tanh(x)", DIFF, MISTAKE, "square lost"),
    Case("tanh-1e12", "tanh", r"\operatorname{sech}^2(x) (1 + 10^{-12})", DIFF, TINY,
         "relative error 10^-12"),
    Case("tanh-1e30-num", "tanh", "1 - tanh(x)^2 + 10^(-30)", DIFF, TINY,
         "off by the constant 10^-30", symbolic=False),
    Case("tanh-1e40-num", "tanh", "sech(x)^2 (1 + 10^(-40))", DIFF, TINY,
         "relative error 10^-40", symbolic=False),
    Case("tanh-1e45", "tanh", "1 - tanh(x)^2 + 10^(-45)", DIFF, TINY,
         "off by the constant 10^-45"),
    Case("tanh-1e45-num", "tanh", "sech(x)^2 + 10^(-45) x", DIFF, TINY, "off by 10^-45 x",
         symbolic=False),
    # d/dx 1/(1 + e^-x) = e^-x/(1 + e^-x)² = σ(x)(1 − σ(x))
    Case("sig-plain", "logistic", "σ(x)(1−σ(x))", EQ, FORM, "σ' = σ(1 − σ)"),
    Case("sig-latex", "logistic", r"\sigma(x)\left(1-\sigma(x)\right)", EQ, FORM,
         "σ' = σ(1 − σ)"),
    Case("sig-python", "logistic", "sigmoid(x) - sigmoid(x)**2", EQ, FORM, "σ − σ² = σ(1 − σ)"),
    Case("sig-exp", "logistic", r"\frac{e^{-x}}{(1+e^{-x})^2}", EQ, FORM, "chain rule"),
    Case("sig-exp-positive", "logistic", r"\frac{e^{x}}{(1+e^{x})^2}", EQ, FORM,
         "e^-x/(1 + e^-x)² times e^{2x}/e^{2x}"),
    Case("sig-mirror", "logistic", "σ(x) σ(−x)", EQ, FORM, "1 − σ(x) = σ(−x)"),
    Case("sig-mirror-num", "logistic", "σ(x) σ(−x)", EQ, FORM, "1 − σ(x) = σ(−x)",
         symbolic=False),
    Case("sig-prime", "logistic", r"\sigma'(x)", EQ, FORM, "the derivative named"),
    Case("sig-prime-cmd", "logistic", r"\sigma^{\prime}(x)", EQ, FORM,
         "the derivative named with \\prime"),
    Case("sig-cosh", "logistic", "1/(2 + 2cosh(x))", EQ, FORM,
         "e^-x/(1 + e^-x)² = 1/(e^x + 2 + e^-x)"),
    Case("sig-sum", "logistic", "1/(e^x + 2 + e^{-x})", EQ, FORM,
         "divide numerator and denominator by e^-x"),
    Case("sig-sum-num", "logistic", "1/(e^x + 2 + e^{-x})", EQ, FORM,
         "divide numerator and denominator by e^-x", symbolic=False),
    Case("sig-sech", "logistic", r"\frac{1}{4}\operatorname{sech}^2(x/2)", EQ, FORM,
         "4cosh²(x/2) = 2 + 2cosh x"),
    Case("sig-sech-num", "logistic", r"\frac{1}{4}\operatorname{sech}^2(x/2)", EQ, FORM,
         "4cosh²(x/2) = 2 + 2cosh x", symbolic=False),
    Case("sig-tanh", "logistic", "(1 - tanh(x/2)^2)/4", EQ, FORM, "1 − tanh² = sech²"),
    Case("sig-function", "logistic", "σ(x)", DIFF, MISTAKE, "σ for σ'"),
    Case("sig-plus", "logistic", "σ(x)(1+σ(x))", DIFF, MISTAKE, "sign inside"),
    Case("sig-square-lost", "logistic", r"\frac{e^{-x}}{1+e^{-x}}", DIFF, MISTAKE,
         "square of the denominator lost"),
    Case("sig-sign", "logistic", "-σ(x)(1−σ(x))", DIFF, MISTAKE, "sign"),
    Case("sig-squared", "logistic", "σ(x)^2", DIFF, MISTAKE, "σ² for σ(1 − σ)"),
    Case("sig-exponent-sign", "logistic", r"\frac{e^{x}}{(1+e^{-x})^2}", DIFF, MISTAKE,
         "sign of the exponent in the numerator"),
    Case("sig-sech-factor", "logistic", r"\frac{1}{2}\operatorname{sech}^2(x/2)", DIFF, MISTAKE,
         "the chain factor 1/2 of x/2 lost"),
    Case("sig-1e20-num", "logistic", "σ(x)(1−σ(x)) + 10^(-20)", DIFF, TINY,
         "off by the constant 10^-20", symbolic=False),
    # d/dx log(1 + e^x) = e^x/(1 + e^x) = σ(x)
    Case("sp-sigma", "softplus", "σ(x)", EQ, FORM, "softplus' = σ"),
    Case("sp-sigmoid", "softplus", "sigmoid(x)", EQ, FORM, "softplus' = σ"),
    Case("sp-exp", "softplus", r"\frac{e^x}{1+e^x}", EQ, FORM, "chain rule"),
    Case("sp-exp-neg", "softplus", r"\frac{1}{1+e^{-x}}", EQ, FORM, "divide by e^x"),
    Case("sp-mirror", "softplus", "1 - σ(-x)", EQ, FORM, "σ(x) + σ(−x) = 1"),
    Case("sp-tanh", "softplus", "(1 + tanh(x/2))/2", EQ, FORM,
         "tanh(x/2) = (e^x − 1)/(e^x + 1)"),
    Case("sp-tanh-num", "softplus", "(1 + tanh(x/2))/2", EQ, FORM,
         "tanh(x/2) = (e^x − 1)/(e^x + 1)", symbolic=False),
    Case("sp-prime", "softplus", "softplus'(x)", EQ, FORM, "the derivative named"),
    Case("sp-mirror-wrong", "softplus", r"\frac{1}{1+e^{x}}", DIFF, MISTAKE, "σ(−x) for σ(x)"),
    Case("sp-function", "softplus", r"\log(1+e^x)", DIFF, MISTAKE, "the function itself"),
    Case("sp-log-inverse", "softplus", r"\frac{1}{\log(1+e^x)}", DIFF, MISTAKE,
         "log' = 1/u applied to the whole function"),
    Case("sp-sigma-prime", "softplus", r"\frac{e^x}{(1+e^x)^2}", DIFF, MISTAKE, "σ' for σ"),
    # d/dx log σ(x) = −d/dx log(1 + e^-x) = e^-x/(1 + e^-x) = σ(−x)
    Case("ls-one-minus", "log_sigmoid", "1 - σ(x)", EQ, FORM, "(log σ)' = σ'/σ = 1 − σ"),
    Case("ls-mirror", "log_sigmoid", "σ(-x)", EQ, FORM, "1 − σ(x) = σ(−x)"),
    Case("ls-mirror-num", "log_sigmoid", "σ(-x)", EQ, FORM, "1 − σ(x) = σ(−x)",
         symbolic=False),
    Case("ls-exp", "log_sigmoid", r"\frac{1}{1+e^{x}}", EQ, FORM, "σ(−x)"),
    Case("ls-exp-neg", "log_sigmoid", r"\frac{e^{-x}}{1+e^{-x}}", EQ, FORM, "chain rule"),
    Case("ls-sigma", "log_sigmoid", "σ(x)", DIFF, MISTAKE, "σ(x) for σ(−x)"),
    Case("ls-sign", "log_sigmoid", "-σ(-x)", DIFF, MISTAKE, "sign"),
    Case("ls-chain-lost", "log_sigmoid", r"\frac{1}{\sigma(x)}", DIFF, MISTAKE,
         "d log u = u'/u with u' = σ' lost"),
    # d/dx x σ(x) = σ(x) + x σ(x)(1 − σ(x))
    Case("sw-plain", "swish", "σ(x) + xσ(x)(1-σ(x))", EQ, FORM, "product rule"),
    Case("sw-factored", "swish", "σ(x)(1 + x(1 - σ(x)))", EQ, FORM, "σ factored out"),
    Case("sw-mirror", "swish", "σ(x)(1 + x σ(-x))", EQ, FORM, "1 − σ(x) = σ(−x)"),
    Case("sw-prime", "swish", r"\sigma(x) + x\sigma'(x)", EQ, FORM, "product rule, σ' named"),
    Case("sw-exp-num", "swish", r"\frac{1 + e^{-x} + x e^{-x}}{(1+e^{-x})^2}", EQ, FORM,
         "over the common denominator (1 + e^-x)²", symbolic=False),
    Case("sw-first-term", "swish", "σ(x)", DIFF, MISTAKE, "second term of the product lost"),
    Case("sw-second-term", "swish", "xσ(x)(1−σ(x))", DIFF, MISTAKE,
         "first term of the product lost"),
    Case("sw-sigma-for-prime", "swish", "σ(x) + xσ(x)", DIFF, MISTAKE, "σ for σ'"),
    Case("sw-sigma-prime", "swish", "σ(x)(1−σ(x))", DIFF, MISTAKE, "σ' alone"),
    # d/dx (2/(1 + e^-2x) − 1) = 4e^-2x/(1 + e^-2x)² = sech² x (the function is tanh x)
    Case("tfs-tanh", "tanh_from_sigmoid", "1 - tanh(x)^2", EQ, FORM,
         "2σ(2x) − 1 = tanh x"),
    Case("tfs-tanh-num", "tanh_from_sigmoid", "1 - tanh(x)^2", EQ, FORM,
         "2σ(2x) − 1 = tanh x", symbolic=False),
    Case("tfs-prime", "tanh_from_sigmoid", r"4\sigma'(2x)", EQ, FORM, "chain rule: 2 · 2σ'(2x)"),
    Case("tfs-sigma", "tanh_from_sigmoid", "4σ(2x)(1-σ(2x))", EQ, FORM, "σ' = σ(1 − σ)"),
    Case("tfs-chain-lost", "tanh_from_sigmoid", r"2\sigma'(2x)", DIFF, MISTAKE,
         "the chain factor 2 of 2x lost"),
    Case("tfs-sigma-for-prime", "tanh_from_sigmoid", "4σ(2x)", DIFF, MISTAKE, "σ for σ'"),
    Case("tfs-function", "tanh_from_sigmoid", "tanh(x)", DIFF, MISTAKE, "the function"),
    # d/dx e^{sin x} = cos x e^{sin x}
    Case("es-plain", "exp_sin", "cos(x) e^{sin(x)}", EQ, FORM, "chain rule"),
    Case("es-latex", "exp_sin", r"\cos(x) \, e^{\sin x}", EQ, FORM, "chain rule"),
    Case("es-order", "exp_sin", r"e^{\sin x}\cos x", EQ, FORM, "factors in the other order"),
    Case("es-exp-num", "exp_sin", r"\cos(x)\exp(\sin(x))", EQ, FORM, "chain rule",
         symbolic=False),
    Case("es-chain-lost", "exp_sin", "e^{sin(x)}", DIFF, MISTAKE, "chain factor cos x lost"),
    Case("es-inner", "exp_sin", "cos(x)e^{cos(x)}", DIFF, MISTAKE,
         "inner function differentiated inside the exponent"),
    Case("es-sign", "exp_sin", "-cos(x) e^{sin(x)}", DIFF, MISTAKE, "sign"),
    # ∂/∂u1 log(e^u1 + e^u2) = e^u1/(e^u1 + e^u2) = σ(u1 − u2)
    Case("lse-plain", "lse", r"\frac{e^{u_1}}{e^{u_1}+e^{u_2}}", EQ, FORM, "chain rule"),
    Case("lse-inverse", "lse", r"\frac{1}{1+e^{u_2-u_1}}", EQ, FORM, "divide by e^u1"),
    Case("lse-inverse-num", "lse", r"\frac{1}{1+e^{u_2-u_1}}", EQ, FORM, "divide by e^u1",
         symbolic=False),
    Case("lse-sigma", "lse", "σ(u_1 - u_2)", EQ, FORM, "1/(1 + e^{-(u1 − u2)})"),
    Case("lse-sigma-num", "lse", "σ(u_1 - u_2)", EQ, FORM, "1/(1 + e^{-(u1 − u2)})",
         symbolic=False),
    Case("lse-exp-log", "lse", r"\exp(u_1 - \log(e^{u_1}+e^{u_2}))", EQ, FORM,
         "e^{u1 − LSE} = e^u1/e^LSE"),
    Case("lse-mirror", "lse", "1 - σ(u_2 - u_1)", EQ, FORM, "σ(t) + σ(−t) = 1"),
    Case("lse-tanh", "lse", "(1 + tanh((u_1 - u_2)/2))/2", EQ, FORM, "σ(t) = (1 + tanh(t/2))/2"),
    Case("lse-wrong-index", "lse", r"\frac{e^{u_2}}{e^{u_1}+e^{u_2}}", DIFF, MISTAKE,
         "wrong index: the other softmax entry"),
    Case("lse-chain-lost", "lse", r"\frac{1}{e^{u_1}+e^{u_2}}", DIFF, MISTAKE,
         "chain factor e^u1 lost"),
    Case("lse-unnormalised", "lse", "e^{u_1}", DIFF, MISTAKE, "denominator lost"),
    Case("lse-mirror-wrong", "lse", "σ(u_2 - u_1)", DIFF, MISTAKE, "arguments swapped"),
    Case("lse-log", "lse", r"\frac{e^{u_1}}{\log(e^{u_1}+e^{u_2})}", DIFF, MISTAKE,
         "d log S = S'/S with log S for S"),
    Case("lsev-column", "lse_vector", "[e^{u_1}, e^{u_2}]/(e^{u_1}+e^{u_2})", EQ, FORM,
         "the softmax of (u1, u2)"),
    Case("lsev-sigma", "lse_vector", "[σ(u_1 - u_2), σ(u_2 - u_1)]", EQ, FORM,
         "softmax of two entries is σ of their difference"),
    Case("lsev-row", "lse_vector", "[[σ(u_1 - u_2), σ(u_2 - u_1)]]", EQ, FORM,
         "a gradient vector in a list of variables: orientation not graded"),
    Case("lsev-pmatrix", "lse_vector",
         r"\begin{pmatrix} \sigma(u_1-u_2) \\ \sigma(u_2-u_1) \end{pmatrix}", EQ, FORM,
         "softmax of two entries"),
    Case("lsev-swapped", "lse_vector", "[σ(u_2 - u_1), σ(u_1 - u_2)]", DIFF, MISTAKE,
         "entries swapped"),
    Case("lsev-unnormalised", "lse_vector", "[e^{u_1}, e^{u_2}]", DIFF, MISTAKE,
         "denominator lost"),
    # d/dx max(0, x) = H(x) (ReLU'(0) = 0; the forms below differ at 0 only)
    Case("relu-heaviside", "relu", "heaviside(x)", EQ, FORM, "ReLU' = H"),
    Case("relu-Heaviside", "relu", "Heaviside(x)", EQ, FORM, "ReLU' = H"),
    Case("relu-sign", "relu", "(1 + sign(x))/2", EQ, FORM, "= H(x) for x ≠ 0"),
    Case("relu-sign-num", "relu", "(1 + sign(x))/2", EQ, FORM, "= H(x) for x ≠ 0",
         symbolic=False),
    Case("relu-abs", "relu", r"\frac{x + |x|}{2x}", EQ, FORM, "= H(x) for x ≠ 0"),
    Case("relu-abs-num", "relu", r"\frac{x + |x|}{2x}", EQ, FORM, "= H(x) for x ≠ 0",
         symbolic=False),
    Case("relu-max-sign", "relu", "max(0, sign(x))", EQ, FORM, "= H(x) for x ≠ 0"),
    Case("relu-prime", "relu", "relu'(x)", EQ, FORM, "the derivative named"),
    Case("relu-ratio", "relu", r"\frac{\max(0,x)}{x}", EQ, FORM, "= H(x) for x ≠ 0"),
    Case("relu-function", "relu", "max(0,x)", DIFF, MISTAKE, "the function for its derivative"),
    Case("relu-as-sign", "relu", "sign(x)", DIFF, MISTAKE, "−1 for x < 0"),
    Case("relu-one", "relu", "1", DIFF, MISTAKE, "the derivative of x, wrong for x < 0"),
    Case("relu-mirror", "relu", "heaviside(-x)", DIFF, MISTAKE, "1 − H(x) for x ≠ 0"),
    Case("relu-times-x", "relu", "x heaviside(x)", DIFF, MISTAKE, "an extra factor x"),
    # d/dx max(0, x)² = 2 max(0, x)
    Case("relu2-max", "relu_squared", "2max(0,x)", EQ, FORM, "chain rule: 2·ReLU·H = 2 ReLU"),
    Case("relu2-relu", "relu_squared", "2 relu(x)", EQ, FORM, "2 ReLU"),
    Case("relu2-inside", "relu_squared", r"\max(0, 2x)", EQ, FORM, "2max(0, x) = max(0, 2x)"),
    Case("relu2-abs", "relu_squared", "x + |x|", EQ, FORM, "2max(0, x) = x + |x|"),
    Case("relu2-abs-num", "relu_squared", "x + |x|", EQ, FORM, "2max(0, x) = x + |x|",
         symbolic=False),
    Case("relu2-heaviside", "relu_squared", "2x heaviside(x)", EQ, FORM, "x H(x) = max(0, x)"),
    Case("relu2-linear", "relu_squared", "2x", DIFF, MISTAKE, "wrong for x < 0"),
    Case("relu2-factor", "relu_squared", "max(0, x)", DIFF, MISTAKE, "factor 2 lost"),
    Case("relu2-outer-lost", "relu_squared", "2 heaviside(x)", DIFF, MISTAKE,
         "the outer factor ReLU lost"),
    Case("relu2-abs-wrong", "relu_squared", "2|x|", DIFF, MISTAKE, "wrong for x < 0"),
    # d/dx max(x/10, x) = 1/10 for x < 0, 1 for x > 0
    Case("leaky-heaviside", "leaky_relu", "1/10 + (9/10) heaviside(x)", EQ, FORM,
         "1/10 below 0, 1 above"),
    Case("leaky-max", "leaky_relu", "max(1/10, sign(x))", EQ, FORM,
         "max(1/10, −1) = 1/10, max(1/10, 1) = 1"),
    Case("leaky-max-num", "leaky_relu", "max(1/10, sign(x))", EQ, FORM,
         "max(1/10, −1) = 1/10, max(1/10, 1) = 1", symbolic=False),
    Case("leaky-sign", "leaky_relu", r"\frac{11 + 9\operatorname{sign}(x)}{20}", EQ, FORM,
         "(11 − 9)/20 = 1/10, (11 + 9)/20 = 1"),
    Case("leaky-relu", "leaky_relu", "heaviside(x)", DIFF, MISTAKE,
         "ReLU's derivative: 0 instead of 1/10 for x < 0"),
    Case("leaky-one", "leaky_relu", "1", DIFF, MISTAKE, "wrong for x < 0"),
    Case("leaky-slope", "leaky_relu", "1/10", DIFF, MISTAKE, "wrong for x > 0"),
    Case("leaky-function", "leaky_relu", "max(x/10, x)", DIFF, MISTAKE, "the function"),
    # d/dx |x| = sign x
    Case("abs-sign", "abs", "sign(x)", EQ, FORM, "|x|' = sign x"),
    Case("abs-ratio", "abs", "x/|x|", EQ, FORM, "= sign x for x ≠ 0"),
    Case("abs-ratio-num", "abs", "x/|x|", EQ, FORM, "= sign x for x ≠ 0", symbolic=False),
    Case("abs-inverse", "abs", "|x|/x", EQ, FORM, "= sign x for x ≠ 0"),
    Case("abs-heaviside", "abs", "2 heaviside(x) - 1", EQ, FORM, "= sign x for x ≠ 0"),
    Case("abs-two-heavisides", "abs", "heaviside(x) - heaviside(-x)", EQ, FORM,
         "= sign x for x ≠ 0"),
    Case("abs-sgn", "abs", r"\operatorname{sgn}(x)", EQ, FORM, "sgn = sign"),
    Case("abs-sqrt", "abs", r"\frac{x}{\sqrt{x^2}}", EQ, FORM, "√(x²) = |x|"),
    Case("abs-one", "abs", "1", DIFF, MISTAKE, "wrong for x < 0"),
    Case("abs-function", "abs", "|x|", DIFF, MISTAKE, "the function"),
    Case("abs-heaviside-only", "abs", "heaviside(x)", DIFF, MISTAKE, "0 instead of −1 for x < 0"),
    Case("abs-sign-wrong", "abs", "-sign(x)", DIFF, MISTAKE, "sign"),
    # d/dx √(x²) = x/|x|: 1 on [1/10, 3], sign x on the whole line
    Case("sqsq-one", "sqrt_square_positive", "1", EQ, FORM, "√(x²) = x for x > 0"),
    Case("sqsq-ratio", "sqrt_square_positive", "x/sqrt(x^2)", EQ, FORM, "chain rule: 2x/(2√x²)"),
    Case("sqsq-abs", "sqrt_square_positive", "|x|/x", EQ, FORM, "= 1 for x > 0"),
    Case("sqsq-sign", "sqrt_square_positive", "sign(x)", EQ, FORM, "= 1 for x > 0"),
    Case("sqsq-linear", "sqrt_square_positive", "x", DIFF, MISTAKE, "the function"),
    Case("sqsq-chain-lost", "sqrt_square_positive", r"\frac{1}{2\sqrt{x^2}}", DIFF, MISTAKE,
         "chain factor 2x lost"),
    Case("sqsq-line-one", "sqrt_square", "1", DIFF, MISTAKE,
         "right for x > 0 only: the derivative is −1 for x < 0"),
    # d/dx log(x²) = 2/x for x ≠ 0
    Case("logsq-plain", "log_square_positive", "2/x", EQ, FORM, "2x/x²"),
    Case("logsq-frac", "log_square_positive", r"\frac{2x}{x^2}", EQ, FORM, "chain rule"),
    Case("logsq-sum", "log_square_positive", "1/x + 1/x", EQ, FORM, "log x² = 2 log x"),
    Case("logsq-abs", "log_square_positive", "2/|x|", EQ, FORM, "|x| = x for x > 0"),
    Case("logsq-abs-num", "log_square_positive", "2/|x|", EQ, FORM, "|x| = x for x > 0",
         symbolic=False),
    Case("logsq-exp", "log_square_positive", r"2 e^{-\log x}", EQ, FORM, "e^{−log x} = 1/x"),
    Case("logsq-chain-lost", "log_square_positive", "1/x^2", DIFF, MISTAKE,
         "chain factor 2x lost"),
    Case("logsq-factor", "log_square_positive", "1/x", DIFF, MISTAKE, "factor 2 lost"),
    Case("logsq-power", "log_square_positive", "2/x^2", DIFF, MISTAKE, "2/x² for 2x/x²"),
    Case("logsq-line", "log_square", "2/x", EQ, FORM, "2x/x² for every x ≠ 0"),
    Case("logsq-line-num", "log_square", "1/x + 1/x", EQ, FORM, "2x/x² for every x ≠ 0",
         symbolic=False),
    Case("logsq-line-abs", "log_square", "2/|x|", DIFF, MISTAKE, "wrong sign for x < 0"),
    # d/dx x log x = log x + 1 on x > 0
    Case("xlx-plain", "x_log_x", "log(x) + 1", EQ, FORM, "product rule"),
    Case("xlx-ln", "x_log_x", r"\ln x + 1", EQ, FORM, "ln = log"),
    Case("xlx-ex", "x_log_x", r"\log(e x)", EQ, FORM, "log(ex) = 1 + log x"),
    Case("xlx-ex-num", "x_log_x", r"\log(e x)", EQ, FORM, "log(ex) = 1 + log x",
         symbolic=False),
    Case("xlx-half-log", "x_log_x", r"1 + \frac{\log(x^2)}{2}", EQ, FORM,
         "log x² = 2 log x for x > 0"),
    Case("xlx-half", "x_log_x", "log(x)", DIFF, MISTAKE, "second term of the product lost"),
    Case("xlx-other-half", "x_log_x", "1", DIFF, MISTAKE, "first term of the product lost"),
    Case("xlx-inverse", "x_log_x", "1/x", DIFF, MISTAKE, "log' alone"),
    Case("xlx-x", "x_log_x", "log(x) + x", DIFF, MISTAKE, "x · (1/x) written x"),
    # ∂/∂a (a − y)² = 2(a − y)
    Case("mse-plain", "mse", "2(a-y)", EQ, FORM, "chain rule"),
    Case("mse-sign-inside", "mse", "-2(y-a)", EQ, FORM, "−(y − a) = a − y"),
    Case("mse-expanded", "mse", "2a - 2y", EQ, FORM, "expanded"),
    Case("mse-expanded-num", "mse", "2a - 2y", EQ, FORM, "expanded", symbolic=False),
    Case("mse-sum", "mse", "(a-y) + (a-y)", EQ, FORM, "2u = u + u"),
    Case("mse-cdot", "mse", r"2 \cdot (a - y)", EQ, FORM, "\\cdot"),
    Case("mse-factor", "mse", "a - y", DIFF, MISTAKE, "factor 2 lost"),
    Case("mse-sign", "mse", "2(y - a)", DIFF, MISTAKE, "sign"),
    Case("mse-plus", "mse", "2(a+y)", DIFF, MISTAKE, "sign of y"),
    Case("mse-square-kept", "mse", "2(a-y)^2", DIFF, MISTAKE, "the power not lowered"),
    Case("mse-function", "mse", "(a-y)^2", DIFF, MISTAKE, "the function"),
    # ∂/∂W aᵀWx = a xᵀ
    Case("bil-entries", "bilinear", "[[a_1 x_1, a_1 x_2], [a_2 x_1, a_2 x_2]]", EQ, FORM,
         "∂(Σ a_j w_jk x_k)/∂w_jk = a_j x_k"),
    Case("bil-outer", "bilinear", "[a_1, a_2] [x_1, x_2]^T", EQ, FORM, "a xᵀ"),
    Case("bil-order", "bilinear", "[[x_1 a_1, x_2 a_1], [x_1 a_2, x_2 a_2]]", EQ, FORM,
         "products in the other order"),
    Case("bil-pmatrix", "bilinear",
         r"\begin{pmatrix} a_1 x_1 & a_1 x_2 \\ a_2 x_1 & a_2 x_2 \end{pmatrix}", EQ, FORM,
         "a xᵀ in LaTeX"),
    Case("bil-transposed", "bilinear", "[[a_1 x_1, a_2 x_1], [a_1 x_2, a_2 x_2]]", DIFF,
         MISTAKE, "x aᵀ, the transpose"),
    Case("bil-outer-transposed", "bilinear", "[x_1, x_2] [a_1, a_2]^T", DIFF, MISTAKE,
         "x aᵀ, the transpose"),
    Case("bil-index", "bilinear", "[[a_1 x_1, a_1 x_2], [a_2 x_1, a_2 x_1]]", DIFF, MISTAKE,
         "wrong index in one entry"),
    # ∇ xᵀAx = (A + Aᵀ)x
    Case("qf-entries", "quadratic_form",
         "[2A_{11}x_1 + (A_{12}+A_{21})x_2, (A_{12}+A_{21})x_1 + 2A_{22}x_2]", EQ, FORM,
         "∂/∂x_1 of A11 x1² + (A12 + A21) x1 x2 + A22 x2²"),
    Case("qf-entries-num", "quadratic_form",
         "[2A_{11}x_1 + (A_{12}+A_{21})x_2, (A_{12}+A_{21})x_1 + 2A_{22}x_2]", EQ, FORM,
         "a polynomial identity", symbolic=False),
    Case("qf-matrix", "quadratic_form",
         "([[A_{11}, A_{12}], [A_{21}, A_{22}]] + [[A_{11}, A_{12}], [A_{21}, A_{22}]]^T)"
         " [x_1, x_2]", EQ, FORM, "(A + Aᵀ)x"),
    Case("qf-symmetric", "quadratic_form", "2[[A_{11}, A_{12}], [A_{21}, A_{22}]] [x_1, x_2]",
         DIFF, MISTAKE, "2Ax: right only for a symmetric A"),
    Case("qf-half", "quadratic_form", "[[A_{11}, A_{12}], [A_{21}, A_{22}]] [x_1, x_2]", DIFF,
         MISTAKE, "Ax: the Aᵀx term lost"),
    Case("qf-transpose", "quadratic_form",
         "[[A_{11}, A_{12}], [A_{21}, A_{22}]]^T [x_1, x_2]", DIFF, MISTAKE,
         "Aᵀx: the Ax term lost"),
]  # fmt: skip

_UNREADABLE = [
    Case("nc-open", "square", "2(x", NC, UNREADABLE, "unclosed parenthesis"),
    Case("nc-trailing", "square", "2x +", NC, UNREADABLE, "ends after an operator"),
    Case("nc-double-caret", "square", "x^^2", NC, UNREADABLE, "two carets"),
    Case("nc-code", "square", "__import__('os')", NC, UNREADABLE, "code, not mathematics"),
    Case("nc-equation", "square", "f'(x) = 2x", NC, UNREADABLE, "an equation"),
    Case("nc-ambiguous", "square", "1/2x", NC, UNREADABLE, "1/(2x) or x/2"),
    Case("nc-unknown", "square", "2q", NC, UNREADABLE, "q is not a variable of the problem"),
    Case("nc-unknown-z", "mse", "2(a - z)", NC, UNREADABLE, "z is not a variable"),
    Case("nc-unknown-u3", "lse", r"\frac{e^{u_1}}{e^{u_1}+e^{u_3}}", NC, UNREADABLE,
         "u_3 is not a variable"),
    Case("nc-vector-scalar", "lse_vector", "σ(u_1 - u_2)", NC, UNREADABLE,
         "one expression for a gradient with 2 entries"),
    Case("nc-vector-three", "lse_vector", "[σ(u_1 - u_2), σ(u_2 - u_1), 0]", NC, UNREADABLE,
         "3 entries for 2"),
    Case("nc-vector-matrix", "lse_vector", "[[1, 0], [0, 1]]", NC, UNREADABLE,
         "a 2×2 matrix for a vector of 2"),
    Case("nc-matrix-column", "bilinear", "[a_1 x_1, a_2 x_2]", NC, UNREADABLE,
         "2×1 for 2×2"),
    Case("nc-matrix-scalar", "bilinear", "a_1 x_1", NC, UNREADABLE, "1 entry for 2×2"),
    Case("nc-matrix-wide", "bilinear", "[[a_1 x_1, a_1 x_2, 0], [a_2 x_1, a_2 x_2, 0]]", NC,
         UNREADABLE, "2×3 for 2×2"),
    Case("nc-scalar-vector", "square", "[2x, 0]", NC, UNREADABLE, "a vector for a scalar"),
    Case("nc-layer", "relu_net_W1", r"\delta^{(3)} x", NC, UNREADABLE,
         "the network has no layer 3"),
    Case("nc-weight", "relu_net_W1", r"2(a^{(2)} - y) w^{(3)}_{11} x", NC, UNREADABLE,
         "the network has no w^(3)"),
    Case("nc-sloppy-names", "softmax_b11", "z1 - y1", NC, UNREADABLE,
         "z1 is not a name of the problem (z^{(1)}_1 is)"),
    Case("nc-bias-scalar", "softmax_b1", r"\delta^{(1)}_1", NC, UNREADABLE,
         "one expression for the 2-entry bias gradient"),
]  # fmt: skip

# ∂C/∂w^(1)_11 for x → relu(w1 x + b1) → w2 a1 + b2, C = (a2 − y)²:
# 2(a2 − y) · w2 · H(z1) · x
RELU_RIGHT = r"2(a^{(2)} - y) w^{(2)}_{11} heaviside(z^{(1)}) x"
# softmax entries of z^(1) (identity layer, log loss)
P1 = r"\frac{e^{z^{(1)}_1}}{e^{z^{(1)}_1}+e^{z^{(1)}_2}}"
P2 = r"\frac{e^{z^{(1)}_2}}{e^{z^{(1)}_1}+e^{z^{(1)}_2}}"
# δ^(2) of the 2-2-1 sigmoid network with squared error: 2(a − y) σ'(z2)
D2 = r"2(a^{(2)}-y) a^{(2)}(1-a^{(2)})"
SIG1 = r"a^{(1)}_{J}(1-a^{(1)}_{J})"  # σ'(z^(1)_J)


def _rows(entry: str) -> str:
    """A 2×2 matrix whose (j, k) entry is ``entry`` with J → j, K → k."""
    rows = (
        ", ".join(entry.replace("J", str(j)).replace("K", str(k)) for k in (1, 2)) for j in (1, 2)
    )
    return "[" + ", ".join(f"[{row}]" for row in rows) + "]"


def _transposed(entry: str) -> str:
    return _rows(entry.replace("J", "#").replace("K", "J").replace("#", "K"))


_NETWORKS = [
    # x → ReLU → identity, squared error, ∂C/∂w^(1)_11
    Case("rnet-textbook", "relu_net_W1", RELU_RIGHT, EQ, NETWORK, "chain rule, ReLU' = H"),
    Case("rnet-sigma-sum", "relu_net_W1",
         r"2(a^{(2)} - y) w^{(2)}_{11} heaviside(z^{(1)}) x (σ(z^{(1)}) + σ(-z^{(1)}))", EQ,
         NETWORK, "σ(t) + σ(−t) = 1"),
    Case("rnet-sigma-sum-num", "relu_net_W1",
         r"2(a^{(2)} - y) w^{(2)}_{11} heaviside(z^{(1)}) x (σ(z^{(1)}) + σ(-z^{(1)}))", EQ,
         NETWORK, "σ(t) + σ(−t) = 1", symbolic=False),
    Case("rnet-delta1", "relu_net_W1", r"\delta^{(1)} x", EQ, NETWORK, "∂C/∂w1 = δ1 x"),
    Case("rnet-delta2", "relu_net_W1",
         r"\delta^{(2)} w^{(2)}_{11} \operatorname{heaviside}(z^{(1)}) x", EQ, NETWORK,
         "δ2 = 2(a2 − y) (identity output)"),
    Case("rnet-sign", "relu_net_W1",
         r"2(a^{(2)} - y) w^{(2)}_{11} \frac{1+\operatorname{sign}(z^{(1)})}{2} x", EQ, NETWORK,
         "(1 + sign)/2 = H off 0"),
    Case("rnet-ratio", "relu_net_W1",
         r"2(a^{(2)} - y) w^{(2)}_{11} \frac{\max(0, z^{(1)})}{z^{(1)}} x", EQ, NETWORK,
         "max(0, z)/z = H(z) off 0"),
    Case("rnet-python", "relu_net_W1", "2*(a^(2) - y)*w^(2)_11*relu'(z^(1))*x", EQ, NETWORK,
         "Python-like, relu' named"),
    Case("rnet-expanded", "relu_net_W1",
         r"2(w^{(2)}_{11} \max(0, w^{(1)}_{11} x + b^{(1)}_1) + b^{(2)}_1 - y) w^{(2)}_{11} "
         r"heaviside(w^{(1)}_{11} x + b^{(1)}_1) x", EQ, NETWORK,
         "the quantities written out in the parameters"),
    Case("rnet-no-relu-prime", "relu_net_W1", r"2(a^{(2)} - y) w^{(2)}_{11} x", DIFF, NETWORK,
         "ReLU' lost: wrong where z1 < 0"),
    Case("rnet-no-w2", "relu_net_W1", r"2(a^{(2)} - y) heaviside(z^{(1)}) x", DIFF, NETWORK,
         "the factor w2 of the chain lost"),
    Case("rnet-half", "relu_net_W1", r"(a^{(2)} - y) w^{(2)}_{11} heaviside(z^{(1)}) x", DIFF,
         NETWORK, "factor 2 lost"),
    Case("rnet-relu-for-prime", "relu_net_W1", r"2(a^{(2)}-y) w^{(2)}_{11} a^{(1)} x", DIFF,
         NETWORK, "ReLU for ReLU'"),
    Case("rnet-no-x", "relu_net_W1", r"2(a^{(2)} - y) w^{(2)}_{11} heaviside(z^{(1)})", DIFF,
         NETWORK, "the input x lost (that is ∂C/∂b1)"),
    Case("rnet-sign-wrong", "relu_net_W1", r"2(y - a^{(2)}) w^{(2)}_{11} heaviside(z^{(1)}) x",
         DIFF, NETWORK, "sign"),
    Case("rnet-layer-index", "relu_net_W1",
         r"2(a^{(2)} - y) w^{(1)}_{11} heaviside(z^{(1)}) x", DIFF, NETWORK,
         "wrong layer's weight"),
    Case("rnetb-textbook", "relu_net_b1", r"2(a^{(2)} - y) w^{(2)}_{11} heaviside(z^{(1)})", EQ,
         NETWORK, "∂z1/∂b1 = 1"),
    Case("rnetb-delta", "relu_net_b1", r"\delta^{(1)}", EQ, NETWORK, "∂C/∂b1 = δ1"),
    Case("rnetb-extra-x", "relu_net_b1", RELU_RIGHT, DIFF, NETWORK, "an extra factor x"),
    Case("rnetb-output-only", "relu_net_b1", r"2(a^{(2)} - y)", DIFF, NETWORK,
         "that is ∂C/∂b2"),
    # 2-2-1 sigmoid network, squared error
    Case("smse2-full", "sigmoid_mse_W2", rf"[[{D2} a^{{(1)}}_1, {D2} a^{{(1)}}_2]]", EQ,
         NETWORK, "∂C/∂w2_1k = δ2 a1_k"),
    Case("smse2-full-num", "sigmoid_mse_W2", rf"[[{D2} a^{{(1)}}_1, {D2} a^{{(1)}}_2]]", EQ,
         NETWORK, "∂C/∂w2_1k = δ2 a1_k", symbolic=False),
    Case("smse2-delta", "sigmoid_mse_W2", r"\delta^{(2)} [[a^{(1)}_1, a^{(1)}_2]]", EQ, NETWORK,
         "δ2 (a1)ᵀ"),
    Case("smse2-sigma", "sigmoid_mse_W2",
         r"2(a^{(2)}-y)\sigma'(z^{(2)}) [[\sigma(z^{(1)}_1), \sigma(z^{(1)}_2)]]", EQ, NETWORK,
         "σ' named, a1 = σ(z1)"),
    Case("smse2-factor", "sigmoid_mse_W2",
         r"(a^{(2)}-y) a^{(2)}(1-a^{(2)}) [[a^{(1)}_1, a^{(1)}_2]]", DIFF, NETWORK,
         "factor 2 lost"),
    Case("smse2-no-prime", "sigmoid_mse_W2", r"2(a^{(2)}-y) [[a^{(1)}_1, a^{(1)}_2]]", DIFF,
         NETWORK, "σ'(z2) lost"),
    Case("smse2-sigma-for-prime", "sigmoid_mse_W2",
         r"2(a^{(2)}-y) \sigma(z^{(2)}) [[a^{(1)}_1, a^{(1)}_2]]", DIFF, NETWORK, "σ for σ'"),
    Case("smse2-input", "sigmoid_mse_W2", r"\delta^{(2)} [[x_1, x_2]]", DIFF, NETWORK,
         "the network's input for the layer's input"),
    Case("smse2-column", "sigmoid_mse_W2", r"\delta^{(2)} [a^{(1)}_1, a^{(1)}_2]", DIFF,
         NETWORK, "a column for the 1×2 row W2: transposed"),
    Case("smse1-full", "sigmoid_mse_W1", _rows(rf"{D2} w^{{(2)}}_{{1J}} {SIG1} x_K"), EQ,
         NETWORK, "δ1_j = w2_1j δ2 σ'(z1_j), ∂C/∂w1_jk = δ1_j x_k"),
    Case("smse1-delta", "sigmoid_mse_W1", _rows(r"\delta^{(1)}_J x_K"), EQ, NETWORK,
         "δ1 xᵀ"),
    Case("smse1-outer", "sigmoid_mse_W1", r"[\delta^{(1)}_1, \delta^{(1)}_2] [x_1, x_2]^T", EQ,
         NETWORK, "δ1 xᵀ as a product"),
    Case("smse1-exp", "sigmoid_mse_W1",
         _rows(rf"{D2} w^{{(2)}}_{{1J}} \frac{{e^{{-z^{{(1)}}_J}}}}{{(1+e^{{-z^{{(1)}}_J}})^2}}"
               " x_K"),
         EQ, NETWORK, "σ'(t) = e^-t/(1 + e^-t)²"),
    Case("smse1-prime", "sigmoid_mse_W1",
         _rows(r"\delta^{(2)} w^{(2)}_{1J} \sigma'(z^{(1)}_J) x_K"), EQ, NETWORK, "σ' named"),
    Case("smse1-transposed", "sigmoid_mse_W1", _transposed(r"\delta^{(1)}_J x_K"), DIFF,
         NETWORK, "x δ1ᵀ, the transpose"),
    Case("smse1-no-prime", "sigmoid_mse_W1", _rows(r"\delta^{(2)} w^{(2)}_{1J} x_K"), DIFF,
         NETWORK, "σ'(z1) lost"),
    Case("smse1-sigma-for-prime", "sigmoid_mse_W1",
         _rows(r"\delta^{(2)} w^{(2)}_{1J} a^{(1)}_J x_K"), DIFF, NETWORK, "σ for σ'"),
    Case("smse1-index", "sigmoid_mse_W1",
         r"[[\delta^{(2)} w^{(2)}_{12} a^{(1)}_1(1-a^{(1)}_1) x_1, "
         r"\delta^{(2)} w^{(2)}_{12} a^{(1)}_1(1-a^{(1)}_1) x_2], "
         r"[\delta^{(2)} w^{(2)}_{11} a^{(1)}_2(1-a^{(1)}_2) x_1, "
         r"\delta^{(2)} w^{(2)}_{11} a^{(1)}_2(1-a^{(1)}_2) x_2]]", DIFF, NETWORK,
         "w2_12 and w2_11 exchanged"),
    Case("smse1-no-w2", "sigmoid_mse_W1", _rows(rf"\delta^{{(2)}} {SIG1} x_K"), DIFF, NETWORK,
         "the factor w2_1j lost"),
    # 2-2-1 sigmoid network, binary cross-entropy: δ2 = a − y
    Case("bce-b2-plain", "sigmoid_bce_b2", "a^{(2)} - y", EQ, NETWORK,
         "(−y/a + (1 − y)/(1 − a)) a(1 − a) = a − y"),
    Case("bce-b2-sigma", "sigmoid_bce_b2", r"\sigma(z^{(2)}) - y", EQ, NETWORK, "a2 = σ(z2)"),
    Case("bce-b2-delta", "sigmoid_bce_b2", r"\delta^{(2)}", EQ, NETWORK, "∂C/∂b2 = δ2"),
    Case("bce-b2-chain", "sigmoid_bce_b2",
         r"\left(-\frac{y}{a^{(2)}} + \frac{1-y}{1-a^{(2)}}\right) a^{(2)}(1-a^{(2)})", EQ,
         NETWORK, "the chain rule left unsimplified"),
    Case("bce-b2-chain-num", "sigmoid_bce_b2",
         r"\left(-\frac{y}{a^{(2)}} + \frac{1-y}{1-a^{(2)}}\right) a^{(2)}(1-a^{(2)})", EQ,
         NETWORK, "the chain rule left unsimplified", symbolic=False),
    Case("bce-b2-no-prime", "sigmoid_bce_b2", r"\frac{a^{(2)}-y}{a^{(2)}(1-a^{(2)})}", DIFF,
         NETWORK, "∂C/∂a2: σ'(z2) lost"),
    Case("bce-b2-sign", "sigmoid_bce_b2", "y - a^{(2)}", DIFF, NETWORK, "sign"),
    Case("bce-b2-mse-habit", "sigmoid_bce_b2", r"(a^{(2)}-y) a^{(2)}(1-a^{(2)})", DIFF,
         NETWORK, "σ' multiplied in although cross-entropy cancels it"),
    Case("bce-W2-plain", "sigmoid_bce_W2", r"(a^{(2)} - y) [[a^{(1)}_1, a^{(1)}_2]]", EQ,
         NETWORK, "δ2 (a1)ᵀ"),
    Case("bce-W2-python", "sigmoid_bce_W2",
         "[[(a^(2) - y)*a^(1)_1, (a^(2) - y)*a^(1)_2]]", EQ, NETWORK, "Python-like"),
    Case("bce-W2-input", "sigmoid_bce_W2", r"(a^{(2)} - y) [[x_1, x_2]]", DIFF, NETWORK,
         "the network's input for the layer's input"),
    Case("bce-W2-index", "sigmoid_bce_W2", r"(a^{(2)} - y) [[a^{(1)}_2, a^{(1)}_1]]", DIFF,
         NETWORK, "entries swapped"),
    Case("bce-W1-outer", "sigmoid_bce_W1",
         r"(a^{(2)}-y) [w^{(2)}_{11} a^{(1)}_1 (1 - a^{(1)}_1), "
         r"w^{(2)}_{12} a^{(1)}_2 (1 - a^{(1)}_2)] [x_1, x_2]^T", EQ, NETWORK,
         "δ1 xᵀ with δ1_j = (a2 − y) w2_1j σ'(z1_j)"),
    Case("bce-W1-no-prime", "sigmoid_bce_W1",
         r"(a^{(2)}-y) [w^{(2)}_{11}, w^{(2)}_{12}] [x_1, x_2]^T", DIFF, NETWORK,
         "σ'(z1) lost"),
    # tanh hidden layer, identity output, squared error
    Case("tnet-a", "tanh_net_W1", r"2(a^{(2)}-y) w^{(2)}_{11} (1 - (a^{(1)})^2) x", EQ,
         NETWORK, "tanh' = 1 − tanh² = 1 − a1²"),
    Case("tnet-sech", "tanh_net_W1",
         r"2(a^{(2)}-y) w^{(2)}_{11} \operatorname{sech}^2(z^{(1)}) x", EQ, NETWORK,
         "tanh' = sech²"),
    Case("tnet-sech-num", "tanh_net_W1",
         r"2(a^{(2)}-y) w^{(2)}_{11} \operatorname{sech}^2(z^{(1)}) x", EQ, NETWORK,
         "tanh' = sech²", symbolic=False),
    Case("tnet-delta", "tanh_net_W1", r"\delta^{(1)} x", EQ, NETWORK, "δ1 x"),
    Case("tnet-prime", "tanh_net_W1", "2(a^(2) - y) w^(2)_11 tanh'(z^(1)) x", EQ, NETWORK,
         "tanh' named"),
    Case("tnet-no-prime", "tanh_net_W1", r"2(a^{(2)}-y) w^{(2)}_{11} x", DIFF, NETWORK,
         "tanh' lost"),
    Case("tnet-function", "tanh_net_W1", r"2(a^{(2)}-y) w^{(2)}_{11} a^{(1)} x", DIFF, NETWORK,
         "tanh for tanh'"),
    Case("tnet-plus", "tanh_net_W1", r"2(a^{(2)}-y) w^{(2)}_{11} (1 + (a^{(1)})^2) x", DIFF,
         NETWORK, "1 + tanh² for 1 − tanh²"),
    Case("tmse-outer", "tanh_mse_W1",
         r"2(a^{(2)}-y) [w^{(2)}_{11}(1-(a^{(1)}_1)^2), w^{(2)}_{12}(1-(a^{(1)}_2)^2)] "
         r"[x_1, x_2]^T", EQ, NETWORK, "δ1 xᵀ"),
    Case("tmse-delta", "tanh_mse_W1", _rows(r"\delta^{(1)}_J x_K"), EQ, NETWORK, "δ1 xᵀ"),
    Case("tmse-transposed", "tanh_mse_W1",
         r"2(a^{(2)}-y) [x_1, x_2] [w^{(2)}_{11}(1-(a^{(1)}_1)^2), "
         r"w^{(2)}_{12}(1-(a^{(1)}_2)^2)]^T", DIFF, NETWORK, "x δ1ᵀ, the transpose"),
    Case("tmse-no-prime", "tanh_mse_W1",
         r"2(a^{(2)}-y) [w^{(2)}_{11}, w^{(2)}_{12}] [x_1, x_2]^T", DIFF, NETWORK,
         "tanh' lost"),
]  # fmt: skip

# softmax + cross-entropy on an identity layer; the targets y are one-hot, so that
# ∂C/∂z_1 = −y_1(1 − p_1) + y_2 p_1 = p_1(y_1 + y_2) − y_1 = p_1 − y_1
_SOFTMAX = [
    Case("smx-textbook", "softmax_b11", rf"{P1} - y_1", EQ, SOFTMAX,
         "p1 − y1 with y one-hot"),
    Case("smx-textbook-num", "softmax_b11", rf"{P1} - y_1", EQ, SOFTMAX,
         "p1 − y1 with y one-hot", symbolic=False),
    Case("smx-python", "softmax_b11", "exp(z^(1)_1)/(exp(z^(1)_1) + exp(z^(1)_2)) - y_1", EQ,
         SOFTMAX, "p1 − y1, Python-like"),
    Case("smx-sigma", "softmax_b11", r"\sigma(z^{(1)}_1 - z^{(1)}_2) - y_1", EQ, SOFTMAX,
         "p1 = σ(z1 − z2)"),
    Case("smx-inverse", "softmax_b11", r"\frac{1}{1+e^{z^{(1)}_2-z^{(1)}_1}} - y_1", EQ,
         SOFTMAX, "p1 = 1/(1 + e^{z2 − z1})"),
    Case("smx-delta", "softmax_b11", r"\delta^{(1)}_1", EQ, SOFTMAX, "∂C/∂b1 = δ1"),
    Case("smx-other-class", "softmax_b11", rf"y_2 - {P2}", EQ, SOFTMAX,
         "y2 − p2 = (1 − y1) − (1 − p1) for one-hot y"),
    Case("smx-chain", "softmax_b11", rf"-y_1\left(1 - {P1}\right) + y_2 {P1}", EQ, SOFTMAX,
         "the chain rule unsimplified: true for every y"),
    Case("smx-weighted", "softmax_b11", rf"(y_1 + y_2) {P1} - y_1", EQ, SOFTMAX,
         "p1(y1 + y2) − y1: true for every y"),
    Case("smx-no-target", "softmax_b11", P1, DIFF, SOFTMAX, "−y1 lost"),
    Case("smx-wrong-index", "softmax_b11", rf"{P2} - y_2", DIFF, SOFTMAX,
         "p2 − y2 = −(p1 − y1) for one-hot y, never 0 as 0 < p1 < 1"),
    Case("smx-wrong-target", "softmax_b11", rf"{P1} - y_2", DIFF, SOFTMAX,
         "p1 − y2 = p1 − y1 + (2y1 − 1), off by ±1"),
    Case("smx-sign", "softmax_b11", rf"y_1 - {P1}", DIFF, SOFTMAX, "sign"),
    Case("smx-unnormalised", "softmax_b11", r"e^{z^{(1)}_1} - y_1", DIFF, SOFTMAX,
         "softmax denominator lost"),
    Case("smx-diagonal", "softmax_b11", rf"{P1}\left(1 - {P1}\right) - y_1", DIFF, SOFTMAX,
         "the softmax Jacobian's diagonal p1(1 − p1) for p1"),
    Case("smxv-column", "softmax_b1", rf"[{P1} - y_1, {P2} - y_2]", EQ, SOFTMAX, "p − y"),
    Case("smxv-pmatrix", "softmax_b1",
         rf"\begin{{pmatrix}} {P1} - y_1 \\ {P2} - y_2 \end{{pmatrix}}", EQ, SOFTMAX,
         "p − y in LaTeX"),
    Case("smxv-sigma", "softmax_b1",
         r"[\sigma(z^{(1)}_1 - z^{(1)}_2) - y_1, \sigma(z^{(1)}_2 - z^{(1)}_1) - y_2]", EQ,
         SOFTMAX, "p_j = σ(z_j − z_other)"),
    Case("smxv-delta", "softmax_b1", r"[\delta^{(1)}_1, \delta^{(1)}_2]", EQ, SOFTMAX, "δ1"),
    Case("smxv-no-target", "softmax_b1", rf"[{P1}, {P2}]", DIFF, SOFTMAX, "−y lost"),
    Case("smxv-swapped", "softmax_b1", rf"[{P2} - y_2, {P1} - y_1]", DIFF, SOFTMAX,
         "entries swapped"),
    Case("smxv-index", "softmax_b1", rf"[{P1} - y_1, {P1} - y_2]", DIFF, SOFTMAX,
         "p1 for p2 in the second entry"),
    Case("smxw-outer", "softmax_W1", r"[\delta^{(1)}_1, \delta^{(1)}_2] [x_1, x_2]^T", EQ,
         SOFTMAX, "(p − y) xᵀ"),
    Case("smxw-entries", "softmax_W1",
         rf"[[({P1} - y_1) x_1, ({P1} - y_1) x_2], [({P2} - y_2) x_1, ({P2} - y_2) x_2]]", EQ,
         SOFTMAX, "(p − y) xᵀ entry by entry"),
    Case("smxw-transposed", "softmax_W1", r"[x_1, x_2] [\delta^{(1)}_1, \delta^{(1)}_2]^T",
         DIFF, SOFTMAX, "x (p − y)ᵀ, the transpose"),
    Case("smxw-inputs-swapped", "softmax_W1",
         r"[\delta^{(1)}_1, \delta^{(1)}_2] [x_2, x_1]^T", DIFF, SOFTMAX, "x1 and x2 exchanged"),
    Case("smxw-no-target", "softmax_W1", rf"[{P1}, {P2}] [x_1, x_2]^T", DIFF, SOFTMAX,
         "−y lost"),
]  # fmt: skip

# f = −y1 log p1 − y2 log p2 with p = softmax(u): ∂f/∂u1 = p1(y1 + y2) − y1.
Q1 = r"\frac{e^{u_1}}{e^{u_1}+e^{u_2}}"
Q2 = r"\frac{e^{u_2}}{e^{u_1}+e^{u_2}}"
_CONDITIONAL = [
    Case("ce-simplex-textbook", "cross_entropy_simplex", rf"{Q1} - y_1", EQ, CONDITIONAL,
         "p1 − y1: right exactly when y1 + y2 = 1", conditional=True),
    Case("ce-simplex-other", "cross_entropy_simplex", rf"y_2 - {Q2}", EQ, CONDITIONAL,
         "y2 − p2 = p1 − y1 when y1 + y2 = 1", conditional=True),
    Case("ce-simplex-weighted", "cross_entropy_simplex", rf"(y_1 + y_2){Q1} - y_1", EQ,
         CONDITIONAL, "p1(y1 + y2) − y1: right for every y", conditional=False),
    Case("ce-simplex-chain", "cross_entropy_simplex",
         rf"-y_1\left(1 - {Q1}\right) + y_2 {Q1}", EQ, CONDITIONAL,
         "the chain rule unsimplified: right for every y", conditional=False),
    Case("ce-simplex-wrong-target", "cross_entropy_simplex", rf"{Q1} - y_2", DIFF, CONDITIONAL,
         "p1 − y2 = p1 − y1 + (2y1 − 1): wrong unless y1 = 1/2"),
    Case("ce-one-hot", "cross_entropy_one_hot", "σ(u_1 - u_2) - y_1", EQ, CONDITIONAL,
         "p1 − y1 for one-hot y", conditional=True),
    Case("ce-three", "cross_entropy_3", r"\frac{e^{u_2}}{e^{u_1}+e^{u_2}+e^{u_3}} - y_2", EQ,
         CONDITIONAL, "p2(y1 + y2 + y3) − y2 = p2 − y2 when Σy = 1", conditional=True),
    Case("ce-free", "cross_entropy_free", rf"{Q1} - y_1", DIFF, CONDITIONAL,
         "p1 − y1 is wrong when y1 + y2 ≠ 1 and nothing constrains y"),
]  # fmt: skip

CASES: list[Case] = [*_EXPRESSIONS, *_UNREADABLE, *_NETWORKS, *_SOFTMAX, *_CONDITIONAL]
