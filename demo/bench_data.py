"""A national-scale data set for benchmarks (`manage.py generate_bench_data`), written with bulk inserts.

At scale 10: 2,000 agreements among the departments and People's Committees of the 63 provinces before
the 2025 merger and the 34 after it, 20,000 cooperation items, 100,000 commitments, up to four reporting
periods per agreement with a report per party in every state of the review, and users for every body
that takes part.  Scale 1 is a tenth of that; a fraction (0.05) makes the small set the tests use.

The rows follow the app's rules, so that its pages and jobs treat them as real data:

- a party is the body that existed on the day the agreement was signed (an old province's department
  before 01/07/2025, the merged province's after; Sở Kế hoạch và Đầu tư until the reorganisation of
  01/03/2025, Sở Tài chính from then), and each department's `function` lets Body.next_in_chain find its
  counterpart in the merged province;
- periods are the windows of `reporting.workflow.agreement_windows`, with the deadline of
  `reporting.periods.deadline_after`; an agreement in force has every begun window it tracks (older ones
  are before its "tracked from" date), so the hourly job finds nothing to open;
- entries keep the status/percent constraints, and a commitment's status is the latest approved
  report's, as `approve_report` leaves it.

What it writes is recognisable and removable: agreement numbers start with BENCH-, usernames with
bench.  The departments and offices it adds to the provinces are reference data (the same national
list every run): `delete_bench` keeps them and the next run finds them again.  Bodies the demo defines,
or that other data uses, and the bodies that succeeded them, get no bench party or member: demo users
never see a bench agreement, bench users never see a demo one.
"""

from __future__ import annotations

import datetime
import random
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import connection, models, transaction
from django.db.models import QuerySet, Value
from django.db.models.fields.related import ForeignObjectRel
from django.db.models.functions import Cast, Concat

from agreements import adminunits
from agreements.access import parties_of
from agreements.graph import forget_body_graph
from agreements.merger import LAST_DAY_BEFORE_MERGER, MERGER_DATE
from agreements.models import (
    AdministrativeUnit,
    AdministrativeUnitName,
    Agreement,
    Body,
    Commitment,
    CooperationItem,
    Membership,
    Party,
    Role,
)
from agreements.naming import PEOPLES_COMMITTEE, body_search_text, default_function, in_sentence, renamed
from core import clock
from core.models import AuditEntry
from core.text import fold
from demo import data as demo
from reporting import periods
from reporting.models import ProgressEntry, ProgressReport, ReportingPeriod, ReportTransition
from reporting.workflow import agreement_windows

AGREEMENT_PREFIX = "BENCH-"
USER_PREFIX = "bench."
RETIRED_PREFIX = "retired."  # an account of an earlier run that acted: kept for the audit trail
EMAIL_DOMAIN = "bench.coopportal.local"
BENCH_PASSWORD = "coopportal-bench"  # noqa: S105  printed by the command; benchmark data only
COORDINATOR_500 = "bench.coord500"
LEADER = "bench.leader"
ADMIN = "bench.admin"
BENCH_NOTE = "Dữ liệu thử tải, sinh tự động bằng lệnh generate_bench_data; không phải văn bản thật."

INSERT_BATCH = 2000
REPORTED_PERIODS = 4  # the latest windows an agreement reports in the system; older ones are before tracked_from
# Departments were reorganised on 01/03/2025 (Sở Kế hoạch và Đầu tư into Sở Tài chính, ...), four months
# before the provinces merged; the demo dates it the same way.
REFORM_DATE = datetime.date(2025, 3, 1)
LAST_DAY_BEFORE_REFORM = REFORM_DATE - datetime.timedelta(days=1)
EARLIEST_SIGNING = datetime.date(2016, 1, 1)
VN = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = datetime.timedelta(days=1)

State = ProgressReport.State
Status = Commitment.Status
_M = TypeVar("_M", bound=models.Model)
_Step = tuple[str, int, Decimal | None]  # (status, percent, actual value) of a commitment in one period


# --- the national list of departments ---------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentKind:
    abbreviation: str
    function: str  # the name without the place: what an old department and its counterpart share
    office: str  # the coordinating office's name; {department} is the department's full name
    office_abbreviation: str
    office_head: str
    sectors: tuple[str, ...]
    era: str = "always"  # "always", "before_reform" (ends 28/02/2025) or "after_reform" (from 01/03/2025)
    successor: str | None = None  # abbreviation of the department it was folded into on 01/03/2025


_PLAN_OFFICE = ("Phòng Kế hoạch - Tài chính, {department}", "KHTC", "Trưởng phòng Kế hoạch - Tài chính")
_OFFICE = ("Văn phòng {department}", "VP", "Chánh Văn phòng Sở")
DEPARTMENTS: tuple[DepartmentKind, ...] = (
    DepartmentKind(
        "SCT",
        "Sở Công Thương",
        *_PLAN_OFFICE,
        ("trade", "industry", "energy", "ecommerce", "market_control", "logistics", "infrastructure", "investment"),
    ),
    DepartmentKind("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", *_OFFICE, ("tourism", "culture")),
    DepartmentKind("SXD", "Sở Xây dựng", *_PLAN_OFFICE, ("infrastructure", "logistics", "planning")),
    DepartmentKind("SKHCN", "Sở Khoa học và Công nghệ", *_OFFICE, ("science", "ecommerce", "environment")),
    DepartmentKind("SGDĐT", "Sở Giáo dục và Đào tạo", *_PLAN_OFFICE, ("education", "science")),
    DepartmentKind("SYT", "Sở Y tế", *_PLAN_OFFICE, ("health",)),
    DepartmentKind("SNV", "Sở Nội vụ", *_OFFICE, ("admin_reform", "education")),
    DepartmentKind("SKHĐT", "Sở Kế hoạch và Đầu tư", *_OFFICE, ("planning", "investment"), "before_reform", "STC"),
    DepartmentKind("STC", "Sở Tài chính", *_OFFICE, ("planning", "investment", "admin_reform"), "after_reform"),
    DepartmentKind("SGTVT", "Sở Giao thông vận tải", *_OFFICE, ("logistics", "infrastructure"), "before_reform", "SXD"),
    DepartmentKind(
        "SNNPTNT", "Sở Nông nghiệp và Phát triển nông thôn", *_OFFICE, ("agriculture",), "before_reform", "SNNMT"
    ),
    DepartmentKind("STNMT", "Sở Tài nguyên và Môi trường", *_OFFICE, ("environment",), "before_reform", "SNNMT"),
    DepartmentKind("SNNMT", "Sở Nông nghiệp và Môi trường", *_OFFICE, ("agriculture", "environment"), "after_reform"),
    DepartmentKind(
        "STTTT", "Sở Thông tin và Truyền thông", *_OFFICE, ("science", "ecommerce"), "before_reform", "SKHCN"
    ),
)
DEPARTMENT_BY_FUNCTION = {kind.function: kind for kind in DEPARTMENTS}
COMMITTEE_OFFICE = "Văn phòng {department}"  # Văn phòng Ủy ban nhân dân tỉnh ...
COMMITTEE_SECTORS = (
    "planning",
    "investment",
    "trade",
    "tourism",
    "agriculture",
    "logistics",
    "infrastructure",
    "security",
    "admin_reform",
    "culture",
    "health",
    "education",
    "environment",
    "other",
)
# bench.coord500 coordinates for Hồ Chí Minh City's Sở Công Thương, which since 01/07/2025 answers for those
# of Hồ Chí Minh City, Bình Dương and Bà Rịa - Vũng Tàu: no other bench agreement names these four.
HUB_UNIT_KEY = "thanhphohochiminh"
HUB_FUNCTION = "Sở Công Thương"


# --- texts ------------------------------------------------------------------------------------------

KIND_TITLES: dict[str, tuple[str, str]] = {
    Agreement.Kind.AGREEMENT: ("Thỏa thuận hợp tác", "TTHT"),
    Agreement.Kind.PROGRAMME: ("Chương trình hợp tác", "CTHT"),
    Agreement.Kind.PLAN: ("Kế hoạch hợp tác", "KHHT"),
    Agreement.Kind.MEMORANDUM: ("Biên bản ghi nhớ hợp tác", "BBGN"),
}
TOPICS = {
    "planning": "liên kết vùng trong công tác quy hoạch, kế hoạch",
    "investment": "xúc tiến, thu hút đầu tư",
    "infrastructure": "phát triển hạ tầng kết nối",
    "industry": "phát triển công nghiệp",
    "energy": "phát triển năng lượng",
    "environment": "bảo vệ môi trường, ứng phó biến đổi khí hậu",
    "trade": "phát triển thương mại",
    "ecommerce": "phát triển thương mại điện tử, kinh tế số",
    "market_control": "quản lý thị trường, chống buôn lậu và gian lận thương mại",
    "admin_reform": "cải cách hành chính",
    "logistics": "phát triển logistics, giao thông",
    "agriculture": "phát triển nông nghiệp",
    "tourism": "phát triển du lịch",
    "culture": "văn hóa, thể thao",
    "science": "khoa học, công nghệ và chuyển đổi số",
    "education": "giáo dục, đào tạo nguồn nhân lực",
    "health": "chăm sóc sức khỏe nhân dân",
    "security": "bảo đảm quốc phòng, an ninh vùng giáp ranh",
    "other": "phát triển kinh tế - xã hội",
}
ITEM_TEXTS = {
    "planning": (
        "Phối hợp xây dựng, triển khai quy hoạch tỉnh gắn với liên kết vùng; trao đổi thông tin về kế hoạch đầu tư "
        "công trung hạn.",
        "Rà soát, thống nhất danh mục dự án liên tỉnh ưu tiên đầu tư trong giai đoạn.",
    ),
    "investment": (
        "Phối hợp tổ chức hội nghị xúc tiến đầu tư chung; giới thiệu danh mục dự án kêu gọi đầu tư của các bên.",
        "Chia sẻ thông tin về chính sách ưu đãi, hỗ trợ nhà đầu tư vào các khu, cụm công nghiệp giáp ranh.",
    ),
    "infrastructure": (
        "Phối hợp đầu tư hạ tầng kết nối: đường liên tỉnh, cầu, bến cảng, trung tâm logistics.",
        "Phát triển hạ tầng thương mại: chợ đầu mối, trung tâm hội chợ triển lãm, kho lạnh.",
    ),
    "industry": (
        "Liên kết phát triển công nghiệp chế biến, công nghiệp hỗ trợ; kết nối doanh nghiệp trong chuỗi cung ứng.",
        "Hỗ trợ doanh nghiệp đổi mới công nghệ, tham gia chương trình khuyến công.",
    ),
    "energy": (
        "Phát triển các nguồn năng lượng tái tạo; sử dụng năng lượng tiết kiệm và hiệu quả.",
        "Phối hợp bảo đảm cung ứng điện cho các khu công nghiệp giáp ranh.",
    ),
    "environment": (
        "Phối hợp kiểm soát ô nhiễm trên các lưu vực sông liên tỉnh; chia sẻ dữ liệu quan trắc môi trường.",
        "Ứng phó biến đổi khí hậu, phòng chống sạt lở, xâm nhập mặn.",
    ),
    "trade": (
        "Tổ chức hoạt động xúc tiến thương mại, kết nối cung - cầu; đưa sản phẩm chủ lực vào hệ thống phân phối.",
        "Phối hợp tổ chức hội chợ, tuần hàng giới thiệu sản phẩm đặc trưng của các tỉnh.",
    ),
    "ecommerce": (
        "Hỗ trợ doanh nghiệp, hợp tác xã đưa sản phẩm lên sàn thương mại điện tử.",
        "Xây dựng cơ sở dữ liệu dùng chung về doanh nghiệp và sản phẩm trên môi trường số.",
    ),
    "market_control": (
        "Phối hợp kiểm tra, xử lý buôn lậu, hàng giả, gian lận thương mại trên các tuyến giáp ranh.",
        "Trao đổi thông tin, kinh nghiệm về quản lý thị trường, kiểm soát chất lượng hàng hóa.",
    ),
    "admin_reform": (
        "Trao đổi kinh nghiệm cải cách hành chính, giải quyết thủ tục hành chính liên thông.",
        "Phối hợp đào tạo, bồi dưỡng cán bộ, công chức về quản lý nhà nước.",
    ),
    "logistics": (
        "Phát triển dịch vụ logistics, vận tải hàng hóa liên tỉnh; kết nối cảng cạn và trung tâm phân phối.",
        "Phối hợp tổ chức giao thông trên các tuyến liên tỉnh, giảm ùn tắc tại cửa ngõ.",
    ),
    "agriculture": (
        "Liên kết sản xuất, tiêu thụ nông sản theo chuỗi giá trị; xây dựng vùng nguyên liệu tập trung.",
        "Phối hợp phòng chống dịch bệnh cây trồng, vật nuôi; chia sẻ giống và quy trình kỹ thuật.",
    ),
    "tourism": (
        "Xây dựng, quảng bá các tour, tuyến du lịch liên tỉnh; phát triển sản phẩm du lịch đặc trưng.",
        "Phối hợp tổ chức sự kiện, lễ hội du lịch; trao đổi đoàn khảo sát, famtrip.",
    ),
    "culture": (
        "Phối hợp tổ chức giao lưu văn hóa, thể thao; bảo tồn, phát huy giá trị di sản.",
        "Trao đổi đoàn nghệ thuật, vận động viên; tổ chức giải thể thao liên tỉnh.",
    ),
    "science": (
        "Hợp tác nghiên cứu, ứng dụng, chuyển giao công nghệ; phát triển hệ sinh thái khởi nghiệp sáng tạo.",
        "Phối hợp chuyển đổi số, kết nối, chia sẻ dữ liệu giữa các hệ thống thông tin.",
    ),
    "education": (
        "Hợp tác đào tạo nguồn nhân lực chất lượng cao, giáo dục nghề nghiệp.",
        "Trao đổi kinh nghiệm quản lý giáo dục, bồi dưỡng giáo viên.",
    ),
    "health": (
        "Hợp tác khám, chữa bệnh; chuyển giao kỹ thuật chuyên môn giữa các bệnh viện tuyến tỉnh.",
        "Phối hợp phòng, chống dịch bệnh tại các địa bàn giáp ranh.",
    ),
    "security": (
        "Phối hợp bảo đảm an ninh, trật tự, quản lý địa bàn giáp ranh.",
        "Trao đổi thông tin, phối hợp phòng chống tội phạm trên các tuyến liên tỉnh.",
    ),
    "other": (
        "Các lĩnh vực hợp tác khác theo thỏa thuận của các bên.",
        "Phối hợp tổ chức hội nghị sơ kết, tổng kết việc thực hiện hợp tác.",
    ),
}
COMMITMENT_TEXTS = (
    "Chủ trì tổ chức {n} hội nghị, hội thảo về nội dung hợp tác tại {place}.",
    "Xây dựng kế hoạch triển khai hằng năm của {place} và gửi các bên phối hợp.",
    "Cung cấp định kỳ thông tin, số liệu về kết quả thực hiện tại {place}.",
    "Hỗ trợ doanh nghiệp, hợp tác xã của {place} tham gia {n} hoạt động kết nối trong chương trình.",
    "Phối hợp khảo sát, đánh giá thực trạng và đề xuất giải pháp tại {place}.",
    "Cử cán bộ đầu mối của {place} theo dõi, đôn đốc việc thực hiện.",
    "Tổ chức {n} đoàn công tác trao đổi kinh nghiệm giữa {place} và các bên.",
    "Hoàn thiện cơ chế phối hợp, quy chế trao đổi thông tin của {place}.",
)
INDICATORS: dict[str, tuple[tuple[str, str, int, int], ...]] = {
    "trade": (
        ("Số doanh nghiệp tham gia kết nối giao thương", "doanh nghiệp", 20, 400),
        ("Số phiên kết nối cung - cầu", "phiên", 2, 12),
    ),
    "tourism": (
        ("Lượt khách du lịch liên tỉnh", "nghìn lượt", 50, 2000),
        ("Số tour, tuyến du lịch liên kết", "tour", 2, 15),
    ),
    "investment": (
        ("Vốn đăng ký đầu tư thu hút", "tỉ đồng", 500, 20000),
        ("Số dự án kêu gọi đầu tư", "dự án", 5, 60),
    ),
    "agriculture": (
        ("Diện tích vùng nguyên liệu liên kết", "ha", 100, 5000),
        ("Sản lượng nông sản tiêu thụ qua liên kết", "tấn", 500, 30000),
    ),
    "ecommerce": (("Số doanh nghiệp lên sàn thương mại điện tử", "doanh nghiệp", 20, 500),),
    "industry": (("Số cụm công nghiệp đi vào hoạt động", "cụm công nghiệp", 1, 6),),
    "health": (("Số kỹ thuật chuyên môn được chuyển giao", "kỹ thuật", 3, 40),),
    "education": (("Số học viên được đào tạo", "người", 50, 2000),),
    "science": (("Số hệ thống thông tin được kết nối", "hệ thống", 1, 10),),
    "logistics": (("Khối lượng hàng hóa vận chuyển liên tỉnh", "nghìn tấn", 100, 5000),),
    "energy": (("Công suất năng lượng tái tạo lắp đặt", "MW", 10, 500),),
    "environment": (("Tỷ lệ nước thải khu công nghiệp được xử lý", "%", 70, 100),),
}
RESULT_TEXTS = (
    "Đã triển khai theo kế hoạch; tổ chức {n} hoạt động với sự tham gia của các sở, ngành và doanh nghiệp.",
    "Đã phối hợp với các bên hoàn thành các nội dung đề ra trong kỳ; số liệu chi tiết kèm theo.",
    "Đang triển khai; đã ban hành kế hoạch thực hiện và phân công đơn vị chủ trì.",
    "Đã tổ chức {n} cuộc làm việc với các bên, thống nhất lộ trình triển khai.",
)
DIFFICULTY_TEXTS = (
    "Kinh phí thực hiện còn hạn chế.",
    "Việc sắp xếp tổ chức bộ máy sau hợp nhất tỉnh làm chậm tiến độ.",
    "Cơ chế chia sẻ dữ liệu giữa các bên chưa đồng bộ.",
)
PROPOSAL_TEXTS = (
    "Đề nghị các bên thống nhất mẫu biểu số liệu dùng chung.",
    "Đề nghị bố trí kinh phí thực hiện trong dự toán năm sau.",
    "Đề nghị đưa nội dung này vào chương trình hội nghị sơ kết.",
)
RETURN_COMMENTS = (
    "Đề nghị bổ sung số liệu cụ thể về kết quả thực hiện trước khi gửi lại.",
    "Đề nghị làm rõ nguyên nhân chậm tiến độ và giải pháp khắc phục.",
    "Đề nghị cập nhật giá trị thực hiện của các chỉ tiêu.",
)
ENTRY_COMMENT = "Đề nghị ghi rõ thời gian, địa điểm và kết quả cụ thể."
ASSESSMENT = "Các nội dung hợp tác được triển khai cơ bản đúng kế hoạch; sự phối hợp giữa các bên được duy trì."
SHORTCOMINGS = "Một số nhiệm vụ còn chậm so với kế hoạch do nguồn lực hạn chế."
NEXT_TASKS = "Tiếp tục triển khai các nội dung còn lại; chuẩn bị hội nghị sơ kết định kỳ."
FAMILY_NAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô")
MIDDLE_NAMES = ("Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Đức", "Quang", "Thu", "Hoài", "Xuân", "Kim")
GIVEN_NAMES = (
    "An", "Bình", "Châu", "Dũng", "Hà", "Hải", "Hạnh", "Hòa", "Hùng", "Hương", "Khoa", "Lan", "Linh", "Long",
    "Mai", "Nam", "Phong", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Trung", "Tuấn", "Vy", "Yến",
)  # fmt: skip


# --- how much ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Targets:
    agreements: int
    items: int
    commitments: int
    hub_agreements: int  # agreements bench.coord500 coordinates


def targets(scale: float) -> Targets:
    """Scale 10: 2,000 agreements, 20,000 items, 100,000 commitments, 500 agreements for bench.coord500."""
    if scale <= 0:
        raise ValueError(f"scale must be positive: {scale}")
    agreements = max(2, _half_up(200 * scale))
    items = max(2 * agreements, _half_up(2000 * scale))
    commitments = max(items, _half_up(10000 * scale))
    return Targets(agreements, items, commitments, min(agreements, max(1, _half_up(50 * scale))))


def _half_up(value: float) -> int:
    return int(value + 0.5)


# --- an earlier run ------------------------------------------------------------------------------------


def bench_agreements() -> QuerySet[Agreement]:
    return Agreement.objects.filter(number__startswith=AGREEMENT_PREFIX)


def bench_users() -> QuerySet[User]:
    return User.objects.filter(username__startswith=USER_PREFIX)


def existing_bench() -> tuple[int, int]:
    """(agreements, users) of an earlier run."""
    return bench_agreements().count(), bench_users().count()


def delete_bench() -> tuple[int, int]:
    """Remove the agreements and users of an earlier run with everything that hangs on them; bodies stay."""
    counts = existing_bench()
    with transaction.atomic():
        _purge(bench_agreements())
        # The audit trail keeps who acted and is never changed (core.models.AuditEntry): an account that
        # acted in a load test is retired (no role, no login, its name freed for the next run), not deleted.
        acted = bench_users().filter(pk__in=AuditEntry.objects.filter(actor__isnull=False).values("actor_id"))
        Membership.objects.filter(user__in=acted).delete()
        retired = Concat(Value(RETIRED_PREFIX), Cast("pk", models.CharField()), Value("."), "username")
        acted.update(username=retired, is_active=False)
        bench_users().delete()  # a few thousand rows, their memberships with them
    return counts


def _purge(queryset: QuerySet[Any]) -> None:
    """Delete the rows and, first, what refers to them as on_delete says, one DELETE per table, nothing loaded.

    Django's delete would load the 300,000 entries of scale 10 into memory.  PROTECT counts as CASCADE here:
    what protects a bench row (its commitments, their entries) is bench data too.
    """
    keys = queryset.values("pk")
    for relation in _relations(queryset.model):
        name = relation.field.name
        children = relation.related_model._base_manager.filter(**{f"{name}__in": keys})
        on_delete = relation.on_delete
        if on_delete is models.DO_NOTHING:
            continue
        if on_delete is models.SET_NULL:
            children.update(**{name: None})
        elif on_delete in (models.CASCADE, models.PROTECT, models.RESTRICT):
            if children.exists():
                _purge(children)
        else:  # SET_DEFAULT, SET(...): Django knows what to write
            children.delete()
    queryset._raw_delete(queryset.db)


def _relations(model: type[models.Model]) -> list[ForeignObjectRel]:
    """Every relation pointing at the model, the hidden ones (related_name="+", M2M tables) included."""
    return [
        rel
        for rel in model._meta.get_fields(include_hidden=True)
        if isinstance(rel, ForeignObjectRel)
        and rel.auto_created
        and not rel.concrete
        and (rel.one_to_many or rel.one_to_one)
    ]


# --- the provinces' bodies --------------------------------------------------------------------------


@dataclass
class Catalogue:
    """Units and bodies in memory, with Body.next_in_chain's walk done without queries."""

    units: dict[int, AdministrativeUnit]
    places: dict[int, list[tuple[str, str]]]  # unit id -> every (name, short name), today's first
    former: dict[int, list[AdministrativeUnitName]]
    bodies: dict[int, Body]
    office_of: dict[int, int]  # department or People's Committee -> its office
    created: Counter[str]
    department_of: dict[int, int] = field(default_factory=dict)
    excluded: set[int] = field(default_factory=set)
    hub: set[int] = field(default_factory=set)  # Hồ Chí Minh City's Sở Công Thương, old and new, and offices
    _same: dict[tuple[int, str, str], list[Body]] = field(default_factory=dict)
    _earlier: dict[int, list[Body]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.department_of = {office: department for department, office in self.office_of.items()}
        same: dict[tuple[int, str, str], list[Body]] = defaultdict(list)
        for body in sorted(self.bodies.values(), key=lambda b: (b.valid_from or datetime.date.min, b.pk)):
            same[(body.unit_id, body.kind, body.function)].append(body)
        self._same = dict(same)
        earlier: dict[int, list[Body]] = defaultdict(list)
        for body in sorted(self.bodies.values(), key=self.sort_key):
            for node in self.chain(body):
                earlier[node.pk].append(body)
        self._earlier = dict(earlier)

    def sort_key(self, body: Body) -> tuple[str, datetime.date, str]:
        return self.units[body.unit_id].code, body.valid_from or datetime.date.min, body.name

    def next_in_chain(self, body: Body) -> Body | None:
        """What Body.next_in_chain answers: the explicit successor, else the counterpart in the successor unit."""
        if body.valid_to is None:
            return None
        if body.successor_id is not None:
            return self.bodies.get(body.successor_id)
        unit = self.units[body.unit_id]
        if not body.function or unit.successor_id is None or unit.valid_to is None or unit.valid_to > body.valid_to:
            return None
        found = self._same.get((unit.successor_id, body.kind, body.function))
        return found[0] if found else None

    def chain(self, body: Body) -> list[Body]:
        nodes, seen = [body], {body.pk}
        while (node := self.next_in_chain(nodes[-1])) is not None and node.pk not in seen:
            seen.add(node.pk)
            nodes.append(node)
        return nodes

    def earlier(self, body: Body, day: datetime.date) -> list[Body]:
        """The usable bodies valid on `day` whose chain leads to `body` (itself included)."""
        return [b for b in self._earlier.get(body.pk, []) if b.is_valid_on(day) and self.is_usable(b)]

    def as_of(self, body: Body, day: datetime.date) -> Body:
        """The usable body that answered for `body` on `day`: itself, or one it had handed over to."""
        for node in self.chain(body)[1:]:
            if body.valid_to is None or day <= body.valid_to or node.pk in self.excluded:
                break
            body = node
        return body

    def is_usable(self, body: Body) -> bool:
        return body.pk not in self.excluded and body.pk not in self.hub

    def usable(self, kind: str, function: str, day: datetime.date, units: Iterable[int]) -> list[Body]:
        """The usable body of that kind and function valid on `day` in each of `units` that has one."""
        found = []
        for unit_id in units:
            for body in self._same.get((unit_id, kind, function), []):
                if self.is_usable(body) and body.is_valid_on(day):
                    found.append(body)
                    break
        return found

    def _names_on(self, body: Body, day: datetime.date) -> tuple[str, str]:
        unit = self.units[body.unit_id]
        for name in self.former.get(unit.pk, []):
            if (name.valid_from is None or name.valid_from <= day) and day <= name.valid_to:
                return name.name, name.short_name
        return unit.name, unit.short_name

    def name_on(self, body: Body, day: datetime.date) -> str:
        """Body.name_on without a query: "Sở Công Thương tỉnh Thừa Thiên Huế" in 2023."""
        return renamed(body.name, self.places[body.unit_id], self._names_on(body, day))

    def place_on(self, body: Body, day: datetime.date) -> str:
        return self._names_on(body, day)[1]


def _derive(body: Body, unit: AdministrativeUnit, places: list[tuple[str, str]]) -> Body:
    """What Body.save() fills, for bulk_create (which does not call it): the end, the function, the search name."""
    ends = unit.valid_to
    if body.valid_to is None and ends is not None and (body.valid_from is None or body.valid_from <= ends):
        body.valid_to = ends
    if not body.function:
        body.function = default_function(body.kind, body.name, places)
    body.search_name = body_search_text(body.name, body.abbreviation)
    return body


def _validity(
    kind: DepartmentKind, unit: AdministrativeUnit
) -> tuple[datetime.date | None, datetime.date | None] | None:
    """(valid_from, valid_to) of a department of this kind in this unit (the unit's end is filled later)."""
    if unit.valid_from is not None:  # a merged province: today's departments, from its first day
        return None if kind.era == "before_reform" else (unit.valid_from, None)
    if kind.era == "before_reform":
        return None, LAST_DAY_BEFORE_REFORM
    if kind.era == "after_reform":
        return REFORM_DATE, None
    return None, None


def ensure_bodies() -> Catalogue:
    """Every province's departments, an office for each and for each People's Committee, created if missing."""
    if AdministrativeUnit.objects.exclude(bodies__kind=Body.Kind.PEOPLES_COMMITTEE).exists():
        # A flushed database (a transactional test) has the units but not the migration's People's Committees.
        adminunits.load_peoples_committees(AdministrativeUnit, Body)
    units = {unit.pk: unit for unit in AdministrativeUnit.objects.all()}
    places = adminunits.unit_names(AdministrativeUnit, AdministrativeUnitName)
    existing: dict[tuple[int, str, datetime.date | None], Body] = {
        (b.unit_id, b.name, b.valid_from): b for b in Body.objects.order_by("pk")
    }
    committees: dict[int, Body] = {}
    for body in existing.values():
        if body.kind == Body.Kind.PEOPLES_COMMITTEE and body.parent_id is None:
            committees.setdefault(body.unit_id, body)
    created: Counter[str] = Counter()

    def ensure(kind: str, name: str, abbreviation: str, parent: Body, valid: tuple[Any, Any]) -> Body:
        unit = units[parent.unit_id]
        key = (unit.pk, name, valid[0])
        if key not in existing:
            body = Body(kind=kind, name=name, abbreviation=abbreviation, unit=unit, parent=parent)
            body.valid_from, body.valid_to = valid
            existing[key] = _derive(body, unit, places[unit.pk])
            created[kind] += 1
        return existing[key]

    heads: list[tuple[DepartmentKind | None, Body]] = []
    for unit in sorted(units.values(), key=lambda u: (u.code, u.valid_from or datetime.date.min)):
        committee = committees[unit.pk]
        heads.append((None, committee))
        for kind in DEPARTMENTS:
            valid = _validity(kind, unit)
            if valid is not None:
                name = f"{kind.function} {in_sentence(unit.name)}"
                heads.append((kind, ensure(Body.Kind.DEPARTMENT, name, kind.abbreviation, committee, valid)))
    fresh = [body for _kind, body in heads if body.pk is None]
    _bulk_create(Body, fresh)
    office_of: dict[int, Body] = {}
    for head_kind, head in heads:
        template, abbreviation = (
            (COMMITTEE_OFFICE, "VP") if head_kind is None else (head_kind.office, head_kind.office_abbreviation)
        )
        valid = (head.valid_from, head.valid_to)
        office_of[head.pk] = ensure(Body.Kind.OFFICE, template.format(department=head.name), abbreviation, head, valid)
    fresh_offices = [office for office in office_of.values() if office.pk is None]
    _bulk_create(Body, fresh_offices)
    # Folded into another department on 01/03/2025: an explicit successor, for the department and its office.
    created_now = {body.pk for body in [*fresh, *fresh_offices]}
    by_abbreviation = {(body.unit_id, k.abbreviation): body for k, body in heads if k is not None}
    handovers = []
    for head_kind, department in heads:
        folded_into = head_kind.successor if head_kind is not None else None
        successor = by_abbreviation.get((department.unit_id, folded_into)) if folded_into else None
        if successor is None or department.pk not in created_now:
            continue
        department.successor = successor
        office_of[department.pk].successor = office_of[successor.pk]
        handovers += [department, office_of[department.pk]]
    Body.objects.bulk_update(handovers, ["successor"], batch_size=INSERT_BATCH)
    transaction.on_commit(forget_body_graph)  # bulk writes send no post_save (agreements.apps)
    former: dict[int, list[AdministrativeUnitName]] = defaultdict(list)
    for unit_name in AdministrativeUnitName.objects.all():
        former[unit_name.unit_id].append(unit_name)
    catalogue = Catalogue(
        units=units,
        places=places,
        former=dict(former),
        bodies={body.pk: body for body in Body.objects.all()},
        office_of={head: office.pk for head, office in office_of.items()},
        created=created,
    )
    _set_aside(catalogue)
    return catalogue


def _set_aside(catalogue: Catalogue) -> None:
    """Keep bench parties and members off the bodies the demo defines or other data uses, and their successors;
    note Hồ Chí Minh City's Sở Công Thương (bench.coord500's)."""
    demo_keys = {
        (unit.pk, spec.name, spec.valid_from)
        for spec in demo.BODIES
        for unit in catalogue.units.values()
        if unit.key == spec.unit_key and (unit.valid_from is not None) == (spec.unit_era == "new")
    }
    seeds = {pk for pk, b in catalogue.bodies.items() if (b.unit_id, b.name, b.valid_from) in demo_keys}
    others = Party.objects.exclude(agreement__number__startswith=AGREEMENT_PREFIX)
    seeds.update(others.values_list("body_id", flat=True))
    seeds.update(pk for pk in others.values_list("coordinating_office_id", flat=True) if pk is not None)
    seeds.update(Membership.objects.exclude(user__username__startswith=USER_PREFIX).values_list("body_id", flat=True))
    excluded = {node.pk for pk in seeds if pk in catalogue.bodies for node in catalogue.chain(catalogue.bodies[pk])}
    excluded |= {catalogue.office_of[pk] for pk in excluded if pk in catalogue.office_of}
    excluded |= {catalogue.department_of[pk] for pk in excluded if pk in catalogue.department_of}
    catalogue.excluded = excluded
    for body in catalogue.bodies.values():
        if body.kind != Body.Kind.DEPARTMENT or body.function != HUB_FUNCTION or body.pk in excluded:
            continue
        last = catalogue.chain(body)[-1]
        if catalogue.units[last.unit_id].key == HUB_UNIT_KEY and last.valid_to is None:
            catalogue.hub |= {body.pk, catalogue.office_of.get(body.pk, body.pk)}


# --- agreements --------------------------------------------------------------------------------------


@dataclass
class Plan:
    """One agreement before it is written, with what the later steps need to know about it."""

    agreement: Agreement
    parties: list[Party]
    bodies: list[Body]
    sectors: tuple[str, ...]
    windows: list[periods.Window] = field(default_factory=list)  # its periods
    predecessor: Plan | None = None
    states: list[list[str]] = field(default_factory=list)  # [party][window] -> report state
    items: list[CooperationItem] = field(default_factory=list)
    commitments: list[tuple[Commitment, int, list[_Step]]] = field(default_factory=list)  # (c, party, steps)


@dataclass
class Generator:
    targets: Targets
    rng: random.Random
    today: datetime.date
    now: datetime.datetime
    catalogue: Catalogue = field(init=False)
    plans: list[Plan] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    users: dict[tuple[int, str], User] = field(default_factory=dict)  # (body id, role) -> who acts there

    def run(self) -> None:
        """The whole data set, in the order the foreign keys need."""
        self.catalogue = ensure_bodies()
        self.counts.update({f"bodies_created_{kind}": n for kind, n in self.catalogue.created.items()})
        self._plan_agreements()
        self._create_users()
        self._write_agreements()
        self._write_items_and_commitments()
        self._write_reports()

    def _between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        return first if last <= first else first + datetime.timedelta(days=self.rng.randint(0, (last - first).days))

    # --- planning ---------------------------------------------------------------------------------

    def _plan_agreements(self) -> None:
        rng, total = self.rng, self.targets.agreements
        renewals = _half_up(total * 0.06)
        categories = rng.choices(["in_force", "expired", "draft", "terminated"], [80, 12, 5, 3], k=total - 2 * renewals)
        in_force = [i for i, category in enumerate(categories) if category == "in_force"]
        others = [i for i, category in enumerate(categories) if category != "in_force"]
        wanted = self.targets.hub_agreements  # in force where there are enough: the coordinator's live workload
        hub = set(rng.sample(in_force, k=min(wanted, len(in_force))))
        hub |= set(rng.sample(others, k=min(wanted - len(hub), len(others))))
        self.plans = [self._plan(category, hub=index in hub) for index, category in enumerate(categories)]
        for _ in range(renewals):
            successor = self._plan("in_force", renewal=True)
            self.plans += [self._predecessor_of(successor), successor]
        for number, plan in enumerate(self.plans, start=1):
            plan.agreement.number = f"{AGREEMENT_PREFIX}{number:05d}/{KIND_TITLES[plan.agreement.kind][1]}"
        self.counts["agreements_for_coord500"] = len(hub)

    def _signing_day(self, category: str) -> datetime.date:
        if category not in ("in_force", "terminated"):
            return self._between(EARLIEST_SIGNING, datetime.date(2023, 6, 30))
        era = self.rng.choices(["before_reform", "reform", "merged"], [60, 10, 30])[0]
        if era == "before_reform":
            return self._between(datetime.date(2021, 1, 1), min(LAST_DAY_BEFORE_REFORM, self.today))
        if era == "reform":
            return self._between(REFORM_DATE, min(LAST_DAY_BEFORE_MERGER, self.today))
        return self._between(MERGER_DATE, self.today - 20 * DAY)

    def _plan(self, category: str, *, hub: bool = False, renewal: bool = False) -> Plan:
        rng, today = self.rng, self.today
        signed_on: datetime.date | None = None
        if category == "draft":
            start = datetime.date(today.year + 1, 1, 1)
            end = datetime.date(start.year + rng.choice([2, 4]), 12, 31)
        else:
            signed_on = self._signing_day(category)
            if renewal:
                signed_on = self._between(datetime.date(2022, 1, 1), today - 60 * DAY)
            start = datetime.date(signed_on.year, 1, 1) if signed_on.month <= 3 else signed_on
            years = rng.choice([2, 3, 4, 5])
            if category in ("in_force", "terminated"):
                years = max(years, today.year - start.year + 1)  # the period runs past today
            else:
                years = min(years, max(1, today.year - start.year))  # expired: over before this year
            end = datetime.date(start.year + years - 1, 12, 31)
        reference = signed_on or start
        parties, bodies, sectors = self._choose_parties(reference, hub=hub, hosts=category == "in_force")
        status = {
            "in_force": Agreement.Status.IN_FORCE,
            "expired": Agreement.Status.EXPIRED,
            "draft": Agreement.Status.DRAFT,
        }.get(category, Agreement.Status.TERMINATED)
        agreement = self._agreement(bodies, sectors, start, end, signed_on, status)
        plan = Plan(agreement, parties, bodies, sectors)
        if category == "in_force":
            self._track(plan, today)
        elif category == "terminated":
            self._track(plan, self._between(start + 200 * DAY, today - 30 * DAY))
        elif category == "expired":
            self._track(plan, end if rng.random() < 0.5 else None)  # followed to its end, or entered afterwards
        return plan

    def _agreement(
        self,
        bodies: list[Body],
        sectors: tuple[str, ...],
        start: datetime.date,
        end: datetime.date,
        signed_on: datetime.date | None,
        status: str,
        kind: str | None = None,
    ) -> Agreement:
        if kind is None:
            weights = [40, 60, 0, 0] if bodies[0].kind == Body.Kind.PEOPLES_COMMITTEE else [55, 10, 20, 15]
            kind = self.rng.choices(list(KIND_TITLES), weights)[0]
        day = signed_on or start
        return Agreement(
            kind=kind,
            title=self._title(kind, bodies, sectors[0], start, end, day),
            signed_on=signed_on,
            signed_at=self.catalogue.name_on(bodies[0], day) if signed_on else "",
            period_start=start,
            period_end=end,
            objectives=f"Phát huy tiềm năng, lợi thế của mỗi bên; đẩy mạnh hợp tác về {TOPICS[sectors[0]]}.",
            notes=BENCH_NOTE,
            status=status,
        )

    def _predecessor_of(self, successor: Plan) -> Plan:
        """The agreement a renewal continues: the same provinces, named as they were when it was signed."""
        rng = self.rng
        end = successor.agreement.period_start - DAY
        start = datetime.date(end.year - rng.choice([2, 3, 4]) + 1, 1, 1)
        signed_on = self._between(start - 60 * DAY, start)
        bodies: list[Body] = []
        for body in successor.bodies:
            earlier = self.catalogue.earlier(body, signed_on)
            if earlier and (choice := rng.choice(earlier)) not in bodies:
                bodies.append(choice)
        if len(bodies) < 2:  # its provinces had nothing else then: other partners
            bodies = self._choose_parties(signed_on, hub=False, hosts=False)[1]
        status = Agreement.Status.SUPERSEDED
        agreement = self._agreement(bodies, successor.sectors, start, end, signed_on, status, successor.agreement.kind)
        plan = Plan(agreement, self._parties(bodies, signed_on, hosts=False), bodies, successor.sectors)
        self._track(plan, end if rng.random() < 0.5 else None)
        successor.predecessor = plan
        return plan

    def _track(self, plan: Plan, until: datetime.date | None) -> None:
        """Its periods: the latest REPORTED_PERIODS windows begun by `until`; the ones before are untracked.

        With `until` None it was entered after the fact, to be looked up: "tracked from" after its end.
        """
        agreement = plan.agreement
        if until is None:
            agreement.tracked_from = self._between(
                agreement.period_end + DAY, max(agreement.period_end + DAY, self.today)
            )
            return
        begun = [w for w in agreement_windows(agreement) if w.start <= until]
        if agreement.status != Agreement.Status.IN_FORCE:
            begun = [w for w in begun if w.end <= until] or begun[:1]
        if len(begun) > REPORTED_PERIODS:
            last_untracked, first_tracked = begun[-REPORTED_PERIODS - 1], begun[-REPORTED_PERIODS]
            agreement.tracked_from = self._between(last_untracked.end + DAY, first_tracked.end)
            begun = begun[-REPORTED_PERIODS:]
        plan.windows = begun

    def _choose_parties(
        self, day: datetime.date, *, hub: bool, hosts: bool
    ) -> tuple[list[Party], list[Body], tuple[str, ...]]:
        """2 to 10 bodies of different provinces valid on `day`: mostly departments of one function, some
        People's Committees, some departments of different functions."""
        rng, catalogue = self.rng, self.catalogue
        count = rng.choices(range(2, 11), [45, 27, 10, 6, 4, 3, 2, 1.5, 1.5])[0]
        units = [u.pk for u in sorted(catalogue.units.values(), key=lambda u: u.code) if u.is_valid_on(day)]
        mode = "hub" if hub else rng.choices(["committee", "function", "mixed"], [20, 68, 12])[0]
        kinds = [kind for kind in DEPARTMENTS if _exists_on(kind, day)]
        if mode == "committee":
            pool = catalogue.usable(Body.Kind.PEOPLES_COMMITTEE, PEOPLES_COMMITTEE, day, units)
            sectors = tuple(rng.sample(COMMITTEE_SECTORS, k=4))
        else:
            kind = DEPARTMENT_BY_FUNCTION[HUB_FUNCTION] if hub else rng.choice(kinds)
            pool = catalogue.usable(Body.Kind.DEPARTMENT, kind.function, day, units)
            sectors = tuple(rng.sample(kind.sectors, k=len(kind.sectors)))
        chosen = self._neighbours(pool, count - 1 if hub else count)
        if mode == "mixed":
            chosen = [
                (catalogue.usable(Body.Kind.DEPARTMENT, rng.choice(kinds).function, day, [body.unit_id]) or [body])[0]
                for body in chosen
            ]
        if hub:
            candidates = sorted(
                (b for pk in catalogue.hub if (b := catalogue.bodies[pk]).kind == Body.Kind.DEPARTMENT),
                key=catalogue.sort_key,
            )
            chosen = [rng.choice([b for b in candidates if b.is_valid_on(day)]), *chosen]
        return self._parties(chosen, day, hosts=hosts), chosen, sectors

    def _neighbours(self, pool: list[Body], count: int) -> list[Body]:
        """`count` bodies of the pool, half the time from neighbouring provinces (unit codes run north to south)."""
        count = min(count, len(pool))
        if self.rng.random() < 0.5:
            width = min(len(pool), count * 2 + 2)
            first = self.rng.randint(0, len(pool) - width)
            return self.rng.sample(pool[first : first + width], k=count)
        return self.rng.sample(pool, k=count)

    def _parties(self, bodies: list[Body], day: datetime.date, *, hosts: bool) -> list[Party]:
        rng, catalogue = self.rng, self.catalogue
        host = rng.randrange(len(bodies)) if hosts else -1
        parties = []
        for order, body in enumerate(bodies, start=1):
            head = "Chủ tịch" if body.kind == Body.Kind.PEOPLES_COMMITTEE else "Giám đốc"
            if rng.random() < 0.3:
                head = f"Phó {head[0].lower()}{head[1:]}"
            parties.append(
                Party(
                    body=body,
                    coordinating_office_id=catalogue.office_of.get(body.pk),
                    signatory_name=_person(rng),
                    signatory_title=f"{head} {catalogue.name_on(body, day)}"[:100],
                    hosts_next_meeting=order - 1 == host,
                    order=order,
                )
            )
        return parties

    def _title(
        self, kind: str, bodies: list[Body], sector: str, start: datetime.date, end: datetime.date, day: datetime.date
    ) -> str:
        catalogue = self.catalogue
        if len(bodies) <= 3:
            names = [catalogue.name_on(body, day) for body in bodies]
            between = ", ".join(names[:-1]) + " và " + names[-1]
        else:
            functions = {body.function for body in bodies}
            who = functions.pop() if len(functions) == 1 else "các cơ quan của"
            places = ", ".join(catalogue.place_on(body, day) for body in bodies)
            between = f"{who} {len(bodies)} tỉnh, thành phố: {places}"
        title = f"{KIND_TITLES[kind][0]} {TOPICS[sector]} giai đoạn {start.year} – {end.year} giữa {between}"
        return title if len(title) <= 300 else title[:299] + "…"

    # --- users ------------------------------------------------------------------------------------

    def _create_users(self) -> None:
        """A staff member and a leader in every body that is, or answers for, a party; a coordinator in its office."""
        catalogue = self.catalogue
        heads: dict[int, Body] = {}
        offices: dict[int, Body] = {}
        for plan in self.plans:
            for party, body in zip(plan.parties, plan.bodies, strict=True):
                heads.update((b.pk, b) for b in catalogue.chain(body) if b.pk not in catalogue.excluded)
                if party.coordinating_office_id is not None:
                    office = catalogue.bodies[party.coordinating_office_id]
                    offices.update((b.pk, b) for b in catalogue.chain(office) if b.pk not in catalogue.excluded)
        password = make_password(BENCH_PASSWORD)  # hashed once: every bench user has the same password
        users: list[User] = []
        memberships: list[Membership] = []
        taken: set[str] = set()

        def add(username: str, body_id: int, role: str, title: str) -> None:
            if username in taken:  # two bodies of one kind in one province (one ended early): tell them apart
                username = f"{username}.{body_id}"
            taken.add(username)
            user = User(
                username=username,
                email=f"{username}@{EMAIL_DOMAIN}",
                password=password,
                first_name=f"{self.rng.choice(FAMILY_NAMES)} {self.rng.choice(MIDDLE_NAMES)}",
                last_name=self.rng.choice(GIVEN_NAMES),
            )
            users.append(user)
            memberships.append(Membership(user=user, body_id=body_id, role=role, title=title))
            self.users.setdefault((body_id, role), user)

        for body in sorted(heads.values(), key=catalogue.sort_key):
            stem = self._username_stem(body)
            add(f"{stem}.staff", body.pk, Role.STAFF, "Chuyên viên")
            add(
                f"{stem}.leader",
                body.pk,
                Role.LEADER,
                "Chủ tịch" if body.kind == Body.Kind.PEOPLES_COMMITTEE else "Giám đốc",
            )
        for office in sorted(offices.values(), key=catalogue.sort_key):
            head = catalogue.bodies[catalogue.department_of.get(office.pk, office.pk)]
            kind = DEPARTMENT_BY_FUNCTION.get(head.function)
            title = kind.office_head if kind is not None else "Chánh Văn phòng"
            add(f"{self._username_stem(head)}.coordinator", office.pk, Role.COORDINATOR, title)
        hub = next(
            b
            for pk in sorted(catalogue.hub)
            if (b := catalogue.bodies[pk]).kind == Body.Kind.DEPARTMENT and b.valid_to is None
        )
        add(COORDINATOR_500, catalogue.office_of[hub.pk], Role.COORDINATOR, "Trưởng phòng Kế hoạch - Tài chính")
        add(LEADER, hub.pk, Role.LEADER, "Giám đốc")
        add(ADMIN, hub.parent_id or hub.pk, Role.ADMIN, "Quản trị hệ thống")
        _bulk_create(User, users)
        _bulk_create(Membership, memberships)  # bulk_create takes each user's new id
        self.counts["users"] = len(users)
        self.counts["memberships"] = len(memberships)

    def _username_stem(self, body: Body) -> str:
        """bench.sct.tinhlongan.cu: the body, the province, "cu" for one that ended on 30/06/2025."""
        unit = self.catalogue.units[body.unit_id]
        abbreviation = "".join(ch for ch in fold(body.abbreviation or body.kind) if ch.isalnum())
        return f"{USER_PREFIX}{abbreviation}.{unit.key}" + (".cu" if unit.valid_to is not None else "")

    def _actor(self, body_id: int, role: str, day: datetime.date) -> User | None:
        """Who acted for the body on `day`: its own user, or its successor's once it had handed over."""
        body = self.catalogue.as_of(self.catalogue.bodies[body_id], day)
        return self.users.get((body.pk, role)) or self.users.get((body_id, role))

    # --- writing ------------------------------------------------------------------------------------

    def _write_agreements(self) -> None:
        predecessors = {id(plan.predecessor) for plan in self.plans if plan.predecessor is not None}
        _bulk_create(Agreement, [plan.agreement for plan in self.plans if id(plan) in predecessors])
        for plan in self.plans:
            if plan.predecessor is not None:
                plan.agreement.predecessor = plan.predecessor.agreement
        _bulk_create(Agreement, [plan.agreement for plan in self.plans if plan.agreement.pk is None])
        parties = []
        for plan in self.plans:
            for party in plan.parties:
                party.agreement = plan.agreement
                parties.append(party)
        _bulk_create(Party, parties)
        self.counts.update(f"agreements_{plan.agreement.status}" for plan in self.plans)
        self.counts["agreements"] = len(self.plans)
        self.counts["agreements_renewing_another"] = len(predecessors)
        self.counts["agreements_with_tracked_from"] = sum(1 for p in self.plans if p.agreement.tracked_from)
        self.counts["parties"] = len(parties)
        self.counts["parties_peoples_committees"] = sum(
            1 for p in self.plans for b in p.bodies if b.kind == Body.Kind.PEOPLES_COMMITTEE
        )
        self.counts["parties_old_provinces"] = sum(
            1 for p in self.plans for b in p.bodies if self.catalogue.units[b.unit_id].valid_to is not None
        )

    def _write_items_and_commitments(self) -> None:
        rng = self.rng
        weights = [1 + len(plan.parties) / 2 + rng.random() * 3 for plan in self.plans]
        items: list[CooperationItem] = []
        for plan, count in zip(self.plans, _split(rng, self.targets.items, weights, minimum=2), strict=True):
            for number in range(1, count + 1):
                sector = plan.sectors[(number - 1) % len(plan.sectors)]
                if rng.random() < 0.15:
                    sector = rng.choice(sorted(ITEM_TEXTS))
                text = rng.choice(ITEM_TEXTS[sector])
                plan.items.append(CooperationItem(agreement=plan.agreement, number=number, text=text, sector_id=sector))
            items += plan.items
        _bulk_create(CooperationItem, items)
        for plan in self.plans:
            plan.states = [self._report_states(plan) for _party in plan.parties]
        owners = [(plan, item) for plan in self.plans for item in plan.items]
        weights = [len(plan.parties) + rng.random() * 4 for plan, _item in owners]
        commitments: list[Commitment] = []
        supporting: list[tuple[Commitment, int]] = []
        for (plan, item), count in zip(owners, _split(rng, self.targets.commitments, weights, minimum=1), strict=True):
            for _ in range(count):
                commitment, party = self._commitment(plan, item, len(plan.commitments) + 1)
                steps = self._steps(plan, commitment)
                commitment.status = self._status(plan, party, steps)
                plan.commitments.append((commitment, party, steps))
                commitments.append(commitment)
                if len(plan.bodies) > 1 and rng.random() < 0.25:
                    others = [body.pk for index, body in enumerate(plan.bodies) if index != party]
                    supporting += [(commitment, pk) for pk in rng.sample(others, k=min(len(others), rng.randint(1, 2)))]
        _bulk_create(Commitment, commitments)
        through = Commitment.supporting_bodies.through
        _bulk_create(through, [through(commitment_id=c.pk, body_id=body_id) for c, body_id in supporting])
        soon = self.today + 60 * DAY
        self.counts["items"] = len(items)
        self.counts["commitments"] = len(commitments)
        self.counts.update(f"commitments_{c.status}" for c in commitments)
        self.counts["commitments_with_target"] = sum(1 for c in commitments if c.target is not None)
        self.counts["commitments_due_before_today"] = sum(1 for c in commitments if c.due_on and c.due_on < self.today)
        self.counts["commitments_due_within_60_days"] = sum(
            1 for c in commitments if c.due_on and self.today <= c.due_on <= soon
        )
        self.counts["commitment_supporting_bodies"] = len(supporting)

    def _commitment(self, plan: Plan, item: CooperationItem, order: int) -> tuple[Commitment, int]:
        """A commitment of one of the parties, in turn; a due date for half, a target for half of those it suits."""
        rng, agreement = self.rng, plan.agreement
        party = (order - 1 + rng.randrange(len(plan.parties))) % len(plan.parties)
        place = self.catalogue.place_on(plan.bodies[party], agreement.reference_date)
        commitment = Commitment(
            item=item,
            responsible_party=plan.parties[party],
            description=rng.choice(COMMITMENT_TEXTS).format(n=rng.randint(1, 6), place=place),
            order=order,
        )
        if rng.random() < 0.55:
            if rng.random() < 0.5:  # around today: some just late, some due soon
                commitment.due_on = self._between(self.today - 300 * DAY, self.today + 120 * DAY)
            else:
                commitment.due_on = self._between(agreement.period_start + 90 * DAY, agreement.period_end)
        indicators = INDICATORS.get(str(item.sector_id))
        if indicators and rng.random() < 0.5:
            name, unit, low, high = rng.choice(indicators)
            commitment.indicator_name, commitment.indicator_unit = name, unit
            commitment.target = Decimal(rng.randint(low, high))
            if rng.random() < 0.5:
                commitment.baseline = (commitment.target * rng.randint(0, 40) / 100).quantize(Decimal(1))
        return commitment, party

    def _report_states(self, plan: Plan) -> list[str]:
        """One party's report state in each period: older periods approved, the open one mostly a draft."""
        states: list[str] = []
        in_force = plan.agreement.status == Agreement.Status.IN_FORCE
        for index, window in enumerate(plan.windows):
            deadline = periods.deadline_after(window.end, plan.agreement.report_deadline_days)
            if window.end >= self.today:  # data still being collected
                weights = [82, 10, 4, 4]
            elif deadline >= self.today:  # between the cut-off and the deadline
                weights = [50, 30, 8, 12]
            elif not in_force or index < len(plan.windows) - 2:
                weights = [5, 3, 2, 90]
            else:
                weights = [9, 9, 6, 76]
            states.append(self.rng.choices([State.DRAFT, State.SUBMITTED, State.RETURNED, State.APPROVED], weights)[0])
        return states

    def _steps(self, plan: Plan, commitment: Commitment) -> list[_Step]:
        """The commitment's (status, percent, actual value) in each period, within the entry constraints."""
        rng = self.rng
        percent, status = 0, str(Status.NOT_STARTED)
        starts = rng.randint(0, 1) if len(plan.windows) > 1 else 0
        cancelled_at = rng.randrange(len(plan.windows)) if plan.windows and rng.random() < 0.03 else -1
        steps: list[_Step] = []
        for index, window in enumerate(plan.windows):
            if index == cancelled_at:
                status = Status.CANCELLED  # keeps what it reached
            elif status in (Status.DONE, Status.CANCELLED):
                pass
            elif index < starts:
                status, percent = Status.NOT_STARTED, 0
            else:
                percent = min(100, percent + rng.choice([0, 5, 10, 15, 20, 25, 30, 40]))
                if percent == 100 or (percent >= 60 and rng.random() < 0.08):
                    status, percent = Status.DONE, 100
                elif commitment.due_on is not None and commitment.due_on < window.end:
                    status = Status.DELAYED
                else:
                    status = rng.choices([Status.ON_TRACK, Status.AT_RISK, Status.DELAYED], [70, 18, 12])[0]
            actual = None if status == Status.NOT_STARTED else _actual(commitment, percent)
            steps.append((status, percent, actual))
        return steps

    def _status(self, plan: Plan, party: int, steps: list[_Step]) -> str:
        """The latest approved report's word (approve_report writes it); without one, the status it was entered with."""
        for index in reversed(range(len(steps))):
            if plan.states[party][index] == State.APPROVED:
                return steps[index][0]
        if plan.agreement.tracked_from is not None and not plan.windows:  # history, entered with its outcome
            choices = [Status.DONE, Status.CANCELLED, Status.DELAYED, Status.ON_TRACK, Status.NOT_STARTED]
            return self.rng.choices(choices, [55, 10, 15, 10, 10])[0]
        return Status.NOT_STARTED

    def _write_reports(self) -> None:
        period_rows = [
            ReportingPeriod.for_window(plan.agreement, window) for plan in self.plans for window in plan.windows
        ]
        _bulk_create(ReportingPeriod, period_rows)
        in_order = iter(period_rows)
        reports: list[ProgressReport] = []
        grid: list[list[list[ProgressReport]]] = []  # [plan][party][window]
        moves: list[tuple[ReportTransition, datetime.datetime]] = []
        last_moves: list[tuple[ProgressReport, datetime.datetime]] = []
        for plan in self.plans:
            plan_periods = [next(in_order) for _window in plan.windows]
            rows = []
            for party, states in zip(plan.parties, plan.states, strict=True):
                row = []
                for period, state in zip(plan_periods, states, strict=True):
                    report, report_moves = self._report(party, period, state)
                    row.append(report)
                    moves += report_moves
                    if report_moves:
                        last_moves.append((report, report_moves[-1][1]))
                rows.append(row)
                reports += row
            grid.append(rows)
        _bulk_create(ProgressReport, reports)
        _bulk_create(ReportTransition, [move for move, _moment in moves])
        # bulk_create wrote the time of the insert (auto_now, auto_now_add): the review happened on its own days.
        _set_times(ReportTransition, "created_at", [(move.pk, moment) for move, moment in moves])
        _set_times(ProgressReport, "updated_at", [(report.pk, moment) for report, moment in last_moves])
        self.counts["periods"] = len(period_rows)
        self.counts["reports"] = len(reports)
        self.counts.update(f"reports_{report.state}" for report in reports)
        self.counts["report_transitions"] = len(moves)
        self.counts["entries"] = _bulk_create_stream(ProgressEntry, self._entries(grid))

    def _report(
        self, party: Party, period: ReportingPeriod, state: str
    ) -> tuple[ProgressReport, list[tuple[ReportTransition, datetime.datetime]]]:
        """The report and its trail: submitted by the party's staff, returned or approved by its coordinator."""
        rng = self.rng
        report = ProgressReport(party=party, period=period, state=state)
        if state == State.DRAFT:
            if rng.random() < 0.3:  # begun
                report.overall_assessment = ASSESSMENT
                report.updated_by = self._actor(party.body_id, Role.STAFF, min(self.today, period.deadline))
                report.version = 2
            return report, []
        moves: list[tuple[ReportTransition, datetime.datetime]] = []
        office = party.coordinating_office_id or party.body_id

        def move(source: str, target: str, moment: datetime.datetime, role: str, comment: str = "") -> None:
            actor = self._actor(office if role == Role.COORDINATOR else party.body_id, role, moment.date())
            moves.append(
                (
                    ReportTransition(report=report, from_state=source, to_state=target, actor=actor, comment=comment),
                    moment,
                )
            )

        opened = period.end + DAY if period.end < self.today else period.start + 20 * DAY
        submitted = self._moment(self._between(min(opened, self.today), min(period.deadline + 10 * DAY, self.today)))
        report.overall_assessment, report.shortcomings, report.next_period_tasks = ASSESSMENT, SHORTCOMINGS, NEXT_TASKS
        report.submitted_at = submitted
        move(State.DRAFT, State.SUBMITTED, submitted, Role.STAFF)
        if state == State.RETURNED or (state == State.APPROVED and rng.random() < 0.1):
            report.review_comment = rng.choice(RETURN_COMMENTS)
            move(State.SUBMITTED, State.RETURNED, self._later(moves[-1][1]), Role.COORDINATOR, report.review_comment)
            if state == State.APPROVED:
                report.submitted_at = self._later(moves[-1][1])
                report.review_comment = ""
                move(State.RETURNED, State.SUBMITTED, report.submitted_at, Role.STAFF)
        if state == State.APPROVED:
            report.approved_at = self._later(moves[-1][1])
            move(State.SUBMITTED, State.APPROVED, report.approved_at, Role.COORDINATOR)
        report.version = 2 + len(moves)  # the staff's save, then one per move
        report.updated_by = moves[-1][0].actor
        return report, moves

    def _moment(self, day: datetime.date) -> datetime.datetime:
        """A moment in office hours of `day` in Hồ Chí Minh City, never after now."""
        moment = datetime.datetime.combine(day, datetime.time(self.rng.randint(8, 16), self.rng.randint(0, 59)), VN)
        return min(moment, self.now - datetime.timedelta(minutes=1))

    def _later(self, moment: datetime.datetime) -> datetime.datetime:
        day = self._between(moment.date() + DAY, moment.date() + 10 * DAY)
        return max(moment, self._moment(min(day, self.today)))

    def _entries(self, grid: list[list[list[ProgressReport]]]) -> Iterator[ProgressEntry]:
        """An entry for each commitment of the party in each report; a draft keeps some as the period opened them."""
        rng = self.rng
        for plan, rows in zip(self.plans, grid, strict=True):
            for commitment, party, steps in plan.commitments:
                for index, report in enumerate(rows[party]):
                    edited = report.state != State.DRAFT or rng.random() < 0.4
                    status, percent, actual = steps[index]
                    if not edited:  # the values of the period before, as the period opened them
                        status, percent, actual = steps[index - 1] if index else (Status.NOT_STARTED, 0, None)
                    yield ProgressEntry(
                        report=report,
                        commitment=commitment,
                        status=status,
                        percent_complete=percent,
                        actual_value=actual,
                        results=rng.choice(RESULT_TEXTS).format(n=rng.randint(2, 9)) if edited and percent else "",
                        difficulties=rng.choice(DIFFICULTY_TEXTS) if edited and rng.random() < 0.25 else "",
                        proposals=rng.choice(PROPOSAL_TEXTS) if edited and rng.random() < 0.15 else "",
                        review_comment=ENTRY_COMMENT if report.state == State.RETURNED and rng.random() < 0.2 else "",
                        updated_by=report.updated_by if edited else None,
                    )


# --- helpers ------------------------------------------------------------------------------------------


def _exists_on(kind: DepartmentKind, day: datetime.date) -> bool:
    if kind.era == "before_reform":
        return day < REFORM_DATE
    if kind.era == "after_reform":
        return day >= REFORM_DATE
    return True


def _actual(commitment: Commitment, percent: int) -> Decimal | None:
    if commitment.target is None:
        return None
    start = commitment.baseline or Decimal(0)
    return (start + (commitment.target - start) * percent / 100).quantize(Decimal("0.01"))


def _split(rng: random.Random, total: int, weights: Sequence[float], *, minimum: int) -> list[int]:
    """`total` shared among the holders, each at least `minimum` (if the total allows), the rest by weight."""
    counts = [min(minimum, total // len(weights))] * len(weights)
    for index in rng.choices(range(len(weights)), weights, k=total - sum(counts)):
        counts[index] += 1
    return counts


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY_NAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}"


def _bulk_create(model: type[_M], rows: Sequence[_M]) -> list[_M]:
    return model._default_manager.bulk_create(rows, batch_size=INSERT_BATCH) if rows else []


def _set_times(model: type[models.Model], name: str, values: Sequence[tuple[int, datetime.datetime]]) -> None:
    """Write one datetime column row by row: an UPDATE ... FROM (VALUES ...) per batch on PostgreSQL.

    bulk_update's CASE of INSERT_BATCH branches, evaluated for every row, took a fifth of the whole run.
    """
    if connection.vendor != "postgresql":
        for pk, moment in values:
            model._default_manager.filter(pk=pk).update(**{name: moment})
        return
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(name)  # a plain column: named as its field
    with connection.cursor() as cursor:
        for first in range(0, len(values), INSERT_BATCH):
            batch = values[first : first + INSERT_BATCH]
            rows = ", ".join(["(%s, %s::timestamptz)"] * len(batch))
            cursor.execute(
                f"UPDATE {table} SET {column} = v.moment FROM (VALUES {rows}) AS v(id, moment) "  # noqa: S608  names from _meta
                f"WHERE {table}.id = v.id",
                [value for row in batch for value in row],
            )


def _analyze(tables: Sequence[type[models.Model]]) -> None:
    """Fresh planner statistics: a benchmark run right after the load would otherwise meet plans made for empty tables."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _bulk_create_stream(model: type[_M], rows: Iterable[_M]) -> int:
    """Insert rows as they are made, INSERT_BATCH at a time: the 300,000 entries are never all in memory."""
    batch: list[_M] = []
    written = 0
    for row in rows:
        batch.append(row)
        if len(batch) == INSERT_BATCH:
            written += len(_bulk_create(model, batch))
            batch = []
    return written + len(_bulk_create(model, batch))


# --- the entry point ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    counts: dict[str, int]
    seconds: float
    examples: list[str]  # a few of the per-body usernames


def generate(scale: float, seed: int) -> Result:
    """Write the data set in one transaction (the caller has checked for, or removed, an earlier run)."""
    began = time.monotonic()
    rng = random.Random(seed)  # noqa: S311  reproducible data, not secrets
    generator = Generator(targets(scale), rng, clock.today(), clock.now())
    with transaction.atomic():
        generator.run()
    _analyze(
        [
            Body,
            User,
            Membership,
            Agreement,
            Party,
            CooperationItem,
            Commitment,
            Commitment.supporting_bodies.through,
            ReportingPeriod,
            ProgressReport,
            ReportTransition,
            ProgressEntry,
        ]
    )
    names = sorted(user.username for user in generator.users.values() if user.username.count(".") >= 3)
    examples = [name for name in names if ".sct." in name][:3] or names[:3]
    return Result(dict(sorted(generator.counts.items())), time.monotonic() - began, examples)


def coordinated_by(username: str) -> QuerySet[Agreement]:
    """The agreements a user coordinates, as the access rules see it."""
    user = User.objects.get(username=username)
    return Agreement.objects.filter(pk__in=parties_of(user, {Role.COORDINATOR}).values("agreement_id"))
