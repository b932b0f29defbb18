"""What both chaos runs share (``chaos`` and ``chaos_golive``): the companies' seeded
arrivals through the real form, waiting for a restarted portal, the calm once the chaos
ends, and the command line that runs seed after seed.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, TypeVar

import httpx

from portal.stack import Stack
from tests.integration.chaos_plan import form_for, submit


class Named(Protocol):
    name: str


class Judged(Protocol):
    failures: list[str]

    def verdict(self) -> str: ...


C = TypeVar("C", bound=Named)


def arrivals(rng: random.Random, roster: list[C], over: float) -> list[tuple[float, C]]:
    """Shuffle the roster in place and give each company a seeded moment within ``over``
    seconds to submit the form: (seconds after the start, company), earliest first."""
    rng.shuffle(roster)
    moments = sorted(rng.uniform(0, over) for _ in roster)
    return list(zip(moments, roster, strict=True))


def arrive(
    stack: Stack, api: str, pending: list[tuple[float, C]], elapsed: float, now: float
) -> None:
    """Submit the form for every pending company whose moment has come, and drop them."""
    while pending and pending[0][0] <= elapsed:
        submit(stack.portal_url, form_for(api, pending.pop(0)[1].name), now + 30)


def wait_until_up(stack: Stack, url: str) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not come back:\n{stack.logs('portal')[-2000:]}")


def calm(stack: Stack) -> None:
    """The chaos ends: no more faults, every process running."""
    httpx.delete(f"{stack.sandbox_url}/sandbox/faults", timeout=5)
    for name in ("portal", "worker"):
        if name not in stack.processes:
            stack.restart(name)


def main(
    doc: str,
    env: dict[str, str],
    run: Callable[[Path, str, int], Judged],
    prefix: str = "",
    fresh: bool = False,
) -> None:
    """Run seed after seed from the command line (--api, --seeds, --keep), print each
    verdict, and exit 1 when any seed failed. ``run(workdir, api, seed)`` must not raise
    on a broken invariant; each kept seed's workdir is ``<keep>/<prefix><api>-<seed>``,
    emptied first when ``fresh``."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--api", choices=("classic", "v2"), default="classic")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    parser.add_argument("--keep", type=Path, help="keep each seed's databases and logs here")
    args = parser.parse_args()
    print("chaos env:", " ".join(f"{k}={v}" for k, v in sorted(env.items())), flush=True)
    failed = False
    for seed in args.seeds:
        with tempfile.TemporaryDirectory() as tmp:
            workdir = args.keep / f"{prefix}{args.api}-{seed}" if args.keep else Path(tmp)
            if fresh and args.keep:
                shutil.rmtree(workdir, ignore_errors=True)  # a fresh pair of databases
            figures = run(workdir, args.api, seed)
            print(figures.verdict(), flush=True)
            failed = failed or bool(figures.failures)
    sys.exit(1 if failed else 0)
