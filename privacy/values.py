"""Stored values as the privacy pages and the download show them: field labels,
choices by their labels, moments in the site's time zone."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone

from core import norwegian
from privacy.cookies import CookieCategory


def field_at(model: type[models.Model], path: str) -> models.Field:
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(name)


def field_label(model: type[models.Model], path: str) -> str:
    return str(field_at(model, path).verbose_name).capitalize()


def export_value(field: models.Field, value: Any) -> Any:
    """As `display_value`, but kept machine-readable: numbers and truth values as
    they are, a moment as ISO 8601 with its offset ("2026-11-25T14:05:00+01:00")."""
    if value is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def display_value(field: models.Field, value: Any) -> str:
    """A stored value as people read it: a choice's label, "Ja"/"Nei", a moment as
    "25. november 2026 kl. 14.05" (in the site's time zone), "4 500,50", a list
    joined, "–" for nothing."""
    if value is None or value == "":
        return "–"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Ja" if value else "Nei"
    if isinstance(value, datetime):
        return norwegian.moment(value, long=True)
    if isinstance(value, date):
        return norwegian.day(value)
    if isinstance(value, Decimal):
        return norwegian.number(value)
    if isinstance(value, list):
        return ", ".join(map(category_label, value)) or "–"
    return str(value)


def category_label(value: Any) -> str:
    """A cookie category in a consent record as people read it ("Statistikk")."""
    try:
        return CookieCategory(value).label
    except ValueError:
        return str(value)


def field_path_exists(model: type[models.Model], path: str) -> bool:
    """`"email"` or `"booking__email"`: each step must be a field of the model."""
    for name in path.split("__"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        if field.is_relation and field.related_model is not None:
            model = field.related_model
    return True
