"""A signed agreement (uploaded in the admin) is checked by its bytes, PDFs read through for scripts, and
stored under a generated name with the extension of what it is (issue 12, point 7)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.actions import JavaScript

from agreements.models import Agreement
from tests.support import pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


def attach(upload: SimpleUploadedFile) -> Agreement:
    agreement = Agreement.objects.get(signed_on="2011-10-14")
    agreement.signed_document = upload
    agreement.full_clean()
    agreement.save()
    return agreement


@pytest.mark.parametrize(
    ("name", "data", "extension"),
    [("Thỏa thuận đã ký.pdf", pdf_bytes(), "pdf"), ("thoa-thuan.pdf", png_bytes(), "png")],
    ids=["pdf", "a photo named .pdf"],
)
def test_stored_under_a_generated_name_with_the_extension_of_its_content(media, name, data, extension):
    agreement = attach(SimpleUploadedFile(name, data))
    stored = agreement.signed_document.name or ""
    assert re.fullmatch(rf"agreements/2026/11/[0-9a-f]{{32}}\.{extension}", stored), stored
    assert (media / stored).read_bytes() == data


def test_a_scripted_pdf_is_refused(media):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_open_action(JavaScript("app.alert(1);"))
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ValidationError, match="chứa mã lệnh"):
        attach(SimpleUploadedFile("thoa-thuan.pdf", buffer.getvalue()))
    assert not media.exists()
