"""The dashboards: one agreement's, the user's agreements across provinces and bodies, a leader's home page.

Thin views over reporting.dashboards (the read models, a fixed number of queries each); the
charts are the documents' own SVG functions, drawn in the reader's language.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from agreements.access import get_agreement_for
from core import clock
from core.types import AuthenticatedHttpRequest
from reporting import dashboards


@login_required
@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every agreement the user's bodies are party to (an admin: the whole instance), at a glance; its figures
    may be a few minutes old (dashboards.figures), `?fresh=1` computes them again."""
    board = dashboards.overview(
        request.user, clock.today(), page=request.GET.get("page"), fresh=request.GET.get("fresh") == "1"
    )
    return render(request, "reporting/dashboard.html", {"board": board})


@login_required
@require_GET
def agreement_dashboard(request: AuthenticatedHttpRequest, agreement_id: int) -> HttpResponse:
    agreement = get_agreement_for(request.user, agreement_id)
    board = dashboards.agreement_dashboard(request.user, agreement, clock.today())
    return render(request, "reporting/dashboard_agreement.html", {"agreement": agreement, "board": board})


def leader_home(request: AuthenticatedHttpRequest, context: dict[str, object]) -> HttpResponse:
    """A leader's home page (reporting.views.home): what is late, what waits to be issued, each agreement, the
    documents; `context` is the home page's own (its lists stay under their names).  What is late and how each
    agreement stands may be a few minutes old (dashboards.leader_home), `?fresh=1` computes them again."""
    board = dashboards.leader_home(
        request.user,
        clock.today(),
        page=request.GET.get("page"),
        documents_page=request.GET.get("documents"),
        fresh=request.GET.get("fresh") == "1",
    )
    return render(request, "reporting/dashboard_leader.html", {**context, "board": board})
