"""A column matched against a long list of ids as one parameter (core.ids.one_of): the same rows as `__in`,
on PostgreSQL as one array, elsewhere as a list of placeholders; no row for no ids."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext

from agreements.models import Commitment, Party
from core.ids import one_of
from reporting.models import ProgressReport

pytestmark = pytest.mark.django_db


def test_the_same_rows_as_an_in_list(demo):
    parties = list(Party.objects.order_by("pk").values_list("pk", flat=True))
    some = parties[::2]
    assert some
    expected = set(Commitment.objects.filter(responsible_party_id__in=some).values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        found = set(Commitment.objects.filter(one_of("responsible_party_id", some)).values_list("pk", flat=True))
    assert found == expected and found
    assert "= ANY(" in queries[0]["sql"]
    # Inside a subquery the column is the subquery's own table's.
    with_reports = Party.objects.filter(
        Exists(ProgressReport.objects.filter(one_of("party_id", some), party=OuterRef("pk")))
    )
    assert set(with_reports.values_list("pk", flat=True)) == set(
        ProgressReport.objects.filter(party_id__in=some).values_list("party_id", flat=True)
    )


def test_no_ids_match_no_row(demo):
    assert not Commitment.objects.filter(one_of("responsible_party_id", [])).exists()
    assert Commitment.objects.exclude(one_of("responsible_party_id", [])).count() == Commitment.objects.count()


def test_on_sqlite_a_list_of_placeholders():
    sqlite = SQLiteWrapper({**connection.settings_dict, "ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"})
    query = Commitment.objects.filter(one_of("responsible_party_id", [3, 5, 8])).values("pk").query
    sql, params = query.get_compiler(connection=sqlite).as_sql()
    assert '"responsible_party_id" IN (%s, %s, %s)' in sql
    assert params == (3, 5, 8)


def test_on_postgresql_one_text_parameter_read_as_an_array():
    # A Python list would become ARRAY[3,5,8], an expression per id for PostgreSQL to parse, each id adapted by
    # psycopg2 in Python: 8.5 ms a query for 3,000 ids, against 1.5 for the text '{3,5,8}' cast once.
    query = Commitment.objects.filter(one_of("responsible_party_id", [3, 5, 8])).values("pk").query
    sql, params = query.get_compiler(connection=connection).as_sql()
    assert '"responsible_party_id" = ANY(%s::bigint[])' in sql
    assert params == ("{3,5,8}",)
