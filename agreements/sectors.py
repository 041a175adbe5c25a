"""The sectors real programmes use: the list a new instance starts with (admins add to it).

Migration 0013 and load_demo call load_sectors(); the first nineteen codes were the fixed list before.
"""

from __future__ import annotations

from typing import Any

SECTORS = [
    ("planning", "Quy hoạch, kế hoạch", "Master plans and development plans"),
    ("investment", "Xúc tiến, thu hút đầu tư", "Investment promotion and attraction"),
    ("infrastructure", "Hạ tầng công nghiệp, thương mại", "Industrial and commercial infrastructure"),
    ("industry", "Phát triển công nghiệp", "Industrial development"),
    ("energy", "Năng lượng", "Energy"),
    ("environment", "Công nghiệp sạch, môi trường, biến đổi khí hậu", "Clean industry, environment and climate change"),
    ("trade", "Xúc tiến thương mại, thị trường", "Trade promotion and markets"),
    ("ecommerce", "Thương mại điện tử, kinh tế số", "E-commerce and digital economy"),
    ("market_control", "Quản lý thị trường, chống buôn lậu", "Market surveillance and anti-smuggling"),
    ("admin_reform", "Cải cách hành chính, quản lý nhà nước", "Administrative reform and state management"),
    ("logistics", "Logistics, giao thông", "Logistics and transport"),
    ("agriculture", "Nông nghiệp", "Agriculture"),
    ("tourism", "Du lịch", "Tourism"),
    ("culture", "Văn hóa, thể thao", "Culture and sports"),
    ("science", "Khoa học, công nghệ, chuyển đổi số", "Science, technology and digital transformation"),
    ("education", "Giáo dục, đào tạo", "Education and training"),
    ("health", "Y tế", "Health"),
    ("security", "Quốc phòng, an ninh biên giới", "Defence and border security"),
    ("sport", "Thể dục, thể thao", "Sport"),
    ("transport", "Giao thông vận tải", "Transport"),
    ("information", "Thông tin và truyền thông", "Information and communications"),
    ("digital", "Chuyển đổi số", "Digital transformation"),
    ("natural_resources", "Tài nguyên và môi trường", "Natural resources and environment"),
    ("labour", "Lao động, việc làm", "Labour and employment"),
    ("other", "Lĩnh vực khác", "Other sectors"),
]


def load_sectors(sector_model: Any) -> int:
    """Create or update the starting list; safe to run again (a flushed test database, a new instance)."""
    for order, (code, name, name_en) in enumerate(SECTORS, start=1):
        sector_model.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order * 10}
        )
    return len(SECTORS)
