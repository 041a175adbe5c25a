from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
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
from core.forms import LocalizedDecimalField


class FoldedSearchMixin:
    """Search the folded `search_name` columns with a folded term: "tay ninh" finds "Tỉnh Tây Ninh".

    The admin's lists and the autocomplete of every form that picks a unit or a body go through here.
    """

    def get_search_results(self, request: Any, queryset: Any, search_term: str) -> Any:
        return super().get_search_results(request, queryset, search_key(search_term))  # type: ignore[misc]


class AdministrativeUnitNameInline(admin.TabularInline[AdministrativeUnitName, AdministrativeUnit]):
    model = AdministrativeUnitName
    extra = 0


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(FoldedSearchMixin, admin.ModelAdmin[AdministrativeUnit]):
    # __str__ carries an old unit's end: old and new Tây Ninh never read the same.
    list_display = ["code", "__str__", "valid_from", "valid_to", "successor"]
    list_filter = ["valid_to"]
    search_fields = ["search_name", "code"]
    autocomplete_fields = ["successor"]
    list_select_related = ["successor"]
    inlines = [AdministrativeUnitNameInline]


@admin.register(AdministrativeUnitName)
class AdministrativeUnitNameAdmin(admin.ModelAdmin[AdministrativeUnitName]):
    list_display = ["name", "unit", "valid_from", "valid_to", "basis"]
    search_fields = ["name", "unit__search_name"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]


@admin.register(Body)
class BodyAdmin(FoldedSearchMixin, admin.ModelAdmin[Body]):
    list_display = ["__str__", "kind", "function", "unit", "valid_from", "valid_to", "successor"]
    list_filter = ["kind"]
    search_fields = ["search_name", "unit__search_name"]
    autocomplete_fields = ["unit", "parent", "successor"]
    list_select_related = ["unit", "successor"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
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


class PartyInline(admin.TabularInline[Party, Agreement]):
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


class CooperationItemInline(admin.StackedInline[CooperationItem, Agreement]):
    model = CooperationItem
    formset = ItemFormSet
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin[Agreement]):
    list_display = ["title", "kind", "number", "signed_on", "period_start", "period_end", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "number", "parties__body__name"]
    date_hierarchy = "signed_on"
    autocomplete_fields = ["predecessor"]
    inlines = [PartyInline, CooperationItemInline]


@admin.register(CooperationItem)
class CooperationItemAdmin(admin.ModelAdmin[CooperationItem]):
    list_display = ["agreement", "number", "sector", "text"]
    list_filter = ["sector"]
    search_fields = ["text", "agreement__title"]
    list_select_related = ["agreement"]


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin[Commitment]):
    # Baselines and targets are typed the Vietnamese way too: "101.000" is one hundred and one thousand.
    formfield_overrides = {models.DecimalField: {"form_class": LocalizedDecimalField}}
    list_display = ["description", "item", "responsible_party", "due_on", "target", "indicator_unit", "status"]
    list_filter = ["status", "item__sector"]
    search_fields = ["description", "indicator_name"]
    autocomplete_fields = ["supporting_bodies"]
    list_select_related = ["item", "responsible_party__body"]

    def formfield_for_foreignkey(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        if db_field.name in ("item", "responsible_party"):
            kwargs["queryset"] = db_field.related_model.objects.select_related(
                "agreement", *(["body"] if db_field.name == "responsible_party" else [])
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin[Party]):
    list_display = ["body", "agreement", "coordinating_office", "signatory_name", "hosts_next_meeting"]
    search_fields = ["body__name", "agreement__title"]
    autocomplete_fields = ["body", "coordinating_office", "agreement"]
    list_select_related = ["body", "agreement", "coordinating_office"]
