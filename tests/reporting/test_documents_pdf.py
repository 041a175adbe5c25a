"""reporting.documents.pdf: a report and its appendix, the appendix laid out in a second process.

The second process is a real `python -m reporting.documents.pdfworker` (coverage follows it).
"""

from __future__ import annotations

import os
from io import BytesIO

import pytest
from pypdf import PdfReader

from reporting.documents import pdf
from reporting.documents.kinds import PartyReportDocument, font_base

PART = """<html><head><title>{title}</title><style>@page {{ size: A4 }}</style></head>
<body>{pages}</body></html>"""


def part(title: str, pages: int) -> str:
    body = "".join(f'<p style="page-break-after: always">{title} trang {n}</p>' for n in range(1, pages + 1))
    return PART.format(title=title, pages=body)


def texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(data)).pages]


def test_parallel_and_serial_give_the_same_pages():
    parts = [part("Báo cáo", 2), part("Phụ lục", 3)]
    serial = pdf.render_parts(parts, font_base(), parallel=False)
    parallel = pdf.render_parts(parts, font_base(), parallel=True)
    assert texts(parallel) == texts(serial)
    assert [t.split()[0] for t in texts(parallel)] == ["Báo", "Báo", "Phụ", "Phụ", "Phụ"]
    assert PdfReader(BytesIO(parallel)).metadata.title == "Báo cáo"  # the report's, not the appendix's


def test_a_child_that_dies_is_reported_and_cleaned_up():
    child = pdf._Child(part("Phụ lục", 1), font_base())
    child.process.kill()
    folder = child.folder
    assert folder.is_dir()
    with pytest.raises(RuntimeError, match="PDF worker failed"):
        child.result()
    assert not os.path.exists(folder)


@pytest.mark.django_db
def test_a_report_renders_its_appendix_in_the_second_process(settings, la_report):
    settings.DOCUMENTS_PARALLEL_THRESHOLD = 1  # every document counts as large
    generated = PartyReportDocument(la_report).generate()
    pages = texts(generated.data)
    assert len(pages) >= 2
    assert any("Phụ lục" in text or "PHỤ LỤC" in text for text in pages[1:])
