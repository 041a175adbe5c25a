"""Evidence and issued PDFs on a real S3-compatible server (tests/s3server.py), through the app's own views.

With STORAGE_BACKEND=s3 several web and worker machines share one bucket; nothing is written to the
local disk, and a file still reaches only the users the views let through.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from reporting.documents.kinds import PartyReportDocument
from reporting.models import Evidence, OfficialDocument
from tests.s3server import S3Server
from tests.support import ROOT, issue_via_page, la_report_of, png_bytes, post_with_file

pytestmark = pytest.mark.django_db


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_evidence_is_stored_served_and_removed_on_s3(
    staff: Any,
    users: dict[str, Any],
    la_report: Any,
    s3_server: S3Server,
    s3_bucket: str,
    media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    scan = png_bytes()
    response, _entry = post_with_file(staff, la_report, SimpleUploadedFile("biên bản.png", scan))
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert s3_server.keys(s3_bucket) == [evidence.file.name]
    assert s3_server.read(s3_bucket, str(evidence.file.name)) == scan
    assert not media.exists()  # nothing on this machine's disk

    url = reverse("evidence_download", args=[evidence.pk])
    download = staff.get(url)
    assert download.status_code == 200 and body(download) == scan
    assert download["Content-Type"] == "image/png"
    # The bucket is private to the app: another province's staff still get nothing through the view.
    outsider = Client()
    outsider.force_login(users["tg.staff"])
    assert outsider.get(url).status_code in (403, 404)

    with django_capture_on_commit_callbacks(execute=True):
        assert staff.post(reverse("evidence_delete", args=[evidence.pk])).status_code == 302
    assert not Evidence.objects.exists()
    assert s3_server.keys(s3_bucket) == []


def test_two_uploads_with_one_name_keep_both_files(
    staff: Any, la_report: Any, s3_server: S3Server, s3_bucket: str
) -> None:
    post_with_file(staff, la_report, SimpleUploadedFile("scan.png", png_bytes()))
    post_with_file(staff, la_report, SimpleUploadedFile("scan.png", png_bytes()))
    names = sorted(Evidence.objects.values_list("file", flat=True))
    assert len(set(names)) == 2 and s3_server.keys(s3_bucket) == names


def test_an_issued_pdf_is_stored_on_s3_and_downloaded_through_the_view(
    client: Any, users: dict[str, Any], first_half: Any, s3_server: S3Server, s3_bucket: str, media: Path
) -> None:
    report = la_report_of(first_half)
    client.force_login(users["la.leader"])
    assert issue_via_page(client, PartyReportDocument(report)).status_code == 302
    stored = OfficialDocument.objects.get(key=f"report:{report.pk}")
    assert stored.state == OfficialDocument.State.READY
    assert s3_server.keys(s3_bucket) == [stored.file.name]
    in_bucket = s3_server.read(s3_bucket, str(stored.file.name))
    assert in_bucket[:5] == b"%PDF-" and len(in_bucket) == stored.size
    assert not media.exists()

    download = client.get(reverse("document_download", args=[stored.pk]))
    assert download.status_code == 200 and body(download) == in_bucket
    assert body(client.get(reverse("document_report_pdf", args=[report.pk]))) == in_bucket


# --- the settings ---------------------------------------------------------------------------------


def storages_in_a_process(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """STORAGES["default"] as the settings build it from an environment (a fresh manage.py process)."""
    code = "import json; from django.conf import settings; print(json.dumps(settings.STORAGES['default']))"
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "DEBUG": "true", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_default_storage_stays_the_local_folder() -> None:
    result = storages_in_a_process({})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }


def test_the_settings_build_the_s3_storage_from_the_environment(s3_server: S3Server) -> None:
    result = storages_in_a_process(s3_server.env("coopportal-media"))
    assert result.returncode == 0, result.stderr
    # Exactly what the tests above run the views on.
    assert json.loads(result.stdout.strip().splitlines()[-1]) == s3_server.storage("coopportal-media")


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"STORAGE_BACKEND": "s3"}, "AWS_STORAGE_BUCKET_NAME"),
        ({"STORAGE_BACKEND": "minio"}, "STORAGE_BACKEND"),
    ],
)
def test_a_wrong_storage_setting_stops_the_process(env: dict[str, str], says: str) -> None:
    result = storages_in_a_process(env)
    assert result.returncode != 0 and says in result.stderr
