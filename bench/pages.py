"""Benchmark of issue 11: each page's latency under gunicorn on PostgreSQL with the national bench data.

Usage, on a database that holds the demo and `generate_bench_data --scale 10` (docs/benchmarks.md):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coopportal_bench REDIS_URL=redis://127.0.0.1:6379/11 \\
        .venv/bin/python bench/pages.py [--requests 30] [--concurrency 1] [--markdown FILE]

It picks real ids from the bench data (django.setup() on DATABASE_URL, URLs by reverse()): the agreement in
force with the most commitments that bench.coord500 coordinates, its latest period with reports, a submitted
report of it, and the draft or returned report with the most entries among coord500's agreements with the
bench staff member who fills it.  The bench data has no review meeting: the first run plans one for that
agreement (meetings.services.plan_meeting, as bench.coord500), so that the meeting's admin form has one.
Then it collects the static files, starts gunicorn as production does (bench/loadtest/run.py: DEBUG
off, 2 workers of GUNICORN_THREADS threads, on loopback, as if behind the https proxy), signs in
bench.coord500, bench.leader, bench.admin, that staff member and the demo superuser `admin` (the
Django admin needs is_staff, which no bench account has), and for every page of every user:

- one warm-up request that must answer 200 (anything else is reported as a failure, and not timed),
  then --requests timed requests, --concurrency at a time: p50, p95, max, requests per second of the
  time spent in them, the size of the body (uncompressed: the client sends no Accept-Encoding);
- the floor, GET /healthz (a view of the app that asks PostgreSQL for SELECT 1 and connects to the
  broker), --floor-each times right before each timed request of the page, by the same thread: a page's
  ratio is its p95 over the p95 of those floor requests, made in the same moments as the page's own.

With --profile it starts no server: for each page of --only, in this process (DEBUG on) through Django's
test client, it prints the page's queries (count, time, the slowest; with --explain their plans, from
EXPLAIN (ANALYZE, BUFFERS)), the time in templates and the functions that cost most (cProfile, which slows Python code down: read proportions, not times).

The target of issue 11: p95 under 150 ms and under 15x the floor.  Downloads (the xlsx and csv
exports of a filtered list) are reported in their own table, without the target.  The Markdown table
is printed and, with --markdown, written to a file; the figures also go to var/bench-pages/pages.json.
The exit status is 1 when a page or download failed (not 200), not when a page misses the target.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/coopportal_bench"
os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopportal.settings")
os.environ.setdefault("DEBUG", "true")  # this process only reads ids and reverses URLs; gunicorn runs with DEBUG off

from bench.loadtest.pages import Browser, Response  # noqa: E402 - after the path above
from bench.loadtest.run import (  # noqa: E402
    VENV,
    free_port,
    gunicorn_command,
    percentile,
    production_env,
    start_gunicorn,
    stop_gunicorn,
)

TARGET_MS = 150.0
TARGET_RATIO = 15.0
FLOOR = "/healthz"


@dataclass(frozen=True)
class Page:
    user: str  # the login
    name: str
    path: str
    download: bool = False


@dataclass
class Figures:
    count: int
    p50: float
    p95: float
    max: float
    per_second: float


@dataclass
class Result:
    page: Page
    status: int
    bytes: int = 0
    figures: Figures | None = None
    floor_p95: float = 0.0  # the floor measured between the page's own requests
    failures: list[int] = field(default_factory=list)  # statuses other than 200 among the timed requests

    @property
    def ratio(self) -> float:
        return self.figures.p95 / self.floor_p95 if self.figures and self.floor_p95 else 0.0

    @property
    def failed(self) -> bool:
        return self.status != 200 or bool(self.failures)

    @property
    def misses(self) -> bool:
        return self.figures is not None and (self.figures.p95 >= TARGET_MS or self.ratio >= TARGET_RATIO)


@dataclass
class Picked:
    """The rows the pages are about, chosen in the bench data."""

    agreement: int
    agreement_commitments: int
    period: int
    report: int
    edit_report: int
    edit_report_entries: int
    staff: str
    meeting: int
    search: dict[str, str]
    counts: dict[str, int]


def pick() -> Picked:
    """Real ids of the bench data: coord500's largest agreement, its latest reported period, and so on."""
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db.models import Count

    from agreements.models import AdministrativeUnit, Agreement, Commitment, Membership, Role
    from core import clock
    from core.models import AuditEntry
    from demo import bench_data
    from meetings.models import ReviewMeeting
    from meetings.services import plan_meeting
    from reporting.access import can_edit_report
    from reporting.models import EntryRevision, ProgressEntry, ProgressReport, ReportingPeriod

    mine = bench_data.coordinated_by(bench_data.COORDINATOR_500)
    if not mine.exists():
        raise SystemExit("No bench data: run `manage.py generate_bench_data --scale 10` on this database first.")
    agreement = (
        mine.filter(status=Agreement.Status.IN_FORCE)
        .annotate(n=Count("items__commitments", distinct=True))
        .order_by("-n", "pk")
        .values_list("pk", "n")
        .first()
    )
    assert agreement is not None
    period = (
        ReportingPeriod.objects.filter(agreement_id=agreement[0], reports__isnull=False)
        .order_by("-start")
        .values_list("pk", flat=True)
        .first()
    )
    assert period is not None, "coord500's largest agreement has no report"
    report = (
        ProgressReport.objects.filter(period_id=period)
        .order_by("-state", "pk")  # submitted first: what the coordinator opens to review
        .values_list("pk", flat=True)
        .first()
    )
    assert report is not None
    # The report form: the draft or returned report with the most entries among coord500's agreements
    # whose party has a bench staff member of its own.
    staff_bodies = Membership.objects.filter(role=Role.STAFF, user__username__startswith=bench_data.USER_PREFIX)
    editable = (
        ProgressReport.objects.filter(
            period__agreement__in=mine,
            state__in=[ProgressReport.State.DRAFT, ProgressReport.State.RETURNED],
            party__body__in=staff_bodies.values("body_id"),
        )
        .select_related("party")
        .annotate(n=Count("entries"))
        .order_by("-n", "pk")
    )
    for candidate in editable[:50]:
        for membership in staff_bodies.filter(body_id=candidate.party.body_id).select_related("user"):
            if can_edit_report(membership.user, candidate):
                edit_report, staff, entries = candidate.pk, membership.user.username, candidate.n
                break
        else:
            continue
        break
    else:
        raise SystemExit("No draft or returned report of coord500's agreements has a bench staff member.")
    meeting = (
        ReviewMeeting.objects.filter(agreement_id=agreement[0]).order_by("pk").values_list("pk", flat=True).first()
    )
    if meeting is None:  # the bench data has no meetings: coord500 plans one, as the meetings page would
        meeting = plan_meeting(
            User.objects.get(username=bench_data.COORDINATOR_500),
            Agreement.objects.get(pk=agreement[0]),
            kind=ReviewMeeting.Kind.YEARLY,
            planned_month=clock.today(),
        ).pk
    hub_unit = (
        AdministrativeUnit.objects.filter(name__contains="Hồ Chí Minh", valid_to__isnull=True)
        .values_list("pk", flat=True)
        .first()
    )
    search = {"q": "thương mại", "status": Agreement.Status.IN_FORCE, "o": "-signed_on"}
    if hub_unit is not None:
        search["province"] = str(hub_unit)
    counts = {
        "agreements": Agreement.objects.count(),
        "agreements coordinated by bench.coord500": mine.count(),
        "commitments": Commitment.objects.count(),
        "reporting periods": ReportingPeriod.objects.count(),
        "reports": ProgressReport.objects.count(),
        "entries": ProgressEntry.objects.count(),
        "entry revisions": EntryRevision.objects.count(),
        "audit entries": AuditEntry.objects.count(),
        "users": User.objects.count(),
    }
    return Picked(
        agreement=agreement[0],
        agreement_commitments=agreement[1],
        period=period,
        report=report,
        edit_report=edit_report,
        edit_report_entries=entries,
        staff=staff,
        meeting=meeting,
        search=search,
        counts=counts,
    )


def pages(picked: Picked) -> list[Page]:
    """Every user's pages, in the order they are measured."""
    from django.urls import reverse

    from demo import bench_data
    from demo import data as demo

    def url(name: str, *args: Any, query: dict[str, str] | None = None) -> str:
        return reverse(name, args=args) + (f"?{urlencode(query)}" if query else "")

    # One province's (coord500's): the admin's export of every delayed commitment (about 25,000 rows) takes
    # longer than gunicorn's timeout on the busy machine.
    province = {"province": picked.search["province"]} if "province" in picked.search else {}
    commitment_filter = {"status": "delayed", "o": "due_on", **province}
    report_filter = {"state": "submitted", "o": "deadline", **province}
    listed: list[Page] = []
    for user in (bench_data.COORDINATOR_500, bench_data.LEADER, bench_data.ADMIN):
        listed += [
            Page(user, "home", url("home")),
            Page(user, "agreements, page 1", url("agreement_list")),
            Page(user, "agreements, filtered + searched + sorted", url("agreement_list", query=picked.search)),
            Page(user, "commitments", url("commitment_list")),
            Page(user, "reports", url("report_list")),
            Page(user, "meetings", url("meeting_list")),
            Page(user, "documents", url("document_list")),
            Page(user, "dashboard (all agreements)", url("dashboard")),
            Page(user, "agreement page", url("agreement_detail", picked.agreement)),
            Page(user, "agreement dashboard", url("agreement_dashboard", picked.agreement)),
            Page(user, "period page", url("period_detail", picked.period)),
            Page(user, "report page", url("report_detail", picked.report)),
        ]
        for fmt in ("xlsx", "csv"):
            listed += [
                Page(user, f"agreements.{fmt}, filtered", url("agreement_export", fmt, query=picked.search), True),
                Page(user, f"commitments.{fmt}, delayed", url("commitment_export", fmt, query=commitment_filter), True),
                Page(user, f"reports.{fmt}, submitted", url("report_export", fmt, query=report_filter), True),
            ]
    listed += [
        Page(picked.staff, "home", url("home")),
        Page(picked.staff, "report form", url("report_edit", picked.edit_report)),
    ]
    admin = demo.ADMIN_USERNAME
    listed.append(Page(admin, "admin index", url("admin:index")))
    for model in (
        "agreements_agreement",
        "agreements_commitment",
        "reporting_progressreport",
        "reporting_progressentry",
        "reporting_entryrevision",
        "core_auditentry",
        "auth_user",
    ):
        listed.append(Page(admin, f"admin {model} list", url(f"admin:{model}_changelist")))
    for model, pk in (
        ("agreements_agreement", picked.agreement),
        ("reporting_progressreport", picked.report),
        ("meetings_reviewmeeting", picked.meeting),
    ):
        listed.append(Page(admin, f"admin {model} change", url(f"admin:{model}_change", pk)))
    return listed


def timed_get(browser: Browser, path: str) -> tuple[float, Response]:
    """The time of a GET (ms) and its answer; no answer (a timeout, gunicorn's worker replaced) is status 0."""
    start = time.perf_counter()
    try:
        response = browser.get(path)
    except OSError as exc:
        print(f"  {path}: no answer ({exc})", file=sys.stderr)
        response = Response(0, http.client.HTTPMessage(), b"")
    return (time.perf_counter() - start) * 1000, response


@dataclass
class Measured:
    times: list[float]  # ms, the page's own requests
    failures: list[int]  # their statuses other than 200
    floor: list[float]  # ms, the floor requests sent between them


def measure(browser: Browser, path: str, requests: int, concurrency: int, floor: Browser, floor_each: int) -> Measured:
    """`requests` GETs of `path`, `concurrency` at a time, each thread sending `floor_each` GETs of the floor
    (with the `floor` browser) right before each of its own.

    Interleaved, the page and the floor are measured in the same moments: measured in blocks before and after
    a page, the floor's p95 was that of 20 requests of 3 ms, one slow second of the machine away from five
    times as much (3.1 to 27 ms among the blocks of one run), and a page's verdict went with it.
    """

    def run(count: int) -> tuple[list[tuple[float, Response]], list[float]]:
        own = replace(browser, cookies=dict(browser.cookies))  # one browser per thread: cookies are not shared
        own_floor = replace(floor, cookies={})
        pages, floors = [], []
        for _ in range(count):
            for _ in range(floor_each):
                ms, response = timed_get(own_floor, FLOOR)
                assert response.status == 200, f"the floor answered {response.status}"
                floors.append(ms)
            pages.append(timed_get(own, path))
        return pages, floors

    shares = [requests // concurrency + (1 if i < requests % concurrency else 0) for i in range(concurrency)]
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        parts = list(pool.map(run, shares))
    done = [pair for pages, _floors in parts for pair in pages]
    return Measured(
        [ms for ms, _ in done], [r.status for _, r in done if r.status != 200], [ms for _, fl in parts for ms in fl]
    )


def figures(times: list[float], concurrency: int) -> Figures:
    """p50, p95, max and the requests per second of the time spent in them (not counting the floor's)."""
    wall = sum(times) / 1000 / concurrency
    return Figures(len(times), percentile(times, 0.5), percentile(times, 0.95), max(times), len(times) / wall)


def run_pages(base: str, listed: list[Page], passwords: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    browsers: dict[str, Browser] = {}
    logins: dict[str, float] = {}
    for user in dict.fromkeys(page.user for page in listed):
        browsers[user] = Browser(base)
        start = time.perf_counter()
        browsers[user].login(user, passwords[user])
        logins[user] = (time.perf_counter() - start) * 1000
    anonymous = Browser(base)

    warm_up = measure(anonymous, FLOOR, args.requests, args.concurrency, anonymous, 0)  # gunicorn's warm-up
    assert not warm_up.failures, f"the floor answered {warm_up.failures}"
    results: list[Result] = []
    floors: list[list[float]] = []
    for number, page in enumerate(listed, 1):
        browser = browsers[page.user]
        _ms, warm = timed_get(browser, page.path)
        result = Result(page, warm.status, len(warm.body))
        if warm.status == 200:
            count = args.download_requests if page.download else args.requests
            measured = measure(browser, page.path, count, args.concurrency, anonymous, args.floor_each)
            result.figures, result.failures = figures(measured.times, args.concurrency), measured.failures
            if measured.floor:
                result.floor_p95 = percentile(measured.floor, 0.95)
                floors.append(measured.floor)
        elif warm.status in (301, 302):
            print(f"  {page.path} redirects to {warm.location}", file=sys.stderr)
        results.append(result)
        shown = f"p95 {result.figures.p95:.0f} ms" if result.figures else f"FAILED {result.status}"
        print(f"[{number}/{len(listed)}] {page.user} {page.name}: {shown}", file=sys.stderr, flush=True)
    every_floor = [ms for block in floors for ms in block] or warm_up.times
    return {
        "results": results,
        "floor": figures(every_floor, args.concurrency),
        "floor_p95_blocks": (
            min((percentile(block, 0.95) for block in floors), default=0.0),
            max((percentile(block, 0.95) for block in floors), default=0.0),
        ),
        "logins_ms": logins,
    }


def row(result: Result) -> str:
    page, f = result.page, result.figures
    if f is None:
        return (
            f"| {page.user} | {page.name} | `{page.path}` | **{result.status}** | – | – | – | – | – | – | – | failed |"
        )
    if result.failures:
        verdict = f"failed: {len(result.failures)} × {sorted(set(result.failures))}"
    elif page.download:
        verdict = "download"
    else:
        verdict = "**misses**" if result.misses else "ok"
    return (
        f"| {page.user} | {page.name} | `{page.path}` | {result.status} | {f.count} | {f.p50:.0f} | {f.p95:.0f} "
        f"| {f.max:.0f} | {f.per_second:.1f} | {result.bytes:,} | {result.ratio:.1f}x | {verdict} |"
    )


def markdown(summary: dict[str, Any]) -> str:
    results: list[Result] = summary["results"]
    floor: Figures = summary["floor"]
    low, high = summary["floor_p95_blocks"]
    head = (
        "| user | page | path | status | n | p50 ms | p95 ms | max ms | req/s | bytes | p95 / floor | target |\n"
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    )
    lines = [
        f"Measured {summary['started']} to {summary['finished']} on {summary['machine']}; load average "
        f"before {summary['load_before']}, after {summary['load_after']}.",
        f"gunicorn {summary['gunicorn']} (DEBUG off), {summary['requests']} requests per page "
        f"({summary['download_requests']} per download) after one warm-up, concurrency {summary['concurrency']}.",
        f"Floor (GET {FLOOR}, {summary['floor_each']} before each timed request of a page, {floor.count} in all): "
        f"p50 {floor.p50:.1f} ms, p95 {floor.p95:.1f} ms, max {floor.max:.1f} ms; its p95 among a page's requests "
        f"ranged {low:.1f} to {high:.1f} ms. A page's ratio is to the floor measured between its own requests.",
        "",
        "Pages (target: p95 under 150 ms and under 15x the floor):",
        "",
        head,
        *(row(r) for r in results if not r.page.download),
        "",
    ]
    if any(r.page.download for r in results):
        lines += [
            "Downloads (exports of a filtered list; no target):",
            "",
            head,
            *(row(r) for r in results if r.page.download),
            "",
        ]
    missing = [r for r in results if r.misses and not r.page.download]
    failed = [r for r in results if r.failed]
    lines.append(
        f"{len(missing)} of {sum(not r.page.download for r in results)} pages miss the target"
        + (": " + "; ".join(f"{r.page.user} {r.page.name} ({r.figures.p95:.0f} ms)" for r in missing if r.figures))
        + "."
        if missing
        else "Every page meets the target."
    )
    if failed:
        lines.append("Failed: " + "; ".join(f"{r.page.user} {r.page.name} ({r.status})" for r in failed) + ".")
    return "\n".join(lines) + "\n"


def profile(listed: list[Page], top: int, explain: bool = False) -> None:
    """Where the time of each listed page goes, in this process (DEBUG on) through Django's test client:
    its queries (count, time, the slowest, with `explain` their plans) and the functions that cost most (cProfile)."""
    import cProfile
    import io
    import pstats

    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    clients: dict[str, Client] = {}
    for page in listed:
        if page.user not in clients:
            clients[page.user] = Client()
            clients[page.user].force_login(User.objects.get(username=page.user))
        client = clients[page.user]
        client.get(page.path)  # warm: templates, translations, the user's roles
        profiler = cProfile.Profile()
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            profiler.enable()
            response = client.get(page.path)
            if response.streaming:  # a CSV export is written while it is sent
                b"".join(response.streaming_content)
            profiler.disable()
            elapsed = (time.perf_counter() - start) * 1000
        query_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        print(
            f"\n## {page.user} {page.name} {page.path}: {response.status_code}, {elapsed:.0f} ms, "
            f"{len(queries)} queries in {query_ms:.0f} ms"
        )
        for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:top]:
            print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:600]}")
            if explain and query["sql"].startswith("SELECT"):  # EXPLAIN ANALYZE runs it: reads only
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                    print("\n".join(f"      {line}" for (line,) in cursor.fetchall()))
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream).sort_stats("cumulative")
        rendering = sum(
            row[3]
            for (path, _line, name), row in stats.stats.items()
            if name == "render" and path.endswith("django/template/backends/django.py")
        )
        print(f"  templates (their lazy queries included): {rendering * 1000:.0f} ms")
        apps = "(agreements|reporting|meetings|notifications|core|coopportal|templates)"
        stats.print_stats(re.escape(str(ROOT)) + f"/{apps}/", top * 3)
        stats.sort_stats("tottime").print_stats(top * 2)  # where the time is spent, Django's code included
        print("\n".join(line for line in stream.getvalue().splitlines() if line.strip()[:1].isdigit()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page, after one warm-up")
    parser.add_argument("--download-requests", type=int, default=None, help="per download (default: --requests)")
    parser.add_argument(
        "--floor-each", type=int, default=3, help="GETs of /healthz right before each timed request of a page"
    )
    parser.add_argument("--concurrency", type=int, default=1, help="requests at a time")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--only", default="", help="only the pages whose user or name contains this")
    parser.add_argument("--markdown", type=Path, help="write the Markdown table to this file")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench-pages")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="no gunicorn: where the time of the --only pages goes (queries, cProfile)",
    )
    parser.add_argument("--top", type=int, default=8, help="with --profile: the slowest queries shown per page")
    parser.add_argument("--explain", action="store_true", help="with --profile: EXPLAIN ANALYZE the slowest queries")
    args = parser.parse_args()
    if args.floor_each < 1:
        parser.error("--floor-each: at least one floor request before each of a page's, or no ratio can be given")
    if args.download_requests is None:
        args.download_requests = args.requests

    database_url = os.environ["DATABASE_URL"]
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    picked = pick()
    listed = [p for p in pages(picked) if args.only in f"{p.user} {p.name}"]
    print(json.dumps(asdict(picked), ensure_ascii=False), file=sys.stderr)
    if args.profile:
        profile(listed, args.top, args.explain)
        return 0

    from demo import bench_data
    from demo import data as demo

    passwords = {user: bench_data.BENCH_PASSWORD for user in {p.user for p in listed}}
    passwords[demo.ADMIN_USERNAME] = demo.DEMO_PASSWORD
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    env = production_env(database_url, redis_url, out)
    subprocess.run(
        [str(VENV / "python"), "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = gunicorn_command(port, args.workers)
    load_before = os.getloadavg()
    started = datetime.datetime.now().astimezone()
    with (out / "gunicorn.log").open("wb") as log:
        web = start_gunicorn(command, env, log, base)
        try:
            summary = run_pages(base, listed, passwords, args)
        finally:
            stop_gunicorn(web)
    load_after = os.getloadavg()
    summary |= {
        "started": f"{started:%Y-%m-%d %H:%M}",
        "finished": f"{datetime.datetime.now().astimezone():%H:%M}",
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        "load_before": " ".join(f"{x:.2f}" for x in load_before),
        "load_after": " ".join(f"{x:.2f}" for x in load_after),
        "gunicorn": " ".join(command[1:]).replace(str(ROOT) + "/", ""),
        "requests": args.requests,
        "download_requests": args.download_requests,
        "concurrency": args.concurrency,
        "floor_each": args.floor_each,
    }
    table = markdown(summary)
    print(table)
    if args.markdown:
        args.markdown.write_text(table)
    record = summary | {
        "picked": asdict(picked),
        "results": [asdict(r) | {"ratio": r.ratio, "misses": r.misses} for r in summary["results"]],
        "floor": asdict(summary["floor"]),
    }
    (out / "pages.json").write_text(json.dumps(record, indent=2, ensure_ascii=False))
    return 1 if any(r.failed for r in summary["results"]) else 0


if __name__ == "__main__":
    sys.exit(main())
