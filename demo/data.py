"""The project's demo data, written from the facts of three real documents.

- 2011: the Long An – Tây Ninh Department of Industry and Trade agreement (14/10/2011), verbatim.
- 12/2024: the Long An – Tây Ninh – Tiền Giang industry-and-trade cooperation and its commitments.
- 2021: Long An's industry-and-trade targets (27/01/2021) as commitments with indicators.

Where a document is silent (the exact day of the December 2024 conference, the end of that
programme, how the 2021 targets attach to the cooperation) the choice made is written in the
agreement's notes so nobody mistakes it for a fact of the source.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from agreements.merger import LAST_DAY_BEFORE_MERGER, MERGER_DATE

OLD_END = LAST_DAY_BEFORE_MERGER
NEW_START = MERGER_DATE
DEMO_PASSWORD = "coopportal-demo"  # noqa: S105  printed by `make run`; demo only


@dataclass(frozen=True)
class BodySpec:
    ref: str
    kind: str
    name: str
    unit_key: str
    unit_era: str  # "old": a unit that ended 30/06/2025, "new": one from 01/07/2025, "same": unchanged
    abbreviation: str = ""
    parent: str | None = None
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    successor: str | None = None


BODIES: list[BodySpec] = [
    # Today's bodies first, so the old ones can name them as successors.
    BodySpec(
        "ubnd_tn",
        "peoples_committee",
        "Ủy ban nhân dân tỉnh Tây Ninh",
        "tinhtayninh",
        "new",
        "UBND",
        valid_from=NEW_START,
    ),
    BodySpec(
        "ubnd_dt",
        "peoples_committee",
        "Ủy ban nhân dân tỉnh Đồng Tháp",
        "tinhdongthap",
        "new",
        "UBND",
        valid_from=NEW_START,
    ),
    BodySpec("sct_tn", "department", "Sở Công Thương tỉnh Tây Ninh", "tinhtayninh", "new", "SCT", "ubnd_tn", NEW_START),
    BodySpec(
        "sct_dt", "department", "Sở Công Thương tỉnh Đồng Tháp", "tinhdongthap", "new", "SCT", "ubnd_dt", NEW_START
    ),
    BodySpec("stc_tn", "department", "Sở Tài chính tỉnh Tây Ninh", "tinhtayninh", "new", "STC", "ubnd_tn", NEW_START),
    # Before the merger.
    BodySpec(
        "ubnd_la_old",
        "peoples_committee",
        "Ủy ban nhân dân tỉnh Long An",
        "tinhlongan",
        "old",
        "UBND",
        valid_to=OLD_END,
        successor="ubnd_tn",
    ),
    BodySpec(
        "ubnd_tn_old",
        "peoples_committee",
        "Ủy ban nhân dân tỉnh Tây Ninh",
        "tinhtayninh",
        "old",
        "UBND",
        valid_to=OLD_END,
        successor="ubnd_tn",
    ),
    BodySpec(
        "ubnd_tg_old",
        "peoples_committee",
        "Ủy ban nhân dân tỉnh Tiền Giang",
        "tinhtiengiang",
        "old",
        "UBND",
        valid_to=OLD_END,
        successor="ubnd_dt",
    ),
    BodySpec(
        "sct_la_old",
        "department",
        "Sở Công Thương tỉnh Long An",
        "tinhlongan",
        "old",
        "SCT",
        "ubnd_la_old",
        valid_to=OLD_END,
        successor="sct_tn",
    ),
    BodySpec(
        "sct_tn_old",
        "department",
        "Sở Công Thương tỉnh Tây Ninh",
        "tinhtayninh",
        "old",
        "SCT",
        "ubnd_tn_old",
        valid_to=OLD_END,
        successor="sct_tn",
    ),
    BodySpec(
        "sct_tg_old",
        "department",
        "Sở Công Thương tỉnh Tiền Giang",
        "tinhtiengiang",
        "old",
        "SCT",
        "ubnd_tg_old",
        valid_to=OLD_END,
        successor="sct_dt",
    ),
    BodySpec(
        "khtc_la",
        "office",
        "Phòng Kế hoạch - Tài chính, Sở Công Thương tỉnh Long An",
        "tinhlongan",
        "old",
        "KHTC",
        "sct_la_old",
        valid_to=OLD_END,
    ),
    BodySpec(
        "khtc_tn",
        "office",
        "Phòng Kế hoạch - Tài chính, Sở Công Thương tỉnh Tây Ninh",
        "tinhtayninh",
        "old",
        "KHTC",
        "sct_tn_old",
        valid_to=OLD_END,
    ),
    BodySpec(
        "khtc_tg",
        "office",
        "Phòng Kế hoạch - Tài chính, Sở Công Thương tỉnh Tiền Giang",
        "tinhtiengiang",
        "old",
        "KHTC",
        "sct_tg_old",
        valid_to=OLD_END,
    ),
    # Sở Kế hoạch và Đầu tư was folded into Sở Tài chính in 2025 (domain.md); the department
    # reorganisation took effect on 01/03/2025, four months before the provinces merged.
    BodySpec(
        "stc_la_old",
        "department",
        "Sở Tài chính tỉnh Long An",
        "tinhlongan",
        "old",
        "STC",
        "ubnd_la_old",
        valid_from=datetime.date(2025, 3, 1),
        valid_to=OLD_END,
        successor="stc_tn",
    ),
    BodySpec(
        "skhdt_la",
        "department",
        "Sở Kế hoạch và Đầu tư tỉnh Long An",
        "tinhlongan",
        "old",
        "SKHĐT",
        "ubnd_la_old",
        valid_to=datetime.date(2025, 2, 28),
        successor="stc_la_old",
    ),
]


@dataclass(frozen=True)
class UserSpec:
    username: str
    first_name: str
    last_name: str
    body: str
    role: str
    title: str


USERS: list[UserSpec] = [
    UserSpec("la.staff", "Chuyên viên", "Long An", "sct_la_old", "staff", "Chuyên viên"),
    UserSpec("la.coord", "Điều phối", "Long An", "khtc_la", "coordinator", "Trưởng phòng Kế hoạch - Tài chính"),
    UserSpec("la.leader", "Lãnh đạo", "Long An", "sct_la_old", "leader", "Phó Giám đốc"),
    UserSpec("tn.staff", "Chuyên viên", "Tây Ninh", "sct_tn_old", "staff", "Chuyên viên"),
    UserSpec("tn.coord", "Điều phối", "Tây Ninh", "khtc_tn", "coordinator", "Trưởng phòng Kế hoạch - Tài chính"),
    UserSpec("tn.leader", "Lãnh đạo", "Tây Ninh", "sct_tn_old", "leader", "Giám đốc"),
    UserSpec("tg.staff", "Chuyên viên", "Tiền Giang", "sct_tg_old", "staff", "Chuyên viên"),
    UserSpec("tg.coord", "Điều phối", "Tiền Giang", "khtc_tg", "coordinator", "Trưởng phòng Kế hoạch - Tài chính"),
    UserSpec("tg.leader", "Lãnh đạo", "Tiền Giang", "sct_tg_old", "leader", "Giám đốc"),
]
ADMIN_USERNAME = "admin"


def email_of(username: str) -> str:
    """Demo addresses on a reserved-looking domain: `make run` writes the mail to var/mail, nothing leaves."""
    return f"{username}@demo.coopportal.local"


@dataclass(frozen=True)
class PartySpec:
    body: str
    office: str | None
    signatory_name: str = ""
    signatory_title: str = ""
    hosts_next_meeting: bool = False


@dataclass(frozen=True)
class CommitmentSpec:
    item: int
    party: str
    description: str
    supporting: tuple[str, ...] = ()
    due_on: datetime.date | None = None
    indicator_name: str = ""
    indicator_unit: str = ""
    baseline: Decimal | None = None
    target: Decimal | None = None


@dataclass(frozen=True)
class EntrySpec:
    """What staff write on one commitment: `commitment` is its description, as in the agreement's spec."""

    commitment: str
    status: str
    percent: int
    results: str
    difficulties: str = ""
    proposals: str = ""
    actual_value: Decimal | None = None


@dataclass(frozen=True)
class ReportSpec:
    """One party's report of one period, written by its staff and taken to `state` through reporting.workflow.

    `state` is "submitted", "returned" (with the coordinator's `review_comment`) or "approved". The
    content is illustrative (written like a department's report, from the facts of the sources, with
    no figure that could pass for an official one); the agreement's notes say so.
    """

    party: str
    year: int
    index: int
    state: str
    staff: str
    coordinator: str
    entries: tuple[EntrySpec, ...]
    overall_assessment: str
    shortcomings: str
    next_period_tasks: str
    review_comment: str = ""
    entry_comments: tuple[tuple[str, str], ...] = ()  # (commitment description, the coordinator's comment)


@dataclass(frozen=True)
class AgreementSpec:
    key: str
    kind: str
    title: str
    signed_on: datetime.date | None
    signed_at: str
    period_start: datetime.date
    period_end: datetime.date
    objectives: str
    status: str
    parties: list[PartySpec]
    items: list[tuple[str, str]]  # (sector, text), numbered 1..n in order
    commitments: list[CommitmentSpec] = field(default_factory=list)
    notes: str = ""
    one_commitment_per_item_and_party: bool = False
    # Entered in the system after the fact: periods whose cut-off falls before this day are history.
    tracked_from: datetime.date | None = None
    # Reports taken through the real workflow by the demo users (illustrative content, see ReportSpec).
    reports: tuple[ReportSpec, ...] = ()


# The day the expired agreements were entered in the system to be looked up (a demo assumption).
_ENTERED_2026 = datetime.date(2026, 9, 1)

AGREEMENT_2011 = AgreementSpec(
    key="la-tn-2011",
    kind="agreement",
    title="Thỏa thuận liên kết, hợp tác phát triển công nghiệp, thương mại giai đoạn 2011 – 2015 "
    "giữa Sở Công Thương tỉnh Long An và Sở Công Thương tỉnh Tây Ninh",
    signed_on=datetime.date(2011, 10, 14),
    signed_at="Sở Công Thương tỉnh Tây Ninh",
    period_start=datetime.date(2011, 1, 1),
    period_end=datetime.date(2015, 12, 31),
    objectives=(
        "Phát huy lợi thế của mỗi địa phương thông qua việc hợp tác phát triển toàn diện trên các lĩnh vực hoạt "
        "động công nghiệp và thương mại, khai thác tốt thế mạnh tiềm năng sẵn có góp phần phát triển kinh tế - xã "
        "hội của hai địa phương; Hợp tác mời gọi xúc tiến đầu tư; Hợp tác trong lĩnh vực trao đổi thông tin, kinh "
        "nghiệm nâng cao năng lực quản lý nhà nước trên các lĩnh vực giữa hai sở."
    ),
    status="expired",
    parties=[
        PartySpec("sct_la_old", "khtc_la", "", "Giám đốc Sở Công Thương tỉnh Long An"),
        PartySpec("sct_tn_old", "khtc_tn", "", "Giám đốc Sở Công Thương tỉnh Tây Ninh", hosts_next_meeting=True),
    ],
    items=[
        (
            "planning",
            "Xây dựng, triển khai, quản lý các quy hoạch, kế hoạch phát triển công nghiệp và thương mại của hai tỉnh.",
        ),
        (
            "investment",
            "Xây dựng các chính sách thu hút đầu tư về phát triển công nghiệp - thương mại và dịch vụ, công "
            "tác khuyến công; giới thiệu, mời gọi đầu tư các dự án thuộc ngành công nghiệp ưu tiên, ngành công nghiệp mũi "
            "nhọn, các dự án trọng điểm của hai địa phương.",
        ),
        (
            "infrastructure",
            "Phát triển hạ tầng công nghiệp và thương mại: xây dựng phát triển các cụm công nghiệp; hệ "
            "thống phân phối bán buôn, bán lẻ; hệ thống bảo quản nhằm nâng cao chất lượng nông sản, hàng hóa trong chuỗi "
            "liên kết.",
        ),
        (
            "industry",
            "Liên kết phát triển các ngành công nghiệp, nhất là những ngành công nghiệp mà hai địa phương đang "
            "có lợi thế: công nghiệp chế biến các sản phẩm từ nông nghiệp, công nghiệp cơ khí phục vụ nông nghiệp, công "
            "nghiệp phục vụ sản xuất hàng xuất khẩu, công nghiệp thay thế hàng nhập khẩu, công nghiệp hỗ trợ.",
        ),
        ("energy", "Phát triển các nguồn năng lượng; quản lý sử dụng năng lượng tiết kiệm và hiệu quả."),
        (
            "environment",
            "Khuyến khích các doanh nghiệp ứng dụng đổi mới công nghệ hướng đến công nghiệp sạch, thân "
            "thiện với môi trường; thực hiện kế hoach hành động ứng phó với biến đổi khí hậu, bảo vệ môi trường, thực thi "
            "chủ trương phát triển bền vững.",
        ),
        (
            "trade",
            "Tổ chức các hoạt động xúc tiến thương mại, hỗ trợ doanh nghiệp hai tỉnh liên kết, phát triển và mở "
            "rộng thị trường trong nước và nước ngoài. Đẩy mạnh xuất khẩu các mặt hàng chủ lực, phát triển sản phẩm mới "
            "xuất khẩu; phát triển kênh phân phối bán buôn, bán lẻ phục vụ tốt nhu cầu sinh hoạt, sản xuất trong nước; "
            "hợp tác ứng dụng thương mại điện tử, phát triển thương mại biên giới.",
        ),
        (
            "market_control",
            "Hợp tác trong lĩnh vực đấu tranh chống buôn lậu, nhất là buôn lậu qua tuyến biên giới tại "
            "khu vực Cầu Sắt tiếp giáp giữa hai tỉnh. Duy trì họp cụm và thường xuyên thông tin cho nhau để phối hợp chặt "
            "chẽ trong công tác phòng chống hàng giả, gian lận thương mại và các hành vi vi phạm khác nhằm ổn định thị "
            "trường, góp phần thực hiện bình ổn giá, bảo vệ quyền và lợi ích chính đáng của người tiêu dùng và các nhà "
            "sản xuất trong nước.",
        ),
        ("admin_reform", "Liên kết trao đổi kinh nghiệm về cải cách hành chính, nâng cao trình độ quản lý nhà nước."),
    ],
    notes=(
        "Bộ phận điều phối chương trình của hai bên (Phòng Kế hoạch - Tài chính) có trách nhiệm theo dõi, tổng hợp và "
        "báo cáo kết quả triển khai thực hiện định kỳ 6 tháng/lần; hàng năm hai sở tổ chức họp một lần. "
        "Mỗi bên chủ trì triển khai từng nội dung hợp tác tại sở mình (cam kết thường xuyên, tạo cho dữ liệu mẫu). "
        "Thỏa thuận đã hết hiệu lực, được nhập vào hệ thống ngày 01/09/2026 để tra cứu (ngày nhập là giả định của "
        "dữ liệu mẫu): các kỳ báo cáo 2011–2015 không báo cáo trên hệ thống."
    ),
    one_commitment_per_item_and_party=True,
    tracked_from=_ENTERED_2026,
)

# The programme's commitments, named once: the illustrative reports below write against them.
LA_MARKET_DATA = "Chia sẻ dữ liệu thị trường với các tỉnh trong chương trình."
TN_MARKET_CONTROL = (
    "Tăng cường trao đổi thông tin, chia sẻ kinh nghiệm về quản lý thị trường, "
    "kiểm soát chất lượng sản phẩm, xử lý gian lận thương mại."
)
LA_ECOMMERCE_DB = "Xây dựng cơ sở dữ liệu thương mại điện tử liên vùng."
LA_PRODUCTS = (
    "Đưa thanh long, chanh không hạt, gạo hữu cơ của Long An vào các hệ thống "
    "phân phối lớn như Saigon Co.op, Bách Hóa Xanh, Winmart."
)
TN_PRODUCTS = (
    "Đưa cao su, tinh bột sắn và đường mía của Tây Ninh vào các hệ thống phân "
    "phối lớn như Saigon Co.op, Bách Hóa Xanh, Winmart."
)
TG_TRADE_MEETINGS = (
    "Tổ chức hội nghị xúc tiến thương mại, phiên kết nối giao thương, kết nối cung - cầu giữa doanh nghiệp ba tỉnh."
)
TN_INVESTMENT_LIST = "Phối hợp xây dựng danh mục mời gọi đầu tư chung vào các khu, cụm công nghiệp giáp ranh."
LA_LOGISTICS = (
    "Quy hoạch phát triển hạ tầng công thương trọng điểm: trung tâm logistics, "
    "chợ đầu mối và hệ thống kho vận phục vụ xuất, nhập khẩu."
)

# The first half of 2026 (15/12/2025 – 14/06/2026), one report in each state of the review; the second
# half stays a draft. Illustrative: no figure here is an official one (the programme's notes say so).
REPORTS_2026_H1 = (
    ReportSpec(
        "sct_la_old",
        2026,
        1,
        "approved",
        "la.staff",
        "la.coord",
        (
            EntrySpec(
                LA_MARKET_DATA,
                "on_track",
                70,
                "Hằng tháng gửi Sở Công Thương Tây Ninh và Sở Công Thương Tiền Giang bản tin giá cả, tình hình cung "
                "- cầu các mặt hàng thiết yếu và nông sản chủ lực (thanh long, chanh không hạt, gạo hữu cơ) của khu "
                "vực Long An (cũ).",
                difficulties="Mẫu biểu số liệu của các tỉnh chưa thống nhất, việc tổng hợp còn làm thủ công.",
            ),
            EntrySpec(
                LA_ECOMMERCE_DB,
                "on_track",
                40,
                "Đã thống nhất với hai tỉnh danh mục thông tin dùng chung (doanh nghiệp, sản phẩm, gian hàng trên "
                "sàn thương mại điện tử); đang xây dựng đề cương kỹ thuật của cơ sở dữ liệu.",
                proposals="Đề nghị Sở Công Thương Tây Ninh và Sở Công Thương Tiền Giang cử cán bộ đầu mối kỹ thuật để "
                "thống nhất cấu trúc dữ liệu.",
                actual_value=Decimal(0),
            ),
            EntrySpec(
                LA_PRODUCTS,
                "on_track",
                60,
                "Phối hợp đưa thanh long, chanh không hạt, gạo hữu cơ của các doanh nghiệp, hợp tác xã vào hệ thống "
                "Saigon Co.op, Bách Hóa Xanh, Winmart; hỗ trợ hoàn thiện hồ sơ truy xuất nguồn gốc, tem nhãn.",
                difficulties="Một số hợp tác xã chưa bảo đảm sản lượng ổn định và bao bì theo yêu cầu của hệ thống "
                "phân phối.",
            ),
            EntrySpec(
                LA_LOGISTICS,
                "at_risk",
                25,
                "Đã rà soát địa điểm dự kiến của trung tâm logistics, chợ đầu mối và kho vận trong quy hoạch tỉnh; "
                "đang lấy ý kiến các sở, ngành.",
                difficulties="Việc sắp xếp tổ chức bộ máy sau hợp nhất tỉnh làm chậm tiến độ rà soát quy hoạch.",
                proposals="Đề nghị đưa nội dung này vào chương trình làm việc của hội nghị sơ kết năm 2026.",
            ),
        ),
        overall_assessment="Các nội dung hợp tác được triển khai cơ bản đúng kế hoạch; hoạt động chia sẻ thông tin "
        "thị trường và kết nối tiêu thụ nông sản được duy trì thường xuyên.",
        shortcomings="Cơ sở dữ liệu thương mại điện tử liên vùng và quy hoạch hạ tầng logistics còn chậm so với "
        "kế hoạch.",
        next_period_tasks="Hoàn thành đề cương cơ sở dữ liệu thương mại điện tử liên vùng; tiếp tục kết nối đưa "
        "nông sản chủ lực vào các hệ thống phân phối lớn.",
    ),
    ReportSpec(
        "sct_tn_old",
        2026,
        1,
        "submitted",
        "tn.staff",
        "tn.coord",
        (
            EntrySpec(
                TN_MARKET_CONTROL,
                "on_track",
                65,
                "Duy trì trao đổi thông tin giữa lực lượng quản lý thị trường các tỉnh về hàng giả, hàng kém chất "
                "lượng, gian lận thương mại; phối hợp kiểm tra trên các tuyến giáp ranh.",
            ),
            EntrySpec(
                TN_PRODUCTS,
                "on_track",
                55,
                "Giới thiệu sản phẩm từ cao su, tinh bột sắn, đường mía của doanh nghiệp trong tỉnh với các hệ thống "
                "Saigon Co.op, Bách Hóa Xanh, Winmart; hỗ trợ doanh nghiệp tham gia phiên kết nối giao thương.",
                difficulties="Phần lớn sản phẩm là nguyên liệu; hàng tiêu dùng trực tiếp đưa vào siêu thị còn ít.",
            ),
            EntrySpec(
                TN_INVESTMENT_LIST,
                "on_track",
                50,
                "Đã tổng hợp dự thảo danh mục dự án mời gọi đầu tư vào các khu, cụm công nghiệp giáp ranh và gửi các "
                "bên góp ý.",
                proposals="Đề nghị các bên góp ý dự thảo danh mục trước kỳ họp sơ kết năm 2026.",
            ),
        ),
        overall_assessment="Các nhiệm vụ được giao triển khai đúng tiến độ; công tác phối hợp quản lý thị trường "
        "trên các tuyến giáp ranh được duy trì.",
        shortcomings="Việc đưa hàng tiêu dùng của doanh nghiệp trong tỉnh vào hệ thống phân phối lớn còn hạn chế.",
        next_period_tasks="Hoàn thiện danh mục mời gọi đầu tư chung; tổ chức cho doanh nghiệp tham gia phiên kết "
        "nối giao thương với các hệ thống phân phối.",
    ),
    ReportSpec(
        "sct_tg_old",
        2026,
        1,
        "returned",
        "tg.staff",
        "tg.coord",
        (
            EntrySpec(
                TG_TRADE_MEETINGS,
                "on_track",
                50,
                "Phối hợp tổ chức phiên kết nối cung - cầu giữa doanh nghiệp ba tỉnh; đang chuẩn bị hội nghị xúc tiến "
                "thương mại của kỳ tới.",
                difficulties="Kinh phí xúc tiến thương mại còn hạn chế.",
            ),
        ),
        overall_assessment="Hoạt động kết nối giao thương giữa doanh nghiệp ba tỉnh được duy trì.",
        shortcomings="Chưa tổng hợp được kết quả cụ thể sau phiên kết nối.",
        next_period_tasks="Tổ chức hội nghị xúc tiến thương mại; theo dõi việc thực hiện các thỏa thuận đã ký.",
        review_comment="Đề nghị bổ sung danh sách doanh nghiệp tham gia phiên kết nối và kết quả ký kết (nếu có) "
        "trước khi gửi lại.",
        entry_comments=((TG_TRADE_MEETINGS, "Ghi rõ thời gian, địa điểm tổ chức phiên kết nối."),),
    ),
)

AGREEMENT_2024 = AgreementSpec(
    key="la-tn-tg-2024",
    kind="programme",
    title="Chương trình hợp tác phát triển ngành Công Thương giữa ba tỉnh Long An, Tây Ninh và Tiền Giang",
    signed_on=None,
    signed_at="Hội nghị hợp tác phát triển ngành Công Thương ba tỉnh Long An, Tây Ninh và Tiền Giang",
    period_start=datetime.date(2025, 1, 1),
    period_end=datetime.date(2026, 12, 31),
    objectives=(
        "Giải quyết các điểm nghẽn trong sản xuất, lưu thông hàng hóa, logistics và xúc tiến thương mại; kết nối "
        "chuỗi sản xuất, chia sẻ dữ liệu thị trường, phối hợp kiểm soát chất lượng và thúc đẩy tiêu thụ sản phẩm "
        "theo hướng bài bản, hiện đại."
    ),
    status="in_force",
    parties=[
        PartySpec(
            "sct_la_old",
            "khtc_la",
            "Huỳnh Văn Quang Hùng",
            "Giám đốc Sở Công Thương tỉnh Long An",
            hosts_next_meeting=True,
        ),
        PartySpec("sct_tn_old", "khtc_tn", "", "Giám đốc Sở Công Thương tỉnh Tây Ninh"),
        PartySpec("sct_tg_old", "khtc_tg", "", "Giám đốc Sở Công Thương tỉnh Tiền Giang"),
    ],
    items=[
        (
            "market_control",
            "Đồng bộ trong công tác quản lý nhà nước thông qua tăng cường trao đổi thông tin, chia sẻ "
            "kinh nghiệm về quản lý thị trường, kiểm soát chất lượng sản phẩm, xử lý gian lận thương mại và xây dựng cơ "
            "sở dữ liệu thương mại điện tử liên vùng.",
        ),
        (
            "trade",
            "Đẩy mạnh hoạt động kết nối cung - cầu và mở rộng thị trường thông qua các hội nghị xúc tiến thương "
            "mại, phiên kết nối giao thương, đưa sản phẩm chủ lực và đặc sản địa phương vào các hệ thống phân phối lớn.",
        ),
        (
            "investment",
            "Phối hợp xây dựng danh mục mời gọi đầu tư chung vào các khu, cụm công nghiệp giáp ranh; quy "
            "hoạch phát triển hạ tầng công thương trọng điểm như trung tâm logistics, chợ đầu mối và hệ thống kho vận "
            "phục vụ xuất, nhập khẩu.",
        ),
    ],
    commitments=[
        CommitmentSpec(1, "sct_la_old", LA_MARKET_DATA, ("sct_tn_old",)),
        CommitmentSpec(1, "sct_tn_old", TN_MARKET_CONTROL, ("sct_la_old", "sct_tg_old")),
        CommitmentSpec(
            1,
            "sct_la_old",
            LA_ECOMMERCE_DB,
            ("sct_tn_old", "sct_tg_old"),
            indicator_name="Cơ sở dữ liệu thương mại điện tử liên vùng",
            indicator_unit="cơ sở dữ liệu",
            baseline=Decimal(0),
            target=Decimal(1),
        ),
        CommitmentSpec(2, "sct_la_old", LA_PRODUCTS),
        CommitmentSpec(2, "sct_tn_old", TN_PRODUCTS),
        CommitmentSpec(2, "sct_tg_old", TG_TRADE_MEETINGS, ("sct_la_old", "sct_tn_old")),
        CommitmentSpec(3, "sct_tn_old", TN_INVESTMENT_LIST, ("sct_la_old",)),
        CommitmentSpec(3, "sct_la_old", LA_LOGISTICS, ("sct_tn_old",)),
    ],
    notes=(
        "Ký kết tại Hội nghị hợp tác phát triển ngành Công Thương ba tỉnh tổ chức cuối tháng 12/2024; nguồn tin không "
        "ghi ngày ký cụ thể nên để trống. Giai đoạn 2025–2026 là giả định của dữ liệu mẫu. Từ 01/07/2025 tỉnh Long An "
        "và tỉnh Tây Ninh hợp nhất thành tỉnh Tây Ninh; Tiền Giang thuộc tỉnh Đồng Tháp. "
        "Dữ liệu mẫu về báo cáo: nội dung các báo cáo 6 tháng đầu năm 2026 (Long An đã được phê duyệt, Tây Ninh chờ "
        "duyệt, Tiền Giang bị trả lại để bổ sung) là minh họa, không phải số liệu chính thức của các sở; các báo cáo "
        "năm 2025 để trống (quá hạn) và kỳ 6 tháng cuối năm 2026 đang ở dạng nháp, cũng là giả định của dữ liệu mẫu."
    ),
    reports=REPORTS_2026_H1,
)

_DUE_2021 = datetime.date(2021, 12, 31)

AGREEMENT_2021 = AgreementSpec(
    key="la-2021-targets",
    kind="plan",
    title="Kế hoạch thực hiện liên kết, hợp tác phát triển công nghiệp, thương mại năm 2021 – chỉ tiêu của Sở Công "
    "Thương tỉnh Long An",
    signed_on=None,
    signed_at="",
    period_start=datetime.date(2021, 1, 1),
    period_end=datetime.date(2021, 12, 31),
    objectives=(
        "Góp phần vào tốc độ tăng trưởng kinh tế (GRDP) của tỉnh đạt 9-9,5%, trong đó khu vực nông-lâm-thủy sản tăng "
        "1,5-2%; khu vực công nghiệp-xây dựng tăng 13-13,5%; khu vực thương mại - dịch vụ và thuế tăng 6,5-7%."
    ),
    status="expired",
    parties=[
        PartySpec("sct_la_old", "khtc_la", "Nguyễn Anh Việt", "Giám đốc Sở Công Thương tỉnh Long An"),
        PartySpec("sct_tn_old", "khtc_tn", "", "Giám đốc Sở Công Thương tỉnh Tây Ninh"),
    ],
    items=[
        ("industry", "Phát triển công nghiệp và cụm công nghiệp."),
        ("trade", "Phát triển thương mại, xuất nhập khẩu."),
        ("investment", "Khuyến công và xúc tiến thương mại."),
    ],
    commitments=[
        CommitmentSpec(
            1,
            "sct_la_old",
            "Đưa thêm cụm công nghiệp đi vào hoạt động trong năm 2021.",
            due_on=_DUE_2021,
            indicator_name="Cụm công nghiệp đi vào hoạt động thêm",
            indicator_unit="cụm công nghiệp",
            baseline=Decimal(0),
            target=Decimal(4),
        ),
        CommitmentSpec(
            1,
            "sct_la_old",
            "Chỉ số sản xuất công nghiệp tăng 11,5-12%.",
            due_on=_DUE_2021,
            indicator_name="Chỉ số sản xuất công nghiệp tăng",
            indicator_unit="%",
            target=Decimal("11.5"),
        ),
        CommitmentSpec(
            1,
            "sct_la_old",
            "Tỷ lệ hộ sử dụng điện đạt 99,97%.",
            due_on=_DUE_2021,
            indicator_name="Tỷ lệ hộ sử dụng điện",
            indicator_unit="%",
            target=Decimal("99.97"),
        ),
        CommitmentSpec(
            2,
            "sct_la_old",
            "Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ đạt 101.000 tỉ đồng, tăng 13,8%.",
            due_on=_DUE_2021,
            indicator_name="Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ",
            indicator_unit="tỉ đồng",
            target=Decimal(101000),
        ),
        CommitmentSpec(
            2,
            "sct_la_old",
            "Kim ngạch xuất khẩu đạt 6,6 tỉ USD, tăng 10%.",
            due_on=_DUE_2021,
            indicator_name="Kim ngạch xuất khẩu",
            indicator_unit="tỉ USD",
            target=Decimal("6.6"),
        ),
        CommitmentSpec(
            2,
            "sct_la_old",
            "Kim ngạch nhập khẩu đạt 4,3 tỉ USD, tăng 7,5%.",
            due_on=_DUE_2021,
            indicator_name="Kim ngạch nhập khẩu",
            indicator_unit="tỉ USD",
            target=Decimal("4.3"),
        ),
        CommitmentSpec(
            3,
            "sct_la_old",
            "Kinh phí khuyến công địa phương 1,5 tỉ đồng.",
            due_on=_DUE_2021,
            indicator_name="Kinh phí khuyến công địa phương",
            indicator_unit="tỉ đồng",
            target=Decimal("1.5"),
        ),
        CommitmentSpec(
            3,
            "sct_la_old",
            "Kinh phí khuyến công quốc gia 4,36 tỉ đồng.",
            due_on=_DUE_2021,
            indicator_name="Kinh phí khuyến công quốc gia",
            indicator_unit="tỉ đồng",
            target=Decimal("4.36"),
        ),
        CommitmentSpec(
            3,
            "sct_la_old",
            "Kinh phí hỗ trợ xúc tiến thương mại tỉnh 1,5 tỉ đồng.",
            due_on=_DUE_2021,
            indicator_name="Kinh phí hỗ trợ xúc tiến thương mại",
            indicator_unit="tỉ đồng",
            target=Decimal("1.5"),
        ),
    ],
    notes=(
        "Chỉ tiêu theo Chương trình hành động năm 2021 của Sở Công Thương tỉnh Long An, triển khai ngày 27/01/2021. "
        "Việc gắn các chỉ tiêu này vào kế hoạch hợp tác năm 2021 với Sở Công Thương tỉnh Tây Ninh là giả định của "
        "dữ liệu mẫu (thỏa thuận 2011 giao lãnh đạo hai sở chỉ đạo thực hiện cụ thể từng năm). Kế hoạch đã hết hiệu "
        "lực, được nhập vào hệ thống ngày 01/09/2026 để tra cứu (ngày nhập là giả định của dữ liệu mẫu): các kỳ báo "
        "cáo năm 2021 không báo cáo trên hệ thống."
    ),
    tracked_from=_ENTERED_2026,
)

AGREEMENTS = [AGREEMENT_2011, AGREEMENT_2024, AGREEMENT_2021]
