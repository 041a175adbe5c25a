"""The commitments list across agreements (agreements.views.commitment_list, commitment_export)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.access import visible_agreements
from agreements.models import AdministrativeUnit, Agreement, Commitment, CooperationItem, Party

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 22)


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def listed(client, **params) -> list[Commitment]:
    response = client.get(reverse("commitment_list"), params)
    assert response.status_code == 200
    return list(response.context["page"])


@pytest.fixture
def agreement(users):
    """The first agreement la.staff's party belongs to."""
    return visible_agreements(users["la.staff"]).order_by("pk").first()


def add_commitments(agreement: Agreement, count: int, **fields) -> list[Commitment]:
    item = CooperationItem.objects.create(
        agreement=agreement,
        number=(agreement.items.order_by("-number").values_list("number", flat=True).first() or 0) + 1,
        text="Phát triển du lịch đường sông",
        sector_id=fields.pop("sector", "investment"),
    )
    party = agreement.parties.order_by("order").first()
    assert party is not None
    return [
        Commitment.objects.create(
            item=item, responsible_party=party, description=f"Cam kết Ômega {n:03d}", order=n, **fields
        )
        for n in range(count)
    ]


def test_filters_search_and_overdue(client, users, agreement):
    client.force_login(users["la.staff"])
    late = add_commitments(agreement, 2, due_on=TODAY - dt.timedelta(days=3), status=Commitment.Status.AT_RISK)
    done = add_commitments(agreement, 1, due_on=TODAY - dt.timedelta(days=3), status=Commitment.Status.DONE)
    later = add_commitments(agreement, 1, due_on=TODAY + dt.timedelta(days=30))

    assert {c.pk for c in listed(client, q="omega", overdue="on")} == {c.pk for c in late}
    assert {c.pk for c in listed(client, q="ÔMEGA", status="done")} == {done[0].pk}
    assert {c.pk for c in listed(client, q="cam ket omega", due_after=(TODAY + dt.timedelta(days=1)).isoformat())} == {
        later[0].pk
    }
    page = client.get(reverse("commitment_list"), {"q": "omega", "overdue": "on"}).content.decode()
    assert page.count("quá hạn") >= 2
    # "du lich duong song" is the item's text: the search reads items too.
    assert len(listed(client, q="du lich duong song")) == 4


def test_a_province_then_or_now_and_a_body_typed_without_diacritics(client, users, agreement):
    client.force_login(users["la.staff"])
    ours = add_commitments(agreement, 2)
    party_body = agreement.parties.order_by("order").first().body
    unit = party_body.unit
    found = {c.pk for c in listed(client, q="omega", province=unit.pk)}
    assert found == {c.pk for c in ours}
    today_unit = unit.current()
    if today_unit.pk != unit.pk:  # a merged province: today's name finds its predecessors' commitments
        assert {c.pk for c in listed(client, q="omega", province=today_unit.pk)} == found
    other = AdministrativeUnit.objects.exclude(pk__in=[unit.pk, today_unit.pk]).filter(valid_to__isnull=True).first()
    assert listed(client, q="omega", province=other.pk) == []
    typed = party_body.search_name.split("|")[0]
    assert {c.pk for c in listed(client, q="omega", body=typed.upper())} == found
    assert listed(client, q="omega", body="khong co co quan nay") == []


def test_pages_sorting_and_fixed_queries(client, users, agreement):
    client.force_login(users["la.staff"])
    add_commitments(agreement, 10, due_on=TODAY)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("commitment_list"), {"q": "omega", "o": "-due_on"})
    made = add_commitments(agreement, 60)
    for n, commitment in enumerate(made):
        Commitment.objects.filter(pk=commitment.pk).update(due_on=TODAY + dt.timedelta(days=n))
    with CaptureQueriesContext(connection) as more:
        first = client.get(reverse("commitment_list"), {"q": "omega", "o": "-due_on"})
    assert len(more) == len(few)
    rows = list(first.context["page"])
    assert len(rows) == 50 and rows[0].due_on == TODAY + dt.timedelta(days=59)
    second = list(client.get(reverse("commitment_list"), {"q": "omega", "o": "-due_on", "page": 2}).context["page"])
    assert len(second) == 20 and not {c.pk for c in rows} & {c.pk for c in second}


def test_a_bad_date_gets_a_message_not_an_error(client, users):
    client.force_login(users["la.staff"])
    response = client.get(reverse("commitment_list"), {"due_after": "31/02/2026"})
    assert response.status_code == 200
    assert "msg-error" in response.content.decode()


def test_exports_keep_numbers_and_dates(client, users, agreement):
    client.force_login(users["la.staff"])
    add_commitments(
        agreement,
        1,
        due_on=dt.date(2026, 6, 30),
        indicator_name="Khách du lịch",
        indicator_unit="lượt",
        baseline=Decimal("6.6"),
        target=Decimal("101000"),
    )
    response = client.get(reverse("commitment_export", args=["xlsx"]), {"q": "omega"})
    rows = list(openpyxl.load_workbook(io.BytesIO(content(response))).active.iter_rows(values_only=True))
    assert rows[0][4] == "Cam kết" and len(rows) == 2
    row = rows[1]
    assert row[6] == dt.datetime(2026, 6, 30)  # noqa: DTZ001 (Excel has no zones)
    assert row[10] == 6.6 and row[11] == 101000
    text = content(client.get(reverse("commitment_export", args=["csv"]), {"q": "omega"})).decode("utf-8-sig")
    csv_rows = list(csv.reader(io.StringIO(text)))
    assert csv_rows[1][6] == "30/06/2026" and csv_rows[1][11] == "101000" and csv_rows[1][10] == "6.6"


def test_outsiders_see_none_of_the_agreements_commitments(client, users, agreement):
    add_commitments(agreement, 3)
    client.force_login(users["tg.staff"])
    if Party.objects.filter(agreement=agreement, body__memberships__user=users["tg.staff"]).exists():
        pytest.skip("the demo made tg.staff a party of this agreement")
    assert listed(client, q="omega") == []
    text = content(client.get(reverse("commitment_export", args=["csv"]), {"q": "omega"})).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) == 1


def test_anonymous_is_sent_to_log_in(client):
    assert client.get(reverse("commitment_list")).status_code == 302
    assert client.get(reverse("commitment_export", args=["xlsx"])).status_code == 302


def test_unsorted_the_list_is_by_due_date_with_the_undated_last(client, users, agreement):
    client.force_login(users["la.staff"])
    undated = add_commitments(agreement, 1)
    soon, later = (
        add_commitments(agreement, 1, due_on=TODAY + dt.timedelta(days=d))[0] for d in (400, 9000)
    )  # after every demo commitment's due date
    first = add_commitments(agreement, 1, due_on=dt.date(1999, 1, 1))[0]  # before every one

    response = client.get(reverse("commitment_list"), {"q": "omega"})
    assert [c.pk for c in response.context["page"]] == [first.pk, soon.pk, later.pk, undated[0].pk]
    assert listed(client)[0] == first


def test_a_site_admin_lists_every_agreements_commitments(client, users, agreement):
    client.force_login(users["admin"])
    add_commitments(agreement, 1, due_on=dt.date(1999, 1, 1))
    response = client.get(reverse("commitment_list"))
    assert response.context["page"].paginator.count == Commitment.objects.count()
