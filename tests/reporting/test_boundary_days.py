"""The date rules of reporting on the days where they turn: 14 and 15 June, 31 December and 1 January.

Each test runs at 23:59 and 00:01 Hồ Chí Minh City time of those days (tests.support.BOUNDARY_DAYS),
whatever the real date: which periods are open, what a staff member is asked to fill, which are
overdue, and which year a document number is counted in.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from agreements.models import Agreement, Body, Commitment, CooperationItem, Party
from core import clock
from reporting.documents.numbering import claim_number
from reporting.models import ProgressReport
from reporting.workflow import open_reporting_periods
from tests.support import BOUNDARY_DAYS

pytestmark = pytest.mark.django_db
IDS = [m.strftime("%d-%m-%Y_%H%M") for m in BOUNDARY_DAYS]


@pytest.fixture
def agreement(demo) -> Agreement:
    """A 2026–2027 agreement of the Tây Ninh and Tiền Giang departments (the demo users' bodies), one commitment each."""
    agreement = Agreement.objects.create(
        title="Kế hoạch hợp tác thử nghiệm ranh giới ngày",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2027, 12, 31),
        status=Agreement.Status.IN_FORCE,
    )
    item = CooperationItem.objects.create(agreement=agreement, number=1, text="Xúc tiến thương mại", sector_id="trade")
    for order, name in enumerate(["Sở Công Thương tỉnh Tây Ninh", "Sở Công Thương tỉnh Tiền Giang"], start=1):
        party = Party.objects.create(
            agreement=agreement, body=Body.objects.get(name=name, valid_to__isnull=False), order=order
        )
        Commitment.objects.create(item=item, responsible_party=party, description=f"Cam kết của {name}")
    return agreement


def starts(agreement: Agreement) -> list[datetime.date]:
    return list(agreement.reporting_periods.order_by("start").values_list("start", flat=True))


@pytest.mark.parametrize("moment", BOUNDARY_DAYS, ids=IDS)
def test_periods_open_on_their_first_day_not_before(travel, agreement, moment):
    travel(moment)
    open_reporting_periods(agreement, clock.today())
    expected = {
        datetime.date(2026, 6, 14): [datetime.date(2025, 12, 15)],
        datetime.date(2026, 6, 15): [datetime.date(2025, 12, 15), datetime.date(2026, 6, 15)],
        datetime.date(2026, 12, 31): [
            datetime.date(2025, 12, 15),
            datetime.date(2026, 6, 15),
            datetime.date(2026, 12, 15),
        ],
        datetime.date(2027, 1, 1): [
            datetime.date(2025, 12, 15),
            datetime.date(2026, 6, 15),
            datetime.date(2026, 12, 15),
        ],
    }[moment.date()]
    assert starts(agreement) == expected
    assert ProgressReport.objects.filter(period__agreement=agreement).count() == 2 * len(expected)


@pytest.mark.parametrize("moment", BOUNDARY_DAYS, ids=IDS)
def test_staff_home_lists_what_has_begun_and_flags_what_is_late(travel, client, users, agreement, moment):
    travel(moment)
    open_reporting_periods(agreement, clock.today())
    client.force_login(users["tn.staff"])
    page = client.get(reverse("home")).content.decode()
    reports = ProgressReport.objects.filter(period__agreement=agreement, party__body__name__contains="Tây Ninh")
    for report in reports.select_related("period"):
        assert reverse("report_detail", args=[report.pk]) in page or reverse("report_edit", args=[report.pk]) in page
    # The first half of 2026 (cut-off 14/06, deadline 24/06) is late only after its deadline, on the page too.
    first_half = reports.get(period__start=datetime.date(2025, 12, 15)).period
    assert first_half.deadline == datetime.date(2026, 6, 24)
    late = moment.date() > datetime.date(2026, 6, 24)
    assert first_half.is_overdue(clock.today()) == late
    assert "24/06/2026" in page
    assert ("24/06/2026 (quá hạn)" in page) == late


@pytest.mark.parametrize("moment", BOUNDARY_DAYS, ids=IDS)
def test_document_numbers_are_counted_in_the_local_year(travel, demo, moment):
    travel(moment)
    body = Body.objects.get(name="Sở Công Thương tỉnh Tây Ninh", valid_to__isnull=True)
    with transaction.atomic():
        number = claim_number(body, clock.today().year)
    assert number == 1
    assert clock.today().year == moment.year  # 00:01 on 1 January is already the new year in Vietnam
