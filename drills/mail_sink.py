"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives, and
can kill the mail worker in the middle of a send, as a crash would."""

from __future__ import annotations

import email
import os
import signal
import subprocess
import threading
from collections import Counter
from contextlib import contextmanager

from aiosmtpd.controller import Controller

from drills.stack import free_port


class MailSink:
    def __init__(self):
        self.port = free_port()
        self.messages: list[email.message.Message] = []
        self.lock = threading.Lock()
        # Set both to SIGKILL `victim` when the message after `kill_after` arrives.
        self.victim: subprocess.Popen | None = None
        self.kill_after: int | None = None
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        with self.lock:
            if self.victim is not None and len(self.messages) == self.kill_after:
                # Killed before this message is accepted: it was in flight, not sent.
                os.kill(self.victim.pid, signal.SIGKILL)
                self.victim = None
                return "421 Service not available, closing transmission channel"
            self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def per_recipient(self) -> Counter:
        with self.lock:
            return Counter(message["To"] for message in self.messages)

    def count(self) -> int:
        with self.lock:
            return len(self.messages)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


@contextmanager
def mail_sink():
    sink = MailSink()
    sink.controller.start()
    try:
        yield sink
    finally:
        sink.controller.stop()


def closed_port_url() -> str:
    """An SMTP URL where nothing listens: connections are refused."""
    return f"smtp://127.0.0.1:{free_port()}"
