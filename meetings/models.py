"""Review meetings of an agreement (họp định kỳ, sơ kết, tổng kết) and the decisions they take."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Commitment, Party
from core import limits


class ReviewMeeting(models.Model):
    class Kind(models.TextChoices):
        YEARLY = "yearly", _("Họp định kỳ hàng năm")
        MIDTERM = "midterm", _("Hội nghị sơ kết")
        FINAL = "final", _("Hội nghị tổng kết")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("thỏa thuận"), on_delete=models.CASCADE, related_name="meetings"
    )
    kind = models.CharField(_("loại cuộc họp"), max_length=20, choices=Kind.choices, default=Kind.YEARLY)
    held_on = models.DateField(_("ngày họp"))
    place = models.CharField(_("địa điểm"), max_length=200)
    host_party = models.ForeignKey(
        Party, verbose_name=_("bên chủ trì"), null=True, blank=True, on_delete=models.PROTECT, related_name="hosted"
    )
    minutes = models.TextField(_("biên bản"), blank=True, max_length=limits.MINUTES)

    class Meta:
        verbose_name = _("cuộc họp đánh giá")
        verbose_name_plural = _("cuộc họp đánh giá")
        ordering = ["agreement", "held_on"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "kind", "held_on"], name="meeting_unique_per_day"),
            limits.text_limit("meeting", "minutes", limits.MINUTES),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%d/%m/%Y}"


class MeetingDecision(models.Model):
    meeting = models.ForeignKey(
        ReviewMeeting, verbose_name=_("cuộc họp"), on_delete=models.CASCADE, related_name="decisions"
    )
    number = models.PositiveSmallIntegerField(_("số thứ tự"), validators=[MinValueValidator(1)])
    text = models.TextField(_("nội dung kết luận"), max_length=limits.DECISION_TEXT)
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
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="decision_number_unique"),
            limits.text_limit("decision", "text", limits.DECISION_TEXT),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"

    def audit_agreement_id(self) -> int | None:
        """The agreement whose history lists this decision's changes (core.audit.InAgreement)."""
        return self.meeting.agreement_id
