"""Helpers for system checks (`manage.py check`) that apps write about their own
settings."""

from django.conf import settings
from django.core.checks import Error


def empty_settings(ids: dict[str, str], *, why: str, hint: str) -> list[Error]:
    """An error for each setting of `ids` (name -> error id) that is empty;
    `why` completes "NAME is empty: …", `hint` may name the setting as {name}."""
    return [
        Error(f"{name} is empty: {why}", hint=hint.format(name=name), id=error_id)
        for name, error_id in ids.items()
        if not getattr(settings, name).strip()
    ]
