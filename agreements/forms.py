"""The forms coordinators enter agreements with (agreements/edit_views.py): general data, party rows,
item rows, one commitment, a missing body.

A body is typed by name in a text box (agreements.pickers reads it); a row the name does not settle
shows its candidates as choices, so the forms work without JavaScript, and static/js/agreement-edit.js
only adds suggestions while typing and rows without a round trip.  Rows are plain formsets whose blank
rows are left out: ten parties are ten rows, as quick as two.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements import pickers
from agreements.models import AdministrativeUnit, Agreement, Body
from agreements.services import ItemDraft, PartyDraft
from core import clock, limits
from core.forms import LocalizedDecimalField, PlainTextMixin, WholeNumberField
from core.http import id_param
from core.text import excerpt

BAD_DATE = gettext_lazy("Hãy ghi ngày theo dạng ngày/tháng/năm, ví dụ 14/10/2011.")


def date_input() -> forms.DateInput:
    return forms.DateInput(
        format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
    )


def date_field(label: Any, *, required: bool = False, help_text: Any = "") -> forms.DateField:
    """A day typed as Vietnamese administrative practice writes it (14/10/2011; also 2011-10-14)."""
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=date_input(),
        error_messages={"invalid": BAD_DATE},
    )


# What was signed: fixed once the agreement is published (services.update_agreement); the rest stays editable.
SIGNED_FIELDS = ("kind", "number", "title", "signed_on", "signed_at", "period_start", "period_end", "objectives")
CADENCES = [(3, gettext_lazy("3 tháng")), (6, gettext_lazy("6 tháng")), (12, gettext_lazy("12 tháng"))]


class AgreementForm(PlainTextMixin, forms.ModelForm[Agreement]):
    """General data of an agreement; a published one keeps only its cadences, "tracked from" and notes."""

    reporting_cadence_months = forms.TypedChoiceField(
        label=gettext_lazy("Chu kỳ báo cáo"),
        choices=CADENCES,
        coerce=int,
        initial=6,
        help_text=gettext_lazy("Theo Nghị định 09/2019/NĐ-CP."),
    )

    class Meta:
        model = Agreement
        fields = [
            "kind",
            "number",
            "title",
            "signed_on",
            "signed_at",
            "period_start",
            "period_end",
            "objectives",
            "tracked_from",
            "reporting_cadence_months",
            "report_deadline_days",
            "meeting_cadence_months",
            "notes",
        ]
        field_classes = {
            "report_deadline_days": WholeNumberField,
            "meeting_cadence_months": WholeNumberField,
        }
        widgets = {
            "signed_on": date_input(),
            "period_start": date_input(),
            "period_end": date_input(),
            "tracked_from": date_input(),
            "title": forms.TextInput(attrs={"placeholder": gettext_lazy("Ví dụ: Chương trình hợp tác giai đoạn …")}),
            "objectives": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "report_deadline_days": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
            "meeting_cadence_months": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
        }
        error_messages = {
            name: {"invalid": BAD_DATE} for name in ("signed_on", "period_start", "period_end", "tracked_from")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.instance.is_draft:
            for name in SIGNED_FIELDS:
                del self.fields[name]
        for name in ("report_deadline_days", "meeting_cadence_months"):
            self.fields[name].min_value = 1  # type: ignore[attr-defined]
            self.fields[name].max_value = 366  # type: ignore[attr-defined]

    def day(self) -> datetime.date | None:
        """The day the parties are named as of: the signing, else the start of the period (when typed well)."""
        data = getattr(self, "cleaned_data", {})
        day: datetime.date | None = data.get("signed_on") or data.get("period_start")
        return day

    def values(self) -> dict[str, Any]:
        """What services.update_agreement takes (the fields the form has)."""
        return {name: self.cleaned_data[name] for name in self.fields}


# --- rows that name a body ------------------------------------------------------------------------


class BodyRowForm(PlainTextMixin, forms.Form):
    """One row naming a body by its name; `choice` is the candidate picked when the name fitted several."""

    body = forms.CharField(label=gettext_lazy("Cơ quan"), max_length=300, required=False)
    choice = forms.CharField(required=False, widget=forms.HiddenInput)

    # Filled by resolve_rows(): what the row named, or the candidates to choose from.
    found: Body | None = None
    choices: Sequence[Body] = ()

    @property
    def text(self) -> str:
        return str(self.cleaned_data.get("body") or "").strip() if hasattr(self, "cleaned_data") else ""

    def shown(self) -> str:
        """The text box's value: the label of the body found, else what was typed."""
        if self.found is not None:
            return pickers.label(self.found)
        value = self["body"].value()
        return "" if value is None else str(value)


class PartyRowForm(BodyRowForm):
    """A party with its coordinating office and signatory (the parties page)."""

    office = forms.CharField(label=gettext_lazy("Bộ phận điều phối"), max_length=300, required=False)
    office_choice = forms.CharField(required=False, widget=forms.HiddenInput)
    signatory_name = forms.CharField(label=gettext_lazy("Người ký"), max_length=100, required=False)
    signatory_title = forms.CharField(label=gettext_lazy("Chức vụ người ký"), max_length=100, required=False)

    office_found: Body | None = None
    office_choices: Sequence[Body] = ()

    def office_shown(self) -> str:
        if self.office_found is not None:
            return pickers.label(self.office_found)
        value = self["office"].value()
        return "" if value is None else str(value)


MAX_PARTIES = 63  # every province before 2025 in one programme
BodyRows = forms.formset_factory(BodyRowForm, extra=0, max_num=MAX_PARTIES, validate_max=True)
PartyRows = forms.formset_factory(PartyRowForm, extra=0, max_num=MAX_PARTIES, validate_max=True)
MORE_ROWS = 5  # rows a "more rows" click adds


def rows_data(data: Any, prefix: str, more: int) -> Any:
    """The posted rows with `more` blank ones after them (the "more rows" button without JavaScript)."""
    copy = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    total = id_param(str(copy.get(key, ""))) or 0
    copy[key] = str(min(total + more, MAX_PARTIES))
    return copy


def _find(
    form: forms.Form,
    text_field: str,
    choice_field: str,
    *,
    on: datetime.date | None,
    strict: bool,
    units: Collection[int] | None,
) -> pickers.Found:
    text = str(form.cleaned_data.get(text_field) or "").strip()
    pk = id_param(str(form.cleaned_data.get(choice_field) or ""))
    if pk is not None:
        return pickers.chosen(pk, text, on=on, strict=strict, units=units)
    return pickers.resolve(text, on=on, strict=strict, units=units)


def resolve_rows(rows: Any, *, on: datetime.date | None) -> list[BodyRowForm] | None:
    """The rows that name a party, each with its body found (`form.found`), in order; None if one fails.

    A party must be valid on `on` (the signing day): a body of a province that ended on 30/06/2025 names
    a party of an agreement signed before.  A row left blank is no party; services count the parties.
    """
    if not rows.is_valid():
        return None
    named: list[BodyRowForm] = []
    seen: dict[int, int] = {}
    failed = False
    for index, form in enumerate(rows.forms, start=1):
        if not form.text:
            continue
        found = _find(form, "body", "choice", on=on, strict=True, units=None)
        form.found, form.choices = found.body, found.choices
        if found.body is None:
            form.add_error("body", found.error)
            failed = True
            continue
        if found.body.pk in seen:
            form.add_error(
                "body",
                _("Cơ quan này đã có ở dòng %(row)d; mỗi cơ quan chỉ là một bên.") % {"row": seen[found.body.pk]},
            )
            failed = True
            continue
        seen[found.body.pk] = index
        named.append(form)
    return None if failed else named


def resolve_offices(named: Sequence[PartyRowForm], *, on: datetime.date | None) -> bool:
    """Each party's coordinating office, looked for in the party's province; False if one fails."""
    units = pickers.province_units([form.found for form in named if form.found is not None])
    failed = False
    for form in named:
        assert form.found is not None
        if not str(form.cleaned_data.get("office") or "").strip():
            continue
        found = _find(form, "office", "office_choice", on=on, strict=False, units=units[form.found.pk])
        form.office_found, form.office_choices = found.body, found.choices
        if found.body is None:
            form.add_error("office", found.error)
            failed = True
        elif found.body.pk == form.found.pk:
            form.office_found = None
            form.add_error("office", _("Bộ phận điều phối là một đơn vị trực thuộc, không phải chính cơ quan."))
            failed = True
    return not failed


def party_drafts(named: Sequence[PartyRowForm]) -> list[PartyDraft]:
    return [
        PartyDraft(
            body=form.found,
            coordinating_office=form.office_found,
            signatory_name=form.cleaned_data.get("signatory_name") or "",
            signatory_title=form.cleaned_data.get("signatory_title") or "",
        )
        for form in named
        if form.found is not None
    ]


# --- items ------------------------------------------------------------------------------------------


class ItemRowForm(PlainTextMixin, forms.Form):
    """A numbered item with its main sector and the others; the sector choices are read once per page."""

    number = WholeNumberField(label=gettext_lazy("Số"), min_value=1, max_value=999, required=False)
    text = forms.CharField(
        label=gettext_lazy("Nội dung hợp tác"),
        max_length=limits.ITEM_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    sector = forms.ChoiceField(label=gettext_lazy("Lĩnh vực chính"), required=False)
    other_sectors = forms.MultipleChoiceField(
        label=gettext_lazy("Lĩnh vực liên quan"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, sectors: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # No sector chosen is "Lĩnh vực khác" (services), never the first of the list by accident.
        self.fields["sector"].choices = [("", _("— chọn lĩnh vực —")), *sectors]  # type: ignore[attr-defined]
        self.fields["other_sectors"].choices = sectors  # type: ignore[attr-defined]

    @property
    def is_blank(self) -> bool:
        return not str(getattr(self, "cleaned_data", {}).get("text") or "").strip()


ItemRows = forms.formset_factory(ItemRowForm, extra=0, max_num=200, validate_max=True)


def item_drafts(rows: Any) -> list[ItemDraft] | None:
    """The rows with text, as drafts; a row without a number takes the next one after those before it."""
    if not rows.is_valid():
        return None
    drafts: list[ItemDraft] = []
    for form in rows.forms:
        if form.is_blank:
            continue
        data = form.cleaned_data
        number = data.get("number") or (drafts[-1].number + 1 if drafts else 1)
        sectors = [data.get("sector") or "", *(code for code in data.get("other_sectors") or [] if code)]
        drafts.append(ItemDraft(number=number, text=data["text"], sectors=[code for code in sectors if code]))
    return drafts


# --- one commitment ---------------------------------------------------------------------------------


@dataclass
class Scope:
    """Where the bodies of a commitment may come from: the units of each party's province."""

    by_party: dict[int, set[int]]

    @property
    def any_party(self) -> set[int]:
        return set().union(*self.by_party.values()) if self.by_party else set()


def _elsewhere(text: str, found: pickers.Found, party_body: Body | None) -> str:
    """The error of a name not found where it may be: said plainly when it names a body of another province."""
    if found.choices:
        return found.error
    other = pickers.resolve(text, on=clock.today()).body
    if other is None:
        return found.error
    if party_body is not None:
        return _("“%(body)s” không thuộc tỉnh của bên chủ trì “%(party)s”.") % {
            "body": other.name,
            "party": party_body.name,
        }
    return _("“%(body)s” không thuộc tỉnh của bên nào trong thỏa thuận.") % {"body": other.name}


class CommitmentForm(PlainTextMixin, forms.Form):
    """A commitment of one of this agreement's items, answered for by one of its parties."""

    commitment = forms.CharField(required=False, widget=forms.HiddenInput)
    item = forms.TypedChoiceField(label=gettext_lazy("Nội dung hợp tác"), coerce=int)
    responsible_party = forms.TypedChoiceField(label=gettext_lazy("Bên chủ trì"), coerce=int)
    lead = forms.CharField(
        label=gettext_lazy("Cơ quan chủ trì thực hiện"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Sở, ngành thuộc tỉnh của bên chủ trì; để trống nếu chính bên chủ trì thực hiện."),
    )
    lead_choice = forms.CharField(required=False, widget=forms.HiddenInput)
    supporting = forms.CharField(
        label=gettext_lazy("Cơ quan phối hợp"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Mỗi dòng một cơ quan, thuộc tỉnh của một bên."),
    )
    description = forms.CharField(
        label=gettext_lazy("Nội dung cam kết"),
        max_length=limits.COMMITMENT_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    due_on = date_field(gettext_lazy("Thời hạn"), help_text=gettext_lazy("Để trống nếu là nhiệm vụ thường xuyên."))
    indicator_name = forms.CharField(label=gettext_lazy("Chỉ tiêu"), max_length=200, required=False)
    indicator_unit = forms.CharField(label=gettext_lazy("Đơn vị tính"), max_length=50, required=False)
    baseline = LocalizedDecimalField(label=gettext_lazy("Giá trị nền"), max_digits=18, decimal_places=4, required=False)
    target = LocalizedDecimalField(
        label=gettext_lazy("Giá trị mục tiêu"),
        max_digits=18,
        decimal_places=4,
        required=False,
        help_text=gettext_lazy("Viết như thường lệ: 101.000 hoặc 6,6."),
    )

    lead_found: Body | None = None
    lead_choices: Sequence[Body] = ()
    supporting_found: list[Body]
    supporting_choices: list[tuple[str, Sequence[Body]]]

    def __init__(
        self,
        *args: Any,
        items: Sequence[tuple[int, str]],
        parties: Sequence[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = items  # type: ignore[attr-defined]
        self.fields["responsible_party"].choices = parties  # type: ignore[attr-defined]
        self.supporting_found = []
        self.supporting_choices = []

    def lead_shown(self) -> str:
        if self.lead_found is not None:
            return pickers.label(self.lead_found)
        value = self["lead"].value()
        return "" if value is None else str(value)

    def supporting_shown(self) -> str:
        if self.is_bound and not self.errors and self.supporting_found:
            return "\n".join(pickers.label(body) for body in self.supporting_found)
        value = self["supporting"].value()
        return "" if value is None else str(value)

    def resolve_bodies(self, scope: Scope, lead_party_body: Body | None) -> bool:
        """The lead body (in the responsible party's province) and the supporting ones (in any party's)."""
        data = self.cleaned_data
        party_id = data["responsible_party"]
        today = clock.today()
        ok = True
        if str(data.get("lead") or "").strip():
            found = _find(
                self, "lead", "lead_choice", on=today, strict=False, units=scope.by_party.get(party_id, set())
            )
            self.lead_found, self.lead_choices = found.body, found.choices
            if found.body is None:
                self.add_error("lead", _elsewhere(str(data["lead"]), found, lead_party_body))
                ok = False
            elif lead_party_body is not None and found.body.pk == lead_party_body.pk:
                self.lead_found = None  # the party itself leads: nothing to record beside it
        picked = {
            pk for pk in (id_param(str(v)) for v in self.data.getlist(self.add_prefix("supporting_choice"))) if pk
        }
        units = scope.any_party
        problems: list[str] = []
        for line in str(data.get("supporting") or "").splitlines():
            if not line.strip():
                continue
            found = pickers.resolve(line, on=today, units=units)
            if found.body is None:
                chosen = [body for body in found.choices if body.pk in picked]
                if len(chosen) == 1:
                    found = pickers.Found(chosen[0])
            if found.body is None:
                problems.append(_elsewhere(line, found, None))
                if found.choices:
                    self.supporting_choices.append((excerpt(line, 60), found.choices))
            elif found.body not in self.supporting_found:
                self.supporting_found.append(found.body)
        if problems:
            self.add_error("supporting", " ".join(problems))
            ok = False
        return ok

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        baseline: Decimal | None = data.get("baseline")
        target: Decimal | None = data.get("target")
        return {
            "description": data["description"],
            "lead_body": self.lead_found,
            "supporting_bodies": list(self.supporting_found),
            "due_on": data.get("due_on"),
            "indicator_name": data.get("indicator_name") or "",
            "indicator_unit": data.get("indicator_unit") or "",
            "baseline": baseline,
            "target": target,
        }


# --- a body missing from the list ---------------------------------------------------------------------


class BodyForm(PlainTextMixin, forms.Form):
    """A department (or office) added on the spot: services.add_body refuses a second one of the same name."""

    name = forms.CharField(
        label=gettext_lazy("Tên cơ quan"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Ví dụ: Sở Du lịch thành phố Hà Nội")}),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại cơ quan"), choices=Body.Kind.choices, initial=Body.Kind.DEPARTMENT
    )
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Tỉnh, thành phố"),
        queryset=AdministrativeUnit.objects.none(),
        empty_label=gettext_lazy("— chọn tỉnh, thành phố —"),
    )
    parent = forms.CharField(
        label=gettext_lazy("Cơ quan cấp trên"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Để trống: một Sở thuộc Ủy ban nhân dân tỉnh, thành phố."),
    )
    abbreviation = forms.CharField(label=gettext_lazy("Chữ viết tắt"), max_length=20, required=False)

    parent_found: Body | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Units in force today: a body is never added to a province that has ended (services.add_body).
        today = clock.today()
        self.fields["unit"].queryset = AdministrativeUnit.objects.valid_on(today).order_by("name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit: AdministrativeUnit | None = data.get("unit")
        if unit is None:
            return data
        text = str(data.get("parent") or "").strip()
        today = clock.today()
        if text:
            units = AdministrativeUnit.objects.lineage_ids([unit.pk])
            found = pickers.resolve(text, on=today, units=units)
            if found.body is None:
                self.add_error("parent", found.error)
            self.parent_found = found.body
        elif data.get("kind") == Body.Kind.DEPARTMENT:
            self.parent_found = (
                Body.objects.valid_on(today).filter(unit=unit, kind=Body.Kind.PEOPLES_COMMITTEE).order_by("pk").first()
            )
        return data
