"""Restore a backup into DATABASE_URL and the configured storage: `python manage.py restore FILE [--force]`.

Checks the whole archive first and refuses a database that already has tables unless --force; see
core/backup.py.  Stop the web processes and workers first: nothing may write while it runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from core import backup


class Command(BaseCommand):
    help = "Phục hồi cơ sở dữ liệu và các tệp đã lưu từ một tệp sao lưu (make backup)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Tệp .tar do `manage.py backup` tạo.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Ghi đè cả khi cơ sở dữ liệu đích đã có bảng, hoặc kho tệp đã có tệp cùng tên khác nội dung.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            restored = backup.restore_backup(options["file"], force=options["force"])
        except backup.BackupError as exc:
            raise CommandError(exc.message) from None
        for name in restored.missing:
            self.stderr.write(_("Cảnh báo: tệp “%(name)s” đã thiếu từ lúc sao lưu.") % {"name": name})
        self.stdout.write(
            _("Đã phục hồi %(tables)d bảng (%(rows)d dòng) và %(files)d tệp từ %(path)s.")
            % {"tables": restored.tables, "rows": restored.rows, "files": restored.files, "path": restored.path}
        )
