"""Limits on free text, sized to real reports, held by the forms, the services and the database.

Without them one staff member could paste a million characters into "results" and make every
official PDF of the agreement time out, the other parties' included.  The sizes leave room for
the longest texts of real agreements and reports (the seeds' longest item is under 1,000
characters, a whole agreement under 9,000); a longer annex belongs in an evidence file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.numbers import format_decimal
from core.text import has_unprintable

ENTRY_RESULTS = 5_000  # what one commitment achieved in a period
ENTRY_NOTE = 3_000  # difficulties, proposals, a reviewer's comment on one entry
REPORT_TEXT = 10_000  # a report's overall assessment, shortcomings, next period's tasks
COMMENT = 3_000  # a reviewer's comment, a reason to reopen
AGREEMENT_TEXT = 20_000  # an agreement's objectives and notes
ITEM_TEXT = 5_000  # a numbered cooperation item
COMMITMENT_TEXT = 3_000  # one commitment
DECISION_TEXT = COMMITMENT_TEXT  # one decision of a meeting: adopted, it becomes a commitment
MINUTES = 50_000  # a meeting's minutes

TOO_LONG = _("Nội dung quá dài so với giới hạn cho phép; hãy rút gọn hoặc đưa phần chi tiết vào tệp minh chứng.")


def text_limit(prefix: str, field: str, limit: int) -> models.CheckConstraint:
    """The database's copy of a TextField's max_length (Django checks it only in forms)."""
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field), limit),
        name=f"{prefix}_{field}_max_length",
        violation_error_message=TOO_LONG,
    )


def check_lengths(model: type[models.Model], values: Mapping[str, Any]) -> None:
    """Refuse, in Vietnamese, any text longer than its field allows (services call it before writing).

    A text holding a character nobody types is refused too (core.text.has_unprintable): the forms say
    so first, but a service is also called from the admin, commands and imports, and NUL would reach
    PostgreSQL, which refuses it with an error no user can read.
    """
    unprintable, problems = [], []
    for name, value in values.items():
        field = model._meta.get_field(name)
        if isinstance(value, str) and has_unprintable(value):
            unprintable.append(
                gettext("“%(field)s” có ký tự điều khiển không hiển thị được (ví dụ ký tự NUL); hãy xóa chúng.")
                % {"field": field.verbose_name}  # type: ignore[union-attr]
            )
        limit = getattr(field, "max_length", None)
        if isinstance(value, str) and limit is not None and len(value) > limit:
            problems.append(
                gettext("“%(field)s” dài %(length)s ký tự, vượt giới hạn %(limit)s ký tự.")
                % {
                    "field": field.verbose_name,  # type: ignore[union-attr]
                    "length": format_decimal(len(value)),
                    "limit": format_decimal(limit),
                }
            )
    if problems:
        raise ValidationError(" ".join([*unprintable, *problems, str(TOO_LONG)]))
    if unprintable:
        raise ValidationError(" ".join(unprintable))
