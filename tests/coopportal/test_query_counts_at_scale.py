"""Every page makes the same number of SQL queries however much data there is (issue 11, "Fast at the scale of
a country"), and the big tables' default orderings are read from an index.

The benchmark data set (demo/bench_data.py) is generated twice, at two small scales, each in a transaction
rolled back afterwards: at SMALL bench.coord500 coordinates 2 agreements, at LARGE 10, and the whole set is
five times larger (agreements, items, commitments, reports, entries, users).  What the generator does not
write is added beside it, a fixed number per agreement, report or entry (`complement`): a review meeting with
attendance and decisions, issued documents, the audit trail, entry revisions, evidence and the day's reminders.

At each scale every page is opened by a coordinator, a leader and a staff member of ONE agreement and by those
of MANY (bench.coord500, bench.leader, the staff of their department), and by a site admin (bench.admin);
Django's admin by the superuser.  A page that names an object gets the user's biggest agreement of one shape
(`_candidates`: the branches a page takes depend on an agreement's history, not on its size), its latest
period, the user's own report there (for the staff, one they may edit).  The queries of each request are
counted (a streamed export read to its end) and must be the same at both scales.  Two things make a query per
row show even where both scales fill a page: every list is paged by 3 rows at SMALL and by 12 at LARGE
(django.core.paginator.Paginator), and an export is read in one chunk (it streams 500 or 2,000 rows at a time,
each chunk with its own prefetch queries: that is by design, and would hide nothing else).

Which pages: every GET route of the permission walk's RULES (whose own test keeps it equal to the URL conf),
any route of the URL conf RULES does not know yet, and the admin's lists and change forms of the big tables;
a visitor RULES refuses a page to (la.* stand for the visitors of each role) does not ask for it, and a
refusal met anyway is left to the walk.  A GET route no visitor is measured on says why in EXCUSED.  The
table of every count is written to test-artifacts/query-counts-at-scale.txt.  A page whose count still grows with
the data is in KNOWN_GROWTH with the reason, until it is fixed (then the test says to take it out).
"""

from __future__ import annotations

import datetime
import itertools
import re
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import partialmethod
from pathlib import Path
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.db import connection, models, reset_queries, transaction
from django.db.models import Count, QuerySet
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.access import members_with_role, parties_of, visible_agreements
from agreements.merger import MERGER_DATE
from agreements.models import Agreement, Body, Commitment, CooperationItem, Membership, Party, Role, prefetch_chains
from core import clock
from core.audit import audit_bulk, audit_entry
from core.models import AuditEntry
from demo import bench_data
from meetings.models import MeetingAttendance, MeetingDecision, ReviewMeeting
from notifications import services as notifications
from notifications.models import Digest, Kind, Notification
from reporting import workflow
from reporting.documents import kinds
from reporting.models import (
    EntryRevision,
    Evidence,
    OfficialDocument,
    ProgressEntry,
    ProgressReport,
    ReportingPeriod,
    ReportTransition,
)

# The walk owns the list of routes and who may open them: read from it, so that a new route is not forgotten here.
from tests.reporting.test_permission_walk import PARTY_ROLES, RULES, app_routes
from tests.support import ARTIFACTS, ensure_demo

# The module's fixture writes through django_db_blocker; the marker has pytest-django create the test database.
pytestmark = [pytest.mark.django_db, pytest.mark.no_cover]  # tests/conftest.py: _untraced

SMALL, LARGE = 0.04, 0.2  # bench.coord500 coordinates 2 agreements, then 10; everything else five times more
SMALL_PAGE, LARGE_PAGE = 3, 12  # rows of every list at each scale
ONE_CHUNK = 1_000_000
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
ADMIN = "admin"
SUPERUSER = "superuser"

# GET routes no visitor is measured on, and why.
EXCUSED: dict[str, str] = {
    "agreement_parties": "a draft's parties (agreements/edit_views.py): a signed agreement, as every one the bench "
    "data gives its coordinators, is answered with a redirect to its page",
    "agreement_items": "a draft's items (agreements/edit_views.py): the same redirect for a signed agreement",
    "agreement_signed_document": "the scan of a signed agreement (a file, read with the agreement: two queries); "
    "the bench data has no scans, so every visitor is answered 404 (tests/agreements/test_signed_document_download)",
}
# Opening it is reading it: the answer is a redirect, and that is what is measured.
REDIRECTS = {"notification_open"}
# What a route's address carries besides its parameters.
QUERY: dict[str, str] = {
    # The document as HTML, what the PDF is drawn from, without WeasyPrint (the draft of a big agreement would
    # otherwise go to the worker at one scale and be drawn in the request at the other).
    "document_report_pdf": "?format=html",
    "document_consolidated_pdf": "?format=html",
    "document_review_pdf": "?format=html",
    "body_search": "?q=cong%20thuong",
}
# (page, who) -> why its count still grows with the data.  Each must still grow: once fixed, take it out.
KNOWN_GROWTH: dict[tuple[str, str], str] = {}
# The admin's pages: the big tables' lists, and their change forms on the rows of the admin's agreement.
ADMIN_LISTS: tuple[type[models.Model], ...] = (
    Agreement,
    Party,
    Commitment,
    ReportingPeriod,
    ProgressReport,
    ProgressEntry,
    EntryRevision,
    Evidence,
    OfficialDocument,
    ReviewMeeting,
    MeetingDecision,
    Notification,
    AuditEntry,
    User,
    Membership,
)
ADMIN_FORMS: tuple[type[models.Model], ...] = (
    Agreement,
    Party,
    Commitment,
    ReportingPeriod,
    ProgressReport,
    ProgressEntry,
    EntryRevision,
    ReviewMeeting,
    MeetingDecision,
    OfficialDocument,
)


# --- what the generator does not write ------------------------------------------------------------------


def complement(today: datetime.date) -> None:
    """Meetings, documents, the audit trail, revisions, evidence and reminders of the bench agreements, a fixed
    number per agreement, report or entry, so that their pages grow with the data as the rest does."""
    agreements = list(
        bench_data.bench_agreements().filter(signed_on__isnull=False).prefetch_related("parties").order_by("pk")
    )
    by_id = {agreement.pk: agreement for agreement in agreements}
    meetings = ReviewMeeting.objects.bulk_create(
        ReviewMeeting(
            agreement=agreement,
            kind=ReviewMeeting.Kind.YEARLY,
            held_on=max(agreement.signed_on, today - datetime.timedelta(days=30)),
            place="Hội trường Ủy ban nhân dân tỉnh",
            host_party=agreement.parties.all()[0],
            minutes="Các bên thống nhất đánh giá kết quả thực hiện năm.",
        )
        for agreement in agreements
        if agreement.signed_on is not None
    )
    MeetingAttendance.objects.bulk_create(
        MeetingAttendance(meeting=meeting, party=party, attendees="Lãnh đạo Sở; Phòng Kế hoạch - Tài chính")
        for meeting in meetings
        for party in by_id[meeting.agreement_id].parties.all()
    )
    MeetingDecision.objects.bulk_create(
        MeetingDecision(
            meeting=meeting,
            number=number,
            text=f"Kết luận số {number}: tiếp tục phối hợp tổ chức hội nghị xúc tiến.",
            responsible_party=by_id[meeting.agreement_id].parties.all()[0],
            due_on=today + datetime.timedelta(days=90),
        )
        for meeting in meetings
        for number in (1, 2)
    )
    reports = list(
        ProgressReport.objects.filter(period__agreement__in=agreements).select_related("party__body", "period")
    )
    numbers = itertools.count(1)
    OfficialDocument.objects.bulk_create(
        OfficialDocument(
            key=f"report:{report.pk}",
            kind=OfficialDocument.Kind.PARTY_REPORT,
            agreement_id=report.party.agreement_id,
            issuing_party=report.party,
            report=report,
            period=report.period,
            number=next(numbers),
            number_year=today.year,
            issued_on=today,
            issuing_body=report.party.body,
            signer_name="Nguyễn Văn An",
            signer_title="Giám đốc",
            state=OfficialDocument.State.READY,
            fingerprint="bench",
            file=f"documents/{report.party.agreement_id}/bao-cao-{report.pk}.pdf",
            size=len(PDF),
            requested_at=clock.now(),
        )
        for report in reports
        if report.state == ProgressReport.State.APPROVED
    )
    entries = list(
        ProgressEntry.objects.filter(report__in=reports)
        .select_related("report__party__body", "report__period", "commitment")
        .order_by("report_id", "pk")
    )
    staff = dict(
        Membership.objects.filter(role=Role.STAFF, user__username__startswith=bench_data.USER_PREFIX)
        .order_by("-user__username")
        .values_list("body_id", "user_id")
    )
    anyone = User.objects.get(username=bench_data.ADMIN).pk
    sent = [entry for entry in entries if entry.report.state != ProgressReport.State.DRAFT]
    EntryRevision.objects.bulk_create(
        EntryRevision(
            entry=entry,
            version=entry.version,
            actor_id=staff.get(entry.report.party.body_id, anyone),
            changes={"status": ["not_started", entry.status], "percent_complete": [0, entry.percent_complete]},
        )
        for entry in sent
    )
    first = {entry.report_id: entry.pk for entry in reversed(entries)}  # every report has a file
    Evidence.objects.bulk_create(
        Evidence(
            entry=entry,
            file=f"evidence/bench-{entry.pk}.pdf",
            original_name=f"bien-ban-{entry.pk}.pdf",
            content_type="application/pdf",
            size=len(PDF),
        )
        for index, entry in enumerate(entries)
        if index % 3 == 0 or first[entry.report_id] == entry.pk
    )
    # Every agreement's history tells of its reports and their entries (some private to some readers).
    audit_bulk(
        [
            *(audit_entry(None, "report.saved", r, agreement_id=r.party.agreement_id) for r in reports),
            *(audit_entry(None, "entry.saved", e, agreement_id=e.report.party.agreement_id) for e in entries[::2]),
        ]
    )
    notifications.run_daily(today, send=False)


# --- who opens the pages, on which objects ---------------------------------------------------------------


@dataclass
class Visitor:
    who: str
    user: User
    values: dict[str, int | str] = field(default_factory=dict)  # route parameter -> value


def _candidates(user: User, role: str) -> QuerySet[Agreement]:
    """The user's agreements of one shape, so that a page takes the same branches at both scales: in force,
    signed before the 2025 merger (its parties have handed over to today's bodies: the names of then and now at
    work), with the generator's four periods (the first year has two) and no predecessor.  The admin gets the
    busiest coordinator's: their party comes first, and the first party issues the admin's documents."""
    if role == Role.ADMIN:
        user = User.objects.get(username=bench_data.COORDINATOR_500)
    return (
        visible_agreements(user)
        .filter(
            number__startswith=bench_data.AGREEMENT_PREFIX,
            status=Agreement.Status.IN_FORCE,
            signed_on__lt=MERGER_DATE,
            predecessor__isnull=True,
        )
        .annotate(periods=Count("reporting_periods", distinct=True))
        .filter(periods=bench_data.REPORTED_PERIODS)
        .distinct()
    )


def _of_one(role: str) -> User:
    """The first bench user with `role` in one agreement of the shape, in a body of today that succeeded
    another (as bench.coord500's: their roles are read through the same generations of the chain)."""
    users = User.objects.filter(
        username__startswith=bench_data.USER_PREFIX,
        memberships__role=role,
        memberships__body__valid_to__isnull=True,
        memberships__body__predecessors__isnull=False,
    )
    for user in users.distinct().order_by("username"):
        if visible_agreements(user).count() == 1 and _candidates(user, role).exists():
            return user
    raise AssertionError(f"no bench user with the role {role} takes part in exactly one agreement of the shape")


def _sent_back(report: ProgressReport) -> ProgressReport:
    """The report back in its staff's hands, as its coordinator would send it back."""
    coordinator = members_with_role(report.party.coordinating_office or report.party.body, Role.COORDINATOR)[0]
    if report.state == ProgressReport.State.SUBMITTED:
        return workflow.return_report(coordinator, report, "Đề nghị bổ sung số liệu.")
    return workflow.reopen_report(coordinator, report, "Bổ sung số liệu theo ý kiến của các bên.")


def _values(user: User, role: str) -> dict[str, int | str]:
    """The route parameters for `user`: their biggest agreement, its latest period, their report there."""
    agreement = _candidates(user, role).annotate(size=Count("items__commitments", distinct=True))
    chosen = agreement.order_by("-size", "pk").first()
    assert chosen is not None, user
    mine = chosen.parties.order_by("order")[:1] if role == Role.ADMIN else parties_of(user).filter(agreement=chosen)
    reports = ProgressReport.objects.filter(party__in=mine, period__start__lte=clock.today())
    if role == Role.STAFF:
        reports = reports.filter(state__in=ProgressReport.EDITABLE_STATES) or reports
    report = reports.order_by("-period__start", "party__order").first()
    assert report is not None, (user, chosen)
    if role == Role.STAFF and not report.is_editable:
        report = _sent_back(report)
    meeting = chosen.meetings.get()
    values: dict[str, int | str] = {
        "agreement_id": chosen.pk,
        "period_id": report.period_id,
        "report_id": report.pk,
        "year": chosen.reporting_periods.order_by("start").values_list("year", flat=True)[0],
        "meeting_id": meeting.pk,
        "decision_id": meeting.decisions.order_by("number").values_list("pk", flat=True)[0],
        "evidence_id": Evidence.objects.filter(entry__report=report).values_list("pk", flat=True)[0],
    }
    issuers = Party.objects.all() if role == Role.ADMIN else parties_of(user)
    documents = OfficialDocument.objects.filter(issuing_party__in=issuers, number__isnull=False)
    if document := (documents.filter(agreement=chosen) or documents).order_by("pk").first():
        values["document_id"] = document.pk
    return values


def visitors(today: datetime.date) -> list[Visitor]:
    leader = User.objects.get(username=bench_data.LEADER)
    hub = leader.memberships.get(role=Role.LEADER).body_id
    hub_staff = User.objects.filter(memberships__body_id=hub, memberships__role=Role.STAFF).order_by("username")[0]
    cast = {
        f"coordinator of {n}": (user, Role.COORDINATOR)
        for n, user in (
            ("one", _of_one(Role.COORDINATOR)),
            ("many", User.objects.get(username=bench_data.COORDINATOR_500)),
        )
    }
    cast |= {f"leader of {n}": (user, Role.LEADER) for n, user in (("one", _of_one(Role.LEADER)), ("many", leader))}
    cast |= {f"staff of {n}": (user, Role.STAFF) for n, user in (("one", _of_one(Role.STAFF)), ("many", hub_staff))}
    cast[ADMIN] = (User.objects.get(username=bench_data.ADMIN), Role.ADMIN)
    found = [Visitor(who, user, _values(user, role)) for who, (user, role) in cast.items()]
    for visitor in found:  # the newest of their notifications is about a report: its page reads the report's names
        report = ProgressReport.objects.get(pk=visitor.values["report_id"])
        notification = Notification.objects.create(
            recipient=visitor.user,
            kind=Kind.REPORT_SUBMITTED,
            target=f"report:{report.pk}",
            stage="event",
            agreement_id=report.party.agreement_id,
            report=report,
            day=today,
            url=reverse("report_detail", args=[report.pk]),
        )
        visitor.values["notification_id"] = notification.pk
    return found


def stored_files(cast: list[Visitor]) -> None:
    """The files of the evidence and the documents the visitors download."""
    for visitor in cast:
        evidence = Evidence.objects.get(pk=visitor.values["evidence_id"])
        evidence.file.save(evidence.original_name, ContentFile(PDF), save=True)
        if "document_id" in visitor.values:
            document = OfficialDocument.objects.get(pk=visitor.values["document_id"])
            document.file.save(f"bao-cao-{document.pk}.pdf", ContentFile(PDF), save=True)


def admin_urls(values: dict[str, int | str], superuser: User) -> dict[str, str]:
    """The admin's lists of the big tables, and their change forms on rows of the admin visitor's agreement."""
    agreement = Agreement.objects.get(pk=values["agreement_id"])
    report = ProgressReport.objects.get(pk=values["report_id"])
    entry = report.entries.order_by("pk").first()
    assert entry is not None
    # Rows that name who last saved them at both scales (their forms show that user).
    ProgressReport.objects.filter(pk=report.pk).update(updated_by=superuser)
    ProgressEntry.objects.filter(pk=entry.pk).update(updated_by=superuser)
    rows: dict[type[models.Model], models.Model | None] = {
        Agreement: agreement,
        Party: agreement.parties.order_by("pk").first(),
        Commitment: Commitment.objects.filter(item__agreement=agreement).order_by("pk").first(),
        ReportingPeriod: report.period,
        ProgressReport: report,
        ProgressEntry: entry,
        EntryRevision: EntryRevision.objects.filter(entry__report__period__agreement=agreement).order_by("pk").first(),
        ReviewMeeting: ReviewMeeting.objects.get(pk=values["meeting_id"]),
        MeetingDecision: MeetingDecision.objects.get(pk=values["decision_id"]),
        OfficialDocument: OfficialDocument.objects.filter(agreement=agreement).order_by("pk").first(),
    }
    urls = {}
    for model in ADMIN_LISTS:
        meta = model._meta
        assert model in admin.site._registry, f"{meta.label} is not in the admin: take it out of ADMIN_LISTS"
        urls[f"admin: {meta.label} list"] = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    for model in ADMIN_FORMS:
        row = rows[model]
        assert row is not None, model
        meta = model._meta
        urls[f"admin: {meta.label} form"] = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk])
    return urls


# --- counting -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    status: int
    queries: int
    sql: tuple[str, ...] = field(compare=False, repr=False)


def measure(client: Client, url: str, *, warm: bool = False) -> Measure:
    """The queries of one request, a streamed answer read to its end.  `warm`: requested once before, for the
    per-process caches the first request fills (the admin's content types and translations)."""
    for _attempt in range(2 if warm else 1):
        reset_queries()  # the log keeps the last 9,000 queries: once full, it would count none
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            if response.streaming:  # read to its end, which closes it (the client keeps the connection open)
                b"".join(response.streaming_content)
    return Measure(response.status_code, len(queries), tuple(q["sql"] for q in queries.captured_queries))


def get_routes() -> dict[str, tuple[str, ...]]:
    """Route name -> its parameters: every GET route RULES knows, and every route RULES does not know yet."""
    known = {name for name, _method in RULES}
    get = {name for name, method in RULES if method == "GET"}
    return {route.name: route.params for route in app_routes() if route.name in get or route.name not in known}


# The permission walk's column of each visitor: the owners' party (la.*) and the superuser.
RULES_COLUMN = {"coordinator": "la.coord", "leader": "la.leader", "staff": "la.staff", ADMIN: "admin"}


def refused_by_rules(name: str, who: str) -> bool:
    """RULES refuses the route to this kind of user in every state of its object: not requested (a route RULES
    does not know yet is requested, and its refusals are left out as the others are)."""
    rule = RULES.get((name, "GET"))
    if rule is None:
        return False
    cell = rule[PARTY_ROLES.index(RULES_COLUMN[who.split()[0]])]
    outcomes = cell.values() if isinstance(cell, dict) else [cell]
    return not any(outcome.allowed for outcome in outcomes)


def route_url(name: str, params: tuple[str, ...], values: dict[str, int | str], fmt: str) -> str:
    return reverse(name, kwargs={p: fmt if p == "fmt" else values[p] for p in params}) + QUERY.get(name, "")


Key = tuple[str, str]  # (page, who)


@dataclass
class Scale:
    scale: float
    agreements: int
    coordinated: int
    counts: dict[Key, Measure]
    seconds: float


_original_paginator_init = Paginator.__init__
_original_iterator = QuerySet.iterator


def _paginator_init(self: Paginator, rows: int, object_list: Any, per_page: int, *args: Any, **kwargs: Any) -> None:
    _original_paginator_init(self, object_list, rows, *args, **kwargs)


def _one_chunk(self: QuerySet[Any], chunk_size: int | None = None) -> Iterator[Any]:
    return _original_iterator(self, chunk_size=ONE_CHUNK)


def measure_scale(
    scale: float,
    routes: dict[str, tuple[str, ...]],
    superuser: User,
    media: Path,
    *,
    rows: int,
    warm: bool = False,
    only: set[Key] | None = None,
) -> Scale:
    """Every page at one scale, each list paged by `rows`; `only` these pages, if given; `warm`: the superuser
    requests each admin page once before it is counted."""
    began, today = time.monotonic(), clock.today()
    with pytest.MonkeyPatch.context() as paged, transaction.atomic():
        paged.setattr(Paginator, "__init__", partialmethod(_paginator_init, rows))
        bench_data.generate(scale, seed=1)
        complement(today)
        cast = visitors(today)
        counts: dict[Key, Measure] = {}
        with override_settings(MEDIA_ROOT=str(media / str(scale))):
            stored_files(cast)
            for visitor in cast:
                client = Client(raise_request_exception=True)
                client.force_login(visitor.user)
                # An export's two formats read the same rows (core.tabular.Table): the busiest coordinator's in both.
                formats = ("csv", "xlsx") if visitor.who == "coordinator of many" else ("csv",)
                for name, params in routes.items():
                    for fmt in formats if "fmt" in params else ("",):
                        key = (f"{name} {fmt}".strip(), visitor.who)
                        if (key in only) if only is not None else not refused_by_rules(name, visitor.who):
                            counts[key] = measure(client, route_url(name, params, visitor.values, fmt))
            client = Client(raise_request_exception=True)
            client.force_login(superuser)
            admin_values = next(v for v in cast if v.who == ADMIN).values
            for page, url in admin_urls(admin_values, superuser).items():
                if only is None or (page, SUPERUSER) in only:
                    counts[(page, SUPERUSER)] = measure(client, url, warm=warm)
        coordinated = bench_data.coordinated_by(bench_data.COORDINATOR_500).count()
        result = Scale(scale, bench_data.bench_agreements().count(), coordinated, counts, time.monotonic() - began)
        transaction.set_rollback(True)
    return result


@dataclass
class Measured:
    routes: dict[str, tuple[str, ...]]
    small: Scale
    large: Scale
    refused: dict[Key, int]  # what the small scale answered 4xx: the permission walk's business, not measured again


@pytest.fixture(scope="module")
def measured(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Measured:
    """Both scales, each in a transaction rolled back: the database is left as it was found."""
    media = tmp_path_factory.mktemp("media")
    with pytest.MonkeyPatch.context() as patch, django_db_blocker.unblock():
        patch.setattr(kinds, "render_parts", lambda parts, base_url, parallel=False: PDF)
        patch.setattr(QuerySet, "iterator", _one_chunk)
        ensure_demo()
        routes = get_routes()
        superuser = User.objects.get(username="admin")
        small = measure_scale(SMALL, routes, superuser, media, rows=SMALL_PAGE, warm=True)
        refused = {key: found.status for key, found in small.counts.items() if found.status >= 400}
        small.counts = {key: found for key, found in small.counts.items() if key not in refused}
        large = measure_scale(LARGE, routes, superuser, media, rows=LARGE_PAGE, only=set(small.counts))
    return Measured(routes, small, large, refused)


def table(small: Scale, large: Scale) -> str:
    lines = [f"{'page':44} {'who':20} {small.scale:>7} {large.scale:>7}"]
    for key in sorted(small.counts):
        a, b = small.counts[key], large.counts[key]
        shown = [f"{m.queries}" + ("" if m.status == 200 else f" ({m.status})") for m in (a, b)]
        lines.append(f"{key[0]:44} {key[1]:20} {shown[0]:>7} {shown[1]:>7}" + ("" if a == b else "  <-- grows"))
    return "\n".join(lines)


def _shape(sql: str) -> str:
    return re.sub(r"\b\d+\b|'[^']*'", "?", sql)[:240]


def what_differs(small: Measure, large: Measure) -> str:
    """The queries one scale made and the other did not, numbers and strings aside."""
    a, b = Counter(map(_shape, small.sql)), Counter(map(_shape, large.sql))
    return "\n".join([*(f"    - {q}" for q in (a - b).elements()), *(f"    + {q}" for q in (b - a).elements())])


# --- the tests ----------------------------------------------------------------------------------------------


def test_every_page_makes_the_same_queries_at_both_scales(measured: Measured) -> None:
    small, large = measured.small, measured.large
    assert (small.coordinated, large.coordinated) == (2, 10)
    assert large.agreements == 5 * small.agreements
    assert set(small.counts) == set(large.counts)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "query-counts-at-scale.txt").write_text(
        "".join(
            f"scale {s.scale}: {s.agreements} agreements, bench.coord500 coordinates {s.coordinated}; {s.seconds:.1f} s\n"
            for s in (small, large)
        )
        + f"{len(measured.refused)} requests refused (403, 404, 405) at scale {small.scale}: not measured again\n\n"
        + table(small, large)
        + "\n"
    )
    grows = {key for key in small.counts if small.counts[key] != large.counts[key]}
    unknown = sorted(grows - set(KNOWN_GROWTH))
    details = "\n".join(
        f"{page} ({who}):\n{what_differs(small.counts[page, who], large.counts[page, who])}" for page, who in unknown
    )
    assert not unknown, f"{len(unknown)} pages make more queries with more data:\n{table(small, large)}\n\n{details}"
    fixed = sorted(set(KNOWN_GROWTH) - grows)
    assert not fixed, f"these no longer grow with the data: take them out of KNOWN_GROWTH: {fixed}"


def test_every_get_route_is_measured_or_excused(measured: Measured) -> None:
    """A route of the URL conf is measured on at least one visitor (a page, a download, a panel), or says why not."""
    statuses: dict[str, set[int]] = {}
    for (page, _who), found in [
        *measured.small.counts.items(),
        *((k, Measure(s, 0, ())) for k, s in measured.refused.items()),
    ]:
        statuses.setdefault(page.split()[0], set()).add(found.status)
    answered = {name for name, seen in statuses.items() if seen & {200, 202, 204}}
    gets = {name for name, seen in statuses.items() if seen != {405}}  # a route that only takes POST is not a page
    unmeasured = gets - answered - REDIRECTS - set(EXCUSED)
    assert not unmeasured, f"GET routes no visitor was measured on: measure them or say why in EXCUSED: {unmeasured}"
    stale = (set(EXCUSED) | REDIRECTS) - set(measured.routes)
    assert not stale, f"EXCUSED or REDIRECTS name routes the URL conf no longer has: {stale}"
    still = set(EXCUSED) & answered
    assert not still, f"these are measured now: take them out of EXCUSED: {still}"


def test_prefetched_chains_are_the_walked_ones(demo: None) -> None:
    """prefetch_chains (one query for all the bodies' successors) finds what Body.chain() finds one step at a
    time: departments reorganised on 01/03/2025, then merged with their provinces on 01/07/2025."""
    bench_data.ensure_bodies()  # the national list of departments and offices
    ended = Body.objects.filter(valid_to__isnull=False).order_by("pk")
    sample = [*ended[::7], *Body.objects.filter(valid_to__isnull=True).order_by("pk")[:20]]
    prefetch_chains(sample)
    walked = {
        body.pk: [node.pk for node in body.chain()] for body in Body.objects.filter(pk__in=[b.pk for b in sample])
    }
    assert {body.pk: [node.pk for node in body.chain()] for body in sample} == walked
    assert {len(chain) for chain in walked.values()} == {1, 2, 3}  # Sở KHĐT -> Sở Tài chính -> the merged province's


# --- default orderings read from an index -----------------------------------------------------------------

# The tables that grow with the data (issue 11: 2,000 agreements, 100,000 commitments, 400,000 entries).
BIG_TABLES: tuple[type[models.Model], ...] = (
    Agreement,
    Party,
    CooperationItem,
    Commitment,
    ReportingPeriod,
    ProgressReport,
    ProgressEntry,
    EntryRevision,
    ReportTransition,
    Evidence,
    OfficialDocument,
    ReviewMeeting,
    MeetingDecision,
    Notification,
    Digest,
    AuditEntry,
)
# Models whose default order goes through another table, and why that stays.
ORDERED_THROUGH_RELATIONS: dict[type[models.Model], str] = {
    Commitment: "an agreement's commitments read in their items' order (item number): a join over one agreement's "
    "rows; the commitments list sorts by its own keys and the admin by id",
    ProgressReport: "a period's reports in its parties' order, an agreement's by period start: one agreement's rows; "
    "the lists sort by their own keys and the admin by id",
    ProgressEntry: "a report's entries in its commitments' order: one report's rows; the admin sorts by id",
}
ADMIN_SORTS_THROUGH_RELATIONS: set[type[models.Model]] = set()  # admin lists allowed to sort through a join: none


def own_columns(model: type[models.Model], ordering: Sequence[Any] | None) -> list[tuple[str, bool]] | None:
    """[(column, descending)] of an ordering on the model's own columns; None if it goes through a relation (a
    path, or a foreign key by name, which sorts by the related model's own ordering)."""
    columns = []
    for item in ordering or ():
        assert isinstance(item, str), (model, item)
        name = item.lstrip("-")
        if "__" in name:
            return None
        found = model._meta.pk if name == "pk" else model._meta.get_field(name)
        assert isinstance(found, models.Field)
        related = found.related_model
        if found.is_relation and name == found.name and related not in (None, "self") and related._meta.ordering:
            return None
        columns.append((str(found.column), item.startswith("-")))
    return columns


def indexes_of(table: str) -> list[list[tuple[str, bool]]]:
    """[(column, descending)] of every whole (not partial) index of the table, from PostgreSQL."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [table])
        definitions = [row[0] for row in cursor.fetchall()]
    found = []
    for definition in definitions:
        match = re.search(r"USING btree \((.*)\)$", definition)
        if match is None:  # a partial index (WHERE ...) serves only its rows
            continue
        parts = [part.strip().split() for part in match.group(1).split(",")]
        found.append([(part[0].strip('"'), len(part) > 1 and part[1] == "DESC") for part in parts])
    return found


def served_by(ordering: list[tuple[str, bool]], indexes: list[list[tuple[str, bool]]]) -> bool:
    """An index whose first columns are the ordering's, read forwards or backwards."""
    for index in indexes:
        head = index[: len(ordering)]
        if [c for c, _ in head] == [c for c, _ in ordering]:
            directions = {own == wanted for (_, own), (_, wanted) in zip(head, ordering, strict=True)}
            if len(directions) == 1:
                return True
    return False


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's pg_indexes")
def test_default_orderings_are_read_from_an_index() -> None:
    problems = []
    for model in BIG_TABLES:
        columns = own_columns(model, model._meta.ordering)
        if columns is None:
            if model not in ORDERED_THROUGH_RELATIONS:
                problems.append(f"{model.__name__} sorts through a relation {model._meta.ordering}: order by the _id")
        elif model in ORDERED_THROUGH_RELATIONS:
            problems.append(f"{model.__name__} sorts on its own columns now: take it out of ORDERED_THROUGH_RELATIONS")
        elif not served_by(columns, indexes_of(model._meta.db_table)):
            problems.append(f"{model.__name__}: no index serves its ordering {columns}")
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's pg_indexes")
def test_the_admin_lists_of_the_big_tables_sort_on_an_index() -> None:
    """Issue 11 measured the entry revisions' admin list at 3.1 s p95: it sorted through 14 joined tables."""
    problems = []
    for model in BIG_TABLES:
        model_admin = admin.site._registry.get(model)
        if model_admin is None or model in ADMIN_SORTS_THROUGH_RELATIONS:
            continue
        ordering = model_admin.ordering or model._meta.ordering
        columns = own_columns(model, ordering)
        if columns is None or not served_by(columns, indexes_of(model._meta.db_table)):
            problems.append(f"{model.__name__}'s admin list sorts by {ordering}: no index serves it")
    assert not problems, "\n".join(problems)
