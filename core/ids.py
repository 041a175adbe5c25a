"""A column matched against a long list of ids known in Python, as one parameter.

`filter(party__in=ids)` with 3,000 ids (a leader of 500 agreements acts for 3,000 parties) costs Django
about 11 ms per query in Python: each id is checked and converted when the filter is made, and becomes
a placeholder of its own when the query is compiled. `one_of("party_id", ids)` is the same test with the
ids as one array (`party_id = ANY(%s::bigint[])` on PostgreSQL, the array sent as one text parameter; an
`IN` list of placeholders elsewhere).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, F, Func
from django.db.models.sql.compiler import SQLCompiler


class OneOf(Func):
    output_field = BooleanField()
    conditional = True

    def __init__(self, column: str, ids: Iterable[int]) -> None:
        self.ids = [int(pk) for pk in ids]
        super().__init__(F(column))

    def as_sql(  # type: ignore[override]  # Func's signature has more options than this expression uses
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, tuple[Any, ...]]:
        column, params = compiler.compile(self.get_source_expressions()[0])
        if not self.ids:
            return "1 = 0", ()
        if connection.vendor == "postgresql":
            # One text parameter cast to an array: PostgreSQL reads '{1,2,3}' in one pass, where a list
            # parameter becomes ARRAY[1,2,3] with an expression node per id to parse, and psycopg2 adapts
            # each id in Python (3,000 ids: 8.5 ms a query, against 1.5).
            return f"{column} = ANY(%s::bigint[])", (*params, "{" + ",".join(map(str, self.ids)) + "}")
        return f"{column} IN ({', '.join(['%s'] * len(self.ids))})", (*params, *self.ids)


def one_of(column: str, ids: Iterable[int]) -> OneOf:
    """A condition for filter(): the column (a field's attname, e.g. "party_id") holds one of the ids."""
    return OneOf(column, ids)
