"""Lighthouse on the production stack (issue 17): mobile emulation and Lighthouse's
default simulated throttling, RUNS runs per page, the median score per category.

Lighthouse is node_modules/.bin/lighthouse (package-lock.json, `make
install-checks`); it drives Debian's Chromium, headless, with a fresh profile per
run, and never downloads a browser. Without it (or without Chromium) the rows say
why and fail.

On 127.0.0.1 Lighthouse counts plain HTTP as secure (`is-on-https` passes and
`redirects-http` is not applicable): in production TLS and the redirect to HTTPS
are nginx's (deploy/nginx.conf, exercised by the proxy drill), not Django's.

Run alone against a server that is already up:
    .venv/bin/python bench/lighthouse.py http://127.0.0.1:8651 / /kurs/
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
RUNS = int(os.environ.get("BENCH_LIGHTHOUSE_RUNS", "3"))
RUN_TIMEOUT = 180  # seconds for one run; a slow shared machine takes ~30

CATEGORIES = {  # Lighthouse's id -> the name in the report
    "performance": "performance",
    "accessibility": "accessibility",
    "best-practices": "best practices",
    "seo": "SEO",
}
GOALS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PASSING_SCORE = 0.9  # Lighthouse shows an audit as passed from this score
# Lighthouse's own failures to trace a page load, for which it says "Please run
# Lighthouse again": such a run is repeated, up to REPEATS times per page. A fault
# of the page's (no paint, an HTTP error) is not.
LIGHTHOUSE_TRACE_ERRORS = ("NO_NAVSTART", "NO_TRACING_STARTED", "NO_FCP_OR_LCP_EVENT")
REPEATS = 2


@dataclass
class PageScores:
    """One page's runs: each run's score per category (0-100) and the audits that
    did not pass in it, per category."""

    path: str
    scores: list[dict[str, int]] = field(default_factory=list)
    failing: list[dict[str, list[str]]] = field(default_factory=list)
    benchmark_index: list[float] = field(default_factory=list)
    errored: dict[str, str] = field(default_factory=dict)  # audit id -> message
    repeated: list[str] = field(default_factory=list)  # Lighthouse's own errors
    error: str = ""

    def median(self, category: str) -> float:
        return statistics.median(run[category] for run in self.scores)

    def under_goal(self) -> list[str]:
        return [c for c, goal in GOALS.items() if self.median(c) < goal]

    def failing_audits(self, category: str) -> list[str]:
        """The audits that did not pass in the run with the median score (the
        middle run, as the median of three is one of them)."""
        ranked = sorted(range(len(self.scores)), key=lambda i: self.scores[i][category])
        return self.failing[ranked[len(ranked) // 2]][category]


def missing_tools() -> str:
    if not LIGHTHOUSE.exists():
        return f"{LIGHTHOUSE.relative_to(REPO)} is missing (make install-checks)"
    if shutil.which("node") is None:
        return "node is not installed"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return ""


def lighthouse_version() -> str:
    if missing_tools():
        return "Lighthouse not installed"
    run = subprocess.run(  # noqa: S603 (fixed program)
        [str(LIGHTHOUSE), "--version"], capture_output=True, text=True, check=False
    )
    return f"Lighthouse {run.stdout.strip()}"


def run_once(url: str, tmp: Path, chrome_flags: Sequence[str] = ()) -> dict:
    """One Lighthouse run on `url`: the report (Lighthouse's JSON, the "lhr")."""
    profile = Path(tempfile.mkdtemp(prefix="profile-", dir=tmp))
    output = tmp / "report.json"
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={output}",
        "--only-categories=" + ",".join(CATEGORIES),
        "--disable-full-page-screenshot",
        "--chrome-flags="
        + " ".join([*CHROME_FLAGS, *chrome_flags, f"--user-data-dir={profile}"]),
    ]
    try:
        completed = subprocess.run(  # noqa: S603 (fixed program and arguments)
            command,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
            check=False,
        )
        if completed.returncode != 0 or not output.exists():
            tail = (completed.stderr or completed.stdout).strip().splitlines()[-3:]
            raise RuntimeError(f"exit {completed.returncode}: {' '.join(tail)}")
        report = json.loads(output.read_text())
    finally:
        shutil.rmtree(profile, ignore_errors=True)
        output.unlink(missing_ok=True)
    if report.get("runtimeError"):
        raise RuntimeError(report["runtimeError"].get("message", "runtime error"))
    return report


def failing_audits(report: dict, category: str) -> list[str]:
    """The category's audits that did not pass (an audit Lighthouse could not run
    is in `errored_audits`, not here)."""
    audits = report["audits"]
    failing = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        mode = audit.get("scoreDisplayMode")
        if mode not in ("informative", "manual", "notApplicable", "error") and (
            audit.get("score") is not None and audit["score"] < PASSING_SCORE
        ):
            failing.append(ref["id"])
    return failing


def errored_audits(report: dict) -> dict[str, str]:
    return {
        name: audit.get("errorMessage", "")
        for name, audit in report["audits"].items()
        if audit.get("scoreDisplayMode") == "error"
    }


def measure_page(
    origin: str,
    path: str,
    tmp: Path,
    runs: int = RUNS,
    chrome_flags: Sequence[str] = (),
) -> PageScores:
    page = PageScores(path)
    try:
        for _ in range(runs):
            report = run_repeating_trace_errors(origin + path, tmp, page, chrome_flags)
            categories = report["categories"]
            page.scores.append(
                {c: round((categories[c]["score"] or 0) * 100) for c in CATEGORIES}
            )
            page.failing.append({c: failing_audits(report, c) for c in CATEGORIES})
            page.errored |= errored_audits(report)
            index = report.get("environment", {}).get("benchmarkIndex")
            if index:
                page.benchmark_index.append(index)
    except (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError) as error:
        page.error = str(error)
    return page


def run_repeating_trace_errors(
    url: str, tmp: Path, page: PageScores, chrome_flags: Sequence[str]
) -> dict:
    """`run_once`, repeated while Lighthouse fails to trace the load itself."""
    while True:
        try:
            return run_once(url, tmp, chrome_flags)
        except RuntimeError as error:
            own = any(code in str(error) for code in LIGHTHOUSE_TRACE_ERRORS)
            if not own or len(page.repeated) >= REPEATS:
                raise
            page.repeated.append(str(error))


def measure(
    origin: str, paths: list[str], tmp: Path, chrome_flags: Sequence[str] = ()
) -> list[PageScores]:
    """Every page, or for each the reason it could not be measured."""
    if why := missing_tools():
        return [PageScores(path, error=why) for path in paths]
    pages = []
    for path in paths:
        print(f"Lighthouse {path} ({RUNS} runs) ...", flush=True)
        pages.append(measure_page(origin, path, tmp, chrome_flags=chrome_flags))
    return pages


def describe(page: PageScores) -> str:
    """The medians (with the range when the runs differ), and the failing audits
    of each category under its goal."""
    parts = []
    for category, name in CATEGORIES.items():
        values = [run[category] for run in page.scores]
        text = f"{name} {page.median(category):g}"
        if min(values) != max(values):
            text += f" ({min(values)}–{max(values)})"
        parts.append(text)
    text = ", ".join(parts)
    under = [
        f"{CATEGORIES[c]}: " + (", ".join(f"`{a}`" for a in audits) or "none listed")
        for c in page.under_goal()
        for audits in [page.failing_audits(c)]
    ]
    if under:
        text += "; not passed: " + "; ".join(under)
    if page.repeated:
        codes = {c for e in page.repeated for c in LIGHTHOUSE_TRACE_ERRORS if c in e}
        text += (
            f"; {len(page.repeated)} run(s) repeated after Lighthouse's own "
            + ", ".join(sorted(codes))
        )
    return text


def environment_note(pages: list[PageScores], version: str) -> str:
    """What the report says under the table about the Lighthouse runs: the
    machine's speed as Lighthouse rated it, and the audits it could not run."""
    indexes = [index for page in pages for index in page.benchmark_index]
    if not indexes:
        return f"Lighthouse: not run ({version})."
    text = (
        f"Lighthouse: {version}, {chromium_version()}; Lighthouse rated this "
        f"machine's CPU at benchmarkIndex {statistics.median(indexes):.0f} (median; "
        "its simulated throttling assumes a desktop of about 1000 or more, so "
        "scores here are lower than on a faster machine)."
    )
    errored: dict[str, str] = {}
    for page in pages:
        errored |= page.errored
    if errored:
        names = ", ".join(f"`{name}`" for name in sorted(errored))
        messages = "; ".join(sorted(set(errored.values())))
        text += f" Audits Lighthouse could not run in this browser: {names}"
        text += f" ({messages})."
    return text


def chromium_version() -> str:
    run = subprocess.run(  # noqa: S603 (fixed program)
        [CHROMIUM, "--version"], capture_output=True, text=True, check=False
    )
    return run.stdout.strip() or "Chromium (version unknown)"


def main() -> int:
    origin, *paths = sys.argv[1:]
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        for page in measure(origin, paths or ["/"], Path(tmp)):
            print(page.path, page.error or describe(page))
    return 0


if __name__ == "__main__":
    sys.exit(main())
