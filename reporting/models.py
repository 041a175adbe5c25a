"""Reporting periods, semi-annual progress reports with their review trail, and review meetings."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Commitment, Party
from core import limits, uploads
from core.constraints import ChecksInOneQuery
from core.text import choice_label
from reporting import periods


class ReportingPeriod(ChecksInOneQuery):
    """One data window of Decree 09/2019 for one agreement, with the deadline that agreement set."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("thỏa thuận"), on_delete=models.CASCADE, related_name="reporting_periods"
    )
    cadence_months = models.PositiveSmallIntegerField(_("chu kỳ (tháng)"))
    year = models.PositiveSmallIntegerField(_("năm báo cáo"))
    index = models.PositiveSmallIntegerField(_("kỳ trong năm"))
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("ngày chốt số liệu"))
    deadline = models.DateField(_("hạn nộp"))

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["agreement_id", "start"]  # the unique (agreement, start) index; no join to the agreement
        constraints = [
            models.UniqueConstraint(fields=["agreement", "start"], name="period_unique_start_per_agreement"),
            models.UniqueConstraint(
                fields=["agreement", "cadence_months", "year", "index"], name="period_unique_index_per_agreement"
            ),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="period_end_after_start"),
            models.CheckConstraint(condition=Q(deadline__gt=F("end")), name="period_deadline_after_cutoff"),
        ]

    def __str__(self) -> str:
        return self.label

    @classmethod
    def for_window(cls, agreement: Agreement, window: periods.Window) -> ReportingPeriod:
        """The (unsaved) period of `agreement` for a window, with the deadline the agreement sets."""
        return cls(
            agreement=agreement,
            cadence_months=window.cadence_months,
            year=window.year,
            index=window.index,
            start=window.start,
            end=window.end,
            deadline=periods.deadline_after(window.end, agreement.report_deadline_days),
        )

    @property
    def window(self) -> periods.Window:
        return periods.Window(self.cadence_months, self.year, self.index, self.start, self.end)

    @property
    def label(self) -> str:
        return str(self.window.label())

    def is_overdue(self, today: datetime.date) -> bool:
        return today > self.deadline


class ProgressReport(models.Model):
    """One party's report for one period (báo cáo 6 tháng): never two for the same party and period."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        SUBMITTED = "submitted", _("Đã gửi")
        RETURNED = "returned", _("Trả lại để chỉnh sửa")
        APPROVED = "approved", _("Đã phê duyệt")

    # A party's reports outlive any attempt to delete it, or its agreement: archive the agreement instead.
    party = models.ForeignKey(Party, verbose_name=_("bên báo cáo"), on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("kỳ báo cáo"), on_delete=models.CASCADE, related_name="reports"
    )
    state = models.CharField(_("trạng thái"), max_length=20, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    overall_assessment = models.TextField(_("đánh giá chung"), blank=True, max_length=limits.REPORT_TEXT)
    shortcomings = models.TextField(_("hạn chế"), blank=True, max_length=limits.REPORT_TEXT)
    next_period_tasks = models.TextField(_("phương hướng, nhiệm vụ kỳ tới"), blank=True, max_length=limits.REPORT_TEXT)
    review_comment = models.TextField(_("ý kiến của bộ phận điều phối"), blank=True, max_length=limits.COMMENT)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    approved_at = models.DateTimeField(_("phê duyệt lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cập nhật"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        ordering = ["period__start", "party__order"]
        constraints = [
            models.UniqueConstraint(fields=["party", "period"], name="report_unique_per_party_period"),
            models.CheckConstraint(
                condition=~Q(state="approved") | Q(approved_at__isnull=False), name="report_approved_has_time"
            ),
            limits.text_limit("report", "overall_assessment", limits.REPORT_TEXT),
            limits.text_limit("report", "shortcomings", limits.REPORT_TEXT),
            limits.text_limit("report", "next_period_tasks", limits.REPORT_TEXT),
            limits.text_limit("report", "review_comment", limits.COMMENT),
        ]
        indexes = [
            # The reports waiting for review, oldest submission first (dashboards.waiting_for_review): a few
            # of the instance's reports at any time, read in order without sorting the others.
            models.Index(fields=["submitted_at", "id"], condition=Q(state="submitted"), name="report_waiting_order"),
            # The reports not sent yet (draft or returned), by party: a leader's late reports and a staff
            # member's reports to fill are a few of the party's reports (a leader of 500 agreements: 540 of
            # the 20,000 reports of a country, found without reading the others).
            models.Index(fields=["party"], condition=Q(state__in=["draft", "returned"]), name="report_unsent_by_party"),
            # The approved reports, by party: those a leader has still to issue as documents (a leader of 500
            # agreements: 1,000 of the 20,000 reports, 6.6 -> 2.1 ms, instead of reading every report).
            models.Index(fields=["party"], condition=Q(state="approved"), name="report_approved_by_party"),
            # The periods some report of which is not approved: a leader's home asks it of each of its 1,700
            # periods to find those ready to consolidate (dashboards.leader_home), an index probe each
            # instead of a pass over every report not approved. Together: a leader's home 96 -> 84 ms.
            models.Index(fields=["period"], condition=~Q(state="approved"), name="report_unapproved_by_period"),
            # What a list of the reports a user may read needs of each report: the reading rule asks its party
            # and state, the page sorts by its period and takes its id. The rule is an OR over hundreds of
            # parties for a coordinator of 500 agreements, which PostgreSQL answers by passing over every
            # report; passing over this index instead of the table's wide rows, the page's ids and their count
            # took 14 and 9 ms before, 9.5 and 5.6 after (the page: p50 51 -> 41 ms).
            models.Index(fields=["party", "state", "period", "id"], name="report_party_state"),
        ]

    # The review workflow: action -> (states it may start from, state it leads to).
    EDITABLE_STATES: ClassVar[tuple[str, ...]] = (State.DRAFT, State.RETURNED)
    TRANSITIONS: ClassVar[dict[str, tuple[tuple[str, ...], str]]] = {
        "submit": (EDITABLE_STATES, State.SUBMITTED),
        "return": ((State.SUBMITTED,), State.RETURNED),
        "approve": ((State.SUBMITTED,), State.APPROVED),
        "reopen": ((State.APPROVED,), State.RETURNED),
    }

    def __str__(self) -> str:
        return f"{self.party} – {self.period}"

    @property
    def state_label(self) -> str:
        """get_state_display() for pages that list hundreds (core.text.choice_label)."""
        return choice_label(self.State, self.state)

    def audit_agreement_id(self) -> int | None:
        """The agreement whose history lists this report's changes (core.audit.InAgreement)."""
        return self.party.agreement_id

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE_STATES

    @property
    def is_locked(self) -> bool:
        return self.state == self.State.APPROVED

    def allows(self, action: str) -> bool:
        return self.state in self.TRANSITIONS[action][0]


# Constraint messages are %-formatted with the constraint's name (Django), hence "%%" for a per cent sign.
DONE_IS_COMPLETE = _("Cam kết đã hoàn thành thì tỷ lệ hoàn thành phải là 100%%.")
NOT_STARTED_IS_ZERO = _(
    "Cam kết chưa triển khai thì tỷ lệ hoàn thành phải là 0%%. Nếu đã có kết quả, hãy chọn tình trạng "
    "“Đúng tiến độ”, “Có nguy cơ chậm” hoặc “Chậm tiến độ”."
)
UNDER_WAY_IS_INCOMPLETE = _(
    "Tỷ lệ hoàn thành 100%% nghĩa là cam kết đã hoàn thành: hãy chọn tình trạng “Hoàn thành”, hoặc ghi tỷ lệ "
    "dưới 100%%."
)
# Status and percentage say the same thing: not started is 0%, done is 100%, a commitment under way
# (on track, at risk, delayed) is below 100% (0% too: it may be on schedule, or late, with nothing
# measurable yet), and a cancelled one keeps whatever it reached before it was cancelled.
UNDER_WAY = ("on_track", "at_risk", "delayed")


class ProgressEntry(ChecksInOneQuery):
    """What a party reports for one commitment in one report."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="entries"
    )
    commitment = models.ForeignKey(
        Commitment, verbose_name=_("cam kết"), on_delete=models.PROTECT, related_name="entries"
    )
    status = models.CharField(
        _("tình trạng"), max_length=20, choices=Commitment.Status.choices, default=Commitment.Status.NOT_STARTED
    )
    percent_complete = models.PositiveSmallIntegerField(
        _("tỷ lệ hoàn thành (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    actual_value = models.DecimalField(_("giá trị thực hiện"), max_digits=18, decimal_places=4, null=True, blank=True)
    results = models.TextField(_("kết quả đạt được"), blank=True, max_length=limits.ENTRY_RESULTS)
    difficulties = models.TextField(_("khó khăn, vướng mắc"), blank=True, max_length=limits.ENTRY_NOTE)
    proposals = models.TextField(_("kiến nghị, đề xuất"), blank=True, max_length=limits.ENTRY_NOTE)
    review_comment = models.TextField(_("ý kiến của bộ phận điều phối"), blank=True, max_length=limits.ENTRY_NOTE)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cập nhật"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("kết quả thực hiện cam kết")
        verbose_name_plural = _("kết quả thực hiện cam kết")
        ordering = ["commitment__item__number", "commitment__order", "commitment_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "commitment"], name="entry_unique_per_report_commitment"),
            models.CheckConstraint(
                condition=Q(percent_complete__gte=0) & Q(percent_complete__lte=100), name="entry_percent_in_range"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(percent_complete=100),
                name="entry_done_is_complete",
                violation_error_message=DONE_IS_COMPLETE,
            ),
            models.CheckConstraint(
                condition=~Q(status="not_started") | Q(percent_complete=0),
                name="entry_not_started_is_zero",
                violation_error_message=NOT_STARTED_IS_ZERO,
            ),
            models.CheckConstraint(
                condition=~Q(status__in=UNDER_WAY) | Q(percent_complete__lt=100),
                name="entry_under_way_is_incomplete",
                violation_error_message=UNDER_WAY_IS_INCOMPLETE,
            ),
            limits.text_limit("entry", "results", limits.ENTRY_RESULTS),
            limits.text_limit("entry", "difficulties", limits.ENTRY_NOTE),
            limits.text_limit("entry", "proposals", limits.ENTRY_NOTE),
            limits.text_limit("entry", "review_comment", limits.ENTRY_NOTE),
        ]

    def __str__(self) -> str:
        return f"{self.report} – {self.commitment}"

    def audit_agreement_id(self) -> int | None:
        return self.report.party.agreement_id

    @property
    def status_label(self) -> str:
        """get_status_display() for the period page and the PDFs' entries, 150 on a page (core.text.choice_label)."""
        return choice_label(Commitment.Status, self.status)

    TRACKED_FIELDS = ("status", "percent_complete", "actual_value", "results", "difficulties", "proposals")

    @staticmethod
    def check_status_percent(status: str | None, percent: int | None) -> None:
        """The rule of the entry_* status constraints, for forms and services to say before the database."""
        if status is None or percent is None:
            return  # the field itself is missing or wrong, and its own error says so
        broken = None
        if status == Commitment.Status.DONE and percent != 100:
            broken = ("entry_done_is_complete", DONE_IS_COMPLETE)
        elif status == Commitment.Status.NOT_STARTED and percent != 0:
            broken = ("entry_not_started_is_zero", NOT_STARTED_IS_ZERO)
        elif status in UNDER_WAY and percent >= 100:
            broken = ("entry_under_way_is_incomplete", UNDER_WAY_IS_INCOMPLETE)
        if broken is not None:
            name, message = broken
            # Formatted like the constraint's own message ("%%" becomes "%").
            raise ValidationError({"percent_complete": ValidationError(message, code=name, params={"name": name})})


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    """evidence/yyyy/mm/<random>.<ext of the detected type>; the user's name stays in `original_name`.

    Files stored before issue 12 keep their old `evidence/<report>/<entry>/<name>` paths.
    """
    return uploads.generated_name("evidence", instance.content_type)


class Evidence(models.Model):
    entry = models.ForeignKey(
        ProgressEntry, verbose_name=_("kết quả"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("tệp minh chứng"), upload_to=evidence_upload_to)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    content_type = models.CharField(_("loại tệp"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tải lên"), null=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tệp minh chứng")
        verbose_name_plural = _("tệp minh chứng")
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["uploaded_at", "id"], name="evidence_default_order")]

    def __str__(self) -> str:
        return self.original_name

    def audit_agreement_id(self) -> int | None:
        return self.entry.report.party.agreement_id


class ReportTransition(models.Model):
    """Every move of a report through its review: who, when, why."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_state = models.CharField(_("từ trạng thái"), max_length=20, choices=ProgressReport.State.choices)
    to_state = models.CharField(_("sang trạng thái"), max_length=20, choices=ProgressReport.State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), null=True, on_delete=models.SET_NULL
    )
    comment = models.TextField(_("lý do, ý kiến"), blank=True, max_length=limits.COMMENT)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        verbose_name = _("lịch sử duyệt báo cáo")
        verbose_name_plural = _("lịch sử duyệt báo cáo")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["created_at", "id"], name="transition_default_order")]
        constraints = [limits.text_limit("transition", "comment", limits.COMMENT)]

    def __str__(self) -> str:
        return f"{self.report}: {self.from_state} → {self.to_state}"


class EntryRevision(models.Model):
    """A snapshot of an entry after each saved change, so a coordinator can read its history."""

    entry = models.ForeignKey(
        ProgressEntry, verbose_name=_("kết quả"), on_delete=models.CASCADE, related_name="revisions"
    )
    version = models.PositiveIntegerField(_("phiên bản"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người sửa"), null=True, on_delete=models.SET_NULL
    )
    changes = models.JSONField(_("thay đổi"), default=dict)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        verbose_name = _("lịch sử chỉnh sửa")
        verbose_name_plural = _("lịch sử chỉnh sửa")
        ordering = ["entry_id", "version"]  # the unique (entry, version) index; "entry" would sort through 4 joins
        constraints = [models.UniqueConstraint(fields=["entry", "version"], name="revision_unique_version")]

    def __str__(self) -> str:
        return f"{self.entry_id} v{self.version}"


# --- official documents (PDF) -------------------------------------------------------------
# See reporting/documents/: the renderer, its URL fetcher, numbering and the stored files.


class DocumentNumberCounter(models.Model):
    """The last number an issuing body gave its reports in a calendar year (Decree 30: restarts at 01)."""

    body = models.ForeignKey(
        "agreements.Body", verbose_name=_("cơ quan ban hành"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    last_number = models.PositiveIntegerField(_("số cuối đã cấp"), default=0)

    class Meta:
        verbose_name = _("sổ đăng ký số báo cáo")
        verbose_name_plural = _("sổ đăng ký số báo cáo")
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="document_counter_unique_body_year")]

    def __str__(self) -> str:
        return f"{self.body_id}/{self.year}: {self.last_number}"


def official_document_upload_to(instance: OfficialDocument, filename: str) -> str:
    return f"documents/{instance.agreement_id}/{filename}"


class OfficialDocument(ChecksInOneQuery):
    """A rendered official report (PDF) of an approved period, kept until the data behind it changes."""

    class Kind(models.TextChoices):
        PARTY_REPORT = "party_report", _("Báo cáo 6 tháng của một bên")
        CONSOLIDATED = "consolidated", _("Báo cáo tổng hợp của kỳ")
        YEARLY_REVIEW = "yearly_review", _("Báo cáo phục vụ họp định kỳ hàng năm")

    class State(models.TextChoices):
        PENDING = "pending", _("Đang chờ tạo")
        RENDERING = "rendering", _("Đang tạo")
        READY = "ready", _("Đã sẵn sàng")
        FAILED = "failed", _("Lỗi")

    key = models.CharField(_("khóa"), max_length=100, db_index=True)
    is_current = models.BooleanField(
        _("bản hiện hành"), default=True, help_text=_("Sai khi văn bản đã được một văn bản khác thay thế.")
    )
    kind = models.CharField(_("loại báo cáo"), max_length=20, choices=Kind.choices)
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("thỏa thuận"), on_delete=models.CASCADE, related_name="official_documents"
    )
    issuing_party = models.ForeignKey(
        Party, verbose_name=_("bên ban hành"), on_delete=models.CASCADE, related_name="official_documents"
    )
    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("báo cáo"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="official_documents",
    )
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("kỳ báo cáo"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="official_documents",
    )
    year = models.PositiveSmallIntegerField(_("năm báo cáo"), null=True, blank=True)
    number = models.PositiveIntegerField(_("số văn bản"), null=True, blank=True)
    number_year = models.PositiveSmallIntegerField(_("năm cấp số"), null=True, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    state = models.CharField(_("trạng thái"), max_length=20, choices=State.choices, default=State.PENDING)
    fingerprint = models.CharField(_("dấu vân dữ liệu"), max_length=64, blank=True)
    file = models.FileField(_("tệp PDF"), upload_to=official_document_upload_to, blank=True)
    size = models.PositiveIntegerField(_("dung lượng (byte)"), default=0)
    error = models.TextField(_("thông báo lỗi"), blank=True)
    commitment_count = models.PositiveIntegerField(_("số cam kết"), default=0)
    # Issuing (cấp số): once numbered, the document and its file never change; a change of the
    # data behind it is answered by a new document that replaces this one.
    issuing_body = models.ForeignKey(
        "agreements.Body",
        verbose_name=_("cơ quan ban hành"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Cơ quan ban hành vào ngày cấp số (cơ quan kế thừa nếu bên tham gia đã sáp nhập)."),
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signer_name = models.CharField(_("họ tên người ký"), max_length=150, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cấp số"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("cấp số lúc"), null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("thay thế văn bản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    data_version = models.CharField(_("phiên bản dữ liệu khi ban hành"), max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("yêu cầu lúc"), null=True, blank=True)
    started_at = models.DateTimeField(_("bắt đầu tạo lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("tạo xong lúc"), null=True, blank=True)
    render_seconds = models.FloatField(_("thời gian tạo (giây)"), null=True, blank=True)
    # Recovery of renders that die (reporting.documents.rendering, docs/documents.md): the task handed to
    # the broker at queued_at; the render that claimed the row (host/pid/start/nonce) holds it until
    # lease_until; attempts counts the claims since a user last asked, so a render that keeps dying fails.
    queued_at = models.DateTimeField(_("gửi cho tiến trình nền lúc"), null=True, blank=True)
    rendered_by = models.CharField(_("tiến trình đang tạo"), max_length=200, blank=True)
    lease_until = models.DateTimeField(_("giữ quyền tạo đến"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần bắt đầu tạo"), default=0)

    class Meta:
        verbose_name = _("văn bản báo cáo chính thức")
        verbose_name_plural = _("văn bản báo cáo chính thức")
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["-requested_at", "-id"], name="document_default_order"),
            # The sweep reads the few documents on their way, every minute, not the whole table.
            models.Index(fields=["state"], condition=Q(state__in=["pending", "rendering"]), name="document_busy"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number_year__isnull=False), name="document_number_has_year"
            ),
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(is_current=True),
                name="document_one_current_per_key",
                violation_error_message=_("Văn bản này đã có một bản hiện hành."),
            ),
            models.UniqueConstraint(
                fields=["issuing_body", "number_year", "number"],
                condition=Q(number__isnull=False),
                name="document_number_once_per_body_year",
                violation_error_message=_("Số văn bản này đã được cơ quan cấp trong năm."),
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True)
                | (Q(issuing_body__isnull=False) & ~Q(signer_name="") & Q(issued_on__isnull=False)),
                name="document_numbered_is_signed",
                violation_error_message=_("Văn bản đã cấp số phải có cơ quan ban hành, người ký và ngày ban hành."),
            ),
            models.CheckConstraint(
                # A ready file is an issued document, or a large draft drawn by the worker for its reader.
                condition=~Q(state="ready")
                | ((Q(number__isnull=False) | Q(key__startswith="draft:")) & ~Q(fingerprint="")),
                name="document_ready_is_numbered",
            ),
            models.CheckConstraint(
                condition=(Q(kind="party_report") & Q(report__isnull=False))
                | (Q(kind="consolidated") & Q(period__isnull=False))
                | (Q(kind="yearly_review") & Q(year__isnull=False)),
                name="document_kind_has_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.key})"
