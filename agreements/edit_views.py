"""Coordinators enter agreements in the app, not the admin (issue 10): a draft with its general data and
parties, then its numbered items, its commitments, and publishing; a body missing from the list is added
on the spot.  Every write is a call to agreements.services, and every refusal it gives (AgreementError)
comes back to the form that asked, with nothing written.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Prefetch
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agreements import pickers, services
from agreements.access import check_own_party, get_agreement_for_edit, require_creator, roles_by_body
from agreements.forms import (
    MORE_ROWS,
    SIGNED_FIELDS,
    AgreementForm,
    BodyForm,
    BodyRows,
    CommitmentForm,
    ItemRows,
    PartyRowForm,
    PartyRows,
    Scope,
    item_drafts,
    party_drafts,
    resolve_offices,
    resolve_rows,
    rows_data,
)
from agreements.models import Agreement, Body, Commitment, CooperationItem, Party, Role, Sector
from agreements.services import AgreementError, PartyDraft
from core.http import id_param, local_url
from core.text import shorten
from core.types import Actor, AuthenticatedHttpRequest

CADENCE_FIELDS = ("reporting_cadence_months", "report_deadline_days", "meeting_cadence_months")
FIRST_ROWS = 4  # party rows of a new agreement; "more rows" adds MORE_ROWS at a time


def _more_rows(request: AuthenticatedHttpRequest) -> bool:
    return request.method == "POST" and "more_rows" in request.POST


def _blank_rows(count: int) -> list[dict[str, Any]]:
    return [{} for _row in range(count)]


def own_offices(user: Actor, bodies: list[Body]) -> dict[int, Body]:
    """Party body id -> the user's own coordinating body under it, which becomes the party's coordinating office.

    A coordinator of a department's planning office entering their department's agreement, or of a
    department entering its province People's Committee's, is then the party's coordinator (access.py).
    """
    mine = [pk for pk, roles in roles_by_body(user).items() if Role.COORDINATOR in roles]
    offices: dict[int, Body] = {}
    children = Body.objects.filter(pk__in=mine, parent_id__in=[body.pk for body in bodies])
    for office in children.order_by(F("valid_to").desc(nulls_first=True), "pk"):
        assert office.parent_id is not None
        offices.setdefault(office.parent_id, office)
    return offices


def _check_own(user: Actor, drafts: list[PartyDraft]) -> str:
    """The refusal, as a sentence for the form, when none of the parties is the user's ('' if one is)."""
    bodies = [draft.body for draft in drafts]
    bodies += [draft.coordinating_office for draft in drafts if draft.coordinating_office is not None]
    try:
        check_own_party(user, bodies)
    except PermissionDenied as exc:
        return str(exc)
    return ""


# --- a new agreement: general data and parties ------------------------------------------------------


def _create(request: AuthenticatedHttpRequest, form: AgreementForm, rows: Any) -> Agreement | None:
    general_ok = form.is_valid()
    named = resolve_rows(rows, on=form.day())
    if not general_ok or named is None:
        return None
    bodies = [row.found for row in named if row.found is not None]
    offices = own_offices(request.user, bodies)
    drafts = [PartyDraft(body=body, coordinating_office=offices.get(body.pk)) for body in bodies]
    refusal = _check_own(request.user, drafts)
    if refusal:
        form.add_error(None, refusal)
        return None
    values = form.values()
    cadences = {name: values.pop(name) for name in CADENCE_FIELDS}
    try:
        with transaction.atomic():  # the draft and its cadences, or nothing
            agreement = services.create_agreement(request.user, parties=drafts, source="form", **values)
            services.update_agreement(request.user, agreement, **cadences)
    except AgreementError as exc:
        form.add_error(None, exc.message)
        return None
    return agreement


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_creator(request.user)
    data = request.POST if request.method == "POST" else None
    form = AgreementForm(data)
    if _more_rows(request):
        rows = BodyRows(rows_data(request.POST, "p", MORE_ROWS), prefix="p")
    else:
        rows = BodyRows(data, prefix="p", initial=_blank_rows(FIRST_ROWS))
        if data is not None:
            agreement = _create(request, form, rows)
            if agreement is not None:
                messages.success(
                    request,
                    _("Đã tạo dự thảo “%(title)s” với %(count)d bên. Tiếp theo: các nội dung hợp tác.")
                    % {"title": agreement.title, "count": agreement.parties.count()},
                )
                return redirect("agreement_items", agreement.pk)
    return render(
        request,
        "agreements/edit/agreement_create.html",
        {
            "form": form,
            "rows": rows,
            "show_errors": not _more_rows(request),
            "step": "general",
            "signed_fields": SIGNED_FIELDS,
        },
    )


# --- general data of an existing agreement ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: AuthenticatedHttpRequest, agreement_id: int) -> HttpResponse:
    agreement = get_agreement_for_edit(request.user, agreement_id)
    # The form works on its own copy: a refused change must not show in the page's heading.
    form = AgreementForm(request.POST or None, instance=Agreement.objects.get(pk=agreement.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_agreement(request.user, agreement, **form.values())
        except AgreementError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã lưu thông tin chung của thỏa thuận."))
            return redirect("agreement_detail", agreement.pk)
    return render(
        request,
        "agreements/edit/agreement_edit.html",
        {"agreement": agreement, "form": form, "step": "general", "signed_fields": SIGNED_FIELDS},
    )


def _signed_only(request: AuthenticatedHttpRequest, agreement: Agreement) -> HttpResponse:
    messages.info(
        request, _("Thỏa thuận đã ban hành; các bên và nội dung đã ký chỉ thay đổi bằng văn bản sửa đổi, bổ sung.")
    )
    return redirect("agreement_detail", agreement.pk)


# --- parties ---------------------------------------------------------------------------------------------


def _party_initial(parties: list[Party]) -> list[dict[str, Any]]:
    return [
        {
            "body": pickers.label(party.body),
            "office": pickers.label(party.coordinating_office) if party.coordinating_office is not None else "",
            "signatory_name": party.signatory_name,
            "signatory_title": party.signatory_title,
        }
        for party in parties
    ]


def _save_parties(request: AuthenticatedHttpRequest, agreement: Agreement, rows: Any) -> list[str] | None:
    """The problems that stop the save (none: saved)."""
    day = agreement.reference_date
    found = resolve_rows(rows, on=day)
    named = [row for row in found or [] if isinstance(row, PartyRowForm)]
    if found is None or not resolve_offices(named, on=day):
        return []
    drafts = party_drafts(named)
    refusal = _check_own(request.user, drafts)
    if refusal:
        return [refusal]
    try:
        services.set_parties(request.user, agreement, drafts)
    except AgreementError as exc:
        return [exc.message]
    return None


@login_required
@require_http_methods(["GET", "POST"])
def agreement_parties(request: AuthenticatedHttpRequest, agreement_id: int) -> HttpResponse:
    agreement = get_agreement_for_edit(request.user, agreement_id)
    if not agreement.is_draft:
        return _signed_only(request, agreement)
    problems: list[str] = []
    if _more_rows(request):
        rows = PartyRows(rows_data(request.POST, "p", MORE_ROWS), prefix="p")
    elif request.method == "POST":
        rows = PartyRows(request.POST, prefix="p")
        found = _save_parties(request, agreement, rows)
        if found is None:
            messages.success(request, _("Đã lưu các bên tham gia."))
            return redirect("agreement_detail", agreement.pk)
        problems = found
    else:
        parties = list(agreement.parties.select_related("body", "coordinating_office").order_by("order", "pk"))
        rows = PartyRows(prefix="p", initial=_party_initial(parties) + _blank_rows(2))
    context = {
        "agreement": agreement,
        "rows": rows,
        "problems": problems,
        "show_errors": not _more_rows(request),
        "step": "parties",
        "body_form": BodyForm(),
    }
    return render(request, "agreements/edit/agreement_parties.html", context)


# --- items -----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def agreement_items(request: AuthenticatedHttpRequest, agreement_id: int) -> HttpResponse:
    agreement = get_agreement_for_edit(request.user, agreement_id)
    if not agreement.is_draft:
        return _signed_only(request, agreement)
    sectors = {"sectors": [(sector.code, sector.label) for sector in Sector.objects.all()]}
    problems: list[str] = []
    if _more_rows(request):
        rows = ItemRows(rows_data(request.POST, "i", MORE_ROWS), prefix="i", form_kwargs=sectors)
    elif request.method == "POST":
        rows = ItemRows(request.POST, prefix="i", form_kwargs=sectors)
        drafts = item_drafts(rows)
        if drafts is not None:
            try:
                services.set_items(request.user, agreement, drafts)
            except AgreementError as exc:
                problems.append(exc.message)
            else:
                messages.success(request, _("Đã lưu %(count)d nội dung hợp tác.") % {"count": len(drafts)})
                return redirect("agreement_commitments", agreement.pk)
    else:
        items = list(agreement.items.prefetch_related("other_sectors").order_by("number"))
        initial = [
            {
                "number": item.number,
                "text": item.text,
                "sector": item.sector_id,
                "other_sectors": [s.pk for s in item.other_sectors.all() if s.pk != item.sector_id],
            }
            for item in items
        ]
        rows = ItemRows(initial=initial + _blank_rows(3 if items else 5), prefix="i", form_kwargs=sectors)
    context = {
        "agreement": agreement,
        "rows": rows,
        "problems": problems,
        "show_errors": not _more_rows(request),
        "step": "items",
    }
    return render(request, "agreements/edit/agreement_items.html", context)


# --- commitments ------------------------------------------------------------------------------------------


def _commitment_initial(commitment: Commitment | None, request: AuthenticatedHttpRequest) -> dict[str, Any]:
    if commitment is None:  # the next one of the same item and party, after a save
        return {"item": request.GET.get("item", ""), "responsible_party": request.GET.get("party", "")}
    return {
        "commitment": commitment.pk,
        "item": commitment.item_id,
        "responsible_party": commitment.responsible_party_id,
        "lead": pickers.label(commitment.lead_body) if commitment.lead_body is not None else "",
        "supporting": "\n".join(pickers.label(body) for body in commitment.supporting_bodies.all()),
        "description": commitment.description,
        "due_on": commitment.due_on,
        "indicator_name": commitment.indicator_name,
        "indicator_unit": commitment.indicator_unit,
        "baseline": commitment.baseline,
        "target": commitment.target,
    }


def _edited(request: AuthenticatedHttpRequest, agreement: Agreement) -> Commitment | None:
    """The commitment being changed (?edit=, or the form's hidden field), only one of this agreement's."""
    source = request.POST if request.method == "POST" else request.GET
    pk = id_param(str(source.get("commitment" if request.method == "POST" else "edit", "")))
    if pk is None:
        return None
    return (
        Commitment.objects.filter(pk=pk, agreement=agreement)
        .select_related("lead_body")
        .prefetch_related("supporting_bodies")
        .first()
    )


def _save_commitment(
    request: AuthenticatedHttpRequest,
    form: CommitmentForm,
    items: dict[int, CooperationItem],
    parties: dict[int, Party],
    scope: Scope,
    editing: Commitment | None,
) -> Commitment | str | None:
    """The saved commitment, the service's refusal, or None when the form itself has errors."""
    if not form.is_valid():
        return None
    item, party = items[form.cleaned_data["item"]], parties[form.cleaned_data["responsible_party"]]
    if not form.resolve_bodies(scope, party.body):
        return None
    try:
        return services.save_commitment(
            request.user, item, responsible_party=party, commitment=editing, **form.values()
        )
    except AgreementError as exc:
        return exc.message


@login_required
@require_http_methods(["GET", "POST"])
def agreement_commitments(request: AuthenticatedHttpRequest, agreement_id: int) -> HttpResponse:
    agreement = get_agreement_for_edit(request.user, agreement_id)
    parties = list(agreement.parties.select_related("body__unit__successor").order_by("order", "pk"))
    units = pickers.province_units([party.body for party in parties])
    scope = Scope({party.pk: units[party.body_id] for party in parties})
    commitments = Commitment.objects.select_related("responsible_party__body", "lead_body").prefetch_related(
        "supporting_bodies"
    )
    items = list(agreement.items.order_by("number").prefetch_related(Prefetch("commitments", queryset=commitments)))
    editing = _edited(request, agreement)
    form = CommitmentForm(
        request.POST if request.method == "POST" else None,
        initial=_commitment_initial(editing, request),
        items=[(item.pk, f"{item.number}. {shorten(item.text, 90)}") for item in items],
        parties=[(party.pk, party.body.name) for party in parties],
    )
    problems: list[str] = []
    if request.method == "POST":
        saved = _save_commitment(request, form, {i.pk: i for i in items}, {p.pk: p for p in parties}, scope, editing)
        if isinstance(saved, Commitment):
            messages.success(request, _("Đã lưu cam kết “%(text)s”.") % {"text": shorten(saved.description, 80)})
            url = reverse("agreement_commitments", args=[agreement.pk])
            return redirect(f"{url}?item={saved.item_id}&party={saved.responsible_party_id}#commitment-form")
        if saved is not None:
            problems.append(saved)
    party_units = [(party, ",".join(str(pk) for pk in sorted(scope.by_party[party.pk]))) for party in parties]
    context = {
        "agreement": agreement,
        "items": items,
        "form": form,
        "editing": editing,
        "problems": problems,
        "party_units": party_units,
        "all_units": ",".join(str(pk) for pk in sorted(scope.any_party)),
        "step": "commitments",
        "body_form": BodyForm(),
    }
    return render(request, "agreements/edit/agreement_commitments.html", context)


# --- publishing ---------------------------------------------------------------------------------------------


@login_required
@require_POST
def agreement_publish(request: AuthenticatedHttpRequest, agreement_id: int) -> HttpResponse:
    agreement = get_agreement_for_edit(request.user, agreement_id)
    try:
        published = services.publish_agreement(request.user, agreement)
    except AgreementError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Đã ban hành thỏa thuận; tình trạng: %(status)s.") % {"status": published.get_status_display()}
        )
    return redirect("agreement_detail", agreement.pk)


# --- bodies: the picker's suggestions, and one added on the spot ------------------------------------------------


def _day_param(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def _units_param(value: str) -> set[int] | None:
    if not value:
        return None
    return {pk for pk in (id_param(part) for part in value.split(",")[:200]) if pk is not None}


@login_required
@require_GET
def body_search(request: AuthenticatedHttpRequest) -> JsonResponse:
    """Up to 20 bodies fitting `q` (valid on `on`, in `units`, when given), as JSON for the pickers."""
    require_creator(request.user)
    bodies = pickers.search(
        request.GET.get("q", "")[:200],
        on=_day_param(request.GET.get("on", "")),
        units=_units_param(request.GET.get("units", "")),
    )
    return JsonResponse({"results": [pickers.as_json(body) for body in bodies]})


@login_required
@require_http_methods(["GET", "POST"])
def body_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_creator(request.user)
    back = local_url(request, request.POST.get("next") or request.GET.get("next", "")) or reverse("agreement_list")
    form = BodyForm(request.POST if request.method == "POST" else None, initial={"name": request.GET.get("name", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            body = services.add_body(
                request.user,
                name=data["name"],
                kind=data["kind"],
                unit=data["unit"],
                parent=form.parent_found,
                abbreviation=data.get("abbreviation") or "",
            )
        except AgreementError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Đã thêm “%(body)s”; gõ tên để chọn cơ quan này.") % {"body": pickers.label(body)}
            )
            return redirect(back)
    return render(request, "agreements/edit/body_create.html", {"form": form, "next": back})
