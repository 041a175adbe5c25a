"""The notification centre, preferences, and what was sent for an agreement."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.http import id_param, local_url
from core.types import AuthenticatedHttpRequest
from notifications import services
from notifications.access import get_agreement_record_for, get_notification_for
from notifications.forms import PreferenceForm
from notifications.messages import compose, with_targets
from notifications.models import Notification, Preference

PAGE_SIZE = 30


@never_cache  # the browser's Back button must show what was read since, not the page as it was
@login_required
@require_GET
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    mine = Notification.objects.filter(recipient=request.user)
    if unread_only:
        mine = mine.filter(read_at__isnull=True)
    page = Paginator(mine.order_by("-created_at", "-pk").values_list("pk", flat=True), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    notifications = with_targets(page.object_list)
    # A report's party is named as the agreement called it (the unit's former names): read once, not per row.
    prefetch_related_objects(notifications, "report__party__body__unit__names")
    rows = [(n, compose(n)) for n in sorted(notifications, key=lambda n: (-n.created_at.timestamp(), -n.pk))]
    return render(request, "notifications/list.html", {"page": page, "rows": rows, "unread_only": unread_only})


@login_required
@require_GET
def notification_open(request: AuthenticatedHttpRequest, notification_id: int) -> HttpResponse:
    """Follow a notification's link; opening it is reading it."""
    notification = get_notification_for(request.user, notification_id)
    services.mark_read(request.user, Notification.objects.filter(pk=notification.pk))
    return redirect(notification.url)


@login_required
@require_POST
def notification_mark_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Mark the notifications posted as `id` read, or all of one's own if none is posted; then back to `next`."""
    if "id" in request.POST:  # only those (an id that is no number names nothing, not "all")
        ids = [pk for pk in map(id_param, request.POST.getlist("id")) if pk is not None]
        chosen = Notification.objects.filter(pk__in=ids)
    else:
        chosen = Notification.objects.all()
    count = services.mark_read(request.user, chosen)
    messages.success(request, _("Đã đánh dấu %(count)d thông báo là đã đọc.") % {"count": count})
    # Back to a page of this site ("/notifications/?page=2"), never to a view named by a word or another host.
    target = local_url(request, request.POST.get("next", ""))
    if target:
        return HttpResponseRedirect(target)
    return redirect("notification_list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    current = Preference.objects.filter(user=request.user).first() or Preference(user=request.user)
    form = PreferenceForm(request.POST if request.method == "POST" else None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.set_preferences(
            request.user, delivery=form.cleaned_data["delivery"], language=form.cleaned_data["language"]
        )
        messages.success(request, _("Đã lưu cách nhận thông báo."))
        return redirect("notification_preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@login_required
@require_GET
def agreement_record(request: AuthenticatedHttpRequest, agreement_id: int) -> HttpResponse:
    agreement = get_agreement_record_for(request.user, agreement_id)
    sent = Notification.objects.filter(agreement=agreement).select_related("recipient").order_by("-created_at", "-pk")
    kind = request.GET.get("kind", "")
    if kind:
        sent = sent.filter(kind=kind)
    page = Paginator(sent, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/agreement_record.html",
        {"agreement": agreement, "page": page, "kind": kind, "kinds": Notification._meta.get_field("kind").choices},
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language; a signed-in user's choice also becomes the language of their e-mails."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.set_preferences(request.user, language=language)
    return response
