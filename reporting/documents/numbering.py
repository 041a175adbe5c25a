"""Document numbers of Decree 30/2020: "Số: 05/BC-SCT", per issuing body and calendar year.

The counter row of (body, year) is incremented with one conditional UPDATE, which takes the
row lock until the caller's transaction ends: two renders can never get the same number, and
a number is only used once the document that carries it is saved in the same transaction.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from agreements.models import Body
from reporting.models import DocumentNumberCounter

DOCUMENT_TYPE = "BC"  # báo cáo (Decree 30/2020, Annex III)
BLANK_NUMBER = "\u00a0" * 6  # drafts leave the number for the clerk to write in: "Số:      /BC-SCT"


def claim_number(body: Body, year: int) -> int:
    """The next number of `body` in `year` (1, 2, …); must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("claim_number must run inside transaction.atomic() with the save of the document.")
    for _attempt in range(3):
        counters = DocumentNumberCounter.objects.filter(body=body, year=year)
        if counters.update(last_number=F("last_number") + 1):
            return counters.values_list("last_number", flat=True).get()
        try:
            with transaction.atomic():
                DocumentNumberCounter.objects.create(body=body, year=year, last_number=1)
            return 1
        except IntegrityError:
            continue  # someone created the year's counter at the same moment: increment theirs
    raise RuntimeError(f"Could not claim a document number for body {body.pk} in {year}.")


def body_code(body: Body) -> str:
    """The issuing body's abbreviation (SCT), or its initials when none was recorded."""
    if body.abbreviation:
        return body.abbreviation
    return "".join(word[0] for word in body.name.split() if word[:1].isalpha()).upper()


def format_number(number: int | None, body: Body) -> str:
    """ "05/BC-SCT" (leading zero under 10), or the blank number of a draft."""
    shown = f"{number:02d}" if number is not None else BLANK_NUMBER
    return f"{shown}/{DOCUMENT_TYPE}-{body_code(body)}"
