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

import vietnamadminunits
from vietnamadminunits.database.main import query


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
