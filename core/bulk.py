"""One UPDATE for many rows, each with its own values.

Django's `bulk_update` writes a CASE WHEN per field and per row; for the 20 questions of a submitted attempt it spent
more time building and compiling those expressions in Python than the database spent on the query (benchmark
scenario 2, docs/decisions/0010-quiz-submit-path.md). This writes the same rows as
`UPDATE ... FROM (VALUES (pk, v1, v2), ...) AS v`, which PostgreSQL and SQLite (3.33+) both understand, with every
value prepared by its model field exactly as `save()` would prepare it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, router
from django.db.models import Model


def bulk_update_rows(model: type[Model], fields: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> int:
    """Set `fields` of many rows of `model` in one statement; each row is (pk, value of fields[0], ...). Returns the
    number of rows updated. Like `bulk_update`, it sends no signals and does not call `save()`."""
    if not rows:
        return 0
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns = [meta.get_field(name) for name in fields]
    postgres = connection.vendor == "postgresql"
    if connection.vendor not in ("postgresql", "sqlite"):
        objs = [model(pk=row[0], **dict(zip(fields, row[1:], strict=True))) for row in rows]
        return model._default_manager.bulk_update(objs, list(fields))

    def placeholder(field) -> str:
        # PostgreSQL types VALUES from their literals; say each column's type so that JSON, numbers and ids compare.
        return f"%s::{field.cast_db_type(connection)}" if postgres else "%s"

    row = "(" + ", ".join(placeholder(field) for field in [meta.pk, *columns]) + ")"
    params: list = []
    for pk, *values in rows:
        params.append(meta.pk.get_db_prep_save(pk, connection))
        params.extend(field.get_db_prep_save(value, connection) for field, value in zip(columns, values, strict=True))
    # Both databases name the columns of a VALUES list column1, column2, ...: the pk is column1.
    value_rows = ", ".join([row] * len(rows))
    assignments = ", ".join(f"{quote(field.column)} = v.column{index}" for index, field in enumerate(columns, start=2))
    table = quote(meta.db_table)
    # Only quoted model metadata and placeholders go into the text; every value is a parameter.
    sql = (
        f"UPDATE {table} SET {assignments} FROM (VALUES {value_rows}) AS v "  # noqa: S608
        f"WHERE {table}.{quote(meta.pk.column)} = v.column1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
