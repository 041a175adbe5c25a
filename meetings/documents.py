"""The yearly review report: a year of reports across every party, for the review meeting it serves."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from agreements.models import Agreement, Commitment, Party
from core.types import Actor
from meetings.models import ReviewMeeting
from reporting.documents.content import ReportContent, build_content
from reporting.documents.kinds import (
    BaseDocument,
    DocumentUnavailable,
    Kind,
    all_approved,
    day_text,
    issuing_party,
    register,
    signed_clause,
)
from reporting.models import OfficialDocument, ProgressReport, ReportingPeriod
from reporting.queries import Consolidated, consolidate


@register
class YearlyReviewDocument(BaseDocument):
    """The report of a reporting year that goes to the yearly review meeting."""

    kind = Kind.YEARLY_REVIEW

    def __init__(self, agreement: Agreement, year: int, issuing_party: Party, **options: Any) -> None:
        super().__init__(agreement, issuing_party, **options)
        self.year = year
        self.periods = list(agreement.reporting_periods.filter(year=year).order_by("start"))
        if not self.periods:
            raise DocumentUnavailable(f"Thỏa thuận chưa có kỳ báo cáo nào của năm {year}.")

    command_name = "review"
    command_ids = ("agreement_id", "year")

    @classmethod
    def from_stored(cls, stored: OfficialDocument, **options: Any) -> YearlyReviewDocument:
        assert stored.year is not None
        return cls(stored.agreement, stored.year, stored.issuing_party, **options)

    @classmethod
    def from_command(cls, ids: list[int], party_id: int | None) -> YearlyReviewDocument:
        agreement = Agreement.objects.get(pk=ids[0])
        return cls(agreement, ids[1], issuing_party(agreement, party_id))

    @classmethod
    def for_period(cls, period: ReportingPeriod, party: Party, viewer: Actor) -> YearlyReviewDocument:
        return cls(period.agreement, period.year, party, viewer=viewer)

    def link_title(self) -> str:
        return _("Báo cáo đánh giá năm %(year)s (họp định kỳ hàng năm)") % {"year": self.year}

    def url(self) -> str:
        return reverse("document_review_pdf", args=[self.agreement.pk, self.year])

    def issue_url(self) -> str:
        return reverse("document_review_issue", args=[self.agreement.pk, self.year]) + f"?party={self.issuing_party.pk}"

    @property
    def key(self) -> str:
        return f"review:{self.agreement.pk}:{self.year}:{self.issuing_party.pk}"

    def stored_fields(self) -> dict[str, Any]:
        return super().stored_fields() | {"year": self.year}

    def is_final(self) -> bool:
        return all_approved(self.periods, self.agreement.parties.count())

    def reports(self) -> QuerySet[ProgressReport]:
        return ProgressReport.objects.filter(period__in=self.periods)

    def data_end(self) -> datetime.date:
        return self.periods[-1].end

    def commitment_count(self) -> int:
        return Commitment.objects.filter(agreement=self.agreement).count() * len(self.periods)

    def summary(self) -> str:
        return f"Đánh giá kết quả thực hiện {self.agreement.title} năm {self.year}"

    def meeting(self) -> ReviewMeeting | None:
        start = self.periods[0].start
        until = self.periods[-1].end + datetime.timedelta(days=120)
        return (
            ReviewMeeting.objects.filter(agreement=self.agreement, held_on__gte=start, held_on__lte=until)
            .order_by("held_on")
            .first()
        )

    def intro(self) -> str:
        meeting = self.meeting()
        purpose = (
            f"phục vụ {meeting.get_kind_display().lower()} ngày {day_text(meeting.held_on)} tại {meeting.place}"
            if meeting and meeting.held_on is not None
            else "phục vụ cuộc họp định kỳ hàng năm"
        )
        return (
            f"Thực hiện {self.agreement.title}{signed_clause(self.agreement)}, trên cơ sở báo cáo của các bên tham gia "
            f"trong năm {self.year} (số liệu từ ngày {day_text(self.periods[0].start)} đến ngày "
            f"{day_text(self.periods[-1].end)}){self.estimate_note()}, {self.body_name} đánh giá kết quả thực hiện năm {self.year}, {purpose}, "
            "như sau:"
        )

    def build_content(self) -> ReportContent:
        viewer = self._viewer()
        views: list[tuple[str, Consolidated]] = [(p.label, consolidate(p, viewer=viewer)) for p in self.periods]
        return build_content(views, views[-1][1].parties)
