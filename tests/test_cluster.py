"""Grading on a Dask cluster: a real LocalCluster grades a class of 2,000 answers with the
verdicts of the local pool (through the API and ``symdl grade --scheduler``); an address that
does not answer, or answers but not as Dask, is refused within a bounded time; a worker that
cannot start processes is named, with the fix, at connection and in each answer's verdict."""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import random
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from symdl.cli import main
from symdl.core.limits import WorkerStartError
from symdl.grading.batch import grade, read_answer_sheet
from symdl.grading.cluster import local_cluster, scheduler_executor
from symdl.grading.problem_files import load_problem
from symdl.referee.verdict import Outcome

PROBLEM = """\
title = "d/dx of x^3 sin(x y)"

[expression]
function = "x^3 sin(x y)"
variables = ["x", "y"]
wrt = "x"

[check]
seed = 18
"""

# d/dx x³ sin(xy) = 3x² sin(xy) + x³ y cos(xy), written as students write it
RIGHT = [
    "3x^2 sin(x y) + x^3 y cos(x y)",
    "x^2 (3 sin(x y) + x y cos(x y))",
    r"3x^{2}\sin(xy) + x^{3}y\cos(xy)",
    "3*x**2*sin(x*y) + y*x**3*cos(x*y)",
]
WRONG = [
    "6x^2 sin(x y) + 2x^3 y cos(x y)",  # twice the gradient
    "-3x^2 sin(x y) - x^3 y cos(x y)",  # the sign
    "3x^2 sin(x y) + x^3 cos(x y)",  # the chain rule's factor y forgotten
    "3x^2 cos(x y)",
    "x^4 cos(x y)",  # the derivative with respect to y
    "3x^2 sin(x y) + x^3 y cos(x y) + 1",
]
UNPARSABLE = ["3x^2 sin(x y", "3x^^2", "", "sin", r"\frac{3x^2}", "3x^2 sin(xy) +", "x y z"]
HOSTILE = [
    "exp(exp(exp(exp(exp(exp(x))))))",  # a value with 1.6 million digits
    "(x+98)^1000 (x+99)^1000 (x+100)^1000",
    "x^(10^10)",
    "9^9^9^9",
    "(" * 4998 + "x" + ")" * 4998,
    "x" * 20_000,  # longer than any answer read: decided without a worker
    "__import__('os').system('echo owned')",
]


def require_dask() -> None:
    """Fail in CI (where the dask extra is installed), skip elsewhere, without dask."""
    if importlib.util.find_spec("distributed") is not None:
        return
    if os.environ.get("CI"):
        pytest.fail('dask.distributed is missing in CI: python -m pip install -e ".[dask]"')
    pytest.skip('dask.distributed is not installed (python -m pip install -e ".[dask]")')


def class_answers(count: int = 2000, distinct: int = 150) -> list[tuple[str, str]]:
    """``count`` rows drawn from ``distinct`` texts: the usual forms with their spacing varied,
    every hostile answer included."""
    rng = random.Random(18)
    texts = HOSTILE + RIGHT + WRONG + UNPARSABLE
    seen = set(texts)
    while len(texts) < distinct:
        pool = rng.choice([RIGHT, RIGHT, WRONG, WRONG, UNPARSABLE])
        text = rng.choice(pool)
        text = "".join(c + " " * rng.randint(0, 1) if c == " " else c for c in text)
        text = " " * rng.randint(0, 1) + text
        if text not in seen:
            seen.add(text)
            texts.append(text)
    rows = [rng.choice(texts) for _ in range(count - len(texts))] + texts
    rng.shuffle(rows)
    return [(f"s{n:04d}", text) for n, text in enumerate(rows)]


def records(report_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """The verdicts as the report writes them, without what depends on the machine's speed:
    the seconds, and the difference (simplified within a time budget, so given or not)."""
    return [
        {k: v for k, v in verdict.items() if k not in ("seconds", "difference")}
        for verdict in report_dict["verdicts"]
    ]


@pytest.fixture(scope="module")
def address() -> Iterator[str]:
    """A real LocalCluster: 2 worker processes, one check at a time each."""
    require_dask()
    with local_cluster(2) as scheduler:
        yield scheduler


def write_class(directory: Path) -> tuple[Path, Path]:
    problem = directory / "problem.toml"
    problem.write_text(PROBLEM, encoding="utf-8")
    answers = directory / "answers.csv"
    with answers.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "answer"])
        writer.writerows(class_answers())
    return problem, answers


@pytest.mark.slow
def test_a_class_of_2000_gets_the_local_verdicts_on_dask(
    address: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from distributed import Client

    problem_path, answers_path = write_class(tmp_path)
    rows = class_answers()
    problem, options = load_problem(problem_path)
    sheet = read_answer_sheet(answers_path)
    assert len(sheet) == 2000
    local = grade(problem, sheet, options=options, workers=2)
    expected = records(local.to_dict())
    assert [v["id"] for v in expected] == [f"s{n:04d}" for n in range(2000)]

    with Client(address, set_as_default=False) as client:
        on_dask = grade(problem, sheet, options=options, executor=client.get_executor())
    assert records(on_dask.to_dict()) == expected  # same order, outcomes, reasons, points

    assert main(["grade", str(problem_path), str(answers_path), "--scheduler", address,
                 "--json"]) == 0  # fmt: skip
    assert records(json.loads(capsys.readouterr().out)) == expected

    # the run decided what it was given: right, wrong, unreadable and hostile answers
    outcome = {text: row.verdict.outcome for (_, text), row in zip(rows, local.rows, strict=True)}
    assert outcome[RIGHT[0]] is Outcome.EQUIVALENT
    assert outcome[WRONG[0]] is Outcome.DIFFERENT
    assert outcome[UNPARSABLE[0]] is Outcome.NOT_COMPARABLE
    assert outcome[HOSTILE[0]] is Outcome.DIFFERENT
    assert outcome[HOSTILE[1]] is Outcome.DIFFERENT
    assert all(outcome[text] is Outcome.NOT_COMPARABLE for text in HOSTILE[2:])
    counts = local.outcomes()
    assert min(counts["EQUIVALENT"], counts["DIFFERENT"], counts["NOT_COMPARABLE"]) > 200
    assert counts["UNKNOWN"] == 0


@pytest.mark.slow
def test_a_daemonic_worker_is_named_with_the_fix() -> None:
    require_dask()
    import dask
    import distributed
    import sympy as sp

    from symdl.grading.answers import GradientProblem

    x = sp.Symbol("x", real=True)
    problem = GradientProblem.from_expression(x**3, x)
    # Dask's defaults: each worker started by a nanny, as a daemonic process
    defaults = {
        "distributed.worker.daemon": True,
        "distributed.worker.multiprocessing-method": "spawn",
    }
    with (
        dask.config.set(defaults),
        distributed.LocalCluster(
            n_workers=0, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0"
        ) as cluster,
    ):
        with scheduler_executor(cluster.scheduler_address, min_workers=0) as executor:
            cluster.scale(1)
            cluster.wait_for_workers(1, timeout=60)
            report = grade(problem, [("ann", "3x^2")], executor=executor)
        (row,) = report.rows
        assert row.verdict.outcome is Outcome.UNKNOWN
        assert "daemonic" in row.verdict.reason
        assert "--no-nanny" in row.verdict.reason
        # a cluster whose workers are daemonic is refused when the connection opens
        with (
            pytest.raises(WorkerStartError, match=r"daemonic.*--no-nanny"),
            scheduler_executor(cluster.scheduler_address),
        ):
            pass


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A server that accepts connections, reads, and never answers (not Dask)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    held: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            held.append(connection)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        server.close()


@pytest.fixture
def chatty_server() -> Iterator[str]:
    """A server that answers every connection with text that is not Dask's protocol."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            with connection:
                connection.sendall(b"HTTP/1.0 400 Bad Request\r\n\r\n" * 64)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        server.close()


@pytest.mark.parametrize("kind", ["closed", "silent", "chatty"])
def test_an_address_without_a_scheduler_is_refused_in_bounded_time(
    kind: str, request: pytest.FixtureRequest
) -> None:
    require_dask()
    address = (
        f"tcp://127.0.0.1:{closed_port()}"
        if kind == "closed"
        else request.getfixturevalue(f"{kind}_server")
    )
    start = time.monotonic()
    with pytest.raises(ConnectionError) as caught, scheduler_executor(address, timeout=1):
        pass
    assert time.monotonic() - start < 4  # the limit, and the time to give up
    message = str(caught.value)
    assert address in message
    if kind == "chatty":  # it answered: say so, rather than "no scheduler answered"
        assert "not as a Dask scheduler" in message or "within 1 s" in message
    else:
        assert "within 1 s" in message
        assert "dask scheduler" in message


def test_an_address_that_is_not_one_is_refused() -> None:
    with pytest.raises(TypeError, match="tcp://"), scheduler_executor(8786):  # type: ignore[arg-type]
        pass
    with pytest.raises(ValueError, match=r"tcp://10\.0\.0\.5:8786"), scheduler_executor(""):
        pass
    with pytest.raises(ValueError, match="timeout = 0"), scheduler_executor("tcp://h:1", timeout=0):
        pass
    with (
        pytest.raises(TypeError, match="min_workers = '2'"),
        scheduler_executor("tcp://h:1", min_workers="2"),  # type: ignore[arg-type]
    ):
        pass
    with pytest.raises(ValueError, match="workers = 0"), local_cluster(0):
        pass
    require_dask()
    with pytest.raises(ValueError, match="gopher"), scheduler_executor("gopher://h:1"):
        pass


def test_without_dask_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    with (
        pytest.raises(ModuleNotFoundError, match=r'pip install "symdl\[dask\]"'),
        scheduler_executor("tcp://127.0.0.1:8786"),
    ):
        pass
    with pytest.raises(ModuleNotFoundError, match=r"symdl\[dask\]"), local_cluster(1):
        pass


def test_the_command_refuses_workers_with_a_scheduler(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    problem, answers = tmp_path / "p.toml", tmp_path / "a.csv"
    problem.write_text(PROBLEM, encoding="utf-8")
    answers.write_text("id,answer\ns1,3x^2\n", encoding="utf-8")
    status = main(["grade", str(problem), str(answers), "--scheduler", "tcp://h:1",
                   "--workers", "2"])  # fmt: skip
    assert status == 2
    assert "--workers and --scheduler cannot be used together" in capsys.readouterr().out


def test_the_command_without_dask_says_what_to_install(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    problem, answers = tmp_path / "p.toml", tmp_path / "a.csv"
    problem.write_text(PROBLEM, encoding="utf-8")
    answers.write_text("id,answer\ns1,3x^2\n", encoding="utf-8")
    assert main(["grade", str(problem), str(answers), "--scheduler", "tcp://h:1"]) == 2
    assert 'pip install "symdl[dask]"' in capsys.readouterr().out


@pytest.mark.slow
def test_the_command_names_a_scheduler_that_does_not_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    require_dask()
    problem, answers = tmp_path / "p.toml", tmp_path / "a.csv"
    problem.write_text(PROBLEM, encoding="utf-8")
    answers.write_text("id,answer\ns1,3x^2\n", encoding="utf-8")
    address = f"tcp://127.0.0.1:{closed_port()}"
    start = time.monotonic()
    assert main(["grade", str(problem), str(answers), "--scheduler", address]) == 2
    assert time.monotonic() - start < 15
    out = capsys.readouterr().out
    assert f"no Dask scheduler answered at {address} within 10 s" in out
