"""Review meetings of an agreement (họp định kỳ, sơ kết, tổng kết) and the decisions they take."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Body, Commitment, Party
from core import limits


class ReviewMeeting(models.Model):
    class Kind(models.TextChoices):
        YEARLY = "yearly", _("Họp định kỳ hàng năm")
        MIDTERM = "midterm", _("Hội nghị sơ kết")
        FINAL = "final", _("Hội nghị tổng kết")
        WORKING = "working", _("Buổi làm việc")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("thỏa thuận"), on_delete=models.CASCADE, related_name="meetings"
    )
    kind = models.CharField(_("loại cuộc họp"), max_length=20, choices=Kind.choices, default=Kind.YEARLY)
    # A meeting is planned before its day is fixed: a month, or nothing yet ("thời gian sẽ thông báo sau").
    held_on = models.DateField(_("ngày họp"), null=True, blank=True)
    planned_month = models.DateField(
        _("tháng dự kiến"), null=True, blank=True, help_text=_("Ngày đầu tháng dự kiến họp, khi chưa chốt ngày.")
    )
    place = models.CharField(_("địa điểm"), max_length=200, blank=True)
    host_party = models.ForeignKey(
        Party, verbose_name=_("bên chủ trì"), null=True, blank=True, on_delete=models.PROTECT, related_name="hosted"
    )
    agenda = models.TextField(_("chương trình họp"), blank=True, max_length=limits.MINUTES)
    minutes = models.TextField(_("biên bản"), blank=True, max_length=limits.MINUTES)
    shortcomings = models.TextField(_("tồn tại, hạn chế"), blank=True, max_length=limits.REPORT_TEXT)

    class Meta:
        verbose_name = _("cuộc họp đánh giá")
        verbose_name_plural = _("cuộc họp đánh giá")
        ordering = ["agreement_id", "held_on"]  # "agreement" sorted by its own order, through a join
        # An agreement's meetings by date: the default order, its agenda and the next and last meeting.
        indexes = [models.Index(fields=["agreement", "held_on"], name="meeting_agreement_held")]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "kind", "held_on"], name="meeting_unique_per_day"),
            limits.text_limit("meeting", "minutes", limits.MINUTES),
            limits.text_limit("meeting", "agenda", limits.MINUTES),
            limits.text_limit("meeting", "shortcomings", limits.REPORT_TEXT),
            models.CheckConstraint(
                condition=Q(planned_month__isnull=True) | Q(planned_month__day=1),
                name="meeting_planned_month_first_day",
                violation_error_message=_("Tháng dự kiến được ghi bằng ngày đầu tháng."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.when_label}"

    def audit_agreement_id(self) -> int | None:
        return self.agreement_id

    @property
    def when_label(self) -> str:
        """ "15/03/2024", "tháng 3/2024 (chưa chốt ngày)" or "chưa xác định thời gian"."""
        if self.held_on is not None:
            return f"{self.held_on:%d/%m/%Y}"
        if self.planned_month is not None:
            return _("tháng %(month)s (chưa chốt ngày)") % {"month": f"{self.planned_month:%m/%Y}"}
        return str(_("chưa xác định thời gian"))

    @property
    def sort_day(self) -> datetime.date | None:
        return self.held_on or self.planned_month

    def is_held(self, today: datetime.date) -> bool:
        return self.held_on is not None and self.held_on <= today

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if (
            self.host_party is not None
            and self.agreement_id is not None
            and self.host_party.agreement_id != self.agreement_id
        ):
            errors["host_party"] = _("Bên chủ trì phải là một bên của thỏa thuận.")
        signed = self.agreement.signed_on if self.agreement_id is not None else None
        if signed is not None:
            too_early = _("Cuộc họp không thể trước ngày ký thỏa thuận (%(day)s).") % {"day": f"{signed:%d/%m/%Y}"}
            if self.held_on is not None and self.held_on < signed:
                errors["held_on"] = too_early
            elif self.held_on is None and self.planned_month is not None and self.planned_month < signed.replace(day=1):
                errors["planned_month"] = too_early
        if errors:
            raise ValidationError(errors)


class MeetingAttendance(models.Model):
    """Who a party sends to a meeting (thành phần tham dự)."""

    meeting = models.ForeignKey(
        ReviewMeeting, verbose_name=_("cuộc họp"), on_delete=models.CASCADE, related_name="attendances"
    )
    party = models.ForeignKey(Party, verbose_name=_("bên tham gia"), on_delete=models.CASCADE, related_name="+")
    attendees = models.TextField(_("thành phần tham dự"), max_length=limits.COMMENT)

    class Meta:
        verbose_name = _("thành phần tham dự")
        verbose_name_plural = _("thành phần tham dự")
        ordering = ["meeting_id", "party__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "party"],
                name="attendance_once_per_party",
                violation_error_message=_("Bên này đã có trong thành phần tham dự."),
            ),
            limits.text_limit("attendance", "attendees", limits.COMMENT),
        ]

    def __str__(self) -> str:
        return f"{self.party}: {self.attendees[:60]}"

    def audit_agreement_id(self) -> int | None:
        return self.meeting.agreement_id


class MeetingDecision(models.Model):
    meeting = models.ForeignKey(
        ReviewMeeting, verbose_name=_("cuộc họp"), on_delete=models.CASCADE, related_name="decisions"
    )
    number = models.PositiveSmallIntegerField(_("số thứ tự"), validators=[MinValueValidator(1)])
    text = models.TextField(_("nội dung kết luận"), max_length=limits.DECISION_TEXT)
    # Who carries the decision out and by when; it may be carried out under the successor agreement
    # (a review of the old programme decides the new plan).
    target_agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("thực hiện trong thỏa thuận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    responsible_party = models.ForeignKey(
        Party, verbose_name=_("bên chủ trì"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead_body = models.ForeignKey(
        Body,
        verbose_name=_("cơ quan chủ trì thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("thời hạn"), null=True, blank=True)
    commitment = models.OneToOneField(
        Commitment,
        verbose_name=_("cam kết phát sinh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="source_decision",
    )

    class Meta:
        verbose_name = _("kết luận cuộc họp")
        verbose_name_plural = _("kết luận cuộc họp")
        ordering = ["meeting_id", "number"]  # the unique (meeting, number) index; no join to the meeting
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="decision_number_unique"),
            limits.text_limit("decision", "text", limits.DECISION_TEXT),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"

    def audit_agreement_id(self) -> int | None:
        """The agreement whose history lists this decision's changes (core.audit.InAgreement)."""
        return self.meeting.agreement_id
