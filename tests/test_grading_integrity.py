"""One student's answer never costs the others their grades, the machine its memory, or the
instructor the previous report: batch grading on hostile answers files."""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import symdl.grading.batch
from symdl.cli import main
from symdl.grading.answers import GradientProblem
from symdl.grading.batch import (
    ANSWER_LIMIT,
    AnswerSheet,
    GradedAnswer,
    GradeReport,
    grade,
    read_answer_sheet,
    read_answers,
)
from symdl.referee.equivalence import CheckOptions
from symdl.referee.verdict import Outcome, Verdict

X, Y = sp.symbols("x y", real=True)
PROBLEM_TOML = '[expression]\nfunction = "x^3 y"\nvariables = ["x", "y"]\nwrt = "x"\n'
HUGE_POWERS = "(x+98)^1000 (x+99)^1000 (x+100)^1000"  # exact values of > 4300 digits
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _problem() -> GradientProblem:
    return GradientProblem.from_expression(X**3 * Y, X)  # the gradient is 3 x^2 y


def _fork() -> Any:
    return multiprocessing.get_context("fork")


class _Unwritable(Verdict):
    """A verdict whose text cannot be made (as one with a 5000-digit exact value)."""

    def to_dict(self) -> dict[str, Any]:
        raise ValueError("Exceeds the limit (4300 digits) for integer string conversion")


# --- 1. batch integrity -----------------------------------------------------------------------


def test_a_verdict_too_large_to_write_is_its_rows_unknown_not_a_lost_batch(
    tmp_path: Path,
) -> None:
    answers = [("s1", "3x^2 y"), ("s2", HUGE_POWERS), ("s3", "x")]
    report = grade(_problem(), answers, workers=1)
    outcomes = [row.verdict.outcome for row in report.rows]
    assert outcomes[0] is Outcome.EQUIVALENT
    assert outcomes[2] is Outcome.DIFFERENT
    # UNKNOWN with the reason while exact values are not shown cut; DIFFERENT once they are
    assert outcomes[1] in (Outcome.UNKNOWN, Outcome.DIFFERENT)
    if outcomes[1] is Outcome.UNKNOWN:
        assert "could not be written out" in report.rows[1].verdict.reason
    out = tmp_path / "report.csv"
    report.write_csv(out)
    with out.open(newline="", encoding="utf-8") as handle:
        assert [r["id"] for r in csv.DictReader(handle)] == ["s1", "s2", "s3"]
    json.dumps(report.to_dict())


def test_a_worker_reports_a_verdict_it_cannot_write_as_unknown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = symdl.grading.batch.check_answer

    def unwritable(problem, text, options, referee):  # type: ignore[no-untyped-def]
        if text == "huge":
            return _Unwritable(Outcome.DIFFERENT, "differs")
        return real(problem, text, options, referee)

    monkeypatch.setattr(symdl.grading.batch, "check_answer", unwritable)
    monkeypatch.setattr(symdl.grading.batch, "process_context", _fork)
    report = grade(_problem(), [("a", "3x^2 y"), ("b", "huge"), ("c", "x")], workers=1)
    assert [r.verdict.outcome for r in report.rows] == [
        Outcome.EQUIVALENT,
        Outcome.UNKNOWN,
        Outcome.DIFFERENT,
    ]
    assert report.rows[1].verdict.reason == (
        "the verdict could not be written out: an exact value in it has more than 4300 digits"
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is enforced on Linux")
def test_an_answer_that_exhausts_its_workers_memory_is_unknown_and_the_worker_replaced(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = symdl.grading.batch.check_answer

    def hog(problem, text, options, referee):  # type: ignore[no-untyped-def]
        if text == "hog":
            bytearray(1 << 30)  # 1 GiB: past a limit of 64 MiB, the allocation fails
        return real(problem, text, options, referee)

    monkeypatch.setattr(symdl.grading.batch, "check_answer", hog)
    monkeypatch.setattr(symdl.grading.batch, "process_context", _fork)
    answers = [("a", "3x^2 y"), ("b", "hog"), ("c", "x"), ("d", "3 y x^2")]
    options = CheckOptions(memory_limit=1 << 26)
    report = grade(_problem(), answers, workers=1, options=options)
    assert [r.verdict.outcome for r in report.rows] == [
        Outcome.EQUIVALENT,
        Outcome.UNKNOWN,  # without the limit: the text "hog" is read, NOT_COMPARABLE
        Outcome.DIFFERENT,  # graded by the worker that replaced the exhausted one
        Outcome.EQUIVALENT,
    ]
    assert report.rows[1].verdict.reason.startswith(
        "could not decide: the check needed more than 64 MiB of memory"
    )


def test_a_report_holding_an_unwritable_verdict_is_still_written(tmp_path: Path) -> None:
    rows = (
        GradedAnswer("a", "2x", Verdict(Outcome.EQUIVALENT, "equivalent")),
        GradedAnswer("b", "x^9", _Unwritable(Outcome.DIFFERENT, "differs")),
    )
    report = GradeReport("d/dx of x^2", rows)
    records = report.to_dict()["verdicts"]
    assert [r["outcome"] for r in records] == ["equivalent", "unknown"]
    assert records[1]["reason"] == (
        "the verdict could not be written out: an exact value in it has more than 4300 digits"
    )
    assert "1 of 2 answers correct" in report.summary()
    out = tmp_path / "report.csv"
    report.write_csv(out)
    with out.open(newline="", encoding="utf-8") as handle:
        assert [r["outcome"] for r in csv.DictReader(handle)] == ["equivalent", "unknown"]


def test_an_answer_over_the_limit_is_refused_on_its_row_without_a_worker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sent: list[str] = []
    real = symdl.grading.batch._run_pool

    def spy(problem, texts, options, workers, progress):  # type: ignore[no-untyped-def]
        sent.extend(texts)
        return real(problem, texts, options, workers, progress)

    monkeypatch.setattr(symdl.grading.batch, "_run_pool", spy)
    huge = "x" * 50_000_000
    report = grade(_problem(), [("a", "3x^2 y"), ("b", huge), ("c", "x" * 10_000)], workers=1)
    assert report.rows[0].verdict.correct
    assert report.rows[1].verdict.outcome is Outcome.NOT_COMPARABLE
    assert report.rows[1].verdict.reason == (
        "the answer is 50000000 characters long; at most 10000 are accepted: shorten it"
    )
    assert "characters long" not in report.rows[2].verdict.reason  # within the limit
    assert sent == ["3x^2 y", "x" * 10_000]
    echoed = report.to_dict()["verdicts"][1]["text"]
    assert echoed == "x" * 80 + "… (50000000 characters)"


def test_identical_answers_are_decided_once(monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[str] = []
    real = symdl.grading.batch._run_pool

    def spy(problem, texts, options, workers, progress):  # type: ignore[no-untyped-def]
        sent.extend(texts)
        return real(problem, texts, options, workers, progress)

    monkeypatch.setattr(symdl.grading.batch, "_run_pool", spy)
    answers = [(f"s{k}", "3x^2 y" if k % 3 else "x") for k in range(30)]
    report = grade(_problem(), answers, workers=1)
    assert sorted(sent) == ["3x^2 y", "x"]
    assert report.correct == 20  # k = 1, 2, 4, 5, ... (not a multiple of 3): 20 of 30


def test_a_seventy_megabyte_cell_is_one_refused_row(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    size = 70 * 2**20
    with path.open("wb") as handle:
        handle.write(b"id,answer\ns1,3x^2 y\ns2,")
        handle.write(b"x" * size)
        handle.write(b'\ns3,"x ' + "é".encode() * 2_000_000 + b' ""q"""\ns4,x\n')
    sheet = read_answer_sheet(path)
    assert [i for i, _ in sheet] == ["s1", "s2", "s3", "s4"]
    # the length of each cell as written (é is one character; "" inside quotes is one ")
    assert sheet.lengths == (6, size, 2 + 2_000_000 + 4, 1)
    assert all(len(a) <= ANSWER_LIMIT + 1 for _, a in sheet)  # what is kept is bounded
    report = grade(_problem(), sheet, workers=1)
    assert [r.verdict.outcome for r in report.rows] == [
        Outcome.EQUIVALENT,
        Outcome.NOT_COMPARABLE,
        Outcome.NOT_COMPARABLE,
        Outcome.DIFFERENT,
    ]
    assert report.rows[1].verdict.reason.startswith(f"the answer is {size} characters long;")
    assert "at most 10000" in report.rows[1].verdict.reason


def test_json_never_echoes_a_huge_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    problem = tmp_path / "problem.toml"
    problem.write_text(PROBLEM_TOML)
    answers = tmp_path / "answers.csv"
    with answers.open("wb") as handle:
        handle.write(b"id,answer\ns1,3x^2 y\ns2," + b"y" * 50_000_000 + b"\n")
    out = tmp_path / "report.csv"
    assert main(["grade", str(problem), str(answers), "--out", str(out), "--json"]) == 0
    printed = capsys.readouterr().out
    assert len(printed) < 20_000
    record = json.loads(printed)
    assert record["verdicts"][1]["text"] == "y" * 80 + "… (50000000 characters)"
    assert record["verdicts"][1]["outcome"] == "not comparable"
    assert record["correct"] == 1


def test_the_summary_writes_powers_as_a_reader_does() -> None:
    report = grade(_problem(), [("a", "x^2 y"), ("b", "y x^2"), ("c", "3x^2 y")], workers=1)
    summary = report.summary()
    assert summary.startswith("d/dx of x³ y\n1 of 3 answers correct")
    assert "2 × the answer x² y" in summary
    assert "**" not in summary
    assert "^" not in summary


# --- 2. the report is replaced, never half-written --------------------------------------------


def _report(rows: int, distinct: bool = False) -> GradeReport:
    verdict = Verdict(Outcome.DIFFERENT, "differs", answer="x")
    return GradeReport(
        "d/dx of x^3 y",
        tuple(
            GradedAnswer(
                f"s{k}",
                "x",
                Verdict(Outcome.DIFFERENT, f"differs {k}", answer=f"{k}*x")
                if distinct
                else verdict,
            )
            for k in range(rows)
        ),
    )


def _temporaries(directory: Path) -> list[str]:
    return [name for name in os.listdir(directory) if name.endswith(".tmp")]


def test_a_failed_write_leaves_the_previous_report_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report.csv"
    out.write_bytes(b"the previous report\n")
    os.chmod(out, 0o640)
    calls = 0
    real = symdl.grading.batch._csv_line

    def failing(cells: Any) -> str:
        nonlocal calls
        calls += 1
        if calls > 50:
            raise OSError(28, "No space left on device")
        return real(cells)

    monkeypatch.setattr(symdl.grading.batch, "_csv_line", failing)
    with pytest.raises(OSError, match="No space left"):
        _report(100).write_csv(out)
    assert out.read_bytes() == b"the previous report\n"
    assert _temporaries(tmp_path) == []
    monkeypatch.setattr(symdl.grading.batch, "_csv_line", real)
    _report(100).write_csv(out)
    assert len(out.read_text().splitlines()) == 101
    assert out.stat().st_mode & 0o777 == 0o640  # the permissions of the report it replaced
    assert _temporaries(tmp_path) == []


def _write_report(path: str) -> None:
    _report(100_000, distinct=True).write_csv(path)


def _wait_for(condition: Callable[[], bool], seconds: float, step: float = 0.001) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(step)
    return condition()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigterm_while_writing_leaves_the_previous_report_intact(tmp_path: Path) -> None:
    out = tmp_path / "report.csv"
    previous = b"id,correct\r\nold,True\r\n"
    out.write_bytes(previous)
    process = _fork().Process(target=_write_report, args=(str(out),))
    process.start()
    seen = _wait_for(lambda: bool(_temporaries(tmp_path)), 20)
    os.kill(process.pid, signal.SIGTERM)
    process.join(20)
    assert seen, "the report was never being written"
    written = out.read_bytes()
    # killed during the write: the previous report, and the process ends as SIGTERM ends it;
    # on a loaded machine the signal may come after the rename: then the whole new report
    if process.exitcode == -signal.SIGTERM:
        assert written == previous or written.count(b"\r\n") == 100_001
    else:
        assert process.exitcode == 0
        assert written.count(b"\r\n") == 100_001
    assert _temporaries(tmp_path) == []


# --- 3. workers end with the grading process --------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def _running(pid: int) -> bool:
    """Whether the process exists and is not a zombie (a zombie computes nothing)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def _grade_many() -> None:
    answers = [(f"s{k}", f"{k} x^2 y + {k}") for k in range(5000)]  # distinct: minutes of work
    grade(_problem(), answers, workers=2, options=CheckOptions(time_limit=30))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_workers_end_with_the_grading_process(signum: int) -> None:
    process = _fork().Process(target=_grade_many)
    process.start()
    try:
        assert _wait_for(lambda: len(_children(process.pid)) >= 2, 20, 0.02)
        workers = _children(process.pid)
        time.sleep(0.3)  # they are computing
        assert all(_running(w) for w in workers)
        os.kill(process.pid, signum)
        process.join(10)
        assert process.exitcode is not None  # the grading process has ended
        assert _wait_for(lambda: not any(_running(w) for w in workers), 5, 0.02), workers
    finally:
        _kill(process.pid, *_children(process.pid))
        process.join()


def _kill(*pids: int) -> None:
    """Clean up after a failed test: no process of it may outlive it."""
    for pid in pids:
        if _running(pid):
            os.kill(pid, signal.SIGKILL)


def _orphan(ready: Any) -> None:
    worker = _fork().Process(target=_blocked_worker, args=(os.getpid(), ready))
    worker.start()
    time.sleep(60)


def _blocked_worker(parent: int, ready: Any) -> None:
    symdl.grading.batch._die_with_parent(parent)
    ready.put(os.getpid())
    time.sleep(60)  # as a worker blocked on an empty queue


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_worker_whose_parent_is_killed_exits() -> None:
    ready = _fork().Queue()
    parent = _fork().Process(target=_orphan, args=(ready,))
    parent.start()
    worker = ready.get(timeout=10)
    assert _running(worker)
    parent.kill()  # SIGKILL: the parent runs no clean-up at all
    parent.join()
    try:
        assert _wait_for(lambda: not _running(worker), 5, 0.02)
    finally:
        _kill(worker)


def _symdl_grade(tmp_path: Path, answers: list[str]) -> tuple[subprocess.Popen[str], Path]:
    """``symdl grade`` started on these answers, writing over an existing report."""
    problem = tmp_path / "problem.toml"
    problem.write_text(PROBLEM_TOML)
    path = tmp_path / "answers.csv"
    path.write_text("id,answer\n" + "".join(f"s{k},{a}\n" for k, a in enumerate(answers)))
    out = tmp_path / "report.csv"
    out.write_bytes(b"the previous report\r\n")
    command = [sys.executable, "-m", "symdl", "grade", str(problem), str(path), "--out", str(out)]
    command += ["--workers", "2"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return process, out


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_symdl_grade_stopped_while_writing_keeps_the_previous_report(tmp_path: Path) -> None:
    answers = [RIGHT[k % 4] if k % 3 else WRONG[k % 8] for k in range(100_000)]
    process, out = _symdl_grade(tmp_path, answers)
    try:
        seen = _wait_for(lambda: bool(_temporaries(tmp_path)), 120)
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=60)
    finally:
        process.kill()
    assert seen, "the report was never being written"
    assert process.returncode == -signal.SIGTERM
    written = out.read_bytes()
    assert written == b"the previous report\r\n" or written.count(b"\r\n") == 100_001
    assert _temporaries(tmp_path) == []


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_symdl_grade_stopped_by_a_signal_leaves_no_worker(tmp_path: Path, signum: int) -> None:
    answers = [f"{k} x^2 y + {k}" for k in range(100_000)]  # distinct: many minutes of work
    process, out = _symdl_grade(tmp_path, answers)
    workers: list[int] = []
    try:
        assert _wait_for(lambda: len(_children(process.pid)) >= 2, 60, 0.02)
        workers = _children(process.pid)
        time.sleep(1.0)
        assert all(_running(w) for w in workers)
        process.send_signal(signum)
        _, err = process.communicate(timeout=30)
        assert _wait_for(lambda: not any(_running(w) for w in workers), 5, 0.02), workers
    finally:
        process.kill()
        _kill(*workers)
    expected = {signal.SIGTERM: -signal.SIGTERM, signal.SIGINT: 130, signal.SIGKILL: -9}
    assert process.returncode == expected[signum]
    if signum == signal.SIGINT:
        assert "interrupted" in err
        assert "Traceback" not in err
    assert out.read_bytes() == b"the previous report\r\n"
    assert _temporaries(tmp_path) == []


# --- 4. spreadsheet-safe report ---------------------------------------------------------------

HOSTILE_IDS = [
    "s18;=1+1;",
    "s12\t=2+2",
    "s7,-3",
    '=HYPERLINK("http://evil")',
    "@SUM(A1)",
    "+1",
    "\t=3",
    "\r=4",
    "s5\n=5+5",
    "a;b\t@c;-d,+e",
]


def test_no_split_of_the_report_starts_a_formula(tmp_path: Path) -> None:
    answers = [(i, "-3x^2 y") for i in HOSTILE_IDS]
    report = grade(_problem(), answers, workers=1)
    out = tmp_path / "report.csv"
    report.write_csv(out)
    raw = out.read_text(encoding="utf-8")
    for line in re.split(r"\r\n|\n|\r", raw):
        for separator in (",", ";", "\t"):
            for field in line.split(separator):
                assert not field.startswith(FORMULA_STARTS), (separator, line)
    # a cell with ; or a tab is quoted, so a spreadsheet splitting on them keeps it whole
    assert '"s18;\'=1+1;",' in raw
    assert '"s12\t\'=2+2",' in raw
    with out.open(newline="", encoding="utf-8") as handle:
        ids = [r["id"] for r in csv.DictReader(handle)]
    assert ids == [
        "s18;'=1+1;",
        "s12\t'=2+2",
        "s7,'-3",
        '\'=HYPERLINK("http://evil")',
        "'@SUM(A1)",
        "'+1",
        "'\t'=3",
        "'\r'=4",
        "s5\n'=5+5",
        "a;b\t'@c;'-d,'+e",
    ]


# --- 5. reading the answers file --------------------------------------------------------------


def _sheet(tmp_path: Path, content: bytes) -> AnswerSheet:
    path = tmp_path / "answers.csv"
    path.write_bytes(content)
    return read_answer_sheet(path)


def test_excels_csv_utf8_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    sheet = _sheet(tmp_path, '\ufeffid,answer\r\nZoë,3x^2 y\r\ns2,"[x, 1]"\r\n'.encode())
    assert sheet.answers == (("Zoë", "3x^2 y"), ("s2", "[x, 1]"))
    assert sheet.warnings == ()
    assert read_answers(tmp_path / "answers.csv") == [("Zoë", "3x^2 y"), ("s2", "[x, 1]")]


def test_rows_not_in_utf8_are_read_as_latin1_and_named(tmp_path: Path) -> None:
    content = b"id,answer\ns1,x\nJos\xe9,2x\nZo\xc3\xab,3x\nFran\xe7ois,\xb5\n"
    sheet = _sheet(tmp_path, content)
    assert [i for i, _ in sheet] == ["s1", "José", "Zoë", "François"]
    assert sheet.answers[3][1] == "µ"
    assert sheet.warnings == (
        "lines 3, 5: not UTF-8, read as Windows-1252 (Latin-1): check the names there, "
        "or save the file as 'CSV UTF-8'",
    )


def test_an_unterminated_quote_is_named(tmp_path: Path) -> None:
    sheet = _sheet(tmp_path, b'id,answer\ns1,x\ns2,"2x\ns3,3x\ns4,4x\n')
    assert [i for i, _ in sheet] == ["s1", "s2"]
    assert sheet.answers[1][1] == "2x\ns3,3x\ns4,4x\n"
    assert sheet.warnings == (
        "line 3: a quote opened in this row is never closed, so the rest of the file (to "
        "line 5) was read into it: add the closing quote",
    )


def test_rows_merged_by_a_quote_are_named(tmp_path: Path) -> None:
    sheet = _sheet(tmp_path, b'id,answer\ns1,"2x\ns2,x"\ns3,3x\n')
    assert [i for i, _ in sheet] == ["s1", "s3"]
    assert sheet.lines == (2, 4)
    assert sheet.warnings == (
        "lines 2–3: a quoted cell runs over several lines; if a closing quote is missing "
        "there, the rows in between were read into it",
    )


def test_duplicate_ids_and_misplaced_cells_are_named(tmp_path: Path) -> None:
    sheet = _sheet(tmp_path, b"id,answer\ns1,x\ns2,[x, 1]\n,,\ns1,2x\ns3\n")
    assert sheet.answers == (("s1", "x"), ("s2", "[x"), ("s1", "2x"), ("s3", ""))
    assert sheet.warnings == (
        "lines 3, 6: the cells do not match the header's 2 columns (an answer that contains a "
        "comma must be in double quotes); the cell under 'answer' was graded",
        "duplicate ids: s1 (lines 2, 5); each row is graded and reported on its own",
    )
    report = grade(_problem(), sheet, workers=1)
    assert report.warnings == sheet.warnings
    assert "duplicate ids: s1 (lines 2, 5)" in report.summary()
    assert report.to_dict()["warnings"] == list(sheet.warnings)
    pairs = grade(_problem(), [("a", "x"), ("b", "x"), ("a", "2x")], workers=1)
    assert pairs.warnings == (
        "duplicate ids: a (rows 1, 3); each row is graded and reported on its own",
    )


def test_a_long_id_is_cut_and_named(tmp_path: Path) -> None:
    sheet = _sheet(tmp_path, b"id,answer\n" + b"i" * 300 + b",x\n")
    assert sheet.answers[0][0] == "i" * 200 + "… (300 characters)"
    assert sheet.warnings == ("line 2: the id is longer than 200 characters and was cut",)


def test_a_utf16_file_is_refused_with_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"UTF-16 .* save it as 'CSV UTF-8"):
        _sheet(tmp_path, "id,answer\ns1,x\n".encode("utf-16"))


def test_warnings_go_to_stderr_and_the_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    problem = tmp_path / "problem.toml"
    problem.write_text(PROBLEM_TOML)
    answers = tmp_path / "answers.csv"
    answers.write_bytes(b"id,answer\ns1,3x^2 y\ns1,x\n")
    out = tmp_path / "report.csv"
    assert main(["grade", str(problem), str(answers), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    warning = "duplicate ids: s1 (lines 2, 3); each row is graded and reported on its own"
    assert f"symdl grade: warning: {warning}" in captured.err
    assert f"warnings about the answers file:\n  {warning}" in captured.out


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet='ab,"\r\n ', max_size=40),
    chunk=st.sampled_from([1, 2, 3, 5, 1 << 16]),
)
def test_the_reader_splits_records_as_pythons_csv_module(text: str, chunk: int) -> None:
    expected = [row for row in csv.reader(io.StringIO(text, newline="")) if row]
    with mock.patch.object(symdl.grading.batch, "_CHUNK", chunk):
        records = symdl.grading.batch._records(io.StringIO(text, newline=""))
        found = [["".join(cell.parts) for cell in record.cells] for record in records]
    assert found == expected


# --- 6. the time limit ------------------------------------------------------------------------


@pytest.mark.parametrize("limit", ["inf", "nan", "-1", "1e10", "0"])
def test_a_time_limit_out_of_range_is_refused_up_front(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], limit: str
) -> None:
    problem = tmp_path / "problem.toml"
    problem.write_text(PROBLEM_TOML + f"[check]\ntime_limit = {limit}\n")
    answers = tmp_path / "answers.csv"
    answers.write_text("id,answer\ns1,3x^2 y\n")
    out = tmp_path / "report.csv"
    assert main(["grade", str(problem), str(answers), "--out", str(out)]) == 2
    printed = capsys.readouterr().out
    assert "time_limit" in printed
    assert "Traceback" not in printed
    assert not out.exists()


def test_grade_refuses_a_time_limit_it_cannot_arm() -> None:
    # 10^12 s: refused as options are made (a year at most); two days: refused by grade
    with pytest.raises(ValueError, match=r"time_limit = 1000000000000.0 .* ≤ 31536000"):
        CheckOptions(time_limit=1e12)
    with pytest.raises(ValueError, match=r"time_limit = 172800.0: .* 0 < time_limit ≤ 86400"):
        grade(_problem(), [("a", "x")], options=CheckOptions(time_limit=172800.0), workers=1)


# --- 7. acceptance: a class with hostile rows -------------------------------------------------

#: right and wrong answers to d/dx of x^3 y; the first four are right (3 x^2 y)
RIGHT = ["3x^2 y", "3 y x^2", "y (3 x^2)", "(3x^2) y"]
WRONG = ["x^2 y", "3x^2", "3x y", "x^3", "2x y", "3x^2 + y", "-3x^2 y", "3x^2 y^2"]


def _hostile(k: int) -> tuple[bytes, bytes, str]:
    """The k-th hostile row: id, answer (raw bytes of the CSV cells), the outcome expected."""
    attacks: list[tuple[bytes, bytes, str]] = [
        (b"h%d" % k, HUGE_POWERS.encode(), "unknown|different"),
        (b"h%d" % k, b"exp(exp(exp(exp(exp(exp(x))))))", "*"),
        (b'"s18;=1+1;%d"' % k, b"3x^2 y", "equivalent"),
        (b'"s12\t=2+2 %d"' % k, b"x", "different"),
        (b'"=HYPERLINK(""http://evil"")%d"' % k, b"3x^2 y", "equivalent"),
        (b"Jos\xe9%d" % k, b"3 x^2 y", "equivalent"),
        (b"h%d" % k, b"9^9^9^9", "not comparable"),
        (b"h%d" % k, b"x^(10^9)", "not comparable"),
        (b"h%d" % k, b"(" * 5000 + b"x" + b")" * 5000, "not comparable"),
        (b"h%d" % k, b"x" * 200_000, "not comparable"),
        (b"s0", b"3x^2 y", "equivalent"),  # a duplicate id
        (b"h%d" % k, b'"' + b"\xff\xfe" * 1000 + b'"', "not comparable"),
    ]
    return attacks[k % len(attacks)]


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="measures with getrusage")
def test_a_class_of_ten_thousand_with_hostile_rows_is_graded_row_by_row(tmp_path: Path) -> None:
    problem = tmp_path / "problem.toml"
    problem.write_text(PROBLEM_TOML + "[check]\ntime_limit = 5\n")
    answers = tmp_path / "answers.csv"
    expected: dict[str, str] = {}
    with answers.open("wb") as handle:
        handle.write(b"id,answer\r\n")
        for n in range(10_000):
            if n % 100 == 99:
                identifier, answer, outcome = _hostile(n // 100)
                if n == 99:  # and one cell of 70 MB
                    answer, outcome = b"x" * (70 * 2**20), "not comparable"
            else:
                forms = RIGHT + WRONG
                form = forms[n % len(forms)]
                identifier = b"s%d" % n
                answer = f"{form} + {n // 5} - {n // 5}".encode()  # all distinct: no answer is free
                outcome = "equivalent" if form in RIGHT else "different"
            handle.write(identifier + b"," + answer + b"\r\n")
            expected[f"line {n + 2}"] = outcome
    out = tmp_path / "report.csv"
    out.write_text("the previous report\n")
    script = (
        "import resource, subprocess, sys, time\n"
        "start = time.monotonic()\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "seconds = time.monotonic() - start\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(done.returncode, seconds, peak)\n"
        "sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])\n"
    )
    command = [sys.executable, "-c", script, sys.executable, "-m", "symdl", "grade"]
    command += [str(problem), str(answers), "--out", str(out), "--workers", "2"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=1200, check=False)
    code, seconds, peak = done.stdout.split()
    print(
        f"10,000 rows: {float(seconds):.1f} s, peak memory of one process {int(peak) / 1024:.0f} MB"
    )
    assert code == "0", done.stderr
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 10_000
    for n, row in enumerate(rows):
        wanted = expected[f"line {n + 2}"]
        if wanted != "*":
            assert row["outcome"] in wanted.split("|"), (n, row["id"][:40], row["reason"][:200])
    assert int(peak) < 2 * 2**20  # KiB: under 2 GiB for any process of the run
    assert float(seconds) < 600
