r"""Checking a hand-derived gradient against the true one, with a verdict and a counterexample.

A :class:`GradientProblem` holds the true gradient (of an expression, or of a network's loss
with respect to some parameters, computed by :func:`symdl.backpropagation.reverse_mode.backprop`),
the symbols an
answer may use and their sampling domains.  :func:`check_gradient` reads an answer (a SymPy
expression or matrix, or untrusted text through :mod:`symdl.grading.parsing`), decides it with the
procedure of :mod:`symdl.referee.equivalence` under a real time limit (:mod:`symdl.core.limits`),
and
returns a :class:`~symdl.referee.verdict.Verdict`.

In a network problem an answer may use the forward and backward quantities by name:
:math:`z^{(l)}_j`, :math:`a^{(l)}_j`, :math:`\delta^{(l)}_j` (and :math:`a^{(l)}`, :math:`x`,
:math:`y` when the layer, the input or the output has one unit); they are replaced by their
definitions before the comparison.

References
----------
The decision procedure and its error bounds: :mod:`symdl.referee.equivalence` (Schwartz 1980,
Lemma 1; Zippel 1979).  Per-variable sampling domains follow the MITx grading library's
``sample_from``.  Naming the worst entry of a wrong matrix answers a common complaint about
``torch.autograd.gradcheck``, which reports the whole numerical and analytical Jacobians.
The backpropagation equations (BP1–BP4) behind a network problem's true gradient: Nielsen,
*Neural Networks and Deep Learning*, ch. 2; Rumelhart, Hinton and Williams (1986).

Examples
--------
>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> v = check_gradient(sp.tanh(x), r"\operatorname{sech}^2 x", wrt=x, isolation=Isolation.NONE)
>>> v.correct
True
>>> v = check_gradient(x**2 * sp.exp(x), "2x e^x", wrt=x, isolation=Isolation.NONE)
>>> print(v)
DIFFERENT: differs from the true gradient
  at x = 2: true value 59.1124487914, submitted 29.5562243957
  submitted − true = −x² e^x
"""

from __future__ import annotations

import enum
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeAlias

import sympy as sp

from symdl.core.limits import (
    MemoryLimitExceededError,
    TimeLimitExceededError,
    UnguardedMainError,
    WorkerError,
    can_interrupt,
    deadline,
    run_isolated,
)
from symdl.core.notation import plain_expr
from symdl.core.registration import (
    RegistrationMismatchError,
    registrations,
    require_registrations,
)
from symdl.grading.lexing import (
    AmbiguousAnswerError,
    AnswerSyntaxError,
    UnknownNameError,
    symbol_key,
)
from symdl.grading.mistakes import wrong_gradients
from symdl.grading.parsing import parse_answer
from symdl.referee.equivalence import CheckOptions, Referee, SamplingInterval
from symdl.referee.sampling import Constraint, OneHot, Simplex, check_constraints
from symdl.referee.verdict import Mistake, Outcome, Verdict

__all__ = [
    "GradientProblem",
    "Isolation",
    "Quantity",
    "check_answer",
    "check_gradient",
    "check_isolated",
]

#: The variables of a gradient, one symbol, a list of symbols (a gradient vector) or a matrix of
#: symbols (a gradient matrix).
Wrt: TypeAlias = "sp.Symbol | Sequence[sp.Symbol] | sp.MatrixBase"


class Quantity(enum.Enum):
    """A named intermediate quantity of a network that an answer may use."""

    PRE_ACTIVATION = "z"  #: z^{(l)}_j
    ACTIVATION = "a"  #: a^{(l)}_j
    ERROR = "delta"  #: \delta^{(l)}_j = dC/dz^{(l)}_j


ALL_QUANTITIES = (Quantity.PRE_ACTIVATION, Quantity.ACTIVATION, Quantity.ERROR)


class Isolation(enum.Enum):
    """Where a check runs."""

    PROCESS = "process"  #: in a child process, killed at the time limit (the safe default)
    #: in this process, stopped by an interrupting timer (faster); off the main thread, where
    #: no timer can interrupt, the check runs in a worker process as for PROCESS
    NONE = "none"


def _wrt_shape(wrt: Wrt) -> tuple[sp.Symbol | sp.ImmutableMatrix, bool]:
    """``wrt`` as a symbol or a matrix of symbols, and whether it is a vector (a list)."""
    if isinstance(wrt, sp.Symbol):
        return wrt, False
    if isinstance(wrt, sp.MatrixBase):
        matrix, vector = sp.ImmutableMatrix(wrt), False
    elif isinstance(wrt, Sequence) and not isinstance(wrt, str) and len(wrt) > 0:
        matrix, vector = sp.ImmutableMatrix(list(wrt)), True
    else:
        raise TypeError(
            f"wrt = {wrt!r}: give a SymPy Symbol, a list of Symbols (a gradient "
            "vector) or a Matrix of Symbols (a gradient matrix)"
        )
    for entry in matrix:
        if not isinstance(entry, sp.Symbol):
            raise TypeError(
                f"wrt contains {entry!r}, which is not a Symbol: differentiate with "
                "respect to symbols only (a fixed weight has no gradient to check)"
            )
    return matrix, vector


@dataclass(frozen=True)
class GradientProblem:
    """A true gradient, the names an answer may use, and where to sample.

    Build one with :meth:`from_expression` or :meth:`from_network`.  Picklable.

    Attributes
    ----------
    truth : sympy.Expr or sympy.ImmutableMatrix
        The true gradient (shape of ``wrt``; a list ``wrt`` gives a column vector).
    variables : tuple[sympy.Symbol, ...]
        The free symbols an answer may depend on.
    names : dict
        Every name accepted in a text answer, mapped to its symbol.
    definitions : dict
        Named intermediate quantities (``a^{(1)}_1``) and their values in the variables.
    domains : dict
        Sampling intervals by variable (others: :func:`symdl.referee.sampling.default_interval`).
    vector : bool
        The gradient is a vector in a list of variables: its orientation is not graded.
    statement : str
        What is asked, for reports.
    alternatives : tuple[tuple[Mistake, sympy.Expr | sympy.ImmutableMatrix], ...]
        The wrong gradients that the modelled chain-rule mistakes give
        (:mod:`symdl.grading.mistakes`).
    constraints : tuple of Simplex or OneHot
        Groups of variables sampled together (:mod:`symdl.referee.sampling`): a target that is a
        probability vector or one-hot.  An answer right only under them is equivalent, and
        its verdict names them (:attr:`Verdict.conditions
        <symdl.referee.verdict.Verdict.conditions>`).
    """

    truth: sp.Expr | sp.ImmutableMatrix
    variables: tuple[sp.Symbol, ...]
    names: dict[str, sp.Symbol] = field(default_factory=dict)
    definitions: dict[sp.Symbol, sp.Expr] = field(default_factory=dict)
    domains: dict[sp.Symbol, SamplingInterval] = field(default_factory=dict)
    vector: bool = False
    statement: str = ""
    alternatives: tuple[tuple[Mistake, Any], ...] = ()
    constraints: tuple[Constraint, ...] = ()

    @classmethod
    def from_expression(
        cls,
        f: sp.Expr,
        wrt: Wrt,
        *,
        variables: Sequence[sp.Symbol] | None = None,
        domains: Mapping[sp.Symbol, SamplingInterval] | None = None,
        constraints: Sequence[Constraint] = (),
    ) -> GradientProblem:
        """The gradient of the expression ``f`` with respect to ``wrt``.

        >>> x, y = sp.symbols("x y", real=True)
        >>> GradientProblem.from_expression(x**2 * y, [x, y]).truth
        Matrix([
        [2*x*y],
        [ x**2]])
        """
        if not isinstance(f, sp.Expr):
            raise TypeError(f"f = {f!r} must be a SymPy expression")
        target, vector = _wrt_shape(wrt)
        truth = (
            sp.diff(f, target)
            if isinstance(target, sp.Symbol)
            else sp.ImmutableMatrix(
                target.shape[0], target.shape[1], [sp.diff(f, s) for s in target]
            )
        )
        # the derivative away from the steps (as a step activation's derivative is 0): the
        # DiracDelta that diff leaves for a Heaviside is 0 off its argument's zeros
        truth = truth.replace(sp.DiracDelta, lambda *_: sp.S.Zero)
        free = set(f.free_symbols) | (
            {target} if isinstance(target, sp.Symbol) else set(target.free_symbols)
        )
        names = sorted(free, key=str) if variables is None else list(variables)
        return cls(
            truth,
            tuple(names),
            {s.name: s for s in names},
            {},
            _domains(domains),
            vector,
            f"d/d{_wrt_text(target)} of {plain_expr(f)}",
            tuple(wrong_gradients(f, target)),
            _constraints(constraints, names),
        )

    @classmethod
    def from_network(
        cls,
        net: Any,
        loss: Any,
        wrt: Wrt | str,
        *,
        domains: Mapping[sp.Symbol, SamplingInterval] | None = None,
        quantities: Sequence[Quantity] = ALL_QUANTITIES,
        constraints: Sequence[Constraint] | None = None,
    ) -> GradientProblem:
        r"""The gradient of ``loss`` on network ``net`` with respect to some parameters.

        ``wrt`` is a parameter symbol, a list or matrix of them, or a layer's name: ``"W1"``
        (the weight matrix :math:`W^{(1)}`) or ``"b2"`` (the bias vector :math:`b^{(2)}`).
        The true gradient comes from :func:`symdl.backpropagation.reverse_mode.backprop`.
        ``quantities`` are the
        intermediate quantities an answer may name (drop :attr:`Quantity.ERROR` when the
        question is to derive the errors :math:`\delta` themselves).  ``constraints``
        default to what the loss accepts: one-hot targets for the classification losses
        (:attr:`Loss.needs_one_hot <symdl.core.losses.Loss.needs_one_hot>`), targets in
        :math:`[0, 1]` for binary cross-entropy; give ``()`` to sample the targets freely.
        """
        if not all(isinstance(q, Quantity) for q in quantities):
            raise TypeError(f"quantities = {quantities!r}: give Quantity members")
        from symdl.backpropagation.reverse_mode import backprop

        bp = backprop(net, loss)
        target, vector = _wrt_shape(_layer_parameters(net, wrt) if isinstance(wrt, str) else wrt)
        if isinstance(wrt, str) and wrt.startswith("b"):
            vector = False  # a bias gradient is a column, as the bias is
        symbols = [target] if isinstance(target, sp.Symbol) else list(target)
        truths = [bp.partial(s, expanded=True) for s in symbols]
        truth = (
            truths[0]
            if isinstance(target, sp.Symbol)
            else sp.ImmutableMatrix(target.shape[0], target.shape[1], truths)
        )
        variables = (*net.inputs, *net.parameters, *bp.targets)
        allowed = {q.value for q in quantities}
        definitions = {s: bp.expand(s) for s in bp.definitions if symbol_key(s.name)[0] in allowed}
        names = {s.name: s for s in (*variables, *definitions)}
        names.update(_single_unit_aliases([*variables, *definitions]))
        wrt_text = wrt if isinstance(wrt, str) else _wrt_text(target)
        statement = f"the gradient of the {bp.loss_name} loss with respect to {wrt_text}"
        wrong = _modelled_mistakes(bp, target)
        domains = _domains(domains)
        if constraints is None:
            constraints, domains = _target_constraints(loss, bp.targets, domains)
        return cls(
            truth, variables, names, definitions, domains, vector, statement, wrong,
            _constraints(constraints, variables),
        )  # fmt: skip

    def referee(self, options: CheckOptions) -> Referee:
        """The decision procedure for this problem (true values cached per point)."""
        return Referee(
            self.truth,
            self.variables,
            domains=self.domains,
            options=options,
            vector=self.vector,
            alternatives=self.alternatives,
            constraints=self.constraints,
        )


#: Seconds to derive the wrong gradients of the modelled mistakes of a network problem.  On
#: a large network they cost more than the rest of the problem, and only improve feedback.
MISTAKE_SECONDS = 5.0


def _modelled_mistakes(bp: Any, target: Any) -> tuple[tuple[Mistake, Any], ...]:
    """The modelled chain-rule mistakes' gradients, or none if they take too long."""
    start = time.monotonic()
    try:
        with deadline(MISTAKE_SECONDS):
            return tuple(wrong_gradients(bp.expand(bp.loss), target))
    except TimeLimitExceededError:
        if time.monotonic() - start < MISTAKE_SECONDS:
            raise  # an enclosing deadline fired, not this budget
        return ()


def _target_constraints(
    loss: Any, targets: Sequence[sp.Symbol], domains: dict[sp.Symbol, SamplingInterval]
) -> tuple[tuple[Constraint, ...], dict[sp.Symbol, SamplingInterval]]:
    """The targets' constraints and domains that the loss implies (unless given)."""
    from symdl.core.targets import Target

    kind = getattr(loss, "target", None)
    free = [y for y in targets if y not in domains]
    if kind is Target.ONE_HOT and len(free) == len(targets) >= 2:
        return (OneHot(list(targets)),), domains
    if kind is Target.PROBABILITY:
        unit = SamplingInterval(0, 1)
        return (), {**dict.fromkeys(free, unit), **domains}
    return (), domains


def _constraints(
    constraints: Sequence[Constraint], variables: Sequence[sp.Symbol]
) -> tuple[Constraint, ...]:
    """``constraints`` as a tuple, checked by :func:`symdl.referee.sampling.check_constraints`."""
    if isinstance(constraints, (str, Simplex, OneHot)) or not isinstance(constraints, Sequence):
        raise TypeError(
            f"constraints = {constraints!r:.80}: give a list of symdl.referee.sampling.Simplex or "
            "OneHot, e.g. [Simplex([y1, y2])]"
        )
    check_constraints(variables, {}, constraints)
    return tuple(constraints)


def _domains(
    domains: Mapping[sp.Symbol, SamplingInterval] | None,
) -> dict[sp.Symbol, SamplingInterval]:
    result = dict(domains or {})
    for symbol, interval in result.items():
        if not isinstance(symbol, sp.Symbol) or not isinstance(interval, SamplingInterval):
            raise TypeError(
                f"domains: {symbol!r}: {interval!r}; give Symbol: SamplingInterval pairs"
            )
    return result


def _wrt_text(target: sp.Symbol | sp.ImmutableMatrix) -> str:
    if isinstance(target, sp.Symbol):
        return str(target)
    return "[" + ", ".join(map(str, target)) + "]"


def _layer_parameters(net: Any, name: str) -> sp.Matrix:
    number = name[1:]
    depth = len(net.layers)
    if name[:1] not in ("W", "b") or not number.isdigit() or not 1 <= int(number) <= depth:
        raise ValueError(
            f"wrt = {name!r}: name a layer's parameters as W1..W{depth} or b1..b{depth}"
        )
    layer = net.layers[int(number) - 1]
    return layer.W if name[0] == "W" else layer.b


def _single_unit_aliases(symbols: Sequence[sp.Symbol]) -> dict[str, sp.Symbol]:
    """``a^{(2)}`` for ``a^{(2)}_{1}`` when layer 2 has one unit; ``x``, ``y`` likewise."""
    groups: dict[tuple[str, str], list[sp.Symbol]] = {}
    for symbol in symbols:
        base, layer, _ = symbol_key(symbol.name)
        groups.setdefault((base, layer), []).append(symbol)
    aliases = {}
    for (base, layer), members in groups.items():
        if len(members) == 1 and symbol_key(members[0].name)[2]:
            aliases[base + (f"^{{({layer})}}" if layer else "")] = members[0]
    return aliases


def _same_names(
    answer: sp.Expr | sp.MatrixBase, problem: GradientProblem
) -> sp.Expr | sp.MatrixBase:
    """A SymPy answer's symbols replaced by the problem's symbols of the same name.

    ``Symbol("x")`` and ``Symbol("x", real=True)`` are different to SymPy; to a student they
    are the same variable.
    """
    known = {s.name: s for s in (*problem.variables, *problem.definitions)}
    renamed = {
        s: known[s.name]
        for s in answer.free_symbols
        if isinstance(s, sp.Symbol) and s.name in known and s != known[s.name]
    }
    return answer.xreplace(renamed) if renamed else answer


def _as_text(answer: sp.Expr | sp.MatrixBase) -> str:
    """One line in the lecture's notation: ``2 x`` or ``[a, b; c, d]`` (rows separated by
    semicolons)."""
    if isinstance(answer, sp.MatrixBase):
        rows = (", ".join(plain_expr(e) for e in answer.row(i)) for i in range(answer.rows))
        return "[" + "; ".join(rows) + "]"
    return plain_expr(answer)


def _options(options: CheckOptions | None) -> CheckOptions:
    if options is None:
        return CheckOptions()
    if not isinstance(options, CheckOptions):
        raise TypeError(
            f"options = {options!r:.80}: give a CheckOptions, e.g. CheckOptions(time_limit=5)"
        )
    return options


def _not_comparable(error: AnswerSyntaxError) -> Verdict:
    mistake = Mistake.SYNTAX
    if isinstance(error, AmbiguousAnswerError):
        mistake = Mistake.AMBIGUOUS
    elif isinstance(error, UnknownNameError):
        mistake = Mistake.UNKNOWN_SYMBOLS
    return Verdict(Outcome.NOT_COMPARABLE, str(error).split("\n")[0], mistakes=(mistake,))


def check_answer(
    problem: GradientProblem,
    answer: str | sp.Expr | sp.MatrixBase,
    options: CheckOptions | None = None,
    referee: Referee | None = None,
) -> Verdict:
    """Decide one answer in this process, under ``options.time_limit`` (picklable, for maps).

    Never raises for a bad answer: unreadable text is NOT_COMPARABLE, a check that runs out of
    time or fails to evaluate is UNKNOWN, with the reason.  Off the main thread, where no
    timer can stop the check (:func:`~symdl.core.limits.can_interrupt`), it runs in a worker
    process killed at the time limit instead (:func:`check_isolated`).
    """
    if not isinstance(answer, (str, sp.Expr, sp.MatrixBase)):
        raise TypeError(f"answer {answer!r:.80} must be text or a SymPy expression or matrix")
    options = _options(options)
    if not can_interrupt():
        return check_isolated(problem, answer, options, explicit=False)
    start = time.perf_counter()
    try:
        with deadline(options.time_limit):
            if isinstance(answer, str):
                parsed = parse_answer(answer, symbols=problem.names)
            else:
                parsed = _same_names(answer, problem)
            read = _as_text(parsed)
            if problem.definitions:
                parsed = parsed.xreplace(problem.definitions)
            verdict = replace((referee or problem.referee(options)).judge(parsed), answer=read)
    except AnswerSyntaxError as error:
        verdict = _not_comparable(error)
    except TimeLimitExceededError:
        verdict = Verdict(
            Outcome.UNKNOWN, f"could not decide within the time limit of {options.time_limit:g} s"
        )
    except MemoryError:  # a worker's memory limit: its caller names the limit
        raise
    except Exception as error:  # an answer must never stop a batch: report, do not guess
        verdict = Verdict(
            Outcome.UNKNOWN, f"could not be evaluated ({type(error).__name__}: {str(error)[:200]})"
        )
    return replace(verdict, seconds=time.perf_counter() - start)


def _problem(
    f: Any,
    wrt: Wrt | str | None,
    loss: Any,
    domains: Mapping[sp.Symbol, SamplingInterval] | None,
    constraints: Sequence[Constraint] | None = None,
) -> GradientProblem:
    from symdl.core.network import Network

    if isinstance(f, GradientProblem):
        if wrt is not None or domains is not None or loss is not None or constraints is not None:
            raise ValueError(
                "a GradientProblem carries its own wrt, loss, domains and constraints: do not "
                "pass them"
            )
        return f
    if wrt is None:
        raise ValueError("wrt is required: the variable(s) to differentiate with respect to")
    if isinstance(f, Network):
        if loss is None:
            raise ValueError("a network problem needs loss= (e.g. symdl.LOSSES['mse'])")
        return GradientProblem.from_network(f, loss, wrt, domains=domains, constraints=constraints)
    if loss is not None:
        raise ValueError("loss= is only for a Network; differentiate the expression itself")
    if isinstance(wrt, str):
        raise TypeError(f"wrt = {wrt!r}: a layer name is only for a Network; give Symbols")
    return GradientProblem.from_expression(f, wrt, domains=domains, constraints=constraints or ())


def _check_registered(
    expected: frozenset[tuple[str, str, str]],
    problem: GradientProblem,
    answer: str,
    options: CheckOptions,
) -> Verdict:
    """:func:`check_answer` in a worker process that knows what its parent registered."""
    require_registrations(expected)
    return check_answer(problem, answer, options)


def check_isolated(
    problem: GradientProblem,
    answer: str | sp.Expr | sp.MatrixBase,
    options: CheckOptions,
    *,
    registered: frozenset[tuple[str, str, str]] | None = None,
    explicit: bool = True,
) -> Verdict:
    """Decide ``answer`` in a worker process, killed at the time limit and limited in memory:
    whatever becomes of the worker, the answer gets a verdict, never an exception.

    ``registered`` is what the grading process registered (default: this process's
    :func:`~symdl.core.registration.registrations`); a worker that lacks it answers UNKNOWN.
    Safe to call from any thread or executor task.
    """
    start = time.perf_counter()
    expected = registrations() if registered is None else registered
    try:
        verdict: Verdict = run_isolated(
            _check_registered,
            expected,
            problem,
            answer,
            options,
            timeout=options.time_limit + 2,
            memory_limit=options.memory_limit,
        )
    except TimeLimitExceededError:
        reason = (
            f"could not decide within the time limit of {options.time_limit:g} s "
            "(the check was stopped)"
        )
    except UnguardedMainError as error:
        other = "use Isolation.NONE" if explicit else "check on the main thread"
        reason = (
            f"could not start a worker process: it would run the script {error.path} again; "
            f'add `if __name__ == "__main__":` before the script\'s top-level code, or {other}'
        )
    except (MemoryLimitExceededError, WorkerError, RegistrationMismatchError) as error:
        reason = f"could not decide: {error}"
    else:
        return verdict
    return Verdict(Outcome.UNKNOWN, reason, seconds=time.perf_counter() - start)


def check_gradient(
    f: Any,
    answer: str | sp.Expr | sp.MatrixBase,
    *,
    wrt: Wrt | str | None = None,
    loss: Any = None,
    domains: Mapping[sp.Symbol, SamplingInterval] | None = None,
    constraints: Sequence[Constraint] | None = None,
    options: CheckOptions | None = None,
    isolation: Isolation = Isolation.PROCESS,
) -> Verdict:
    r"""Check a hand-derived gradient: is ``answer`` the gradient of ``f`` with respect to ``wrt``?

    Parameters
    ----------
    f : sympy.Expr, Network or GradientProblem
        The function (then ``wrt`` is required); a :class:`~symdl.core.network.Network` (then
        ``loss`` and ``wrt`` are required, and ``wrt`` may name a layer: ``"W1"``); or a whole
        problem (:class:`GradientProblem`).
    answer : str, sympy.Expr or sympy.Matrix
        The answer; text is parsed safely (Python-like or LaTeX, :mod:`symdl.grading.parsing`).
    wrt : sympy.Symbol, Sequence[sympy.Symbol], sympy.Matrix or str
        The variable(s): a list gives a gradient vector, a matrix a gradient matrix.
    loss : Loss or None
        The loss of a network problem (e.g. ``LOSSES["mse"]``).
    domains : Mapping[sympy.Symbol, SamplingInterval] or None
        Where to sample each variable (a declared interval is never left; other variables
        are also sampled far outside their default interval).
    constraints : Sequence[Simplex | OneHot] or None
        Groups of variables sampled together (:mod:`symdl.referee.sampling`); a network problem
        takes the targets' constraint from its loss unless given.  A verdict that needs them
        says so (:attr:`Verdict.conditions <symdl.referee.verdict.Verdict.conditions>`).
    options : CheckOptions or None
        Points, precision and time limit.
    isolation : Isolation
        ``PROCESS`` (default) runs the check in a child process killed at the time limit and
        limited in memory (``CheckOptions.memory_limit``).  ``NONE`` runs it in this process
        under a timer; off the main thread, where no timer can interrupt, in a worker process
        as for ``PROCESS``.

    Returns
    -------
    Verdict

    Examples
    --------
    >>> w = sp.Symbol("w", real=True)
    >>> v = check_gradient((3*w - 1)**2, "6(3w-1)", wrt=w, isolation=Isolation.NONE)
    >>> v.outcome
    <Outcome.EQUIVALENT: 'equivalent'>
    >>> check_gradient((3*w - 1)**2, "3(3w-1)", wrt=w).mistakes
    (<Mistake.CONSTANT_FACTOR: 'off by a constant factor'>,)
    """
    if not isinstance(isolation, Isolation):
        raise TypeError(f"isolation = {isolation!r}: give Isolation.PROCESS or Isolation.NONE")
    problem = _problem(f, wrt, loss, domains, constraints)
    options = _options(options)
    if isolation is Isolation.NONE and can_interrupt():
        return check_answer(problem, answer, options)
    # In a worker process, killed at the time limit and limited in memory: the default, and
    # also for Isolation.NONE where no timer can stop this thread (off the main thread).
    return check_isolated(problem, answer, options, explicit=isolation is Isolation.PROCESS)
