"""Removing an evidence file (reporting.views.evidence_delete): the record and, once committed, the stored file."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting.models import Evidence
from tests.support import png_bytes, post_with_file

pytestmark = pytest.mark.django_db


def test_evidence_can_be_removed_while_editable(staff, la_report, django_capture_on_commit_callbacks):
    post_with_file(staff, la_report, SimpleUploadedFile("a.png", png_bytes()))
    evidence = Evidence.objects.get()
    path = Path(evidence.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse("evidence_delete", args=[evidence.pk]))
    assert response.status_code == 302 and not Evidence.objects.exists()
    assert not path.exists()  # the stored file goes once the deletion is committed
