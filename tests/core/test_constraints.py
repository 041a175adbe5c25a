"""A model's CHECK constraints validated in one query (core.constraints.ChecksInOneQuery).

The same verdicts and messages as Django's own validation, one query per check constraint, for any values
(hypothesis) and any fields left out of the validation; unique constraints are still Django's; a progress
entry's form asks the database once for its seven checks.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agreements.models import Agreement, Commitment
from core import limits
from reporting.forms import EntryForm
from reporting.models import ProgressEntry

pytestmark = pytest.mark.django_db

ENTRY_FIELDS = ["status", "percent_complete", "results", "difficulties", "proposals", "review_comment"]


def errors(validate: Any) -> dict[str, list[str]] | None:
    try:
        validate()
    except ValidationError as exc:
        return exc.message_dict
    return None


def django_errors(instance: models.Model, exclude: set[str] | None = None) -> dict[str, list[str]] | None:
    """What Django's own Model.validate_constraints says: one query per constraint."""
    return errors(lambda: models.Model.validate_constraints(instance, exclude=exclude))


def one_query_errors(instance: models.Model, exclude: set[str] | None = None) -> dict[str, list[str]] | None:
    return errors(lambda: instance.validate_constraints(exclude=exclude))


def check_queries(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "_check" in q["sql"] or "COALESCE" in q["sql"]]


def an_entry(demo: Any) -> ProgressEntry:
    entry = ProgressEntry.objects.select_related("report", "commitment").first()
    assert entry is not None
    return entry


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    status=st.sampled_from([*Commitment.Status.values, "bogus"]),
    percent=st.one_of(st.none(), st.integers(-5, 105)),
    results=st.integers(limits.ENTRY_RESULTS - 2, limits.ENTRY_RESULTS + 2),
    proposals=st.integers(0, limits.ENTRY_NOTE + 1),
    exclude=st.sets(st.sampled_from(ENTRY_FIELDS)),
)
def test_the_same_verdicts_and_messages_as_django(demo, status, percent, results, proposals, exclude):
    entry = an_entry(demo)
    entry.status, entry.percent_complete = status, percent
    entry.results, entry.proposals = "ệ" * results, "x" * proposals
    assert one_query_errors(entry, exclude) == django_errors(entry, exclude)


def test_one_query_for_every_check(demo):
    entry = an_entry(demo)
    entry.status, entry.percent_complete, entry.results = Commitment.Status.DONE, 40, "ệ" * (limits.ENTRY_RESULTS + 1)
    with CaptureQueriesContext(connection) as queries:
        found = one_query_errors(entry)
    assert found is not None and len(found["__all__"]) == 2  # done below 100 %, results too long
    assert len(check_queries(queries)) == 1
    with CaptureQueriesContext(connection) as queries:
        assert django_errors(entry) == found
    assert len(check_queries(queries)) == len(
        [c for c in ProgressEntry._meta.constraints if isinstance(c, models.CheckConstraint)]
    )


def test_inside_a_transaction_the_check_query_has_a_savepoint_of_its_own(demo):
    """So that a database error in it (logged, not a violation) does not break the caller's transaction."""
    entry = an_entry(demo)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert one_query_errors(entry) is None
    sql = [q["sql"] for q in queries.captured_queries]
    at = sql.index(check_queries(queries)[0])
    assert sql[at - 1].startswith("SAVEPOINT") and sql[at + 1].startswith("RELEASE SAVEPOINT")


def test_unique_constraints_are_still_checked(demo):
    entry = an_entry(demo)
    twin = ProgressEntry(report=entry.report, commitment=entry.commitment, status=Commitment.Status.NOT_STARTED)
    twin.percent_complete = 0
    found = one_query_errors(twin)
    assert found is not None and found == django_errors(twin)


def test_an_agreement_and_its_seven_checks(demo):
    agreement = Agreement.objects.first()
    assert agreement is not None
    assert one_query_errors(agreement) is None and django_errors(agreement) is None
    agreement.period_end = agreement.period_start
    agreement.reporting_cadence_months = 5
    found = one_query_errors(agreement)
    assert found is not None and len(found["__all__"]) == 2 and found == django_errors(agreement)


def test_the_entry_form_asks_once(demo):
    entry = an_entry(demo)
    data = {"version": entry.version, "status": Commitment.Status.ON_TRACK, "percent_complete": "40"}
    form = EntryForm(data, instance=entry)
    with CaptureQueriesContext(connection) as queries:
        form.is_valid()
    assert len(check_queries(queries)) <= 1
