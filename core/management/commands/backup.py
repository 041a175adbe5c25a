"""Back up the database and every stored file into one archive: `python manage.py backup [--dir FOLDER]`.

See core/backup.py for what the archive holds.  The last line printed is the archive's path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from core import backup


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu (pg_dump) cùng mọi tệp đã lưu (minh chứng, văn bản PDF) vào một tệp .tar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", type=Path, help="Thư mục ghi tệp sao lưu (mặc định: var/backups/).")

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["dir"] or Path(settings.VAR_DIR) / "backups"
        try:
            made = backup.create_backup(folder)
        except backup.BackupError as exc:
            raise CommandError(exc.message) from None
        for name in made.missing:
            self.stderr.write(
                _("Cảnh báo: cơ sở dữ liệu nhắc tới tệp “%(name)s” nhưng kho tệp không có.") % {"name": name}
            )
        self.stdout.write(
            _("Đã sao lưu %(tables)d bảng (%(rows)d dòng) và %(files)d tệp vào:")
            % {"tables": made.tables, "rows": made.rows, "files": made.files}
        )
        self.stdout.write(str(made.path))
