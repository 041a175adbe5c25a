from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import limits
from core.forms import LocalizedDecimalField, PlainTextMixin, WholeNumberField
from core.text import shorten
from reporting.models import ProgressEntry, ProgressReport
from reporting.workflow import check_evidence_file

TEXTAREA = {"rows": 3}


class RebasableForm(PlainTextMixin, forms.ModelForm[Any]):
    """A form that remembers the values it was loaded with (hidden initials) and its version.

    After an edit conflict the page is shown again with the user's own input kept, but based
    on the stored values and version, so that saving again is a deliberate choice.
    """

    # Bounded like the column (a positive integer): a version no page wrote is refused here, not looked up.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    tracked: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.tracked:
            if name in self.fields:
                self.fields[name].show_hidden_initial = True

    def rebase(self, data: Any, current: Any) -> None:
        data[self.add_prefix("version")] = str(current.version)
        for name in self.tracked:
            if name in self.fields:
                # As the page writes it (101.000 in Vietnamese), so that it reads back as the same value.
                value = self.fields[name].prepare_value(getattr(current, name))
                data[self.add_initial_prefix(name)] = "" if value is None else str(value)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.has_error("version"):
            # A hidden field shows no error of its own: say it where the page shows the form's errors.
            self.add_error(None, _("Không đọc được phiên bản của biểu mẫu này; hãy tải lại trang rồi nhập lại."))
        return data


class ReportFieldsForm(RebasableForm):
    tracked = ("overall_assessment", "shortcomings", "next_period_tasks")

    class Meta:
        model = ProgressReport
        fields = ["overall_assessment", "shortcomings", "next_period_tasks"]
        widgets = {name: forms.Textarea(attrs=TEXTAREA) for name in fields}


class EntryForm(RebasableForm):
    tracked = ProgressEntry.TRACKED_FIELDS
    evidence = forms.FileField(
        label=_("Thêm tệp minh chứng"),
        required=False,
        help_text=_("PDF, ảnh, Word hoặc Excel."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.webp,.doc,.docx,.xls,.xlsx,.odt,.ods"}),
    )

    class Meta:
        model = ProgressEntry
        fields = ["status", "percent_complete", "actual_value", "results", "difficulties", "proposals"]
        field_classes = {"actual_value": LocalizedDecimalField, "percent_complete": WholeNumberField}
        widgets = {
            "results": forms.Textarea(attrs=TEXTAREA),
            "difficulties": forms.Textarea(attrs=TEXTAREA),
            "proposals": forms.Textarea(attrs=TEXTAREA),
            "percent_complete": forms.NumberInput(attrs={"min": 0, "max": 100, "inputmode": "numeric"}),
        }
        error_messages = {
            "percent_complete": {
                "invalid": _("Tỷ lệ hoàn thành là một số nguyên từ 0 đến 100, ví dụ 45."),
                "min_value": _("Tỷ lệ hoàn thành không thể nhỏ hơn %(limit_value)s%%."),
                "max_value": _("Tỷ lệ hoàn thành không thể vượt quá %(limit_value)s%%."),
            }
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.commitment.has_indicator:
            del self.fields["actual_value"]

    def clean_evidence(self) -> Any:
        upload = self.cleaned_data.get("evidence")
        if upload:
            check_evidence_file(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        percent = data.get("percent_complete")
        if percent is not None and not 0 <= percent <= 100:
            return data  # out of range: the model's validators say so, and nothing else needs saying
        try:
            ProgressEntry.check_status_percent(data.get("status"), percent)
        except ValidationError as exc:
            self.add_error(None, exc)
        return data


class EntryCommentField(forms.CharField):
    """The coordinator's comment on one entry; its label names the commitment shortened at a word, and
    `full_text` is the whole commitment, which the page puts in the label's title."""

    def __init__(self, *, full_text: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.full_text = full_text


class ReturnForm(PlainTextMixin, forms.Form):
    comment = forms.CharField(
        label=_("Ý kiến chung gửi chuyên viên"),
        required=False,
        max_length=limits.COMMENT,
        widget=forms.Textarea(attrs=TEXTAREA),
    )

    def __init__(self, *args: Any, entries: list[ProgressEntry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entries = entries
        for entry in entries:
            self.fields[f"entry_{entry.pk}"] = EntryCommentField(
                label=_("Ý kiến về cam kết: %(c)s") % {"c": shorten(entry.commitment.description, 60)},
                full_text=entry.commitment.description,
                required=False,
                max_length=limits.ENTRY_NOTE,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def entry_comments(self) -> dict[int, str]:
        return {e.pk: self.cleaned_data.get(f"entry_{e.pk}", "") for e in self.entries}


class ReopenForm(PlainTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Lý do mở lại"),
        max_length=limits.COMMENT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Hãy ghi lý do mở lại báo cáo đã phê duyệt.")},
    )
