"""Default orderings that read one table: a model ordered by a foreign key ("agreement") is sorted by the related
model's own order, through a join, in every query that does not say otherwise (the agreement page planned a
join to the agreements for its meetings, their decisions and the amendments on every view)."""

from __future__ import annotations

import pytest
from django.db import models

from agreements.models import Amendment, CooperationItem
from meetings.models import MeetingDecision, ReviewMeeting
from reporting.models import EntryRevision, ReportingPeriod


@pytest.mark.parametrize(
    "model", [Amendment, CooperationItem, MeetingDecision, ReviewMeeting, EntryRevision, ReportingPeriod]
)
def test_the_default_order_joins_no_other_table(model: type[models.Model]) -> None:
    sql = str(model._default_manager.all().query)
    assert "JOIN" not in sql, sql
    assert " ORDER BY " in sql
