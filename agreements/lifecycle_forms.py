"""Forms of an agreement's life in the app: a change of status with its day, an amendment, a commitments file."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Amendment
from core import limits
from core.forms import PlainTextMixin

DATE_HELP = _("Ngày/tháng/năm, ví dụ 31/12/2026.")
# What a coordinator may set by hand (a draft comes into force by being published).
SETTABLE = (
    Agreement.Status.IN_FORCE,
    Agreement.Status.EXPIRED,
    Agreement.Status.TERMINATED,
    Agreement.Status.SUPERSEDED,
)


class StatusChangeForm(PlainTextMixin, forms.Form):
    status = forms.ChoiceField(label=_("Tình trạng mới"))
    effective_on = forms.DateField(label=_("Có hiệu lực từ ngày"), help_text=DATE_HELP)
    note = forms.CharField(
        label=_("Căn cứ, ghi chú"),
        required=False,
        max_length=limits.COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ví dụ: số, ngày văn bản chấm dứt hoặc văn bản thay thế."),
    )

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The agreement's own status is no change: it is not offered.
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—")] + [(s.value, s.label) for s in SETTABLE if s != agreement.status]


class AmendmentForm(PlainTextMixin, forms.ModelForm[Amendment]):
    class Meta:
        model = Amendment
        fields = ["amended_on", "document_number", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"amended_on": DATE_HELP, "document_number": _("Ví dụ 12/BTT-SCT; để trống nếu không có số.")}


class CommitmentFileForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh sách cam kết (.xlsx hoặc .csv)"),
        help_text=_("Cùng các cột với tệp xuất danh sách cam kết; dòng đầu là tên cột."),
    )
