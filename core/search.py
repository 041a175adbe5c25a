"""Searching free text with diacritics and case ignored, in the database, on PostgreSQL and SQLite alike.

Names (bodies, units) carry a folded `search_name` column; titles and descriptions do not, so a list
search folds them in the query: `Folded("title")` is the column as core.text.fold would write it,
and `matching(queryset, typed, "title")` keeps the rows containing the typed text, folded too.
PostgreSQL does it with translate() (no extension to install on a closed network); SQLite with a
Python function registered on each connection.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models import CharField, Func, Model, Q, QuerySet
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


def matching(queryset: QuerySet[M], typed: str, *fields: str) -> QuerySet[M]:
    """Rows where one of the fields holds the typed text, diacritics, case and repeated spaces aside."""
    if not fold(typed):
        return queryset
    any_field = Q()
    for field in fields:
        any_field |= matches(field, typed)
    return with_folded(queryset, *fields).filter(any_field)
