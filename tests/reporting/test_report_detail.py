"""The page of one report (reporting.views.report_detail) and the period's consolidated page
(reporting.views.period_detail): actual values against targets, written as the documents write them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from reporting import workflow
from tests.support import RETAIL, plan_report, switch_language

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(users):
    """Long An's 2021 plan report: retail reached 101.000 tỉ đồng, industrial output grew 11,5 %."""
    report = plan_report()
    staff = users["la.staff"]
    for name, value, status, percent in [
        (RETAIL, Decimal(101000), "done", 100),
        ("Chỉ số sản xuất công nghiệp tăng", Decimal("11.5"), "done", 100),
        ("Kim ngạch nhập khẩu", Decimal(0), "delayed", 0),
    ]:
        entry = report.entries.get(commitment__indicator_name=name)
        workflow.save_entry(
            staff, entry, {"actual_value": value, "status": status, "percent_complete": percent}, entry.version
        )
    return report


def test_the_report_page_writes_figures_the_vietnamese_way(staff, reported):
    page = staff.get(reverse("report_detail", args=[reported.pk])).content.decode()
    assert "101.000 / 101.000 tỉ đồng" in page
    assert "11,5 / 11,5 %" in page
    assert "0 / 4,3 tỉ USD" in page  # nothing imported yet is 0, not "—"
    assert "— / 6,6 tỉ USD" in page  # no figure reported
    assert "101000" not in page and "11,5000" not in page


def test_the_report_page_writes_figures_the_english_way_in_english(staff, reported):
    switch_language(staff, "en")
    page = staff.get(reverse("report_detail", args=[reported.pk])).content.decode()
    assert "101,000 / 101,000 tỉ đồng" in page and "11.5 / 11.5 %" in page


def test_the_period_page_writes_figures_the_same_way(staff, reported):
    page = staff.get(reverse("period_detail", args=[reported.period_id])).content.decode()
    assert "101.000 / 101.000 tỉ đồng" in page and "0 / 4,3 tỉ USD" in page


def test_the_comment_labels_of_the_entries_end_at_a_word_with_the_whole_commitment_in_their_title(client, users):
    """The coordinator returning a submitted report comments on each entry; its label names the commitment,
    shortened after a whole word ("…"), the full text in the label's title."""
    import html
    import re

    from tests.support import fill_report, la_report_of, periods_of

    report = fill_report(users, la_report_of(periods_of(2026)[-1]))
    workflow.submit_report(users["la.staff"], report, confirm_unchanged=True)
    client.force_login(users["la.coord"])
    page = client.get(reverse("report_detail", args=[report.pk])).content.decode()
    labels = re.findall(r'<label title="([^"]*)">Ý kiến về cam kết: ([^<]*)<textarea', page)
    entries = list(report.entries.select_related("commitment"))
    assert len(labels) == len(entries)
    shortened = 0
    for title, shown in labels:
        title, shown = html.unescape(title), html.unescape(shown)
        assert title in {e.commitment.description for e in entries}
        if shown == title:
            continue
        shortened += 1
        assert shown.endswith("…") and len(shown) <= 60
        kept = shown[:-1]
        assert title.startswith(kept) and title[len(kept)] in " ,;:.", (kept, title)  # whole words only
    assert shortened, "the demo's commitments are long enough to be shortened"
