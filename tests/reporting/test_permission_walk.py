"""The permission walk: every route of the app, as every kind of user, on objects in every state.

Nothing here names the pages to visit.  The walk reads Django's URL resolver, keeps the routes of
the project's own apps (EXCLUDED says what it leaves out and why), finds which HTTP methods each
route accepts by asking it (`accepted_methods`), fills each route's parameters from the objects
of the `world` fixture, and sends every request of the product

    route × accepted method × state of the object it names × user

to the app.  RULES says, for each route and method, what each role of the 2011 agreement's
parties must get; a route or method that RULES does not know, or a parameter the walk cannot
fill, fails the test with the route's name.

The objects are those of Sở Công Thương Long An in the 2011 Long An – Tây Ninh agreement (not the
programme: its three parties would leave no province of the demo outside it):

- four reports of the first four periods: draft, submitted, returned and approved (Tây Ninh's
  report of the approved period is approved too, so the period's consolidated report and the
  2011 yearly review are final documents);
- on each report one entry saved by the staff and one evidence file (reporting.workflow);
- two issued official documents (numbered, signed by la.leader): Long An's approved report,
  rendered and `ready` (with its file), and the approved period's consolidated report issued by
  Long An, whose render `failed`.  The approved report was then reopened, corrected and approved
  again, so both documents are stale: the coordinators and leaders may issue replacements;
- the notifications these moves made (reporting/signals.py -> notifications/receivers.py): the
  walk names la.staff's, of the returned report (unread), so that only la.staff may open it.

Who is who (demo/data.py): la.* hold their roles in the former Long An department and its
planning office (khtc_la), the bodies of the Long An party; tn.* are in the former Tây Ninh
department and its office, the other party (counterparts).  Neither was merged into the other:
only today's Sở Công Thương Tây Ninh succeeds both, and no demo user belongs to it.  tg.* are in
the former Tiền Giang department, which has no part in the 2011 agreement (outsiders); `admin` is
the superuser.

Every request runs inside a savepoint that is rolled back, so a submit or an approval in one case
never changes the state the next case sees, and the database is compared before and after: a
refused request, whoever sends it, must not write anything, and an allowed GET must not touch the
reports, entries, evidence, review history or audit trail, nor anyone's notifications or
preferences (only the notification centre and its preferences write those, for the user's own,
and a workflow move notifies).  la.staff's notification must be read after exactly the requests
that read it: la.staff opening it or marking theirs read.  No answer may contain the address or
the contents (entry text, evidence file name, review comment) of an object the user gets a 404 for.

Below the walk: the scenarios of the first, hand-written walk, and two things a walk of the
resolver cannot see (an entry of another report in a report's address; the `?party=` query).
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.models import Model
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

from agreements.models import Agreement, Commitment
from core.models import AuditEntry
from meetings.models import MeetingDecision, ReviewMeeting
from notifications.models import Kind, Notification, Preference
from reporting import workflow
from reporting.documents import kinds
from reporting.documents import services as documents
from reporting.documents.kinds import ConsolidatedReportDocument, PartyReportDocument
from reporting.forms import EntryForm, ReportFieldsForm
from reporting.models import (
    DocumentNumberCounter,
    EntryRevision,
    Evidence,
    OfficialDocument,
    ProgressEntry,
    ProgressReport,
    ReportTransition,
)
from tests.support import pdf_bytes, track

pytestmark = [pytest.mark.django_db, pytest.mark.no_cover]  # tests/conftest.py: _untraced

LONG_AN = "Sở Công Thương tỉnh Long An"
TAY_NINH = "Sở Công Thương tỉnh Tây Ninh"
AGREEMENT_2011_TITLE = "giai đoạn 2011 – 2015"  # in the 2011 agreement's title, in no other
FORM = "application/x-www-form-urlencoded"
PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


# --- the routes -----------------------------------------------------------------------------------

# What the walk leaves out, and why.  A key is a resolver's namespace ("admin:"), an included
# URLconf module, a route's name, or a view's dotted path; an exclusion that matches nothing is stale
# and fails test_routes_and_methods_are_those_of_the_rule_table (the DEBUG-only file server aside).
EXCLUDED: dict[str, str] = {
    "admin:": "Django's admin: its own rule (is_staff and model permissions), tested in the admin tests",
    "set_language": "stores the UI language in a cookie and the signed-in user's e-mail language; names no object",
    "login": "django.contrib.auth's login page: public by design",
    "logout": "django.contrib.auth's logout: ends the visitor's own session, names no object",
    "password_change": "django.contrib.auth's: the signed-in user's own password, names no object (test_password_change)",
    "password_change_done": "django.contrib.auth's confirmation page of the above: shows no data",
    "password_reset": "django.contrib.auth's reset request: public by design, answers alike for any address",
    "password_reset_done": "django.contrib.auth's: public 'mail sent' page, shows no data",
    "password_reset_confirm": "django.contrib.auth's: the mailed link, guarded by its signed token (test_password_reset)",
    "password_reset_complete": "django.contrib.auth's: public 'password set' page, shows no data",
    "healthz": "the load balancer's probe: public by design, returns no data of any party",
    "django.views.static.serve": "static and media files under DEBUG only (WhiteNoise and the web server in production)",
}
OPTIONAL_EXCLUSIONS = {"django.views.static.serve"}  # present only when the URLconf was loaded with DEBUG on


@dataclass(frozen=True)
class Route:
    name: str  # as reverse() takes it, namespace included
    path: str  # the whole pattern, prefixes included
    params: tuple[str, ...]
    view: Callable[..., Any]

    def __str__(self) -> str:
        return f"{self.name} ({self.path})"


def _dotted(view: Callable[..., Any]) -> str:
    view = getattr(view, "view_class", view)
    return f"{view.__module__}.{view.__qualname__}"


def _exclusion(entry: URLPattern | URLResolver) -> str | None:
    if isinstance(entry, URLResolver):
        keys = [f"{entry.namespace}:" if entry.namespace else "", getattr(entry.urlconf_module, "__name__", "")]
    else:
        keys = [entry.name or "", _dotted(entry.callback)]
    return next((key for key in keys if key in EXCLUDED), None)


def _walk(entries: list[Any], prefix: str, namespace: str, params: tuple[str, ...], used: set[str]) -> Iterator[Route]:
    for entry in entries:
        path = prefix + str(entry.pattern).lstrip("^").rstrip("$")
        names = params + tuple(entry.pattern.regex.groupindex)
        excluded = _exclusion(entry)
        if excluded is not None:
            used.add(excluded)
        elif isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, path, inner, names, used)
        else:
            assert entry.name, f"the route /{path} has no name: name it, so that RULES can say who may use it"
            yield Route(namespace + entry.name, "/" + path, names, entry.callback)


def project_apps() -> set[str]:
    """The apps whose code is the project's own (not an installed package: the venv is inside BASE_DIR)."""
    return {
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(settings.BASE_DIR) and "site-packages" not in Path(config.path).parts
    }


def app_routes() -> list[Route]:
    """Every route of the project's own apps, found by walking the root URL resolver."""
    used: set[str] = set()
    routes = list(_walk(get_resolver().url_patterns, "", "", (), used))
    stale = set(EXCLUDED) - used - OPTIONAL_EXCLUSIONS
    assert not stale, f"EXCLUDED names what the URLconf no longer has: {sorted(stale)}"
    foreign = [str(r) for r in routes if r.view.__module__.split(".")[0] not in project_apps()]
    assert not foreign, f"routes of no app of the project (walk them or add them to EXCLUDED): {foreign}"
    return routes


CANDIDATE_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
_accepted: dict[str, tuple[str, ...]] = {}


def accepted_methods(route: Route, url: str, insider: Client) -> tuple[str, ...]:
    """The HTTP methods a route accepts: those its view does not answer with 405.

    Django's require_GET / require_POST / require_http_methods keep the list in a closure and set
    no attribute, so reading it would mean reaching into the decorator's internals (and a
    class-based view decides in `http_method_not_allowed`, elsewhere again).  Asking is the one
    answer that holds for any view: the route is requested once with each method by an insider
    (the superuser, who gets past login_required), inside a savepoint that is rolled back.  The
    method check runs before the view's access check, so the answer does not depend on who asks or
    on the object's state.  Each 405 must name in its Allow header exactly the methods that were not
    answered 405, which cross-checks the probe.  The answer depends on the code only, so it is kept
    for the rest of the session.
    """
    if route.name not in _accepted:
        statuses: dict[str, int] = {}
        allow_headers: set[str] = set()
        for method in CANDIDATE_METHODS:
            with transaction.atomic():
                response = insider.generic(method, url)
                transaction.set_rollback(True)
            statuses[method] = response.status_code
            body_of(response)  # a download is read to its end, which closes its file
            if response.status_code == 405:
                allow_headers.add(response["Allow"])
        accepted = tuple(m for m in CANDIDATE_METHODS if statuses[m] != 405)
        for allow in allow_headers:
            assert {m.strip() for m in allow.split(",")} == set(accepted), (route.name, allow, statuses)
        _accepted[route.name] = accepted
    return _accepted[route.name]


# --- the objects ------------------------------------------------------------------------------------

DRAFT, SUBMITTED, RETURNED, APPROVED = "draft", "submitted", "returned", "approved"
READY, FAILED = "ready", "failed"
ANY = "-"  # a route that names no object with a state (a list, the agreement, a year)
REPORT_STATES = (DRAFT, SUBMITTED, RETURNED, APPROVED)
DOCUMENT_STATES = (READY, FAILED)
# Which parameter makes a route's answer depend on which states of the objects.
STATES_OF_PARAMETER = {
    "report_id": REPORT_STATES,
    "entry_id": REPORT_STATES,
    "evidence_id": REPORT_STATES,
    "period_id": REPORT_STATES,  # the period of the report in that state
    "document_id": DOCUMENT_STATES,
}


def states_of(route: Route) -> tuple[str, ...]:
    families = {STATES_OF_PARAMETER[p] for p in route.params if p in STATES_OF_PARAMETER}
    assert len(families) <= 1, f"{route} names objects of two kinds: teach states_of() which state matters"
    return families.pop() if families else (ANY,)


@dataclass
class World:
    agreement: Agreement
    reports: dict[str, ProgressReport]
    documents: dict[str, OfficialDocument]
    values: dict[str, dict[str, int | str]]  # state -> route parameter -> value
    secrets: dict[str, list[str]]  # state -> texts only the report's readers may see
    notification: Notification  # la.staff's, of the returned report: unread, only la.staff may open it
    bodies: dict[str, dict[str, str]] = field(default_factory=dict)  # state -> POST body

    def url(self, route: Route, state: str) -> str:
        known = self.values[state]
        missing = [p for p in route.params if p not in known]
        assert not missing, f"the walk cannot fill {missing} of {route} (state {state}): extend World.values"
        return reverse(route.name, kwargs={p: known[p] for p in route.params})


def post_body(report: ProgressReport, entry: ProgressEntry, signer: int | None = None) -> dict[str, str]:
    """What the edit page posts, untouched but for the report's assessment and the entry's results.

    It carries every form's version and hidden initial values, a comment (return), a reason
    (reopen), the confirmations of the submit page, a signer with the confirmation of the issue
    form, and a choice of the notification preferences, so that each POST route of the app writes
    when the user is allowed to.
    """
    data = {
        "comment": "Đề nghị bổ sung số liệu quý II.",
        "reason": "Bổ sung số liệu quý II theo ý kiến của Sở.",
        "confirm": "1",
        "confirm_unchanged": "1",
        "signer": "" if signer is None else str(signer),
        "delivery": Preference.Delivery.DIGEST,
        "language": "en",
    }
    forms: list[Any] = [ReportFieldsForm(instance=report, initial={"version": report.version}, prefix="report")]
    forms += [
        EntryForm(instance=e, initial={"version": e.version}, prefix=f"e{e.pk}")
        for e in report.entries.select_related("commitment")
    ]
    for form in forms:
        for bound in form:
            if bound.name == "evidence":
                continue
            value = bound.value()
            data[bound.html_name] = "" if value is None else str(value)
            if bound.field.show_hidden_initial:
                data[bound.html_initial_name] = data[bound.html_name]
    data["report-overall_assessment"] = "Các nội dung hợp tác được triển khai đúng kế hoạch (bản sửa)."
    data[f"e{entry.pk}-results"] = "Đã tổ chức 02 phiên kết nối cung - cầu (bản sửa)."
    return data


@pytest.fixture
def walk_media(settings: Any, tmp_path: Path) -> Path:
    """Evidence files and stored PDFs in the test's own folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def quick_pdfs(monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint replaced by a fixed PDF: the walk is about who gets a document, not how it looks.

    Everything else of a download runs as it is (access checks, drafts, numbering, the stored
    copy and its fingerprint); a real render takes half a second or more, and the walk renders dozens.
    The "PDF" carries the document's HTML after its header, so that what it shows can be checked.
    """

    def render_parts(parts: list[str], base_url: str, *, parallel: bool = False) -> bytes:
        return PDF_BYTES + "".join(parts).encode()

    monkeypatch.setattr(kinds, "render_parts", render_parts)


def failing_render(parts: list[str], base_url: str, *, parallel: bool = False) -> bytes:
    raise RuntimeError("WeasyPrint stopped")


@pytest.fixture
def world(users: dict[str, User], walk_media: Path, quick_pdfs: None, monkeypatch: pytest.MonkeyPatch) -> World:
    """Long An's objects of the 2011 agreement in every state (see the module's docstring)."""
    agreement = track(Agreement.objects.get(signed_on="2011-10-14"))  # history in the demo: tracked, as an admin would
    agreement.signed_document = SimpleUploadedFile("thoa-thuan-2011.pdf", pdf_bytes())  # scanned, for its download
    agreement.save(update_fields=["signed_document"])
    long_an = agreement.parties.get(body__name=LONG_AN)
    staff, coordinator = users["la.staff"], users["la.coord"]
    periods = list(agreement.reporting_periods.order_by("start")[:4])
    reports: dict[str, ProgressReport] = {}
    values: dict[str, dict[str, int | str]] = {}
    common: dict[str, int | str] = {"agreement_id": agreement.pk, "year": periods[0].year, "fmt": "csv"}
    # The final review of 2015, held, with one decision given to Long An and not yet a commitment.
    meeting = ReviewMeeting.objects.create(
        agreement=agreement, kind=ReviewMeeting.Kind.FINAL, held_on=datetime.date(2015, 12, 20), host_party=long_an
    )
    decision = MeetingDecision.objects.create(meeting=meeting, number=1, text="Tổng kết", responsible_party=long_an)
    common |= {"meeting_id": meeting.pk, "decision_id": decision.pk}
    entries: dict[str, ProgressEntry] = {}
    secrets: dict[str, list[str]] = {}
    for state, period in zip((APPROVED, SUBMITTED, RETURNED, DRAFT), periods, strict=True):
        report = period.reports.get(party=long_an)
        entry = report.entries.order_by("commitment__order").first()
        assert entry is not None
        results = f"Long An đã kết nối 27 doanh nghiệp (báo cáo {state})."
        workflow.save_entry(
            staff,
            entry,
            {"status": Commitment.Status.ON_TRACK, "percent_complete": 40, "results": results},
            entry.version,
        )
        upload = SimpleUploadedFile(f"bien-ban-hop-{state}.pdf", pdf_bytes(), content_type="application/pdf")
        evidence = workflow.add_evidence(staff, entry, upload)
        secrets[state] = [results, evidence.original_name]
        if state != DRAFT:
            workflow.submit_report(staff, report, confirm_unchanged=True)
        if state == RETURNED:
            comment = "Thiếu số liệu về hội chợ thương mại tháng 9."
            workflow.return_report(coordinator, report, comment)
            secrets[state].append(comment)
        if state == APPROVED:
            workflow.approve_report(coordinator, report)
            other = period.reports.get(party__body__name=TAY_NINH)  # the whole period approved
            tn_staff, tn_coordinator = users["tn.staff"], users["tn.coord"]
            workflow.approve_report(tn_coordinator, workflow.submit_report(tn_staff, other, confirm_unchanged=True))
        report.refresh_from_db()
        assert report.state == state
        reports[state], entries[state] = report, entry
        values[state] = common | {
            "report_id": report.pk,
            "entry_id": entry.pk,
            "evidence_id": evidence.pk,
            "period_id": period.pk,
        }

    approved = reports[APPROVED]
    leader = users["la.leader"]
    signer = leader.memberships.get(role="leader")
    report_document = PartyReportDocument(approved)
    assert signer in documents.signers(report_document)
    ready = documents.issue(leader, report_document, signer, synchronous=True)
    assert ready.state == OfficialDocument.State.READY and ready.file
    with monkeypatch.context() as patch:  # the consolidated report is issued, but its file is never made
        patch.setattr(kinds, "render_parts", failing_render)
        failed = documents.issue(coordinator, ConsolidatedReportDocument(approved.period, long_an), signer)
    assert failed.state == OfficialDocument.State.FAILED
    # The data changes after issuing: reopened, corrected (here: confirmed) and approved again.
    workflow.reopen_report(coordinator, approved, "Bổ sung số liệu xuất khẩu.")
    workflow.approve_report(coordinator, workflow.submit_report(staff, approved, confirm_unchanged=True))
    approved.refresh_from_db()
    reports[APPROVED] = approved
    values[READY] = common | {"document_id": ready.pk}
    values[FAILED] = common | {"document_id": failed.pk}
    # The workflow told la.staff that la.coord returned the report (and nobody opened it since).
    notification = Notification.objects.get(recipient=staff, kind=Kind.REPORT_RETURNED, report=reports[RETURNED])
    assert notification.read_at is None
    values[ANY] = common | {"notification_id": notification.pk}
    world = World(agreement, reports, {READY: ready, FAILED: failed}, values, secrets, notification)
    world.bodies = {state: post_body(reports[state], entries[state], signer.pk) for state in REPORT_STATES}
    world.bodies[READY] = world.bodies[FAILED] = world.bodies[ANY] = world.bodies[APPROVED]
    return world


# --- the rule table -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    name: str
    status: int
    allowed: bool  # the user gets through
    writes: bool = False  # writes the workflow's tables (and may notify)
    to_state: str | None = None  # a review move: the state the report is in afterwards
    personal: bool = False  # may write the user's own notifications or preferences, nothing else
    reads: bool = False  # la.staff's notification of the world is read afterwards


PAGE = Outcome("page", 200, True)  # an HTML page or JSON
FILE = Outcome("file", 200, True)  # a download (Content-Disposition: attachment)
WAIT = Outcome("progress page", 202, True)  # a stored document not ready: progress / error page
NONE = Outcome("nothing to offer", 204, True)  # the documents panel of a user who may not download
NO_FILE = Outcome("404 (no file to serve)", 404, True)  # a document whose render failed has no file
BACK = Outcome("redirect to a page, nothing written", 302, True)  # allowed, but not in this state
WRITE = Outcome("redirect after a write", 302, True, writes=True)
TO_SUBMITTED = Outcome("submitted", 302, True, writes=True, to_state=SUBMITTED)
TO_RETURNED = Outcome("returned", 302, True, writes=True, to_state=RETURNED)
TO_APPROVED = Outcome("approved", 302, True, writes=True, to_state=APPROVED)
# The user's own notifications and preferences: no workflow write, only their own rows.
READ = Outcome("redirect, la.staff's notification read", 302, True, personal=True, reads=True)
MARKED = Outcome("redirect back, the user's own notifications read", 302, True, personal=True)
SAVED = Outcome("redirect after saving the user's own preferences", 302, True, personal=True)
DENY = Outcome("403", 403, False)  # may know the object, may not do this
HIDE = Outcome("404", 404, False)  # may not even know the object
LOGIN = Outcome("redirect to /login/", 302, False)
NOT_ALLOWED = Outcome("405", 405, False)  # a method the route does not accept

Cell = Outcome | dict[str, Outcome]


def by_state(draft: Outcome, submitted: Outcome, returned: Outcome, approved: Outcome) -> dict[str, Outcome]:
    return {DRAFT: draft, SUBMITTED: submitted, RETURNED: returned, APPROVED: approved}


# Staff change their own body's report while it is a draft or returned; once sent, they are sent
# back to the report with a message and nothing is written.
EDIT_PAGE = by_state(PAGE, BACK, PAGE, BACK)
EDIT = by_state(WRITE, BACK, WRITE, BACK)
SUBMIT = by_state(TO_SUBMITTED, BACK, TO_SUBMITTED, BACK)
# The party's coordinators review: return or approve what was submitted, reopen what was approved.
RETURN = by_state(BACK, TO_RETURNED, BACK, BACK)
APPROVE = by_state(BACK, TO_APPROVED, BACK, BACK)
REOPEN = by_state(BACK, BACK, BACK, TO_RETURNED)
# The other party's coordinators and leaders read what was sent (submitted, approved), never a
# draft or a returned report, and never act on it.
SENT = by_state(HIDE, PAGE, HIDE, PAGE)
SENT_FILE = by_state(HIDE, FILE, HIDE, FILE)
SENT_DENY = by_state(HIDE, DENY, HIDE, DENY)
# The consolidated report of the approved period is the issued copy whose render failed.
CONSOLIDATED = by_state(FILE, FILE, FILE, WAIT)
# Only a document whose reports are all approved is issued (the approved report's documents were
# issued before its data changed: they are replaced); otherwise a message, nothing written.
ISSUE = by_state(BACK, BACK, BACK, WRITE)
DOWNLOAD = {READY: FILE, FAILED: NO_FILE}

OWNER_ROLES = ("la.staff", "la.coord", "la.leader", "admin")
COUNTERPART_ROLES = ("tn.staff", "tn.coord", "tn.leader")
PARTY_ROLES = OWNER_ROLES + COUNTERPART_ROLES
OUTSIDER_ROLES = ("tg.staff", "tg.coord", "tg.leader")
ANONYMOUS = "anonymous"
ROLES = PARTY_ROLES + OUTSIDER_ROLES + (ANONYMOUS,)

# From agreements/access.py, reporting/access.py and notifications/access.py: every party member reads the agreement and
# its periods; a body's own members read its reports in every state; staff edit and submit;
# coordinators (through the party's coordinating office) return, approve and reopen; leaders and
# coordinators download and issue (cấp số) the official PDFs in their party's name, staff may not
# (403, and an empty documents panel); the superuser reads, downloads and issues everything but
# holds no role in a party, so edits and reviews nothing.  Outsiders (no party of the agreement) get 404 wherever an object is named, and the
# lists without it (and their own notifications and preferences: OUTSIDERS); anonymous users are sent to the login page (see expected()).
# fmt: off
RULES: dict[tuple[str, str], tuple[Cell, ...]] = {
    # route, method                           la.staff  la.coord  la.leader  admin  tn.staff  tn.coord   tn.leader
    ("home", "GET"):                          (PAGE,    PAGE,     PAGE,      PAGE,  PAGE,     PAGE,      PAGE),
    ("agreement_list", "GET"):                (PAGE,    PAGE,     PAGE,      PAGE,  PAGE,     PAGE,      PAGE),
    ("agreement_export", "GET"):              (FILE,    FILE,     FILE,      FILE,  FILE,     FILE,      FILE),
    # Importing an agreement from its text: coordinators (of any body) and site admins.  The walk's body has no
    # text: the form comes back with its message (a page), nothing written; the confirmation, without a signed
    # proposal, goes back to the first step (a page).  Outsiders: see OUTSIDERS.
    ("agreement_import", "GET"):              (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    ("agreement_import", "POST"):             (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    ("agreement_import_confirm", "POST"):     (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    # Entering an agreement (agreements/edit_views.py): coordinators (of any body) and site admins; the walk's
    # body is no form of theirs, so each comes back with its errors (a page), nothing written.  The 2011
    # agreement is published: its parties and items are signed (back to its page with a word), publishing it
    # again is refused (back), its general data (cadences, notes) and commitments stay editable.  Bodies are
    # no agreement's data: any coordinator searches and adds them.  Outsiders: see OUTSIDERS.
    ("agreement_create", "GET"):              (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    ("agreement_create", "POST"):             (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    ("agreement_edit", "GET"):                (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    ("agreement_edit", "POST"):               (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    ("agreement_parties", "GET"):             (DENY,    BACK,     DENY,      BACK,  DENY,     BACK,      DENY),
    ("agreement_parties", "POST"):            (DENY,    BACK,     DENY,      BACK,  DENY,     BACK,      DENY),
    ("agreement_items", "GET"):               (DENY,    BACK,     DENY,      BACK,  DENY,     BACK,      DENY),
    ("agreement_items", "POST"):              (DENY,    BACK,     DENY,      BACK,  DENY,     BACK,      DENY),
    ("agreement_commitments", "GET"):         (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    ("agreement_commitments", "POST"):        (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    ("agreement_publish", "POST"):            (DENY,    BACK,     DENY,      BACK,  DENY,     BACK,      DENY),
    ("body_search", "GET"):                   (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    ("body_create", "GET"):                   (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    ("body_create", "POST"):                  (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    ("commitment_list", "GET"):               (PAGE,    PAGE,     PAGE,      PAGE,  PAGE,     PAGE,      PAGE),
    ("commitment_export", "GET"):             (FILE,    FILE,     FILE,      FILE,  FILE,     FILE,      FILE),
    ("report_list", "GET"):                   (PAGE,    PAGE,     PAGE,      PAGE,  PAGE,     PAGE,      PAGE),
    ("report_export", "GET"):                 (FILE,    FILE,     FILE,      FILE,  FILE,     FILE,      FILE),
    ("meeting_list", "GET"):                  (PAGE,    PAGE,     PAGE,      PAGE,  PAGE,     PAGE,      PAGE),
    ("meeting_export", "GET"):                (FILE,    FILE,     FILE,      FILE,  FILE,     FILE,      FILE),
    ("document_list", "GET"):                 (PAGE,    PAGE,     PAGE,      PAGE,  PAGE,     PAGE,      PAGE),
    ("document_export", "GET"):               (FILE,    FILE,     FILE,      FILE,  FILE,     FILE,      FILE),
    ("agreement_detail", "GET"):              (PAGE,    PAGE,     PAGE,      PAGE,  PAGE,     PAGE,      PAGE),
    ("agreement_signed_document", "GET"):     (FILE,    FILE,     FILE,      FILE,  FILE,     FILE,      FILE),
    # Dashboards: every party member sees the agreement's (its reports linked only where readable); the
    # overview covers the user's own agreements (outsiders: theirs, not this one).
    ("agreement_dashboard", "GET"):           (PAGE,    PAGE,     PAGE,      PAGE,  PAGE,     PAGE,      PAGE),
    ("dashboard", "GET"):                     (PAGE,    PAGE,     PAGE,      PAGE,  PAGE,     PAGE,      PAGE),
    ("period_detail", "GET"):                 (PAGE,    PAGE,     PAGE,      PAGE,  PAGE,     PAGE,      PAGE),
    ("report_detail", "GET"):                 (PAGE,    PAGE,     PAGE,      PAGE,  HIDE,     SENT,      SENT),
    ("report_history", "GET"):                (PAGE,    PAGE,     PAGE,      PAGE,  HIDE,     SENT,      SENT),
    ("evidence_download", "GET"):             (FILE,    FILE,     FILE,      FILE,  HIDE,     SENT_FILE, SENT_FILE),
    ("report_edit", "GET"):                   (EDIT_PAGE, DENY,   DENY,      DENY,  HIDE,     SENT_DENY, SENT_DENY),
    ("report_edit", "POST"):                  (EDIT,    DENY,     DENY,      DENY,  HIDE,     SENT_DENY, SENT_DENY),
    ("report_entry_save", "POST"):            (EDIT,    DENY,     DENY,      DENY,  HIDE,     SENT_DENY, SENT_DENY),
    ("evidence_delete", "POST"):              (EDIT,    DENY,     DENY,      DENY,  HIDE,     SENT_DENY, SENT_DENY),
    ("report_submit", "POST"):                (SUBMIT,  DENY,     DENY,      DENY,  HIDE,     SENT_DENY, SENT_DENY),
    ("report_return", "POST"):                (DENY,    RETURN,   DENY,      DENY,  HIDE,     SENT_DENY, SENT_DENY),
    ("report_approve", "POST"):               (DENY,    APPROVE,  DENY,      DENY,  HIDE,     SENT_DENY, SENT_DENY),
    ("report_reopen", "POST"):                (DENY,    REOPEN,   DENY,      DENY,  HIDE,     SENT_DENY, SENT_DENY),
    ("document_report_pdf", "GET"):           (DENY,    FILE,     FILE,      FILE,  HIDE,     SENT_DENY, SENT_DENY),
    # On another party's report, its coordinators and leaders are offered their own party's documents instead.
    ("document_report_panel", "GET"):         (NONE,    PAGE,     PAGE,      PAGE,  HIDE,     SENT,      SENT),
    ("document_report_issue", "POST"):        (DENY,    ISSUE,    ISSUE,     ISSUE, HIDE,     SENT_DENY, SENT_DENY),
    # Agreement-level documents: each party issues its own (tn.* theirs, so they download too).
    ("document_consolidated_pdf", "GET"):     (DENY,    CONSOLIDATED, CONSOLIDATED, CONSOLIDATED, DENY, FILE, FILE),
    ("document_period_panel", "GET"):         (NONE,    PAGE,     PAGE,      PAGE,  NONE,     PAGE,      PAGE),
    ("document_consolidated_issue", "POST"):  (DENY,    ISSUE,    ISSUE,     ISSUE, DENY,     ISSUE,     ISSUE),
    ("document_review_pdf", "GET"):           (DENY,    FILE,     FILE,      FILE,  DENY,     FILE,      FILE),
    ("document_review_issue", "POST"):        (DENY,    WRITE,    WRITE,     WRITE, DENY,     WRITE,     WRITE),
    # The ready document is Long An's report (tn.staff may not read it); the failed one Long An's
    # consolidated report (tn.* see the agreement, but Long An's documents are not theirs).
    ("document_status", "GET"):               (DENY,    PAGE,     PAGE,      PAGE,
                                               {READY: HIDE, FAILED: DENY}, DENY, DENY),
    ("document_download", "GET"):             (DENY,    DOWNLOAD, DOWNLOAD,  DOWNLOAD,
                                               {READY: HIDE, FAILED: DENY}, DENY, DENY),
    # notifications/: everyone reads their own centre, marks their own notifications read and keeps
    # their own preferences; a notification is opened by its recipient alone (la.staff: the world's
    # is theirs), anyone else gets 404, the superuser too.  Marking "all" reads only one's own.
    ("notification_list", "GET"):             (PAGE,    PAGE,     PAGE,      PAGE,  PAGE,     PAGE,      PAGE),
    ("notification_open", "GET"):             (READ,    HIDE,     HIDE,      HIDE,  HIDE,     HIDE,      HIDE),
    ("notification_mark_read", "POST"):       (READ,    MARKED,   MARKED,    MARKED, MARKED,  MARKED,    MARKED),
    ("notification_preferences", "GET"):      (PAGE,    PAGE,     PAGE,      PAGE,  PAGE,     PAGE,      PAGE),
    ("notification_preferences", "POST"):     (SAVED,   SAVED,    SAVED,     SAVED, SAVED,    SAVED,     SAVED),
    # What was sent for the agreement: its coordinators (either party) and the superuser.
    ("agreement_notifications", "GET"):       (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    # The agreement's history (audit trail): the same readers; a report's details only to its readers.
    ("agreement_audit", "GET"):               (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    # Review meetings: every member reads them; the coordinators of either party (and the superuser) plan and
    # record them.  The walk's body is no meeting form: the form comes back with its errors (a page), nothing
    # written; attendance left empty changes nothing (back to the meeting); adopting needs an item (back).
    ("meeting_detail", "GET"):                (PAGE,    PAGE,     PAGE,      PAGE,  PAGE,     PAGE,      PAGE),
    ("meeting_create", "GET"):                (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    ("meeting_create", "POST"):               (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    ("meeting_edit", "GET"):                  (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    ("meeting_edit", "POST"):                 (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    ("meeting_attendance", "GET"):            (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    ("meeting_attendance", "POST"):           (DENY,    BACK,     DENY,      BACK,  DENY,     BACK,      DENY),
    ("meeting_agenda", "GET"):                (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    ("meeting_agenda", "POST"):               (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    ("meeting_minutes", "GET"):               (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    ("meeting_minutes", "POST"):              (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    ("meeting_decision_add", "GET"):          (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    ("meeting_decision_add", "POST"):         (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    ("meeting_decision_edit", "GET"):         (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    ("meeting_decision_edit", "POST"):        (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    ("meeting_decision_adopt", "POST"):       (DENY,    BACK,     DENY,      BACK,  DENY,     BACK,      DENY),
    # An agreement's life (agreements/lifecycle_views.py): its coordinators (either party) and the superuser.
    # Renewing the 2011 agreement is refused (its two departments are one body today): back, nothing written.
    # The walk's body is no status, amendment or file form: the page comes back with its errors.
    ("agreement_renew", "GET"):               (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    ("agreement_renew", "POST"):              (DENY,    BACK,     DENY,      BACK,  DENY,     BACK,      DENY),
    ("agreement_status", "GET"):              (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    ("agreement_status", "POST"):             (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    ("agreement_amend", "GET"):               (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    ("agreement_amend", "POST"):              (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    ("commitment_import", "GET"):             (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
    ("commitment_import", "POST"):            (DENY,    PAGE,     DENY,      PAGE,  DENY,     PAGE,      DENY),
}
# fmt: on
# Outsiders on the routes that name no object: a page, but for what they do with their own things.
# Parameters that choose a form of the answer, not an object (an export's file format).
OBJECTLESS_PARAMETERS = {"fmt"}
# Entering agreements depends on the role, not on the agreement: tg.coord coordinates too.
CREATORS = {"tg.staff": DENY, "tg.coord": PAGE, "tg.leader": DENY}
OUTSIDERS: dict[tuple[str, str], Outcome | dict[str, Outcome]] = {
    ("agreement_import", "GET"): CREATORS,
    ("agreement_import", "POST"): CREATORS,
    ("agreement_import_confirm", "POST"): CREATORS,
    ("agreement_create", "GET"): CREATORS,
    ("agreement_create", "POST"): CREATORS,
    ("body_search", "GET"): CREATORS,
    ("body_create", "GET"): CREATORS,
    ("body_create", "POST"): CREATORS,
    ("agreement_export", "GET"): FILE,  # the outsider's own (empty of this agreement) list
    ("commitment_export", "GET"): FILE,
    ("report_export", "GET"): FILE,
    ("meeting_export", "GET"): FILE,
    ("document_export", "GET"): FILE,
    ("notification_mark_read", "POST"): MARKED,
    ("notification_preferences", "POST"): SAVED,
}


def expected(role: str, route: Route, method: str, state: str) -> Outcome:
    if role == ANONYMOUS:
        return LOGIN  # login_required comes first, whatever the method
    if method not in _accepted[route.name]:
        return NOT_ALLOWED
    if role in OUTSIDER_ROLES:
        names_an_object = any(param not in OBJECTLESS_PARAMETERS for param in route.params)
        outcome = HIDE if names_an_object else OUTSIDERS.get((route.name, method), PAGE)
        return outcome[role] if isinstance(outcome, dict) else outcome
    rule = RULES.get((route.name, method))
    assert rule is not None, f"RULES does not say who may {method} {route}"
    cell = rule[PARTY_ROLES.index(role)]
    if isinstance(cell, dict):
        assert state in cell, f"RULES gives {role} no outcome of {method} {route} in state {state}"
        return cell[state]
    return cell


# --- one request --------------------------------------------------------------------------------


# What the workflow writes: an allowed GET never changes it, a refused request nothing at all.
WORKFLOW_TABLES: tuple[type[Model], ...] = (
    AuditEntry,
    ReportTransition,
    EntryRevision,
    Evidence,
    ProgressReport,
    ProgressEntry,
    Commitment,
)
# What a download may write (an issued copy rendered, a number), but a refused request may not.
DOCUMENT_TABLES: tuple[type[Model], ...] = (OfficialDocument, DocumentNumberCounter)
DOCUMENT_NAMES = {model.__name__ for model in DOCUMENT_TABLES}
# What a user writes for themselves (notifications read, preferences), and a workflow move notifies.
PERSONAL_TABLES: tuple[type[Model], ...] = (Notification, Preference)
PERSONAL_NAMES = {model.__name__ for model in PERSONAL_TABLES}


def snapshot() -> dict[str, Any]:
    """A fingerprint of every column of every row of the watched tables, in one query: any write changes it."""
    models = WORKFLOW_TABLES + DOCUMENT_TABLES + PERSONAL_TABLES
    if connection.vendor != "postgresql":
        return {m.__name__: hash(tuple(m.objects.order_by("pk").values_list())) for m in models}
    quote = connection.ops.quote_name
    parts = [
        # The models' own table and column names, quoted: nothing from outside goes into the SQL.
        f"(SELECT md5(coalesce(string_agg(t::text, ';' ORDER BY t.{quote(str(m._meta.pk.column))}), ''))"  # noqa: S608
        f" FROM {quote(m._meta.db_table)} t)"
        for m in models
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        row = cursor.fetchone()
    assert row is not None
    return dict(zip([m.__name__ for m in models], row, strict=True))


def app_path(location: str) -> str | None:
    """The route name a redirect goes to, if it is a page of the app."""
    try:
        return resolve(urlsplit(location).path).url_name
    except Resolver404:
        return None


@dataclass
class Case:
    role: str
    route: Route
    method: str
    state: str
    url: str

    def __str__(self) -> str:
        return f"{self.role} {self.method} {self.url} = {self.route.name} [{self.state}]"


def check(case: Case, outcome: Outcome, response: Any, before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What is wrong with the answer to one case (nothing: [])."""
    status = response.status_code
    got = f"got {status}" + (f" -> {response['Location']}" if response.has_header("Location") else "")
    if status >= 500:
        exc = getattr(response, "exc_info", None)
        return [f"{case}: expected {outcome.name}, {got} ({exc[1]!r})" if exc else f"{case}: {got}"]
    if status != outcome.status:
        return [f"{case}: expected {outcome.name}, {got}"]
    problems = []
    location = response["Location"] if status == 302 else ""
    if outcome is LOGIN and not location.startswith(reverse("login") + "?next="):
        problems.append(f"{case}: expected a redirect to the login page, {got}")
    if status == 302 and outcome is not LOGIN and app_path(location) in (None, "login"):
        problems.append(f"{case}: expected a redirect back to a page of the app, {got}")
    is_file = "attachment" in response.get("Content-Disposition", "")
    if outcome is FILE and not is_file:
        problems.append(f"{case}: expected a download, got {response.get('Content-Type')}")
    if outcome is PAGE and is_file:
        problems.append(f"{case}: expected a page, got a download")
    changed = {key for key in before if before[key] != after[key]}
    workflow_changed = changed - DOCUMENT_NAMES - PERSONAL_NAMES
    personal_changed = changed & PERSONAL_NAMES
    if not outcome.allowed and changed:
        problems.append(f"{case}: refused ({status}) but wrote {sorted(changed)}")
    elif outcome.writes and not workflow_changed:
        problems.append(f"{case}: expected a write, nothing changed")
    elif outcome.allowed and not outcome.writes and workflow_changed:
        problems.append(f"{case}: expected no write, changed {sorted(workflow_changed)}")
    elif personal_changed and not (outcome.writes or outcome.personal):
        problems.append(f"{case}: expected no write, changed {sorted(personal_changed)}")
    return problems


def hidden_from(role: str, world: World, routes: list[Route]) -> list[str]:
    """What no answer to `role` may contain: the address of everything it may not know (its GET is a
    404), and the contents of a report it may not know (entry, evidence file, review comment)."""
    if role == ANONYMOUS:
        return []
    hidden = [AGREEMENT_2011_TITLE] if role in OUTSIDER_ROLES else []
    for route in routes:
        if route.params and "GET" in _accepted[route.name]:
            for state in states_of(route):
                if expected(role, route, "GET", state) is HIDE:
                    hidden.append(world.url(route, state))
                    if "report_id" in route.params:
                        hidden += world.secrets[state]
    return sorted(set(hidden))


def body_of(response: Any) -> str:
    """The answer's text; reading a streamed file to its end closes it (the test client sees to it)."""
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return bytes(data).decode(errors="replace")


@dataclass
class Sent:
    """The answer to one request, the watched rows before and after, and what became of the world."""

    response: Any
    before: dict[str, Any]
    after: dict[str, Any]
    state_after: str | None  # the state of the report the case names
    read_after: bool  # whether la.staff's notification is read


def send(client: Client, case: Case, world: World) -> Sent:
    """One request inside a savepoint that is rolled back."""
    report = world.reports.get(case.state)
    with transaction.atomic():
        before = snapshot()
        data = world.bodies[case.state] if case.method == "POST" else None
        response = client.generic(case.method, case.url) if data is None else client.post(case.url, data)
        after = snapshot()
        state_after = ProgressReport.objects.get(pk=report.pk).state if report else None
        read_after = Notification.objects.filter(pk=world.notification.pk, read_at__isnull=False).exists()
        transaction.set_rollback(True)
    return Sent(response, before, after, state_after, read_after)


def probe_client(users: dict[str, User]) -> Client:
    insider = Client(raise_request_exception=False)
    insider.force_login(users["admin"])
    return insider


# --- the tests ------------------------------------------------------------------------------------


def test_routes_and_methods_are_those_of_the_rule_table(world, users):
    insider = probe_client(users)
    found = set()
    for route in app_routes():
        for method in accepted_methods(route, world.url(route, states_of(route)[0]), insider):
            found.add((route.name, method))
    assert found - set(RULES) == set(), "routes and methods that RULES does not know: say who may use them"
    assert set(RULES) - found == set(), "RULES names routes or methods the app no longer has"
    # What the first walk listed by hand is still found by this one.
    assert {
        ("report_entry_save", "POST"),
        ("report_edit", "POST"),
        ("report_submit", "POST"),
        ("report_return", "POST"),
        ("report_approve", "POST"),
        ("report_reopen", "POST"),
        ("evidence_delete", "POST"),
        ("agreement_detail", "GET"),
        ("period_detail", "GET"),
        ("report_detail", "GET"),
        ("evidence_download", "GET"),
    } <= found


@pytest.mark.parametrize("role", ROLES)
def test_walk(role, world, users):
    """Every route × accepted method × object state, as `role`: the outcome RULES gives, nothing more."""
    started = time.monotonic()
    routes = app_routes()
    insider = probe_client(users)
    for route in routes:
        accepted_methods(route, world.url(route, states_of(route)[0]), insider)
    client = Client(raise_request_exception=False)
    if role != ANONYMOUS:
        client.force_login(users[role])
    hidden = hidden_from(role, world, routes)
    problems: list[str] = []
    visited: set[tuple[str, str]] = set()
    requests = 0
    for route in routes:
        accepted = _accepted[route.name]
        # Every accepted method in every state; a refused method (405) once, in the first state.
        for method in dict.fromkeys(("GET", "POST", *accepted)):
            states = states_of(route) if method in accepted else states_of(route)[:1]
            for state in states:
                case = Case(role, route, method, state, world.url(route, state))
                outcome = expected(role, route, method, state)
                sent = send(client, case, world)
                response = sent.response
                requests += 1
                visited.add((route.name, method))
                found = check(case, outcome, response, sent.before, sent.after)
                if not found and outcome.to_state is not None and sent.state_after != outcome.to_state:
                    found.append(f"{case}: expected the report {outcome.to_state}, it is {sent.state_after}")
                if not found and sent.read_after != outcome.reads:
                    read = "read" if sent.read_after else "unread"
                    found.append(f"{case}: la.staff's notification is {read} afterwards")
                if not found and outcome.allowed and response.status_code < 300:
                    body = body_of(response)
                    leaked = [text for text in hidden if text in body]
                    if leaked:
                        found.append(f"{case}: shows what {role} may not know: {leaked}")
                problems += found
    assert {(r.name, m) for r in routes for m in _accepted[r.name]} <= visited
    if problems:
        elapsed = time.monotonic() - started
        pytest.fail(f"{len(problems)} of {requests} requests as {role} ({elapsed:.1f} s):\n" + "\n".join(problems))


# --- the scenarios the first walk had, on the same objects ---------------------------------------


def test_counterpart_coordinator_reads_submitted_but_not_drafts(client, users, world):
    client.force_login(users["tn.coord"])
    submitted, draft = world.reports[SUBMITTED], world.reports[DRAFT]
    assert client.get(reverse("report_detail", args=[submitted.pk])).status_code == 200
    assert client.post(reverse("report_approve", args=[submitted.pk])).status_code == 403
    assert client.post(reverse("report_edit", args=[submitted.pk])).status_code == 403
    assert client.get(reverse("report_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("report_history", args=[draft.pk])).status_code == 404
    submitted.refresh_from_db()
    assert submitted.state == SUBMITTED


def test_counterpart_staff_do_not_read_other_bodies_reports(client, users, world):
    client.force_login(users["tn.staff"])
    submitted = world.reports[SUBMITTED]
    evidence = Evidence.objects.filter(entry__report=submitted).get()
    assert client.get(reverse("report_detail", args=[submitted.pk])).status_code == 404
    assert client.get(reverse("evidence_download", args=[evidence.pk])).status_code == 404


def test_leaders_read_but_cannot_write(client, users, world):
    client.force_login(users["la.leader"])
    submitted = world.reports[SUBMITTED]
    assert client.get(reverse("report_detail", args=[submitted.pk])).status_code == 200
    for name in ("report_edit", "report_submit", "report_return", "report_approve", "report_reopen"):
        assert client.post(reverse(name, args=[submitted.pk]), world.bodies[SUBMITTED]).status_code == 403, name


def test_lists_show_only_own_agreements(client, users):
    client.force_login(users["tg.staff"])
    body = client.get(reverse("agreement_list")).content.decode()
    assert AGREEMENT_2011_TITLE not in body and "ba tỉnh Long An, Tây Ninh và Tiền Giang" in body


# --- what the walk's objects do not cover: mixed parameters, the issuing party ---------------------


def test_an_entry_is_saved_only_through_its_own_report(client, users, world):
    """A route naming a report and an entry refuses an entry of another report, and writes nothing.

    la.staff may edit Long An's draft, but not, through its address, an entry of Long An's submitted
    report or of Tây Ninh's draft, nor the draft's own entry through Tây Ninh's report.
    """
    routes = [r for r in app_routes() if {"report_id", "entry_id"} <= set(r.params)]
    assert routes, "no route names a report and an entry any more: this test has nothing to check"
    draft = world.reports[DRAFT]
    tn_draft = draft.period.reports.get(party__body__name=TAY_NINH)
    own = ProgressEntry.objects.get(pk=world.values[DRAFT]["entry_id"])
    locked = ProgressEntry.objects.get(pk=world.values[SUBMITTED]["entry_id"])
    foreign = tn_draft.entries.order_by("commitment__order").first()
    assert foreign is not None
    client.force_login(users["la.staff"])
    for route in routes:
        for report, entry in [(draft, locked), (draft, foreign), (tn_draft, own)]:
            url = reverse(route.name, kwargs={"report_id": report.pk, "entry_id": entry.pk})
            before = snapshot()
            status = client.post(url, post_body(entry.report, entry)).status_code
            assert (status, snapshot()) == (404, before), url


@pytest.mark.parametrize(
    ("username", "party"),
    [("la.coord", TAY_NINH), ("la.leader", TAY_NINH), ("tn.coord", LONG_AN)],
    ids=["la.coord-as-tn", "la.leader-as-tn", "tn.coord-as-la"],
)
def test_documents_are_issued_only_in_the_users_own_name(client, users, world, username, party):
    """`?party=` picks who issues an agreement's consolidated or yearly report: the user's own party only.

    The walk requests these routes without it (the user's own party); a query string is no part of
    the URL resolver, so this names the views that read it.
    """
    other = world.agreement.parties.get(body__name=party)
    values = world.values[APPROVED]
    period, year = {"period_id": values["period_id"]}, {"agreement_id": values["agreement_id"], "year": values["year"]}
    routes = [
        ("GET", reverse("document_consolidated_pdf", kwargs=period)),
        ("GET", reverse("document_review_pdf", kwargs=year)),
        ("POST", reverse("document_consolidated_issue", kwargs=period)),
        ("POST", reverse("document_review_issue", kwargs=year)),
    ]
    client.force_login(users[username])
    for method, url in routes:
        before = snapshot()
        response = client.generic(method, f"{url}?party={other.pk}", urlencode(world.bodies[APPROVED]), FORM)
        assert response.status_code == 403, (method, url)
        assert snapshot() == before, (method, url)
    # The superuser issues in any party's name (Long An's consolidated report is the failed one: 202).
    client.force_login(users["admin"])
    statuses = [
        client.generic(method, f"{url}?party={other.pk}", urlencode(world.bodies[APPROVED]), FORM).status_code
        for method, url in routes
    ]
    assert statuses == [202 if party == LONG_AN else 200, 200, 302, 302]
    assert OfficialDocument.objects.get(kind=OfficialDocument.Kind.YEARLY_REVIEW, issuing_party=other).number
