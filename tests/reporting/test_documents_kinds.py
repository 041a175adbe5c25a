"""reporting.documents.kinds: the documents are Vietnamese whatever the language of the session."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_pdf_file_name_stays_vietnamese_in_an_english_session(users, la_report):
    """The document is Vietnamese whatever the UI language: its file name too."""
    from django.utils import translation

    from reporting.documents.kinds import PartyReportDocument

    with translation.override("en"):
        document = PartyReportDocument(la_report, viewer=users["la.leader"])
        title, name = document.title(), document.filename()
    assert title.endswith("6 tháng cuối năm 2011"), title
    assert name.startswith("du-thao_ket-qua-thuc-hien"), name
