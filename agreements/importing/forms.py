"""The two steps of an import as forms: the text or file (ImportForm), then the proposal to correct and
confirm (ProposalForms: the agreement's fields, its parties, its items).

Nothing is kept on the server between the steps: the text travels in a signed hidden field and is parsed
again when the proposal comes back, so that what the parser did not understand can be shown again.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core import signing
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.importing import matching
from agreements.importing.parsing import Confidence, PartyMention, Proposal, parse
from agreements.importing.reading import MAX_BYTES, MAX_TEXT_CHARS, ImportRefused, clean_text, text_of_upload
from agreements.models import OTHER_SECTOR, Agreement, Body, Sector
from agreements.services import ItemDraft, PartyDraft
from core import clock, limits
from core.forms import PlainTextMixin, WholeNumberField
from core.http import id_param
from core.types import Actor

SALT = "agreements.importing"
# A proposal left open longer than this is read again from the text: the body list may have changed.
MAX_AGE = datetime.timedelta(days=1)


# --- step 1: the text ------------------------------------------------------------------------------


class ImportForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Dán nội dung văn bản"),
        required=False,
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=gettext_lazy("Dán toàn bộ văn bản thỏa thuận, chương trình hoặc kế hoạch hợp tác."),
    )
    file = forms.FileField(
        label=gettext_lazy("hoặc tải lên tệp .docx, .pdf, .txt"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.txt"}),
        error_messages={"empty": gettext_lazy("Tệp rỗng: không có nội dung để nhập.")},
        help_text=gettext_lazy("Tối đa 10 MB. Bản quét (ảnh) không đọc được: hãy dùng tệp Word hoặc PDF xuất từ Word."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Text copied from a PDF brings control characters: reading.clean_text drops them, nothing refuses them.
        self.fields["text"].validators = [v for v in self.fields["text"].validators if not _is_null_check(v)]

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_BYTES:  # before a byte of it is read
            raise forms.ValidationError(
                _("Tệp có dung lượng %(size).1f MB, vượt giới hạn %(limit).0f MB của văn bản nhập vào.")
                % {"size": upload.size / 1048576, "limit": MAX_BYTES / 1048576}
            )
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        upload, text = cleaned.get("file"), cleaned.get("text") or ""
        if upload and text.strip():
            raise forms.ValidationError(_("Hãy dán văn bản hoặc tải lên một tệp, không cả hai."))
        try:
            if upload:
                cleaned["source_text"] = text_of_upload(upload)
                cleaned["source_name"] = _file_name(upload.name or "")
            elif text.strip():
                cleaned["source_text"] = clean_text(text)
                cleaned["source_name"] = ""
            else:
                raise forms.ValidationError(_("Hãy dán nội dung văn bản hoặc chọn một tệp."))
        except ImportRefused as exc:
            raise forms.ValidationError(exc.message) from None
        return cleaned


def _is_null_check(validator: Any) -> bool:
    return type(validator).__name__ == "ProhibitNullCharactersValidator"


def _file_name(name: str) -> str:
    """The user's file name as the audit records it: its last part, printable, not too long."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in base if ch.isprintable())[:120]


def sign(text: str, name: str) -> str:
    return signing.dumps({"text": text, "name": name}, salt=SALT, compress=True)


def unsign(token: str) -> tuple[str, str]:
    """(text, file name) of a signed proposal; ImportRefused when it was altered or is too old."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise ImportRefused(_("Bản đề xuất đã quá hạn (mở quá một ngày); hãy nhập lại văn bản.")) from None
    except signing.BadSignature:
        raise ImportRefused(_("Không đọc được bản đề xuất; hãy nhập lại văn bản.")) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("text"), str):
        raise ImportRefused(_("Không đọc được bản đề xuất; hãy nhập lại văn bản."))
    return payload["text"], str(payload.get("name") or "")


# --- step 2: the proposal --------------------------------------------------------------------------

DATE_WIDGET = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


class AgreementFieldsForm(PlainTextMixin, forms.Form):
    source = forms.CharField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=gettext_lazy("Loại văn bản"), choices=Agreement.Kind.choices)
    title = forms.CharField(label=gettext_lazy("Tên văn bản"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    number = forms.CharField(label=gettext_lazy("Số văn bản"), max_length=50, required=False)
    signed_on = forms.DateField(label=gettext_lazy("Ngày ký"), required=False, widget=DATE_WIDGET)
    signed_at = forms.CharField(label=gettext_lazy("Nơi ký"), max_length=200, required=False)
    period_start = forms.DateField(label=gettext_lazy("Giai đoạn từ"), widget=DATE_WIDGET)
    period_end = forms.DateField(label=gettext_lazy("Giai đoạn đến"), widget=DATE_WIDGET)
    objectives = forms.CharField(
        label=gettext_lazy("Mục tiêu"),
        required=False,
        max_length=limits.AGREEMENT_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    notes = forms.CharField(
        label=gettext_lazy("Ghi chú"),
        required=False,
        max_length=limits.AGREEMENT_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    tracked_from = forms.DateField(
        label=gettext_lazy("Theo dõi trên hệ thống từ ngày"),
        required=False,
        widget=DATE_WIDGET,
        help_text=gettext_lazy(
            "Thỏa thuận nhập vào sau khi ký: các kỳ báo cáo chốt số liệu trước ngày này không báo cáo trên hệ thống."
        ),
    )

    def clean_title(self) -> str:
        return " ".join(str(self.cleaned_data.get("title") or "").split())  # one line, as titles are listed

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end <= start:
            self.add_error("period_end", _("Ngày kết thúc giai đoạn phải sau ngày bắt đầu."))
        signed_on = cleaned.get("signed_on")
        if signed_on and end and signed_on > end:
            self.add_error("signed_on", _("Ngày ký không thể sau khi giai đoạn đã kết thúc."))
        return cleaned

    def day(self, fallback: datetime.date) -> datetime.date:
        """The day the parties are named as of, from what the form holds (its cleaned values when valid)."""
        cleaned = getattr(self, "cleaned_data", {})
        value = cleaned.get("signed_on") or cleaned.get("period_start")
        return value if isinstance(value, datetime.date) else fallback


def _ordered(ids: list[int]) -> QuerySet[Body]:
    """Bodies of `ids` in that order (the match first, then the province's bodies)."""
    order = Case(*(When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)), output_field=IntegerField())
    return Body.objects.filter(pk__in=ids).select_related("unit").order_by(order) if ids else Body.objects.none()


class BodyChoiceField(forms.ModelChoiceField[Body]):
    def label_from_instance(self, obj: Body) -> str:
        return str(obj)


class PartyForm(PlainTextMixin, forms.Form):
    """One party: the name as the text gives it, the body chosen for it among the candidates of that name."""

    name = forms.CharField(label=gettext_lazy("Tên trong văn bản"), max_length=200, required=False)
    body = BodyChoiceField(label=gettext_lazy("Cơ quan"), queryset=Body.objects.none(), required=False)
    coordinating_office = BodyChoiceField(
        label=gettext_lazy("Bộ phận điều phối"), queryset=Body.objects.none(), required=False
    )
    signatory_name = forms.CharField(label=gettext_lazy("Người ký"), max_length=100, required=False)
    signatory_title = forms.CharField(label=gettext_lazy("Chức vụ người ký"), max_length=100, required=False)

    def __init__(self, *args: Any, day: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.day = day
        name = self._value("name")
        self.problem = ""
        if name.strip():
            match = matching.match_party(PartyMention(name.strip(), Confidence.FOUND), day)
            choices = list(match.candidates)
            self.problem = "" if self._value("body") else match.problem  # settled once a body is chosen
        else:
            choices = matching.candidates("", day)
        self._choose("body", [body.pk for body in choices])
        body_id = id_param(self._value("body"))
        offices = matching.offices_of(body_id, day) if body_id is not None else []
        self._choose("coordinating_office", [office.pk for office in offices])

    def _choose(self, name: str, ids: list[int]) -> None:
        field = self.fields[name]
        assert isinstance(field, BodyChoiceField)
        field.queryset = _ordered(ids)

    def _value(self, name: str) -> str:
        if self.is_bound:
            return str(self.data.get(self.add_prefix(name)) or "")
        value = self.initial.get(name, "")
        return str(value.pk if isinstance(value, Body) else value or "")

    @property
    def is_blank(self) -> bool:
        cleaned = getattr(self, "cleaned_data", {})
        return not cleaned.get("body") and not (cleaned.get("name") or "").strip()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("DELETE"):
            return cleaned
        if (cleaned.get("name") or "").strip() and not cleaned.get("body") and "body" not in self.errors:
            self.add_error("body", _("Hãy chọn cơ quan cho bên này."))
        return cleaned


class ItemForm(PlainTextMixin, forms.Form):
    number = WholeNumberField(label=gettext_lazy("Số thứ tự"), min_value=1, max_value=999, required=False)
    text = forms.CharField(
        label=gettext_lazy("Nội dung hợp tác"),
        max_length=limits.ITEM_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    sector = forms.ChoiceField(label=gettext_lazy("Lĩnh vực chính"), required=False)
    other_sectors = forms.MultipleChoiceField(
        label=gettext_lazy("Lĩnh vực liên quan"), required=False, widget=forms.SelectMultiple(attrs={"size": 4})
    )

    def __init__(self, *args: Any, sectors: list[tuple[str, str]], **kwargs: Any) -> None:
        # One list for every item of the page (one query), not one per item and field.
        super().__init__(*args, **kwargs)
        for name in ("sector", "other_sectors"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)  # MultipleChoiceField is one too
            field.choices = sectors
        self.fields["sector"].initial = OTHER_SECTOR  # an item added by hand, until its sector is chosen

    @property
    def is_blank(self) -> bool:
        cleaned = getattr(self, "cleaned_data", {})
        return not (cleaned.get("text") or "").strip()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("DELETE") or self.is_blank:
            return cleaned
        if cleaned.get("number") is None and "number" not in self.errors:
            self.add_error("number", _("Hãy ghi số thứ tự."))
        return cleaned


PartyFormSet = forms.formset_factory(PartyForm, extra=1, can_delete=True, max_num=50, absolute_max=60)
ItemFormSet = forms.formset_factory(ItemForm, extra=2, can_delete=True, max_num=200, absolute_max=220)


@dataclass
class Check:
    """How a field of the proposal came from the text, for the page to mark it."""

    confidence: str
    line: int | None

    @property
    def note(self) -> str:
        if self.confidence == Confidence.GUESSED:
            return _("Suy ra từ văn bản: hãy kiểm tra.")
        if self.confidence == Confidence.MISSING:
            return _("Không tìm thấy trong văn bản: hãy điền.")
        return ""


FIELDS = ("kind", "title", "number", "signed_on", "signed_at", "period_start", "period_end", "objectives")


class ProposalForms:
    """The agreement's fields, its parties and its items, proposed from a text or posted back corrected."""

    def __init__(self, proposal: Proposal, token: str, user: Actor, data: Any = None) -> None:
        self.proposal = proposal
        self.user = user
        self.fallback_day = matching.reference_day(proposal)
        self.matches = matching.match_parties(proposal.parties, self.fallback_day)
        sectors = [(sector.code, sector.label) for sector in Sector.objects.all()]
        self.sector_codes = {code for code, _label in sectors}
        if data is None:
            self.fields = AgreementFieldsForm(initial=self._initial(token), prefix="a")
            day = self.fallback_day
            self.parties = PartyFormSet(initial=self._party_initial(day), prefix="party", form_kwargs={"day": day})
            self.items = ItemFormSet(initial=self._item_initial(), prefix="item", form_kwargs={"sectors": sectors})
        else:
            self.fields = AgreementFieldsForm(data, prefix="a")
            self.fields.is_valid()
            day = self.fields.day(self.fallback_day)
            self.parties = PartyFormSet(data, prefix="party", form_kwargs={"day": day})
            self.items = ItemFormSet(data, prefix="item", form_kwargs={"sectors": sectors})
        self.day = day
        self.errors: list[str] = []

    # --- what the text gave ---

    def _initial(self, token: str) -> dict[str, Any]:
        proposal = self.proposal
        start = proposal.period_start.value
        today = clock.today()
        return {
            "source": token,
            "kind": proposal.kind.value,
            "title": proposal.title.value,
            "number": proposal.number.value,
            "signed_on": proposal.signed_on.value,
            "signed_at": proposal.signed_at.value,
            "period_start": start,
            "period_end": proposal.period_end.value,
            "objectives": proposal.objectives.value,
            # Entered after it was signed: its past periods are history, not overdue reports.
            "tracked_from": today if start is not None and start < today else None,
        }

    def _party_initial(self, day: datetime.date) -> list[dict[str, Any]]:
        rows = []
        for match in self.matches:
            office = (
                matching.coordinating_office(match.body, self.proposal.coordinating_office.value, day, self.user)
                if match.body is not None
                else None
            )
            rows.append(
                {
                    "name": match.mention.name,
                    "body": match.body,
                    "coordinating_office": office,
                    "signatory_name": match.mention.signatory_name,
                    "signatory_title": match.mention.signatory_title,
                }
            )
        return rows

    def _item_initial(self) -> list[dict[str, Any]]:
        rows = []
        for item in self.proposal.items:
            codes = [code for code in item.sectors if code in self.sector_codes] or [OTHER_SECTOR]
            rows.append({"number": item.number, "text": item.text, "sector": codes[0], "other_sectors": codes[1:]})
        return rows

    def checks(self) -> dict[str, Check]:
        return {
            name: Check(str(getattr(self.proposal, name).confidence), getattr(self.proposal, name).line)
            for name in FIELDS
        }

    # --- what comes back ---

    def is_valid(self) -> bool:
        valid = all([self.fields.is_valid(), self.parties.is_valid(), self.items.is_valid()])
        if not valid:
            return False
        if len(self.party_drafts()) < 2:
            self.errors.append(_("Một thỏa thuận hợp tác cần ít nhất hai bên: hãy chọn cơ quan cho từng bên."))
        if not self.item_drafts():
            self.errors.append(_("Hãy giữ lại ít nhất một nội dung hợp tác."))
        return not self.errors

    def party_drafts(self) -> list[PartyDraft]:
        drafts = []
        for form in self.parties.forms:
            cleaned = form.cleaned_data
            if cleaned.get("DELETE") or not cleaned.get("body"):
                continue
            drafts.append(
                PartyDraft(
                    body=cleaned["body"],
                    coordinating_office=cleaned.get("coordinating_office"),
                    signatory_name=cleaned.get("signatory_name") or "",
                    signatory_title=cleaned.get("signatory_title") or "",
                )
            )
        return drafts

    def item_drafts(self) -> list[ItemDraft]:
        drafts = []
        for form in self.items.forms:
            cleaned = form.cleaned_data
            if cleaned.get("DELETE") or not (cleaned.get("text") or "").strip():
                continue
            main = cleaned.get("sector") or OTHER_SECTOR
            codes = [main, *(code for code in cleaned.get("other_sectors") or [] if code != main)]
            drafts.append(ItemDraft(number=cleaned["number"], text=cleaned["text"], sectors=codes))
        return sorted(drafts, key=lambda draft: draft.number)

    def values(self) -> dict[str, Any]:
        """The keyword arguments of agreements.services.create_agreement from the cleaned fields."""
        cleaned = self.fields.cleaned_data
        return {
            "kind": cleaned["kind"],
            "title": cleaned["title"],
            "number": cleaned.get("number") or "",
            "signed_on": cleaned.get("signed_on"),
            "signed_at": cleaned.get("signed_at") or "",
            "period_start": cleaned["period_start"],
            "period_end": cleaned["period_end"],
            "objectives": cleaned.get("objectives") or "",
            "notes": cleaned.get("notes") or "",
            "tracked_from": cleaned.get("tracked_from"),
        }


def proposal_from_token(token: str) -> tuple[Proposal, str]:
    """The proposal of a signed text, parsed again, and the file name it came from."""
    text, name = unsign(token)
    return parse(text), name
