"""Names of units and bodies: the place part of a body's name, and the folded text searches run on.

Plain functions free of models, so that the data migrations can use them as the models do.
A body's name is its *function* (tên cơ quan không kèm địa danh, "Sở Công Thương") followed by
the name of the place it serves ("tỉnh Long An", or the short "Long An"); the function is what
a department of an old province and its counterpart in the merged one have in common.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.text import fold

PEOPLES_COMMITTEE = "Ủy ban nhân dân"

# What may stand between a function and its place: "Sở Công Thương tỉnh Long An",
# "Sở Công Thương, tỉnh Long An", "Sở Công Thương - Long An".
_SEPARATORS = (" ", ", ", " - ", " – ")
# Dashes are typed as hyphens, en or em dashes ("Bà Rịa - Vũng Tàu", "Bà Rịa – Vũng Tàu").
_DASHES = str.maketrans({"–": "-", "—": "-"})


def search_key(text: str) -> str:
    """The form stored in, and looked for in, the `search_name` columns: no diacritics, lower case."""
    return fold(text.translate(_DASHES))


def search_text(*names: str) -> str:
    """Several names in one column, "|" apart so that a search never matches across two of them."""
    keys: list[str] = []
    for name in names:
        key = search_key(name)
        if key and key not in keys:
            keys.append(key)
    return " | ".join(keys)


def body_search_text(name: str, abbreviation: str) -> str:
    return search_text(name, abbreviation)


def unit_search_text(names: Iterable[tuple[str, str]]) -> str:
    """Every (full, short) name a unit has had, with the usual "TP" for a city."""
    texts: list[str] = []
    for name, short_name in names:
        texts += [name, short_name]
        if search_key(name).startswith("thanh pho "):
            texts.append(f"TP {short_name}")
    return search_text(*texts)


def in_sentence(unit_name: str) -> str:
    """A unit's full name inside a body's name: "Tỉnh Long An" -> "tỉnh Long An"."""
    return unit_name[:1].lower() + unit_name[1:]


def peoples_committee_name(unit_name: str) -> str:
    """ "Ủy ban nhân dân tỉnh Long An", "Ủy ban nhân dân thành phố Hồ Chí Minh"."""
    return f"{PEOPLES_COMMITTEE} {in_sentence(unit_name)}"


def place_forms(name: str, short_name: str) -> tuple[str, str, str]:
    """The ways a body's name ends with its place: "tỉnh Long An", "Tỉnh Long An", "Long An"."""
    return (in_sentence(name), name, short_name)


def split_place(body_name: str, places: Iterable[tuple[str, str]]) -> tuple[str, int, tuple[str, str]] | None:
    """(function, which form, which (name, short name)) when the body's name ends with one of the places.

    The longest match wins, so "Sở Công Thương tỉnh Thừa Thiên Huế" is not read as ending in "Huế".
    """
    best: tuple[str, int, tuple[str, str]] | None = None
    best_length = 0
    for place in places:
        for index, form in enumerate(place_forms(*place)):
            if not form or len(form) <= best_length or not body_name.endswith(form):
                continue
            head = body_name[: -len(form)]
            for separator in _SEPARATORS:
                if head.endswith(separator) and head[: -len(separator)].strip():
                    best, best_length = (head[: -len(separator)].strip(), index, place), len(form)
                    break
    return best


def function_of(body_name: str, places: Iterable[tuple[str, str]]) -> str:
    """ "Sở Công Thương" for "Sở Công Thương tỉnh Long An"; empty when the name names no known place."""
    found = split_place(body_name, places)
    return found[0] if found is not None else ""


def default_function(kind: str, body_name: str, places: Iterable[tuple[str, str]]) -> str:
    """The function a body gets when none is typed: every People's Committee's is "Ủy ban nhân dân"."""
    return PEOPLES_COMMITTEE if kind == "peoples_committee" else function_of(body_name, places)


def renamed(body_name: str, places: Iterable[tuple[str, str]], then: tuple[str, str]) -> str:
    """The body's name with its place written as `then` ((name, short name) of another time)."""
    found = split_place(body_name, places)
    if found is None:
        return body_name
    _function, index, place = found
    old_form = place_forms(*place)[index]
    return body_name[: -len(old_form)] + place_forms(*then)[index]
