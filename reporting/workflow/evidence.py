"""Evidence files attached to an entry: checked by their bytes, stored with the row or not at all."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from core import uploads
from core.audit import audit
from core.uploads import sniff_upload
from reporting.models import Evidence, ProgressEntry
from reporting.workflow.guards import lock_editable_report

# Evidence a department keeps: scans and photos, Word and Excel files. Detected from the
# bytes, never from the name or the browser's claim.
ALLOWED_EVIDENCE = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WebP",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/msword": "Word",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.ms-excel": "Excel",
    "application/vnd.oasis.opendocument.text": "ODT",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS",
}


def check_evidence_file(upload: UploadedFile[bytes]) -> str:
    """Return the detected MIME type or raise ValidationError with a message in Vietnamese."""
    mime = sniff_upload(upload)
    if mime not in ALLOWED_EVIDENCE:
        raise ValidationError(
            _(
                "Tệp “%(name)s” không phải PDF, ảnh (JPEG, PNG, WebP), Word hay Excel; nội dung tệp được kiểm tra, "
                "không dựa vào tên tệp."
            )
            % {"name": upload.name}
        )
    return mime


def _shown_name(upload: UploadedFile[bytes]) -> str:
    """The user's file name as the download will offer it: no control characters (a header cannot carry them)."""
    name = "".join(char for char in upload.name or "" if char.isprintable()).strip()
    return name[:255] or "tep"


def add_evidence(actor: User, entry: ProgressEntry, upload: UploadedFile[bytes]) -> Evidence:
    """Store the file under a generated name with its row; if the row is not committed (a stale save, a
    rule broken further on in the same draft, any rollback), the file is removed again."""
    mime = check_evidence_file(upload)
    with uploads.atomic_with_files():
        report = lock_editable_report(actor, entry.report_id)
        evidence = Evidence(
            entry=entry,
            original_name=_shown_name(upload),
            content_type=mime,
            size=upload.size or 0,
            uploaded_by=actor,
        )
        uploads.store_file(evidence.file, upload)
        evidence.save()
        audit(
            actor,
            "evidence.added",
            evidence,
            agreement_id=report.party.agreement_id,
            entry=entry.pk,
            name=evidence.original_name,
            size=evidence.size,
        )
        return evidence


def remove_evidence(actor: User, evidence: Evidence) -> None:
    with transaction.atomic():
        report = lock_editable_report(actor, evidence.entry.report_id)
        audit(
            actor,
            "evidence.removed",
            evidence,
            agreement_id=report.party.agreement_id,
            entry=evidence.entry_id,
            name=evidence.original_name,
        )
        stored = evidence.file
        evidence.delete()
        transaction.on_commit(lambda: stored.delete(save=False))
