"""What the tests of entering agreements in the app share (agreements/edit_views.py): bodies by province,
a coordinator of a People's Committee's office (the demo's coordinators are departments' offices), and the
forms as a browser without JavaScript posts them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User

from agreements import services
from agreements.models import AdministrativeUnit, Agreement, Body, Membership, Role
from agreements.services import ItemDraft, PartyDraft
from demo.data import DEMO_PASSWORD

# Ten province-level units of today (new 34-unit provinces and unchanged ones), as people type them.
TEN = [
    "Tây Ninh",
    "Đồng Tháp",
    "Hà Nội",
    "Huế",
    "Hồ Chí Minh",
    "Đồng Nai",
    "Cần Thơ",
    "An Giang",
    "Lâm Đồng",
    "Gia Lai",
]
TYPED = [
    "ubnd tay ninh",
    "UBND Đồng Tháp",
    "ủy ban nhân dân hà nội",
    "ubnd hue",
    "ubnd tp ho chi minh",
    "UBND tỉnh Đồng Nai",
    "ubnd can tho",
    "ubnd an giang",
    "ubnd lam dong",
    "ubnd gia lai",
]


def unit(short_name: str, *, old: bool = False) -> AdministrativeUnit:
    units = AdministrativeUnit.objects.filter(short_name=short_name)
    if units.count() == 1:  # unchanged by the merger (Hà Nội, Huế): one record throughout
        return units.get()
    return units.get(valid_to__isnull=False) if old else units.get(valid_to__isnull=True)


def ubnd(short_name: str, *, old: bool = False) -> Body:
    return Body.objects.get(unit=unit(short_name, old=old), kind=Body.Kind.PEOPLES_COMMITTEE)


def body(name: str, *, old: bool = False) -> Body:
    bodies = Body.objects.filter(name=name)
    return bodies.get(valid_to__isnull=False) if old else bodies.get(valid_to__isnull=True)


def office_coordinator(short_name: str = "Tây Ninh", username: str = "vp.coord") -> User:
    """A coordinator in the office of today's People's Committee of the province (no admin rights)."""
    committee = ubnd(short_name)
    office, _created = Body.objects.get_or_create(
        unit=committee.unit,
        name=f"Văn phòng {committee.name}",
        defaults={"kind": Body.Kind.OFFICE, "parent": committee, "abbreviation": "VP"},
    )
    user = User.objects.create_user(username, password=DEMO_PASSWORD, first_name="Điều phối", last_name=short_name)
    Membership.objects.create(user=user, body=office, role=Role.COORDINATOR, title="Chánh Văn phòng")
    return user


def general(**changes: str) -> dict[str, str]:
    """The general data of a new agreement as typed: Vietnamese dates, the defaults of the cadences."""
    data = {
        "kind": Agreement.Kind.PROGRAMME,
        "number": "01/CTr-LK",
        "title": "Chương trình hợp tác phát triển vùng giai đoạn 2026 – 2030",
        "signed_on": "15/01/2026",
        "signed_at": "Tây Ninh",
        "period_start": "01/01/2026",
        "period_end": "31/12/2030",
        "objectives": "Phát huy tiềm năng, lợi thế của mỗi địa phương.",
        "tracked_from": "",
        "reporting_cadence_months": "6",
        "report_deadline_days": "10",
        "meeting_cadence_months": "12",
        "notes": "",
    }
    data.update(changes)
    return data


def rows(prefix: str, values: list[dict[str, str]], total: int | None = None) -> dict[str, str]:
    """A formset as posted: its management form and each row's fields (blank rows up to `total`)."""
    count = max(total or 0, len(values))
    data = {
        f"{prefix}-TOTAL_FORMS": str(count),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(values):
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value
    return data


def party_rows(texts: list[str], total: int | None = None, **extra: str) -> dict[str, str]:
    return rows("p", [{"body": text} for text in texts], total) | extra


def draft(user: Any, bodies: list[Body], *, items: int = 0, signed_on: dt.date = dt.date(2026, 1, 15)) -> Agreement:
    """A draft entered through the services, as the create page would: the user's office coordinates its party."""
    offices = {m.body.parent_id: m.body for m in Membership.objects.filter(user=user, role=Role.COORDINATOR)}
    return services.create_agreement(
        user,
        kind=Agreement.Kind.PROGRAMME,
        title="Chương trình hợp tác giai đoạn 2026 – 2030",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2030, 12, 31),
        signed_on=signed_on,
        parties=[PartyDraft(body=b, coordinating_office=offices.get(b.pk)) for b in bodies],
        items=[ItemDraft(number, f"Nội dung hợp tác số {number}", ["trade"]) for number in range(1, items + 1)],
        source="test",
    )
