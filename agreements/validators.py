from __future__ import annotations

from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SIGNED_DOCUMENT_TYPES = {"application/pdf", "image/jpeg", "image/png"}


def validate_signed_document(upload: Any) -> None:
    """A signed agreement is a scan: PDF or image, recognised from its bytes, within the size limit."""
    size = getattr(upload, "size", 0) or 0
    if size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Tệp có dung lượng %(size).1f MB, vượt giới hạn %(limit).0f MB.")
            % {"size": size / 1048576, "limit": settings.MAX_UPLOAD_BYTES / 1048576}
        )
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    upload.seek(0)
    if kind is None or kind.mime not in SIGNED_DOCUMENT_TYPES:
        raise ValidationError(_("Văn bản đã ký phải là tệp PDF hoặc ảnh chụp (JPEG, PNG); nội dung tệp được kiểm tra."))
