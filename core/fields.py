"""Fields for what visitors type, cleaned one way in every form.

A line loses its control characters and its runs of white space; text keeps its
line breaks. Both are NFC-normalised, so that "å" typed two ways is stored one
way. Bidirectional overrides go too: they can make a name read differently in
admin.
"""

import re
import unicodedata
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from core import norwegian
from core.validators import INVALID_EMAIL_MESSAGE, normalise_email

# C0 and C1 control characters (tab, newline and carriage return are white space,
# handled per kind of field), the bidirectional overrides and isolates, and the
# Unicode line and paragraph separators.
CONTROL_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)
NAME_MAX_LENGTH = 100


def clean_line(value: str) -> str:
    """One line of text: control characters out, runs of white space made one."""
    value = unicodedata.normalize("NFC", value)
    value = CONTROL_CHARACTERS.sub("", value)
    return " ".join(value.split())


def clean_text(value: str) -> str:
    """Several lines: line breaks kept (as \\n), other control characters out."""
    value = unicodedata.normalize("NFC", value)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\u2028", "\n").replace("\u2029", "\n\n")
    return CONTROL_CHARACTERS.sub("", value).strip()


def must_contain_a_letter(value: str) -> str:
    if value and not any(character.isalpha() for character in value):
        raise ValidationError("Navnet må inneholde bokstaver.", code="no_letters")
    return value


def messages(label: str, max_length: int | None, required: str | None) -> dict:
    errors = {}
    if max_length is not None:
        errors["max_length"] = f"{label} kan ha høyst {max_length} tegn."
    if required:
        errors["required"] = required
    return errors


class LineField(forms.CharField):
    """A single line of text from a visitor."""

    def __init__(self, *, label: str, required_message: str | None = None, **kwargs):
        kwargs.setdefault("max_length", NAME_MAX_LENGTH)
        kwargs.setdefault(
            "error_messages", messages(label, kwargs["max_length"], required_message)
        )
        super().__init__(label=label, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return clean_line(value) if value else value


class TextField(forms.CharField):
    """Several lines of text from a visitor (a message)."""

    def __init__(self, *, label: str, required_message: str | None = None, **kwargs):
        kwargs.setdefault(
            "error_messages",
            messages(label, kwargs.get("max_length"), required_message),
        )
        super().__init__(label=label, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return clean_text(value) if value else value


class NameField(LineField):
    """A first or last name: a line that must hold a letter."""

    def clean(self, value):
        return must_contain_a_letter(super().clean(value))


class EmailField(forms.EmailField):
    """An address, stored in the one form it is looked up by."""

    def __init__(self, *, label: str, required_message: str | None = None, **kwargs):
        errors = {"invalid": INVALID_EMAIL_MESSAGE}
        if required_message:
            errors["required"] = required_message
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault("widget", forms.EmailInput(attrs={"autocomplete": "email"}))
        super().__init__(label=label, error_messages=errors, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return normalise_email(value) if value else value


class AmountField(forms.DecimalField):
    """An amount (kroner, a VAT rate) written as core.norwegian writes it
    everywhere else: "5 900", "5 900,50", "25". Typed back, it takes a decimal
    comma or point and spaces (also no-break ones) between thousands."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "size": 10})

    def prepare_value(self, value):
        if isinstance(value, (Decimal, int)):
            return norwegian.number(value)
        return value

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[\s\u00a0\u202f]", "", value).replace(",", ".")
        return super().to_python(value)
