from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect, ForeignKeyRawIdWidget
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from agreements.models import (
    AdministrativeUnit,
    AdministrativeUnitName,
    Agreement,
    Amendment,
    Body,
    Commitment,
    CooperationItem,
    Membership,
    Party,
    Sector,
    check_item_numbers,
)
from agreements.naming import search_key
from agreements.services import AgreementError, archive_agreement, unarchive_agreement
from core.admin import AuditedAdmin, PlainTextAdmin, PlainTextTabularInline
from core.forms import LocalizedDecimalField
from core.text import shorten

if TYPE_CHECKING:
    from django.contrib.admin.filters import _ListFilterChoices


# --- an inline's one-row widgets, read once for all its rows ---------------------------------------------


class ChosenInRows:
    """A widget that shows one chosen row (a typed select, a raw id) and names it from its formset's one query for
    every row (`RowsFormSet.chosen`), instead of a query of its own; drawn outside such a formset, it reads its own."""

    rows: Callable[[], dict[str, Any]] | None = None

    def chosen(self, values: set[str]) -> list[Any] | None:
        """The rows chosen, in order of value: None when the formset's map was not read for every value."""
        if self.rows is None or not values:
            return None
        found = self.rows()
        if not values <= found.keys():
            return None
        return [found[value] for value in sorted(values) if found[value] is not None]


class RowsAutocompleteSelect(ChosenInRows, AutocompleteSelect):
    """Django's typed select, named from the formset's map (Django's optgroups reads the chosen row per row)."""

    def optgroups(self, name: str, value: Any, attr: Any = None) -> Any:
        iterator: Any = self.choices
        field = iterator.field
        selected = {str(v) for v in value if str(v) not in field.empty_values}
        rows = self.chosen(selected)
        if rows is None:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for row in rows:
            key = row.serializable_value(field.to_field_name or "pk")
            options.append(self.create_option(name, key, field.label_from_instance(row), True, len(options)))
        return [(None, options, 0)]


class RowsRawIdWidget(ChosenInRows, ForeignKeyRawIdWidget):
    """Django's raw id, its label named from the formset's map (Django's reads the chosen row per row)."""

    def label_and_url_for_value(self, value: Any) -> tuple[str, str]:
        rows = self.chosen({str(value)} if value not in (None, "") else set())
        if rows is None:
            return super().label_and_url_for_value(value)
        if not rows:
            return "", ""
        row = rows[0]
        try:
            url = reverse(f"{self.admin_site.name}:{row._meta.app_label}_{row._meta.model_name}_change", args=[row.pk])
        except NoReverseMatch:
            url = ""
        return Truncator(row).words(14), url


class RowsFormSet(forms.BaseInlineFormSet[Any, Any, Any]):
    """The formset of an inline (RowsInline) whose one-row widgets name what every row chose from one query per
    field, made when the first row is drawn: a form with ten parties reads their bodies in one query, not ten."""

    def add_fields(self, form: forms.ModelForm[Any], index: int | None) -> None:
        super().add_fields(form, index)
        for name, field in form.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # the admin wraps the widget
            if isinstance(widget, ChosenInRows):
                widget.rows = partial(self.chosen, name)

    def chosen(self, name: str) -> dict[str, Any]:
        """Value -> the row that the forms chose in field `name` (None: no such row), read once."""
        loaded: dict[str, dict[str, Any]] = self.__dict__.setdefault("_chosen_rows", {})
        if name not in loaded:
            loaded[name] = self._read_chosen(name)
        return loaded[name]

    def _read_chosen(self, name: str) -> dict[str, Any]:
        if not self.forms:
            return {}
        field: Any = self.forms[0].fields[name]
        key = field.to_field_name or "pk"
        values = {str(value) for form in self.forms if (value := form[name].value()) not in field.empty_values}
        valid = [value for value in values if _is_value_of(field.queryset.model, key, value)]
        rows = field.queryset.filter(**{f"{key}__in": valid}) if valid else []
        found = {str(row.serializable_value(key)): row for row in rows}
        return {value: found.get(value) for value in values}


def _is_value_of(model: type[models.Model], key: str, value: str) -> bool:
    """A value the column can hold: a forged one ("abc", 5,000 digits) names no row rather than failing the query."""
    field = model._meta.pk if key == "pk" else model._meta.get_field(key)
    assert isinstance(field, models.Field)
    try:
        python = field.to_python(value)
    except (ValidationError, ValueError, TypeError):
        return False
    return not isinstance(python, int) or -(2**63) <= python < 2**63


class RowsInline(admin.options.InlineModelAdmin[Any, Any]):
    """An inline whose typed selects and raw ids name what its rows chose from one query per field (RowsFormSet)."""

    formset = RowsFormSet

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if "widget" not in kwargs:
            using = kwargs.get("using")
            if db_field.name in self.get_autocomplete_fields(request):
                kwargs["widget"] = RowsAutocompleteSelect(db_field, self.admin_site, using=using)
            elif db_field.name in self.raw_id_fields:
                kwargs["widget"] = RowsRawIdWidget(db_field.remote_field, self.admin_site, using=using)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# --- pickers of an agreement's rows (items, parties) ---------------------------------------------------

_ROWS_URL = "agreements_agreement_rows"


def in_agreement(row: Any) -> str:
    """A row shown outside its agreement names it: "Sở Công Thương tỉnh Long An — Thỏa thuận liên kết…"."""
    return f"{row} — {shorten(row.agreement.title, 90)}"


class AgreementRowSearch(AutocompleteJsonView):
    """The typed picker of items and parties on a form whose agreement is not known yet: each with its agreement."""

    def get_queryset(self) -> QuerySet[Any]:
        rows = super().get_queryset().select_related("agreement")
        return rows.select_related("body") if rows.model is Party else rows

    def serialize_result(self, obj: Any, to_field_name: str) -> dict[str, Any]:
        return {**super().serialize_result(obj, to_field_name), "text": in_agreement(obj)}


class AgreementRowSelect(RowsAutocompleteSelect):
    url_name = "%s:" + _ROWS_URL


class AgreementRowPickers:
    """Selects of an agreement's rows (items, parties; `agreement_row_fields`) on an admin form or inline.

    On the form of an object whose agreement is known (`agreements_of`: the agreement edited, and any other it
    may point to), they list those agreements' rows only: a short select, one query, whatever the number of
    agreements.  On a new object's form they are typed, and every row found names its agreement.  A row of
    another agreement posted anyway is refused by the select's choices.
    """

    agreement_row_fields: tuple[str, ...] = ()
    admin_site: admin.AdminSite

    def agreements_of(self, obj: Any) -> list[int]:
        raise NotImplementedError

    def _scope(self, request: HttpRequest, obj: Any) -> None:
        # Per request (admins are shared), once per object: the admin asks for a form or formset several times.
        scopes: dict[int, tuple[Any, list[int] | None]] = getattr(request, "_agreement_row_scopes", {})
        pk = obj.pk if obj is not None else None
        known = scopes.get(id(self))
        if known is None or known[0] != pk:
            scopes[id(self)] = (pk, self.agreements_of(obj) if pk is not None else None)
        setattr(request, "_agreement_row_scopes", scopes)  # noqa: B010

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        self._scope(request, obj)
        return super().get_form(request, obj, change=change, **kwargs)  # type: ignore[misc]

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        self._scope(request, obj)  # an inline's `obj` is the object of the page
        return super().get_formset(request, obj, **kwargs)  # type: ignore[misc]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name not in self.agreement_row_fields:
            return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        agreement_ids = getattr(request, "_agreement_row_scopes", {}).get(id(self), (None, None))[1]
        model = db_field.related_model
        if model is Agreement and agreement_ids is None:  # a new object's: any agreement, typed
            return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        if model is Agreement:
            rows: QuerySet[Any] = Agreement.objects.all()
            scoped = rows.filter(pk__in=agreement_ids or [])
        else:
            rows = model._default_manager.select_related("agreement", *(["body"] if model is Party else []))
            scoped = rows.filter(agreement_id__in=agreement_ids or [])
        if agreement_ids is not None:
            kwargs |= {"queryset": scoped, "widget": forms.Select}
        else:
            kwargs |= {"queryset": rows, "widget": AgreementRowSelect(db_field, self.admin_site)}
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        named = model is not Agreement and (agreement_ids is None or len(agreement_ids) > 1)
        if named:
            field.label_from_instance = in_agreement
        if agreement_ids is not None:
            # Read once for the request: every row of an inline, each form the admin builds again and the other
            # selects of the same rows share the list, where each row's select would read the rows again.
            shared: dict[Any, Any] = getattr(request, "_agreement_row_choices", {})
            setattr(request, "_agreement_row_choices", shared)  # noqa: B010  # per request: admins are shared
            key = (model, tuple(agreement_ids), named, field.empty_label)
            if key not in shared:
                shared[key] = list(iter(field.choices))  # iter(): no COUNT query for list()'s length hint
            field.choices = shared[key]
        return field


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


class PartyFormSet(RowsFormSet):
    def clean(self) -> None:
        super().clean()
        live = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if len(live) < 2:
            raise ValidationError(_("Một thỏa thuận phải có ít nhất hai bên tham gia."))


class PartyInline(RowsInline, PlainTextTabularInline[Party]):
    model = Party
    formset = PartyFormSet
    extra = 0
    min_num = 2
    fk_name = "agreement"
    autocomplete_fields = ["body", "coordinating_office"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Party]:
        return super().get_queryset(request).select_related("body")  # each row is titled by its body


SECTOR_FIELDS = ("sector", "other_sectors")


class ItemFormSet(forms.BaseInlineFormSet[CooperationItem, Agreement, forms.ModelForm[CooperationItem]]):
    sector_choices: dict[str, list[Any]] | None = None

    def add_fields(self, form: forms.ModelForm[CooperationItem], index: int | None) -> None:
        # The sectors are read once for every item's two selects, not twice per item.
        super().add_fields(form, index)
        fields = {name: form.fields[name] for name in SECTOR_FIELDS if name in form.fields}
        if self.sector_choices is None:
            self.sector_choices = {name: list(getattr(field, "choices", ())) for name, field in fields.items()}
        for name, field in fields.items():
            select: Any = getattr(field.widget, "widget", field.widget)  # the admin wraps the select
            select.choices = self.sector_choices[name]

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


class AmendmentInline(PlainTextTabularInline[Amendment]):
    model = Amendment
    extra = 0
    fields = ["amended_on", "document_number", "summary", "recorded_by"]
    readonly_fields = ["recorded_by"]


class CooperationItemInline(PlainTextTabularInline[CooperationItem]):
    """Items as rows: number, text, main sector. The other sectors are shown and changed on the item's own form
    (linked from each row): a multiple select per item was half of the 1,300 options of a 24-item agreement's form."""

    model = CooperationItem
    formset = ItemFormSet
    extra = 0
    fields = ["number", "text", "sector", "related_sectors"]
    readonly_fields = ["related_sectors"]
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[CooperationItem]:
        return super().get_queryset(request).prefetch_related("other_sectors")  # each row's other sectors

    def formfield_for_dbfield(self, db_field: models.Field[Any, Any], request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "sector":
            # A plain select: the add/change/view links Django puts beside it were drawn on every row, for a
            # table of 25 sectors kept on its own page.
            return self.formfield_for_foreignkey(cast(models.ForeignKey[Any, Any], db_field), request, **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=CooperationItem._meta.get_field("other_sectors").verbose_name)
    def related_sectors(self, item: CooperationItem) -> str:
        return ", ".join(str(sector) for sector in item.other_sectors.all()) if item.pk else ""


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
    inlines = [PartyInline, CooperationItemInline, AmendmentInline]
    # An agreement with reports cannot be deleted (templates/admin/agreements/agreement/ say why and
    # point here): archiving keeps it, its reports and their history, off the lists.
    actions = ["archive", "unarchive"]

    def get_urls(self) -> list[URLPattern]:
        # The pickers of agreement rows on new objects' forms (AgreementRowPickers), before the object URLs.
        search = self.admin_site.admin_view(AgreementRowSearch.as_view(admin_site=self.admin_site))
        return [path("rows/", search, name=_ROWS_URL), *super().get_urls()]

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
    list_select_related = ["agreement", "sector"]
    # National scale: 2,000 agreements and 100,000 commitments are picked by typing, never listed in a select.
    autocomplete_fields = ["agreement"]
    filter_horizontal = ["other_sectors"]

    def get_readonly_fields(self, request: HttpRequest, obj: CooperationItem | None = None) -> list[str]:
        # Set once: its commitments are rows of its agreement, and the database refuses to move them apart.
        return ["agreement"] if obj is not None else []


@admin.register(Sector)
class SectorAdmin(AuditedAdmin[Sector]):
    """The list of sectors is data: an admin adds the sectors their programmes use."""

    list_display = ["name", "name_en", "code", "order"]
    list_editable = ["order"]
    search_fields = ["name", "name_en", "code"]
    ordering = ["order", "name"]

    def get_readonly_fields(self, request: HttpRequest, obj: Sector | None = None) -> list[str]:
        # The code is what filters, links and exports use: it is set once.
        return ["code"] if obj is not None else []


@admin.register(Commitment)
class CommitmentAdmin(AgreementRowPickers, AuditedAdmin[Commitment]):
    # Baselines and targets are typed the Vietnamese way too: "101.000" is one hundred and one thousand.
    formfield_overrides = {models.DecimalField: {"form_class": LocalizedDecimalField}}
    list_display = ["description", "item", "responsible_party", "due_on", "target", "indicator_unit", "status"]
    list_filter = ["status", "item__sector"]
    search_fields = ["description", "indicator_name"]
    autocomplete_fields = ["item", "responsible_party", "lead_body", "supporting_bodies"]
    list_select_related = ["item", "responsible_party__body"]
    ordering = ["-id"]  # newest first, from the primary key: the model's order (item number, order) is a join
    # A commitment's item and party are rows of its agreement: only those are offered when editing one.
    agreement_row_fields = ("item", "responsible_party")

    def agreements_of(self, obj: Commitment) -> list[int]:
        return [obj.agreement_id]


@admin.register(Party)
class PartyAdmin(AuditedAdmin[Party]):
    list_display = ["body", "agreement", "coordinating_office", "signatory_name", "hosts_next_meeting"]
    search_fields = ["body__name", "agreement__title"]
    autocomplete_fields = ["body", "coordinating_office", "agreement"]
    list_select_related = ["body", "agreement", "coordinating_office"]

    def get_readonly_fields(self, request: HttpRequest, obj: Party | None = None) -> list[str]:
        # Set once: its commitments are rows of its agreement, and the database refuses to move them apart.
        return ["agreement"] if obj is not None else []


@admin.register(Amendment)
class AmendmentAdmin(AuditedAdmin[Amendment]):
    list_display = ["agreement", "amended_on", "document_number", "summary"]
    search_fields = ["agreement__title", "document_number", "summary"]
    list_select_related = ["agreement"]
    autocomplete_fields = ["agreement"]
    readonly_fields = ["recorded_by"]
