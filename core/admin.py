from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse

from core.audit import audit, audit_bulk, audit_entry, changes, snapshot
from core.forms import PlainTextModelForm
from core.models import AuditEntry

_M = TypeVar("_M", bound=models.Model)


class ListPaging:
    """Admin lists of a national instance (100,000 commitments, 300,000 entries): 50 rows a page, which
    halves the drawing of each page, and no second count of the whole table beside a filtered one."""

    list_per_page = 50
    show_full_result_count = False


class ReadOnlyAdmin(ListPaging, admin.ModelAdmin[_M]):
    """A trail or register that only the app writes: visible to admins, never added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _form_m2m(form: forms.BaseForm, obj: models.Model) -> dict[str, Any]:
    """The many-to-many values a form is about to save (save_related comes after save_model)."""
    cleaned = getattr(form, "cleaned_data", {})
    return {field.name: cleaned[field.name] for field in obj._meta.many_to_many if field.name in cleaned}


class PlainTextAdmin(ListPaging, admin.ModelAdmin[_M]):
    """The project's admin pages: text stored as people read it, and no 500 from a forged action post.

    The form composes text (NFC) and refuses control characters with a Vietnamese message
    (core.forms.PlainTextMixin); the inlines take the same form (PlainTextInline).  Django filters an
    action's rows with the posted ids as they are, so an id that is no id of the model ("abc", 5,000
    digits) would raise; such ids are dropped before the action sees them.
    """

    form: type[forms.ModelForm[Any]] = PlainTextModelForm

    def response_action(self, request: HttpRequest, queryset: models.QuerySet[Any], *args: Any) -> HttpResponse | None:
        posted = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        kept = [value for value in posted if _is_pk(self.model, value)]
        if kept != posted:
            cleaned = request.POST.copy()
            cleaned.setlist(helpers.ACTION_CHECKBOX_NAME, kept)
            request.POST = cleaned  # type: ignore[assignment]  # a mutable copy stands for the posted data
        return super().response_action(request, queryset, *args)


def _is_pk(model: type[models.Model], value: str) -> bool:
    field = model._meta.pk
    if field is None:
        return False
    try:
        pk = field.to_python(value)
        field.run_validators(pk)
    except (ValidationError, ValueError, TypeError):
        return False
    # to_python reads "1.5" as 1 and very long digit strings as huge ints: only what the column holds is an id.
    return isinstance(pk, int) and str(pk) == value.strip() and -(2**63) <= pk < 2**63


class PlainTextTabularInline(admin.TabularInline[_M, Any]):
    form: type[forms.ModelForm[Any]] = PlainTextModelForm
    # Django's tabular.html with its rows drawn in Python (core/templatetags/admin_rows.py): the same HTML.
    template = "admin/edit_inline/tabular_drawn.html"


class AuditedAdmin(PlainTextAdmin[_M]):
    """Every add, change and delete made here goes into the audit trail with the acting admin.

    An addition keeps the values written, a change each field's value before and after, a deletion
    the row's last values and what was deleted with it; rows of the inlines are audited alike, and
    the bulk delete action writes one entry per row deleted.  The admin's own changeform and delete
    views run in a transaction: the entry is written with the change or not at all.
    """

    def save_model(self, request: HttpRequest, obj: _M, form: Any, change: bool) -> None:
        before = snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        after = snapshot(obj, _form_m2m(form, obj))
        if not change:
            audit(request.user, "admin.created", obj, values=after)
        elif changed := changes(before, after):
            audit(request.user, "admin.updated", obj, changes=changed)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        # The forms already hold the new values: the rows as they were are read from the database.
        model = formset.model
        known = [f.instance.pk for f in formset.initial_forms if f.instance.pk is not None]
        before = {pk: snapshot(row) for pk, row in model._default_manager.in_bulk(known).items()}
        # A deleted row's entry is made while the row still has its id and its agreement.
        gone = [
            audit_entry(request.user, "admin.deleted", f.instance, values=before.get(f.instance.pk, {}))
            for f in formset.deleted_forms
            if f.instance.pk is not None
        ]
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit(request.user, "admin.created", obj, values=snapshot(obj))
        for obj, _fields in formset.changed_objects:
            if changed := changes(before.get(obj.pk, {}), snapshot(obj)):
                audit(request.user, "admin.updated", obj, changes=changed)
        audit_bulk(gone)

    def delete_model(self, request: HttpRequest, obj: _M) -> None:
        entry = audit_entry(request.user, "admin.deleted", obj, values=snapshot(obj))
        with transaction.atomic():
            _total, deleted = obj.delete()
            entry.data["deleted"] = deleted
            entry.save()

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[_M]) -> None:
        # The delete action runs outside any transaction of the admin's: the rows and their entries go together.
        with transaction.atomic():
            rows = list(queryset)
            entries = [audit_entry(request.user, "admin.deleted", row, values=snapshot(row)) for row in rows]
            _total, deleted = queryset.delete()
            for entry in entries:
                entry.data.update(deleted=deleted, together=len(rows))
            audit_bulk(entries)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin[AuditEntry]):
    list_display = ["created_at", "actor_name", "action", "object_type", "object_id", "object_repr", "agreement_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "actor_name"]


# Django's own user admin, paged as the project's lists are (3,400 users at national scale).
admin.site.unregister(User)


@admin.register(User)
class PagedUserAdmin(ListPaging, UserAdmin):  # type: ignore[type-arg]  # django-stubs: UserAdmin is generic
    pass
