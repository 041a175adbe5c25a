"""Benchmark: the consolidated report of an agreement with 100 and with 1,000 commitments.

Usage (a throwaway PostgreSQL database; created and migrated if missing, then reused):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coopportal_bench DEBUG=true \\
        .venv/bin/python bench/render_consolidated.py --sizes 100 1000 --runs 5

For each size it builds (once) an agreement of three demo parties with that many commitments,
one approved report per party with an entry for every commitment, then measures, each in a
fresh subprocess so that peak memory (ru_maxrss) belongs to that measurement alone:

- full:  ConsolidatedReportDocument(...).generate(): queries, content, template, WeasyPrint;
- app:   document.html() only: the app's queries, content building and template;
- weasy: WeasyPrint alone on the same HTML (rendered once before timing).

It prints the median of the runs and the peak RSS, and a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopportal.settings")
os.environ.setdefault("DEBUG", "true")

RESULTS = "Đã phối hợp tổ chức 03 phiên kết nối cung - cầu, thu hút 146 doanh nghiệp tham gia; ký kết 27 biên bản ghi nhớ tiêu thụ thanh long, chanh không hạt và gạo hữu cơ với các hệ thống phân phối lớn."
DIFFICULTIES = "Kinh phí xúc tiến thương mại còn hạn chế; việc chia sẻ dữ liệu giữa các tỉnh chưa đồng bộ."
PROPOSALS = "Đề nghị thống nhất mẫu biểu dữ liệu thị trường dùng chung, cập nhật định kỳ hằng tháng."


def ensure_database() -> None:
    """Create the database DATABASE_URL names if it does not exist (PostgreSQL only)."""
    import dj_database_url
    import psycopg2  # type: ignore[import-untyped]

    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    if "postgresql" not in config["ENGINE"]:
        return
    conn = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        host=config["HOST"],
        port=config["PORT"] or 5432,
        password=config["PASSWORD"] or None,
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    conn.close()


def setup_django() -> None:
    import django

    django.setup()


def build(size: int, parties: int = 3) -> int:
    """The period id of the agreement with `size` commitments among `parties` parties, built the first time.

    Three parties are the demo's departments; more are provincial People's Committees of old units
    (several merged in 2025), as a programme between provinces is signed.
    """
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from agreements.models import Agreement, Body, Commitment, CooperationItem, Party, Sector
    from reporting.models import ProgressEntry, ProgressReport, ReportingPeriod

    title = f"Chương trình hợp tác thử tải {size} cam kết giữa ba tỉnh Long An, Tây Ninh và Tiền Giang"
    if parties != 3:
        title = f"Chương trình hợp tác thử tải {size} cam kết giữa {parties} tỉnh"
    existing = ReportingPeriod.objects.filter(agreement__title=title).first()
    if existing is not None:
        return existing.pk
    with open(os.devnull, "w") as devnull:
        call_command("load_demo", stdout=devnull)
    if parties == 3:
        bodies = [
            Body.objects.get(name=f"Sở Công Thương tỉnh {name}", valid_to__isnull=False)
            for name in ("Long An", "Tây Ninh", "Tiền Giang")
        ]
    else:
        bodies = list(
            Body.objects.filter(kind=Body.Kind.PEOPLES_COMMITTEE, unit__valid_from__isnull=True)
            .exclude(valid_to__isnull=True)
            .order_by("unit__code")[:parties]
        )
    sectors = list(Sector.objects.values_list("pk", flat=True))
    with transaction.atomic():
        agreement = Agreement.objects.create(
            kind=Agreement.Kind.PROGRAMME,
            title=title,
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2026, 12, 31),
            status=Agreement.Status.EXPIRED,
        )
        party_rows = [
            Party.objects.create(
                agreement=agreement,
                body=body,
                order=i + 1,
                coordinating_office=body.children.filter(kind=Body.Kind.OFFICE).first(),
            )
            for i, body in enumerate(bodies)
        ]
        n_items = max(5, size // 20)
        items = [
            CooperationItem.objects.create(
                agreement=agreement,
                number=i + 1,
                sector_id=sectors[i % len(sectors)],
                text=f"Nội dung hợp tác số {i + 1}: phối hợp xúc tiến thương mại, kết nối cung - cầu và phát triển "
                "thị trường cho sản phẩm chủ lực của các tỉnh.",
            )
            for i in range(n_items)
        ]
        commitments = []
        for i in range(size):
            indicator = i % 3 == 0
            commitments.append(
                Commitment(
                    item=items[i % n_items],
                    responsible_party=party_rows[i % len(party_rows)],
                    order=i + 1,
                    description=f"Cam kết thử tải số {i + 1}: tổ chức hội nghị kết nối giao thương, đưa đặc sản địa "
                    "phương vào hệ thống phân phối hiện đại.",
                    indicator_name="Số doanh nghiệp tham gia kết nối" if indicator else "",
                    indicator_unit="doanh nghiệp" if indicator else "",
                    baseline=Decimal(0) if indicator else None,
                    target=Decimal(100) if indicator else None,
                )
            )
        Commitment.objects.bulk_create(commitments)
        period = ReportingPeriod.objects.create(
            agreement=agreement,
            cadence_months=6,
            year=2025,
            index=1,
            start=datetime.date(2024, 12, 15),
            end=datetime.date(2025, 6, 14),
            deadline=datetime.date(2025, 6, 24),
        )
        now = timezone.now()
        reports = {
            p.pk: ProgressReport.objects.create(
                party=p,
                period=period,
                state=ProgressReport.State.APPROVED,
                approved_at=now,
                submitted_at=now,
                overall_assessment="Nhìn chung, các nội dung hợp tác được triển khai đúng kế hoạch.",
                shortcomings="Một số nhiệm vụ còn chậm so với tiến độ.",
                next_period_tasks="Tiếp tục đẩy mạnh kết nối giao thương.",
            )
            for p in party_rows
        }
        statuses = [("on_track", 60), ("done", 100), ("at_risk", 35), ("delayed", 10)]
        entries = []
        for i, c in enumerate(Commitment.objects.filter(agreement=agreement).order_by("order")):
            status, percent = statuses[i % 4]
            entries.append(
                ProgressEntry(
                    report=reports[c.responsible_party_id],
                    commitment=c,
                    status=status,
                    percent_complete=percent,
                    actual_value=Decimal(percent) if c.target is not None else None,
                    results=RESULTS,
                    difficulties=DIFFICULTIES if i % 4 == 0 else "",
                    proposals=PROPOSALS if i % 5 == 0 else "",
                )
            )
        ProgressEntry.objects.bulk_create(entries)
    return period.pk


def measure(period_id: int, mode: str, runs: int) -> dict[str, object]:
    """Runs in its own process: times `runs` renders in one mode and reports the peak RSS."""
    from io import BytesIO

    from pypdf import PdfReader

    from reporting.documents.kinds import ConsolidatedReportDocument, font_base, parallel_threshold
    from reporting.documents.pdf import render_parts
    from reporting.models import ReportingPeriod

    def document() -> ConsolidatedReportDocument:
        period = ReportingPeriod.objects.select_related("agreement").get(pk=period_id)
        party = period.agreement.parties.select_related("body__parent", "coordinating_office").first()
        assert party is not None
        return ConsolidatedReportDocument(period, party, number=5)

    parts = document().html_parts() if mode == "weasy" else []
    parallel = document().commitment_count() >= parallel_threshold()
    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times, pdf = [], b""
    for _ in range(runs):
        start = time.perf_counter()
        if mode == "full":
            pdf = document().generate().data
        elif mode == "app":
            document().html_parts()
        else:
            pdf = render_parts(parts, font_base(), parallel=parallel)
        times.append(time.perf_counter() - start)
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "mode": mode,
        "runs": runs,
        "median_s": statistics.median(times),
        "min_s": min(times),
        "max_s": max(times),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "peak_rss_child_mb": children_kb / 1024,
        "baseline_rss_mb": baseline_kb / 1024,
        "pdf_bytes": len(pdf),
        "pages": len(PdfReader(BytesIO(pdf)).pages) if pdf else 0,
        "parallel": parallel,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", type=int, default=[100, 1000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--parties", type=int, default=3, help="Parties of the agreement (3: the demo departments).")
    parser.add_argument("--measure", nargs=2, metavar=("PERIOD_ID", "MODE"), help=argparse.SUPPRESS)
    parser.add_argument("--json", help="Also write the results to this file.")
    parser.add_argument(
        "--serial", action="store_true", help="Lay out the appendix in the same process (for comparison)."
    )
    args = parser.parse_args()
    if args.measure:
        setup_django()
        if args.serial:
            from django.conf import settings

            settings.DOCUMENTS_PARALLEL_THRESHOLD = 10**9
        print(json.dumps(measure(int(args.measure[0]), args.measure[1], args.runs)))
        return
    ensure_database()
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], check=True)
    setup_django()
    results = []
    for size in args.sizes:
        period_id = build(size, args.parties)
        row: dict[str, object] = {"commitments": size, "parties": args.parties}
        for mode in ("full", "app", "weasy"):
            out = subprocess.run(
                [sys.executable, __file__, "--measure", str(period_id), mode, "--runs", str(args.runs)]
                + (["--serial"] if args.serial else []),
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            row[mode] = json.loads(out.strip().splitlines()[-1])
            print(f"{size:>5} commitments  {mode:<5} {json.dumps(row[mode])}", flush=True)
        results.append(row)
    print()
    print(
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(
        "| Commitments | Pages | Total (median) | App only (queries + template) | WeasyPrint alone | App share "
        "| Peak RSS, main process | Peak RSS, appendix process |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in results:
        full, app, weasy = row["full"], row["app"], row["weasy"]
        share = app["median_s"] / full["median_s"]
        child = f"{full['peak_rss_child_mb']:.0f} MB" if full["parallel"] else "—"
        print(
            f"| {row['commitments']:,} | {full['pages']} | {full['median_s']:.2f} s | {app['median_s']:.2f} s | "
            f"{weasy['median_s']:.2f} s | {share:.0%} | {full['peak_rss_mb']:.0f} MB | {child} |"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
