"""Benchmark: the daily reminder job (notifications.services.run_daily) at national scale.

Usage, on a database filled by `manage.py generate_bench_data --scale 10` (2,000 agreements, 100,000 commitments):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coopportal_bench SECRET_KEY=bench DEBUG=false \\
        .venv/bin/python bench/daily_reminders.py --runs 5

DEBUG is off as in production: with it on, Django formats and keeps every statement it runs, which
alone adds seconds to the inserts of a busy morning.

Each measurement runs inside a transaction that is rolled back, so the database is left as it was
and every run starts from the same state.  Measured, `--runs` times each, in one process:

- floor:     one trivial query (SELECT of one agreement): the cost of a round trip to PostgreSQL;
- compute:   DueReminders(day).all(): what is due, to whom (the reading part of the job);
- job:       run_daily(day, send=False): what the 06:30 task does itself: compute, insert the new
             notifications, gather the digests (it then queues senders, one per 500 waiting e-mails);
- again:     the job a second time the same day, after a first run: nothing new to record;
- sending:   what one sender does with the first --emails waiting e-mails (claim by batches of 200,
             compose in the reader's language, render HTML and text, send through the locmem backend:
             the app's work, not an SMTP server's); reported as e-mails per second.

Each is reported with its median, min and max in seconds, the SQL queries it made and what it did.
The days are chosen from the data: the day 7 days before the most common report deadline (reports due),
and a day with nothing due but ending agreements.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopportal.settings")


class Rollback(Exception):
    pass


def measure(action: Callable[[], Any], runs: int, before: Callable[[], Any] | None = None) -> dict[str, Any]:
    """Median of `runs` timed runs, each rolled back; the queries are counted in one more run, untimed
    (capturing them makes Django format every statement, which would weigh on the big inserts)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    samples: list[float] = []
    queries = 0
    result: Any = None
    for attempt in range(runs + 1):
        try:
            with transaction.atomic():
                if before is not None:
                    before()
                if attempt < runs:
                    start = time.perf_counter()
                    result = action()
                    samples.append(time.perf_counter() - start)
                else:
                    with CaptureQueriesContext(connection) as captured:
                        action()
                    queries = len(captured.captured_queries)
                raise Rollback
        except Rollback:
            pass
    return {
        "median": statistics.median(samples),
        "min": min(samples),
        "max": max(samples),
        "queries": queries,
        "result": result,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--day", type=str, default="")
    parser.add_argument("--emails", type=int, default=1000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core import mail

    from agreements.models import Agreement, Commitment
    from notifications import services
    from notifications.models import Notification
    from notifications.reminders import DueReminders
    from reporting.models import ProgressReport, ReportingPeriod

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    deadlines = Counter(ReportingPeriod.objects.values_list("deadline", flat=True))
    busiest = max(deadlines, key=lambda d: (deadlines[d], d))
    due_day = datetime.date.fromisoformat(args.day) if args.day else busiest - datetime.timedelta(days=7)
    quiet_day = busiest + datetime.timedelta(days=60)
    print(
        f"data: {Agreement.objects.count():,} agreements ({Agreement.objects.filter(status='in_force').count():,} "
        f"in force), {Commitment.objects.count():,} commitments, {ProgressReport.objects.count():,} reports, "
        f"{Notification.objects.count():,} notifications already recorded"
    )
    print(f"days: {due_day} (7 days before the busiest deadline {busiest}), {quiet_day} (none due)")

    def floor() -> Any:
        return Agreement.objects.only("pk").first()

    def sent_count(run: services.DailyRun) -> str:
        return f"{run.recorded_count:,} recorded, {run.digests} digests"

    def send_first(count: int) -> int:
        from notifications import delivery, messages

        sent = 0
        while sent < count:
            token, pks = delivery.claim(Notification, limit=min(delivery.BATCH, count - sent))
            if not pks:
                break
            sent += len(delivery.send_claimed(Notification, token, pks, messages.notification_emails).sent)
        return sent

    rows: list[tuple[str, dict[str, Any], str]] = []
    base = measure(floor, max(args.runs, 20))
    rows.append(("floor: one trivial query", base, ""))
    for label, day in (("reports due", due_day), ("nothing due", quiet_day)):
        job_of_day = functools.partial(services.run_daily, day, send=False)
        compute = measure(functools.partial(lambda d: DueReminders(d).all(), day), args.runs)
        rows.append((f"{label}: compute", compute, f"{sum(len(d.recipients) for d in compute['result']):,} recipients"))
        job = measure(job_of_day, args.runs)
        rows.append((f"{label}: job (compute + record + digests)", job, sent_count(job["result"])))
        again = measure(job_of_day, args.runs, before=job_of_day)
        rows.append((f"{label}: job again the same day", again, sent_count(again["result"])))
    sending = measure(
        lambda: send_first(args.emails), max(1, args.runs // 2), before=lambda: services.run_daily(due_day, send=False)
    )
    rate = sending["result"] / sending["median"]
    rows.append((f"sending the first {sending['result']:,} e-mails", sending, f"{rate:,.0f} e-mails/s per sender"))

    print()
    print("| Measurement | Median | Min | Max | × floor | SQL queries | Did |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for label, stats, did in rows:
        ratio = stats["median"] / base["median"]
        print(
            f"| {label} | {stats['median'] * 1000:,.1f} ms | {stats['min'] * 1000:,.1f} ms | "
            f"{stats['max'] * 1000:,.1f} ms | {ratio:,.0f} | {stats['queries']} | {did} |"
        )


if __name__ == "__main__":
    main()
