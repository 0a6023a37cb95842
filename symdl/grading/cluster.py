"""Grading on a Dask cluster: the executor of a ``dask.distributed`` scheduler, for ``grade``.

:func:`scheduler_executor` connects to a running scheduler and yields an executor to hand to
:func:`symdl.grading.batch.grade` (``symdl grade --scheduler ADDRESS`` does the same); each
answer is then one task, decided on a worker in a process of its own, killed at the problem's
time limit and limited in memory (:func:`~symdl.grading.answers.check_isolated`).
:func:`local_cluster` starts a cluster on this machine with the workers set up for that.

A worker must be able to start processes: a Dask worker started by a nanny is a *daemonic*
process by default, and a daemonic process cannot have children.  Start the workers without a
nanny (``dask worker ADDRESS --no-nanny``), or give their nanny the settings of
:data:`WORKER_CONFIG` (``distributed.worker.daemon: false``).  :func:`scheduler_executor`
refuses a cluster whose workers are daemonic when it connects, and a task that lands on one
that joined later becomes its answer's UNKNOWN verdict, with the reason and the fix.

``dask[distributed]`` is an optional dependency: ``python -m pip install "symdl[dask]"`` on
the grading machine, the scheduler and every worker (the same versions of symdl and Dask
everywhere, since tasks travel pickled).

Examples
--------
An address is checked before anything is imported or connected:

>>> with scheduler_executor("   "):
...     pass
Traceback (most recent call last):
...
ValueError: address = '   ': give the address of a Dask scheduler, e.g. 'tcp://10.0.0.5:8786' ...

A class graded on two workers of this machine (the verdicts are those of the local pool):

>>> import sympy as sp
>>> from symdl.grading.answers import GradientProblem
>>> from symdl.grading.batch import grade
>>> x = sp.Symbol("x", real=True)
>>> problem = GradientProblem.from_expression(x**3, x)
>>> with local_cluster(2) as address, scheduler_executor(address) as executor:  # doctest: +SKIP
...     report = grade(problem, [("ann", "3x^2"), ("bob", "x^2")], executor=executor)
>>> [row.verdict.outcome.name for row in report.rows]  # doctest: +SKIP
['EQUIVALENT', 'DIFFERENT']
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import multiprocessing
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType, ModuleType
from typing import Any

from symdl.core.limits import WorkerStartError
from symdl.grading.problem_files import check_seconds

__all__ = [
    "CONNECT_TIMEOUT",
    "DASK_EXTRA",
    "WORKER_CONFIG",
    "local_cluster",
    "scheduler_executor",
]

#: The extra to install for grading on Dask (``python -m pip install "symdl[dask]"``).
DASK_EXTRA = "symdl[dask]"

#: The seconds :func:`scheduler_executor` waits, by default, for the scheduler to answer and
#: for its first worker.
CONNECT_TIMEOUT = 10.0

#: The Dask settings under which a worker started by a nanny can start the process in which
#: each answer is checked: not daemonic, and started through a fork server (so that the
#: worker's own checks are forked from a fork server too, not started afresh, which costs a
#: second per answer).  :func:`local_cluster` uses them; for ``dask worker`` with a nanny, set
#: them in the environment (``DASK_DISTRIBUTED__WORKER__DAEMON=False``,
#: ``DASK_DISTRIBUTED__WORKER__MULTIPROCESSING_METHOD=forkserver``).
WORKER_CONFIG: Mapping[str, object] = MappingProxyType(
    {
        "distributed.worker.daemon": False,
        "distributed.worker.multiprocessing-method": (
            "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        ),
    }
)

_INSTALL = f'python -m pip install "{DASK_EXTRA}"'
_FIX = (
    "start the workers with `dask worker ADDRESS --no-nanny`, or set "
    "distributed.worker.daemon to False for their nanny"
)


def _distributed() -> ModuleType:
    """The ``distributed`` package, or an error that says what to install."""
    try:
        import distributed
    except ImportError as error:
        raise ModuleNotFoundError(
            "grading on a Dask cluster needs dask.distributed, which is not installed here "
            f"({error}): install it with `{_INSTALL}`, on this machine, the scheduler and "
            "every worker",
            name="distributed",
        ) from error
    return distributed


def _address(address: object) -> str:
    if not isinstance(address, str):
        raise TypeError(
            f"address = {address!r:.80}: give the address of a Dask scheduler as text, "
            "e.g. 'tcp://10.0.0.5:8786'"
        )
    text = address.strip()
    if not text or any(c.isspace() for c in text):
        raise ValueError(
            f"address = {address!r:.80}: give the address of a Dask scheduler, e.g. "
            "'tcp://10.0.0.5:8786' (`dask scheduler` prints it when it starts)"
        )
    return text


def _count(value: object, name: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} = {value!r:.80}: give a whole number, at least {low}")
    if value < low:
        raise ValueError(f"{name} = {value!r:.80}: give a whole number, at least {low}")
    return value


def _identity(distributed: ModuleType, address: str, seconds: float) -> dict[str, Any]:
    """What the server at ``address`` says it is, asked within ``seconds``.

    Asked on an event loop of its own, in a thread of its own, so that no server (a web server
    that reads the request forever, a host that drops packets) can hold the caller longer:
    ``distributed.Client`` itself may wait without end on a server that is not Dask's.
    """

    # TLS settings, if any, as the Dask configuration gives them to a client
    arguments = distributed.Security().get_connection_args("client")

    async def ask() -> Any:
        server = distributed.rpc(address, timeout=seconds, connection_args=arguments)
        try:
            return await server.identity()
        finally:
            await server.close_rpc()

    async def bounded() -> Any:
        return await asyncio.wait_for(ask(), seconds)

    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="symdl-dask") as pool:
        try:
            info = pool.submit(asyncio.run, bounded()).result()
        except ValueError as error:  # an address that Dask cannot read
            raise ValueError(
                f"address = {address!r}: {error}; give the address of a Dask scheduler, e.g. "
                "'tcp://10.0.0.5:8786' (`dask scheduler` prints it when it starts)"
            ) from error
        except (OSError, TimeoutError, asyncio.TimeoutError) as error:
            raise ConnectionError(
                f"no Dask scheduler answered at {address} within {seconds:g} s: start one "
                "(`dask scheduler`, which listens on port 8786) and give the address it "
                "prints, or check the host, the port and the firewall between them"
            ) from error
        except Exception as error:  # a server that answers, but not as Dask does
            raise ConnectionError(
                f"something answered at {address}, but not as a Dask scheduler "
                f"({type(error).__name__}): give the address of a Dask scheduler, "
                "e.g. 'tcp://10.0.0.5:8786'"
            ) from error
    kind = info.get("type") if isinstance(info, dict) else None
    if kind != "Scheduler":
        raise ValueError(
            f"address = {address!r} is a Dask {kind or 'server'}, not a scheduler: give the "
            "scheduler's address (the one the workers were started with)"
        )
    return info


def _is_daemonic() -> bool:
    """Whether this process is daemonic, so that it cannot start a process of its own."""
    return bool(multiprocessing.current_process().daemon)


def _daemonic_worker(address: str) -> str:
    """Why a task cannot run on this worker, and the fix (short: a report cell holds it)."""
    return (
        f"Dask worker {address} is daemonic: it cannot start the process that checks an "
        "answer; start workers with --no-nanny or distributed.worker.daemon: False"
    )


def _on_worker(function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """``function(*args, **kwargs)`` on a Dask worker that can start processes."""
    if _is_daemonic():
        try:
            from distributed import get_worker

            where = str(get_worker().address)
        except Exception:
            where = "here"
        raise WorkerStartError(_daemonic_worker(where))
    return function(*args, **kwargs)


class _ClusterExecutor(concurrent.futures.Executor):
    """A Dask client's executor whose tasks refuse to run on a daemonic worker, saying why."""

    def __init__(self, executor: concurrent.futures.Executor) -> None:
        self._executor = executor

    def submit(
        self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any
    ) -> concurrent.futures.Future[Any]:
        # the arguments travel as two values: none is read as an option of Dask's submit
        return self._executor.submit(_on_worker, fn, args, kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._executor.shutdown(wait=wait and not cancel_futures)


@contextlib.contextmanager
def scheduler_executor(
    address: str,
    *,
    timeout: float = CONNECT_TIMEOUT,
    min_workers: int = 1,
) -> Iterator[concurrent.futures.Executor]:
    """Connect to the Dask scheduler at ``address``; yield an executor for ``grade``.

    Each task submitted runs on one of the cluster's workers.  On leaving the block the tasks
    still running are cancelled (when the block ends by an exception) or awaited, and the
    connection is closed.

    Parameters
    ----------
    address : str
        The scheduler's address, as ``dask scheduler`` prints it: ``tcp://10.0.0.5:8786``.
    timeout : float
        Seconds to wait for the scheduler to answer, and then for ``min_workers`` workers.
    min_workers : int
        How many workers must have joined before the executor is yielded (0: none, for a
        cluster that starts workers when tasks arrive).

    Yields
    ------
    concurrent.futures.Executor
        An executor whose tasks run on the cluster's workers.

    Raises
    ------
    TypeError, ValueError
        If ``address`` is not text or does not name a Dask scheduler (a worker's address, an
        unknown scheme), or ``timeout``/``min_workers`` is not a number in range.
    ModuleNotFoundError
        If ``dask.distributed`` is not installed (install ``symdl[dask]``).
    ConnectionError
        If no scheduler answers within ``timeout`` seconds, something else answers, or fewer
        than ``min_workers`` workers join within ``timeout`` seconds.
    symdl.core.limits.WorkerStartError
        If a worker is a daemonic process, which cannot start the process each answer is
        checked in: start the workers with ``--no-nanny``, or with
        ``distributed.worker.daemon`` set to False.

    Examples
    --------
    >>> with scheduler_executor("tcp://10.0.0.5:8786") as executor:  # doctest: +SKIP
    ...     report = grade(problem, answers, executor=executor)

    The options are checked before anything is imported or connected:

    >>> with scheduler_executor("tcp://10.0.0.5:8786", min_workers=-1):
    ...     pass
    Traceback (most recent call last):
    ...
    ValueError: min_workers = -1: give a whole number, at least 0
    """
    address = _address(address)
    seconds = check_seconds(timeout, name="timeout")
    wanted = _count(min_workers, "min_workers", 0)
    distributed = _distributed()
    _identity(distributed, address, seconds)
    try:
        client = distributed.Client(address, timeout=seconds, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise ConnectionError(
            f"could not connect to the Dask scheduler at {address} within {seconds:g} s "
            f"({type(error).__name__}: {str(error)[:200]}): check that it is still running"
        ) from error
    try:
        if wanted:
            try:
                client.wait_for_workers(wanted, timeout=seconds)
            except (OSError, TimeoutError) as error:
                joined = len(client.scheduler_info().get("workers", {}))
                raise ConnectionError(
                    f"the Dask scheduler at {address} has {joined} worker(s), and "
                    f"{wanted} did not join within {seconds:g} s: start workers with "
                    f"`dask worker {address} --no-nanny`"
                ) from error
        daemonic = sorted(a for a, d in client.run(_is_daemonic).items() if d)
        if daemonic:
            shown = ", ".join(daemonic[:5])
            if len(daemonic) > 5:
                shown += f", … ({len(daemonic)} in all)"
            which = f"worker {shown} is a daemonic process"
            if len(daemonic) > 1:
                which = f"workers {shown} are daemonic processes"
            raise WorkerStartError(
                f"the Dask {which}, which cannot start the process that checks each answer: {_FIX}"
            )
        executor = _ClusterExecutor(client.get_executor(pure=False))
        try:
            yield executor
        except BaseException:
            executor.shutdown(wait=False, cancel_futures=True)
            raise
        executor.shutdown(wait=True)
    finally:
        with contextlib.suppress(OSError, TimeoutError, RuntimeError):
            client.close(timeout=seconds)


@contextlib.contextmanager
def local_cluster(workers: int = 2, *, threads: int = 1) -> Iterator[str]:
    """A Dask cluster on this machine, whose workers can check answers; yields its address.

    ``workers`` worker processes, each started by a nanny under :data:`WORKER_CONFIG` (not
    daemonic, started through a fork server), each running ``threads`` checks at a time.  The
    cluster stops when the block ends.  While it runs, these settings hold in Dask's
    configuration of this process (a nanny reads them again when it restarts its worker).
    Like every program that starts processes, a script that calls it needs
    ``if __name__ == "__main__":`` before its top-level code.

    Parameters
    ----------
    workers : int
        Worker processes.
    threads : int
        Answers each worker checks at once (each in a process of its own).

    Raises
    ------
    TypeError, ValueError
        If ``workers`` or ``threads`` is not a positive whole number.
    ModuleNotFoundError
        If ``dask.distributed`` is not installed (install ``symdl[dask]``).

    Examples
    --------
    >>> with local_cluster(2) as address, scheduler_executor(address) as executor:  # doctest: +SKIP
    ...     report = grade(problem, answers, executor=executor)
    >>> with local_cluster(0):
    ...     pass
    Traceback (most recent call last):
    ...
    ValueError: workers = 0: give a whole number, at least 1
    """
    count = _count(workers, "workers", 1)
    per_worker = _count(threads, "threads", 1)
    distributed = _distributed()
    import dask

    # held while the cluster lives: a nanny reads them again when it restarts its worker
    with (
        dask.config.set(dict(WORKER_CONFIG)),
        distributed.LocalCluster(
            n_workers=count,
            threads_per_worker=per_worker,
            processes=True,
            dashboard_address="127.0.0.1:0",  # any free port: two clusters never collide
        ) as cluster,
    ):
        yield str(cluster.scheduler_address)
