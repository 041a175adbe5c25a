"""The proposal read from an agreement's text (agreements.importing.parsing): the seed text of the 2011
Long An – Tây Ninh agreement exactly, and the layouts agreements come in (numbered, lettered, dashed,
items over several lines, Windows line ends, lines broken by a PDF, a formal Decree 30 header)."""

from __future__ import annotations

import datetime
import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agreements.importing.parsing import Confidence, guess_sectors, join_lines, parse, sentence_case
from agreements.importing.reading import clean_text
from demo.data import AGREEMENT_2011
from tests.hostile import FAST, hostile_text
from tests.support import SEEDS, needs_seeds

LONG_AN, TAY_NINH = "Sở Công Thương tỉnh Long An", "Sở Công Thương tỉnh Tây Ninh"
DEMO_ITEMS = [text for _sector, text in AGREEMENT_2011.items]
DEMO_SECTORS = [sector for sector, _text in AGREEMENT_2011.items]


def seed_text() -> str:
    return next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")


def wrapped(text: str, width: int) -> str:
    """The text as a PDF gives it back: every paragraph broken into lines of at most `width` characters."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines += textwrap.wrap(paragraph, width) or [""]
    return "\r\n".join(lines)


# --- the seed -------------------------------------------------------------------------------------


@needs_seeds
def test_the_seed_gives_its_nine_items_date_place_period_and_parties():
    proposal = parse(seed_text())
    assert [item.number for item in proposal.items] == list(range(1, 10))
    assert [item.text for item in proposal.items] == DEMO_ITEMS
    assert proposal.signed_on.value == datetime.date(2011, 10, 14)
    assert proposal.signed_on.confidence is Confidence.FOUND
    assert proposal.signed_at.value == "Sở Công Thương tỉnh Tây Ninh"
    assert (proposal.period_start.value, proposal.period_end.value) == (
        datetime.date(2011, 1, 1),
        datetime.date(2015, 12, 31),
    )
    assert [party.name for party in proposal.parties] == [LONG_AN, TAY_NINH]
    assert [party.signatory_title for party in proposal.parties] == [f"Giám đốc {LONG_AN}", f"Giám đốc {TAY_NINH}"]
    assert proposal.kind.value == "agreement"
    assert proposal.objectives.value == AGREEMENT_2011.objectives
    assert proposal.coordinating_office.value == "Phòng Kế hoạch - Tài chính"
    assert proposal.missing() == []
    assert proposal.warnings == ()


@needs_seeds
def test_the_seed_title_is_put_together_and_marked_for_checking():
    proposal = parse(seed_text())
    assert proposal.title.value == AGREEMENT_2011.title
    assert proposal.title.confidence is Confidence.GUESSED and proposal.title.needs_check


@needs_seeds
def test_the_seed_items_get_the_sectors_the_demo_gives_them():
    assert [item.sectors[0] for item in parse(seed_text()).items] == DEMO_SECTORS


@needs_seeds
def test_what_the_seed_says_besides_is_listed_as_not_used():
    proposal = parse(seed_text())
    unused = [line for _number, line in proposal.unparsed_lines()]
    assert len(unused) == 2
    assert unused[0].startswith("Sau khi thỏa thuận được ký kết") and unused[1] == "Sở Công Thương Long An"


@needs_seeds
@pytest.mark.parametrize("width", [60, 80, 100, 120])
def test_the_seed_broken_into_lines_as_a_pdf_gives_the_same(width):
    original = parse(seed_text())
    proposal = parse(wrapped(seed_text(), width))
    assert [item.text for item in proposal.items] == DEMO_ITEMS
    assert proposal.objectives.value == original.objectives.value
    assert [p.name for p in proposal.parties] == [LONG_AN, TAY_NINH]
    assert (proposal.signed_on, proposal.signed_at.value) == (original.signed_on, original.signed_at.value)
    assert proposal.period_end.value == datetime.date(2015, 12, 31)
    assert all(
        line.startswith(("Sau khi", "Sở Công Thương Long An")) or line[:1].islower() or line[:1] == "U"
        for _n, line in proposal.unparsed_lines()[:1]
    )


# --- layouts ------------------------------------------------------------------------------------

FORMAL = """UBND TỈNH LONG AN
SỞ CÔNG THƯƠNG
Số: 05/TTHT-SCT
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Tây Ninh, ngày 14 tháng 10 năm 2011

THỎA THUẬN HỢP TÁC
Về liên kết phát triển công nghiệp, thương mại giai đoạn 2011 - 2015
giữa Sở Công Thương tỉnh Long An và Sở Công Thương tỉnh Tây Ninh

Căn cứ Nghị định số 09/2019/NĐ-CP ngày 24/01/2019 của Chính phủ;

Bên A: Sở Công Thương tỉnh Long An
Đại diện: Ông Nguyễn Văn An, Giám đốc
Bên B: SỞ CÔNG THƯƠNG TỈNH TÂY NINH
Đại diện: Bà Trần Thị Bình - Phó Giám đốc

I. MỤC TIÊU
Phát huy lợi thế của mỗi địa phương.
- Hợp tác mời gọi xúc tiến đầu tư.

II. NỘI DUNG HỢP TÁC
a) Xây dựng quy hoạch phát triển công nghiệp;
b) Phát triển hạ tầng thương mại:
- chợ đầu mối;
- trung tâm logistics;
c) Phòng chống buôn lậu, hàng giả.

III. TỔ CHỨC THỰC HIỆN
Bộ phận điều phối là Phòng Kế hoạch - Tài chính của mỗi sở.

Nơi nhận:
- Như trên;
- Lưu: VT.
"""


def test_a_formal_document_with_lettered_items_and_sub_lists():
    proposal = parse(FORMAL)
    assert proposal.kind.value == "agreement" and proposal.kind.found
    assert proposal.title.value == (
        "Thỏa thuận hợp tác về liên kết phát triển công nghiệp, thương mại giai đoạn 2011 - 2015 "
        "giữa Sở Công Thương tỉnh Long An và Sở Công Thương tỉnh Tây Ninh"
    )
    assert proposal.number.value == "05/TTHT-SCT"
    assert proposal.signed_on.value == datetime.date(2011, 10, 14)  # not the Decree's date in "Căn cứ"
    assert proposal.signed_at.value == "Tây Ninh"
    assert proposal.period_start.value == datetime.date(2011, 1, 1)
    assert [(p.name, p.signatory_name, p.signatory_title) for p in proposal.parties] == [
        (LONG_AN, "Nguyễn Văn An", "Giám đốc"),
        (TAY_NINH, "Trần Thị Bình", "Phó Giám đốc"),
    ]
    assert proposal.objectives.value == "Phát huy lợi thế của mỗi địa phương.\n- Hợp tác mời gọi xúc tiến đầu tư."
    assert [(item.number, item.text) for item in proposal.items] == [
        (1, "Xây dựng quy hoạch phát triển công nghiệp;"),
        (2, "Phát triển hạ tầng thương mại:\n- chợ đầu mối;\n- trung tâm logistics;"),
        (3, "Phòng chống buôn lậu, hàng giả."),
    ]
    assert proposal.items[2].sectors[0] == "market_control"
    assert proposal.coordinating_office.value == "Phòng Kế hoạch - Tài chính"
    unused = [line for _n, line in proposal.unparsed_lines()]
    assert unused == [
        "Căn cứ Nghị định số 09/2019/NĐ-CP ngày 24/01/2019 của Chính phủ;",
        "III. TỔ CHỨC THỰC HIỆN",
        "Bộ phận điều phối là Phòng Kế hoạch - Tài chính của mỗi sở.",
    ]


def test_numbered_items_over_several_lines_with_windows_line_ends():
    text = (
        "Chương trình hợp tác giữa Sở Công Thương tỉnh Long An và Sở Công Thương tỉnh Tây Ninh\r\n"
        "Nội dung hợp tác:\r\n"
        "1. Xây dựng quy hoạch phát triển\r\n"
        "   công nghiệp của hai tỉnh.\r\n"
        "2) Tổ chức xúc tiến thương mại;\r\n"
        "phát triển thị trường trong nước và\r\n"
        "nước ngoài.\r\n"
        "\r\n"
        "3. Hợp tác phát triển du lịch.\r\n"
    )
    proposal = parse(text)
    assert [(item.number, item.text) for item in proposal.items] == [
        (1, "Xây dựng quy hoạch phát triển công nghiệp của hai tỉnh."),
        (2, "Tổ chức xúc tiến thương mại; phát triển thị trường trong nước và nước ngoài."),
        (3, "Hợp tác phát triển du lịch."),
    ]
    assert [item.sectors[0] for item in proposal.items] == ["planning", "trade", "tourism"]
    assert all("\r" not in line for line in proposal.lines)
    assert proposal.kind.value == "programme"


def test_a_dash_list_and_a_plan_of_one_year():
    text = (
        "KẾ HOẠCH HỢP TÁC NĂM 2021\n"
        "giữa Ủy ban nhân dân tỉnh Long An và Ủy ban nhân dân thành phố Hồ Chí Minh\n\n"
        "Các nội dung hợp tác:\n"
        "- Phối hợp tổ chức lễ hội văn hóa.\n"
        "• Liên kết phát triển du lịch đường sông.\n"
        "- Đào tạo nguồn nhân lực y tế.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n"
    )
    proposal = parse(text)
    assert proposal.kind.value == "plan"
    assert proposal.title.value == (
        "Kế hoạch hợp tác năm 2021 giữa Ủy ban nhân dân tỉnh Long An và Ủy ban nhân dân thành phố Hồ Chí Minh"
    )
    assert (proposal.period_start.value, proposal.period_end.value) == (
        datetime.date(2021, 1, 1),
        datetime.date(2021, 12, 31),
    )
    assert [p.name for p in proposal.parties] == [
        "Ủy ban nhân dân tỉnh Long An",
        "Ủy ban nhân dân thành phố Hồ Chí Minh",
    ]
    assert [item.text for item in proposal.items] == [
        "Phối hợp tổ chức lễ hội văn hóa.",
        "Liên kết phát triển du lịch đường sông.",
        "Đào tạo nguồn nhân lực y tế.",
    ]
    assert proposal.unparsed == ()


PDF_COPY = """CHƯƠNG TRÌNH HỢP TÁC
giữa tỉnh Long An và tỉnh Tiền Giang giai đoạn 2021 – 2025
Ngày 05 tháng 3 năm 2021 tại Ủy ban nhân dân tỉnh Tiền Giang, hai tỉnh thống
nhất các nội dung hợp tác sau đây nhằm phát huy thế mạnh của mỗi địa phương.
Nội dung hợp tác:
1. Phối hợp xây dựng và triển khai quy hoạch phát triển hạ tầng giao thông kết
nối hai tỉnh, trong đó ưu tiên các tuyến đường bộ và đường thủy nội địa phục vụ
vận tải hàng hóa.
2. Hợp tác phát triển nông nghiệp ứng dụng công nghệ cao, liên kết chuỗi giá trị
các sản phẩm chủ lực; hỗ trợ nông dân tiêu thụ nông sản qua sàn thương mại điện.
Tăng cường chia sẻ thông tin thị trường giữa các doanh nghiệp hai tỉnh, các hội
chợ và phiên chợ nông sản.
3. Phối hợp trong công tác chuyển đổi số và ứng dụng công nghệ thông tin trong cải
cách thủ tục hành chí-
nh, phục vụ người dân và doanh nghiệp.
Hai bên giao các sở, ngành liên quan xây dựng kế hoạch cụ thể hằng năm.
"""


def test_text_copied_from_a_pdf_broken_lines_and_hyphenation():
    proposal = parse(PDF_COPY)
    assert proposal.kind.value == "programme"
    assert proposal.signed_on.value == datetime.date(2021, 3, 5)
    assert proposal.signed_at.value == "Ủy ban nhân dân tỉnh Tiền Giang"
    assert (proposal.period_start.value.year, proposal.period_end.value.year) == (2021, 2025)
    # Provinces named alone are represented by their People's Committee: a guess to check.
    assert [(p.name, p.confidence) for p in proposal.parties] == [
        ("Ủy ban nhân dân tỉnh Long An", Confidence.GUESSED),
        ("Ủy ban nhân dân tỉnh Tiền Giang", Confidence.GUESSED),
    ]
    texts = [item.text for item in proposal.items]
    assert len(texts) == 3
    assert texts[0].endswith(
        "kết nối hai tỉnh, trong đó ưu tiên các tuyến đường bộ và đường thủy nội địa phục vụ vận tải hàng hóa."
    )
    # A sentence ending at the end of a full line goes on; the paragraph after the list does not.
    assert "điện. Tăng cường chia sẻ" in texts[1] and texts[1].endswith("phiên chợ nông sản.")
    assert texts[2].endswith("cải cách thủ tục hành chính, phục vụ người dân và doanh nghiệp.")
    assert [item.sectors[0] for item in proposal.items] == ["transport", "agriculture", "digital"]
    assert proposal.unparsed_lines()[-1] == (
        16,
        "Hai bên giao các sở, ngành liên quan xây dựng kế hoạch cụ thể hằng năm.",
    )


def test_parties_from_the_signature_blocks_and_not_from_the_header():
    text = (
        "UBND TỈNH TIỀN GIANG\nSỞ CÔNG THƯƠNG\n\nKẾ HOẠCH PHỐI HỢP\nvề xúc tiến thương mại năm 2024\n\n"
        "Các nội dung phối hợp:\n1. Tổ chức hội chợ nông sản.\n2. Kết nối cung - cầu.\n\n"
        "GIÁM ĐỐC SỞ CÔNG THƯƠNG TỈNH LONG AN\nGIÁM ĐỐC SỞ CÔNG THƯƠNG TỈNH TIỀN GIANG\n"
    )
    proposal = parse(text)
    assert [(p.name, p.confidence) for p in proposal.parties] == [
        ("Sở Công Thương tỉnh Long An", Confidence.GUESSED),
        ("Sở Công Thương tỉnh Tiền Giang", Confidence.GUESSED),
    ]
    assert proposal.title.value == "Kế hoạch phối hợp về xúc tiến thương mại năm 2024"
    assert proposal.period_end.value == datetime.date(2024, 12, 31)
    assert proposal.unparsed == ()


def test_a_numbering_with_a_gap_is_kept_and_warned_about():
    proposal = parse("Nội dung hợp tác:\n1. Quy hoạch.\n2. Đầu tư.\n4. Du lịch.\n")
    assert [item.number for item in proposal.items] == [1, 2, 4]
    assert "1, 2, 4" in proposal.warnings[0]


def test_without_a_heading_the_longest_list_is_the_items():
    text = (
        "Mục tiêu:\n1. Phát triển bền vững.\n2. Hội nhập.\n\n"
        "Hai bên thống nhất:\n1. Quy hoạch chung.\n2. Xúc tiến đầu tư.\n3. Phát triển du lịch.\n"
    )
    proposal = parse(text)
    assert [item.text for item in proposal.items] == ["Quy hoạch chung.", "Xúc tiến đầu tư.", "Phát triển du lịch."]


def test_a_memorandum_and_a_date_in_words_within_prose():
    text = "Biên bản ghi nhớ về hợp tác du lịch được ký ngày 5 tháng 9 năm 2023 tại Huế.\n- Quảng bá du lịch.\n"
    proposal = parse(text)
    assert proposal.kind.value == "memorandum"
    assert proposal.signed_on.value == datetime.date(2023, 9, 5)
    assert proposal.signed_at.value == "Huế"


def test_an_impossible_date_is_not_a_date():
    assert parse("Ngày 31/02/2011 tại Tây Ninh, hai bên ký thỏa thuận.").signed_on.confidence is Confidence.MISSING


def test_text_that_is_no_agreement_gives_an_empty_proposal():
    proposal = parse("Hôm nay trời đẹp. Chúng tôi đi chơi công viên.")
    assert proposal.is_empty
    assert set(proposal.missing()) == {
        "tên văn bản",
        "giai đoạn thực hiện",
        "các bên tham gia (ít nhất hai)",
        "các nội dung hợp tác được đánh số",
    }


# --- helpers --------------------------------------------------------------------------------------


def test_lines_joined_back_mend_words_cut_by_a_hyphen_only():
    assert join_lines(["cải cách hành chí-", "nh, phục vụ"]) == "cải cách hành chính, phục vụ"
    assert join_lines(["kinh tế -", "xã hội"]) == "kinh tế - xã hội"
    assert join_lines(["công nghiệp - thương", "mại"]) == "công nghiệp - thương mại"


def test_headings_in_capitals_become_sentences():
    assert sentence_case("THỎA THUẬN HỢP TÁC GIỮA TỈNH LONG AN VÀ TỈNH TÂY NINH") == (
        "Thỏa thuận hợp tác giữa tỉnh Long An và tỉnh Tây Ninh"
    )


def test_sectors_from_an_items_words():
    assert guess_sectors("Phối hợp tổ chức các giải thể thao") == ["sport"]
    assert guess_sectors("Nội dung chung") == ["other"]
    assert guess_sectors("Phát triển du lịch và văn hóa", known={"culture", "other"}) == ["culture"]


def test_clean_text_removes_what_copying_brings():
    assert clean_text("a\u00adb\u200b c\r\nd\re\x00f\u00a0g\t h  \n") == "ab c\nd\nef g  h"


# --- never a crash --------------------------------------------------------------------------------

FRAGMENTS = [
    "1. ",
    "a) ",
    "- ",
    "\n",
    "\r\n",
    "\n\n",
    "Ngày 14/10/2011",
    "ngày 31 tháng 2 năm 2011",
    " tại ",
    "giữa ",
    " và ",
    "Sở Công Thương tỉnh Long An",
    "hai tỉnh Long An và Tây Ninh",
    "giai đoạn 2011 – 2015",
    "năm 9999",
    "THỎA THUẬN HỢP TÁC",
    "Bên A: ",
    "Đại diện: Ông ",
    "Mục tiêu: ",
    "Nội dung hợp tác:",
    "I. ",
    "Điều 1.",
    "Căn cứ ",
    "Số: 05/TTHT-SCT",
    "bộ phận điều phối (Phòng ",
    "hành chí-",
    "   ",
]


@FAST
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), hostile_text(surrogates=True)), max_size=40).map("".join))
def test_parse_never_crashes(text):
    proposal = parse(text)
    assert all(0 <= index < len(proposal.lines) for index in proposal.unparsed)
    assert [item.number for item in proposal.items] == sorted(item.number for item in proposal.items) or (
        proposal.warnings
    )
    for item in proposal.items:
        assert item.sectors
    start, end = proposal.period_start.value, proposal.period_end.value
    assert (start is None) == (end is None)
    assert start is None or end is None or start < end
