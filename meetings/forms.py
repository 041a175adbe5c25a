"""The forms of the meeting pages: they read what people type; the services decide what may be written."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Body, CooperationItem, Party
from core import clock, limits
from core.forms import PlainTextMixin
from core.text import shorten
from meetings.models import MeetingDecision, ReviewMeeting

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Browsers send a month input as "2027-03"; "03/2027" is what people type where the input is plain text.
MONTH_FORMATS = ["%Y-%m", "%m/%Y"]


def _date_field(label: Any, help_text: Any = "") -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=DATE_WIDGET, help_text=help_text)


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class PartyChoiceField(forms.ModelChoiceField[Party]):
    def label_from_instance(self, obj: Party) -> str:
        return obj.body.name


class MeetingForm(PlainTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Loại cuộc họp"), choices=ReviewMeeting.Kind.choices)
    held_on = _date_field(_("Ngày họp"), _("Để trống nếu chưa chốt ngày."))
    planned_month = forms.DateField(
        label=_("Tháng dự kiến"),
        required=False,
        input_formats=MONTH_FORMATS,
        widget=forms.DateInput(attrs={"type": "month", "placeholder": "MM/YYYY"}, format="%Y-%m"),
        help_text=_("Khi chưa chốt ngày. Để trống cả ngày và tháng nếu chưa xác định thời gian."),
    )
    place = forms.CharField(label=_("Địa điểm"), max_length=200, required=False)
    host_party = PartyChoiceField(
        label=_("Bên chủ trì"), queryset=Party.objects.none(), required=False, empty_label=_("— chưa xác định —")
    )

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        host = self.fields["host_party"]
        assert isinstance(host, PartyChoiceField)
        host.queryset = Party.objects.filter(agreement=agreement).select_related("body").order_by("order", "pk")

    @classmethod
    def initial_of(cls, meeting: ReviewMeeting) -> dict[str, Any]:
        return {
            "kind": meeting.kind,
            "held_on": meeting.held_on,
            "planned_month": meeting.planned_month,
            "place": meeting.place,
            "host_party": meeting.host_party_id,
        }


class AttendanceForm(PlainTextMixin, forms.Form):
    """One box per party: who it sends (names and titles, one a line)."""

    def __init__(self, *args: Any, parties: Sequence[Party], current: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parties = list(parties)
        for party in self.parties:
            self.fields[f"party_{party.pk}"] = forms.CharField(
                label=party.body.name,
                required=False,
                max_length=limits.COMMENT,
                initial=current.get(party.pk, ""),
                widget=_textarea(3),
            )

    def attendees(self) -> dict[Party, str]:
        return {party: self.cleaned_data[f"party_{party.pk}"] for party in self.parties}


class AgendaForm(PlainTextMixin, forms.Form):
    agenda = forms.CharField(label=_("Chương trình họp"), max_length=limits.MINUTES, widget=_textarea(22))


class MinutesForm(PlainTextMixin, forms.Form):
    minutes = forms.CharField(label=_("Biên bản cuộc họp"), max_length=limits.MINUTES, widget=_textarea(14))
    shortcomings = forms.CharField(
        label=_("Tồn tại, hạn chế"), max_length=limits.REPORT_TEXT, required=False, widget=_textarea(6)
    )


def _target_label(agreement: Agreement, own: Agreement) -> str:
    role = _("thỏa thuận của cuộc họp") if agreement.pk == own.pk else _("giai đoạn kế tiếp")
    return f"{shorten(agreement.title, 90)} ({agreement.period_label}; {role})"


def lead_bodies(parties: Sequence[Party], today: datetime.date) -> list[tuple[str, list[tuple[int, str]]]]:
    """Bodies in force in the provinces of these parties (today's units), grouped by province."""
    units = {party.body.unit.current().pk for party in parties}
    bodies = (
        Body.objects.filter(unit_id__in=units)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("unit")
        .order_by("unit__code", "kind", "name")
    )
    grouped: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for body in bodies:
        grouped[body.unit.name].append((body.pk, body.name))
    return list(grouped.items())


class DecisionForm(PlainTextMixin, forms.Form):
    """A decision: what, in which agreement, who answers for it (a party of that agreement), who leads, by when."""

    text = forms.CharField(label=_("Nội dung kết luận"), max_length=limits.DECISION_TEXT, widget=_textarea(4))
    target = forms.TypedChoiceField(label=_("Thực hiện trong thỏa thuận"), coerce=int)
    responsible_party = forms.TypedChoiceField(label=_("Bên chủ trì"), coerce=int, required=False, empty_value=None)
    lead_body = forms.TypedChoiceField(
        label=_("Cơ quan chủ trì thực hiện"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Sở, ngành thuộc tỉnh của bên chủ trì; để trống nếu chính bên chủ trì thực hiện."),
    )
    due_on = _date_field(_("Thời hạn"), _("Để trống nếu là nhiệm vụ thường xuyên."))

    def __init__(self, *args: Any, meeting: ReviewMeeting, targets: Sequence[Agreement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = {agreement.pk: agreement for agreement in targets}
        parties = list(
            Party.objects.filter(agreement__in=list(self.targets))
            # today's unit of each party in the same query: the one step of the 2025 merger
            .select_related("body__unit__successor")
            .order_by("agreement_id", "order", "pk")
        )
        self.parties = {party.pk: party for party in parties}
        self.bodies = lead_bodies(parties, clock.today())
        by_agreement: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for party in parties:
            by_agreement[party.agreement_id].append((party.pk, party.body.name))
        own = meeting.agreement
        self._choices("target", [(a.pk, _target_label(a, own)) for a in targets])
        self._choices(
            "responsible_party",
            [("", _("— chưa giao —"))]
            + [(_target_label(a, own), by_agreement[a.pk]) for a in targets if by_agreement[a.pk]],
        )
        self._choices("lead_body", [("", _("— chính bên chủ trì —")), *self.bodies])

    def _choices(self, name: str, choices: list[Any]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    @classmethod
    def initial_of(cls, decision: MeetingDecision) -> dict[str, Any]:
        return {
            "text": decision.text,
            "target": decision.target_agreement_id or decision.meeting.agreement_id,
            "responsible_party": decision.responsible_party_id,
            "lead_body": decision.lead_body_id,
            "due_on": decision.due_on,
        }

    def values(self) -> dict[str, Any]:
        """The service's keyword arguments, objects read from what the choices offered."""
        data = self.cleaned_data
        lead_id = data.get("lead_body")
        party_id = data.get("responsible_party")
        return {
            "text": data["text"],
            "target_agreement": self.targets[data["target"]],
            "responsible_party": self.parties[party_id] if party_id is not None else None,
            "lead_body": Body.objects.select_related("unit").get(pk=lead_id) if lead_id is not None else None,
            "due_on": data.get("due_on"),
        }


class AdoptForm(forms.Form):
    """The item of the target agreement the decision's commitment goes under."""

    item = forms.TypedChoiceField(label=_("Thuộc nội dung hợp tác"), coerce=int)

    def __init__(self, *args: Any, items: Sequence[CooperationItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = {item.pk: item for item in items}
        field = self.fields["item"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(item.pk, f"{item.number}. {shorten(item.text, 80)}") for item in items]

    def chosen_item(self) -> CooperationItem:
        return self.items[self.cleaned_data["item"]]
