"""Hostile input for the property tests (issue 12): what a careless paste, a broken keyboard layout or an
attacker sends to a form, a filter, a command.

The strategies mix fixed nasties (huge and non-finite numbers, NUL and control characters, decomposed
Vietnamese, bidi marks, emoji) with random text; `FAST` keeps hypothesis quick and the same on every
run (no example database, derandomized).  `rolled_back()` undoes one example's writes, so that the
examples of one test start from the same data.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

FAST = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
# For the slow examples (a password hashed, a document's page): fewer of them.
FEW = settings(FAST, max_examples=10)

NFD_TAY_NINH = unicodedata.normalize("NFD", "Tây Ninh")
# Each alone, and glued to each other and to random text by `hostile_text`.
NASTIES = [
    "9" * 400,
    "-" + "9" * 400,
    "9" * 5000,  # beyond int()'s 4,300 digits
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "1e309",
    "1e-400",
    "0x1F",
    "1_000",
    "1.2.3,4,5",
    "101.000",
    "6,6",
    "4.3",
    "-0",
    "²",
    "٣",
    "１２",
    "\x00",
    "a\x00b",
    "\x01\x02\x1b[31m\x7f",
    "\x85\x9f",
    "\x0b\x0c",
    "\ufeff",
    "\ufffe",
    "\u200f\u202e\u2066",
    "😀",
    "👨\u200d👩\u200d👧",
    NFD_TAY_NINH,
    unicodedata.normalize("NFD", "Nghị định 30/2020/NĐ-CP, điều 8, khoản 3; ấ ặ ữ ỹ"),
    "   ",
    "\t\r\n",
    "\u3000\u00a0",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "{{ 7*7 }}%(x)s{}",
    "//evil.example/",
    "http://[::1",
    "report_detail",
    "/\x01",
]
VIETNAMESE = set("ăâđêôơưáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


def hostile_text(long: int | None = None, *, surrogates: bool = False) -> st.SearchStrategy[str]:
    """One nasty, random text, or a few of them glued; `long`: also text of that many characters.

    Lone surrogates cannot travel in a UTF-8 request (the test client could not encode them): they are
    for the pure functions only (`surrogates=True`).
    """
    alphabet = st.characters() if surrogates else st.characters(exclude_categories=["Cs"])
    pieces = st.one_of(st.sampled_from(NASTIES), st.text(alphabet, max_size=20))
    if long is not None:
        pieces = st.one_of(pieces, st.just("ạ" * long))
    return st.lists(pieces, min_size=1, max_size=3).map("".join)


def vietnamese(text: str) -> bool:
    """A message a Vietnamese reader reads: it has letters no other language writes."""
    return bool(VIETNAMESE & set(text.lower()))


def page_errors(html: str) -> list[str]:
    """The error messages of a page: field errors, form errors and the messages framework's."""
    found = re.findall(
        r'<(?:p|li|div|ul)[^>]*class="(?:[^"]* )?(?:error|errorlist|errornote|msg-error)(?: [^"]*)?"[^>]*>(.*?)</(?:p|li|div)>',
        html,
        re.S,
    )
    return [re.sub(r"<[^>]+>", "", text).strip() for text in found if text.strip()]


@contextmanager
def rolled_back() -> Iterator[None]:
    """Whatever happens inside is undone (a savepoint in the test's transaction)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
