"""Problem files (symdl.grading.problem_files): every number bounded, constraints, errors that name
the
limit."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import sympy as sp

from symdl.core import network
from symdl.grading import problem_files as problem_file
from symdl.grading.problem_files import (
    check_seconds,
    check_variable_names,
    load_problem,
    load_problem_text,
    read_constraints,
)
from symdl.referee.sampling import OneHot, Simplex

EXPRESSION = '[expression]\nfunction = "x^2 y"\nvariables = ["x", "y"]\nwrt = "x"\n'
NETWORK = '[network]\nsizes = {sizes}\nactivations = "sigmoid"\nloss = "mse"\nwrt = "W1"\n'


# --- [check]: every number bounded -------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "limit"),
    [
        ("points = 100000000", "MAX_POINTS"),
        ("points = 1", "MAX_POINTS"),
        ("dps = 100000", "MAX_DPS"),
        ("symbolic_size = 10000000", "MAX_SYMBOLIC_SIZE"),
        ("time_limit = inf", "MAX_SECONDS"),
        ("time_limit = nan", "MAX_SECONDS"),
        ("time_limit = -1", "MAX_SECONDS"),
        ("time_limit = 0", "MAX_SECONDS"),
        ("time_limit = 1000000000.0", "MAX_SECONDS"),
        ("symbolic_seconds = inf", "MAX_SECONDS"),
    ],
)
def test_check_options_past_their_bounds_name_the_limit(line: str, limit: str) -> None:
    with pytest.raises(
        ValueError, match=f"symdl.grading.problem_files.{limit}; to raise it"
    ) as error:
        load_problem_text(f"{EXPRESSION}[check]\n{line}\n")
    assert line.split(" = ")[1] in str(error.value)  # the value is named


def test_check_options_within_bounds_are_kept() -> None:
    _, options = load_problem_text(
        f"{EXPRESSION}[check]\npoints = 100\ndps = 60\ntime_limit = 2.5\nsymbolic_seconds = 0\n"
    )
    assert (options.points, options.dps, options.time_limit, options.symbolic_seconds) == (
        100,
        60,
        2.5,
        0,
    )
    with pytest.raises(TypeError, match=r"\[check\] time_limit = '10': expected a number"):
        load_problem_text(f'{EXPRESSION}[check]\ntime_limit = "10"\n')
    with pytest.raises(TypeError, match=r"points = True: expected an integer"):
        load_problem_text(f"{EXPRESSION}[check]\npoints = true\n")


def test_a_limit_can_be_raised_in_python(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="MAX_POINTS"):
        load_problem_text(f"{EXPRESSION}[check]\npoints = 150\n")
    monkeypatch.setattr(problem_file, "MAX_POINTS", 200)
    _, options = load_problem_text(f"{EXPRESSION}[check]\npoints = 150\n")
    assert options.points == 150


def test_seconds_from_text() -> None:
    assert check_seconds(3, name="t") == 3.0
    for bad in (float("inf"), float("nan"), 0, -2, 601):
        with pytest.raises(ValueError, match=r"t = .*above 0 and at most 600"):
            check_seconds(bad, name="t")
    with pytest.raises(TypeError, match="expected a number of seconds"):
        check_seconds(True, name="t")


# --- networks, variables, sizes of the file ------------------------------------------------


def test_a_huge_network_is_refused_before_it_is_built() -> None:
    start = time.perf_counter()
    with pytest.raises(ValueError, match=r"^sizes = \[1000, 1000, 1000\].*MAX_TEXT_"):
        load_problem_text(NETWORK.format(sizes="[1000, 1000, 1000]"))
    # 100 x 100 x 1: 100 * 101 + 1 * 101 = 10,201 parameters, over 10,000
    with pytest.raises(ValueError, match=r"10,201 parameters.*MAX_TEXT_PARAMETERS"):
        load_problem_text(NETWORK.format(sizes="[100, 100, 1]"))
    with pytest.raises(ValueError, match=r"40 layers after the input.*MAX_TEXT_DEPTH"):
        load_problem_text(NETWORK.format(sizes=str([1] * 41)))
    with pytest.raises(ValueError, match="every size must be a positive integer"):
        load_problem_text(NETWORK.format(sizes='[2, "x"]'))
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("seconds", [0.01, 0.03, 0.05, 0.08, 0.13, 0.21, 0.34])
def test_building_the_problem_is_bounded_in_time(
    monkeypatch: pytest.MonkeyPatch, seconds: float
) -> None:
    # a 8-8-8-8 sigmoid network takes over half a minute to build (its gradient and the
    # modelled mistakes); whatever step the limit lands in (the forward pass, an activation's
    # derivative, a modelled mistake) the build stops and names the limit, never another error
    monkeypatch.setattr(problem_file, "BUILD_SECONDS", seconds)
    start = time.perf_counter()
    with pytest.raises(
        ValueError, match=rf"longer than {seconds:g} s.*symdl.grading.problem_files.BUILD_SECONDS"
    ):
        load_problem_text(NETWORK.format(sizes="[8, 8, 8, 8]"))
    assert time.perf_counter() - start < 5


def test_variables_and_titles_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    names = ", ".join(f'"x_{{{i}}}"' for i in range(101))
    text = f'[expression]\nfunction = "x_1"\nvariables = [{names}]\nwrt = "x_1"\n'
    with pytest.raises(ValueError, match=r"101 names.*at most 100.*MAX_VARIABLES"):
        load_problem_text(text)
    with pytest.raises(ValueError, match=r"title = .*at most 1,000 characters.*MAX_TITLE_CHARS"):
        load_problem_text(f'title = "{"t" * 1001}"\n{EXPRESSION}')
    monkeypatch.setattr(problem_file, "MAX_FILE_BYTES", 50)
    with pytest.raises(ValueError, match=r"\d+ characters; at most 50.*MAX_FILE_BYTES"):
        load_problem_text(EXPRESSION)


def test_a_big_file_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.toml"
    path.write_text(EXPRESSION + "#" * 200)
    monkeypatch.setattr(problem_file, "MAX_FILE_BYTES", 100)
    with pytest.raises(ValueError, match=r"big.toml: 2\d\d bytes; a problem file has at most 100"):
        load_problem(path)
    path.write_bytes(b"\xff\xfe")
    monkeypatch.setattr(problem_file, "MAX_FILE_BYTES", 1000)
    with pytest.raises(ValueError, match="not UTF-8"):
        load_problem(path)


def test_deep_nesting_is_an_error_not_a_recursion_error() -> None:
    deep = "x = " + "[" * 100_000 + "]" * 100_000 + "\n"
    with pytest.raises(ValueError, match="nested too deeply"):
        load_problem_text(deep)
    with pytest.raises(ValueError, match="nested too deeply"):
        load_problem_text("[network]\nsizes = " + "[" * 100_000 + "]" * 100_000 + "\n")


def test_variable_names_are_names_an_answer_can_write() -> None:
    assert list(check_variable_names(["x", "w_{12}", "alpha"])) == ["x", "w_{12}", "alpha"]
    for hostile in (r"\input{/etc/passwd}", r"x_{\href{javascript:alert(1)}{a}}", "a b", "x+1"):
        with pytest.raises(ValueError, match="cannot be written in an answer"):
            check_variable_names([hostile])
        text = EXPRESSION.replace('["x", "y"]', f'["x", "y", {hostile!r}]'.replace("'", '"'))
        with pytest.raises(ValueError, match="cannot be written in an answer"):
            load_problem_text(text.replace("\\", "\\\\"))


def test_a_network_parameter_can_be_named_alone() -> None:
    problem, _ = load_problem_text(
        NETWORK.format(sizes="[1, 1]").replace('wrt = "W1"', 'wrt = "w^{(1)}_{11}"')
    )
    assert not isinstance(problem.truth, sp.MatrixBase)  # one parameter: a scalar gradient
    assert problem.statement.endswith("with respect to w^{(1)}_{11}")
    with pytest.raises(ValueError, match=r"^wrt: 'v' is not a layer .* or a parameter of the net"):
        load_problem_text(NETWORK.format(sizes="[1, 1]").replace('"W1"', '"v"'))


# --- [constraints] -------------------------------------------------------------------------------

SOFTMAX_CE = (
    "[expression]\n"
    'function = "-y_1 \\\\log(e^{u_1}/(e^{u_1} + e^{u_2})) - y_2 \\\\log(e^{u_2}/(e^{u_1} + '
    'e^{u_2}))"\n'
    'variables = ["u_1", "u_2", "y_1", "y_2"]\n'
    'wrt = "u_1"\n'
)
# p_1 - y_1 is the gradient only where y_1 + y_2 = 1: d/du_1 = (y_1 + y_2) p_1 - y_1
RIGHT_ON_THE_SIMPLEX = "e^{u_1}/(e^{u_1} + e^{u_2}) - y_1"


def test_a_simplex_constraint_makes_the_classic_answer_right() -> None:
    from symdl.grading.answers import check_gradient

    free, _ = load_problem_text(SOFTMAX_CE)
    assert free.constraints == ()
    assert not check_gradient(free, RIGHT_ON_THE_SIMPLEX).correct
    constrained, _ = load_problem_text(SOFTMAX_CE + '[constraints]\nsimplex = [["y_1", "y_2"]]\n')
    y1, y2 = (constrained.names[n] for n in ("y_1", "y_2"))
    assert constrained.constraints == (Simplex([y1, y2]),)
    verdict = check_gradient(constrained, RIGHT_ON_THE_SIMPLEX)
    assert verdict.correct
    assert verdict.conditions  # right only under the constraint, and it says so
    one_hot, _ = load_problem_text(SOFTMAX_CE + '[constraints]\none_hot = [["y_1", "y_2"]]\n')
    assert one_hot.constraints == (OneHot([y1, y2]),)


def test_network_targets_can_be_constrained_or_freed() -> None:
    net = NETWORK.format(sizes="[1, 2]")
    default, _ = load_problem_text(net)
    assert default.constraints == ()  # mse: the targets are free
    simplex, _ = load_problem_text(net + '[constraints]\nsimplex = [["y_1", "y_2"]]\n')
    (constraint,) = simplex.constraints
    assert [s.name for s in constraint.symbols] == ["y_{1}", "y_{2}"]
    logloss = net.replace('"mse"', '"log"').replace('"sigmoid"', '"identity"')
    implied, _ = load_problem_text(logloss)
    assert [type(c) for c in implied.constraints] == [OneHot]  # the loss's own
    freed, _ = load_problem_text(logloss + "[constraints]\n")
    assert freed.constraints == ()  # an empty table samples the targets freely


def test_bad_constraints_say_what_is_accepted() -> None:
    with pytest.raises(ValueError, match=r"unknown key\(s\) \['simplx'\] in constraints; accepted"):
        load_problem_text(SOFTMAX_CE + '[constraints]\nsimplx = [["y_1", "y_2"]]\n')
    with pytest.raises(ValueError, match="give a list of groups of variable names"):
        load_problem_text(SOFTMAX_CE + '[constraints]\nsimplex = ["y_1", "y_2"]\n')
    with pytest.raises(ValueError, match="unknown name 'z'"):
        load_problem_text(SOFTMAX_CE + '[constraints]\nsimplex = [["y_1", "z"]]\n')
    with pytest.raises(ValueError, match="at least two"):
        load_problem_text(SOFTMAX_CE + '[constraints]\nsimplex = [["y_1"]]\n')
    with pytest.raises(ValueError, match="name variables of the problem"):
        load_problem_text(SOFTMAX_CE + '[constraints]\nsimplex = [["y_1 + 1", "y_2"]]\n')


def test_read_constraints_resolves_names_as_an_answer_writes_them() -> None:
    y1, y2 = sp.symbols("y_{1} y_{2}", real=True)
    names = {"y_{1}": y1, "y_{2}": y2}
    assert read_constraints({"one_hot": [["y_1", "y_2"]]}, names) == [OneHot([y1, y2])]
    assert read_constraints(None, names) == []


def test_network_limits_are_read_when_the_file_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(network, "MAX_TEXT_WIDTH", 3)
    with pytest.raises(ValueError, match=r"a layer of 4 units.*at most 3 units"):
        load_problem_text(NETWORK.format(sizes="[1, 4]"))
