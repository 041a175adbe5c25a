"""The yearly review report (meetings.views.review_pdf)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from tests.support import pdf_text, programme

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def test_yearly_review_report(client: Any, users: Any, first_half: Any, tmp_path: Path):
    client.force_login(users["tn.leader"])
    url = reverse("document_review_pdf", args=[programme().pk, 2025])
    text = pdf_text(client.get(url), tmp_path)
    assert "DỰ THẢO" in text, "the second half of 2025 is not approved yet"
    assert "Đánh giá kết quả thực hiện" in text and "năm 2025" in text
    assert client.get(reverse("document_review_pdf", args=[programme().pk, 2031])).status_code == 404
