"""The page of an agreement (reporting.views.agreement_detail): targets written as the documents write them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from agreements.models import Agreement
from tests.support import switch_language

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
