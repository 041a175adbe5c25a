"""A model's CHECK constraints validated in one query, or none (core.constraints.ChecksInOneQuery).

The same verdicts and messages as Django's own validation (one query per check constraint), for any values
(hypothesis) and any fields left out of the validation; the verdicts decided in Python are the database's
for every check of every such model; unique constraints are still Django's; a progress entry's form asks
the database nothing for its seven checks.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agreements.models import AdministrativeUnit, Agreement, Body, Commitment
from core import limits
from core.constraints import ChecksInOneQuery, failed_checks
from reporting.forms import EntryForm
from reporting.models import OfficialDocument, ProgressEntry, ReportingPeriod

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


def test_no_query_when_python_decides_every_check(demo):
    entry = an_entry(demo)
    entry.status, entry.percent_complete, entry.results = Commitment.Status.DONE, 40, "ệ" * (limits.ENTRY_RESULTS + 1)
    with CaptureQueriesContext(connection) as queries:
        found = one_query_errors(entry)
    assert found is not None and len(found["__all__"]) == 2  # done below 100 %, results too long
    assert check_queries(queries) == []
    with CaptureQueriesContext(connection) as queries:
        assert django_errors(entry) == found
    assert len(check_queries(queries)) == len(
        [c for c in ProgressEntry._meta.constraints if isinstance(c, models.CheckConstraint)]
    )


def test_what_python_does_not_decide_is_asked_in_one_query(demo):
    entry = an_entry(demo)
    entry.status, entry.percent_complete = Commitment.Status.DONE, 40
    checks = [c for c in ProgressEntry._meta.constraints if isinstance(c, models.CheckConstraint)]
    with CaptureQueriesContext(connection) as queries:
        found = failed_checks(ProgressEntry, entry, checks, set(), "default", in_python=False)
    assert [c.name for c in found] == ["entry_done_is_complete"]
    assert len(check_queries(queries)) == 1


def test_inside_a_transaction_the_check_query_has_a_savepoint_of_its_own(demo):
    """So that a database error in it (logged, not a violation) does not break the caller's transaction."""
    entry = an_entry(demo)
    checks = [c for c in ProgressEntry._meta.constraints if isinstance(c, models.CheckConstraint)]
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert failed_checks(ProgressEntry, entry, checks, set(), "default", in_python=False) == []
    sql = [q["sql"] for q in queries.captured_queries]
    at = sql.index(check_queries(queries)[0])
    assert sql[at - 1].startswith("SAVEPOINT") and sql[at + 1].startswith("RELEASE SAVEPOINT")


MODELS = [AdministrativeUnit, Body, Agreement, Commitment, ReportingPeriod, ProgressEntry, OfficialDocument]
DAY = datetime.date(2025, 7, 1)


def values_for(field: models.Field[Any, Any], own_pk: int) -> st.SearchStrategy[Any]:
    """Values a form, an import or a bug could put in the field, NULL included, around the checks' limits."""
    if isinstance(field, models.ForeignKey):
        options = st.sampled_from([own_pk, own_pk + 1, 1])
    elif field.choices:
        options = st.sampled_from([*(value for value, _label in field.flatchoices), "bogus"])
    elif isinstance(field, models.DateTimeField):
        options = st.sampled_from([datetime.datetime(2025, 7, 1, 8, tzinfo=datetime.UTC)])
    elif isinstance(field, models.DateField):
        options = st.sampled_from([DAY - datetime.timedelta(days=400), DAY, DAY + datetime.timedelta(days=1)])
    elif isinstance(field, models.DecimalField):
        options = st.sampled_from([Decimal("0"), Decimal("6.6"), Decimal("-1")])
    elif isinstance(field, models.IntegerField):
        options = st.integers(-2, 14) | st.sampled_from([100, 101, 2025])
    elif isinstance(field, models.CharField | models.TextField):
        limit = field.max_length or 10
        options = st.sampled_from(["", "x", "ệ" * limit, "ệ" * (limit + 1)])
    else:
        return st.nothing()
    return st.none() | options if field.null else options


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), model=st.sampled_from(MODELS))
def test_python_decides_as_the_database_for_every_model(demo, data, model):
    """For every check of every model on ChecksInOneQuery: the verdicts decided in Python, and those asked
    of the database, are those of the database alone, whatever the values and the fields left out."""
    assert issubclass(model, ChecksInOneQuery)
    instance = model.objects.order_by("pk").first() or model(pk=1)  # the demo issues no document
    checks = [c for c in model._meta.constraints if isinstance(c, models.CheckConstraint)]
    named = {word.split("__")[0] for check in checks for word in re.findall(r"\w+", str(check.condition))}
    for field in model._meta.concrete_fields:
        if field.name in named and not field.primary_key:
            setattr(instance, field.attname, data.draw(values_for(field, instance.pk)))
    exclude = data.draw(st.sets(st.sampled_from([f.name for f in model._meta.concrete_fields]), max_size=2))
    python = failed_checks(model, instance, checks, exclude, "default")
    database = failed_checks(model, instance, checks, exclude, "default", in_python=False)
    assert [c.name for c in python] == [c.name for c in database]


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


def test_the_entry_form_asks_nothing(demo):
    entry = an_entry(demo)
    data = {"version": entry.version, "status": Commitment.Status.ON_TRACK, "percent_complete": "40"}
    form = EntryForm(data, instance=entry)
    with CaptureQueriesContext(connection) as queries:
        assert form.is_valid(), form.errors
    assert check_queries(queries) == []
