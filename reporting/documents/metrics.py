"""Text widths from the embedded font's own metrics, for the rules Decree 30 sizes after a line of text."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

FONTS = {False: "fonts/LiberationSerif-Regular.ttf", True: "fonts/LiberationSerif-Bold.ttf"}


@lru_cache(maxsize=2)
def _metrics(bold: bool) -> tuple[dict[int, str], Any, int]:
    found = finders.find(FONTS[bold])
    if not found:
        raise FileNotFoundError(FONTS[bold])
    font = TTFont(Path(str(found)), lazy=True)
    return font.getBestCmap(), font["hmtx"], int(font["head"].unitsPerEm)


def text_width_pt(text: str, size_pt: float, *, bold: bool = False) -> float:
    """Advance width of `text` set in Liberation Serif at `size_pt` (no kerning: a rule needs no more)."""
    cmap, hmtx, units = _metrics(bold)
    fallback = cmap.get(ord("n"), ".notdef")
    return float(sum(hmtx[cmap.get(ord(char), fallback)][0] for char in text) * size_pt / units)
