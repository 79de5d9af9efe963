"""Rows written with plain INSERTs through the DB-API (COPY on PostgreSQL), a
chunk at a time, and the connection tuned for it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from itertools import islice

CHUNK = 5_000  # objects built in memory at a time


def chunks(items: Iterable, size: int = CHUNK) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


# Field types whose Python values the DB-API does not take as they are.
ADAPTED_TYPES = ("DateTimeField", "DecimalField", "JSONField", "UUIDField")


class Inserter:
    """Plain INSERTs through the DB-API (executemany; COPY on PostgreSQL), several
    times faster than bulk_create for 100,000-row tables.

    Rows are dicts of attribute names (`course_date_id`, not `course_date`). The
    columns come from the model; a field a row leaves out gets its default (as
    Django would: "" for text without one, now for auto_now), so a new field needs
    no change here. Primary keys are given here (`id` in a row, or the next free
    one), so that related rows can name them; `finish()` moves the sequence past
    them.
    """

    def __init__(self, model):
        from django.db import DEFAULT_DB_ALIAS, connections
        from django.utils import timezone

        # The connection itself, not the per-thread proxy: looked up per value.
        self.connection = connection = connections[DEFAULT_DB_ALIAS]
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.pk_name = model._meta.pk.attname
        now = timezone.now()
        self.defaults = {}
        for field in self.fields:
            if getattr(field, "auto_now", False) or getattr(
                field, "auto_now_add", False
            ):
                default = now
            else:
                default = field.get_default()
            self.defaults[field.attname] = field.get_db_prep_save(default, connection)
        self.adapters = {}
        for field in self.fields:
            kind = field.get_internal_type()
            if kind == "DateTimeField":  # aware datetimes, as Django stores them
                self.adapters[field.attname] = connection.ops.adapt_datetimefield_value
            elif kind in ADAPTED_TYPES:
                self.adapters[field.attname] = partial(
                    field.get_db_prep_save, connection=connection
                )
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
        self.last_id = last or 0
        self.written = 0

    def next_id(self) -> int:
        self.last_id += 1
        return self.last_id

    def values(self, row: dict) -> tuple:
        if self.pk_name not in row:
            row[self.pk_name] = self.next_id()
        values = []
        for field in self.fields:
            name = field.attname
            if name not in row:
                values.append(self.defaults[name])
            elif name in self.adapters:
                values.append(self.adapters[name](row[name]))
            else:
                values.append(row[name])
        return tuple(values)

    def insert(self, rows: Iterable[dict]) -> int:
        """Write the rows (one transaction per chunk); how many were written."""
        from django.db import transaction

        connection = self.connection
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        written = 0
        WRITTEN_MODELS.add(self.model)
        for chunk in chunks(rows):
            values = [self.values(row) for row in chunk]
            with transaction.atomic(), connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    copy = f"COPY {table} ({columns}) FROM STDIN"
                    with cursor.cursor.copy(copy) as stream:
                        for row in values:
                            stream.write_row(row)
                else:
                    marks = ", ".join(["%s"] * len(self.fields))
                    cursor.executemany(
                        f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
                        values,
                    )
            written += len(values)
        self.written += written
        return written

    def finish(self) -> None:
        """Move the primary-key sequence past the ids given here (PostgreSQL)."""
        from django.core.management.color import no_style
        from django.db import connection

        statements = connection.ops.sequence_reset_sql(no_style(), [self.model])
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


WRITTEN_MODELS: set = set()


def analyze_written_tables() -> None:
    """PostgreSQL: fresh statistics for the tables just filled, as autovacuum keeps
    them on a live site (without them the planner guesses, and a batch of the
    retention job can become a full scan). SQLite gathers none unless told to, on
    a live site too, so it is left as it is."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in WRITTEN_MODELS:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def insert(model, rows: Iterable[dict]) -> int:
    inserter = Inserter(model)
    written = inserter.insert(rows)
    inserter.finish()
    return written


def tune_connection() -> None:
    """SQLite: a page cache big enough for the indexes being filled (the default
    2 MB makes every insert into a large index a read from the OS). Only this
    connection, only while seeding."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -524288")  # KiB: 512 MB at most
