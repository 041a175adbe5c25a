"""Related rows read once and shared (core.related.share): each row gets the very object it points at, with
what was read of it, without a query; a row pointing elsewhere keeps its own relation."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Commitment, Party
from core.related import share

pytestmark = pytest.mark.django_db


def test_each_row_gets_the_object_it_points_at_without_a_query(demo):
    agreement = Commitment.objects.select_related("item__agreement").first().item.agreement
    parties = list(agreement.parties.select_related("body"))
    commitments = Commitment.objects.filter(item__agreement=agreement).order_by("pk")
    with CaptureQueriesContext(connection) as queries:
        shared = share(commitments, "responsible_party", parties)
        names = [c.responsible_party.body.name for c in shared]
    assert len(queries) == 1  # the commitments; their parties and bodies were read already
    assert len(shared) == commitments.count() > 1
    by_pk = {party.pk: party for party in parties}
    assert all(c.responsible_party is by_pk[c.responsible_party_id] for c in shared)
    assert names == [by_pk[c.responsible_party_id].body.name for c in shared]


def test_a_row_pointing_at_none_of_them_keeps_its_own_relation(demo):
    commitments = list(Commitment.objects.order_by("pk"))
    first_party = commitments[0].responsible_party_id
    others = [c for c in commitments if c.responsible_party_id != first_party]
    assert others
    known = list(Party.objects.filter(pk=first_party))
    shared = share(commitments, "responsible_party", known)
    assert shared[0].responsible_party is known[0]
    with CaptureQueriesContext(connection) as queries:
        party = others[0].responsible_party
    assert len(queries) == 1 and party.pk == others[0].responsible_party_id


def test_no_rows_and_a_field_that_is_no_foreign_key(demo):
    assert share([], "responsible_party", Party.objects.all()) == []
    with pytest.raises(TypeError, match="description"):
        share(Commitment.objects.all()[:1], "description", [])
