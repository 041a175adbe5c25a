"""Preparing the next period (agreements_renew, services.prepare_successor) and the chain on both agreements.

The three-province programme of 2025–2026 is renewed by a coordinator of today's Sở Công Thương Tây Ninh: the
draft's parties are today's bodies (Long An and Tây Ninh are one Tây Ninh, Tiền Giang is Đồng Tháp), its items
are copies, and each agreement's page and dashboard links the other.  The 2011 agreement of the Long An and Tây
Ninh departments cannot be renewed between its parties: both are today's Tây Ninh department.  A staff member of
a party knows the agreement (403); anyone else does not (404).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Agreement
from core.models import AuditEntry
from tests.agreements.lifecycle_support import agreement_2011, merged_coordinator, programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(demo):
    return merged_coordinator()


def renew_url(agreement: Agreement) -> str:
    return reverse("agreement_renew", args=[agreement.pk])


def detail_url(agreement: Agreement) -> str:
    return reverse("agreement_detail", args=[agreement.pk])


def test_the_preview_names_todays_parties_and_the_next_period(client, owner):
    client.force_login(owner)
    page = client.get(renew_url(programme())).content.decode()
    assert "01/01/2027 – 31/12/2028" in page
    assert "Sở Công Thương tỉnh Tây Ninh" in page and "Sở Công Thương tỉnh Đồng Tháp" in page
    assert "Tiền Giang" not in page.split('data-testid="successor-parties"')[1].split("</ul>")[0]
    assert "Tạo dự thảo giai đoạn tiếp theo" in page
    assert not Agreement.objects.filter(predecessor=programme()).exists()  # a GET writes nothing


def test_renewing_makes_a_draft_of_todays_bodies_with_the_items_and_links_both(client, owner):
    old = programme()
    client.force_login(owner)
    response = client.post(renew_url(old))
    new = Agreement.objects.get(predecessor=old)
    assert response.status_code == 302 and response["Location"] == detail_url(new)
    assert new.status == Agreement.Status.DRAFT
    assert (new.period_start.isoformat(), new.period_end.isoformat()) == ("2027-01-01", "2028-12-31")
    assert new.title.endswith("(giai đoạn 2027 – 2028)")
    bodies = list(new.parties.order_by("order").values_list("body__name", "body__valid_from"))
    assert [name for name, _start in bodies] == ["Sở Công Thương tỉnh Tây Ninh", "Sở Công Thương tỉnh Đồng Tháp"]
    assert all(start is not None for _name, start in bodies)  # today's bodies, from 01/07/2025
    assert list(new.items.values_list("number", "text", "sector")) == list(
        old.items.values_list("number", "text", "sector")
    )
    assert not new.items.filter(commitments__isnull=False).exists()  # the items are copied, not the commitments
    # Each history says it: the old one was renewed, the new one came from it.
    renewed = AuditEntry.objects.get(agreement_id=old.pk, action="agreement.renewed")
    assert renewed.data["successor"] == new.pk and renewed.actor_id == owner.pk
    assert AuditEntry.objects.get(agreement_id=new.pk, action="agreement.created").data["source"] == f"renewal:{old.pk}"
    # The chain on both pages, with links both ways.
    new_page = client.get(detail_url(new)).content.decode()
    old_page = client.get(detail_url(old)).content.decode()
    assert f'href="{detail_url(old)}"' in new_page and "Giai đoạn trước" in new_page
    assert f'href="{detail_url(new)}"' in old_page and "Giai đoạn tiếp theo" in old_page
    history = client.get(reverse("agreement_audit", args=[old.pk])).content.decode()
    assert "Chuẩn bị giai đoạn tiếp theo" in history and new.title in history


def test_the_dashboards_follow_the_chain(client, owner):
    old = programme()
    client.force_login(owner)
    client.post(renew_url(old))
    new = Agreement.objects.get(predecessor=old)
    board = client.get(reverse("agreement_dashboard", args=[old.pk])).content.decode()
    assert reverse("agreement_dashboard", args=[new.pk]) in board
    board = client.get(reverse("agreement_dashboard", args=[new.pk])).content.decode()
    assert reverse("agreement_dashboard", args=[old.pk]) in board
    overview = client.get(reverse("dashboard"))
    ending = [e for e in overview.context["board"].ending if e.agreement.pk == old.pk]
    assert ending and ending[0].renewed  # "hết hạn trong 90 ngày" says the next period is prepared
    assert "đã chuẩn bị giai đoạn tiếp theo" in overview.content.decode()


def test_a_party_that_is_not_in_the_new_period_sees_it_named_by_kind(client, owner, users):
    """Tiền Giang's coordinator: Tiền Giang is part of today's Đồng Tháp, whose department is the new party, but
    an account of the ended department does not act for it (access follows successors back, not forward)."""
    old = programme()
    client.force_login(owner)
    client.post(renew_url(old))
    new = Agreement.objects.get(predecessor=old)
    client.force_login(users["tg.coord"])
    page = client.get(detail_url(old)).content.decode()
    assert new.title not in page and detail_url(new) not in page
    assert "cơ quan của bạn không tham gia" in page


def test_an_ended_department_renews_but_is_told_the_draft_is_for_todays_bodies(client, users):
    """la.coord's office ended with Long An: the draft is made, and its coordinators of today carry it on."""
    old = programme()
    client.force_login(users["la.coord"])
    assert "Tài khoản của bạn thuộc cơ quan không còn là một bên" in client.get(renew_url(old)).content.decode()
    response = client.post(renew_url(old), follow=True)
    assert response.redirect_chain == [(detail_url(old), 302)]
    assert "bộ phận điều phối của các cơ quan đó rà soát và ban hành" in response.content.decode()
    assert Agreement.objects.filter(predecessor=old, status=Agreement.Status.DRAFT).count() == 1


def test_merged_parties_cannot_renew_between_themselves(client, owner):
    """Long An and Tây Ninh merged: both 2011 departments are today's Tây Ninh department, one body."""
    old = agreement_2011()
    client.force_login(owner)
    page = client.get(renew_url(old)).content.decode()
    assert 'data-testid="renew-refused"' in page and "Tạo dự thảo giai đoạn tiếp theo" not in page
    response = client.post(renew_url(old), follow=True)
    assert response.redirect_chain == [(renew_url(old), 302)]
    assert "các bên nay là cùng một cơ quan" in response.content.decode()
    assert not Agreement.objects.filter(predecessor=old).exists()


def test_one_draft_at_a_time(client, owner):
    old = programme()
    client.force_login(owner)
    client.post(renew_url(old))
    response = client.post(renew_url(old), follow=True)
    assert "Đã có dự thảo giai đoạn tiếp theo" in response.content.decode()
    assert Agreement.objects.filter(predecessor=old).count() == 1
    page = client.get(renew_url(old)).content.decode()
    draft = Agreement.objects.get(predecessor=old)
    assert f'href="{detail_url(draft)}"' in page


def test_a_draft_is_published_before_it_is_renewed(client, owner):
    old = programme()
    client.force_login(owner)
    client.post(renew_url(old))
    draft = Agreement.objects.get(predecessor=old)
    assert "hãy ban hành trước" in client.get(renew_url(draft)).content.decode()
    client.post(renew_url(draft))
    assert not Agreement.objects.filter(predecessor=draft).exists()


@pytest.mark.parametrize(("username", "status"), [("la.staff", 403), ("la.leader", 403), ("tg.staff", 404)])
def test_only_coordinators_renew(client, users, username, status):
    old = agreement_2011() if username == "tg.staff" else programme()
    client.force_login(users[username])
    assert client.get(renew_url(old)).status_code == status
    assert client.post(renew_url(old)).status_code == status
    assert not Agreement.objects.filter(predecessor=old).exists()
    if status == 403:  # a member reads the chain, and is offered no action
        page = client.get(detail_url(old)).content.decode()
        assert 'id="lifecycle"' in page and renew_url(old) not in page


def test_anonymous_is_sent_to_log_in(client, demo):
    response = client.get(renew_url(programme()))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_chain_costs_the_same_queries_however_long(client, owner):
    """The agreement page reads the chain in one query: three generations cost what one does."""
    old = programme()
    client.force_login(owner)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(detail_url(old)).status_code == 200
        return len(queries)

    plan = Agreement.objects.get(kind=Agreement.Kind.PLAN)
    old.predecessor = plan
    old.save(update_fields=["predecessor"])
    count()
    one = count()
    plan.predecessor = agreement_2011()
    plan.save(update_fields=["predecessor"])
    client.post(renew_url(old))
    assert count() == one
    chain = client.get(detail_url(old)).content.decode().split('data-testid="renewal-chain"')[1].split("</ol>")[0]
    assert chain.count("<li") == 4


def test_the_chain_reaches_four_generations_each_way_and_every_branch(owner):
    """A line of eleven periods, the middle one read, and a second renewal of the next one: four generations
    back and four ahead (both renewals), nothing further; each named by its kind when the reader has no part."""
    from agreements.lifecycle import CHAIN_DEPTH, renewal_links

    base = programme()
    line: list[Agreement] = []
    for year in range(11):
        copy = Agreement.objects.get(pk=base.pk)
        copy.pk = None
        copy.title = f"Giai đoạn {2000 + year}"
        copy.period_start = base.period_start.replace(year=2000 + year)
        copy.period_end = base.period_end.replace(year=2001 + year)
        copy.predecessor = line[-1] if line else None
        copy.save()
        line.append(copy)
    middle = line[5]
    branch = Agreement.objects.get(pk=base.pk)
    branch.pk = None
    branch.title = "Một nhánh khác"
    branch.predecessor = line[6]
    branch.save()
    links = renewal_links(owner, middle)
    expected = {a.pk for a in line[5 - CHAIN_DEPTH : 6 + CHAIN_DEPTH]} | {branch.pk}
    assert CHAIN_DEPTH == 4 and {link.agreement.pk for link in links} == expected
    assert [link.agreement.pk for link in links if link.current] == [middle.pk]
    starts = [(link.agreement.period_start, link.agreement.pk) for link in links]
    assert starts == sorted(starts)
    assert not any(link.visible for link in links if not link.current)  # copies without parties: nobody's
    alone = Agreement.objects.get(pk=base.pk)
    assert renewal_links(owner, alone) == []
