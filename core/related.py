"""Related rows a page has read once, shared by the rows that point at them instead of joined into each.

A `select_related` join builds a new object for every row, even when all rows point at the same few: the 150
commitments of an agreement's page, among its ten parties, made 150 parties and 150 bodies (and on a
dashboard their provinces too), each built from its columns by the ORM. When the page has read those few
already, with what it shows of them, `share` hands each row the one it points at: the agreement page's
commitments 20 -> 13 ms (docs/benchmarks.md, "Stop 25").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.db.models import ForeignKey, Model

M = TypeVar("M", bound=Model)


def share(rows: Iterable[M], field: str, known: Iterable[Model]) -> list[M]:
    """The rows, each with its foreign key `field` set to the object of `known` it points at.

    A row pointing at none of them keeps its relation as it was: read from the database when it is used.
    """
    by_pk = {obj.pk: obj for obj in known}
    listed = list(rows)
    if listed:
        relation = type(listed[0])._meta.get_field(field)
        if not isinstance(relation, ForeignKey):
            raise TypeError(f"{field} is not a foreign key of {type(listed[0]).__name__}")
        attname = relation.attname
        for row in listed:
            found = by_pk.get(getattr(row, attname))
            if found is not None:
                setattr(row, field, found)
    return listed
