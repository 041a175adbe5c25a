"""Load the demo data; running it again changes nothing (every write is keyed by a natural key)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction

from agreements.adminunits import load_administrative_units
from agreements.models import (
    AdministrativeUnit,
    Agreement,
    Body,
    Commitment,
    CooperationItem,
    Membership,
    Party,
    Sector,
)
from agreements.sectors import load_sectors
from core import clock
from demo import data as demo
from reporting import workflow
from reporting.models import EntryRevision, ProgressReport, ReportTransition

_M = TypeVar("_M", bound=models.Model)


def _upsert(model: type[_M], defaults: dict[str, Any], **lookup: Any) -> tuple[_M, bool]:
    """Like update_or_create, but writes only what differs: a second run leaves rows, timestamps included, alone."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **defaults), True
    changed = [name for name, value in defaults.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, defaults[name])
    if changed:
        obj.save(update_fields=changed)
    return obj, False


def _unit(key: str, era: str) -> AdministrativeUnit:
    units = AdministrativeUnit.objects.filter(key=key)
    unit: AdministrativeUnit = units.get(valid_from__isnull=(era != "new"))
    return unit


def _load_bodies() -> dict[str, Body]:
    bodies: dict[str, Body] = {}
    for spec in demo.BODIES:
        body, _ = _upsert(
            Body,
            unit=_unit(spec.unit_key, spec.unit_era),
            name=spec.name,
            valid_from=spec.valid_from,
            defaults={
                "kind": spec.kind,
                "abbreviation": spec.abbreviation,
                "parent": bodies[spec.parent] if spec.parent else None,
                "valid_to": spec.valid_to,
                "successor": bodies[spec.successor] if spec.successor else None,
            },
        )
        body.full_clean()
        bodies[spec.ref] = body
    return bodies


def _load_users(bodies: dict[str, Body]) -> None:
    User = get_user_model()
    for spec in demo.USERS:
        user, created = _upsert(
            User,
            {"first_name": spec.first_name, "last_name": spec.last_name, "email": demo.email_of(spec.username)},
            username=spec.username,
        )
        if created:
            user.set_password(demo.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(
            user=user, body=bodies[spec.body], role=spec.role, defaults={"title": spec.title}
        )
    admin, created = User.objects.get_or_create(
        username=demo.ADMIN_USERNAME, defaults={"is_staff": True, "is_superuser": True, "first_name": "Quản trị"}
    )
    if created:
        admin.set_password(demo.DEMO_PASSWORD)
        admin.save(update_fields=["password"])


def _load_agreement(spec: demo.AgreementSpec, bodies: dict[str, Body]) -> Agreement:
    agreement, _ = _upsert(
        Agreement,
        title=spec.title,
        defaults={
            "kind": spec.kind,
            "signed_on": spec.signed_on,
            "signed_at": spec.signed_at,
            "period_start": spec.period_start,
            "period_end": spec.period_end,
            "objectives": spec.objectives,
            "status": spec.status,
            "notes": spec.notes,
            "tracked_from": spec.tracked_from,
        },
    )
    agreement.full_clean()
    parties: dict[str, Party] = {}
    for order, party_spec in enumerate(spec.parties, start=1):
        party, _ = _upsert(
            Party,
            agreement=agreement,
            body=bodies[party_spec.body],
            defaults={
                "coordinating_office": bodies[party_spec.office] if party_spec.office else None,
                "signatory_name": party_spec.signatory_name,
                "signatory_title": party_spec.signatory_title,
                "hosts_next_meeting": party_spec.hosts_next_meeting,
                "order": order,
            },
        )
        parties[party_spec.body] = party
    items: dict[int, CooperationItem] = {}
    for number, (sector, text) in enumerate(spec.items, start=1):
        items[number], _ = _upsert(
            CooperationItem, agreement=agreement, number=number, defaults={"text": text, "sector_id": sector}
        )
    commitments = list(spec.commitments)
    if spec.one_commitment_per_item_and_party:
        commitments += [
            demo.CommitmentSpec(
                number, party_spec.body, f"Triển khai nội dung hợp tác số {number} tại {bodies[party_spec.body].name}."
            )
            for number in items
            for party_spec in spec.parties
        ]
    for order, c in enumerate(commitments, start=1):
        commitment, _ = _upsert(
            Commitment,
            item=items[c.item],
            description=c.description,
            defaults={
                "responsible_party": parties[c.party],
                "due_on": c.due_on,
                "indicator_name": c.indicator_name,
                "indicator_unit": c.indicator_unit,
                "baseline": c.baseline,
                "target": c.target,
                "order": order,
            },
        )
        commitment.full_clean()
        commitment.supporting_bodies.set([bodies[ref] for ref in c.supporting])
    return agreement


def _take_report(agreement: Agreement, spec: demo.ReportSpec, bodies: dict[str, Body]) -> None:
    """Write and review one illustrative report through the workflow, as its department would.

    Only a fresh draft (nobody has saved or moved it) is taken: a second run finds it done and
    writes nothing, and a report somebody has since worked on is left as they left it.
    """
    report = ProgressReport.objects.filter(
        party__agreement=agreement, party__body=bodies[spec.party], period__year=spec.year, period__index=spec.index
    ).first()
    if report is None or report.state != ProgressReport.State.DRAFT or report.version != 1:
        return
    if (
        ReportTransition.objects.filter(report=report).exists()
        or EntryRevision.objects.filter(entry__report=report).exists()
    ):
        return
    User = get_user_model()
    staff, coordinator = User.objects.get(username=spec.staff), User.objects.get(username=spec.coordinator)
    entries = {e.commitment.description: e for e in report.entries.select_related("commitment")}
    for entry_spec in spec.entries:
        entry = entries[entry_spec.commitment]
        values: dict[str, Any] = {
            "status": entry_spec.status,
            "percent_complete": entry_spec.percent,
            "results": entry_spec.results,
            "difficulties": entry_spec.difficulties,
            "proposals": entry_spec.proposals,
        }
        if entry_spec.actual_value is not None:
            values["actual_value"] = entry_spec.actual_value
        workflow.save_entry(staff, entry, values, entry.version)
    report.refresh_from_db()
    texts = {
        "overall_assessment": spec.overall_assessment,
        "shortcomings": spec.shortcomings,
        "next_period_tasks": spec.next_period_tasks,
    }
    report = workflow.save_report_fields(staff, report, texts, report.version)
    report = workflow.submit_report(staff, report, confirm_unchanged=True)
    if spec.state == ProgressReport.State.RETURNED:
        comments = {entries[description].pk: text for description, text in spec.entry_comments}
        workflow.return_report(coordinator, report, spec.review_comment, comments)
    elif spec.state == ProgressReport.State.APPROVED:
        workflow.approve_report(coordinator, report)


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu từ các văn bản thật (chạy lại nhiều lần không tạo bản ghi trùng)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Nạp cả khi DEBUG tắt (máy chủ thật): tạo các tài khoản mẫu với mật khẩu công khai.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo's accounts, `admin` a superuser among them, get the password printed by `make run` and
        # written in the README: on a real server that is an open door.  DEBUG is off there (and in the
        # test suite, which says --force).
        if not settings.DEBUG:
            if not options["force"]:
                raise CommandError(
                    "DEBUG đang tắt (máy chủ thật?): không nạp dữ liệu mẫu, vì dữ liệu mẫu tạo tài khoản quản trị "
                    f"“{demo.ADMIN_USERNAME}” và các tài khoản khác với mật khẩu công khai. Chỉ dùng trên máy "
                    "phát triển (DEBUG=true); nếu thật sự cần, chạy lại với --force rồi đổi mật khẩu ngay."
                )
            self.stderr.write(
                self.style.WARNING(
                    "CẢNH BÁO: nạp dữ liệu mẫu khi DEBUG tắt (--force). Các tài khoản mẫu mới tạo, kể cả "
                    f"“{demo.ADMIN_USERNAME}” (quản trị), có mật khẩu công khai “{demo.DEMO_PASSWORD}”: "
                    "hãy đổi hoặc xóa chúng ngay."
                )
            )
        with transaction.atomic():
            if not AdministrativeUnit.objects.exists():
                # The migration loads them; a flushed database (e.g. after a transactional test) has none.
                load_administrative_units(AdministrativeUnit)
            if not Sector.objects.exists():
                load_sectors(Sector)
            bodies = _load_bodies()
            _load_users(bodies)
            agreements = [_load_agreement(spec, bodies) for spec in demo.AGREEMENTS]
            today = clock.today()
            for spec, agreement in zip(demo.AGREEMENTS, agreements, strict=True):
                workflow.open_reporting_periods(agreement, today)
                for report_spec in spec.reports:
                    _take_report(agreement, report_spec, bodies)
        self.stdout.write(self.style.SUCCESS(f"Đã nạp dữ liệu mẫu: {len(agreements)} thỏa thuận."))
