"""Searching free text with diacritics and case ignored, in the database, on PostgreSQL and SQLite alike.

Names (bodies, units) carry a folded `search_name` column written by their save(). The big tables' texts
(agreement titles, items, commitments) carry a `search_text` column the database computes itself
(`folded_text`: a stored generated column, so bulk writes and raw updates keep it right too): folding
100,000 descriptions at each search took 50 s. The small tables' texts are folded in the query:
`Folded("place")` is the column as core.text.fold would write it, and `with_folded(queryset, "place")`
filtered by `matches("place", typed)` keeps the rows containing the typed text, folded too. PostgreSQL
folds with translate() (no extension to install on a closed network); SQLite with a Python function
registered on each connection.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models import CharField, Func, GeneratedField, Model, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat
from django.db.models.sql.compiler import SQLCompiler
from django.dispatch import receiver

from core.text import fold

M = TypeVar("M", bound=Model)

_ACCENTED = "áàảãạăắằẳẵặâấầẩẫậđéèẻẽẹêếềểễệíìỉĩịóòỏõọôốồổỗộơớờởỡợúùủũụưứừửữựýỳỷỹỵ"
_BARE = "aaaaaaaaaaaaaaaaadeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyy"
assert len(_ACCENTED) == len(_BARE)
_FROM = _ACCENTED + _ACCENTED.upper()
_TO = _BARE + _BARE


class Folded(Func):
    """A text column lower-cased and without Vietnamese diacritics (đ as d)."""

    function = "coop_fold"
    output_field = CharField()

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> Any:
        # Upper and lower case are both in the table, so the database's locale plays no part.
        return self.as_sql(
            compiler,
            connection,
            template=f"lower(translate(%(expressions)s, '{_FROM}', '{_TO}'))",
            **extra,
        )


# Between two fields of one `folded_text`: a typed text, folded, has no line break, so it never matches
# across two fields ("ha" at the end of one and "nam" at the start of the next).
_FIELD_BREAK = "\n"


def folded_text(*fields: str, verbose_name: Any) -> GeneratedField:
    """A column holding the fields folded, kept by the database; search it with `contains`."""
    parts: list[Any] = [fields[0]]
    for field in fields[1:]:
        parts += [Value(_FIELD_BREAK), field]
    source = Concat(*parts, output_field=TextField()) if len(parts) > 1 else parts[0]
    return GeneratedField(
        expression=Folded(source), output_field=TextField(), db_persist=True, verbose_name=verbose_name
    )


def contains(column: str, typed: str) -> Q:
    """The typed text, folded, is in a `folded_text` column (the column's name, through relations too)."""
    return Q(**{f"{column}__contains": fold(typed)})


@receiver(connection_created)
def _register_sqlite_fold(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "coop_fold", 1, lambda text: None if text is None else fold(text), deterministic=True
        )


def _alias(field: str) -> str:
    return f"{field.replace('__', '_')}_folded"


def with_folded(queryset: QuerySet[M], *fields: str) -> QuerySet[M]:
    """The queryset with each field's folded form available to `matches` (an alias: never selected)."""
    folded: QuerySet[M] = queryset.alias(**{_alias(field): Folded(field) for field in fields})
    return folded


def matches(field: str, typed: str) -> Q:
    """The typed text, folded, is in the folded field (of a queryset passed through `with_folded`).

    The typed words stay together ("ha nam" is a phrase): words matched one by one would find
    "Hà Nam" in "phát triển ... năm 2021".
    """
    return Q(**{f"{_alias(field)}__contains": fold(typed)})
