"""Province-level units before and after Resolution 202/2025/QH15, read from `vietnamadminunits`.

The package ships the 63-unit list, the 34-unit list and the old→new mapping; nothing of
that is typed by hand.  A unit whose territory did not change (same key, mapped 1:1) is
one record valid throughout; every other old unit ends on 30/06/2025 with the merged
unit, valid from 01/07/2025, as its successor.  The package knows only present names: the
one earlier rename (Thừa Thiên Huế -> Huế, 01/01/2025) is written here, with its resolution.
Every unit gets its People's Committee (UBND), an old one handing over to the new one's.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import vietnamadminunits
from django.db.models import Q
from vietnamadminunits.database.main import query

from agreements.merger import LAST_DAY_BEFORE_MERGER, MERGER_DATE
from agreements.naming import body_search_text, default_function, peoples_committee_name, unit_search_text


@dataclass(frozen=True)
class UnitRow:
    key: str
    code: str
    name: str
    short_name: str


def _rows(table: str) -> dict[str, UnitRow]:
    assert table in ("admin_units", "admin_units_legacy")
    records = query(f"SELECT DISTINCT provinceKey, provinceCode, province, provinceShort FROM {table}")  # noqa: S608
    return {
        r["provinceKey"]: UnitRow(r["provinceKey"], r["provinceCode"], r["province"], r["provinceShort"])
        for r in records
    }


def legacy_units() -> dict[str, UnitRow]:
    return _rows("admin_units_legacy")


def current_units() -> dict[str, UnitRow]:
    return _rows("admin_units")


def merger_mapping() -> dict[str, list[str]]:
    """New unit key -> keys of the old units it was formed from."""
    path = Path(vietnamadminunits.__file__).parent / "data" / "converter_2025.json"
    with path.open(encoding="utf-8") as fh:
        data = json.load(fh)
    return {new: list(olds) for new, olds in data["DICT_PROVINCE"].items()}


def load_units(unit_model: Any) -> int:
    """Create or update the units alone; returns how many rows exist afterwards. Safe to run again.

    Migration 0002 calls it with the unit model of its time (no names, no bodies yet).
    """
    old = legacy_units()
    new = current_units()
    mapping = merger_mapping()
    if len(old) != 63 or len(new) != 34 or set(mapping) != set(new):
        raise RuntimeError("vietnamadminunits does not ship the expected 63/34 units and mapping")
    if sorted(key for keys in mapping.values() for key in keys) != sorted(old):
        raise RuntimeError("every one of the 63 old units must map to exactly one new unit")
    for new_key, old_keys in mapping.items():
        row = new[new_key]
        if old_keys == [new_key] and old[new_key].code == row.code:
            unit_model.objects.update_or_create(
                key=row.key,
                valid_from=None,
                defaults={"code": row.code, "name": row.name, "short_name": row.short_name, "valid_to": None},
            )
            continue
        merged, _ = unit_model.objects.update_or_create(
            key=row.key,
            valid_from=MERGER_DATE,
            defaults={"code": row.code, "name": row.name, "short_name": row.short_name},
        )
        for old_key in old_keys:
            o = old[old_key]
            unit_model.objects.update_or_create(
                key=o.key,
                valid_from=None,
                defaults={
                    "code": o.code,
                    "name": o.name,
                    "short_name": o.short_name,
                    "valid_to": LAST_DAY_BEFORE_MERGER,
                    "successor": merged,
                },
            )
    return int(unit_model.objects.count())


@dataclass(frozen=True)
class FormerName:
    """A name a unit carried before its present one (the package knows only the present names)."""

    name: str
    short_name: str
    valid_from: datetime.date | None
    valid_to: datetime.date
    basis: str


# Thừa Thiên Huế province became the centrally-run city of Huế on 01/01/2025; its territory did not
# change, in 2025 either, so it stays one unit whose name changed.
FORMER_NAMES: dict[str, list[FormerName]] = {
    "thanhphohue": [
        FormerName(
            "Tỉnh Thừa Thiên Huế",
            "Thừa Thiên Huế",
            None,
            datetime.date(2024, 12, 31),
            "Nghị quyết số 1314/NQ-UBTVQH15 ngày 30/11/2024 của Ủy ban Thường vụ Quốc hội",
        )
    ],
}

PEOPLES_COMMITTEE_KIND = "peoples_committee"
PEOPLES_COMMITTEE_ABBREVIATION = "UBND"


def load_administrative_units(unit_model: Any) -> int:
    """Everything the migrations load: the units, their former names, one UBND each. Safe to run again.

    Takes the unit model (the real one, or a migration's) and finds the others beside it.
    """
    count = load_units(unit_model)
    apps = unit_model._meta.apps
    name_model = apps.get_model("agreements", "AdministrativeUnitName")
    body_model = apps.get_model("agreements", "Body")
    load_former_names(unit_model, name_model)
    load_peoples_committees(unit_model, body_model)
    fill_derived_fields(unit_model, name_model, body_model)
    return count


def load_former_names(unit_model: Any, name_model: Any) -> None:
    for key, rows in FORMER_NAMES.items():
        unit = unit_model.objects.get(key=key, valid_from=None)
        for row in rows:
            name_model.objects.update_or_create(
                unit=unit,
                name=row.name,
                defaults={
                    "short_name": row.short_name,
                    "valid_from": row.valid_from,
                    "valid_to": row.valid_to,
                    "basis": row.basis,
                },
            )


def _peoples_committee_of(unit: Any, body_model: Any) -> Any:
    """The unit's UBND if the database has it (by the demo's key, else any UBND that ends with the unit)."""
    exact = body_model.objects.filter(unit=unit, name=peoples_committee_name(unit.name), valid_from=unit.valid_from)
    if (body := exact.first()) is not None:
        return body
    ending_with_unit = Q(valid_to__isnull=True) | Q(valid_to=unit.valid_to)
    same_kind = body_model.objects.filter(ending_with_unit, unit=unit, kind=PEOPLES_COMMITTEE_KIND, parent=None)
    return same_kind.order_by("pk").first()


def load_peoples_committees(unit_model: Any, body_model: Any) -> dict[int, Any]:
    """One UBND per unit, 63 old and 34 new; an old one hands over to its successor unit's UBND.

    Bodies already in the database (the demo's, an administrator's) are kept and completed, never doubled.
    Returns unit id -> its UBND.
    """
    by_unit: dict[int, Any] = {}
    # Today's units first, so that the old ones can name their successor.
    for unit in sorted(unit_model.objects.all(), key=lambda u: (u.valid_to is not None, u.code)):
        body = _peoples_committee_of(unit, body_model)
        if body is None:
            body = body_model(unit=unit, name=peoples_committee_name(unit.name), valid_from=unit.valid_from)
        body.kind = PEOPLES_COMMITTEE_KIND
        body.abbreviation = body.abbreviation or PEOPLES_COMMITTEE_ABBREVIATION
        if body.valid_to is None:
            body.valid_to = unit.valid_to
        if body.successor_id is None and unit.successor_id is not None:
            body.successor = by_unit[unit.successor_id]
        body.save()
        by_unit[unit.pk] = body
    return by_unit


def unit_names(unit_model: Any, name_model: Any) -> dict[int, list[tuple[str, str]]]:
    """Unit id -> every (name, short name) it has had, today's first."""
    names: dict[int, list[tuple[str, str]]] = {
        pk: [(name, short)] for pk, name, short in unit_model.objects.values_list("pk", "name", "short_name")
    }
    for unit_id, name, short in name_model.objects.order_by("valid_to").values_list("unit_id", "name", "short_name"):
        names[unit_id].append((name, short))
    return names


def fill_derived_fields(unit_model: Any, name_model: Any, body_model: Any) -> None:
    """What the models fill on save, for rows written before (or around) it: search names, functions, ends.

    A body of a unit that ended is valid until the unit ended, unless it says otherwise.
    """
    names = unit_names(unit_model, name_model)
    units = {unit.pk: unit for unit in unit_model.objects.all()}
    for unit in units.values():
        unit.search_name = unit_search_text(names[unit.pk])
    unit_model.objects.bulk_update(units.values(), ["search_name"])
    bodies = list(body_model.objects.all())
    for body in bodies:
        unit = units[body.unit_id]
        ends = unit.valid_to
        if body.valid_to is None and ends is not None and (body.valid_from is None or body.valid_from <= ends):
            body.valid_to = ends
        body.function = body.function or default_function(body.kind, body.name, names[body.unit_id])
        body.search_name = body_search_text(body.name, body.abbreviation)
    body_model.objects.bulk_update(bodies, ["valid_to", "function", "search_name"])
