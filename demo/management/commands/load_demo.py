"""Load the demo data; running it again changes nothing (every write is keyed by a natural key)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import models, transaction

from agreements.adminunits import load_administrative_units
from agreements.models import AdministrativeUnit, Agreement, Body, Commitment, CooperationItem, Membership, Party
from core import clock
from demo import data as demo
from reporting.workflow import open_reporting_periods

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
        user, created = User.objects.get_or_create(
            username=spec.username, defaults={"first_name": spec.first_name, "last_name": spec.last_name}
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
            CooperationItem, agreement=agreement, number=number, defaults={"text": text, "sector": sector}
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


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu từ các văn bản thật (chạy lại nhiều lần không tạo bản ghi trùng)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            if not AdministrativeUnit.objects.exists():
                # The migration loads them; a flushed database (e.g. after a transactional test) has none.
                load_administrative_units(AdministrativeUnit)
            bodies = _load_bodies()
            _load_users(bodies)
            agreements = [_load_agreement(spec, bodies) for spec in demo.AGREEMENTS]
            today = clock.today()
            for agreement in agreements:
                open_reporting_periods(agreement, today)
        self.stdout.write(self.style.SUCCESS(f"Đã nạp dữ liệu mẫu: {len(agreements)} thỏa thuận."))
