"""Benchmark: downloading an issued document again, against the floor of the stack in the same run.

Usage (a throwaway PostgreSQL database, shared with bench/render_consolidated.py):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coopportal_bench DEBUG=true \\
        .venv/bin/python bench/redownload.py --size 1000 --runs 30

It builds (once) the 1,000-commitment agreement of bench/render_consolidated.py, issues its
consolidated report (cấp số; rendered once), then measures through Django's test client, in one
process, each request `--runs` times after a warm-up:

- floor:    GET /healthz (the trivial view of the app);
- download: GET of the issued consolidated PDF, whose frozen file is served as it is;
- panel:    GET of the period's documents panel (which checks whether the data changed since issue).

It prints medians and p95 in milliseconds and their ratio to the floor, as a Markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.render_consolidated import build, ensure_database, setup_django  # noqa: E402


def timed(client: object, url: str, runs: int) -> list[float]:
    get = client.get
    response = get(url)
    assert response.status_code == 200, (url, response.status_code)
    b"".join(response.streaming_content) if response.streaming else response.content
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    ensure_database()
    setup_django()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from reporting.documents import services
    from reporting.documents.kinds import ConsolidatedReportDocument
    from reporting.models import ReportingPeriod

    call_command("migrate", verbosity=0)
    period = ReportingPeriod.objects.select_related("agreement").get(pk=build(args.size))
    party = period.agreement.parties.order_by("order").first()
    assert party is not None
    document = ConsolidatedReportDocument(period, party)
    coordinator = User.objects.get(username="la.coord")
    if services.current_row(document) is None:
        started = time.perf_counter()
        services.issue(coordinator, document, services.signers(document)[0], synchronous=True)
        print(f"issued and rendered once in {time.perf_counter() - started:.1f} s")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(coordinator)
    urls = {
        "floor (/healthz)": reverse("healthz"),
        f"download of the issued PDF ({args.size} commitments)": reverse("document_consolidated_pdf", args=[period.pk]),
        "documents panel of the period": reverse("document_period_panel", args=[period.pk]),
    }
    results = {name: timed(client, url, args.runs) for name, url in urls.items()}
    floor = statistics.median(results["floor (/healthz)"])
    print("\n| request | median (ms) | p95 (ms) | median / floor |\n|---|---|---|---|")
    for name, samples in results.items():
        ordered = sorted(samples)
        p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
        print(f"| {name} | {statistics.median(samples):.1f} | {p95:.1f} | {statistics.median(samples) / floor:.1f}× |")


if __name__ == "__main__":
    main()
