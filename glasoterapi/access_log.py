"""gunicorn's access log, with nothing a client sent able to forge a line.

gunicorn writes the decoded path as it came: `%0d%0a` in a URL would start a new,
fake log line and `%00` would write a NUL. Every value a client controls is
escaped here (control characters and quotes as `\\xNN`) and passed through the
same personal-data redaction as the application's own logs.
"""

import functools
import re

from gunicorn.glogging import Logger

from core.logging import redact

UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f"\\]')


def escape(value: str) -> str:
    return UNSAFE.sub(lambda match: f"\\x{ord(match.group()):02x}", value)


# The atoms a format uses: %(m)s, %({user-agent}i)s.
FORMAT_ATOM = re.compile(r"%\(([^)]+)\)")


class EscapingAccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        # Only the atoms the line shows: gunicorn makes one of every request and
        # response header and environ variable, and redacting them all cost more
        # than the rest of a cached page.
        for name in used_atoms(self.cfg.access_log_format):
            value = atoms.get(name)
            if isinstance(value, str):
                atoms[name] = escape(redact(value))
        return atoms


@functools.cache
def used_atoms(log_format: str) -> tuple[str, ...]:
    """The keys of the atoms `log_format` uses, as gunicorn's SafeAtoms looks them
    up (headers and environ variables in lower case)."""
    names = FORMAT_ATOM.findall(log_format)
    return tuple(name.lower() if name.startswith("{") else name for name in names)
