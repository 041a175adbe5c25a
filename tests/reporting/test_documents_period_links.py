"""The period's documents panel of a user who issues for several parties (reporting.document_views.
period_documents_panel, services.party_links): each party's links are what each document gives on its own
(services.document_link), and the panel makes the same queries for 3 parties or 5."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.access import document_parties
from agreements.models import Body, Party
from core import clock
from reporting.documents import letterhead as lh
from reporting.documents import services
from reporting.documents.kinds import REGISTRY, ConsolidatedReportDocument
from reporting.models import ProgressReport, ReportingPeriod
from tests.support import issue_now

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def party(period: ReportingPeriod, province: str) -> Party:
    return period.agreement.parties.get(body__name=f"Sở Công Thương tỉnh {province}")


def report_changed(period: ReportingPeriod) -> None:
    """A report of the period moves on (reopened and approved again): what was issued is stale."""
    ProgressReport.objects.filter(pk=period.reports.order_by("pk")[0].pk).update(version=F("version") + 1)


def described(link: services.DocumentLink) -> tuple[Any, ...]:
    stored = link.stored.pk if link.stored is not None else None
    signers = [member.pk for member in link.signers]
    history = [row.pk for row in link.history]
    return (link.title, link.url, link.issue_url, link.final, stored, link.stale, link.may_issue, signers, history)


def one_by_one(user: Any, period: ReportingPeriod) -> list[tuple[Any, ...]]:
    """The links as each document gives them on its own: for_period and document_link per party and kind."""
    links = []
    for issuer in document_parties(user, period.agreement):
        for kind in REGISTRY.values():
            document = kind.for_period(period, issuer, user)
            if document is not None:
                title, url = f"{document.link_title()} ({issuer.body.name})", f"{document.url()}?party={issuer.pk}"
                links.append(described(services.document_link(document, title, url, user)))
    return links


def panel(client: Client, period: ReportingPeriod) -> tuple[list[services.DocumentLink], int]:
    """The panel's links and the queries it made."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("document_period_panel", args=[period.pk]))
    assert response.status_code == 200
    return response.context["links"], len(queries)


def test_each_partys_links_are_what_each_document_gives_on_its_own(client: Any, users: Any, first_half: Any):
    la, tn = party(first_half, "Long An"), party(first_half, "Tây Ninh")
    issue_now(users, "la.coord", ConsolidatedReportDocument(first_half, la))
    report_changed(first_half)
    issue_now(users, "admin", ConsolidatedReportDocument(first_half, la))  # replaces it: one in history
    report_changed(first_half)  # and the new one is stale too
    issue_now(users, "tn.coord", ConsolidatedReportDocument(first_half, tn))
    admin = users["admin"]
    client.force_login(admin)
    links, _queries = panel(client, first_half)
    expected = one_by_one(admin, first_half)
    assert [described(link) for link in links] == expected
    # What the comparison covers: three parties, two kinds, issued, replaced and stale copies, signers offered.
    assert len(expected) == 6
    consolidated = {link.url: link for link in links if "consolidated" in link.issue_url}
    la_link = consolidated[f"{ConsolidatedReportDocument(first_half, la).url()}?party={la.pk}"]
    assert la_link.stored is not None and la_link.stale and len(la_link.history) == 1 and la_link.signers
    tn_link = consolidated[f"{ConsolidatedReportDocument(first_half, tn).url()}?party={tn.pk}"]
    assert tn_link.stored is not None and not tn_link.stale and not tn_link.history
    # Long An's former department and Tây Ninh's are one since 01/07/2025: the same leaders sign for both.
    assert la_link.signers == tn_link.signers


def test_the_panel_makes_the_same_queries_for_3_or_5_parties(client: Any, users: Any, first_half: Any):
    issue_now(users, "la.coord", ConsolidatedReportDocument(first_half, party(first_half, "Long An")))
    client.force_login(users["admin"])
    panel(client, first_half)  # the first request fills per-process caches (content types, translations)
    three, few = panel(client, first_half)
    agreement = first_half.agreement
    committees = Body.objects.filter(kind=Body.Kind.PEOPLES_COMMITTEE).exclude(parties__agreement=agreement)
    for order, body in enumerate(committees.order_by("pk")[:2], start=4):
        added = Party.objects.create(agreement=agreement, body=body, order=order)
        ProgressReport.objects.update_or_create(
            party=added,
            period=first_half,
            defaults={"state": ProgressReport.State.APPROVED, "approved_at": clock.now()},
        )
    five, more = panel(client, first_half)
    assert (len(three), len(five)) == (6, 10)
    assert all(link.final for link in five if "consolidated" in link.issue_url)  # the same branches: final, signers
    assert more == few


def test_the_signers_of_many_bodies_at_once_are_each_bodys_own(users: Any, first_half: Any):
    """letterhead.signers_of: one walk for all the issuing bodies, each given only the leaders of its own chain."""
    bodies = [p.body for p in first_half.agreement.parties.select_related("body")]
    bodies += [body.current() for body in bodies]
    together = lh.signers_of(bodies)
    assert together == {body.pk: lh.signers_of([body])[body.pk] for body in bodies}
    assert len({tuple(m.pk for m in members) for members in together.values()}) > 1  # not one list for all
