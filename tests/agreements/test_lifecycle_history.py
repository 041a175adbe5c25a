"""An agreement's life read back from its history (core.trail): every action of agreements/services.py in words.

A draft is entered, corrected, published, amended, renewed and ended through the services; the history page
names each step in Vietnamese, never by its code, with what it kept (where from, how many parties and items,
the day a status took effect, the note).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from agreements import services
from agreements.models import Body, Commitment
from agreements.services import ItemDraft, PartyDraft
from core.models import AuditEntry
from core.trail import ACTIONS, describe

pytestmark = pytest.mark.django_db


def committee(short_name: str) -> Body:
    return Body.objects.get(kind=Body.Kind.PEOPLES_COMMITTEE, unit__short_name=short_name, valid_to__isnull=True)


def test_every_step_of_an_agreements_life_reads_in_vietnamese(client, users):
    actor = users["admin"]
    parties = [PartyDraft(committee("Tây Ninh")), PartyDraft(committee("Đồng Tháp"))]
    agreement = services.create_agreement(
        actor,
        kind="programme",
        title="Chương trình hợp tác giai đoạn 2026 – 2030",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2030, 12, 31),
        parties=parties,
        items=[ItemDraft(1, "Xúc tiến đầu tư.", ["investment"])],
        source="form",
    )
    services.update_agreement(actor, agreement, number="01/CTr-UBND")
    services.set_parties(actor, agreement, [*parties, PartyDraft(committee("Hà Nội"))])
    services.set_items(actor, agreement, [ItemDraft(1, "Xúc tiến đầu tư."), ItemDraft(2, "Du lịch.", ["tourism"])])
    services.publish_agreement(actor, agreement)
    services.record_amendment(actor, agreement, amended_on=dt.date(2026, 3, 1), summary="Bổ sung mục 3.")
    successor = services.prepare_successor(actor, agreement)
    services.change_status(actor, agreement, "superseded", dt.date(2026, 11, 1), note="Thay bằng giai đoạn mới.")
    entries = list(AuditEntry.objects.filter(agreement_id=agreement.pk).order_by("pk"))
    lines = {entry.action: describe(entry) for entry in entries}
    assert set(lines) == {
        "agreement.created",
        "agreement.updated",
        "agreement.parties",
        "agreement.items",
        "agreement.published",
        "agreement.amended",
        "agreement.renewed",
        "agreement.status",
    }
    for action, line in lines.items():
        assert line.action == str(ACTIONS[action]) and "." not in line.action, action
    details = {action: dict(line.details) for action, line in lines.items()}
    assert details["agreement.created"] == {"Nguồn": "Nhập trên trang", "Số bên": "2", "Số nội dung hợp tác": "1"}
    assert details["agreement.parties"] == {"Số bên": "3"}
    assert details["agreement.items"] == {"Số nội dung hợp tác": "2"}
    assert details["agreement.published"] == {"Tình trạng": "Đang hiệu lực"}
    assert details["agreement.amended"] == {"Ngày sửa đổi": "01/03/2026"}
    assert details["agreement.renewed"] == {"Văn bản kế tiếp": successor.title}
    assert details["agreement.status"] == {"Có hiệu lực từ ngày": "01/11/2026", "Ghi chú": "Thay bằng giai đoạn mới."}
    assert [(c.before, c.after) for c in lines["agreement.status"].changes] == [("Đang hiệu lực", "Được thay thế")]
    created = AuditEntry.objects.get(agreement_id=successor.pk, action="agreement.created")
    assert dict(describe(created).details)["Nguồn"] == "Chuẩn bị từ giai đoạn trước"
    # The history page itself (the superuser reads every agreement's).
    client.force_login(actor)
    page = client.get(reverse("agreement_audit", args=[agreement.pk])).content.decode()
    for action in lines:
        assert str(ACTIONS[action]) in page and f">{action}<" not in page


def test_a_body_added_and_a_commitment_changed_have_their_words(users):
    actor = users["admin"]
    body = services.add_body(actor, name="Sở Du lịch tỉnh Tây Ninh", kind="department", unit=committee("Tây Ninh").unit)
    added = AuditEntry.objects.get(action="body.added", object_id=str(body.pk))
    assert describe(added).action == "Thêm cơ quan vào danh mục"
    commitment = Commitment.objects.select_related("item", "responsible_party").order_by("pk").first()
    assert commitment is not None
    services.save_commitment(
        actor,
        commitment.item,
        commitment=commitment,
        responsible_party=commitment.responsible_party,
        description="Nội dung sửa từ tệp",
        source="import:cam-ket.xlsx",
    )
    line = describe(AuditEntry.objects.get(action="commitment.updated", object_id=str(commitment.pk)))
    assert line.action == "Sửa cam kết" and dict(line.details)["Nguồn"] == "Nhập từ tệp “cam-ket.xlsx”"
    assert [change.after for change in line.changes if change.label == "Nội dung cam kết"] == ["Nội dung sửa từ tệp"]
