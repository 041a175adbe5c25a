"""Text as people type it: folded for search (diacritics and case do not matter: "tay ninh" finds "TÂY NINH"),
composed (NFC) before it is stored, and refused when it holds characters nobody types."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from django.db import models
from django.utils import translation

# đ/Đ are letters of their own, not d with a combining mark: NFD leaves them alone.
_SPECIAL = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Lower case, without diacritics, with runs of white space made one space."""
    decomposed = unicodedata.normalize("NFD", text.translate(_SPECIAL))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


# What nobody types on purpose: the control characters but tab and the line breaks (C0, DEL, C1), the
# halves of a surrogate pair (never valid alone) and the two non-characters.  PostgreSQL refuses NUL in
# text outright (a 500 if it got there); XML, hence the PDFs, forbids the rest.  They come with text
# copied from other software, and their place is shown nowhere, so they are refused rather than kept.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def has_unprintable(text: str) -> bool:
    """True when the text holds a character nobody types (see _UNPRINTABLE): refuse it, never store it."""
    return _UNPRINTABLE.search(text) is not None


def composed(text: str) -> str:
    """The text in NFC: Vietnamese typed on some systems, or copied from a PDF, arrives decomposed (NFD:
    "a" + U+0302 + U+0301 for "ấ"), which looks the same but is another string to every comparison."""
    return unicodedata.normalize("NFC", text)


def excerpt(text: str, limit: int = 40) -> str:
    """A piece of what a person typed, safe to quote in a message: every invisible or control character
    (bidi overrides among them, which would turn the rest of the sentence around) shown as "�"."""
    shown = "".join("\ufffd" if unicodedata.category(ch).startswith("C") else ch for ch in composed(text.strip()))
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters for a label, cut after a whole word with "…" (a word cut in two reads as
    another word in Vietnamese: "Tổ chức hội ngh…"); the page gives the full text beside it, e.g. in a title."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut:  # the limit falls inside a word: drop that word
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.–-") + "…"


@functools.cache
def _labels(choices: type[models.Choices], language: str | None) -> tuple[tuple[Any, str], ...]:
    return tuple((value, str(label)) for value, label in choices.choices)


def choice_labels(choices: type[models.Choices]) -> tuple[tuple[Any, str], ...]:
    """Every (value, label) of `choices` in the active language, translated once per language: a dashboard
    counts commitments by status per agreement, item and sector, six lazy labels translated for each."""
    return _labels(choices, translation.get_language())


def choice_label(choices: type[models.Choices], value: Any) -> str:
    """A choice's label by its value, as `get_FOO_display()` gives it, for models whose display is on hot pages.

    Django's own `get_FOO_display` turns the field's choices into a hashable dict on every call: on an
    agreement page (a matrix of 740 reports, 250 commitments) that was a tenth of the page's time.  A
    value not among the choices is shown as it is, as Django does.
    """
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)
