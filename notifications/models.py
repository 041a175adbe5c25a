"""Reminders and workflow notifications: what is due to whom, and the record of every delivery.

A Notification is at once the in-app message (read or not) and the e-mail's delivery record.
Its (recipient, target, stage) is unique, so the same reminder can never be created twice, and
its e-mail is sent only by the worker that claimed it with a conditional UPDATE (see delivery.py).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from agreements.models import Agreement, Commitment
from core.text import excerpt
from meetings.models import ReviewMeeting
from reporting.models import OfficialDocument, ProgressReport

# A whole number of days in ASCII digits; int() alone would also take "1_0" for 10 and other scripts' digits.
_OFFSET = re.compile(r"[+-]?[0-9]+")
OUT_OF_RANGE = _("Mỗi mốc nhắc phải trong khoảng một năm trước hoặc sau thời hạn.")


def parse_offsets(text: str) -> list[int]:
    """'-14, -7, -1, 0, 3, 10' -> [-14, -7, -1, 0, 3, 10] (sorted, distinct); ValidationError in Vietnamese."""
    values: set[int] = set()
    for part in text.replace(";", ",").split(","):
        part = part.strip().replace("\u2212", "-")  # the minus sign of word processors
        if not part:
            continue
        if not _OFFSET.fullmatch(part):
            raise ValidationError(
                _(
                    "“%(value)s” không phải là số ngày. Hãy ghi các số nguyên, cách nhau bằng dấu phẩy, ví dụ: -14, -7, 0, 3."
                ),
                params={"value": excerpt(part)},
            )
        digits = part.lstrip("+-").lstrip("0") or "0"
        if len(digits) > 3 or int(digits) > 366:  # the length first: int() refuses 4,300 digits and more
            raise ValidationError(OUT_OF_RANGE)
        values.add(-int(digits) if part.startswith("-") else int(digits))
    if not values:
        raise ValidationError(_("Hãy ghi ít nhất một mốc nhắc."))
    return sorted(values)


def validate_offsets(text: str) -> None:
    parse_offsets(text)


class ReminderSettings(models.Model):
    """The one row of reminder offsets an administrator edits (days relative to the date in question)."""

    report_offsets = models.CharField(
        _("mốc nhắc báo cáo định kỳ (ngày so với hạn nộp)"),
        max_length=100,
        default="-14, -7, -1, 0, 3, 10",
        validators=[validate_offsets],
        help_text=_("Số âm: trước hạn; 0: đúng ngày; số dương: sau hạn. Ví dụ: -14, -7, -1, 0, 3, 10."),
    )
    report_coordinators_from = models.SmallIntegerField(_("nhắc cả bộ phận điều phối từ mốc (ngày sau hạn)"), default=3)
    report_leaders_from = models.SmallIntegerField(_("nhắc cả lãnh đạo từ mốc (ngày sau hạn)"), default=10)
    meeting_offsets = models.CharField(
        _("mốc nhắc cuộc họp (ngày so với ngày họp)"),
        max_length=100,
        default="-30, -7",
        validators=[validate_offsets],
    )
    commitment_offsets = models.CharField(
        _("mốc nhắc cam kết có thời hạn (ngày so với thời hạn)"),
        max_length=100,
        default="-7, 1",
        validators=[validate_offsets],
        help_text=_("1: ngày đầu tiên quá hạn."),
    )
    agreement_ending_days = models.PositiveSmallIntegerField(
        _("nhắc chuẩn bị gia hạn trước khi hết giai đoạn (ngày)"), default=90
    )
    catch_up_days = models.PositiveSmallIntegerField(
        _("mốc cuối còn được gửi bù trong (ngày)"),
        default=30,
        help_text=_(
            "Khi hệ thống ngừng chạy nhiều ngày, lần chạy sau chỉ gửi mốc mới nhất; mốc cuối cùng của một "
            "việc còn được gửi bù trong số ngày này."
        ),
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("cấu hình nhắc việc")
        verbose_name_plural = _("cấu hình nhắc việc")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="reminder_settings_singleton")]

    def __str__(self) -> str:
        return str(_("Cấu hình nhắc việc"))

    def save(self, **kwargs: Any) -> None:
        self.pk = 1
        super().save(**kwargs)

    def clean(self) -> None:
        if self.report_leaders_from < self.report_coordinators_from:
            raise ValidationError(
                {"report_leaders_from": _("Lãnh đạo được nhắc cùng lúc hoặc sau bộ phận điều phối, không trước.")}
            )

    @classmethod
    def load(cls) -> ReminderSettings:
        found = cls.objects.filter(pk=1).first()
        return found if found is not None else cls(pk=1)

    @property
    def report_stages(self) -> list[int]:
        return parse_offsets(self.report_offsets)

    @property
    def meeting_stages(self) -> list[int]:
        return parse_offsets(self.meeting_offsets)

    @property
    def commitment_stages(self) -> list[int]:
        return parse_offsets(self.commitment_offsets)


class Preference(models.Model):
    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", _("Gửi e-mail ngay từng thông báo")
        DIGEST = "digest", _("Gộp thành một e-mail mỗi sáng")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    delivery = models.CharField(
        _("cách nhận e-mail"), max_length=20, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )
    language = models.CharField(_("ngôn ngữ e-mail"), max_length=5, choices=settings.LANGUAGES, default="vi")

    class Meta:
        verbose_name = _("tùy chọn nhận thông báo")
        verbose_name_plural = _("tùy chọn nhận thông báo")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_delivery_display()})"


class Kind(models.TextChoices):
    REPORT_DUE = "report_due", _("Nhắc nộp báo cáo định kỳ")
    MEETING_UPCOMING = "meeting_upcoming", _("Nhắc cuộc họp sắp diễn ra")
    MEETING_UNSCHEDULED = "meeting_unscheduled", _("Đề nghị lên lịch họp định kỳ")
    COMMITMENT_DUE = "commitment_due", _("Nhắc cam kết đến hạn")
    AGREEMENT_ENDING = "agreement_ending", _("Thỏa thuận sắp hết giai đoạn")
    REPORT_SUBMITTED = "report_submitted", _("Báo cáo đã được gửi")
    REPORT_RETURNED = "report_returned", _("Báo cáo bị trả lại")
    REPORT_APPROVED = "report_approved", _("Báo cáo đã được phê duyệt")
    DOCUMENT_ISSUED = "document_issued", _("Văn bản đã được ban hành")


REMINDER_KINDS = frozenset(
    {Kind.REPORT_DUE, Kind.MEETING_UPCOMING, Kind.MEETING_UNSCHEDULED, Kind.COMMITMENT_DUE, Kind.AGREEMENT_ENDING}
)


class DeliveryQuerySet(models.QuerySet[Any]):
    def ready_to_send(self, now: datetime.datetime) -> DeliveryQuerySet:
        """Waiting for their first or next attempt, or claimed by a worker that did not finish in time."""
        lease = datetime.timedelta(seconds=settings.NOTIFICATIONS_CLAIM_LEASE_SECONDS)
        return self.filter(
            Q(email_state=EmailState.PENDING, next_attempt_at__isnull=True)
            | Q(email_state=EmailState.PENDING, next_attempt_at__lte=now)
            | Q(email_state=EmailState.SENDING, claimed_at__lt=now - lease)
        )


class EmailState(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", pgettext_lazy("e-mail", "Đã gửi")
    FAILED = "failed", _("Gửi không thành công")
    DIGEST = "digest", _("Chờ gộp vào thư hằng ngày")
    IN_DIGEST = "in_digest", _("Đã gộp vào thư hằng ngày")
    NO_ADDRESS = "no_address", _("Không có địa chỉ e-mail")


class DeliveryRecord(models.Model):
    """The e-mail half of a notification or digest: claimed before sending, retried with backoff."""

    email_state = models.CharField(
        _("trạng thái e-mail"), max_length=20, choices=EmailState.choices, default=EmailState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    # Empty: send at once; set after a failure: not before then.
    next_attempt_at = models.DateTimeField(_("gửi lần tới lúc"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("nhận gửi lúc"), null=True, blank=True)
    sent_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)
    last_error = models.TextField(_("lỗi lần gửi gần nhất"), blank=True)
    claim = models.CharField(_("mã lượt gửi"), max_length=32, blank=True, editable=False)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        abstract = True


class Notification(DeliveryRecord):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhận"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("loại"), max_length=30, choices=Kind.choices)
    target = models.CharField(
        _("đối tượng"), max_length=100, help_text=_("Việc được nhắc, ví dụ report:12 hoặc meeting:3.")
    )
    stage = models.CharField(_("mốc"), max_length=40, help_text=_("Mốc nhắc (số ngày so với hạn) hoặc sự kiện."))
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("thỏa thuận"), on_delete=models.CASCADE, related_name="notifications"
    )
    report = models.ForeignKey(
        ProgressReport, verbose_name=_("báo cáo"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    meeting = models.ForeignKey(
        ReviewMeeting, verbose_name=_("cuộc họp"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    commitment = models.ForeignKey(
        Commitment, verbose_name=_("cam kết"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    document = models.ForeignKey(
        OfficialDocument, verbose_name=_("văn bản"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    due_on = models.DateField(_("thời hạn"), null=True, blank=True)
    day = models.DateField(_("ngày nhắc"), help_text=_("Ngày (giờ Việt Nam) mà mốc này đến hạn hoặc sự kiện xảy ra."))
    url = models.CharField(_("đường dẫn"), max_length=300)
    params = models.JSONField(_("dữ liệu kèm theo"), default=dict, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    # The run that inserted the row: lets a run tell what it created itself from what another run did.
    run = models.CharField(_("lượt tạo"), max_length=32, blank=True, editable=False)
    digest = models.ForeignKey(
        "Digest",
        verbose_name=_("thư tổng hợp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "target", "stage"], name="notification_once_per_stage"),
        ]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="notification_default_order"),
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_centre"),
            models.Index(fields=["agreement", "-created_at"], name="notification_by_agreement"),
            models.Index(fields=["email_state", "next_attempt_at"], name="notification_outbox"),
            models.Index(fields=["target", "stage"], name="notification_target"),
            models.Index(fields=["run"], name="notification_run"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.target} [{self.stage}] → {self.recipient}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def stage_display(self) -> str:
        """The stage as a person reads it: "còn 7 ngày", "đúng hạn", "quá hạn 3 ngày"; an event has none."""
        if self.kind not in REMINDER_KINDS:
            return "—"
        try:
            offset = int(self.stage)
        except ValueError:
            return self.stage
        if offset < 0:  # before a deadline, a meeting or the end of a period alike
            return ngettext("còn %(days)d ngày", "còn %(days)d ngày", -offset) % {"days": -offset}
        if offset == 0:
            return str(_("đúng hạn"))
        return ngettext("quá hạn %(days)d ngày", "quá hạn %(days)d ngày", offset) % {"days": offset}

    @property
    def days_from_due(self) -> int | None:
        """Days from the due date to the day of this notification: negative before, positive late."""
        return (self.day - self.due_on).days if self.due_on else None


class Digest(DeliveryRecord):
    """One morning e-mail that lists a user's notifications; never two for the same user and day."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhận"), on_delete=models.CASCADE, related_name="digests"
    )
    day = models.DateField(_("ngày"))
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("thư tổng hợp hằng ngày")
        verbose_name_plural = _("thư tổng hợp hằng ngày")
        ordering = ["-day", "recipient"]
        indexes = [models.Index(fields=["-day", "recipient"], name="digest_default_order")]
        constraints = [models.UniqueConstraint(fields=["recipient", "day"], name="digest_once_per_day")]

    def __str__(self) -> str:
        return f"{self.recipient} {self.day:%d/%m/%Y}"
