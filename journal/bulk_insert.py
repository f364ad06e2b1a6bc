"""Insert many rows at once without building a model instance for each.

``bulk_create`` spends most of its time in Django, not the database: an instance per row and a
prepared value per field (about 170 µs a session with its points on SQLite), which made importing
20,000 sessions take over four seconds. The importer's rows are already checked and typed, so these
helpers send them straight to the database: SQLite gets INSERTs of many rows each, PostgreSQL a
COPY. Values go as they are (ints, text, booleans, None), datetimes through the backend's adapter.

The caller names the columns it gives; every other column gets what ``save()`` would give it: the
time for ``auto_now``/``auto_now_add``, else the field's default (prepared once for all rows), else
NULL; a column with a database default is left to the database. A column that needs a value and has
none is an error, as it would be with ``save()``. Like ``bulk_create``, no signals are sent.
tests/data/test_import_writes.py compares what lands in the database with what the ORM writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, models
from django.utils import timezone

# Rows per INSERT on SQLite, at most (999 parameters in one statement; the backend says how many fit).
BATCH = 500


@dataclass
class _Table:
    name: str  # quoted
    pk: str  # quoted
    columns: list[str]  # quoted: the named ones, then the filled ones
    fields: list[models.Field]
    rest: tuple  # the values of the filled columns, the same for every row
    datetimes: list[int]  # positions of datetimes among the named columns

    def rows(self, rows: Sequence[Sequence]) -> list[tuple]:
        """Each row, datetimes adapted for the database, with the filled columns' values."""
        if not self.datetimes:
            return [(*row, *self.rest) for row in rows]
        adapt = connection.ops.adapt_datetimefield_value
        prepared = []
        for row in rows:
            row = list(row)
            for i in self.datetimes:
                row[i] = adapt(row[i])
            prepared.append((*row, *self.rest))
        return prepared


def _table(model: type[models.Model], names: Sequence[str]) -> _Table:
    meta = model._meta
    given = [meta.get_field(name) for name in names]
    filled, values = [], []
    for field in meta.concrete_fields:
        if field.primary_key or field in given or field.has_db_default():
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = timezone.now()
        elif field.has_default():
            value = field.get_default()
        elif field.null:
            value = None
        else:
            raise ValueError(f"{model.__name__}.{field.name} needs a value")
        filled.append(field)
        values.append(field.get_db_prep_save(value, connection))
    quote = connection.ops.quote_name
    fields = [*given, *filled]
    return _Table(
        name=quote(meta.db_table),
        pk=quote(meta.pk.column),
        columns=[quote(field.column) for field in fields],
        fields=fields,
        rest=tuple(values),
        datetimes=[i for i, field in enumerate(given) if isinstance(field, models.DateTimeField)],
    )


def insert_returning_ids(
    model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence]
) -> list[int]:
    """Insert ``rows`` (values in the order of ``names``); return the new primary keys in the
    order of ``rows``."""
    return _insert(model, names, rows, returning=True)


def insert(model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence]) -> None:
    """Insert ``rows`` (values in the order of ``names``)."""
    _insert(model, names, rows, returning=False)


def _insert(
    model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence], *, returning: bool
) -> list[int]:
    table = _table(model, names)
    if not rows:
        return []
    if connection.vendor == "postgresql":
        return _copy(model, table, rows, returning=returning)
    return _insert_values(table, rows, returning=returning)


def _insert_values(table: _Table, rows: Sequence[Sequence], *, returning: bool) -> list[int]:
    """INSERT … VALUES (…), (…), … RETURNING: one statement per batch of rows.

    The keys are sorted rather than taken in the order RETURNING lists them (which the database
    does not promise): in one statement, rows get increasing keys in the order of VALUES.
    """
    one_row = "(" + ", ".join(["%s"] * len(table.columns)) + ")"
    size = max(1, min(BATCH, connection.ops.bulk_batch_size(table.fields, rows)))
    head = f"INSERT INTO {table.name} ({', '.join(table.columns)}) VALUES "
    tail = f" RETURNING {table.pk}" if returning else ""
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = table.rows(rows[start : start + size])
            cursor.execute(
                head + ", ".join([one_row] * len(batch)) + tail,
                [value for row in batch for value in row],
            )
            if returning:
                new = sorted(row[0] for row in cursor.fetchall())
                if len(new) != len(batch):
                    raise RuntimeError(f"{len(batch)} rows inserted but {len(new)} keys returned")
                ids.extend(new)
    return ids


def _copy(
    model: type[models.Model], table: _Table, rows: Sequence[Sequence], *, returning: bool
) -> list[int]:
    """PostgreSQL: COPY, several times faster than INSERT (psycopg prepares the parameters of a
    long INSERT in Python). New keys, when wanted, come from the table's sequence first and are
    written with the rows."""
    prepared = table.rows(rows)
    columns = table.columns
    ids: list[int] = []
    with connection.cursor() as cursor:
        if returning:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, model._meta.pk.column, len(prepared)],
            )
            ids = sorted(row[0] for row in cursor.fetchall())
            columns = [table.pk, *columns]
            prepared = [(pk, *row) for pk, row in zip(ids, prepared, strict=True)]
        statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
        with connection.wrap_database_errors, cursor.copy(statement) as copy:
            for row in prepared:
                copy.write_row(row)
    return ids
