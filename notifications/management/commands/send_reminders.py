"""Run the daily reminder job for any day, or show what it would send (--dry-run)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core import clock
from notifications import services


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Ngày không hợp lệ: “{value}”. Hãy ghi theo dạng YYYY-MM-DD, ví dụ 2026-12-07.") from None


class Command(BaseCommand):
    help = "Gửi nhắc việc đến hạn trong ngày (mặc định: hôm nay, giờ Việt Nam); --dry-run chỉ liệt kê."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=str, default=None, help="Ngày chạy, dạng YYYY-MM-DD.")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê những gì sẽ gửi; không ghi, không gửi.")

    def handle(self, *args: Any, **options: Any) -> None:
        day = _day(options["date"]) if options["date"] else clock.today()
        run = services.run_daily(day, dry_run=options["dry_run"])
        if run.dry_run:
            names = dict(User.objects.filter(pk__in={r for _due, r in run.would_send}).values_list("pk", "username"))
            for due, recipient in run.would_send:
                self.stdout.write(
                    f"would send\t{names.get(recipient, recipient)}\t{due.target}\t{due.stage}\t{due.kind}"
                )
            self.stdout.write(
                f"{len(run.would_send)} nhắc việc sẽ được gửi ngày {day:%d/%m/%Y} (chạy thử, chưa gửi gì)."
            )
            return
        for n in run.recorded:
            self.stdout.write(f"{n.email_state}\t{n.recipient.username}\t{n.target}\t{n.stage}\t{n.kind}")
        self.stdout.write(
            f"Ngày {day:%d/%m/%Y}: ghi {run.recorded_count} nhắc việc mới; gửi {run.sent} e-mail, "
            f"{run.failed} e-mail lỗi (sẽ gửi lại), {run.digests} thư tổng hợp."
        )
