"""What an agreement's text says: a Proposal of its kind, title, number, date, place, period, parties,
objectives and numbered items, each marked as found in the text, guessed from it, or missing.

Pure functions of the text, no database: agreements.importing.matching finds the bodies the parties name.
The text is read line by line, as it comes from a .docx, a .pdf (lines broken in mid-sentence, words cut
with a hyphen), a .txt (Windows line ends) or the clipboard; every line the proposal does not use is
listed in `unparsed`, so that the coordinator sees what was left out.
"""

from __future__ import annotations

import datetime
import re
import statistics
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, TypeVar

from django.utils.translation import gettext as _

from agreements.importing.reading import clean_text
from core.text import fold

T = TypeVar("T")


class Confidence(StrEnum):
    FOUND = "found"  # written in the text as such ("Ngày 14/10/2011")
    GUESSED = "guessed"  # put together from the text (a title from the first sentence): to be checked
    MISSING = "missing"  # not in the text: to be filled in


@dataclass(frozen=True)
class Found(Generic[T]):
    value: T
    confidence: Confidence = Confidence.MISSING
    line: int | None = None  # the source line it was read from

    @property
    def found(self) -> bool:
        return self.confidence is Confidence.FOUND

    @property
    def needs_check(self) -> bool:
        return self.confidence is not Confidence.FOUND


def _missing(value: T) -> Found[T]:
    return Found(value, Confidence.MISSING, None)


@dataclass(frozen=True)
class PartyMention:
    """A body the text names as a party: "Sở Công Thương tỉnh Long An" (function + place when told apart)."""

    name: str
    confidence: Confidence
    line: int | None = None
    function: str = ""
    place: str = ""
    signatory_name: str = ""
    signatory_title: str = ""


@dataclass(frozen=True)
class ItemProposal:
    number: int
    text: str
    sectors: tuple[str, ...]  # sector codes, the main one first
    lines: tuple[int, ...]


@dataclass(frozen=True)
class Proposal:
    lines: tuple[str, ...]
    kind: Found[str]
    title: Found[str]
    number: Found[str]
    signed_on: Found[datetime.date | None]
    signed_at: Found[str]
    period_start: Found[datetime.date | None]
    period_end: Found[datetime.date | None]
    objectives: Found[str]
    coordinating_office: Found[str]
    parties: tuple[PartyMention, ...]
    items: tuple[ItemProposal, ...]
    unparsed: tuple[int, ...]
    warnings: tuple[str, ...] = ()

    def missing(self) -> list[str]:
        """What an agreement needs and the text did not give, in words (empty: complete)."""
        gaps = []
        if not self.title.value:
            gaps.append(_("tên văn bản"))
        if self.period_start.value is None or self.period_end.value is None:
            gaps.append(_("giai đoạn thực hiện"))
        if len(self.parties) < 2:
            gaps.append(_("các bên tham gia (ít nhất hai)"))
        if not self.items:
            gaps.append(_("các nội dung hợp tác được đánh số"))
        return gaps

    @property
    def is_empty(self) -> bool:
        """Nothing of an agreement was recognised: no items, no parties, no period, no date."""
        return not (self.items or self.parties or self.period_start.value or self.signed_on.value)

    def unparsed_lines(self) -> list[tuple[int, str]]:
        return [(index + 1, self.lines[index]) for index in self.unparsed]


# --- kinds ---------------------------------------------------------------------------------------

# Agreement.Kind values (agreements.models), longest words first: "biên bản ghi nhớ" before "kế hoạch".
AGREEMENT, PROGRAMME, PLAN, MEMORANDUM = "agreement", "programme", "plan", "memorandum"
KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("bien ban ghi nho", MEMORANDUM),
    ("ban ghi nho", MEMORANDUM),
    ("thoa thuan", AGREEMENT),
    ("chuong trinh", PROGRAMME),
    ("ke hoach", PLAN),
)
# In running text "kế hoạch" and "chương trình" are common words: they name the document only when
# followed by a word of cooperation ("kế hoạch hợp tác"); "thỏa thuận" and "ghi nhớ" always do.
_PROSE_KIND = re.compile(
    r"\b(bien ban ghi nho|ban ghi nho|thoa thuan|(?:chuong trinh|ke hoach) (?:hop tac|lien ket|phoi hop))\b"
)

# --- letters ------------------------------------------------------------------------------------

_UPPER = "".join(ch for ch in map(chr, range(0xC0, 0x1F00)) if ch.isupper() and ch.isalpha())
_LOWER = "".join(ch for ch in map(chr, range(0xC0, 0x1F00)) if ch.islower() and ch.isalpha())
CAP = f"[A-Z{re.escape(_UPPER)}]"
WORD_CHARS = f"A-Za-z0-9{re.escape(_UPPER + _LOWER)}"
CAP_WORD = f"{CAP}[{WORD_CHARS}]*"
# A place: capitalised words ("Long An", "Thừa Thiên Huế", "Bà Rịa - Vũng Tàu", "Hồ Chí Minh").
PLACE = rf"{CAP_WORD}(?:[ ]{CAP_WORD}){{0,3}}(?:[ ]?[-–][ ]?{CAP_WORD}(?:[ ]{CAP_WORD}){{0,2}})?"
_COUNT_WORDS = r"(?:hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|các)"
_LEVEL = r"(?:tỉnh,?\s+thành\s+phố|tỉnh|thành\s+phố)"
_BODY_START = r"(?:Sở|Ủy\s+ban\s+nhân\s+dân|Uỷ\s+ban\s+nhân\s+dân|UBND|Ban|Văn\s+phòng|Trung\s+tâm|Hội|Cục|Bộ)"
_SIGNER = r"(?:Phó\s+Giám\s+đốc|Giám\s+đốc|Phó\s+Chủ\s+tịch|Chủ\s+tịch|Trưởng\s+ban|Phó\s+Trưởng\s+ban)"


def _is_upper_line(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 4 and all(ch.isupper() for ch in letters)


def _squash(text: str) -> str:
    return " ".join(text.split())


def _expand_body(function: str) -> str:
    function = _squash(function)
    return re.sub(r"^(?:UBND|Uỷ ban nhân dân)\b", "Ủy ban nhân dân", function)


# Words a heading written in capitals keeps capitalised when it is put in sentence case.
_PROPER_AFTER = re.compile(
    r"\b(tỉnh|thành phố|tp\.?)\s+((?:[^\s,.;:()]+\s*){1,4}?)(?=\s+(?:và|giữa|về|giai|năm)\b|[,.;:()]|$)"
)


def sentence_case(text: str) -> str:
    """A heading in capitals as a title is written: "THỎA THUẬN HỢP TÁC GIỮA TỈNH LONG AN VÀ TỈNH TÂY NINH"
    -> "Thỏa thuận hợp tác giữa tỉnh Long An và tỉnh Tây Ninh"."""
    lowered = _squash(text).lower()
    lowered = _PROPER_AFTER.sub(lambda m: f"{m.group(1)} {m.group(2).title()}", lowered)
    for plain, proper in (
        ("sở công thương", "Sở Công Thương"),
        ("ủy ban nhân dân", "Ủy ban nhân dân"),
        ("ubnd", "UBND"),
        ("sở ", "Sở "),
    ):
        lowered = lowered.replace(plain, proper)
    return lowered[:1].upper() + lowered[1:]


# --- lines ----------------------------------------------------------------------------------------

NUMBERED, LETTERED, DASHED = "numbered", "lettered", "dashed"
# More than any real agreement has (ten parties, a few dozen items): what the proposal form can hold.
MAX_ITEMS, MAX_PARTIES = 200, 50
_NUMBER_MARK = re.compile(r"^\s*(\d{1,2})\s*[.)](?![\d/])\s*(?=\S)(.*)$")
_LETTER_MARK = re.compile(r"^\s*([a-zđ])\s*\)\s*(?=\S)(.*)$")
_DASH_MARK = re.compile(r"^\s*[-–—•●○▪■◦+*]\s*(?=\S)(.*)$")
_ROMAN_HEADING = re.compile(r"^\s*[IVX]{1,5}\s*[.)/-]\s+\S")
_ARTICLE_HEADING = re.compile(r"^\s*(?:Điều|ĐIỀU)\s+\d{1,3}\s*[.:]")
_SECTION_WORDS = re.compile(
    r"\b(muc tieu|noi dung|nhiem vu|to chuc thuc hien|trach nhiem|dieu khoan|hieu luc|linh vuc|phuong thuc)\b"
)
_MOTTO = re.compile(r"cong hoa xa hoi chu nghia viet nam|doc lap\s*-\s*tu do\s*-\s*hanh phuc")
_END_MARKS = re.compile(r"^(noi nhan|dai dien|tm\.|kt\.|thay mat|giam doc|chu tich|pho giam doc|pho chu tich)\b")
_SENTENCE_END = re.compile(r"[.;:!?…]\s*$")


@dataclass(frozen=True)
class Line:
    index: int
    text: str
    folded: str
    indent: int
    marker: str  # NUMBERED, LETTERED, DASHED or ""
    value: int  # the marker's number (a -> 1); 0 for a dash
    rest: str  # the text after the marker

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def is_heading(self) -> bool:
        """A section heading: "II. NỘI DUNG HỢP TÁC", "Điều 2. ...", a line in capitals, "Nội dung ... gồm:"."""
        text = self.text.strip()
        if not text:
            return False
        if _ROMAN_HEADING.match(text) or _ARTICLE_HEADING.match(text):
            return True
        if _is_upper_line(text) and len(text) <= 160:
            return True
        return bool(len(text) <= 160 and text.endswith(":") and _SECTION_WORDS.search(self.folded) and not self.marker)


def _after(lines: Sequence[Line], start: int) -> Iterator[Line]:
    """The lines from `start` on, without copying the rest of the list at every call."""
    for index in range(start, len(lines)):
        yield lines[index]


def _classify(index: int, text: str) -> Line:
    indent = len(text) - len(text.lstrip(" "))
    folded = fold(text)
    if match := _NUMBER_MARK.match(text):
        return Line(index, text, folded, indent, NUMBERED, int(match.group(1)), match.group(2).strip())
    if match := _LETTER_MARK.match(text):
        return Line(index, text, folded, indent, LETTERED, ord(match.group(1)) - ord("a") + 1, match.group(2).strip())
    if match := _DASH_MARK.match(text):
        return Line(index, text, folded, indent, DASHED, 0, match.group(1).strip())
    return Line(index, text, folded, indent, "", 0, text.strip())


def join_lines(parts: Iterable[str]) -> str:
    """Lines of one paragraph joined back: a word cut with a hyphen at the end of a line made whole again
    ("hỗ-" + "trợ" -> "hỗtrợ" is not Vietnamese, so only a letter-hyphen before a lower-case letter counts)."""
    text = ""
    for part in parts:
        piece = part.strip()
        if not piece:
            continue
        if re.search(rf"[{WORD_CHARS}]-$", text) and piece[:1].islower() and not re.search(r"\s-$", text):
            text = text[:-1] + piece
        else:
            text = f"{text} {piece}" if text else piece
    return _squash(text) if "\n" not in text else text


# --- the proposal ---------------------------------------------------------------------------------


@dataclass
class _Reader:
    lines: list[Line]
    text: str  # the lines joined, with a space where a sentence goes on over a line break (same offsets)
    raw: str  # the lines joined with "\n"
    starts: list[int]  # offset of each line in `text`
    used: set[int] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, text: str) -> _Reader:
        raw = clean_text(text).split("\n")
        lines = [_classify(i, line) for i, line in enumerate(raw)]
        starts, offset, flat = [], 0, []
        for line, following in zip(lines, [*lines[1:], None], strict=True):
            starts.append(offset)
            offset += len(line.text) + 1
            # A line broken in mid-sentence (a PDF's) is searched as one with the next: "Tây\nNinh" is a place.
            soft = following is not None and not (
                line.blank or following.blank or following.marker or following.is_heading
            )
            soft = soft and not _SENTENCE_END.search(line.text)
            flat.append(line.text + (" " if soft else "\n"))
        return cls(lines, "".join(flat)[:-1] if flat else "", "\n".join(raw), starts)

    def line_at(self, offset: int) -> int:
        return max(0, bisect_right(self.starts, offset) - 1)

    def lines_of(self, start: int, end: int) -> set[int]:
        return set(range(self.line_at(start), self.line_at(max(start, end - 1)) + 1))

    def use(self, indexes: Iterable[int]) -> None:
        self.used.update(indexes)

    def search(self, pattern: re.Pattern[str], *, skip_bases: bool = True) -> re.Match[str] | None:
        """The first match outside the legal bases ("Căn cứ Nghị định số ... ngày ..."), which cite other documents."""
        for match in pattern.finditer(self.text):
            if skip_bases and self.lines[self.line_at(match.start())].folded.startswith("can cu"):
                continue
            return match
        return None


_DATE_NUMERIC = re.compile(r"\b[Nn]gày\s+(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\b")
_DATE_WORDS = re.compile(r"\b[Nn]gày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})\b")
# "Tây Ninh, ngày 14 tháng 10 năm 2011": where and when the document was issued, at the top.
_PLACE_DATE = re.compile(rf"(?m)(?:^|\s{{2,}})(?P<place>{PLACE})\s*,\s*[Nn]gày\s+\d{{1,2}}\s*(?:tháng|/)")
_AT_PLACE = re.compile(r"\btại\s+(?P<place>[^,;:\n()]{3,120}?)\s*(?=[,;:()]|\.(?:\s|$)|\n\n|$|\s+(?:đã|vào|giữa|về)\s)")
_PERIOD_RANGE = re.compile(
    r"\b(?:giai\s+đoạn|thời\s+kỳ|từ\s+năm|trong\s+các\s+năm|các\s+năm)\s+(\d{4})\s*(?:[-–—]|đến(?:\s+năm)?)\s*(\d{4})\b",
    re.IGNORECASE,
)
_BARE_RANGE = re.compile(r"\b((?:19|20)\d{2})\s*[-–—]\s*((?:19|20)\d{2})\b")
_ONE_YEAR = re.compile(r"(?<!tháng \d)(?<!tháng \d\d)\bnăm\s+((?:19|20)\d{2})\b", re.IGNORECASE)
_NUMBER = re.compile(r"(?m)(?:^|\s{2,})Số\s*:?\s*(\d{1,4}\s*/\s*[0-9A-ZĐa-zđ][0-9A-ZĐa-zđ./-]{0,40})")
_OBJECTIVES = re.compile(
    r"^\s*(?:[IVX]{1,5}\s*[.)/-]\s*|\d{1,2}\s*[.)]\s*|(?:Điều|ĐIỀU)\s+\d{1,3}\s*[.:]?\s*)?"
    r"(?:các\s+)?mục\s+tiêu(?:\s+(?:hợp\s+tác|chung|cụ\s+thể|liên\s+kết))*"
    r"\s*(?:bao\s+gồm|gồm|là|như\s+sau)?\s*[:.]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_ITEMS_HEADING = re.compile(
    r"\b(noi dung|cac noi dung|nhiem vu|linh vuc)( hop tac| lien ket| phoi hop| cu the| chu yeu)*\b"
)
_OFFICE = re.compile(
    r"bộ\s+phận\s+điều\s+phối[^.;]{0,200}?(?:\(\s*(?P<paren>Phòng[^)]{2,100})\)|(?:là\s+)(?P<plain>Phòng[^,.;()]{2,100}))",
    re.IGNORECASE,
)
_TITLE_PROSE = re.compile(
    r"(?P<word>thỏa\s+thuận|thoả\s+thuận|chương\s+trình|kế\s+hoạch|biên\s+bản\s+ghi\s+nhớ)"
    r"(?:\s+hợp\s+tác)?\s+(?:các\s+nội\s+dung\s+|về\s+(?:việc\s+)?)?"
    r"(?P<subject>(?:liên\s+kết|hợp\s+tác|phối\s+hợp)[^.;:\n]{5,240}?)(?=\s*(?:[.;:]|\n|$|\s+giữa\s))",
    re.IGNORECASE,
)


def _date(day: str, month: str, year: str) -> datetime.date | None:
    try:
        value = datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return value if 1945 <= value.year <= 2100 else None


def parse(text: str) -> Proposal:
    """Everything the text says about the agreement; never raises, whatever the text."""
    reader = _Reader.of(text)
    heading = _title_heading(reader)
    kind = _kind(reader, heading)
    number = _number(reader)
    signed_on, signed_at = _signing(reader)
    period_start, period_end = _period(reader, heading)
    parties = _parties(reader)
    width = _layout_width(reader)
    objectives = _objectives(reader, width)
    items = _items(reader, width)
    office = _office(reader)
    title = _title(reader, heading, kind, parties)
    _motto_and_marks(reader, heading)
    unparsed = tuple(line.index for line in reader.lines if not line.blank and line.index not in reader.used)
    return Proposal(
        lines=tuple(line.text for line in reader.lines),
        kind=kind,
        title=title,
        number=number,
        signed_on=signed_on,
        signed_at=signed_at,
        period_start=period_start,
        period_end=period_end,
        objectives=objectives,
        coordinating_office=office,
        parties=tuple(parties),
        items=tuple(items),
        unparsed=unparsed,
        warnings=tuple(reader.warnings),
    )


def _title_heading(reader: _Reader) -> tuple[list[int], str] | None:
    """The title block of a formal document: a line in capitals starting with the kind ("THỎA THUẬN HỢP TÁC"),
    with the lines that go on with it ("Về ...", "giữa ... và ..."), within the first lines."""
    for line in reader.lines[:40]:
        folded = line.folded.removeprefix("ban ")
        if not (_is_upper_line(line.text) and any(folded.startswith(word) for word, _kind in KIND_WORDS)):
            continue
        indexes, parts = [line.index], [sentence_case(line.text)]
        for follower in reader.lines[line.index + 1 : line.index + 5]:
            starts = follower.folded.split(" ", 1)[0] if follower.folded else ""
            if follower.blank or follower.marker or follower.folded.startswith("can cu"):
                break
            if _is_upper_line(follower.text) and len(follower.text) < 200 and not _MOTTO.search(follower.folded):
                parts.append(sentence_case(follower.text)[:1].lower() + sentence_case(follower.text)[1:])
            elif starts in ("ve", "v/v", "giua", "giai") or follower.text.strip()[:1].islower():
                rest = follower.text.strip()
                parts.append(rest[:1].lower() + rest[1:] if starts == "ve" else rest)
            else:
                break
            indexes.append(follower.index)
        return indexes, _squash(" ".join(parts))
    return None


def _kind(reader: _Reader, heading: tuple[list[int], str] | None) -> Found[str]:
    if heading is not None:
        folded = fold(heading[1]).removeprefix("ban ")
        for word, kind in KIND_WORDS:
            if folded.startswith(word):
                return Found(kind, Confidence.FOUND, heading[0][0])
    for line in reader.lines:
        if line.folded.startswith("can cu"):
            continue
        if match := _PROSE_KIND.search(line.folded):
            word = match.group(1)
            kind = next(k for w, k in KIND_WORDS if word.startswith(w))
            return Found(kind, Confidence.GUESSED, line.index)
    return Found(AGREEMENT, Confidence.MISSING, None)


def _number(reader: _Reader) -> Found[str]:
    header = "\n".join(line.text for line in reader.lines[:15])
    if match := _NUMBER.search(header):
        value = re.sub(r"\s*/\s*", "/", match.group(1)).rstrip("./-")
        reader.use({reader.line_at(match.start(1))})
        return Found(value, Confidence.FOUND, reader.line_at(match.start(1)))
    return _missing("")


def _signing(reader: _Reader) -> tuple[Found[datetime.date | None], Found[str]]:
    found: list[tuple[int, datetime.date, re.Match[str]]] = []
    for pattern in (_DATE_NUMERIC, _DATE_WORDS):
        if (match := reader.search(pattern)) is not None:
            day = _date(*match.groups())
            if day is not None:
                found.append((match.start(), day, match))
    if not found:
        place = reader.search(_AT_PLACE)
        return _missing(None), (
            Found(_squash(place.group("place")), Confidence.GUESSED, reader.line_at(place.start()))
            if place is not None and "ký" in reader.text[max(0, place.start() - 80) : place.start()]
            else _missing("")
        )
    start, day, match = min(found, key=lambda f: f[0])
    line = reader.line_at(start)
    reader.use(reader.lines_of(match.start(), match.end()))
    signed_on: Found[datetime.date | None] = Found(day, Confidence.FOUND, line)
    # "Ngày 14/10/2011 tại Sở Công Thương tỉnh Tây Ninh": the place follows the date in the same sentence.
    after = reader.text[match.end() : match.end() + 200]
    at = _AT_PLACE.match(after.lstrip(" ,")) if after.lstrip(" ,").startswith("tại") else None
    if at is not None:
        reader.use(reader.lines_of(match.start(), match.end() + len(after) - len(after.lstrip(" ,")) + at.end()))
        return signed_on, Found(_squash(at.group("place")), Confidence.FOUND, line)
    header = _PLACE_DATE.search(reader.raw[max(0, match.start() - 80) : match.end()])
    if header is not None:
        return signed_on, Found(_squash(header.group("place")), Confidence.FOUND, line)
    return signed_on, _missing("")


def _period(
    reader: _Reader, heading: tuple[list[int], str] | None
) -> tuple[Found[datetime.date | None], Found[datetime.date | None]]:
    def years(
        first: int, last: int, confidence: Confidence, line: int, span: set[int] | None = None
    ) -> tuple[Found[datetime.date | None], ...]:
        if not (1945 <= first <= last <= 2100):
            return _missing(None), _missing(None)
        reader.use(span or {line})
        return (
            Found(datetime.date(first, 1, 1), confidence, line),
            Found(datetime.date(last, 12, 31), confidence, line),
        )

    title, title_line = (heading[1], heading[0][0]) if heading is not None else ("", 0)
    for pattern, confidence in ((_PERIOD_RANGE, Confidence.FOUND), (_BARE_RANGE, Confidence.GUESSED)):
        if title and (match := pattern.search(title)) is not None:
            start, end = years(int(match.group(1)), int(match.group(2)), Confidence.FOUND, title_line)
            return start, end
        if (match := reader.search(pattern)) is not None:
            at, span = reader.line_at(match.start()), reader.lines_of(match.start(), match.end())
            start, end = years(int(match.group(1)), int(match.group(2)), confidence, at, span)
            if start.value is not None:
                return start, end
    # A yearly plan: "Kế hoạch hợp tác năm 2021" (not the year of a date: "tháng 10 năm 2011").
    if title and (match := _ONE_YEAR.search(title)) is not None:
        year = int(match.group(1))
        start, end = years(year, year, Confidence.FOUND, title_line)
        return start, end
    for line in reader.lines[:10]:
        if (match := _ONE_YEAR.search(line.text)) is not None and _PROSE_KIND.search(line.folded):
            year = int(match.group(1))
            start, end = years(year, year, Confidence.GUESSED, line.index)
            return start, end
    return _missing(None), _missing(None)


# --- parties --------------------------------------------------------------------------------------

_COLLECTIVE = re.compile(
    rf"(?:(?P<signer>{_SIGNER})\s+)?(?P<function>{_BODY_START}(?:\s+[{WORD_CHARS}-]+){{0,6}}?)\s+"
    rf"{_COUNT_WORDS}\s+(?P<level>{_LEVEL})\s*:?\s+"
    rf"(?P<places>{PLACE}(?:\s*,\s*{PLACE})*\s+và\s+(?:{_LEVEL}\s+)?{PLACE})"
)
_BETWEEN = re.compile(
    rf"\bgiữa\s+(?P<list>(?:{_COUNT_WORDS}\s+{_LEVEL}\s*:?\s*)?[^.;:\n()]{{3,300}}?)(?=[.;:()\n]|$|\s+(?:về|trong|giai\s+đoạn|năm\s+\d|nhằm|để|đã|với)\s)"
)
_PARTY_LINE = re.compile(r"^\s*(?:BÊN|Bên)\s+(?P<letter>[A-ZĐ])\s*(?:\([^)]{0,40}\))?\s*[:.-]\s*(?P<name>.{3,200})$")
_REPRESENTED = re.compile(
    r"^\s*(?:Đại\s+diện|Do|Người\s+đại\s+diện)(?:\s+là)?\s*:?\s*(?:(?:Ông|Bà)\s*:?\s+)?(?P<person>[^,–\-:()]{3,60}?)"
    r"\s*(?:[,–-]|\s+[Cc]hức\s+vụ\s*:?)\s*(?:[Cc]hức\s+vụ\s*:?\s*)?(?P<title>[^;]{3,120})$"
)
_SIGNATURE_LINE = re.compile(
    rf"^\s*(?:ĐẠI\s+DIỆN|TM\.?|KT\.?|THAY\s+MẶT)?\s*(?:(?i:{_SIGNER})\s+)?(?P<name>(?:SỞ|ỦY\s+BAN\s+NHÂN\s+DÂN|UBND|BAN)\s.{{3,150}})$"
)
_EXPLICIT = re.compile(
    rf"^(?P<function>{_BODY_START}.*?)\s*,?\s+(?P<level>tỉnh|thành\s+phố|TP\.?)\s+(?P<place>{PLACE})$"
)
_PLACE_ONLY = re.compile(rf"^(?:(?P<level>tỉnh|thành\s+phố|TP\.?)\s+)?(?P<place>{PLACE})$")


def _places(text: str) -> list[str]:
    cleaned = re.sub(rf"\b{_LEVEL}\s+", "", text)
    return [_squash(part) for part in re.split(r"\s*,\s*|\s+và\s+", cleaned) if part.strip()]


def _mention(text: str, confidence: Confidence, line: int, previous: PartyMention | None) -> PartyMention | None:
    """One named party: a body with its place, or a place alone (its People's Committee, or the same kind of
    body as the party before it: "giữa Sở Công Thương tỉnh Long An và tỉnh Tây Ninh")."""
    text = _squash(text.strip(" ,.;:"))
    if len(text) < 3 or len(text) > 200:
        return None
    if match := _EXPLICIT.match(text):
        function, place = _expand_body(match.group("function")), match.group("place")
        level = _squash(match.group("level")).replace("TP.", "thành phố").replace("TP", "thành phố")
        return PartyMention(f"{function} {level} {place}", confidence, line, function, place)
    if re.match(_BODY_START, text):
        return PartyMention(_expand_body(text), confidence, line)
    if match := _PLACE_ONLY.match(text):
        place = match.group("place")
        level = _squash(match.group("level") or "tỉnh").replace("TP.", "thành phố").replace("TP", "thành phố")
        if previous is not None and previous.function:
            return PartyMention(
                f"{previous.function} {level} {place}", Confidence.GUESSED, line, previous.function, place
            )
        return PartyMention(f"Ủy ban nhân dân {level} {place}", Confidence.GUESSED, line, "Ủy ban nhân dân", place)
    return None


def _parties(reader: _Reader) -> list[PartyMention]:
    """Who the parties are, from where the text names them: "Bên A: ...", "giữa ... và ...", "Giám đốc Sở
    Công Thương hai tỉnh Long An và Tây Ninh", the signature blocks; each body once, in the order found."""
    found: list[PartyMention] = []

    def add(mention: PartyMention | None, lines: Iterable[int]) -> None:
        if mention is None or len(found) >= MAX_PARTIES:
            return
        key = fold(mention.name)
        if any(fold(existing.name) == key for existing in found):
            return
        found.append(mention)
        reader.use(lines)

    # "Bên A: Sở Công Thương tỉnh Long An" / "Đại diện: Ông Nguyễn Văn A, Giám đốc".
    for line in reader.lines:
        if match := _PARTY_LINE.match(line.text):
            name = match.group("name")
            mention = _mention(
                sentence_case(name) if _is_upper_line(name) else name, Confidence.FOUND, line.index, None
            )
            if mention is None:
                continue
            used = {line.index}
            for follower in reader.lines[line.index + 1 : line.index + 4]:
                if _PARTY_LINE.match(follower.text):
                    break
                if represented := _REPRESENTED.match(follower.text):
                    mention = PartyMention(
                        mention.name,
                        mention.confidence,
                        mention.line,
                        mention.function,
                        mention.place,
                        _squash(represented.group("person")),
                        _squash(represented.group("title")),
                    )
                    used.add(follower.index)
                    break
            add(mention, used)
    if found:
        return found
    for match in _COLLECTIVE.finditer(reader.text):
        function = _expand_body(match.group("function"))
        level = "thành phố" if fold(match.group("level")) == "thanh pho" else "tỉnh"
        signer = _squash(match.group("signer") or "")
        at = reader.line_at(match.start())
        for place in _places(match.group("places")):
            name = f"{function} {level} {place}"
            add(
                PartyMention(name, Confidence.FOUND, at, function, place, "", f"{signer} {name}" if signer else ""),
                reader.lines_of(match.start(), match.end()),
            )
    for match in _BETWEEN.finditer(reader.text):
        at = reader.line_at(match.start())
        if reader.lines[at].folded.startswith("can cu"):
            continue
        chunk = re.sub(rf"^{_COUNT_WORDS}\s+{_LEVEL}\s*:?\s*", "", match.group("list"))
        previous: PartyMention | None = None
        mentions: list[PartyMention] = []
        for part in re.split(r"\s*,\s*|\s+và\s+", chunk):
            previous = _mention(part, Confidence.FOUND, at, previous)
            if previous is None:
                mentions = []
                break
            mentions.append(previous)
        if len(mentions) >= 2:
            for mention in mentions:
                add(mention, reader.lines_of(match.start(), match.end()))
    # The signature blocks at the end ("GIÁM ĐỐC SỞ CÔNG THƯƠNG TỈNH LONG AN"); the header's issuing body
    # ("UBND TỈNH TÂY NINH" above the title) is not a party for being there.
    for line in reader.lines[len(reader.lines) // 2 :]:
        if (match := _SIGNATURE_LINE.match(line.text)) and _is_upper_line(line.text):
            mention = _mention(sentence_case(match.group("name")), Confidence.GUESSED, line.index, None)
            if mention is not None and mention.place:
                add(mention, [line.index])
    return found


# --- objectives, items ----------------------------------------------------------------------------


def _objectives(reader: _Reader, width: int | None) -> Found[str]:
    for line in reader.lines:
        if line.folded.startswith("can cu") or "muc tieu" not in line.folded:
            continue
        match = _OBJECTIVES.match(line.text)
        if match is None:
            continue
        rest = match.group("rest").strip()
        if not rest and not line.is_heading and len(line.text) > 80:
            continue
        # "Các mục tiêu bao gồm: ..." is one paragraph; under a heading ("I. MỤC TIÊU") they run to the next one.
        parts, used, previous = ([rest] if rest else []), {line.index}, line
        for follower in _after(reader.lines, line.index + 1):
            if follower.blank:
                if parts:
                    break
                continue
            if follower.is_heading or (rest and (follower.marker or not _continues(previous, follower, width))):
                break
            parts.append(follower.text if follower.marker else follower.text.strip())
            used.add(follower.index)
            previous = follower
        text = _paragraphs(parts)
        if text:
            reader.use(used)
            return Found(text, Confidence.FOUND, line.index)
    return _missing("")


def _paragraphs(parts: Sequence[str]) -> str:
    """Lines made paragraphs again: a list marker starts a new line, any other line goes on with the last."""
    out: list[list[str]] = []
    for part in parts:
        if _classify(0, part).marker or not out:
            out.append([part.strip()])
        else:
            out[-1].append(part)
    return "\n".join(join_lines(group) for group in out).strip()


def _layout_width(reader: _Reader) -> int | None:
    """The width of a text whose paragraphs were broken into lines (a PDF), or None when each line is a paragraph."""
    lengths = sorted(len(line.text.rstrip()) for line in reader.lines if not line.blank)
    if len(lengths) < 6:
        return None
    usual = lengths[int(len(lengths) * 0.9) - 1]
    if usual > 140 or statistics.median(lengths) < 0.5 * usual:
        return None
    return usual


def _continues(previous: Line, line: Line, width: int | None) -> bool:
    """Whether a line without a marker goes on with the item above it rather than ending the list."""
    if line.is_heading or _END_MARKS.match(line.folded):
        return False
    if line.indent > previous.indent or line.indent >= 2:
        return True
    if not _SENTENCE_END.search(previous.text):
        return True
    if line.text.strip()[:1].islower():
        return True
    if width is None:
        return False
    # A sentence ended at the end of a line: the line was full (its break a wrap) if the next word would not
    # have fitted on it; a shorter line ended its paragraph. When in doubt the list ends: the lines left
    # out are shown to the coordinator, a paragraph glued to the last item might not be noticed.
    next_word = line.text.split()[0]
    return len(previous.text.rstrip()) + 1 + len(next_word) > width


@dataclass
class _Item:
    number: int
    parts: list[str]
    lines: list[int]


def _list_from(reader: _Reader, start: int, width: int | None) -> list[_Item]:
    """The list that starts at line `start`: items of its first marker's kind, with their continuation lines
    and sub-lists; it ends at a heading, at a paragraph of its own, or when the numbering starts again."""
    first = reader.lines[start]
    kind = first.marker
    items: list[_Item] = []
    previous: Line | None = None
    after_blank = False
    for line in _after(reader.lines, start):
        if line.blank:
            after_blank = True
            continue
        if line.marker == kind and (kind != NUMBERED or not items or line.value != 1):
            last = items[-1].number if items else 0
            # A numbering going back, or letters out of order: a list of its own further down.
            if items and ((kind == NUMBERED and line.value < last) or (kind == LETTERED and line.value != last + 1)):
                break
            items.append(_Item(line.value if kind == NUMBERED else len(items) + 1, [line.rest], [line.index]))
        elif line.marker == kind or previous is None:
            break
        elif line.marker and not line.is_heading:
            items[-1].parts.append("\n" + line.text.strip())
            items[-1].lines.append(line.index)
        elif (not after_blank and _continues(previous, line, width)) or (
            after_blank and not line.is_heading and line.indent > first.indent
        ):
            items[-1].parts.append(line.text)
            items[-1].lines.append(line.index)
        else:
            break
        previous = line
        after_blank = False
    return items


def _item_text(parts: Sequence[str]) -> str:
    groups: list[list[str]] = [[]]
    for part in parts:
        if part.startswith("\n"):
            groups.append([part[1:]])
        else:
            groups[-1].append(part)
    return "\n".join(join_lines(group) for group in groups if group).strip()


def _items(reader: _Reader, width: int | None) -> list[ItemProposal]:
    headers = [
        line.index
        for line in reader.lines
        if line.is_heading
        and not line.marker
        and _ITEMS_HEADING.search(line.folded)
        and "muc tieu" not in line.folded
        and line.index not in reader.used
    ]
    candidates: list[list[_Item]] = []
    for header in headers:
        for line in reader.lines[header + 1 : header + 5]:
            if line.marker in (NUMBERED, LETTERED, DASHED) and line.rest:
                candidates.append(_list_from(reader, line.index, width))
                reader.use({header})
                break
            if line.is_heading:
                break
        if candidates:
            break
    if not candidates:
        # No heading names the items: the longest list outside the objectives, numbered lists first.
        index = 0
        while index < len(reader.lines):
            line = reader.lines[index]
            if line.marker and line.index not in reader.used and (line.marker != NUMBERED or line.value == 1):
                found = _list_from(reader, index, width)
                if found:
                    candidates.append(found)
                    index = max(found[-1].lines) + 1
                    continue
            index += 1
        order = {NUMBERED: 0, LETTERED: 1, DASHED: 2}
        candidates.sort(key=lambda c: (-len(c), order.get(reader.lines[c[0].lines[0]].marker, 3)))
        candidates = candidates[:1]
    if not candidates or not candidates[0]:
        return []
    chosen = candidates[0]
    if len(chosen) > MAX_ITEMS:
        reader.warnings.append(
            _("Văn bản có %(count)d mục được đánh số; chỉ %(limit)d mục đầu được đề xuất.")
            % {"count": len(chosen), "limit": MAX_ITEMS}
        )
        chosen = chosen[:MAX_ITEMS]
    numbers = [item.number for item in chosen]
    if numbers != list(range(1, len(numbers) + 1)):
        reader.warnings.append(
            _("Các nội dung hợp tác không được đánh số liên tục từ 1 (trong văn bản: %(numbers)s); hãy kiểm tra.")
            % {"numbers": ", ".join(str(n) for n in numbers)}
        )
    proposals = []
    for item in chosen:
        reader.use(item.lines)
        text = _item_text(item.parts)
        proposals.append(ItemProposal(item.number, text, tuple(guess_sectors(text)), tuple(item.lines)))
    return proposals


def _office(reader: _Reader) -> Found[str]:
    if (match := reader.search(_OFFICE)) is not None:
        name = _squash(match.group("paren") or match.group("plain") or "")
        # "Phòng Kế hoạch - Tài chính của mỗi sở": the office's name, not whose it is.
        name = re.split(r"\s+(?:của|thuộc|tại|mỗi|ở)\s", name, maxsplit=1)[0].strip(" ,-–")
        return Found(name, Confidence.FOUND, reader.line_at(match.start()))
    return _missing("")


def _title(
    reader: _Reader, heading: tuple[list[int], str] | None, kind: Found[str], parties: Sequence[PartyMention]
) -> Found[str]:
    if heading is not None:
        reader.use(heading[0])
        return Found(heading[1], Confidence.FOUND, heading[0][0])
    match = reader.search(_TITLE_PROSE)
    if match is not None:
        word = _squash(match.group("word"))
        title = f"{word[:1].upper()}{word[1:].lower()} {_squash(match.group('subject'))}"
        if len(parties) >= 2 and " giữa " not in title:
            names = [party.name for party in parties]
            title += " giữa " + ", ".join(names[:-1]) + " và " + names[-1]
        reader.use({reader.line_at(match.start())})
        return Found(title, Confidence.GUESSED, reader.line_at(match.start()))
    return _missing("")


def _motto_and_marks(reader: _Reader, heading: tuple[list[int], str] | None) -> None:
    """The header (the issuing body in capitals above the title, the national motto, rules) and the list of
    recipients ("Nơi nhận:") are understood, not content to show as left out."""
    for line in reader.lines[: heading[0][0] if heading is not None else 12]:
        rule = re.fullmatch(r"[-_=*. ]{3,}", line.text.strip())
        issuer = heading is not None and _is_upper_line(line.text) and len(line.text) < 120
        if _MOTTO.search(line.folded) or rule or issuer:
            reader.use({line.index})
    for line in reader.lines:
        if line.folded.startswith("noi nhan"):
            reader.use({line.index})
            for follower in _after(reader.lines, line.index + 1):
                if follower.marker != DASHED:
                    break
                reader.use({follower.index})


# --- sectors --------------------------------------------------------------------------------------

# Folded keywords of each sector (codes of agreements.models.Sector) and their weight: the specific
# words count more than the general ones ("công nghiệp" is in half the items of a trade programme).
SECTOR_WORDS: dict[str, tuple[tuple[str, int], ...]] = {
    "planning": (("quy hoach", 4), ("ke hoach phat trien", 3)),
    "investment": (("thu hut dau tu", 5), ("xuc tien dau tu", 5), ("moi goi dau tu", 5), ("dau tu", 2)),
    "infrastructure": (("ha tang", 5), ("cum cong nghiep", 3), ("khu cong nghiep", 3)),
    "industry": (("nganh cong nghiep", 3), ("cong nghiep ho tro", 3), ("khuyen cong", 1), ("cong nghiep", 1)),
    "energy": (("nang luong", 5), ("dien luc", 3), ("tiet kiem dien", 3)),
    "environment": (("moi truong", 4), ("bien doi khi hau", 5), ("cong nghiep sach", 4), ("phat trien ben vung", 2)),
    "trade": (("xuc tien thuong mai", 5), ("thi truong", 1), ("xuat khau", 2), ("phan phoi", 1), ("giao thuong", 3)),
    "ecommerce": (("thuong mai dien tu", 4), ("kinh te so", 3)),
    "market_control": (("buon lau", 5), ("hang gia", 4), ("gian lan thuong mai", 4), ("quan ly thi truong", 4)),
    "admin_reform": (("cai cach hanh chinh", 6), ("quan ly nha nuoc", 2), ("thu tuc hanh chinh", 4)),
    "logistics": (("logistics", 5), ("kho van", 3), ("van tai", 2)),
    "agriculture": (("nong nghiep", 2), ("nong san", 1), ("thuy san", 3), ("chan nuoi", 3), ("trong trot", 3)),
    "tourism": (("du lich", 5),),
    "culture": (("van hoa", 5), ("le hoi", 3), ("di san", 3)),
    "sport": (("the thao", 5), ("the duc", 4)),
    "science": (("khoa hoc", 4), ("cong nghe", 1), ("doi moi sang tao", 3)),
    "digital": (("chuyen doi so", 6), ("so hoa", 4)),
    "information": (("thong tin va truyen thong", 5), ("bao chi", 3), ("truyen thong", 2)),
    "education": (("giao duc", 5), ("dao tao", 3), ("nguon nhan luc", 3)),
    "health": (("y te", 5), ("kham chua benh", 4), ("benh vien", 3)),
    "security": (("quoc phong", 5), ("an ninh", 4), ("bien gioi", 1)),
    "transport": (("giao thong", 5), ("duong bo", 3), ("cao toc", 3)),
    "natural_resources": (("tai nguyen", 5), ("dat dai", 3), ("khoang san", 3)),
    "labour": (("lao dong", 4), ("viec lam", 4)),
}
OTHER = "other"
_SECTOR_PATTERNS = {
    code: [(re.compile(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])"), word, weight) for word, weight in words]
    for code, words in SECTOR_WORDS.items()
}


def guess_sectors(text: str, known: Iterable[str] | None = None) -> list[str]:
    """The sectors an item's words point to, the strongest first; ["other"] when none (only `known` codes)."""
    folded = f" {fold(text)} "
    allowed = set(known) if known is not None else None
    scores: dict[str, tuple[int, int]] = {}
    for code, patterns in _SECTOR_PATTERNS.items():
        if allowed is not None and code not in allowed:
            continue
        score, first = 0, len(folded)
        for pattern, word, weight in patterns:
            count = len(pattern.findall(folded))
            if count:
                score += weight * min(count, 3)
                first = min(first, folded.find(word))
        if score:
            scores[code] = (score, first)
    ranked = sorted(scores, key=lambda code: (-scores[code][0], scores[code][1]))
    strongest = scores[ranked[0]][0] if ranked else 0
    chosen = [code for code in ranked if scores[code][0] * 2 >= strongest or scores[code][0] >= 5][:3]
    return chosen or [OTHER]
