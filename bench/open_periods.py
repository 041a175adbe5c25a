"""Benchmark: the hourly job that opens reporting periods (reporting.tasks.open_due_reporting_periods).

Usage, on whatever data the database holds (the first run opens what is due on --today, as the job would):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coopportal_bench DEBUG=true \\
        .venv/bin/python bench/open_periods.py --runs 5

With --build N the database (created and migrated if missing) first gets generated in-force agreements up to
N of them (those of tests/reporting/test_open_due_periods.py: 2 to 10 provincial People's Committees each,
1 to 3 commitments per party, cadences of 3, 6 and 12 months, 2025–2027), then reused:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coopportal_bench DEBUG=true \\
        .venv/bin/python bench/open_periods.py --build 2000 --runs 5 --compare-old

It prints, as JSON lines: the first run on --today (what it created); the median of --runs runs with
nothing to open and their queries; the run on --opening-day (default 15/12/2026, when every cadence opens
a period), each rolled back so that it can be repeated; with --compare-old, the rule as it was (one
agreement at a time, get_or_create for every period and party), once each.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopportal.settings")
os.environ.setdefault("DEBUG", "true")

from bench.render_consolidated import ensure_database  # noqa: E402 - after the path and settings above


def build(count: int) -> int:
    """Generated agreements up to `count`; returns how many were added."""
    from agreements.models import Agreement
    from tests.reporting.test_open_due_periods import TITLE
    from tests.reporting.test_open_due_periods import build as build_agreements

    present = Agreement.objects.filter(title__startswith=TITLE).count()
    if present < count:
        build_agreements(count - present, first=present)
    return max(0, count - present)


def timed(job: Callable[[], Any], rollback: bool = False) -> dict[str, Any]:
    """One run: seconds, queries, what it returned.

    Committed as the job commits, or, with `rollback`, inside a transaction rolled back afterwards (its
    transactions become savepoints: two more queries, SAVEPOINT and RELEASE, per transaction).
    """
    from django.db import connection, transaction

    queries = 0

    def count(execute: Callable[..., Any], *args: Any) -> Any:
        nonlocal queries
        queries += 1
        return execute(*args)

    with transaction.atomic() if rollback else contextlib.nullcontext(), connection.execute_wrapper(count):
        start = time.perf_counter()
        result = job()
        seconds = time.perf_counter() - start
        if rollback:
            transaction.set_rollback(True)
    return {"seconds": seconds, "queries": queries, "result": result}


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "runs": len(runs),
        "median_s": round(statistics.median(r["seconds"] for r in runs), 4),
        "min_s": round(min(r["seconds"] for r in runs), 4),
        "max_s": round(max(r["seconds"] for r in runs), 4),
        "queries": sorted({r["queries"] for r in runs}),
        "result": runs[-1]["result"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--today", type=datetime.date.fromisoformat, default=datetime.date(2026, 11, 22))
    parser.add_argument("--opening-day", type=datetime.date.fromisoformat, default=datetime.date(2026, 12, 15))
    parser.add_argument("--build", type=int, metavar="N", help="Generate in-force agreements up to N first.")
    parser.add_argument("--compare-old", action="store_true", help="Also time the rule as it was, once.")
    args = parser.parse_args()
    if args.build:
        ensure_database()
        subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], check=True)
    import django

    django.setup()
    from agreements.models import Agreement, Party
    from reporting.models import ProgressEntry, ProgressReport, ReportingPeriod
    from reporting.workflow import open_due_periods

    def show(label: str, row: dict[str, Any]) -> None:
        result = row["result"]
        row = {**row, "result": result.as_dict() if hasattr(result, "as_dict") else result}
        print(json.dumps({"measure": label, **row}, default=str), flush=True)

    if args.build:
        print(json.dumps({"built": build(args.build)}), flush=True)
    in_force = Agreement.objects.filter(status=Agreement.Status.IN_FORCE)
    print(
        json.dumps(
            {
                "in_force_agreements": in_force.count(),
                "parties": Party.objects.filter(agreement__in=in_force).count(),
                "periods": ReportingPeriod.objects.count(),
                "reports": ProgressReport.objects.count(),
                "entries": ProgressEntry.objects.count(),
            }
        ),
        flush=True,
    )
    # The floor of the stack in the same run: one trivial query (a round trip to PostgreSQL).
    show("floor: one trivial query", median_of([timed(lambda: in_force.only("pk").first()) for _ in range(20)]))
    show(f"first run on {args.today}", timed(lambda: open_due_periods(args.today)))
    show(
        f"nothing to open on {args.today}",
        median_of([timed(lambda: open_due_periods(args.today)) for _ in range(args.runs)]),
    )
    show(
        f"opening day {args.opening_day} (rolled back)",
        median_of([timed(lambda: open_due_periods(args.opening_day), rollback=True) for _ in range(args.runs)]),
    )
    if args.compare_old:
        from tests.reporting.test_open_due_periods import old_open

        def old(day: datetime.date) -> int:
            agreements = list(in_force.order_by("pk"))
            for agreement in agreements:
                old_open(agreement, day)
            return len(agreements)

        show(f"old rule, nothing to open on {args.today}", timed(lambda: old(args.today)))
        show(f"old rule, opening day {args.opening_day} (rolled back)", timed(lambda: old(args.opening_day), True))


if __name__ == "__main__":
    main()
