"""Importing an agreement from its text: paste or upload it, correct the proposal, confirm.

Two steps and nothing kept on the server in between: the first parses and shows the proposal with the
text signed in a hidden field; the second parses that text again (to show what was not understood, if the
form comes back with errors) and creates the agreement, as a draft, only from a complete, valid form.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agreements import services
from agreements.access import check_own_party, require_creator
from agreements.importing.forms import ImportForm, ProposalForms, proposal_from_token, sign
from agreements.importing.parsing import parse
from agreements.importing.reading import ImportRefused
from core.types import AuthenticatedHttpRequest
from core.uploads import accepts_uploads

START = "agreements/import/start.html"
PROPOSAL = "agreements/import/proposal.html"


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def agreement_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: the text box and the file input. POST: the proposal read from them, to correct."""
    require_creator(request.user)
    if request.method == "GET":
        return render(request, START, {"form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, START, {"form": form})
    text = form.cleaned_data["source_text"]
    proposal = parse(text)
    if proposal.is_empty:
        form.add_error(
            None,
            _(
                "Không nhận ra nội dung của một thỏa thuận trong văn bản: không thấy các bên, ngày ký, giai đoạn "
                "hay các nội dung hợp tác được đánh số. Hãy kiểm tra lại văn bản."
            ),
        )
        return render(request, START, {"form": form})
    forms = ProposalForms(proposal, sign(text, form.cleaned_data["source_name"]), request.user)
    return render(request, PROPOSAL, {"forms": forms, "hide_errors": True})


@login_required
@require_POST
def agreement_import_confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The corrected proposal: shown again ("refresh": the bodies found for new names), or created."""
    require_creator(request.user)
    token = request.POST.get("a-source", "")
    try:
        proposal, name = proposal_from_token(token)
    except ImportRefused as exc:
        return render(request, START, {"form": ImportForm(), "error": exc.message})
    forms = ProposalForms(proposal, token, request.user, request.POST)
    if "refresh" in request.POST or not forms.is_valid():
        return render(request, PROPOSAL, {"forms": forms, "hide_errors": "refresh" in request.POST})
    drafts = forms.party_drafts()
    try:
        check_own_party(request.user, [body for d in drafts for body in (d.body, d.coordinating_office) if body])
        agreement = services.create_agreement(
            request.user,
            **forms.values(),
            parties=drafts,
            items=forms.item_drafts(),
            source=f"import:{name or 'text'}",
        )
    except (PermissionDenied, services.AgreementError) as exc:
        forms.errors.append(exc.message if isinstance(exc, services.AgreementError) else str(exc))
        return render(request, PROPOSAL, {"forms": forms})
    messages.success(
        request,
        _("Đã tạo dự thảo “%(title)s” với %(items)d nội dung hợp tác.")
        % {"title": agreement.title, "items": len(forms.item_drafts())},
    )
    return redirect("agreement_detail", agreement.pk)
