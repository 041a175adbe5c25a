"""Agreements of the real shapes for the notification tests: ten province-level parties, and many agreements."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import User

from agreements.models import Agreement, Body, Commitment, CooperationItem, Membership, Party, Role
from core import clock
from reporting import workflow

# Ten People's Committees as they signed in 2023; Long An and Tây Ninh are one province (Tây Ninh) since 2025,
# Hà Nam is Ninh Bình, Bình Dương is Thành phố Hồ Chí Minh...
TEN = [
    "thanhphohanoi",
    "thanhphohue",
    "tinhlongan",
    "tinhtayninh",
    "tinhhanam",
    "tinhbinhphuoc",
    "tinhbinhduong",
    "tinhnghean",
    "tinhquangbinh",
    "tinhbackan",
]


def committee_then(key: str) -> Body:
    """The People's Committee of the unit as it was before the 2025 merger (or as it still is)."""
    found = (
        Body.objects.filter(kind=Body.Kind.PEOPLES_COMMITTEE, unit__key=key, unit__valid_from__isnull=True)
        .order_by("pk")
        .first()
    )
    assert found is not None, key
    return found


def people_of(body: Body, prefix: str) -> dict[str, User]:
    """A staff member, a coordinator and a leader of today's body (who answers for the body of 2023)."""
    today = body.current()
    people: dict[str, User] = {}
    for role in (Role.STAFF, Role.COORDINATOR, Role.LEADER):
        user, _created = User.objects.get_or_create(
            username=f"{prefix}.{role}", defaults={"email": f"{prefix}.{role}@example.gov.vn"}
        )
        Membership.objects.get_or_create(user=user, body=today, role=role)
        people[role] = user
    return people


def programme(
    keys: Iterable[str] = TEN,
    *,
    title: str = "Chương trình hợp tác phát triển giữa mười tỉnh, thành phố giai đoạn 2023 - 2027",
    signed_on: datetime.date = datetime.date(2023, 3, 15),
    period_end: datetime.date = datetime.date(2027, 12, 31),
    tracked_from: datetime.date | None = datetime.date(2026, 6, 15),
    commitment_due: datetime.date | None = None,
    with_people: bool = True,
) -> Agreement:
    """An in-force programme of province-level parties, its 2026 periods open, one commitment per party."""
    agreement = Agreement.objects.create(
        kind=Agreement.Kind.PROGRAMME,
        title=title,
        signed_on=signed_on,
        period_start=signed_on,
        period_end=period_end,
        status=Agreement.Status.IN_FORCE,
        tracked_from=tracked_from,
    )
    item = CooperationItem.objects.create(
        agreement=agreement, number=1, text="Phối hợp xúc tiến đầu tư liên vùng.", sector_id="investment"
    )
    for order, key in enumerate(keys, start=1):
        body = committee_then(key)
        party = Party.objects.create(agreement=agreement, body=body, order=order)
        Commitment.objects.create(
            item=item,
            responsible_party=party,
            description=f"Tổ chức hội nghị xúc tiến đầu tư tại {body.unit.short_name}.",
            due_on=commitment_due,
            order=order,
            status=Commitment.Status.ON_TRACK,
        )
        if with_people:
            people_of(body, body.current().unit.key)
    workflow.open_reporting_periods(agreement, clock.today())
    return agreement
