"""One reader of a problem written as text: a problem file, ``symdl check "d/dx of …"`` and the
``symdl-gradcheck`` directive give the same problem for the same question, and the same error
for the same bad field."""

from __future__ import annotations

import pickle
from types import SimpleNamespace
from typing import Any

import pytest
import sympy as sp

from symdl.cli import main
from symdl.cli.check import _question, question_fields
from symdl.grading.answers import GradientProblem
from symdl.grading.problem_files import (
    ProblemFieldError,
    load_problem_text,
    problem_from_fields,
    read_names,
)
from symdl.publish.directives import GradcheckDirective
from symdl.referee.equivalence import CheckOptions
from symdl.referee.sampling import SamplingInterval, Simplex


def from_directive(**options: str) -> GradientProblem:
    """The problem of a ``symdl-gradcheck`` directive with these options (text, as written)."""
    converted = {name: GradcheckDirective.option_spec[name](text) for name, text in options.items()}
    problem, _question_latex = GradcheckDirective.problem(SimpleNamespace(options=converted))  # type: ignore[arg-type]
    return problem


def same_problem(a: GradientProblem, b: GradientProblem) -> None:
    assert a.truth == b.truth
    assert a.variables == b.variables
    assert [v.assumptions0 for v in a.variables] == [v.assumptions0 for v in b.variables]
    assert a.domains == b.domains
    assert a.constraints == b.constraints
    assert a.statement == b.statement
    assert a.names == b.names


def test_the_three_entry_points_read_a_question_alike() -> None:
    x, y = sp.symbols("x y", real=True)
    truth = 2 * x * sp.sin(y)  # d/dx of x^2 sin(y), by hand
    cli, options = _question("d/dx of x^2 sin(y)", "y")
    toml, _ = load_problem_text(
        '[expression]\nfunction = "x^2 sin(y)"\nvariables = ["x", "y"]\nwrt = "x"\n'
    )
    directive = from_directive(function="x^2 sin(y)", variables="x, y", wrt="x", answer="0")
    assert cli.truth == truth
    assert cli.variables == (x, y)
    assert cli.domains == {}
    assert cli.constraints == ()
    same_problem(cli, toml)
    same_problem(cli, directive)
    assert options == CheckOptions()  # no [check]: the default options


def test_a_gradient_vector_is_asked_alike() -> None:
    x, y = sp.symbols("x y", real=True)
    truth = sp.Matrix([y, x])  # the gradient of x y in (x, y), by hand
    cli, _ = _question("d/d(x, y) of x y", "")
    toml, _ = load_problem_text(
        '[expression]\nfunction = "x y"\nvariables = "x y"\nwrt = ["x", "y"]\n'
    )
    directive = from_directive(function="x y", wrt="x, y", answer="0")
    assert cli.truth == truth
    assert cli.vector
    same_problem(cli, toml)
    same_problem(cli, directive)


def test_domains_and_constraints_are_read_alike_from_a_file_and_a_directive() -> None:
    function = r"-y_1 \log(e^{u_1}/(e^{u_1} + e^{u_2})) - y_2 \log(e^{u_2}/(e^{u_1} + e^{u_2}))"
    toml, _ = load_problem_text(
        "[expression]\n"
        f"function = '{function}'\n"
        'variables = ["u_1", "u_2", "y_1", "y_2"]\npositive = ["u_2"]\nwrt = "u_1"\n'
        '[domains]\nu_1 = ["-1/2", 2]\n[constraints]\nsimplex = [["y_1", "y_2"]]\n'
    )
    directive = from_directive(
        function=function,
        variables="u_1, u_2, y_1, y_2",
        positive="u_2",
        wrt="u_1",
        domains="u_1 = [-1/2, 2]",
        constraints="simplex(y_1, y_2)",
        answer="0",
    )
    u1, u2, y1, y2 = toml.variables
    assert u2.is_positive
    assert not u1.is_positive
    assert toml.domains == {u1: SamplingInterval(sp.Rational(-1, 2), sp.Integer(2))}
    assert toml.constraints == (Simplex([y1, y2]),)
    same_problem(toml, directive)
    # the same as a Python dict of text fields
    fields, _ = problem_from_fields(
        {
            "function": function,
            "variables": "u_1 u_2 y_1 y_2",
            "positive": "u_2",
            "wrt": "u_1",
            "domains": {"u_1": ["-1/2", 2]},
            "constraints": "simplex(y_1, y_2)",
        },
        source="a test",
    )
    same_problem(toml, fields)


def test_a_network_is_read_alike_from_a_file_and_a_directive() -> None:
    toml, _ = load_problem_text(
        '[network]\nsizes = [1, 1]\nactivations = "identity"\nloss = "mse"\nwrt = "w^{(1)}_{11}"\n'
    )
    directive = from_directive(
        sizes="1, 1", activations="identity", loss="mse", wrt="w^{(1)}_{11}", answer="0"
    )
    same_problem(toml, directive)
    # C = (w x + b - y)^2 with mse; dC/dw = 2 (w x + b - y) x, by hand
    w, b, x, y = (toml.names[n] for n in ("w^{(1)}_{11}", "b^{(1)}_{1}", "x_{1}", "y_{1}"))
    assert sp.expand(toml.truth - 2 * (w * x + b - y) * x) == 0


# --- a bad field: the same message wherever it is written ---------------------------------

QUESTION_FIELDS = [
    # (the question of symdl check, its --variables, the same fields in TOML, the field)
    ("d/dx of x^2 +", "", 'function = "x^2 +"\nvariables = ["x"]\nwrt = "x"', "function"),
    (
        "d/dx of x y",
        r"\write18{ls}",
        'function = "x y"\nvariables = ["x", "\\\\write18{ls}"]\nwrt = "x"',
        "variables",
    ),
    ("d/dx of x^2 sin(q)", "", 'function = "x^2 sin(q)"\nvariables = ["x"]\nwrt = "x"', "function"),
]


def error_of(read: Any, *args: Any, **kwargs: Any) -> ProblemFieldError:
    with pytest.raises(ProblemFieldError) as caught:
        read(*args, **kwargs)
    return caught.value


@pytest.mark.parametrize(("question", "variables", "toml", "field"), QUESTION_FIELDS)
def test_a_bad_field_gets_the_same_message_from_each_entry_point(
    question: str, variables: str, toml: str, field: str, capsys: pytest.CaptureFixture[str]
) -> None:
    fields = question_fields(question, variables)
    from_fields = error_of(problem_from_fields, fields, source="the question")
    from_file = error_of(load_problem_text, f"[expression]\n{toml}\n")
    directive_options = {**fields, "answer": "0"}
    from_directive_ = error_of(from_directive, **directive_options)
    assert from_fields.field == from_file.field == from_directive_.field == field
    message = str(from_fields)
    assert message.startswith(field)
    assert str(from_file) == str(from_directive_) == message
    assert main(["check", question, "--variables", variables, "--answer", "0"]) == 2
    assert capsys.readouterr().out.startswith(f"symdl check: {message}")


def test_the_question_adds_its_own_hint_for_an_unknown_name(
    capsys: pytest.CaptureFixture[str],
) -> None:
    error = error_of(problem_from_fields, question_fields("d/dx of x q", ""), source="q")
    assert (error.field, error.unknown) == ("function", "q")
    assert main(["check", "d/dx of x q", "--answer", "q"]) == 2
    assert capsys.readouterr().out.endswith("name it with --variables 'q')\n")


@pytest.mark.parametrize(
    ("toml", "options", "expected"),
    [
        (
            'function = "w^2"\nvariables = ["w"]\nwrt = "v"',
            {"function": "w^2", "variables": "w", "wrt": "v"},
            "wrt: 'v' is not one of the variables (w); list it among the variables",
        ),
        (
            'function = "y_1 y_2"\nvariables = ["y_1", "y_2"]\nwrt = "y_1"\n'
            '[constraints]\nsimplex = [["y_1"]]',
            {
                "function": "y_1 y_2",
                "variables": "y_1, y_2",
                "wrt": "y_1",
                "constraints": "simplex(y_1)",
            },
            "constraints simplex: the group ['y_1'] has 1 name(s); a group has at least two",
        ),
        (
            'function = "w^2"\nvariables = ["w"]\nwrt = "w"\n[domains]\nz = [0, 1]',
            {"function": "w^2", "variables": "w", "wrt": "w", "domains": "z = [0, 1]"},
            "domains: 'z' is not a variable of the problem (w)",
        ),
        (
            'function = "w^2"\nvariables = ["w"]\nwrt = "w"\n[domains]\nw = [1, 0]',
            {"function": "w^2", "variables": "w", "wrt": "w", "domains": "w = [1, 0]"},
            "domains w = [1, 0]: the low end must be below the high end",
        ),
        (
            'function = "w^2"\nvariables = ["w"]\npositive = ["v"]\nwrt = "w"',
            {"function": "w^2", "variables": "w", "wrt": "w", "positive": "v"},
            "positive: 'v' is not one of the variables (w)",
        ),
    ],
)
def test_a_bad_field_of_a_file_and_of_a_directive_reads_alike(
    toml: str, options: dict[str, str], expected: str
) -> None:
    from_file = error_of(load_problem_text, f"[expression]\n{toml}\n")
    from_directive_ = error_of(from_directive, **options, answer="0")
    assert str(from_file) == str(from_directive_)
    assert str(from_file).startswith(expected)


@pytest.mark.parametrize(
    ("sizes", "activations", "loss", "wrt", "expected"),
    [
        ("2, x", "sigmoid", "mse", "W1", "sizes = '2, x': every size must be a positive integer"),
        (
            "2, 1",
            "sigmoid, relu",
            "mse",
            "W1",
            "activations = 'sigmoid, relu': the sizes 2, 1 give 1",
        ),
        (
            "2, 1",
            "sigmoidd",
            "mse",
            "W1",
            "activations = 'sigmoidd': unknown activation 'sigmoidd'",
        ),
        ("2, 1", "sigmoid", "msee", "W1", "loss = 'msee': unknown loss 'msee'"),
        (
            "2, 1",
            "sigmoid",
            "mse",
            "W3",
            "wrt: 'W3' is not a layer; the network's layers are W1 to W1",
        ),
    ],
)
def test_a_bad_network_field_reads_alike(
    sizes: str, activations: str, loss: str, wrt: str, expected: str
) -> None:
    toml = (
        f'[network]\nsizes = "{sizes}"\nactivations = "{activations}"\nloss = "{loss}"\n'
        f'wrt = "{wrt}"\n'
    )
    from_file = error_of(load_problem_text, toml)
    from_directive_ = error_of(
        from_directive, sizes=sizes, activations=activations, loss=loss, wrt=wrt, answer="0"
    )
    assert str(from_file) == str(from_directive_)
    assert str(from_file).startswith(expected)


def test_the_fields_make_one_problem() -> None:
    with pytest.raises(ValueError, match=r"^the test: give the problem either as a function"):
        problem_from_fields(
            {"function": "x", "variables": "x", "wrt": "x", "sizes": "1, 1"}, source="the test"
        )
    with pytest.raises(ValueError, match=r"^the test: give the problem either"):
        problem_from_fields({"wrt": "x"}, source="the test")
    with pytest.raises(ValueError, match=r"^the test has no wrt; a problem given as a function"):
        problem_from_fields({"function": "x", "variables": "x"}, source="the test")
    with pytest.raises(ValueError, match=r"^the test: unknown field\(s\) \['answer'\]"):
        problem_from_fields({"function": "x", "wrt": "x", "answer": "1"}, source="the test")


def test_names_are_split_outside_braces_and_kept_once() -> None:
    assert read_names("x, w_{1,2}  alpha x") == ["x", "w_{1,2}", "alpha"]
    assert read_names(["x", "y"]) == ["x", "y"]
    with pytest.raises(ValueError, match="give a name, a list of names"):
        read_names(" , ")


def test_a_field_error_survives_pickling() -> None:
    error = ProblemFieldError("wrt", "wrt: 'z' is not one of the variables", unknown="z")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.field, copy.unknown, str(copy)) == ("wrt", "z", str(error))
