"""Load generation with wrk: targets measured in short rounds, side by side.

The machine is shared and absolute numbers drift, so every target runs in every
round, one after the other, and a comparison is made per round (`round_ratios`,
`cpu_ratios`) between two sides that ran seconds apart.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from bench.config import ACCEPT_ENCODING
from drills import stack
from drills.stack import HarnessError, Server

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
SECONDS_PER_SIDE = int(os.environ.get("BENCH_SECONDS", "3"))
WARMUP_SECONDS = 1
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))

# wrk prints one machine-readable line per run; latency is in microseconds.
WRK_SCRIPT = """\
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d " ..
    "connect=%d read=%d write=%d timeout=%d status=%d\\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.timeout, e.status))
end
"""


@dataclass(eq=False)
class Target:
    label: str
    server: Server
    path: str
    samples: list[Sample] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}{self.path}"


@dataclass
class Sample:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    socket_errors: int
    bad_statuses: int
    cpu_us_per_request: float  # the server's workers, user + system


def workers_cpu_seconds(server: Server) -> float:
    """CPU time (user + system) used so far by the gunicorn master's workers.

    Less sensitive than req/s to other load on a shared machine: it counts only
    the work the server does, not the time it waits for a core.
    """
    ticks = 0
    for pid in stack.worker_pids(server):
        with suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def ensure_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    if os.geteuid() != 0:
        raise HarnessError("wrk is missing: apt-get install -y wrk")
    print("wrk is missing; installing it with apt-get ...", flush=True)
    install = ["apt-get", "install", "-y", "wrk"]
    if subprocess.run(install, check=False).returncode != 0:  # noqa: S603, S607
        subprocess.run(["apt-get", "update"], check=True)  # noqa: S603, S607
        subprocess.run(install, check=True)  # noqa: S603
    return shutil.which("wrk") or "/usr/bin/wrk"


def run_wrk(wrk: str, script: Path, target: Target, seconds: int) -> Sample:
    command = [wrk, "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "5s"]
    command += ["-H", f"Accept-Encoding: {ACCEPT_ENCODING}", "-s", str(script)]
    cpu_before = workers_cpu_seconds(target.server)
    completed = subprocess.run(  # noqa: S603 (fixed arguments)
        [*command, target.url],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=False,
    )
    cpu = workers_cpu_seconds(target.server) - cpu_before
    match = re.search(r"^BENCH (.*)$", completed.stdout, re.MULTILINE)
    if completed.returncode != 0 or not match:
        output = completed.stdout + completed.stderr
        raise HarnessError(f"wrk failed on {target.url}:\n{output}")
    values = {k: int(v) for k, v in (item.split("=") for item in match[1].split())}
    requests = max(values["requests"], 1)
    return Sample(
        requests_per_second=values["requests"] / (values["duration_us"] / 1e6),
        p50_ms=values["p50_us"] / 1000,
        p99_ms=values["p99_us"] / 1000,
        socket_errors=sum(values[k] for k in ("connect", "read", "write", "timeout")),
        bad_statuses=values["status"],
        cpu_us_per_request=cpu / requests * 1e6,
    )


def run_rounds(wrk: str, script: Path, targets: list[Target]) -> None:
    """Warm every target up, then measure them all in each round, one after the other.

    Targets that are compared are next to each other in the list, so that their
    two sides run seconds apart; the order is reversed every other round so that
    no side always runs first.
    """
    for target in targets:
        run_wrk(wrk, script, target, WARMUP_SECONDS)
    for number in range(ROUNDS):
        order = targets if number % 2 == 0 else list(reversed(targets))
        for target in order:
            target.samples.append(run_wrk(wrk, script, target, SECONDS_PER_SIDE))
        rates = " ".join(f"{t.samples[-1].requests_per_second:.0f}" for t in targets)
        print(f"  round {number + 1}/{ROUNDS}, req/s: {rates}", flush=True)


def round_ratios(numerator: Target, denominator: Target) -> list[float]:
    """Per round: the numerator's req/s as a share of the denominator's."""
    return [
        top.requests_per_second / bottom.requests_per_second
        for top, bottom in zip(numerator.samples, denominator.samples, strict=True)
    ]


def cpu_ratios(numerator: Target, denominator: Target) -> list[float]:
    """Per round: the same share estimated from server CPU time per request."""
    return [
        bottom.cpu_us_per_request / top.cpu_us_per_request
        for top, bottom in zip(numerator.samples, denominator.samples, strict=True)
        if top.cpu_us_per_request > 0
    ]


def wrk_version(wrk: str) -> str:
    completed = subprocess.run(  # noqa: S603 (fixed arguments)
        [wrk, "--version"], capture_output=True, text=True, check=False
    )
    return (completed.stdout + completed.stderr).split("Copyright")[0].strip()
