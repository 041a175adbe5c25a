"""The page of an agreement (reporting.views.agreement_detail): targets written as the documents write them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Agreement
from tests.support import programme, switch_language

pytestmark = pytest.mark.django_db


def test_targets_are_written_the_vietnamese_way(staff):
    page = staff.get(reverse("agreement_detail", args=[Agreement.objects.get(kind="plan").pk])).content.decode()
    for figure in ("mục tiêu 101.000 tỉ đồng", "mục tiêu 6,6 tỉ USD", "mục tiêu 11,5 %", "mục tiêu 99,97 %"):
        assert figure in page
    assert "(nền 0)" in page  # a baseline of zero is a figure, not a gap
    assert "11,5000" not in page and "101000" not in page


def test_targets_are_written_the_english_way_in_english(staff):
    switch_language(staff, "en")
    page = staff.get(reverse("agreement_detail", args=[Agreement.objects.get(kind="plan").pk])).content.decode()
    assert "101,000 tỉ đồng" in page and "6.6 tỉ USD" in page and "11.5 %" in page


def test_each_party_as_signed_and_as_it_is_today_without_a_query_per_party(staff):
    """The 2024 programme of Long An, Tây Ninh and Tiền Giang: after the 2025 merger Long An's department is Tây
    Ninh's and Tiền Giang's is Đồng Tháp's. What they became is read for all parties at once (prefetch_chains),
    not per party from the row of each."""
    with CaptureQueriesContext(connection) as captured:
        page = staff.get(reverse("agreement_detail", args=[programme().pk])).content.decode()
    for then in ("Sở Công Thương tỉnh Long An", "Sở Công Thương tỉnh Tiền Giang"):
        assert then in page
    assert "Sở Công Thương tỉnh Tây Ninh" in page and "Sở Công Thương tỉnh Đồng Tháp" in page
    one_body = [
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "agreements_body" WHERE "agreements_body"."id" =' in q["sql"]
    ]
    assert one_body == []
