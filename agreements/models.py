"""Agreements between provincial bodies: units, bodies, people, agreements, parties, items, commitments."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, When, prefetch_related_objects
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from agreements.graph import kept_walk
from agreements.merger import LAST_DAY_BEFORE_MERGER, MERGER_DATE
from agreements.naming import body_search_text, default_function, renamed, search_key, unit_search_text
from agreements.validators import validate_signed_document
from core import clock, limits, uploads
from core.constraints import ChecksInOneQuery
from core.search import folded_text
from core.text import choice_label

__all__ = ["LAST_DAY_BEFORE_MERGER", "MERGER_DATE"]


class ValidityQuerySet(models.QuerySet[Any]):
    def valid_on(self, day: datetime.date) -> ValidityQuerySet:
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def predecessors_of(self, ids: Iterable[int]) -> dict[int, set[int]]:
        """The one backward walk of the successor chain, one query per generation.

        Maps each of `ids` and every row it succeeded (directly or not) to the ids of `ids`
        it leads to: {former Long An department: {today's Tây Ninh department}, ...}.
        """
        reached: dict[int, set[int]] = {pk: {pk} for pk in ids}
        frontier = set(reached)
        while frontier:
            following: set[int] = set()
            for pk, successor_id in self.handovers_to(frontier):
                roots = reached[successor_id] - reached.get(pk, set())
                if roots:  # a cycle is bad data; it adds nothing and ends the walk
                    reached.setdefault(pk, set()).update(roots)
                    following.add(pk)
            frontier = following
        return reached

    def handovers_to(self, ids: set[int]) -> list[tuple[int, int]]:
        """(predecessor, successor) for every row that handed over to one of `ids`: one query."""
        return list(self.filter(successor_id__in=ids).order_by().values_list("pk", "successor_id"))


def _with_derived(kwargs: dict[str, Any], *fields: str) -> dict[str, Any]:
    """save() kwargs that also write the fields save() derives (update_or_create names only its defaults)."""
    update_fields = kwargs.get("update_fields")
    if update_fields is not None:
        kwargs["update_fields"] = {*update_fields, *fields}
    return kwargs


PREFETCHED_CHAIN = "_prefetched_chain"
CHAIN_DEPTH = 3  # handovers prefetch_chains() follows in its one query (a department reorganised, then merged)


class SuccessionMixin:
    """Shared behaviour of things that end on a day and hand over to a successor."""

    pk: Any
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    successor: Any
    successor_id: int | None

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or self.valid_to >= day)

    def next_in_chain(self) -> Any:
        """What took over when this ended (None if it has not ended or nothing did): one step of chain()."""
        if self.successor_id is not None and self.valid_to is not None:
            return self.successor
        return None

    def chain(self) -> list[Any]:
        """This and its successors up to the one that has not ended: the one forward walk of the chain."""
        prefetched: list[Any] | None = getattr(self, PREFETCHED_CHAIN, None)  # see prefetch_chains()
        if prefetched is not None:
            return list(prefetched)
        node: Any = self
        nodes: list[Any] = [node]
        seen = {node.pk}
        while (node := node.next_in_chain()) is not None:
            if node.pk in seen:  # a cycle is bad data; stop rather than loop forever
                break
            seen.add(node.pk)
            nodes.append(node)
        return nodes

    def current(self) -> Any:
        """What this is today."""
        return self.chain()[-1]


class AdministrativeUnitQuerySet(ValidityQuerySet):
    def matching(self, text: str) -> AdministrativeUnitQuerySet:
        """Units one of whose names (present or former) has a word starting with `text`, diacritics and case aside.

        "ninh binh", "Ninh Bình" and "NINH BÌNH" find Ninh Bình; "an" finds Long An and An Giang, not "Thành phố".
        """
        key = search_key(text)
        if not key:
            return self.none()
        return self.filter(Q(search_name__startswith=key) | Q(search_name__contains=f" {key}"))

    def lineage_ids(self, ids: Iterable[int]) -> set[int]:
        """`ids` with every unit they were formed from and every unit they became.

        Ninh Bình today brings Hà Nam, Nam Định and the old Ninh Bình; the old Hà Nam brings today's Ninh Bình
        (not Nam Định: a sibling is not a predecessor).
        """
        wanted = set(ids)
        backward = set(self.predecessors_of(wanted))
        forward = {
            node.pk
            for unit in self.filter(pk__in=wanted).select_related("successor").order_by()
            for node in unit.chain()
        }
        return backward | forward


class AdministrativeUnit(SuccessionMixin, ChecksInOneQuery):
    """A province-level unit (tỉnh / thành phố trực thuộc trung ương) with its validity.

    `name` is its present name; names it carried before (Tỉnh Thừa Thiên Huế until 31/12/2024) are
    AdministrativeUnitName rows, read through `name_on(day)`.
    """

    code = models.CharField(_("mã đơn vị"), max_length=3)
    name = models.CharField(_("tên đầy đủ"), max_length=100)
    short_name = models.CharField(_("tên ngắn"), max_length=60)
    key = models.CharField(_("khóa"), max_length=60, help_text=_("Khóa không dấu của gói vietnamadminunits."))
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    search_name = models.CharField(
        _("tên để tìm kiếm"),
        max_length=400,
        blank=True,
        editable=False,
        help_text=_("Mọi tên của đơn vị, không dấu, chữ thường; tự điền khi lưu."),
    )

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính cấp tỉnh")
        verbose_name_plural = _("đơn vị hành chính cấp tỉnh")
        ordering = ["code", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="unit_validity_ordered",
                violation_error_message=_("Ngày hết hiệu lực không được trước ngày bắt đầu hiệu lực."),
            ),
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | Q(valid_to__isnull=False),
                name="unit_successor_needs_end",
                violation_error_message=_("Chỉ đơn vị đã hết hiệu lực mới có đơn vị kế thừa."),
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(valid_from__isnull=True),
                name="unit_code_unique_since_start",
                violation_error_message=_("Mã đơn vị này đã được dùng cho một đơn vị cùng thời kỳ."),
            ),
            models.UniqueConstraint(
                fields=["code", "valid_from"],
                name="unit_code_unique_per_start",
                violation_error_message=_("Mã đơn vị này đã được dùng cho một đơn vị cùng thời kỳ."),
            ),
        ]

    def __str__(self) -> str:
        # Old and new Tây Ninh share a name: the old one carries its end in every list.
        if self.valid_to is not None:
            return f"{self.name} ({_('đến')} {self.valid_to:%d/%m/%Y})"
        return self.name

    def save(self, **kwargs: Any) -> None:
        self.search_name = unit_search_text(self.all_names())
        super().save(**_with_derived(kwargs, "search_name"))

    def refresh_search_name(self) -> None:
        self.save(update_fields=["search_name"])

    def all_names(self) -> list[tuple[str, str]]:
        """Every (name, short name) the unit has had, today's first (reads prefetched `names`)."""
        former = sorted(self.names.all(), key=lambda n: n.valid_to, reverse=True) if self.pk is not None else []
        return [(self.name, self.short_name), *((n.name, n.short_name) for n in former)]

    def names_on(self, day: datetime.date) -> tuple[str, str]:
        """(name, short name) the unit carried on `day`: ("Tỉnh Thừa Thiên Huế", "Thừa Thiên Huế") in 2023."""
        for former in self.names.all():
            if former.is_valid_on(day):
                return former.name, former.short_name
        return self.name, self.short_name

    def name_on(self, day: datetime.date) -> str:
        return self.names_on(day)[0]

    def short_name_on(self, day: datetime.date) -> str:
        return self.names_on(day)[1]

    def absorbed(self) -> list[AdministrativeUnit]:
        """The units merged into this one other than the one whose name it kept, by code (reads prefetched)."""
        return sorted((u for u in self.predecessors.all() if u.short_name != self.short_name), key=lambda u: u.code)

    def display_with_absorbed(self) -> str:
        """ "Thành phố Hồ Chí Minh (từ 01/07/2025 gồm cả Bình Dương, Bà Rịa - Vũng Tàu)"; the name alone if none.

        Kept on the instance per language: a list shares one unit object among the parties of a province.
        """
        kept: dict[str | None, str] = self.__dict__.setdefault("_kept_display", {})
        language = translation.get_language()
        if language not in kept:
            kept[language] = self._display_with_absorbed()
        return kept[language]

    def _display_with_absorbed(self) -> str:
        absorbed = self.absorbed()
        if not absorbed or self.valid_from is None:
            return self.name
        return _("%(name)s (từ %(day)s gồm cả %(units)s)") % {
            "name": self.name,
            "day": f"{self.valid_from:%d/%m/%Y}",
            "units": ", ".join(unit.short_name for unit in absorbed),
        }

    def as_of(self, day: datetime.date) -> AdministrativeUnit:
        """What this unit (or its lineage) was on a given day.

        Walks back through predecessors when asked about a day before this unit began;
        when several merged into this one, the one that gave its name is the answer.
        """
        node: AdministrativeUnit = self
        while node.valid_from is not None and day < node.valid_from:
            candidates = list(node.predecessors.order_by("code"))
            if not candidates:
                break
            same_name = [unit for unit in candidates if unit.short_name == node.short_name]
            node = (same_name or candidates)[0]
        while node.valid_to is not None and day > node.valid_to and node.successor_id is not None:
            assert node.successor is not None
            node = node.successor
        return node


class AdministrativeUnitName(models.Model):
    """A name a unit carried for a while before its present one (Tỉnh Thừa Thiên Huế until 31/12/2024)."""

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị hành chính"), on_delete=models.CASCADE, related_name="names"
    )
    name = models.CharField(_("tên đầy đủ"), max_length=100)
    short_name = models.CharField(_("tên ngắn"), max_length=60)
    valid_from = models.DateField(_("dùng từ"), null=True, blank=True)
    valid_to = models.DateField(_("dùng đến"))
    basis = models.CharField(_("căn cứ"), max_length=300, blank=True, help_text=_("Văn bản đổi tên."))

    class Meta:
        verbose_name = _("tên cũ của đơn vị hành chính")
        verbose_name_plural = _("tên cũ của đơn vị hành chính")
        ordering = ["unit__code", "valid_to"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="unit_name_validity_ordered",
                violation_error_message=_("Ngày hết hiệu lực không được trước ngày bắt đầu hiệu lực."),
            ),
            models.UniqueConstraint(
                fields=["unit", "name"],
                name="unit_name_once",
                violation_error_message=_("Đơn vị này đã có tên cũ này."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({_('đến')} {self.valid_to:%d/%m/%Y})"

    def save(self, **kwargs: Any) -> None:
        super().save(**kwargs)
        self.unit.refresh_search_name()

    def delete(self, using: Any = None, keep_parents: bool = False) -> tuple[int, dict[str, int]]:
        unit = self.unit
        deleted = super().delete(using=using, keep_parents=keep_parents)
        unit.refresh_search_name()
        return deleted

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and day <= self.valid_to


def _next_body() -> Case:
    """What `Body.next_in_chain` gives for the row, as an expression: its explicit successor once it has ended,
    or else, if it ended with its unit, the earliest body of its kind and function in the unit that followed."""
    counterpart = (
        Body.objects.filter(
            kind=OuterRef("kind"),
            function=OuterRef("function"),
            unit__predecessors=OuterRef("unit_id"),
            unit__predecessors__valid_to__lte=OuterRef("valid_to"),
        )
        .order_by(F("valid_from").asc(nulls_first=True), "pk")
        .values("pk")[:1]
    )
    ended = Q(valid_to__isnull=False)
    return Case(
        When(ended & Q(successor__isnull=False), then=F("successor_id")),
        When(ended & Q(successor__isnull=True) & ~Q(function=""), then=Subquery(counterpart)),
        default=None,
        output_field=models.BigIntegerField(),
    )


class BodyQuerySet(ValidityQuerySet):
    def chain_ids(self) -> dict[int, list[int]]:
        """Each body's id -> the ids of its chain (itself, then what it handed over to), up to CHAIN_DEPTH steps
        after it: one query, whatever the number of bodies or their history."""
        steps = [f"next_{n}" for n in range(1, CHAIN_DEPTH + 1)]
        rows = self.annotate(next_1=_next_body())
        for previous, name in itertools.pairwise(steps):
            following = Body.objects.filter(pk=OuterRef(previous)).annotate(step=_next_body()).values("step")[:1]
            rows = rows.annotate(**{name: Subquery(following, output_field=models.BigIntegerField())})
        chains: dict[int, list[int]] = {}
        for pk, *nexts in rows.values_list("pk", *steps):
            chain = [pk]
            for step in nexts:
                if step is None or step in chain:  # the end, or a cycle (bad data)
                    break
                chain.append(step)
            chains[pk] = chain
        return chains

    def handovers_to(self, ids: set[int]) -> list[tuple[int, int]]:
        """Explicit successors, and bodies that ended with their unit and whose counterpart is among `ids`.

        The counterpart is the one `Body.next_in_chain` finds (same kind and function in the successor
        unit, the earliest first), so the backward walk agrees with the forward one; still one query.
        """
        counterpart = (
            Body.objects.filter(
                unit_id=OuterRef("unit__successor_id"), kind=OuterRef("kind"), function=OuterRef("function")
            )
            .order_by(F("valid_from").asc(nulls_first=True), "pk")
            .values("pk")[:1]
        )
        ended_with_unit = Q(successor__isnull=True, valid_to__gte=F("unit__valid_to")) & ~Q(function="")
        # Every request reads its user's roles through here: the counterpart (a sorted subquery) is worked out only
        # for the rows that have one among `ids`, not for each of the thousand bodies of the former provinces.
        among_ids = Body.objects.filter(
            pk__in=ids, unit_id=OuterRef("unit__successor_id"), kind=OuterRef("kind"), function=OuterRef("function")
        )
        rows = (
            self.filter(Q(successor_id__in=ids) | (ended_with_unit & Exists(among_ids)))
            .annotate(counterpart_id=Subquery(counterpart))
            .values_list("pk", "successor_id", "counterpart_id")
        )
        return [
            (pk, successor_id if successor_id is not None else counterpart_id)
            for pk, successor_id, counterpart_id in rows
            if successor_id in ids or counterpart_id in ids
        ]


class Body(SuccessionMixin, ChecksInOneQuery):
    """An organisation: a People's Committee, a department (Sở), or one of its offices (Phòng).

    A body of an old province that ended with it hands over to its explicit successor, or else to the
    body of the same kind and function in the merged province (Sở Công Thương tỉnh Quảng Bình ->
    Sở Công Thương tỉnh Quảng Trị): `function` is its name without the place.
    """

    class Kind(models.TextChoices):
        PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
        DEPARTMENT = "department", _("Sở")
        OFFICE = "office", _("Phòng")

    kind = models.CharField(_("loại cơ quan"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("tên cơ quan"), max_length=200)
    function = models.CharField(
        _("tên cơ quan không kèm địa danh"),
        max_length=200,
        blank=True,
        help_text=_(
            "Ví dụ “Sở Công Thương” cho “Sở Công Thương tỉnh Long An”. Để trống thì tự suy ra từ tên; "
            "dùng để tìm cơ quan tương ứng ở tỉnh mới khi tỉnh cũ hết hiệu lực."
        ),
    )
    abbreviation = models.CharField(
        _("chữ viết tắt"), max_length=20, blank=True, help_text=_("Dùng trong số văn bản, ví dụ SCT trong 05/BC-SCT.")
    )
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị hành chính"), on_delete=models.PROTECT, related_name="bodies"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan kế thừa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    search_name = models.CharField(
        _("tên để tìm kiếm"),
        max_length=300,
        blank=True,
        editable=False,
        help_text=_("Tên và chữ viết tắt, không dấu, chữ thường; tự điền khi lưu."),
    )

    objects = BodyQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["unit__code", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="body_validity_ordered",
                violation_error_message=_("Ngày hết hiệu lực không được trước ngày bắt đầu hiệu lực."),
            ),
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | Q(valid_to__isnull=False),
                name="body_successor_needs_end",
                violation_error_message=_("Chỉ cơ quan đã hết hiệu lực mới có cơ quan kế thừa."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="body_not_own_parent",
                violation_error_message=_("Một cơ quan không thể là cấp trên của chính nó."),
            ),
            models.UniqueConstraint(
                fields=["unit", "name", "valid_from"],
                name="body_unique_name_in_unit",
                violation_error_message=_("Đã có cơ quan cùng tên, cùng ngày hiệu lực trong đơn vị hành chính này."),
            ),
        ]

    def __str__(self) -> str:
        if self.valid_to is not None:
            return f"{self.name} ({_('đến')} {self.valid_to:%d/%m/%Y})"
        return self.name

    def save(self, **kwargs: Any) -> None:
        """Fills what follows from the name and the unit: the end (the unit's, if none), function, search name."""
        unit = self.unit
        ends = unit.valid_to
        if self.valid_to is None and ends is not None and (self.valid_from is None or self.valid_from <= ends):
            self.valid_to = ends
        if not self.function:
            self.function = default_function(self.kind, self.name, unit.all_names())
        self.search_name = body_search_text(self.name, self.abbreviation)
        super().save(**_with_derived(kwargs, "valid_to", "function", "search_name"))

    def clean(self) -> None:
        super().clean()
        if self.unit_id is None:
            return
        unit = self.unit
        errors: dict[str, Any] = {}
        if unit.valid_to is not None and self.valid_to is not None and self.valid_to > unit.valid_to:
            errors["valid_to"] = _(
                "Cơ quan không thể còn hiệu lực sau ngày đơn vị hành chính hết hiệu lực (%(day)s)."
            ) % {"day": f"{unit.valid_to:%d/%m/%Y}"}
        if unit.valid_from is not None and self.valid_from is not None and self.valid_from < unit.valid_from:
            errors["valid_from"] = _("Cơ quan không thể có hiệu lực trước đơn vị hành chính (%(day)s).") % {
                "day": f"{unit.valid_from:%d/%m/%Y}"
            }
        if errors:
            raise ValidationError(errors)

    def lineage_ids(self) -> set[int]:
        """This body and every body it succeeded: today's department answers for its predecessors."""
        return set(Body.objects.predecessors_of([self.pk]))

    def next_in_chain(self) -> Body | None:
        """Its successor; failing that, if it ended with its unit, the same function in the successor unit."""
        explicit: Body | None = super().next_in_chain()
        if explicit is not None or self.successor_id is not None or self.valid_to is None or not self.function:
            return explicit
        counterpart: Body | None = (
            Body.objects.filter(
                kind=self.kind,
                function=self.function,
                unit__predecessors=self.unit_id,
                unit__predecessors__valid_to__lte=self.valid_to,
            )
            .order_by(F("valid_from").asc(nulls_first=True), "pk")
            .first()
        )
        return counterpart

    def name_on(self, day: datetime.date) -> str:
        """The name with its place as it was called on `day`: "Ủy ban nhân dân tỉnh Thừa Thiên Huế" in 2023."""
        unit = self.unit
        return renamed(self.name, unit.all_names(), unit.names_on(day))

    def today_label(self) -> str:
        """What this body is today, in words: today's body (with its province when that changed), or its end."""
        now: Body = self.current()
        if now.valid_to is None or now.valid_to >= clock.today():
            return now.name if now.unit_id == self.unit_id else f"{now.name} ({now.unit.name})"
        return _("%(body)s, đã hết hiệu lực; địa bàn nay thuộc %(unit)s") % {
            "body": str(now),
            "unit": now.unit.current().display_with_absorbed(),
        }


def prefetch_chains(bodies: Iterable[Body | None]) -> None:
    """Fill chain() of many bodies at once, and with it current(), today_label() and the names of the bodies
    they became and of their parents: three queries (the chains, their bodies with units and parents, the
    units' former names), not several per body.  A chain longer than CHAIN_DEPTH handovers is left to
    chain()'s own walk."""
    wanted = [body for body in bodies if body is not None]
    if not wanted:
        return
    chains = kept_walk("chains", {body.pk for body in wanted}, lambda ids: Body.objects.filter(pk__in=ids).chain_ids())
    nodes = Body.objects.select_related("unit__successor", "parent__unit").in_bulk(
        {pk for ids in chains.values() for pk in ids}
    )
    unit = Body._meta.get_field("unit")
    for body in wanted:
        if not unit.is_cached(body):
            body.unit = nodes[body.pk].unit
    # The names of every time of their units and of their parents' (a letterhead names both as of its day).
    units = [node.unit for node in [*wanted, *nodes.values()]]
    units += [node.parent.unit for node in nodes.values() if node.parent is not None]
    prefetch_related_objects(list({id(u): u for u in units}.values()), "names")
    for body in wanted:
        chain = [body, *(nodes[pk] for pk in chains[body.pk][1:])]
        if len(chain) <= CHAIN_DEPTH or chain[-1].valid_to is None:  # whole: it ends, or reaches today's body
            setattr(body, PREFETCHED_CHAIN, chain)


class Role(models.TextChoices):
    STAFF = "staff", _("Chuyên viên")
    COORDINATOR = "coordinator", _("Điều phối viên")
    LEADER = "leader", _("Lãnh đạo")
    ADMIN = "admin", _("Quản trị")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="memberships"
    )
    # A body with members is never deleted with them: its people would lose every role without a trace.
    body = models.ForeignKey(Body, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    title = models.CharField(_("chức vụ"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("thành viên cơ quan")
        verbose_name_plural = _("thành viên cơ quan")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "body", "role"],
                name="membership_unique_role",
                violation_error_message=_("Người dùng đã có vai trò này trong cơ quan."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.body} ({self.get_role_display()})"


class Sector(models.Model):
    """A sector (lĩnh vực) of cooperation. The list is data: admins add what their programmes need.

    The code is the key, so filters, links and exports keep the same values whatever the names become.
    """

    code = models.SlugField(_("mã lĩnh vực"), max_length=30, primary_key=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=100, unique=True)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the language of the page (English when it has one)."""
        if self.name_en and translation.get_language() == "en":
            return self.name_en
        return self.name

    @classmethod
    def labels(cls) -> dict[str, str]:
        """code -> label, for pages that group by code (one query)."""
        return {sector.code: sector.label for sector in cls.objects.all()}


OTHER_SECTOR = "other"


def signed_document_upload_to(instance: Agreement, filename: str) -> str:
    """agreements/yyyy/mm/<random>.<ext of the scan's detected type>, never the name it was uploaded under.

    The scan being saved is still the field's file here (Django names a file before writing it).
    Files stored before issue 12 keep their old `agreements/<year>/<name>` paths.
    """
    return uploads.generated_name("agreements", uploads.detected_type(instance.signed_document.file))


class Agreement(ChecksInOneQuery):
    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("Thỏa thuận hợp tác")
        PROGRAMME = "programme", _("Chương trình hợp tác")
        PLAN = "plan", _("Kế hoạch hợp tác")
        MEMORANDUM = "memorandum", _("Biên bản ghi nhớ")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        IN_FORCE = "in_force", _("Đang hiệu lực")
        EXPIRED = "expired", _("Hết hiệu lực")
        TERMINATED = "terminated", _("Chấm dứt")
        SUPERSEDED = "superseded", _("Được thay thế")

    kind = models.CharField(_("loại văn bản"), max_length=20, choices=Kind.choices, default=Kind.AGREEMENT)
    number = models.CharField(_("số văn bản"), max_length=50, blank=True)
    title = models.CharField(_("tên văn bản"), max_length=300)
    search_text = folded_text("title", "number", verbose_name=_("tên và số văn bản, để tìm kiếm"))
    signed_on = models.DateField(_("ngày ký"), null=True, blank=True)
    signed_at = models.CharField(_("nơi ký"), max_length=200, blank=True)
    period_start = models.DateField(_("giai đoạn từ"))
    period_end = models.DateField(_("giai đoạn đến"))
    objectives = models.TextField(_("mục tiêu"), blank=True, max_length=limits.AGREEMENT_TEXT)
    notes = models.TextField(_("ghi chú"), blank=True, max_length=limits.AGREEMENT_TEXT)
    status = models.CharField(_("tình trạng"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("văn bản được kế tiếp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successors",
    )
    reporting_cadence_months = models.PositiveSmallIntegerField(
        _("chu kỳ báo cáo (tháng)"), default=6, help_text=_("3, 6 hoặc 12 tháng theo Nghị định 09/2019/NĐ-CP.")
    )
    report_deadline_days = models.PositiveSmallIntegerField(
        _("hạn nộp báo cáo (ngày sau ngày chốt số liệu)"), default=10, validators=[MinValueValidator(1)]
    )
    meeting_cadence_months = models.PositiveSmallIntegerField(_("chu kỳ họp (tháng)"), default=12)
    tracked_from = models.DateField(
        _("theo dõi trên hệ thống từ ngày"),
        null=True,
        blank=True,
        help_text=_(
            "Với thỏa thuận nhập vào sau khi ký: các kỳ có ngày chốt số liệu trước ngày này không báo cáo trên hệ "
            "thống (không mở báo cáo, không nhắc, không tính là chậm). Để trống nếu theo dõi từ đầu."
        ),
    )
    signed_document = models.FileField(
        _("văn bản đã ký"), upload_to=signed_document_upload_to, blank=True, validators=[validate_signed_document]
    )
    # The day it stopped being in force (expired, terminated or superseded): no period after it is reported.
    ended_on = models.DateField(_("ngày thôi hiệu lực"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    # An agreement with reports is never deleted (its parties protect them): it is archived, which
    # takes it off the lists and keeps its reports and their history.
    archived_at = models.DateTimeField(_("lưu trữ lúc"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("thỏa thuận hợp tác")
        verbose_name_plural = _("thỏa thuận hợp tác")
        ordering = ["-period_start", "title"]
        # The lists' order (core.listing.stable adds the id), read from an index, not sorted at each page.
        indexes = [models.Index(fields=["-period_start", "title", "id"], name="agreement_default_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gt=F("period_start")),
                name="agreement_period_ordered",
                violation_error_message=_("Ngày kết thúc giai đoạn phải sau ngày bắt đầu."),
            ),
            models.CheckConstraint(
                condition=Q(reporting_cadence_months__in=[3, 6, 12]),
                name="agreement_reporting_cadence_allowed",
                violation_error_message=_("Chu kỳ báo cáo chỉ có thể là 3, 6 hoặc 12 tháng."),
            ),
            models.CheckConstraint(
                condition=Q(meeting_cadence_months__gte=1),
                name="agreement_meeting_cadence_positive",
                violation_error_message=_("Chu kỳ họp phải ít nhất 1 tháng."),
            ),
            models.CheckConstraint(
                condition=Q(report_deadline_days__gte=1),
                name="agreement_deadline_after_cutoff",
                violation_error_message=_("Hạn nộp báo cáo phải sau ngày chốt số liệu ít nhất 1 ngày."),
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=F("id")),
                name="agreement_not_own_predecessor",
                violation_error_message=_("Một văn bản không thể kế tiếp chính nó."),
            ),
            models.CheckConstraint(
                # The jobs (periods, reminders) act on agreements in force: an archived one must not be.
                condition=Q(archived_at__isnull=True) | ~Q(status="in_force"),
                name="agreement_archived_not_in_force",
                violation_error_message=_("Thỏa thuận đã lưu trữ không thể ở tình trạng đang hiệu lực."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(status__in=["expired", "terminated", "superseded"]),
                name="agreement_end_only_when_ended",
                violation_error_message=_("Chỉ thỏa thuận đã thôi hiệu lực mới có ngày thôi hiệu lực."),
            ),
            limits.text_limit("agreement", "objectives", limits.AGREEMENT_TEXT),
            limits.text_limit("agreement", "notes", limits.AGREEMENT_TEXT),
        ]

    def __str__(self) -> str:
        return self.title

    def audit_agreement_id(self) -> int | None:
        """An agreement's own changes are in its history (core.audit.InAgreement)."""
        return self.pk

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.period_start and self.period_end and self.period_end <= self.period_start:
            errors["period_end"] = _("Ngày kết thúc giai đoạn phải sau ngày bắt đầu.")
        if self.reporting_cadence_months not in (3, 6, 12):
            errors["reporting_cadence_months"] = _("Chu kỳ báo cáo chỉ có thể là 3, 6 hoặc 12 tháng.")
        if self.signed_on and self.period_end and self.signed_on > self.period_end:
            errors["signed_on"] = _("Ngày ký không thể sau khi giai đoạn đã kết thúc.")
        if errors:
            raise ValidationError(errors)

    @property
    def status_label(self) -> str:
        """get_status_display() for lists of agreements (core.text.choice_label)."""
        return choice_label(self.Status, self.status)

    @property
    def kind_label(self) -> str:
        return choice_label(self.Kind, self.kind)

    @property
    def period_label(self) -> str:
        """ "2011–2015"; a plan of one year is "năm 2021", never "2021–2021"."""
        if self.period_start.year == self.period_end.year:
            return _("năm %(year)d") % {"year": self.period_start.year}
        return f"{self.period_start.year}–{self.period_end.year}"

    @property
    def reference_date(self) -> datetime.date:
        """The day the parties are named as of: the signing, else the start of the period."""
        return self.signed_on or self.period_start

    def tracks(self, cutoff: datetime.date) -> bool:
        """A period with this cut-off is reported in the system (not before the "tracked from" date)."""
        return self.tracked_from is None or cutoff >= self.tracked_from

    @property
    def reporting_end(self) -> datetime.date:
        """The last day a period may close on: the end of the period, or the day it stopped being in force."""
        if self.ended_on is not None and self.ended_on < self.period_end:
            return self.ended_on
        return self.period_end

    @property
    def is_draft(self) -> bool:
        return self.status == Agreement.Status.DRAFT

    def renewal_chain(self) -> list[Agreement]:
        """Predecessors (oldest first), this one, then successors: what the page shows as the chain.

        Walks the links one query per step; chains are a handful of periods long.
        """
        before: list[Agreement] = []
        seen = {self.pk}
        node = self.predecessor
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            before.append(node)
            node = node.predecessor
        after: list[Agreement] = []
        following = self.successors.order_by("period_start", "pk").first()
        while following is not None and following.pk not in seen:
            seen.add(following.pk)
            after.append(following)
            following = following.successors.order_by("period_start", "pk").first()
        return [*reversed(before), self, *after]

    def is_internal_today(self, parties: Iterable[Party] | None = None) -> bool:
        """True when every party now sits in the same province (e.g. Long An + Tây Ninh after 2025)."""
        units = {party.body.unit.current().pk for party in (self.parties.all() if parties is None else parties)}
        return len(units) == 1


class Amendment(models.Model):
    """A change the parties signed to an agreement (văn bản sửa đổi, bổ sung): when, by what, what changed."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("thỏa thuận"), on_delete=models.CASCADE, related_name="amendments"
    )
    amended_on = models.DateField(_("ngày sửa đổi"))
    document_number = models.CharField(_("số văn bản sửa đổi"), max_length=50, blank=True)
    summary = models.TextField(_("nội dung sửa đổi, bổ sung"), max_length=limits.ITEM_TEXT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("sửa đổi, bổ sung")
        verbose_name_plural = _("sửa đổi, bổ sung")
        ordering = ["agreement_id", "amended_on", "pk"]
        constraints = [limits.text_limit("amendment", "summary", limits.ITEM_TEXT)]

    def __str__(self) -> str:
        return f"{self.amended_on:%d/%m/%Y} {self.document_number}".strip()


class Party(models.Model):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("thỏa thuận"), on_delete=models.CASCADE, related_name="parties"
    )
    body = models.ForeignKey(Body, verbose_name=_("cơ quan tham gia"), on_delete=models.PROTECT, related_name="parties")
    coordinating_office = models.ForeignKey(
        Body,
        verbose_name=_("bộ phận điều phối"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coordinated_parties",
    )
    signatory_name = models.CharField(_("người ký"), max_length=100, blank=True)
    signatory_title = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    hosts_next_meeting = models.BooleanField(_("chủ trì cuộc họp tới"), default=False)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)

    class Meta:
        verbose_name = _("bên tham gia")
        verbose_name_plural = _("các bên tham gia")
        # By the agreement's id, not by "agreement" (which would sort by the agreement's own ordering, a join).
        ordering = ["agreement_id", "order", "pk"]
        indexes = [models.Index(fields=["agreement", "order", "id"], name="party_default_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "body"],
                name="party_body_once_per_agreement",
                violation_error_message=_("Cơ quan này đã là một bên của thỏa thuận."),
            ),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(hosts_next_meeting=True),
                name="party_one_next_host",
                violation_error_message=_("Chỉ một bên được chủ trì cuộc họp tới."),
            ),
            models.CheckConstraint(
                condition=Q(coordinating_office__isnull=True) | ~Q(coordinating_office=F("body")),
                name="party_office_not_body_itself",
                violation_error_message=_(
                    "Bộ phận điều phối phải là một đơn vị trực thuộc, không phải chính cơ quan tham gia."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.body)

    def covers(self, body: Body) -> bool:
        """Whether `body` may act within this party: the party's body, or a body of the same province.

        "Same province" is today's unit, so a former Long An department may lead for Tây Ninh's party
        after the 2025 merger, as its work was handed over.
        """
        if body.pk == self.body_id:
            return True
        return bool(body.unit.current().pk == self.body.unit.current().pk)

    # Then and now.  The list prefetches the units, their names and predecessors: no query per party.
    @property
    def name_then(self) -> str:
        """The body's name as the agreement called it ("Ủy ban nhân dân tỉnh Thừa Thiên Huế" in 2023)."""
        return self.body.name_on(self.agreement.reference_date)

    @cached_property
    def place(self) -> Place:
        """Its province as the agreement called it and as it is today, worked out once: the list shows both for
        every party of a page (150 of them), and each was a walk of the unit's chain and its names."""
        unit = self.body.unit
        then = unit.short_name_on(self.agreement.reference_date)
        today: AdministrativeUnit = unit.current()
        return Place(
            then=then,
            now=today.display_with_absorbed(),
            changed=today.pk != unit.pk or then != unit.short_name,
        )


class Place(NamedTuple):
    then: str  # "Long An", "Thừa Thiên Huế": the unit's short name on the agreement's reference date
    now: str  # "Tỉnh Tây Ninh (từ 01/07/2025 gồm cả Long An)": today's unit with what it absorbed
    changed: bool  # another unit today, or the same one under another name


class CooperationItem(models.Model):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("thỏa thuận"), on_delete=models.CASCADE, related_name="items"
    )
    number = models.PositiveSmallIntegerField(_("số thứ tự"), validators=[MinValueValidator(1)])
    text = models.TextField(_("nội dung hợp tác"), max_length=limits.ITEM_TEXT)
    search_text = folded_text("text", verbose_name=_("nội dung, để tìm kiếm"))
    # The main sector (dashboards count an item once, under it); other_sectors are the rest.
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("lĩnh vực chính"),
        on_delete=models.PROTECT,
        db_column="sector",
        default=OTHER_SECTOR,
        related_name="items",
    )
    other_sectors = models.ManyToManyField(
        Sector, verbose_name=_("lĩnh vực liên quan"), blank=True, related_name="related_items"
    )

    class Meta:
        verbose_name = _("nội dung hợp tác")
        verbose_name_plural = _("nội dung hợp tác")
        ordering = ["agreement_id", "number"]  # the unique (agreement, number) index; no join to the agreement
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"],
                name="item_number_unique_per_agreement",
                violation_error_message=_("Số thứ tự này đã có trong thỏa thuận."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="item_number_positive",
                violation_error_message=_("Số thứ tự nội dung hợp tác bắt đầu từ 1."),
            ),
            limits.text_limit("item", "text", limits.ITEM_TEXT),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"

    def sectors(self) -> list[Sector]:
        """The main sector, then the others by the list's order (reads prefetched other_sectors)."""
        others = sorted(
            (s for s in self.other_sectors.all() if s.pk != self.sector_id), key=lambda s: (s.order, s.name)
        )
        return [self.sector, *others]

    def sector_labels(self) -> str:
        return ", ".join(sector.label for sector in self.sectors())


def commitment_url(agreement_id: int, commitment_id: int) -> str:
    """A commitment on its agreement's page: the page of items that holds it, at its anchor."""
    return reverse("agreement_detail", args=[agreement_id]) + f"?commitment={commitment_id}#commitment-{commitment_id}"


def check_item_numbers(numbers: Iterable[int]) -> None:
    """Items are numbered 1..n with no gap, as in the signed text."""
    ordered = sorted(numbers)
    if ordered != list(range(1, len(ordered) + 1)):
        raise ValidationError(
            _("Các nội dung hợp tác phải được đánh số liên tục từ 1 (hiện có: %(numbers)s).")
            % {"numbers": ", ".join(str(n) for n in ordered)}
        )


def overdue_condition(today: datetime.date) -> Q:
    """Past its due date and neither done nor cancelled (standing commitments are never overdue)."""
    return Q(due_on__lt=today) & ~Q(status__in=FINISHED_COMMITMENT)


def at_risk_condition(today: datetime.date) -> Q:
    """Reported at risk or delayed and not overdue yet (an overdue one is listed as overdue, not twice).

    Both statuses are unfinished, so "not overdue" is only about the date: a plain condition, not a
    NOT IN (overdue) that made the dashboards read every commitment twice.
    """
    return Q(status__in=LATE_STATUSES) & (Q(due_on__isnull=True) | Q(due_on__gte=today))


class CommitmentQuerySet(models.QuerySet["Commitment"]):
    def bulk_create(self, objs: Iterable[Commitment], *args: Any, **kwargs: Any) -> list[Commitment]:
        """Each commitment with its item's agreement, as save() sets it (imports and data sets insert in bulk)."""
        rows = list(objs)
        item = Commitment._meta.get_field("item")
        # Rows given an item id rather than the item read theirs in one query, not one each.
        unread = {c.item_id for c in rows if not item.is_cached(c)}
        agreement_of = dict(CooperationItem.objects.filter(pk__in=unread).values_list("pk", "agreement_id"))
        for commitment in rows:
            cached = item.is_cached(commitment)
            commitment.agreement_id = commitment.item.agreement_id if cached else agreement_of[commitment.item_id]
        return super().bulk_create(rows, *args, **kwargs)

    def unfinished(self) -> CommitmentQuerySet:
        return self.exclude(status__in=FINISHED_COMMITMENT)

    def overdue(self, today: datetime.date) -> CommitmentQuerySet:
        return self.filter(overdue_condition(today))

    def at_risk(self, today: datetime.date) -> CommitmentQuerySet:
        return self.filter(at_risk_condition(today))


class Commitment(ChecksInOneQuery):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Chưa triển khai")
        ON_TRACK = "on_track", _("Đúng tiến độ")
        AT_RISK = "at_risk", _("Có nguy cơ chậm")
        DELAYED = "delayed", _("Chậm tiến độ")
        DONE = "done", _("Hoàn thành")
        CANCELLED = "cancelled", _("Hủy bỏ")

    item = models.ForeignKey(
        CooperationItem, verbose_name=_("nội dung hợp tác"), on_delete=models.CASCADE, related_name="commitments"
    )
    # The agreement of its item, and of its responsible party, kept on the row: save() sets it from the item, and
    # the database holds it equal to both (migration 0018's composite foreign keys). Who may see a commitment is
    # a rule on agreements: with this column the commitments of a coordinator's 500 agreements are one index
    # range per agreement (commitment_agreement_due), where through their 5,000 items counting and sorting them
    # took twice as long.
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("thỏa thuận"),
        on_delete=models.CASCADE,
        related_name="commitments",
        editable=False,
        db_index=False,  # commitment_agreement_due begins with it
    )
    # RESTRICT, not PROTECT: a party cannot be removed from under its commitments, but an agreement
    # without reports can still be deleted whole (its items take their commitments with them).
    responsible_party = models.ForeignKey(
        Party, verbose_name=_("bên chủ trì"), on_delete=models.RESTRICT, related_name="commitments"
    )
    # A programme signed by People's Committees is carried out by their departments: the party answers
    # for the commitment (reports on it), the body leads the work. Empty: the party's own body leads.
    lead_body = models.ForeignKey(
        Body,
        verbose_name=_("cơ quan chủ trì thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_commitments",
        help_text=_("Sở, ngành thuộc tỉnh của bên chủ trì; để trống nếu chính bên chủ trì thực hiện."),
    )
    supporting_bodies = models.ManyToManyField(
        Body, verbose_name=_("cơ quan phối hợp"), blank=True, related_name="supported_commitments"
    )
    description = models.TextField(_("nội dung cam kết"), max_length=limits.COMMITMENT_TEXT)
    due_on = models.DateField(
        _("thời hạn"), null=True, blank=True, help_text=_("Để trống nếu là nhiệm vụ thường xuyên.")
    )
    indicator_name = models.CharField(_("chỉ tiêu"), max_length=200, blank=True)
    search_text = folded_text("description", "indicator_name", verbose_name=_("nội dung và chỉ tiêu, để tìm kiếm"))
    indicator_unit = models.CharField(_("đơn vị tính"), max_length=50, blank=True)
    baseline = models.DecimalField(_("giá trị nền"), max_digits=18, decimal_places=4, null=True, blank=True)
    target = models.DecimalField(_("giá trị mục tiêu"), max_digits=18, decimal_places=4, null=True, blank=True)
    status = models.CharField(_("tình trạng"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("cam kết")
        verbose_name_plural = _("cam kết")
        ordering = ["item__number", "order", "pk"]
        # The dashboards' overdue and at-risk lists (oldest due first, ten rows) and the list sorted by due date
        # walk this index and stop, instead of sorting every commitment of the scope.
        indexes = [
            models.Index(fields=["due_on", "id"], name="commitment_due_order"),
            # Also the lists of one user's agreements, by due date: their ids and count from the index alone.
            models.Index(fields=["agreement", "due_on", "id"], name="commitment_agreement_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(target__isnull=True) | ~Q(indicator_unit=""),
                name="commitment_target_needs_unit",
                violation_error_message=_("Chỉ tiêu có giá trị mục tiêu phải có đơn vị tính."),
            ),
            models.CheckConstraint(
                condition=Q(target__isnull=True) | ~Q(indicator_name=""),
                name="commitment_target_needs_indicator",
                violation_error_message=_("Chỉ tiêu có giá trị mục tiêu phải có tên chỉ tiêu."),
            ),
            models.CheckConstraint(
                condition=Q(baseline__isnull=True) | Q(target__isnull=False),
                name="commitment_baseline_needs_target",
                violation_error_message=_("Đã có giá trị nền thì phải có giá trị mục tiêu."),
            ),
            limits.text_limit("commitment", "description", limits.COMMITMENT_TEXT),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def save(self, **kwargs: Any) -> None:
        self.agreement_id = self.item.agreement_id
        super().save(
            **(_with_derived(kwargs, "agreement") if "item" in (kwargs.get("update_fields") or ()) else kwargs)
        )

    def get_absolute_url(self) -> str:
        return commitment_url(self.agreement_id, self.pk)

    @property
    def status_label(self) -> str:
        """get_status_display() for pages that list hundreds (core.text.choice_label)."""
        return choice_label(self.Status, self.status)

    def audit_agreement_id(self) -> int | None:
        return self.agreement_id

    @property
    def leader(self) -> Body:
        """Who carries it out: the lead body, else the responsible party's own body."""
        return self.lead_body if self.lead_body_id is not None else self.responsible_party.body  # type: ignore[return-value]

    @property
    def is_standing(self) -> bool:
        return self.due_on is None

    def is_overdue(self, today: datetime.date) -> bool:
        """In Python what CommitmentQuerySet.overdue says in SQL."""
        return self.due_on is not None and self.due_on < today and self.status not in FINISHED_COMMITMENT

    @property
    def has_indicator(self) -> bool:
        return self.target is not None

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.target is not None and not self.indicator_unit:
            errors["indicator_unit"] = _("Chỉ tiêu có giá trị mục tiêu phải có đơn vị tính.")
        if self.target is not None and not self.indicator_name:
            errors["indicator_name"] = _("Hãy đặt tên cho chỉ tiêu.")
        if self.baseline is not None and self.target is None:
            errors["target"] = _("Đã có giá trị nền thì phải có giá trị mục tiêu.")
        if self.item_id and self.responsible_party_id and self.responsible_party.agreement_id != self.item.agreement_id:
            errors["responsible_party"] = _("Bên chủ trì phải là một bên của cùng thỏa thuận.")
        if (
            self.lead_body is not None
            and self.responsible_party_id
            and not self.responsible_party.covers(self.lead_body)
        ):
            errors["lead_body"] = _("Cơ quan chủ trì thực hiện phải thuộc tỉnh của bên chủ trì (%(party)s).") % {
                "party": self.responsible_party.body.name
            }
        if errors:
            raise ValidationError(errors)

    def progress_ratio(self, actual: Decimal | None) -> Decimal | None:
        """Share of the way from baseline to target that an actual value covers (0..1+)."""
        if actual is None or self.target is None:
            return None
        start = self.baseline or Decimal(0)
        span = self.target - start
        if span == 0:
            return Decimal(1) if actual >= self.target else Decimal(0)
        return (actual - start) / span


# Commitments that need no more work: never reminded, never overdue.
FINISHED_COMMITMENT = (Commitment.Status.DONE, Commitment.Status.CANCELLED)
# Commitments reported as slipping: they need attention before they are overdue.
LATE_STATUSES = (Commitment.Status.AT_RISK, Commitment.Status.DELAYED)
