"""A commitment keeps its agreement on its row (Commitment.agreement, migration 0018): set from its item by save()
and by bulk_create, and held by the database equal to its item's and its responsible party's agreement, so that
the lists of a user's agreements can read it instead of joining every item."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.db.utils import IntegrityError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.access import visible_agreements, visible_commitments
from agreements.models import Agreement, Commitment, CooperationItem, Party
from tests.agreements.lifecycle_support import agreement_2011, programme
from tests.support import violates

pytestmark = pytest.mark.django_db


def checked_now(fn: Any) -> Any:
    """fn(), then the deferred keys checked at once, as the commit would."""

    def run() -> None:
        fn()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    return run


def test_every_commitment_has_its_items_agreement(users):
    rows = Commitment.objects.values_list("agreement_id", "item__agreement_id", "responsible_party__agreement_id")
    assert rows and all(own == item == party for own, item, party in rows)


def test_save_and_bulk_create_take_the_items_agreement(users):
    item = programme().items.order_by("pk").first()
    party = programme().parties.order_by("pk").first()
    assert item is not None and party is not None
    saved = Commitment.objects.create(item=item, responsible_party=party, description="Một cam kết mới")
    [bulk] = Commitment.objects.bulk_create(
        [Commitment(item=item, responsible_party=party, description="Một cam kết nhập hàng loạt", order=2)]
    )
    for commitment in (saved, bulk):
        commitment.refresh_from_db()
        assert commitment.agreement_id == item.agreement_id == programme().pk


def test_bulk_create_given_item_ids_reads_their_agreements_in_one_query(users):
    items = list(programme().items.order_by("pk")[:3])
    party = programme().parties.order_by("pk").first()
    assert len(items) == 3 and party is not None
    rows = [Commitment(item_id=i.pk, responsible_party=party, description="Theo mã", order=9) for i in items]
    with CaptureQueriesContext(connection) as queries:
        Commitment.objects.bulk_create(rows)
    assert [c.agreement_id for c in rows] == [programme().pk] * 3
    assert sum("agreements_cooperationitem" in q["sql"] for q in queries.captured_queries) == 1


def test_the_database_refuses_a_commitment_apart_from_its_item_or_its_party(users):
    old, new = agreement_2011(), programme()
    commitment = Commitment.objects.filter(agreement=old).order_by("pk").first()
    assert commitment is not None
    rows = Commitment.objects.filter(pk=commitment.pk)
    other_item = CooperationItem.objects.filter(agreement=new).order_by("pk").first()
    other_party = Party.objects.filter(agreement=new).order_by("pk").first()
    assert other_item is not None and other_party is not None
    # Whichever column a script changes, the row no longer agrees with itself.
    assert violates(checked_now(lambda: rows.update(agreement=new)))
    assert violates(checked_now(lambda: rows.update(item=other_item)))
    assert violates(checked_now(lambda: rows.update(responsible_party=other_party)))
    assert violates(checked_now(lambda: rows.update(item=other_item, agreement=new)))  # its party is still old's
    # Moved whole, item, party and agreement together, it is one agreement's again.
    assert not violates(checked_now(lambda: rows.update(item=other_item, responsible_party=other_party, agreement=new)))
    # An item or a party cannot leave its agreement while commitments of that agreement hang on it.
    item = CooperationItem.objects.filter(commitments__isnull=False, agreement=old).first()
    assert item is not None
    assert violates(checked_now(lambda: CooperationItem.objects.filter(pk=item.pk).update(agreement=new)))


def test_a_deferred_refusal_fails_the_commit_and_keeps_nothing(users):
    commitment = Commitment.objects.filter(agreement=agreement_2011()).order_by("pk").first()
    assert commitment is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        checked_now(lambda: Commitment.objects.filter(pk=commitment.pk).update(agreement=programme()))()
    commitment.refresh_from_db()
    assert commitment.agreement_id == agreement_2011().pk


def test_a_users_commitments_are_those_of_their_agreements_items(users):
    for username in ("tn.coord", "la.staff", "tg.leader", "admin"):
        user = users[username]
        seen = set(visible_commitments(user).values_list("pk", flat=True))
        agreements = Agreement.objects.all() if username == "admin" else visible_agreements(user)
        through_items = set(Commitment.objects.filter(item__agreement__in=agreements).values_list("pk", flat=True))
        assert seen == through_items and seen, username


@pytest.mark.parametrize("model", ["cooperationitem", "party"])
def test_the_admin_sets_an_items_or_a_partys_agreement_once(client, users, model):
    client.force_login(users["admin"])
    add = client.get(reverse(f"admin:agreements_{model}_add")).content.decode()
    assert 'name="agreement"' in add
    row = (CooperationItem if model == "cooperationitem" else Party).objects.order_by("pk").first()
    assert row is not None
    change = client.get(reverse(f"admin:agreements_{model}_change", args=[row.pk])).content.decode()
    assert 'name="agreement"' not in change
    assert str(row.agreement) in change  # shown, not editable
