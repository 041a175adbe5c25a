"""Text folding for search: Vietnamese diacritics and case do not matter ("tay ninh" finds "TÂY NINH")."""

from __future__ import annotations

import unicodedata

# đ/Đ are letters of their own, not d with a combining mark: NFD leaves them alone.
_SPECIAL = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Lower case, without diacritics, with runs of white space made one space."""
    decomposed = unicodedata.normalize("NFD", text.translate(_SPECIAL))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())
