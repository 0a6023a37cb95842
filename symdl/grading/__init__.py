r"""Grading: the safe parser, answer checking with verdicts and named mistakes, problem files and
batch grading.

Its modules:

:mod:`~symdl.grading.lexing`
    The words of an answer: tokens, the problem's symbols by written form, functions, limits.
:mod:`~symdl.grading.parsing`
    A safe parser for untrusted answer text: Python-like and LaTeX forms of an expression.
:mod:`~symdl.grading.names`
    The names half of the answer parser: symbols, functions, primes and LaTeX commands.
:mod:`~symdl.grading.answers`
    Checking a hand-derived gradient against the true one, with a verdict and a counterexample.
:mod:`~symdl.grading.mistakes`
    Models of the usual mistakes in a hand-derived gradient: the gradient a student would get.
:mod:`~symdl.grading.batch`
    Grading a class: many answers to one gradient problem, in parallel, under time limits.
:mod:`~symdl.grading.problem_files`
    Gradient problems written in a small TOML file, for ``symdl check`` and ``symdl grade``.

The names are imported from their modules on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from symdl import _lazy

if TYPE_CHECKING:
    from symdl.grading.answers import (
        GradientProblem,
        Isolation,
        Quantity,
        check_answer,
        check_gradient,
    )
    from symdl.grading.batch import (
        ANSWER_LIMIT,
        MAX_TIME_LIMIT,
        AnswerSheet,
        GradedAnswer,
        GradeReport,
        check_grading_options,
        grade,
        read_answer_sheet,
        read_answers,
        terminate_cleanly,
    )
    from symdl.grading.lexing import (
        DEFAULT_FUNCTIONS,
        AmbiguousAnswerError,
        AnswerSyntaxError,
        FunctionSpec,
        ParseLimits,
        UnknownNameError,
        symbol_key,
    )
    from symdl.grading.mistakes import (
        wrong_gradients,
    )
    from symdl.grading.names import (
        Answer,
        Cursor,
        NameReader,
        Numbers,
        UncertainError,
        UnevaluableError,
    )
    from symdl.grading.parsing import (
        MAX_CONSTANT_DIGITS,
        constant_digits,
        parse_answer,
        parse_expression,
    )
    from symdl.grading.problem_files import (
        BUILD_SECONDS,
        MAX_DPS,
        MAX_FILE_BYTES,
        MAX_POINTS,
        MAX_SECONDS,
        MAX_SYMBOLIC_SIZE,
        MAX_TITLE_CHARS,
        MAX_VARIABLES,
        ProblemFieldError,
        building,
        check_seconds,
        check_variable_names,
        load_problem,
        load_problem_text,
        network_names,
        problem_from_fields,
        read_constraint_groups,
        read_constraints,
        read_names,
    )

_NAMES = {
    "DEFAULT_FUNCTIONS": "symdl.grading.lexing",
    "AmbiguousAnswerError": "symdl.grading.lexing",
    "AnswerSyntaxError": "symdl.grading.lexing",
    "FunctionSpec": "symdl.grading.lexing",
    "ParseLimits": "symdl.grading.lexing",
    "UnknownNameError": "symdl.grading.lexing",
    "symbol_key": "symdl.grading.lexing",
    "MAX_CONSTANT_DIGITS": "symdl.grading.parsing",
    "constant_digits": "symdl.grading.parsing",
    "parse_answer": "symdl.grading.parsing",
    "parse_expression": "symdl.grading.parsing",
    "Answer": "symdl.grading.names",
    "Cursor": "symdl.grading.names",
    "NameReader": "symdl.grading.names",
    "Numbers": "symdl.grading.names",
    "UncertainError": "symdl.grading.names",
    "UnevaluableError": "symdl.grading.names",
    "GradientProblem": "symdl.grading.answers",
    "Isolation": "symdl.grading.answers",
    "Quantity": "symdl.grading.answers",
    "check_answer": "symdl.grading.answers",
    "check_gradient": "symdl.grading.answers",
    "wrong_gradients": "symdl.grading.mistakes",
    "ANSWER_LIMIT": "symdl.grading.batch",
    "MAX_TIME_LIMIT": "symdl.grading.batch",
    "AnswerSheet": "symdl.grading.batch",
    "GradeReport": "symdl.grading.batch",
    "GradedAnswer": "symdl.grading.batch",
    "check_grading_options": "symdl.grading.batch",
    "grade": "symdl.grading.batch",
    "read_answer_sheet": "symdl.grading.batch",
    "read_answers": "symdl.grading.batch",
    "terminate_cleanly": "symdl.grading.batch",
    "BUILD_SECONDS": "symdl.grading.problem_files",
    "MAX_DPS": "symdl.grading.problem_files",
    "MAX_FILE_BYTES": "symdl.grading.problem_files",
    "MAX_POINTS": "symdl.grading.problem_files",
    "MAX_SECONDS": "symdl.grading.problem_files",
    "MAX_SYMBOLIC_SIZE": "symdl.grading.problem_files",
    "MAX_TITLE_CHARS": "symdl.grading.problem_files",
    "MAX_VARIABLES": "symdl.grading.problem_files",
    "ProblemFieldError": "symdl.grading.problem_files",
    "building": "symdl.grading.problem_files",
    "check_seconds": "symdl.grading.problem_files",
    "check_variable_names": "symdl.grading.problem_files",
    "load_problem": "symdl.grading.problem_files",
    "load_problem_text": "symdl.grading.problem_files",
    "network_names": "symdl.grading.problem_files",
    "problem_from_fields": "symdl.grading.problem_files",
    "read_constraint_groups": "symdl.grading.problem_files",
    "read_constraints": "symdl.grading.problem_files",
    "read_names": "symdl.grading.problem_files",
}
__getattr__, __dir__ = _lazy.exports(__name__, _NAMES)

__all__ = [
    "ANSWER_LIMIT",
    "BUILD_SECONDS",
    "DEFAULT_FUNCTIONS",
    "MAX_CONSTANT_DIGITS",
    "MAX_DPS",
    "MAX_FILE_BYTES",
    "MAX_POINTS",
    "MAX_SECONDS",
    "MAX_SYMBOLIC_SIZE",
    "MAX_TIME_LIMIT",
    "MAX_TITLE_CHARS",
    "MAX_VARIABLES",
    "AmbiguousAnswerError",
    "Answer",
    "AnswerSheet",
    "AnswerSyntaxError",
    "Cursor",
    "FunctionSpec",
    "GradeReport",
    "GradedAnswer",
    "GradientProblem",
    "Isolation",
    "NameReader",
    "Numbers",
    "ParseLimits",
    "ProblemFieldError",
    "Quantity",
    "UncertainError",
    "UnevaluableError",
    "UnknownNameError",
    "building",
    "check_answer",
    "check_gradient",
    "check_grading_options",
    "check_seconds",
    "check_variable_names",
    "constant_digits",
    "grade",
    "load_problem",
    "load_problem_text",
    "network_names",
    "parse_answer",
    "parse_expression",
    "problem_from_fields",
    "read_answer_sheet",
    "read_answers",
    "read_constraint_groups",
    "read_constraints",
    "read_names",
    "symbol_key",
    "terminate_cleanly",
    "wrong_gradients",
]
