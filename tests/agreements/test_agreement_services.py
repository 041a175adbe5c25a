"""agreements.services: entering an agreement in the app (drafts, parties, items, commitments, bodies)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from agreements.models import AdministrativeUnit, Agreement, Body, Commitment, CooperationItem, Party, Sector
from agreements.services import (
    AgreementError,
    ItemDraft,
    PartyDraft,
    add_body,
    create_agreement,
    publish_agreement,
    save_commitment,
    set_items,
    set_parties,
    update_agreement,
)
from core.models import AuditEntry

pytestmark = pytest.mark.django_db

# Ten of today's 34 provinces: a programme of People's Committees.
TEN = ["Đồng Nai", "Tây Ninh", "Lâm Đồng", "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "An Giang", "Cà Mau", "Huế", "Hà Nội"]


def committee(short_name: str, *, old: bool = False) -> Body:
    return Body.objects.get(
        kind=Body.Kind.PEOPLES_COMMITTEE, unit__short_name=short_name, unit__valid_to__isnull=not old
    )


def ten_parties() -> list[PartyDraft]:
    return [PartyDraft(body=committee(name)) for name in TEN]


def draft(actor, **overrides) -> Agreement:
    values: dict[str, Any] = {
        "kind": Agreement.Kind.PROGRAMME,
        "title": "Chương trình hợp tác phát triển vùng giai đoạn 2026 – 2030",
        "period_start": datetime.date(2026, 1, 1),
        "period_end": datetime.date(2030, 12, 31),
        "signed_on": datetime.date(2026, 3, 2),
        "parties": ten_parties(),
        "items": [
            ItemDraft(1, "Xúc tiến đầu tư chung.", ["investment", "trade"]),
            ItemDraft(2, "Du lịch liên vùng.", []),
        ],
    }
    values.update(overrides)
    return create_agreement(actor, **values)


def test_ten_province_level_parties_with_items_and_sectors_in_one_write(users):
    agreement = draft(users["la.coord"], source="form")
    assert agreement.status == Agreement.Status.DRAFT
    assert [p.body.unit.short_name for p in agreement.parties.order_by("order")] == TEN
    first, second = agreement.items.order_by("number")
    assert first.sector_id == "investment" and [s.code for s in first.sectors()] == ["investment", "trade"]
    assert second.sector_id == "other" and second.sector_labels() == "Lĩnh vực khác"
    entry = AuditEntry.objects.get(action="agreement.created", agreement_id=agreement.pk)
    assert entry.data["items"] == 2 and len(entry.data["parties"]) == 10 and entry.data["source"] == "form"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"parties": [PartyDraft(body=None)]}, "ít nhất hai bên"),  # type: ignore[arg-type]
        ({"period_end": datetime.date(2025, 12, 31)}, "Ngày kết thúc giai đoạn phải sau ngày bắt đầu"),
        ({"items": [ItemDraft(1, "Một"), ItemDraft(3, "Ba")]}, "đánh số liên tục"),
        ({"items": [ItemDraft(1, "   ")]}, "đang để trống"),
        ({"items": [ItemDraft(1, "Một", ["khong-co"])]}, "Lĩnh vực không có trong danh mục"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(users, overrides, message):
    before = (Agreement.objects.count(), Party.objects.count(), CooperationItem.objects.count())
    with pytest.raises(AgreementError, match=message):
        draft(users["la.coord"], **overrides)
    assert (Agreement.objects.count(), Party.objects.count(), CooperationItem.objects.count()) == before


def test_the_same_body_twice_is_refused(users):
    body = committee("Đồng Nai")
    with pytest.raises(AgreementError, match="hai lần"):
        draft(users["la.coord"], parties=[PartyDraft(body), PartyDraft(body)])


def test_parties_and_items_of_a_draft_are_replaced_keeping_what_has_commitments(users):
    agreement = draft(users["la.coord"])
    parties = set_parties(users["la.coord"], agreement, ten_parties()[:3])
    assert [p.order for p in parties] == [1, 2, 3] and agreement.parties.count() == 3
    item = agreement.items.get(number=1)
    save_commitment(users["la.coord"], item, responsible_party=parties[0], description="Hội nghị xúc tiến đầu tư.")
    with pytest.raises(AgreementError, match="đã có cam kết"):
        set_items(users["la.coord"], agreement, [])
    with pytest.raises(AgreementError, match="đang chủ trì cam kết"):
        set_parties(users["la.coord"], agreement, [PartyDraft(parties[1].body), PartyDraft(parties[2].body)])
    items = set_items(users["la.coord"], agreement, [ItemDraft(1, "Xúc tiến đầu tư, thương mại.", ["trade"])])
    assert [(i.number, i.sector_id) for i in items] == [(1, "trade")] and items[0].pk == item.pk


def test_a_department_of_a_partys_province_leads_and_supports(users):
    agreement = draft(users["la.coord"])
    dong_nai = agreement.parties.get(body=committee("Đồng Nai"))
    department = add_body(
        users["la.coord"], name="Sở Công Thương tỉnh Đồng Nai", kind=Body.Kind.DEPARTMENT, unit=dong_nai.body.unit
    )
    other_province = add_body(
        users["la.coord"], name="Sở Du lịch thành phố Hà Nội", kind=Body.Kind.DEPARTMENT, unit=committee("Hà Nội").unit
    )
    outside = Body.objects.filter(kind=Body.Kind.PEOPLES_COMMITTEE, unit__short_name="Quảng Ninh").first()
    assert outside is not None
    item = agreement.items.get(number=1)
    commitment = save_commitment(
        users["la.coord"],
        item,
        responsible_party=dong_nai,
        lead_body=department,
        supporting_bodies=[other_province],
        description="Tổ chức hội nghị xúc tiến đầu tư vùng.",
        due_on=datetime.date(2027, 6, 30),
        indicator_name="Vốn đăng ký",
        indicator_unit="tỷ đồng",
        target=Decimal("101000"),
    )
    assert commitment.leader == department and list(commitment.supporting_bodies.all()) == [other_province]
    with pytest.raises(AgreementError, match="không thuộc tỉnh của bên chủ trì"):
        save_commitment(users["la.coord"], item, responsible_party=dong_nai, lead_body=other_province, description="x")
    with pytest.raises(AgreementError, match="không phải một bên"):
        save_commitment(
            users["la.coord"], item, responsible_party=dong_nai, supporting_bodies=[outside], description="x"
        )
    with pytest.raises(AgreementError, match="đơn vị tính"):
        save_commitment(
            users["la.coord"],
            item,
            responsible_party=dong_nai,
            description="x",
            indicator_name="Vốn",
            target=Decimal(1),
        )
    assert Commitment.objects.filter(item=item).count() == 1
    changed = save_commitment(
        users["la.coord"], item, commitment=commitment, responsible_party=dong_nai, description="Hội nghị (sửa)."
    )
    assert changed.pk == commitment.pk and changed.lead_body is None and changed.order == 1
    assert AuditEntry.objects.filter(action="commitment.updated", object_id=str(commitment.pk)).exists()


def test_a_former_provinces_department_may_lead_for_todays_party(users):
    """Long An's Sở Công Thương (ended 30/6/2025) is within today's Tây Ninh: it may lead for Tây Ninh's committee."""
    agreement = draft(users["la.coord"])
    tay_ninh = agreement.parties.get(body=committee("Tây Ninh"))
    long_an_department = Body.objects.get(name="Sở Công Thương tỉnh Long An")
    assert tay_ninh.covers(long_an_department)


def test_publishing_needs_parties_and_items_and_is_once(users):
    agreement = draft(users["la.coord"], items=[])
    with pytest.raises(AgreementError, match="ít nhất một nội dung"):
        publish_agreement(users["la.coord"], agreement)
    set_items(users["la.coord"], agreement, [ItemDraft(1, "Xúc tiến đầu tư.")])
    published = publish_agreement(users["la.coord"], agreement)
    assert published.status == Agreement.Status.IN_FORCE and published.ended_on is None
    with pytest.raises(AgreementError, match="đã ban hành"):
        publish_agreement(users["la.coord"], agreement)
    with pytest.raises(AgreementError, match="văn bản sửa đổi"):
        set_items(users["la.coord"], agreement, [ItemDraft(1, "Khác.")])
    with pytest.raises(AgreementError, match="văn bản sửa đổi"):
        update_agreement(users["la.coord"], agreement, title="Tên khác")
    # What is not signed text may still change.
    assert update_agreement(users["la.coord"], agreement, notes="Theo dõi hằng quý.").notes == "Theo dõi hằng quý."


def test_an_agreement_entered_after_its_period_is_published_as_expired(users):
    agreement = draft(
        users["la.coord"],
        period_start=datetime.date(2011, 1, 1),
        period_end=datetime.date(2015, 12, 31),
        signed_on=datetime.date(2011, 10, 14),
        parties=[PartyDraft(committee("Long An", old=True)), PartyDraft(committee("Tây Ninh", old=True))],
    )
    published = publish_agreement(users["la.coord"], agreement)
    assert published.status == Agreement.Status.EXPIRED and published.ended_on == datetime.date(2015, 12, 31)


def test_a_draft_takes_any_correction_with_its_audit(users):
    agreement = draft(users["la.coord"])
    changed = update_agreement(users["la.coord"], agreement, title="  Chương trình (sửa)  ", number="01/CTr-UBND")
    assert (changed.title, changed.number) == ("Chương trình (sửa)", "01/CTr-UBND")
    entry = AuditEntry.objects.filter(action="agreement.updated", agreement_id=agreement.pk).latest("pk")
    assert set(entry.data["changes"]) == {"title", "number"}
    with pytest.raises(AgreementError, match="Ngày kết thúc"):
        update_agreement(users["la.coord"], agreement, period_end=datetime.date(2020, 1, 1))
    with pytest.raises(ValueError, match="not editable"):
        update_agreement(users["la.coord"], agreement, status="in_force")


def test_a_missing_body_is_added_once_whatever_its_spelling(users):
    unit = AdministrativeUnit.objects.get(short_name="Đồng Nai", valid_to__isnull=True)
    body = add_body(users["la.coord"], name="Sở  Y tế tỉnh Đồng Nai", kind=Body.Kind.DEPARTMENT, unit=unit)
    assert body.name == "Sở Y tế tỉnh Đồng Nai"
    assert AuditEntry.objects.filter(action="body.added", object_id=str(body.pk)).exists()
    with pytest.raises(AgreementError, match="Đã có cơ quan"):
        add_body(users["la.coord"], name="SO Y TE TINH DONG NAI", kind=Body.Kind.DEPARTMENT, unit=unit)
    old_unit = AdministrativeUnit.objects.get(short_name="Bình Phước")
    with pytest.raises(AgreementError, match="đã hết hiệu lực"):
        add_body(users["la.coord"], name="Sở Y tế tỉnh Bình Phước", kind=Body.Kind.DEPARTMENT, unit=old_unit)
    with pytest.raises(AgreementError, match="cùng tỉnh"):
        add_body(
            users["la.coord"],
            name="Phòng Kế hoạch",
            kind=Body.Kind.OFFICE,
            unit=unit,
            parent=Body.objects.get(name="Sở Công Thương tỉnh Tiền Giang"),
        )
    with pytest.raises(AgreementError, match="tên cơ quan"):
        add_body(users["la.coord"], name="  ", kind=Body.Kind.DEPARTMENT, unit=unit)
    with pytest.raises(AgreementError, match="Loại cơ quan"):
        add_body(users["la.coord"], name="Sở X", kind="ministry", unit=unit)


def test_sectors_are_data_with_english_names():
    assert Sector.objects.filter(code__in=["sport", "transport", "digital", "labour", "natural_resources"]).count() == 5
    from django.utils import translation

    with translation.override("en"):
        assert Sector.objects.get(code="tourism").label == "Tourism"
    assert Sector.labels()["tourism"] == "Du lịch"
