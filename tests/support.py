"""Shared set-up of the tests: the frozen day, the demo, reports filled in and approved through the workflow.

Everything goes through reporting.workflow (staff save and submit, the coordinator approves), as
a department would do it; the texts are Vietnamese with every kind of diacritic.  Test files
import their helpers from here, never from each other.
"""

from __future__ import annotations

import datetime
import io
import os
import shutil
import subprocess
import unicodedata
import zoneinfo
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter

from agreements.models import Agreement, Commitment
from reporting import workflow as services
from reporting.models import ProgressReport, ReportingPeriod

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
# The real documents the demo is written from sit beside the project in CI, not in a user's clone.
SEEDS = ROOT.parent / "shared" / "seeds"
needs_seeds = pytest.mark.skipif(
    not SEEDS.is_dir(),
    reason=f"{SEEDS} is absent (a clone with nothing beside it); the comparison with the source text runs in CI",
)

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
# The day every test lives on (conftest freezes the clock here): mid-morning in Hồ Chí Minh City, in
# the second half of 2026, so the demo programme has periods in every state up to this one.
FROZEN_AT = datetime.datetime(2026, 11, 22, 10, 0, tzinfo=VN)
# The days on either side of Decree 09's cut-offs and of the year, where date rules break first.
BOUNDARY_DAYS = [
    datetime.datetime(2026, 6, 14, 23, 59, tzinfo=VN),
    datetime.datetime(2026, 6, 15, 0, 1, tzinfo=VN),
    datetime.datetime(2026, 12, 31, 23, 59, tzinfo=VN),
    datetime.datetime(2027, 1, 1, 0, 1, tzinfo=VN),
]

# Party body name -> (staff, coordinator) usernames of the demo.
ACTORS = {
    "Sở Công Thương tỉnh Long An": ("la.staff", "la.coord"),
    "Sở Công Thương tỉnh Tây Ninh": ("tn.staff", "tn.coord"),
    "Sở Công Thương tỉnh Tiền Giang": ("tg.staff", "tg.coord"),
}
STATUSES = [
    (Commitment.Status.ON_TRACK, 60),
    (Commitment.Status.DONE, 100),
    (Commitment.Status.AT_RISK, 35),
    (Commitment.Status.DELAYED, 10),
]
RESULTS = (
    "Đã phối hợp tổ chức 03 phiên kết nối cung - cầu, thu hút 146 doanh nghiệp tham gia; ký kết 27 biên bản "
    "ghi nhớ tiêu thụ thanh long, chanh không hạt và gạo hữu cơ với hệ thống Saigon Co.op, Bách Hóa Xanh."
)
DIFFICULTIES = "Kinh phí xúc tiến thương mại còn hạn chế; việc chia sẻ dữ liệu giữa các tỉnh chưa đồng bộ."
PROPOSALS = "Đề nghị các bên thống nhất mẫu biểu dữ liệu thị trường dùng chung, cập nhật định kỳ hằng tháng."
ASSESSMENT = "Nhìn chung, các nội dung hợp tác được triển khai đúng kế hoạch, bảo đảm tiến độ đề ra."
SHORTCOMINGS = "Một số nhiệm vụ còn chậm so với tiến độ do thủ tục đầu tư hạ tầng kéo dài."
NEXT_TASKS = "Tiếp tục đẩy mạnh kết nối giao thương; hoàn thiện cơ sở dữ liệu thương mại điện tử liên vùng."


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def load_demo() -> None:
    # The test run has DEBUG off, as a server has: --force, and its warning is not news.
    with open(os.devnull, "w") as devnull:
        call_command("load_demo", force=True, stdout=devnull, stderr=devnull)


def ensure_demo() -> None:
    if not Agreement.objects.exists():  # a transactional test flushed the database
        from tests import snapshot

        if not snapshot.restore():
            load_demo()


def track(agreement: Agreement) -> Agreement:
    """Track an agreement the demo keeps as history (entered after the fact), as an admin would: clear its
    "tracked from" date and open its periods up to today. Tests of the 2011 agreement's reports start here."""
    from core import clock

    if agreement.tracked_from is not None:
        agreement.tracked_from = None
        agreement.save(update_fields=["tracked_from"])
        services.open_reporting_periods(agreement, clock.today())
    return agreement


def track_history() -> None:
    """Track the demo's 2011 agreement and 2021 plan (both history in the demo) in this test."""
    for agreement in Agreement.objects.filter(tracked_from__isnull=False):
        track(agreement)


def programme() -> Agreement:
    return Agreement.objects.get(kind=Agreement.Kind.PROGRAMME)


def periods_of(year: int) -> list[ReportingPeriod]:
    return list(programme().reporting_periods.filter(year=year).order_by("start"))


def fill_report(users: dict[str, Any], report: ProgressReport, results: str = RESULTS) -> ProgressReport:
    """Staff write every entry and the report's texts, as the edit page would."""
    staff = users[ACTORS[report.party.body.name][0]]
    for index, entry in enumerate(report.entries.select_related("commitment").order_by("commitment__order")):
        status, percent = STATUSES[index % len(STATUSES)]
        values: dict[str, Any] = {
            "status": status,
            "percent_complete": percent,
            "results": f"{results} (cam kết {entry.commitment.order})",
            "difficulties": DIFFICULTIES if index % 2 == 0 else "",
            "proposals": PROPOSALS if index % 2 == 1 else "",
        }
        if entry.commitment.target is not None:
            values["actual_value"] = entry.commitment.target * Decimal(percent) / 100
        services.save_entry(staff, entry, values, entry.version)
    report.refresh_from_db()
    values = {"overall_assessment": ASSESSMENT, "shortcomings": SHORTCOMINGS, "next_period_tasks": NEXT_TASKS}
    return services.save_report_fields(staff, report, values, report.version)


def approve(users: dict[str, Any], report: ProgressReport) -> ProgressReport:
    staff, coordinator = (users[name] for name in ACTORS[report.party.body.name])
    services.submit_report(staff, report)
    return services.approve_report(coordinator, report)


def fill_and_approve_period(users: dict[str, Any], period: ReportingPeriod) -> list[ProgressReport]:
    reports = list(period.reports.select_related("party__body", "party__agreement").order_by("party__order"))
    return [approve(users, fill_report(users, report)) for report in reports]


def la_report_of(period: ReportingPeriod) -> ProgressReport:
    return period.reports.get(party__body__name="Sở Công Thương tỉnh Long An")


def violates(fn: Any) -> bool:
    """Whether fn() breaks a database constraint (it runs in a savepoint that is rolled back)."""
    try:
        with transaction.atomic():
            fn()
    except IntegrityError:
        return True
    return False


# --- the edit page as a browser posts it ---------------------------------------------------------


def form_data(client: Client, url: str) -> dict[str, str]:
    """Every field of the edit form as the browser would post it untouched."""
    response = client.get(url)
    assert response.status_code == 200
    data: dict[str, str] = {}
    for form in [response.context["report_form"], *[row["form"] for row in response.context["rows"]]]:
        for field in form:
            if field.name == "evidence":
                continue
            value = field.value()
            data[field.html_name] = "" if value is None else str(value)
            if field.field.show_hidden_initial:
                initial = form.get_initial_for_field(field.field, field.name)
                data[field.html_initial_name] = "" if initial is None else str(initial)
    return data


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    """A real one-page PDF: evidence PDFs are read through (core.uploads.refuse_active_pdf), a fake is refused."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def post_with_file(client: Client, report: ProgressReport, upload: Any, **changes: Any) -> tuple[Any, Any]:
    """The edit form posted untouched but for an evidence file on the first entry (and `changes`)."""
    url = reverse("report_edit", args=[report.pk])
    data = form_data(client, url)
    entry = report.entries.order_by("commitment__item__number").first()
    data[f"e{entry.pk}-evidence"] = upload
    data.update(changes)
    return client.post(url, data), entry


# --- reading PDFs with poppler-utils ------------------------------------------------------------


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def pdftotext(pdf: Path, *options: str) -> str:
    return run("pdftotext", "-enc", "UTF-8", *options, str(pdf), "-")


def pdfinfo(pdf: Path) -> dict[str, str]:
    info = {}
    for line in run("pdfinfo", str(pdf)).splitlines():
        key, _sep, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info


def pdffonts(pdf: Path) -> list[dict[str, str]]:
    lines = run("pdffonts", str(pdf)).splitlines()[2:]
    fonts = []
    for line in lines:
        parts = line.split()
        # name type... encoding emb sub uni object ID: the last five columns are fixed
        fonts.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return fonts


def page1_png(pdf: Path, target: Path, resolution: int = 110) -> Path:
    """Page 1 as PNG (pdftoppm), for a person to look at."""
    stem = target.with_suffix("")
    run("pdftoppm", "-png", "-r", str(resolution), "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem))
    produced = stem.with_suffix(".png")
    if produced != target:
        shutil.move(produced, target)
    return target


# --- geometry of the page (Decree 30/2020: A4, margins top/bottom 20 mm, left 30 mm, right 15 mm) --------

MM = 72 / 25.4
A4 = (595.276, 841.89)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 20 * MM, 20 * MM, 30 * MM, 15 * MM
TOLERANCE = 0.6  # points: rounding in pdftotext's boxes


def words_by_page(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Every word with its box (xMin, yMin, xMax, yMax in points from the top left), page by page."""
    import html
    import re

    out = run("pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-")
    pages = []
    for page in re.findall(r"<page [^>]*>(.*?)</page>", out, flags=re.S):
        words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page)
        pages.append([(float(a), float(b), float(c), float(d), html.unescape(w)) for a, b, c, d, w in words])
    return pages


def content_text(pdf: Path) -> str:
    """The words inside the margins (page numbers left out) in reading order, NFC, whitespace collapsed.

    Built from pdftotext's word boxes, so a line that ends in "cung -" is not de-hyphenated.
    """
    words = [w[4] for page in words_by_page(pdf) for w in page if w[3] > MARGIN_TOP]
    return nfc(" ".join(words))


def pdf_text(response: Any, tmp_path: Path, name: str = "doc.pdf") -> str:
    """The content text of a PDF download (written to tmp_path/name), after checking it is a PDF."""
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / name
    path.write_bytes(b"".join(response.streaming_content) if response.streaming else response.content)
    assert path.read_bytes()[:5] == b"%PDF-"
    return content_text(path)


def pdf_text_bytes(data: bytes, tmp_path: Path, name: str = "bytes.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    assert data[:5] == b"%PDF-"
    return content_text(path)


def signer_of(document: Any, username: str | None = None) -> Any:
    """The membership that signs `document`: `username`'s, or the first offered (the head)."""
    from reporting.documents import services as documents

    return next(m for m in documents.signers(document) if username is None or m.user.get_username() == username)


def issue_via_page(client: Client, document: Any, signer: str | None = None, **extra: str) -> Any:
    """POST the issue form (cấp số) of a document as the logged-in user: the signer chosen, confirmed."""
    return client.post(document.issue_url(), {"signer": signer_of(document, signer).pk, "confirm": "1", **extra})


def issue_now(users: dict[str, Any], username: str, document: Any, signer: str | None = None) -> Any:
    """Issue a document through the service, as `username`, signed by `signer` (default: the head)."""
    from reporting.documents import services as documents

    return documents.issue(users[username], document, signer_of(document, signer))


def login(page: Any, base: str, username: str) -> None:
    """Sign in through the login page of a live server, as a person would (browser tests)."""
    from playwright.sync_api import expect

    from demo.data import DEMO_PASSWORD

    # Leave the page first: a request its scripts still have in flight (the documents panel loads after the
    # page) would otherwise come back without cookies after they are cleared, with a new CSRF cookie that
    # no longer matches the login form's token.
    page.goto("about:blank")
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    expect(page.locator(".who")).to_be_visible()


# --- figures typed and shown the Vietnamese way; submitting what was really written ----------------

RETAIL = "Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ"  # target 101.000 tỉ đồng (Long An's 2021 plan)


def plan_report(index: int = 2) -> ProgressReport:
    """Long An's report of the 2021 plan, whose commitments carry indicators (101.000 tỉ đồng, 6,6 tỉ USD, 11,5 %).

    The demo keeps the plan as history; the test tracks it first.
    """
    track(Agreement.objects.get(kind=Agreement.Kind.PLAN))
    return ProgressReport.objects.get(
        party__body__name="Sở Công Thương tỉnh Long An", period__agreement__kind="plan", period__index=index
    )


def switch_language(client: Client, language: str) -> None:
    """The VI/EN switch of the top bar: a POST to /i18n/setlang/, as the page sends it."""
    assert client.post(reverse("set_language"), {"language": language, "next": "/"}).status_code == 302


def party_without_commitments(users: dict[str, Any], agreement: Agreement, username: str = "tg.staff") -> Any:
    """`username`'s department added as a further party of `agreement`: it leads none of its commitments."""
    from agreements.models import Party

    body = users[username].memberships.get(role="staff").body
    return Party.objects.create(agreement=agreement, body=body, order=agreement.parties.count() + 1)


# --- notifications, recorded as a workflow event records them ----------------------------------------


def notify_user(
    user: Any, count: int = 1, *, report: ProgressReport | None = None, kind: str = "report_submitted", stage: str = "t"
) -> list[Any]:
    """`count` notifications of `user` about `report` (Long An's first 2026 report of the programme by
    default), through notifications.services.notify, a minute apart: returned newest first."""
    from core import clock
    from notifications import services as notifications
    from notifications.models import Notification

    report = report or la_report_of(periods_of(2026)[0])
    ids: list[int] = []
    for index in range(count):
        ids += notifications.notify(
            kind,
            [user.pk],
            target=f"report:{report.pk}",
            stage=f"{stage}:{index}",
            agreement_id=report.period.agreement_id,
            url=reverse("report_detail", args=[report.pk]),
            report_id=report.pk,
            due_on=report.period.deadline,
            params={"actor": "Chuyên viên Long An", "comment": ""},
        )
    now = clock.now()
    for age, pk in enumerate(reversed(ids), start=1):
        Notification.objects.filter(pk=pk).update(created_at=now - datetime.timedelta(minutes=age))
    return list(Notification.objects.filter(pk__in=ids).order_by("-created_at"))


# --- a long agreement: the pages of items (issue 11) --------------------------------------------------


def long_agreement(items: int, per_item: int = 17) -> ReportingPeriod:
    """A copy of the demo's 2011 agreement (the same two departments, the same offices) with `items` items of
    `per_item` commitments each, led in turn by its parties, built with bulk_create, and one period of it: Long
    An's report a draft with an entry for each of its commitments, Tây Ninh's submitted (Long An's coordinator
    reads it), a quarter of its entries on track."""
    from agreements.models import CooperationItem, Party

    source = Agreement.objects.filter(signed_on="2011-10-14").order_by("pk")[0]  # the demo's, not an earlier copy
    agreement = Agreement.objects.create(
        kind=source.kind,
        title=f"Thỏa thuận thử {items} nội dung hợp tác giữa Sở Công Thương Long An và Tây Ninh",
        signed_on=source.signed_on,
        period_start=source.period_start,
        period_end=source.period_end,
        status=source.status,
    )
    parties = [
        Party.objects.create(
            agreement=agreement, body_id=p.body_id, order=p.order, coordinating_office_id=p.coordinating_office_id
        )
        for p in source.parties.order_by("order")
    ]
    rows = CooperationItem.objects.bulk_create(
        CooperationItem(agreement=agreement, number=n, text=f"Nội dung hợp tác số {n}: phối hợp xúc tiến thương mại.")
        for n in range(1, items + 1)
    )
    Commitment.objects.bulk_create(
        Commitment(
            item=item,
            responsible_party=parties[k % len(parties)],
            order=k + 1,
            description=f"Cam kết {item.number}.{k + 1}: tổ chức hội nghị kết nối giao thương.",
        )
        for item in rows
        for k in range(per_item)
    )
    period = ReportingPeriod.objects.create(
        agreement=agreement,
        cadence_months=6,
        year=2011,
        index=2,
        start=datetime.date(2011, 6, 15),
        end=datetime.date(2011, 12, 14),
        deadline=datetime.date(2011, 12, 24),
    )
    for party in parties:
        services.sync_entries(ProgressReport.objects.create(party=party, period=period))
    submitted = period.reports.get(party=parties[1])
    on_track = list(submitted.entries.order_by("pk").values_list("pk", flat=True)[::4])
    submitted.entries.filter(pk__in=on_track).update(status=Commitment.Status.ON_TRACK, percent_complete=50)
    ProgressReport.objects.filter(pk=submitted.pk).update(
        state=ProgressReport.State.SUBMITTED, submitted_at=datetime.datetime(2011, 12, 20, 9, 0, tzinfo=VN)
    )
    return period
