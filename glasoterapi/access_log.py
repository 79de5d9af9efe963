"""gunicorn's access log, with nothing a client sent able to forge a line.

gunicorn writes the decoded path as it came: `%0d%0a` in a URL would start a new,
fake log line and `%00` would write a NUL. Every value a client controls is
escaped here (control characters and quotes as `\\xNN`) and passed through the
same personal-data redaction as the application's own logs.
"""

import re

from gunicorn.glogging import Logger

from core.logging import redact

UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f"\\]')


def escape(value: str) -> str:
    return UNSAFE.sub(lambda match: f"\\x{ord(match.group()):02x}", value)


class EscapingAccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        return {
            name: redact(escape(value)) if isinstance(value, str) else value
            for name, value in super().atoms(resp, req, environ, request_time).items()
        }
