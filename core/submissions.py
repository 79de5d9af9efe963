"""A form sent twice is saved once.

A visitor who never saw the answer to a form (a dropped connection on the train, a
worker restarted mid-request, a double tap) sends it again. That must not give a
second inquiry or a second booking with its seats and mails. Each form carries a
random key from when it was shown; what it creates keeps a hash of that key and of
the content sent (`submission_key`, unique). The same form sent again with the same
content finds what the first one created; a visitor who goes back and changes
something sends a new submission.
"""

import hashlib
import json
import re
import secrets
from collections.abc import Mapping
from typing import Any

from django import forms

from core.forms import VisitorForm

FORM_KEY = re.compile(r"[A-Za-z0-9_-]{24}")


def new_form_key() -> str:
    return secrets.token_urlsafe(18)  # 24 characters of FORM_KEY's alphabet


class SentOnceForm(VisitorForm):
    """A form whose submission is saved once, however often it is sent."""

    skjema = forms.CharField(
        required=False, initial=new_form_key, widget=forms.HiddenInput
    )

    def form_key(self) -> str | None:
        """This showing's key; None for a page shown before keys existed."""
        form_key = self.cleaned_data.get("skjema", "")
        return form_key if FORM_KEY.fullmatch(form_key) else None


def submission_key(form_key: str | None, content: Mapping[str, Any]) -> str | None:
    """What the saved row keeps: a hash of the form's key and the content sent
    (None without a key: saved as before, without the check)."""
    if form_key is None:
        return None
    payload = json.dumps(content, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(f"{form_key}\n{payload}".encode()).hexdigest()
