"""A model's CHECK constraints validated in one query, not one each.

Django validates a model's CheckConstraints (Model.full_clean, so every ModelForm and the admin) with a
`SELECT 1 WHERE <condition>` per constraint, each in a savepoint when a transaction is open.  A progress
entry's form asks seven: seven round trips and seven compiled queries on every save, about a fifth of the save's
CPU.  `ChecksInOneQuery` asks the same conditions, with the same values and the same rules (NULL passes,
a condition on an excluded field is skipped, a database error is not a violation), as the columns of one
SELECT, and raises the same errors in the same order as Django would.  Other constraints (unique ones) stay Django's.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from contextlib import nullcontext
from typing import Any

from django.core.exceptions import FieldError, ValidationError
from django.db import DatabaseError, connections, models, router, transaction
from django.db.models import BooleanField, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE

logger = logging.getLogger(__name__)


def failed_checks(
    model: type[models.Model],
    instance: models.Model,
    checks: list[models.CheckConstraint],
    exclude: set[str],
    using: str,
) -> list[models.CheckConstraint]:
    """The constraints among `checks` that the instance's values break, asked in one query."""
    query = Query(None)
    # The values exactly as CheckConstraint.validate gets them (a private helper; the hypothesis test in
    # tests/core/test_constraints.py compares every verdict with Django's own, so a change shows there).
    against = instance._get_field_expression_map(meta=model._meta, exclude=exclude)  # type: ignore[attr-defined]
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
