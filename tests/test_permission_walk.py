"""Walk every URL of the app that names an object, as users who must not reach it."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, reverse

from reporting import workflow as services
from reporting.models import Evidence, OfficialDocument

pytestmark = pytest.mark.django_db

URL_MODULES = ["agreements.urls", "reporting.urls", "reporting.document_urls"]
WRITE_URLS = {
    "report_entry_save",
    "report_edit",
    "report_submit",
    "report_return",
    "report_approve",
    "report_reopen",
    "evidence_delete",
}


def object_patterns() -> list[URLPattern]:
    patterns = [p for module in URL_MODULES for p in import_module(module).urlpatterns]
    return [p for p in patterns if p.pattern.converters]


@pytest.fixture
def target(la_report, users):
    """A submitted report of Sở Công Thương Long An (2011 agreement) with one evidence file."""
    entry = la_report.entries.first()
    evidence = Evidence(entry=entry, original_name="x.pdf", content_type="application/pdf", size=8)
    evidence.file.save("x.pdf", ContentFile(b"%PDF-1.4"), save=True)
    services.submit_report(users["la.staff"], la_report)
    period = la_report.period
    document = OfficialDocument.objects.create(
        key=f"walk-{la_report.pk}",
        kind=OfficialDocument.Kind.PARTY_REPORT,
        agreement=period.agreement,
        issuing_party=la_report.party,
        report=la_report,
        period=period,
    )
    return {
        "document_id": document.pk,
        "agreement_id": period.agreement_id,
        "period_id": period.pk,
        "report_id": la_report.pk,
        "evidence_id": evidence.pk,
        "entry_id": entry.pk,
        "year": period.year,
    }


def url_for(pattern: URLPattern, ids: dict[str, int]) -> str:
    missing = set(pattern.pattern.converters) - set(ids)
    assert not missing, f"the walk does not know how to fill {missing} in {pattern.name}: extend `target`"
    return reverse(pattern.name, kwargs={name: ids[name] for name in pattern.pattern.converters})


def test_walk_covers_the_app():
    names = {p.name for p in object_patterns()}
    assert {"agreement_detail", "period_detail", "report_detail", "evidence_download"} | WRITE_URLS <= names


@pytest.mark.parametrize("username", ["tg.staff", "tg.coord", "tg.leader"])
def test_outsiders_reach_nothing(client, users, target, username):
    client.force_login(users[username])
    for pattern in object_patterns():
        url = url_for(pattern, target)
        get, post = client.get(url).status_code, client.post(url, {"comment": "x", "reason": "x"}).status_code
        assert get in (403, 404, 405) and post in (403, 404, 405), (url, get, post)
        assert 403 in (get, post) or 404 in (get, post), url


def test_anonymous_is_sent_to_login(client, target):
    for pattern in object_patterns():
        url = url_for(pattern, target)
        for response in (client.get(url), client.post(url)):
            assert response.status_code in (302, 405), url
            if response.status_code == 302:
                assert response["Location"].startswith("/login/"), url


def test_leaders_cannot_write(client, users, target):
    client.force_login(users["la.leader"])
    assert client.get(reverse("report_detail", args=[target["report_id"]])).status_code == 200
    for pattern in object_patterns():
        if pattern.name in WRITE_URLS:
            url = url_for(pattern, target)
            assert client.post(url, {"comment": "x", "reason": "x"}).status_code == 403, url


def test_counterpart_coordinator_reads_submitted_but_not_drafts(client, users, target, la_report):
    client.force_login(users["tn.coord"])
    assert client.get(reverse("report_detail", args=[la_report.pk])).status_code == 200
    assert client.post(reverse("report_approve", args=[la_report.pk])).status_code == 403
    assert client.post(reverse("report_edit", args=[la_report.pk])).status_code == 403
    draft = la_report.party.reports.exclude(pk=la_report.pk).first()
    assert draft.state == "draft"
    assert client.get(reverse("report_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("report_history", args=[draft.pk])).status_code == 404


def test_counterpart_staff_do_not_read_other_bodies_reports(client, users, target, la_report):
    client.force_login(users["tn.staff"])
    assert client.get(reverse("report_detail", args=[la_report.pk])).status_code == 404
    assert client.get(reverse("evidence_download", args=[target["evidence_id"]])).status_code == 404


def test_lists_show_only_own_agreements(client, users):
    client.force_login(users["tg.staff"])
    body = client.get(reverse("agreement_list")).content.decode()
    assert "giai đoạn 2011 – 2015" not in body and "ba tỉnh Long An, Tây Ninh và Tiền Giang" in body
