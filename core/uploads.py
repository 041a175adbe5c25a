"""What an uploaded file really is, from its bytes and size, never from its name or the browser's claim."""

from __future__ import annotations

from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def sniff_upload(upload: Any) -> str:
    """The MIME type read from the file's first bytes ("" if unknown); refuses empty and oversized files."""
    limit = settings.MAX_UPLOAD_BYTES
    size = getattr(upload, "size", 0) or 0
    if size == 0:
        raise ValidationError(_("Tệp “%(name)s” rỗng.") % {"name": upload.name})
    if size > limit:
        raise ValidationError(
            _("Tệp “%(name)s” có dung lượng %(size).1f MB, vượt giới hạn %(limit).0f MB.")
            % {"name": upload.name, "size": size / 1048576, "limit": limit / 1048576}
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None:
        return str(kind.mime)
    if head.startswith(_OLE_MAGIC):
        # Legacy .doc/.xls are OLE containers; filetype cannot tell which, the name can.
        return "application/vnd.ms-excel" if (upload.name or "").lower().endswith(".xls") else "application/msword"
    return ""
