"""`make drills`: load and fault drills against the production stack, on loopback.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dev .venv/bin/python -m drills
    .venv/bin/python -m drills load mail    # some of them

Each drill gets its own scratch database `<name>_drill_<drill>_<pid>` on the
PostgreSQL server DATABASE_URL points at (dropped at the end; the database named
in the URL is never touched), migrated, and its own gunicorn with the repo's
config and DEBUG=False on 127.0.0.1. It acts, checks the database, and prints
PASS or FAIL with its numbers. The table goes to drills/RESULTS.md too.

Exit status: 0 when every drill passed, 1 when one failed (with CI set, a skipped
drill counts as failed), 2 when the drills could not start.
"""

from __future__ import annotations

import os
import platform
import shutil
import signal
import sys
import tempfile
import time
import traceback
from datetime import datetime
from pathlib import Path

from drills import (
    backup_restore,
    db_restart,
    job_killed,
    load,
    mail_down,
    proxy,
    stack,
    worker_killed,
)
from drills.harness import Context, DrillResult
from drills.stack import REPO, HarnessError

DRILLS = {
    module.NAME: module
    for module in [
        load,
        mail_down,
        db_restart,
        worker_killed,
        job_killed,
        proxy,
        backup_restore,
    ]
}
RESULTS_FILE = REPO / "drills" / "RESULTS.md"


def main(names: list[str]) -> int:
    started = time.monotonic()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks
    read_dotenv()
    url = os.environ.get("DATABASE_URL", "")
    if not stack.is_postgres(url):
        print(
            "make drills needs PostgreSQL: DATABASE_URL=postgres://user@host:5432/name "
            "(a scratch database is created next to it and dropped afterwards)."
        )
        return 2
    names = names or list(DRILLS)
    if unknown := [name for name in names if name not in DRILLS]:
        print(f"Unknown drill {', '.join(unknown)}; there are: {', '.join(DRILLS)}")
        return 2
    context_lines = describe_run(url)
    tmp = Path(tempfile.mkdtemp(prefix="glasoterapi-drills-"))
    results: list[DrillResult] = []
    try:
        context = Context(url, tmp)
        print("Collecting static files into a temporary directory ...", flush=True)
        stack.collect_static(context.env(url))
        results = [run_drill(DRILLS[name], context) for name in names]
    except HarnessError as error:
        print(f"\nThe drills could not start: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nInterrupted; servers stopped, scratch databases dropped.")
        return 130
    finally:
        if results and not all(passed(result) for result in results):
            print(f"\nThe servers' and jobs' logs are kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    minutes, seconds = divmod(round(time.monotonic() - started), 60)
    context_lines["took"] = f"{minutes} min {seconds} s"
    text = report(results, context_lines)
    RESULTS_FILE.write_text(text)
    print("\n" + text)
    print(f"Written to {RESULTS_FILE.relative_to(REPO)}")
    return 0 if all(passed(result) for result in results) else 1


def run_drill(module, context: Context) -> DrillResult:
    result = DrillResult(module.NAME, module.TITLE)
    print(f"\n== {module.NAME}: {module.TITLE}", flush=True)
    started = time.monotonic()
    try:
        module.run(context, result)
    except HarnessError as error:
        result.error = str(error)
    except Exception:  # noqa: BLE001 (a broken drill is a FAIL, the others still run)
        result.error = traceback.format_exc()
    result.seconds = time.monotonic() - started
    print_result(result)
    return result


def passed(result: DrillResult) -> bool:
    if result.verdict == "SKIP":
        return not os.environ.get("CI")  # in CI, a drill that cannot run fails
    return result.verdict == "PASS"


def print_result(result: DrillResult) -> None:
    for number in result.numbers:
        print(f"   {number}")
    for check in result.checks:
        print(f"   {'ok  ' if check.ok else 'FAIL'} {check.what}: {check.detail}")
    if result.skipped:
        print(f"   skipped: {result.skipped}")
    if result.error:
        print(f"   the drill broke off: {result.error}")
    print(f"{result.verdict} {result.name} ({result.seconds:.0f} s)", flush=True)


# ------------------------------------------------------------------------------
# Report
# ------------------------------------------------------------------------------
def report(results: list[DrillResult], context: dict[str, str]) -> str:
    rows = "\n".join(
        f"| {r.title} | {bold_unless_pass(r.verdict)} | {'; '.join(r.numbers)} "
        f"| {r.seconds:.0f} s |"
        for r in results
    )
    details = "\n\n".join(result_details(result) for result in results)
    return f"""# Drill results

- Date: {context["date"]}
- Machine: {context["machine"]}; load average (1/5/15 min) {context["load"]} at start
- Software: {context["software"]}
- Database: {context["database"]}
- Command: `{context["command"]}` (runs `.venv/bin/python -m drills`); took \
{context["took"]}

| Drill | Result | Numbers | Time |
| --- | --- | --- | ---: |
{rows}

{details}
"""


def bold_unless_pass(verdict: str) -> str:
    return verdict if verdict == "PASS" else f"**{verdict}**"


def result_details(result: DrillResult) -> str:
    lines = [f"### {result.name}: {bold_unless_pass(result.verdict)}", ""]
    lines += [
        f"- {'PASS' if c.ok else '**FAIL**'} {c.what}: {c.detail}"
        for c in result.checks
    ]
    if result.skipped:
        lines.append(f"- skipped: {result.skipped}")
    if result.error:
        first_line = result.error.strip().splitlines()[-1][:300]
        lines.append(f"- **the drill broke off**: `{first_line}`")
    return "\n".join(lines)


def describe_run(url: str) -> dict[str, str]:
    words = [f"DATABASE_URL={stack.url_without_password(url)}", "make drills"]
    if len(sys.argv) > 1:
        words.append(f'DRILLS="{" ".join(sys.argv[1:])}"')
    return {
        "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "machine": stack.machine_description(),
        "load": stack.load_average(),
        "software": software_description(),
        "database": database_description(url),
        "command": " ".join(words),
    }


def software_description() -> str:
    from importlib.metadata import version

    packages = ", ".join(
        f"{name} {version(name)}" for name in ("Django", "gunicorn", "psycopg")
    )
    return f"Python {platform.python_version()}, {packages}"


def database_description(url: str) -> str:
    try:
        version = stack.run_postgres_admin(url, "SHOW server_version")[0][0].split()[0]
    except HarnessError:
        version = "(version unknown)"
    return (
        f"PostgreSQL {version} at {stack.url_without_password(url)}: one "
        "scratch database per drill, dropped afterwards; the database drill runs "
        "its own throw-away PostgreSQL server"
    )


def read_dotenv() -> None:
    """Read .env as the settings do (the environment wins), for DATABASE_URL."""
    if (REPO / ".env").exists():
        import environ

        environ.Env.read_env(REPO / ".env", overwrite=False)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
