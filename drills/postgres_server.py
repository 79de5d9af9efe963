"""A throw-away PostgreSQL server of the drills' own, for the drill that stops and
starts it: restarting the server DATABASE_URL points at would cut off everyone
else using it (other test runs, other sites on a shared machine).

Same binaries as the installed server (initdb, pg_ctl), a data directory in a
temporary directory, listening on a free port of 127.0.0.1 only. Run as the
`postgres` user when the drills run as root (PostgreSQL refuses to run as root).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from drills.stack import HarnessError, free_port, tail

OWNER = "postgres"  # the system user that runs the server when we are root
START_TIMEOUT = 60


def server_binaries() -> Path | None:
    """The directory with initdb and pg_ctl: on PATH, or Debian's newest."""
    candidates = []
    if found := shutil.which("pg_ctl"):
        candidates.append(Path(found).parent)
    candidates += sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
        reverse=True,
    )
    for directory in candidates:
        if (directory / "initdb").exists() and (directory / "pg_ctl").exists():
            return directory
    return None


def cannot_run_reason() -> str | None:
    """Why a private server cannot run here, or None."""
    if server_binaries() is None:
        return "PostgreSQL's server programs (initdb, pg_ctl) are not installed"
    if os.geteuid() == 0 and not shutil.which("runuser"):
        return "running as root without runuser to start PostgreSQL as postgres"
    if os.geteuid() == 0:
        import pwd

        try:
            pwd.getpwnam(OWNER)
        except KeyError:
            return f"running as root and there is no {OWNER} user"
    return None


class PrivatePostgres:
    def __init__(self, root: Path):
        self.bin = server_binaries()
        self.port = free_port()
        self.data = root / "data"
        self.run_dir = root / "run"  # socket and log, writable by the server
        self.log = self.run_dir / "postgres.log"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def command(self, program: str, *args: str) -> list[str]:
        command = [str(self.bin / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", OWNER, "--", *command]
        return command

    def run(self, program: str, *args: str, timeout: float = START_TIMEOUT) -> None:
        completed = subprocess.run(  # noqa: S603 (PostgreSQL's own programs)
            self.command(program, *args),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if completed.returncode != 0:
            output = tail(completed.stdout + completed.stderr, 10)
            raise HarnessError(f"{program} {' '.join(args)} failed:\n{output}")

    def init(self) -> None:
        for directory in (self.data, self.run_dir):
            directory.mkdir(mode=0o700)
            if os.geteuid() == 0:
                shutil.chown(directory, user=OWNER, group=OWNER)
        self.run(
            "initdb",
            "--pgdata",
            str(self.data),
            "--username",
            "postgres",
            "--auth",
            "trust",  # loopback only, a throw-away server
            "--encoding",
            "UTF8",
            "--no-sync",
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.run_dir} -c listen_addresses=127.0.0.1 "
            "-c max_connections=50"
        )
        self.run(
            "pg_ctl",
            "start",
            "--pgdata",
            str(self.data),
            "--log",
            str(self.log),
            "--wait",
            "--timeout",
            str(START_TIMEOUT),
            "-o",
            options,
        )

    def crash(self) -> None:
        """Stop at once, as a crash or an OOM kill would: no checkpoint, every
        connection cut; the next start recovers from the write-ahead log."""
        self.run("pg_ctl", "stop", "--pgdata", str(self.data), "--mode", "immediate")

    def stop(self) -> None:
        with suppress(HarnessError, subprocess.TimeoutExpired):
            self.run("pg_ctl", "stop", "--pgdata", str(self.data), "--mode", "fast")


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """A fresh server, started; stopped and deleted at the end, whatever happens."""
    root = Path(tempfile.mkdtemp(prefix="glasoterapi-drill-postgres-"))
    root.chmod(0o755)  # the server's user must reach its directories
    server = PrivatePostgres(root)
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
