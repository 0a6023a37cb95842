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
:mod:`~symdl.grading.cluster`
    Grading on a Dask cluster: the executor of a ``dask.distributed`` scheduler, for ``grade``.
:mod:`~symdl.grading.notebooks`
    Autograder test cells for notebooks (nbgrader, Otter-Grader): an assertion that explains.
:mod:`~symdl.grading.gradescope`
    One submission graded for a Gradescope autograder: its ``results.json``.
:mod:`~symdl.grading.prairielearn`
    The ``grade(data)`` and ``parse(data)`` of a PrairieLearn question's ``server.py``.

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
        check_isolated,
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
    from symdl.grading.cluster import (
        CONNECT_TIMEOUT,
        DASK_EXTRA,
        WORKER_CONFIG,
        local_cluster,
        scheduler_executor,
    )
    from symdl.grading.gradescope import (
        ANSWER_FILE,
        MAX_SUBMISSION_BYTES,
        Visibility,
        grade_submission,
        gradescope_results,
        read_submission,
        write_results,
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
    from symdl.grading.notebooks import Feedback, assert_gradient, explanation
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

__getattr__, __dir__, __all__ = _lazy.attach(__name__, __file__)
