"""The audit trail records every write of agreements, parties, items, commitments, periods, reports, entries,
evidence, meetings, decisions and documents, with the acting user and the agreement it belongs to:

- through the admin, as a superuser posts its pages (inlines and the bulk delete action included):
  an addition keeps the values, a change each field before and after, a deletion the last values;
- through the services (the workflow, meetings, documents) and the jobs that open periods in bulk;
- and the database refuses to change or delete an entry, whoever asks; a user who acted is never deleted.

The page that reads it is tests/reporting/test_agreement_audit.py.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, models, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from agreements.models import Agreement, Body, Commitment, CooperationItem, Party
from agreements.services import add_commitment
from core.audit import audit
from core.models import AuditEntry
from core.numbers import format_decimal
from core.trail import describe
from meetings.models import MeetingDecision, ReviewMeeting
from meetings.services import adopt_decision
from reporting import workflow
from reporting.documents.kinds import PartyReportDocument
from reporting.models import Evidence, OfficialDocument, ProgressEntry, ProgressReport, ReportingPeriod
from tests.support import fill_report, issue_now, la_report_of, png_bytes

pytestmark = pytest.mark.django_db

LONG_AN = "Sở Công Thương tỉnh Long An"
TAY_NINH = "Sở Công Thương tỉnh Tây Ninh"
TIEN_GIANG = "Sở Công Thương tỉnh Tiền Giang"


# --- the admin as a browser posts it -----------------------------------------------------------------


def admin_url(model: type[models.Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _posted(field: forms.Field, value: Any) -> Any:
    if isinstance(field, forms.BooleanField):
        return "on" if value else None
    if isinstance(field, forms.ModelMultipleChoiceField):
        return [str(getattr(v, "pk", v)) for v in value or []]
    if isinstance(field, forms.FileField):
        return None
    if value is None:
        return ""
    if isinstance(value, Decimal):  # typed the page's way (core.forms.LocalizedDecimalField)
        return format_decimal(value, language=settings.LANGUAGE_CODE)
    return str(getattr(value, "pk", value))


def admin_data(response: Any) -> dict[str, Any]:
    """Everything an admin add or change page posts untouched: its form, each inline's management form and rows."""
    assert response.status_code == 200
    forms_on_page = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms_on_page += [inline.formset.management_form, *inline.formset.forms]
    data: dict[str, Any] = {}
    for form in forms_on_page:
        for bound in form:
            value = _posted(bound.field, bound.value())
            if value is not None:
                data[bound.html_name] = value
    return data


def post_admin(client: Any, url: str, changes: dict[str, Any]) -> Any:
    """Open the page, change what `changes` says, save; the admin must accept it (a redirect)."""
    data = admin_data(client.get(url)) | changes
    response = client.post(url, {k: v for k, v in data.items() if v is not None})
    if response.status_code != 302:
        errors = [response.context["adminform"].form.errors]
        errors += [inline.formset.errors for inline in response.context["inline_admin_formsets"]]
        errors += [inline.formset.non_form_errors() for inline in response.context["inline_admin_formsets"]]
        pytest.fail(f"the admin refused the post: {errors}")
    return response


def trail_of(obj: models.Model, action: str) -> AuditEntry:
    return AuditEntry.objects.get(object_type=obj._meta.label_lower, object_id=obj.pk, action=action)


@pytest.fixture
def superuser(client: Any, users: dict[str, Any]) -> Any:
    client.force_login(users["admin"])
    return users["admin"]


@pytest.fixture
def fresh(demo: None) -> dict[str, Any]:
    """An agreement entered today, nothing reported yet: two parties, two items, a commitment, a period."""
    agreement = Agreement.objects.create(
        title="Thỏa thuận hợp tác thử nhật ký",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2030, 12, 31),
    )
    la = Party.objects.create(agreement=agreement, body=Body.objects.get(name=LONG_AN, valid_to__isnull=False), order=1)
    tn = Party.objects.create(
        agreement=agreement, body=Body.objects.get(name=TAY_NINH, valid_to__isnull=False), order=2
    )
    item = CooperationItem.objects.create(agreement=agreement, number=1, text="Xúc tiến thương mại", sector_id="trade")
    spare = CooperationItem.objects.create(agreement=agreement, number=2, text="Du lịch", sector_id="tourism")
    commitment = Commitment.objects.create(item=item, responsible_party=la, description="Tổ chức hội chợ")
    period = ReportingPeriod.objects.create(
        agreement=agreement,
        cadence_months=6,
        year=2026,
        index=1,
        start=datetime.date(2025, 12, 15),
        end=datetime.date(2026, 6, 14),
        deadline=datetime.date(2026, 6, 24),
    )
    return {
        "agreement": agreement,
        "party": la,
        "other": tn,
        "item": item,
        "spare": spare,
        "commitment": commitment,
        "period": period,
    }


@pytest.fixture
def evidence(users: dict[str, Any], la_report: ProgressReport) -> Evidence:
    entry = la_report.entries.order_by("pk")[0]
    upload = SimpleUploadedFile("anh-hoi-cho.png", png_bytes(), content_type="image/png")
    return workflow.add_evidence(users["la.staff"], entry, upload)


@pytest.fixture
def official_document(fresh: dict[str, Any]) -> OfficialDocument:
    return OfficialDocument.objects.create(
        key="yearly_review:thu",
        kind=OfficialDocument.Kind.YEARLY_REVIEW,
        agreement=fresh["agreement"],
        issuing_party=fresh["party"],
        year=2026,
    )


def test_an_agreement_added_with_its_parties_and_items_is_in_its_history(client, superuser, demo):
    la, tn = Body.objects.get(name=LONG_AN, valid_to__isnull=False), Body.objects.get(name=TIEN_GIANG)
    post_admin(
        client,
        admin_url(Agreement, "add"),
        {
            "title": "Chương trình hợp tác mới",
            "period_start": "2026-01-01",
            "period_end": "2028-12-31",
            "parties-0-body": la.pk,
            "parties-0-order": 1,
            "parties-1-body": tn.pk,
            "parties-1-order": 2,
            "items-TOTAL_FORMS": 1,
            "items-0-number": 1,
            "items-0-text": "Kết nối giao thương",
            "items-0-sector": "trade",
        },
    )
    agreement = Agreement.objects.get(title="Chương trình hợp tác mới")
    history = AuditEntry.objects.filter(agreement_id=agreement.pk)
    assert {(e.action, e.object_type) for e in history} == {
        ("admin.created", "agreements.agreement"),
        ("admin.created", "agreements.party"),
        ("admin.created", "agreements.cooperationitem"),
    }
    assert history.count() == 4  # the agreement, two parties, one item
    assert {e.actor for e in history} == {superuser} and {e.actor_name for e in history} == {"Quản trị"}
    created = trail_of(agreement, "admin.created")
    assert created.object_repr == "Chương trình hợp tác mới"
    assert created.data["values"]["title"] == "Chương trình hợp tác mới"
    assert created.data["values"]["period_end"] == "2028-12-31"
    assert {e.object_repr for e in history.filter(object_type="agreements.party")} == {str(la), str(tn)}


def test_a_change_with_its_inlines_keeps_each_field_before_and_after(client, superuser, fresh):
    agreement, party, spare = fresh["agreement"], fresh["party"], fresh["spare"]
    post_admin(
        client,
        admin_url(Agreement, "change", agreement.pk),
        {
            "title": "Thỏa thuận đã đổi tên",
            "parties-0-signatory_name": "Nguyễn Văn Ký",
            "items-1-DELETE": "on",  # the second item (items are listed by number)
        },
    )
    changed = trail_of(agreement, "admin.updated")
    assert changed.data["changes"] == {"title": ["Thỏa thuận hợp tác thử nhật ký", "Thỏa thuận đã đổi tên"]}
    assert changed.actor == superuser and changed.agreement_id == agreement.pk
    assert trail_of(party, "admin.updated").data["changes"] == {"signatory_name": ["", "Nguyễn Văn Ký"]}
    gone = AuditEntry.objects.get(object_type="agreements.cooperationitem", object_id=spare.pk)
    assert gone.action == "admin.deleted" and gone.agreement_id == agreement.pk
    assert gone.data["values"]["text"] == "Du lịch" and gone.object_repr == "2. Du lịch"
    assert not CooperationItem.objects.filter(pk=spare.pk).exists()
    # A save that changes nothing writes nothing.
    before = AuditEntry.objects.count()
    post_admin(client, admin_url(Agreement, "change", agreement.pk), {})
    assert AuditEntry.objects.count() == before


# (kind, how the test finds the object, what the admin changes, the field's value before and after as kept)
CHANGES = [
    ("party", lambda w: w["party"], {"signatory_title": "Giám đốc"}, ["", "Giám đốc"]),
    (
        "item",
        lambda w: w["item"],
        {"text": "Xúc tiến thương mại, đầu tư"},
        ["Xúc tiến thương mại", "Xúc tiến thương mại, đầu tư"],
    ),
    ("commitment", lambda w: w["commitment"], {"due_on": "2027-06-30"}, [None, "2027-06-30"]),
    ("period", lambda w: w["period"], {"deadline": "2026-06-30"}, ["2026-06-24", "2026-06-30"]),
    ("report", lambda w: w["report"], {"shortcomings": "Thiếu kinh phí"}, ["", "Thiếu kinh phí"]),
    ("entry", lambda w: w["entry"], {"proposals": "Đề nghị hỗ trợ"}, ["", "Đề nghị hỗ trợ"]),
    ("evidence", lambda w: w["evidence"], {"original_name": "hoi-cho.png"}, ["anh-hoi-cho.png", "hoi-cho.png"]),
    ("meeting", lambda w: w["decision"].meeting, {"place": "Long An"}, ["Tây Ninh", "Long An"]),
    (
        "decision",
        lambda w: w["decision"],
        {"text": "Kết luận đã sửa"},
        ["Tổ chức phiên kết nối giao thương quý I/2026.", "Kết luận đã sửa"],
    ),
]


@pytest.fixture
def world(fresh, la_report, evidence, decision) -> dict[str, Any]:
    return fresh | {"report": la_report, "entry": evidence.entry, "evidence": evidence, "decision": decision}


@pytest.mark.parametrize(("kind", "find", "changes", "kept"), CHANGES, ids=[c[0] for c in CHANGES])
def test_each_kind_changed_in_the_admin_is_in_the_trail(client, superuser, world, kind, find, changes, kept):
    obj = find(world)
    post_admin(client, admin_url(type(obj), "change", obj.pk), changes)
    (name,) = changes
    entry = trail_of(obj, "admin.updated")
    assert entry.data["changes"] == {name: kept}
    assert entry.actor == superuser
    expected = obj.audit_agreement_id() if hasattr(obj, "audit_agreement_id") else obj.agreement_id
    assert entry.agreement_id == expected is not None


def test_a_commitment_added_in_the_admin_keeps_its_values_and_its_supporting_bodies(client, superuser, fresh):
    helper = Body.objects.get(name=TIEN_GIANG)
    post_admin(
        client,
        admin_url(Commitment, "add"),
        {
            "item": fresh["item"].pk,
            "responsible_party": fresh["other"].pk,
            "description": "Khảo sát tuyến du lịch",
            "indicator_name": "Số đoàn khảo sát",
            "indicator_unit": "đoàn",
            "target": "1.500",  # one thousand five hundred, typed the Vietnamese way
            "supporting_bodies": [helper.pk],
        },
    )
    commitment = Commitment.objects.get(description="Khảo sát tuyến du lịch")
    values = trail_of(commitment, "admin.created").data["values"]
    assert values["target"] == "1500" and values["supporting_bodies"] == [str(helper)]
    assert values["responsible_party"] == str(fresh["other"])
    # Only the supporting bodies change: the many-to-many is compared too.
    post_admin(client, admin_url(Commitment, "change", commitment.pk), {"supporting_bodies": []})
    assert trail_of(commitment, "admin.updated").data["changes"] == {"supporting_bodies": [[str(helper)], []]}


def test_a_meeting_added_with_its_decisions_and_a_decision_adopted_in_the_admin(client, superuser, fresh):
    agreement = fresh["agreement"]
    post_admin(
        client,
        admin_url(ReviewMeeting, "add"),
        {
            "agreement": agreement.pk,
            "kind": "yearly",
            "held_on": "2026-12-20",
            "place": "Tây Ninh",
            "decisions-TOTAL_FORMS": 1,
            "decisions-0-number": 1,
            "decisions-0-text": "Mở rộng hội chợ",
        },
    )
    meeting = ReviewMeeting.objects.get(agreement=agreement)
    decision = meeting.decisions.get()
    assert trail_of(meeting, "admin.created").agreement_id == agreement.pk
    assert trail_of(decision, "admin.created").agreement_id == agreement.pk
    post_admin(
        client,
        admin_url(MeetingDecision, "change", decision.pk),
        {"adopt_item": fresh["item"].pk, "adopt_party": fresh["party"].pk},
    )
    decision.refresh_from_db()
    assert decision.commitment is not None
    assert trail_of(decision, "decision.adopted").actor == superuser
    assert trail_of(decision.commitment, "commitment.added").agreement_id == agreement.pk


def test_a_period_added_in_the_admin(client, superuser, fresh):
    post_admin(
        client,
        admin_url(ReportingPeriod, "add"),
        {
            "agreement": fresh["agreement"].pk,
            "cadence_months": 6,
            "year": 2026,
            "index": 2,
            "start": "2026-06-15",
            "end": "2026-12-14",
            "deadline": "2026-12-24",
        },
    )
    period = ReportingPeriod.objects.get(agreement=fresh["agreement"], index=2)
    assert trail_of(period, "admin.created").data["values"]["deadline"] == "2026-12-24"


# (kind, how the test finds the object): each deleted from its admin page
DELETES = [
    ("agreement", lambda w: w["agreement"]),
    (
        "party",
        lambda w: Party.objects.create(agreement=w["agreement"], body=Body.objects.get(name=TIEN_GIANG), order=3),
    ),
    ("item", lambda w: w["spare"]),
    ("commitment", lambda w: w["commitment"]),
    ("period", lambda w: w["period"]),
    ("evidence", lambda w: w["evidence"]),
    ("document", lambda w: w["document"]),
    ("meeting", lambda w: w["decision"].meeting),
    ("decision", lambda w: w["decision"]),
]


@pytest.mark.parametrize(("kind", "find"), DELETES, ids=[d[0] for d in DELETES])
def test_each_kind_deleted_in_the_admin_is_in_the_trail(client, superuser, world, official_document, kind, find):
    obj = find(world | {"document": official_document})
    pk, name = obj.pk, str(obj)
    agreement_id = obj.audit_agreement_id() if hasattr(obj, "audit_agreement_id") else obj.agreement_id
    response = client.post(admin_url(type(obj), "delete", pk), {"post": "yes"})
    assert response.status_code == 302
    assert not type(obj)._default_manager.filter(pk=pk).exists()
    entry = AuditEntry.objects.get(object_type=obj._meta.label_lower, object_id=pk, action="admin.deleted")
    assert entry.actor == superuser and entry.object_repr == name[:300]
    assert entry.agreement_id == agreement_id is not None
    assert entry.data["values"], "the row's last values"
    assert entry.data["deleted"][obj._meta.label] == 1


def test_an_agreement_deleted_keeps_what_went_with_it(client, superuser, fresh):
    agreement = fresh["agreement"]
    client.post(admin_url(Agreement, "delete", agreement.pk), {"post": "yes"})
    entry = AuditEntry.objects.get(object_type="agreements.agreement", object_id=agreement.pk, action="admin.deleted")
    assert (
        entry.data["deleted"].items()
        >= {
            "agreements.Agreement": 1,
            "agreements.Party": 2,
            "agreements.CooperationItem": 2,
            "agreements.Commitment": 1,
            "reporting.ReportingPeriod": 1,
        }.items()
    )
    assert entry.data["values"]["title"] == "Thỏa thuận hợp tác thử nhật ký"
    line = describe(entry)
    assert line.action == "Xóa thỏa thuận hợp tác (trang quản trị)"
    assert ("Xóa kèm theo", "1 cam kết, 2 nội dung hợp tác, 2 bên tham gia, 1 kỳ báo cáo") in line.details
    assert ("Tên văn bản", "Thỏa thuận hợp tác thử nhật ký") in line.details
    assert ("Giai đoạn đến", "31/12/2030") in line.details


def test_reports_and_entries_are_never_added_or_deleted_in_the_admin(client, superuser, la_report):
    entry = la_report.entries.first()
    for model, pk in ((ProgressReport, la_report.pk), (ProgressEntry, entry.pk)):
        assert client.get(admin_url(model, "add")).status_code == 403
        assert client.post(admin_url(model, "delete", pk), {"post": "yes"}).status_code == 403
    assert ProgressReport.objects.filter(pk=la_report.pk).exists()


def test_the_bulk_delete_action_writes_one_entry_per_row(client, superuser, fresh):
    third = CooperationItem.objects.create(agreement=fresh["agreement"], number=3, text="Y tế", sector_id="health")
    spare = fresh["spare"]
    response = client.post(
        admin_url(CooperationItem, "changelist"),
        {"action": "delete_selected", "_selected_action": [spare.pk, third.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not CooperationItem.objects.filter(pk__in=[spare.pk, third.pk]).exists()
    entries = AuditEntry.objects.filter(action="admin.deleted", object_type="agreements.cooperationitem")
    assert {e.object_id for e in entries} == {spare.pk, third.pk}
    assert {e.actor for e in entries} == {superuser}
    assert {e.agreement_id for e in entries} == {fresh["agreement"].pk}
    assert {e.data["values"]["text"] for e in entries} == {"Du lịch", "Y tế"}
    assert {e.data["together"] for e in entries} == {2}


# --- the services --------------------------------------------------------------------------------


def test_a_reports_whole_life_is_in_its_agreements_trail(users, la_report):
    staff, coordinator = users["la.staff"], users["la.coord"]
    agreement_id = la_report.period.agreement_id
    start = AuditEntry.objects.order_by("-pk").first().pk
    fill_report(users, la_report)
    entry = la_report.entries.order_by("pk").first()
    upload = SimpleUploadedFile("bien-ban.png", png_bytes(), content_type="image/png")
    evidence = workflow.add_evidence(staff, entry, upload)
    workflow.remove_evidence(staff, evidence)
    workflow.submit_report(staff, la_report)
    workflow.return_report(coordinator, la_report, "Bổ sung số liệu", {entry.pk: "Thiếu số doanh nghiệp"})
    workflow.submit_report(staff, la_report)
    workflow.approve_report(coordinator, la_report)
    workflow.reopen_report(coordinator, la_report, "Sửa số liệu xuất khẩu")
    written = list(AuditEntry.objects.filter(pk__gt=start).order_by("pk"))
    actions = [e.action for e in written]
    entries = la_report.entries.count()
    assert actions == [
        *["entry.saved"] * entries,
        "report.saved",
        "evidence.added",
        "evidence.removed",
        "report.submitted",
        "report.returned",
        "report.submitted",
        "report.approved",
        *["commitment.status"] * actions.count("commitment.status"),
        "report.returned",  # reopened
    ]
    assert actions.count("commitment.status") >= 1
    assert {e.agreement_id for e in written} == {agreement_id}
    assert {e.actor.username for e in written} == {"la.staff", "la.coord"}
    returned = written[actions.index("report.returned")]
    assert returned.data["comment"] == "Bổ sung số liệu"
    assert returned.data["entry_comments"] == {str(entry.pk): "Thiếu số doanh nghiệp"}
    assert written[-1].data["from_state"] == "approved"
    assert written[actions.index("evidence.removed")].object_repr == "bien-ban.png"
    assert written[0].object_repr.startswith(LONG_AN)


def test_a_decision_adopted_and_a_commitment_added_by_the_services(users, decision):
    agreement_id = decision.meeting.agreement_id
    item = decision.meeting.agreement.items.get(number=1)
    party = decision.meeting.agreement.parties.first()
    commitment = adopt_decision(users["la.coord"], decision, item=item, responsible_party=party)
    assert trail_of(decision, "decision.adopted").agreement_id == agreement_id
    added = trail_of(commitment, "commitment.added")
    assert (added.agreement_id, added.actor, added.object_repr) == (agreement_id, users["la.coord"], decision.text[:80])
    other = add_commitment(users["admin"], item, party, "Cam kết thêm")
    assert trail_of(other, "commitment.added").agreement_id == agreement_id


@pytest.mark.usefixtures("media")
def test_a_document_issued_is_in_the_trail(users, first_half):
    stored = issue_now(users, "la.coord", PartyReportDocument(la_report_of(first_half)))
    entry = trail_of(stored, "document.issued")
    assert entry.actor == users["la.coord"] and entry.agreement_id == first_half.agreement_id
    assert entry.data["number"] and entry.data["signer"] == stored.signer_name


def test_periods_opened_by_the_system_are_in_the_trail_one_entry_per_agreement(agreement):
    """`agreement` tracked the 2011 agreement: its periods and reports were opened at once, by nobody."""
    entry = AuditEntry.objects.get(action="periods.opened", agreement_id=agreement.pk)
    assert entry.actor is None and entry.actor_name == "" and entry.object_repr == agreement.title
    assert sorted(entry.data["periods"]) == sorted(agreement.reporting_periods.values_list("pk", flat=True))
    reports = ProgressReport.objects.filter(period__agreement=agreement)
    assert sorted(entry.data["reports"]) == sorted(reports.values_list("pk", flat=True))
    assert entry.data["entries"] == ProgressEntry.objects.filter(report__in=reports).count() > 0


def test_the_hourly_job_writes_one_entry_per_agreement_it_opened(fresh):
    """The fresh agreement comes into force: its first period gets its reports, its second period opens."""
    agreement = fresh["agreement"]
    Agreement.objects.filter(pk=agreement.pk).update(status=Agreement.Status.IN_FORCE)
    start = AuditEntry.objects.order_by("-pk").first().pk
    opened = workflow.open_due_periods(datetime.date(2026, 11, 22))
    written = AuditEntry.objects.filter(pk__gt=start)
    assert written.count() == opened.agreements >= 1
    assert {e.action for e in written} == {"periods.opened"} and {e.actor for e in written} == {None}
    assert sum(len(e.data["reports"]) for e in written) == opened.reports
    assert sum(e.data["entries"] for e in written) == opened.entries
    ours = written.get(agreement_id=agreement.pk)
    second = agreement.reporting_periods.get(index=2)
    assert ours.data["periods"] == [second.pk]
    assert sorted(ours.data["reports"]) == sorted(
        ProgressReport.objects.filter(period__agreement=agreement).values_list("pk", flat=True)
    )
    assert len(ours.data["reports"]) == 4 and ours.data["entries"] == 2  # two parties, two periods; one commitment


def test_a_report_given_its_missing_entries_or_a_missing_report_is_in_the_trail(users, la_report):
    added = Commitment.objects.create(
        item=la_report.period.agreement.items.first(), responsible_party=la_report.party, description="Cam kết mới"
    )
    assert workflow.sync_entries(la_report) == 1
    entry = trail_of(la_report, "entries.added")
    assert entry.data["commitments"] == [added.pk] and entry.actor is None
    later = la_report.period.agreement.reporting_periods.order_by("start")[1]
    ProgressReport.objects.filter(party=la_report.party, period=later).delete()
    report = workflow.ensure_report(la_report.party, later)
    opened = AuditEntry.objects.filter(action="periods.opened", agreement_id=later.agreement_id).order_by("pk").last()
    assert opened.data["reports"] == [report.pk] and opened.data["periods"] == []


# --- never changed, never deleted ------------------------------------------------------------------


@pytest.fixture
def entry(users, la_report) -> AuditEntry:
    return audit(users["la.staff"], "report.saved", la_report, changes={"shortcomings": ["", "x"]})


def refused(statement: Any) -> str:
    with pytest.raises(DatabaseError) as error, transaction.atomic():
        statement()
    return str(error.value)


def test_the_database_refuses_to_change_or_delete_an_entry(entry):
    table = AuditEntry._meta.db_table
    for statement in (
        lambda: AuditEntry.objects.filter(pk=entry.pk).update(action="forged"),
        lambda: AuditEntry.objects.filter(pk=entry.pk).delete(),
        lambda: entry.delete(),
        lambda: AuditEntry.objects.all().update(data={}),
        lambda: connection.cursor().execute(f"UPDATE {table} SET actor_name = 'x' WHERE id = %s", [entry.pk]),  # noqa: S608
        lambda: connection.cursor().execute(f"DELETE FROM {table}"),  # noqa: S608
    ):
        assert "append-only" in refused(statement)
    entry.refresh_from_db()
    assert entry.action == "report.saved" and entry.actor_name == "Chuyên viên Long An"


def test_a_user_who_acted_is_deactivated_never_deleted(users, entry):
    staff = users["la.staff"]
    with pytest.raises(ProtectedError), transaction.atomic():
        staff.delete()
    staff.is_active = False
    staff.save()
    entry.refresh_from_db()
    assert entry.actor == staff and entry.actor_name == "Chuyên viên Long An"


def test_a_user_who_never_acted_may_still_be_deleted(demo):
    from django.contrib.auth.models import User

    newcomer = User.objects.create_user("newcomer")
    newcomer.delete()
    assert not User.objects.filter(username="newcomer").exists()


@pytest.mark.django_db(transaction=True)
def test_emptying_the_test_database_is_not_refused():
    """The trigger refuses rows, not TRUNCATE: the flush after a transactional test (this one) still works."""
    from django.contrib.auth.models import User

    user = User.objects.create_user("flushed")
    agreement = Agreement.objects.create(
        title="Tạm", period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2027, 1, 1)
    )
    audit(user, "agreement.archived", agreement)
    assert refused(lambda: AuditEntry.objects.filter(agreement_id=agreement.pk).delete())
    assert AuditEntry.objects.filter(agreement_id=agreement.pk).count() == 1
