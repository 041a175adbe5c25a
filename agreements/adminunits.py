"""Province-level units before and after Resolution 202/2025/QH15, read from `vietnamadminunits`.

The package ships the 63-unit list, the 34-unit list and the old→new mapping; nothing
here is typed by hand.  A unit whose territory did not change (same key, mapped 1:1) is
one record valid throughout; every other old unit ends on 30/06/2025 with the merged
unit, valid from 01/07/2025, as its successor.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import vietnamadminunits
from vietnamadminunits.database.main import query

from agreements.merger import LAST_DAY_BEFORE_MERGER, MERGER_DATE


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


def load_administrative_units(unit_model: Any) -> int:
    """Create or update all units; returns how many rows exist afterwards. Safe to run again."""
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
