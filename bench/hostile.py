"""Benchmark: the worst answers, each checked under the real limits of one check.

Each answer is checked against d/dx of x³·y by ``check_gradient`` with the default options
(a 10 s time limit) and the default isolation (a worker process, killed at the time limit
plus 2 s, with :data:`symdl.core.limits.MEMORY_LIMIT` of memory beyond its start).  Each runs in
a fresh interpreter, so that ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` there is the peak
resident memory of that one check's worker.  Printed per answer: the outcome, the seconds
the check took (measured around the call, worker start included), the worker's peak memory
(MiB), and whether it met the targets: decided or UNKNOWN within the time limit + 2 s, peak
under 1 GiB.  The exit status is 1 if any missed them.

Run: ``python bench/hostile.py [--time-limit 10]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

HOSTILE = {
    "exp⁶": "exp(exp(exp(exp(exp(exp(x))))))",
    "(x+98)^1000 (x+99)^1000 (x+100)^1000": "(x+98)^1000 (x+99)^1000 (x+100)^1000",
    "((10^60+7)^100)^(1/2)": "((10^60+7)^100)^(1/2)",
    "450 factors of (10^60)^100": " * ".join(["(10^60)^100"] * 450),
    "10,000-character nesting": "(" * 4998 + "xy" + ")" * 4998 + "+x",
}

PEAK_TARGET_MIB = 1024
GRACE = 2.0  # seconds past the time limit that a check may take (the worker's kill)


def one(name: str, time_limit: float) -> dict[str, object]:
    """Check one answer here; the peak memory of this process's children (the worker)."""
    import resource

    import sympy as sp

    from symdl.grading.answers import check_gradient
    from symdl.referee.equivalence import CheckOptions

    x, y = sp.symbols("x y", real=True)
    started = time.perf_counter()
    verdict = check_gradient(
        x**3 * y, HOSTILE[name], wrt=x, options=CheckOptions(time_limit=time_limit)
    )
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    return {
        "outcome": verdict.outcome.name,
        "reason": verdict.reason,
        "seconds": seconds,
        "peak_mib": peak_kib / 1024,
        "shown": len(str(verdict)) + len(verdict.latex()) + len(json.dumps(verdict.to_dict())),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--one", choices=list(HOSTILE), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(one(args.one, args.time_limit)))
        return 0
    limit = args.time_limit + GRACE
    print(f"time limit {args.time_limit:g} s (target: an outcome within {limit:g} s), ", end="")
    print(f"peak memory target {PEAK_TARGET_MIB} MiB\n")
    print(f"{'answer':40} {'outcome':15} {'seconds':>8} {'peak MiB':>9}  target")
    missed = 0
    for name in HOSTILE:
        command = [sys.executable, __file__, "--one", name, "--time-limit", str(args.time_limit)]
        run = subprocess.run(command, capture_output=True, text=True, timeout=limit + 60)
        if run.returncode != 0:
            print(f"{name:40} failed: {run.stderr.strip().splitlines()[-1:]}")
            missed += 1
            continue
        row = json.loads(run.stdout.strip().splitlines()[-1])
        met = row["seconds"] <= limit and row["peak_mib"] < PEAK_TARGET_MIB
        missed += not met
        print(
            f"{name:40} {row['outcome']:15} {row['seconds']:8.2f} {row['peak_mib']:9.0f}  "
            f"{'met' if met else 'MISSED'}"
        )
        print(f"{'':40} {row['reason'][:100]}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
