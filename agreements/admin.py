from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from agreements.models import (
    AdministrativeUnit,
    AdministrativeUnitName,
    Agreement,
    Body,
    Commitment,
    CooperationItem,
    Membership,
    Party,
    check_item_numbers,
)
from agreements.naming import search_key
from agreements.services import AgreementError, archive_agreement, unarchive_agreement
from core.admin import AuditedAdmin, PlainTextAdmin, PlainTextStackedInline, PlainTextTabularInline
from core.forms import LocalizedDecimalField

if TYPE_CHECKING:
    from django.contrib.admin.filters import _ListFilterChoices


class FoldedSearchMixin:
    """Search the folded `search_name` columns with a folded term: "tay ninh" finds "Tỉnh Tây Ninh".

    The admin's lists and the autocomplete of every form that picks a unit or a body go through here.
    """

    def get_search_results(self, request: Any, queryset: Any, search_term: str) -> Any:
        return super().get_search_results(request, queryset, search_key(search_term))  # type: ignore[misc]


class ProtectedFirstMixin:
    """A deletion the database refuses is explained by what protects the row, not by missing permissions.

    The rows a cascade would reach and the admin never deletes (reports, their trail) also count as
    missing permissions; when a protected relation stands in the way, that is the reason to give, and
    templates/admin/agreements/ say it in Vietnamese with what to do instead.
    """

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)  # type: ignore[misc]
        return deleted, counts, set() if protected else perms_needed, protected


class AdministrativeUnitNameInline(PlainTextTabularInline[AdministrativeUnitName]):
    model = AdministrativeUnitName
    extra = 0


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(FoldedSearchMixin, PlainTextAdmin[AdministrativeUnit]):
    # __str__ carries an old unit's end: old and new Tây Ninh never read the same.
    list_display = ["code", "__str__", "valid_from", "valid_to", "successor"]
    list_filter = ["valid_to"]
    search_fields = ["search_name", "code"]
    autocomplete_fields = ["successor"]
    list_select_related = ["successor"]
    inlines = [AdministrativeUnitNameInline]


@admin.register(AdministrativeUnitName)
class AdministrativeUnitNameAdmin(PlainTextAdmin[AdministrativeUnitName]):
    list_display = ["name", "unit", "valid_from", "valid_to", "basis"]
    search_fields = ["name", "unit__search_name"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]


@admin.register(Body)
class BodyAdmin(ProtectedFirstMixin, FoldedSearchMixin, PlainTextAdmin[Body]):
    list_display = ["__str__", "kind", "function", "unit", "valid_from", "valid_to", "successor"]
    list_filter = ["kind"]
    search_fields = ["search_name", "unit__search_name"]
    autocomplete_fields = ["unit", "parent", "successor"]
    list_select_related = ["unit", "successor"]


@admin.register(Membership)
class MembershipAdmin(PlainTextAdmin[Membership]):
    list_display = ["user", "body", "role", "title"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name", "body__name"]
    autocomplete_fields = ["user", "body"]
    list_select_related = ["user", "body"]


class PartyFormSet(forms.BaseInlineFormSet[Party, Agreement, forms.ModelForm[Party]]):
    def clean(self) -> None:
        super().clean()
        live = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if len(live) < 2:
            raise ValidationError(_("Một thỏa thuận phải có ít nhất hai bên tham gia."))


class PartyInline(PlainTextTabularInline[Party]):
    model = Party
    formset = PartyFormSet
    extra = 0
    min_num = 2
    fk_name = "agreement"
    autocomplete_fields = ["body", "coordinating_office"]


class ItemFormSet(forms.BaseInlineFormSet[CooperationItem, Agreement, forms.ModelForm[CooperationItem]]):
    def clean(self) -> None:
        super().clean()
        numbers = [
            f.cleaned_data["number"]
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("number")
        ]
        if len(numbers) != len(set(numbers)):
            raise ValidationError(_("Mỗi số thứ tự nội dung hợp tác chỉ được dùng một lần."))
        check_item_numbers(numbers)


class CooperationItemInline(PlainTextStackedInline[CooperationItem]):
    model = CooperationItem
    formset = ItemFormSet
    extra = 0


class ArchivedFilter(admin.SimpleListFilter):
    """The list shows the agreements in use unless asked for the archived ones (or all)."""

    title = _("lưu trữ")
    parameter_name = "archived"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Đã lưu trữ")), ("all", _("Tất cả"))]

    def choices(self, changelist: Any) -> Iterator[_ListFilterChoices]:
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("Đang dùng (chưa lưu trữ)"),
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request: Any, queryset: QuerySet[Agreement]) -> QuerySet[Agreement]:
        if self.value() == "yes":
            return queryset.filter(archived_at__isnull=False)
        if self.value() == "all":
            return queryset
        return queryset.filter(archived_at__isnull=True)


@admin.register(Agreement)
class AgreementAdmin(ProtectedFirstMixin, AuditedAdmin[Agreement]):
    list_display = ["title", "kind", "number", "signed_on", "period_start", "period_end", "status", "archived_at"]
    list_filter = [ArchivedFilter, "kind", "status"]
    search_fields = ["title", "number", "parties__body__name"]
    date_hierarchy = "signed_on"
    autocomplete_fields = ["predecessor"]
    readonly_fields = ["archived_at"]
    inlines = [PartyInline, CooperationItemInline]
    # An agreement with reports cannot be deleted (templates/admin/agreements/agreement/ say why and
    # point here): archiving keeps it, its reports and their history, off the lists.
    actions = ["archive", "unarchive"]

    @admin.action(description=_("Lưu trữ các thỏa thuận đã chọn"), permissions=["change"])
    def archive(self, request: HttpRequest, queryset: QuerySet[Agreement]) -> None:
        done = 0
        for agreement in queryset:
            try:
                archive_agreement(request.user, agreement)
                done += 1
            except AgreementError as exc:
                self.message_user(request, exc.message, messages.ERROR)
        if done:
            self.message_user(
                request,
                ngettext(
                    "Đã lưu trữ %(count)d thỏa thuận; xem lại bằng bộ lọc “Đã lưu trữ”.",
                    "Đã lưu trữ %(count)d thỏa thuận; xem lại bằng bộ lọc “Đã lưu trữ”.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )

    @admin.action(description=_("Bỏ lưu trữ các thỏa thuận đã chọn"), permissions=["change"])
    def unarchive(self, request: HttpRequest, queryset: QuerySet[Agreement]) -> None:
        for agreement in queryset:
            unarchive_agreement(request.user, agreement)
        self.message_user(request, gettext("Các thỏa thuận đã chọn được đưa trở lại danh sách."), messages.SUCCESS)


@admin.register(CooperationItem)
class CooperationItemAdmin(AuditedAdmin[CooperationItem]):
    list_display = ["agreement", "number", "sector", "text"]
    list_filter = ["sector"]
    search_fields = ["text", "agreement__title"]
    list_select_related = ["agreement"]
    # National scale: 2,000 agreements and 100,000 commitments are picked by typing, never listed in a select.
    autocomplete_fields = ["agreement"]


@admin.register(Commitment)
class CommitmentAdmin(AuditedAdmin[Commitment]):
    # Baselines and targets are typed the Vietnamese way too: "101.000" is one hundred and one thousand.
    formfield_overrides = {models.DecimalField: {"form_class": LocalizedDecimalField}}
    list_display = ["description", "item", "responsible_party", "due_on", "target", "indicator_unit", "status"]
    list_filter = ["status", "item__sector"]
    search_fields = ["description", "indicator_name"]
    autocomplete_fields = ["item", "responsible_party", "supporting_bodies"]
    list_select_related = ["item", "responsible_party__body"]

    def formfield_for_foreignkey(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        if db_field.name in ("item", "responsible_party"):
            kwargs["queryset"] = db_field.related_model.objects.select_related(
                "agreement", *(["body"] if db_field.name == "responsible_party" else [])
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Party)
class PartyAdmin(AuditedAdmin[Party]):
    list_display = ["body", "agreement", "coordinating_office", "signatory_name", "hosts_next_meeting"]
    search_fields = ["body__name", "agreement__title"]
    autocomplete_fields = ["body", "coordinating_office", "agreement"]
    list_select_related = ["body", "agreement", "coordinating_office"]
