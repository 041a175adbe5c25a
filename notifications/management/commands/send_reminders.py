"""Run the daily reminder job for any day, or show what it would send (--dry-run)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core import clock
from core.text import excerpt
from notifications import services

# The days a run can be about: the job reaches a year before and after the day (offsets, catch-up), and
# date arithmetic near year 1 or 9999 fails with OverflowError, a traceback instead of a message.
FIRST_DAY, LAST_DAY = datetime.date(2000, 1, 1), datetime.date(2999, 12, 31)


def _day(value: str) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"Ngày không hợp lệ: “{excerpt(value)}”. Hãy ghi theo dạng YYYY-MM-DD, ví dụ 2026-12-07."
        ) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise CommandError(
            f"Ngày chạy phải từ {FIRST_DAY:%d/%m/%Y} đến {LAST_DAY:%d/%m/%Y}, không phải {day.isoformat()}."
        )
    return day


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
