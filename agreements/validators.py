from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.uploads import sniff_upload

SIGNED_DOCUMENT_TYPES = {"application/pdf", "image/jpeg", "image/png"}


def validate_signed_document(upload: Any) -> None:
    """A signed agreement is a scan: PDF or image, recognised from its bytes, within the size limit."""
    if sniff_upload(upload) not in SIGNED_DOCUMENT_TYPES:
        raise ValidationError(_("Văn bản đã ký phải là tệp PDF hoặc ảnh chụp (JPEG, PNG); nội dung tệp được kiểm tra."))
