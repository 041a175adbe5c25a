"""A model's CHECK constraints validated in one query, not one each.

Django validates a model's CheckConstraints (Model.full_clean, so every ModelForm and the admin) with a
`SELECT 1 WHERE <condition>` per constraint, each in a savepoint when a transaction is open.  A progress
entry's form asks seven: seven round trips and seven compiled queries on every save, about a fifth of the save's
CPU.  `ChecksInOneQuery` asks the same conditions, with the same values and the same rules (NULL passes,
a condition on an excluded field is skipped, a database error is not a violation), as the columns of one
SELECT, and raises the same errors in the same order as Django would.  Other constraints (unique ones) stay Django's.

Most conditions need no database at all: a comparison of a field with a constant or another field, a
membership, a null test, the length of a text, joined by AND, OR and NOT.  Those are decided here in
Python with SQL's rules (a comparison with NULL is unknown, and an unknown condition passes); the query
asks only what is left (a transform such as `__day`, an expression as a value, text ordered by a collation),
and is not made when nothing is.  The hypothesis tests compare every verdict with the database's.
"""

from __future__ import annotations

import datetime
import logging
import operator
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldError, ValidationError
from django.db import DatabaseError, connections, models, router, transaction
from django.db.models import BooleanField, F, Q, Value
from django.db.models.functions import Coalesce, Length
from django.db.models.lookups import Exact, GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE

logger = logging.getLogger(__name__)


class NeedsTheDatabase(Exception):
    """A condition, or a part of one, that this module does not decide in Python."""


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}
_LOOKUPS = {Exact: "exact", GreaterThan: "gt", GreaterThanOrEqual: "gte", LessThan: "lt", LessThanOrEqual: "lte"}


def _kind(value: Any) -> type | None:
    """What a value compares with, as SQL compares it; None: not decided here (text ordering needs a collation)."""
    if isinstance(value, bool):
        return bool
    if isinstance(value, int | Decimal):
        return Decimal
    if isinstance(value, datetime.datetime):
        return datetime.datetime if value.tzinfo is not None else None
    if isinstance(value, datetime.date):
        return datetime.date
    if isinstance(value, str):  # a choice's enum member too
        return str
    return None


def _compare(lookup: str, left: Any, right: Any) -> bool | None:
    if left is None or right is None:
        return None  # NULL: unknown
    kind = _kind(left)
    if kind is None or kind != _kind(right) or (kind is str and lookup != "exact"):
        raise NeedsTheDatabase
    return _COMPARE[lookup](left, right)


def _operand(expression: Any, values: dict[str, Any]) -> Any:
    """A constant, a field's value (F), or the length of a field's text; anything else needs the database."""
    if isinstance(expression, F):
        name: str = expression.name  # type: ignore[attr-defined]  # set in F.__init__, missing from the stubs
        if name not in values:
            raise FieldError(name)  # a field left out of the validation: Django skips the check
        value = values[name]
        if not isinstance(value, Value):
            raise NeedsTheDatabase
        return value.value
    if isinstance(expression, Length):
        (source,) = expression.get_source_expressions()
        text = _operand(source, values)
        if text is not None and not isinstance(text, str):
            raise NeedsTheDatabase
        return None if text is None else len(text)
    if isinstance(expression, Value):
        return expression.value
    if hasattr(expression, "resolve_expression") or isinstance(expression, models.Model):
        raise NeedsTheDatabase
    return expression


def _leaf(name: str, right: Any, values: dict[str, Any]) -> bool | None:
    field, _, lookup = name.partition("__")
    lookup = lookup or "exact"
    left = _operand(F(field), values)
    if lookup == "isnull" and isinstance(right, bool):
        return (left is None) == right
    if lookup == "exact" and right is None:
        return left is None  # Q(x=None) is x IS NULL
    if lookup == "in" and isinstance(right, list | tuple | set | frozenset):
        options = [_operand(option, values) for option in right if option is not None]
        if not options:
            raise NeedsTheDatabase
        if left is None:
            return None
        return any(_compare("exact", left, option) for option in options)
    if lookup in _COMPARE:
        return _compare(lookup, left, _operand(right, values))
    raise NeedsTheDatabase


def verdict(condition: Any, values: dict[str, Any]) -> bool | None:
    """The condition's truth for the values of `_get_field_expression_map`, by SQL's three-valued logic.

    Raises NeedsTheDatabase for what is not decided here, FieldError for a field the values leave out.
    """
    if isinstance(condition, Q):
        if condition.connector not in (Q.AND, Q.OR):
            raise NeedsTheDatabase
        results = [
            _leaf(child[0], child[1], values) if isinstance(child, tuple) else verdict(child, values)
            for child in condition.children
        ]
        if condition.connector == Q.AND:
            result = False if False in results else None if None in results else True
        else:
            result = True if True in results else None if None in results else False
        return None if result is None else result != condition.negated
    lookup = _LOOKUPS.get(type(condition))
    if lookup is not None:
        return _compare(lookup, _operand(condition.lhs, values), _operand(condition.rhs, values))
    raise NeedsTheDatabase


def failed_checks(
    model: type[models.Model],
    instance: models.Model,
    checks: list[models.CheckConstraint],
    exclude: set[str],
    using: str,
    *,
    in_python: bool = True,
) -> list[models.CheckConstraint]:
    """The constraints among `checks` that the instance's values break: decided in Python where the module
    docstring says, the others asked in one query (all of them with in_python=False, as the tests compare)."""
    # The values exactly as CheckConstraint.validate gets them (a private helper; the hypothesis test in
    # tests/core/test_constraints.py compares every verdict with Django's own, so a change shows there).
    against = instance._get_field_expression_map(meta=model._meta, exclude=exclude)  # type: ignore[attr-defined]
    failed: list[models.CheckConstraint] = []
    left: list[models.CheckConstraint] = []
    for check in checks:
        try:
            if not in_python:
                raise NeedsTheDatabase
            if verdict(check.condition, against) is False:  # unknown (NULL) passes, as in the database
                failed.append(check)
        except FieldError:
            continue  # it names a field left out of the validation, as CheckConstraint.validate skips it
        except NeedsTheDatabase:
            left.append(check)
    if not left:
        return failed
    asked_failed = _asked(model, against, left, using)
    return [check for check in checks if check in failed or check in asked_failed]


def _asked(
    model: type[models.Model], against: dict[str, Any], checks: list[models.CheckConstraint], using: str
) -> list[models.CheckConstraint]:
    """The constraints among `checks` that the values break, asked of the database in one query."""
    query = Query(None)
    for name, value in against.items():
        query.add_annotation(value if hasattr(value, "resolve_expression") else Value(value), name, select=False)
    asked: list[models.CheckConstraint] = []
    for check in checks:
        try:
            query.add_annotation(Coalesce(Q(check.condition), True, output_field=BooleanField()), f"c{len(asked)}")
        except FieldError:  # it names a field left out of the validation, as CheckConstraint.validate skips it
            continue
        asked.append(check)
    if not asked:
        return []
    connection = connections[using]
    try:
        with transaction.atomic(using=using) if connection.in_atomic_block else nullcontext():
            row = query.get_compiler(using=using).execute_sql(SINGLE)
    except DatabaseError as exc:
        logger.warning("Got a database error checking %s's constraints: %s", model.__name__, exc)
        return []
    return [check for check, passed in zip(asked, row, strict=True) if not passed]


class ChecksInOneQuery(models.Model):
    """Model base: its CheckConstraints are validated together, in one query (this module's docstring)."""

    class Meta:
        abstract = True

    def validate_constraints(self, exclude: Any = None) -> None:
        using = router.db_for_write(self.__class__, instance=self)
        exclude = set(exclude or ())
        if not connections[using].features.supports_comparing_boolean_expr:
            return super().validate_constraints(exclude=exclude)
        errors: dict[str, Any] = {}
        for model, constraints in self.get_constraints():
            checks = [c for c in constraints if isinstance(c, models.CheckConstraint)]
            failed = failed_checks(model, self, checks, exclude, using)
            for constraint in constraints:  # in Django's order, so the messages come in the same order
                try:
                    if isinstance(constraint, models.CheckConstraint):
                        if constraint in failed:
                            raise ValidationError(
                                constraint.get_violation_error_message(), code=constraint.violation_error_code
                            )
                    else:
                        constraint.validate(model, self, exclude=exclude, using=using)
                except ValidationError as exc:
                    fields: Sequence[str] = getattr(constraint, "fields", ())
                    if getattr(exc, "code", None) == "unique" and len(fields) == 1:
                        errors.setdefault(fields[0], []).append(exc)
                    else:
                        errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
