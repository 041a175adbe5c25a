"""The constraints of the agreements models, in the database and in full_clean (the admin's Vietnamese messages)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from agreements.models import Agreement, Body, Commitment, CooperationItem, Party, check_item_numbers
from tests.support import violates

pytestmark = pytest.mark.django_db


def test_period_end_after_start(agreement):
    assert violates(lambda: Agreement.objects.filter(pk=agreement.pk).update(period_end=agreement.period_start))
    a = Agreement(title="x", period_start=dt.date(2020, 1, 1), period_end=dt.date(2019, 1, 1))
    with pytest.raises(ValidationError) as exc:
        a.full_clean()
    assert "Ngày kết thúc giai đoạn phải sau ngày bắt đầu." in exc.value.message_dict["period_end"]


def test_reporting_cadence_must_be_a_decree_cadence(agreement):
    assert violates(lambda: Agreement.objects.filter(pk=agreement.pk).update(reporting_cadence_months=5))


def test_item_numbers_unique_and_positive(agreement):
    assert violates(lambda: CooperationItem.objects.create(agreement=agreement, number=1, text="x", sector_id="other"))
    assert violates(lambda: CooperationItem.objects.create(agreement=agreement, number=0, text="x", sector_id="other"))
    with pytest.raises(ValidationError) as exc:
        check_item_numbers([1, 2, 4])
    assert "liên tục từ 1" in exc.value.messages[0]
    check_item_numbers([2, 1, 3])


def test_a_body_once_per_agreement(agreement):
    body = agreement.parties.first().body
    assert violates(lambda: Party.objects.create(agreement=agreement, body=body))


def test_ten_parties_work(demo):
    a = Agreement.objects.create(title="Mười bên", period_start=dt.date(2026, 1, 1), period_end=dt.date(2030, 12, 31))
    bodies = list(Body.objects.all()[:10])
    assert len(bodies) == 10
    for i, body in enumerate(bodies, start=1):
        Party.objects.create(agreement=a, body=body, order=i)
    assert a.parties.count() == 10


def test_only_one_next_meeting_host(agreement):
    assert violates(lambda: agreement.parties.update(hosts_next_meeting=True))


def test_indicator_target_needs_unit(agreement):
    c = Commitment.objects.filter(item__agreement=agreement).first()
    assert violates(lambda: Commitment.objects.filter(pk=c.pk).update(target=5, indicator_unit="", indicator_name="x"))
    c.target = 5
    c.indicator_name = "Số cụm công nghiệp"
    with pytest.raises(ValidationError) as exc:
        c.full_clean()
    assert "đơn vị tính" in exc.value.message_dict["indicator_unit"][0]


def test_constraint_errors_read_in_vietnamese(agreement):
    """The admin validates constraints through full_clean: the message must be the Vietnamese one."""
    item = CooperationItem(agreement=agreement, number=1, text="Trùng số", sector_id="other")
    with pytest.raises(ValidationError) as exc:
        item.full_clean()
    assert "Số thứ tự này đã có trong thỏa thuận." in str(exc.value)
    party = agreement.parties.first()
    twin = Party(agreement=agreement, body=party.body)
    with pytest.raises(ValidationError) as exc:
        twin.full_clean()
    assert "Cơ quan này đã là một bên của thỏa thuận." in str(exc.value)
    host = agreement.parties.exclude(hosts_next_meeting=True).first()
    host.hosts_next_meeting = True
    with pytest.raises(ValidationError) as exc:
        host.full_clean()
    assert "Chỉ một bên được chủ trì cuộc họp tới." in str(exc.value)
