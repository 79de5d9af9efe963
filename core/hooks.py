"""Points where an app that core (or outbox) may not import adds what it must do:
privacy records each staff export in its audit log, and holds back mail to a
restricted address. Plain registered callables, called in order."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured


class Hook:
    def __init__(self, name: str):
        self.name = name
        self._receivers: list[Callable[..., Any]] = []

    def connect(self, receiver: Callable[..., Any]) -> None:
        if receiver not in self._receivers:
            self._receivers.append(receiver)

    def __call__(self, **kwargs) -> list[Any]:
        # A legal duty left undone because an app forgot to connect must not pass
        # in silence.
        if not self._receivers:
            raise ImproperlyConfigured(f"Nothing is connected to the {self.name} hook.")
        return [receiver(**kwargs) for receiver in self._receivers]
